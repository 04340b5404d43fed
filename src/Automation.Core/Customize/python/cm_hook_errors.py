"""How a failed hook is reported: its kind, message, customize.py line and Python's traceback
(docs/customize-host.md)."""

import os
import sys
import traceback

from cm_hook_loading import HOST_DIR


class ReturnLine:
    """Remembers the line the hook function returned from, so a returned error names its customize.py line."""

    def __init__(self, function):
        self._code = getattr(function, '__code__', None)
        self.line = None

    def __enter__(self):
        self._previous = sys.gettrace()
        sys.settrace(self._on_call)
        return self

    def __exit__(self, *exc):
        sys.settrace(self._previous)
        return False

    def _on_call(self, frame, event, arg):
        # Only the hook's own frame is followed, and only for its return: other calls run untraced.
        if frame.f_code is not self._code:
            return None
        frame.f_trace_lines = False
        return self._on_event

    def _on_event(self, frame, event, arg):
        if event == 'return':
            self.line = frame.f_lineno
        return self._on_event


def _same_path(a, b):
    return bool(a) and bool(b) and os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def failure_line(error, customize_path):
    """The customize.py line to blame: a syntax error's own line there, else the deepest frame in that file."""
    if isinstance(error, SyntaxError) and _same_path(error.filename, customize_path):
        return error.lineno
    frames = [f for f in traceback.extract_tb(error.__traceback__) if _same_path(f.filename, customize_path)]
    return frames[-1].lineno if frames else None


def error_kind(error):
    if isinstance(error, SyntaxError):
        return 'syntax'
    if isinstance(error, ImportError):
        return 'import'
    return 'exception'


def error_message(error):
    if isinstance(error, SyntaxError):
        return '{} ({}, line {})'.format(error.msg, error.filename, error.lineno)
    return '{}: {}'.format(type(error).__name__, error)


def hook_traceback(error):
    """Python's traceback from the first frame outside the host (the host's own frames only add noise)."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None and tb.tb_frame.f_code.co_filename.startswith(HOST_DIR + os.sep):
        tb = tb.tb_next
    return ''.join(traceback.format_exception(type(error), error, tb))


def failure_result(call_id, kind, message, line, trace, code=1):
    result = {'op': 'result', 'id': call_id, 'return': code, 'error': message, 'error_kind': kind,
              'traceback': trace}
    if line is not None:
        result['line'] = line
    return result
