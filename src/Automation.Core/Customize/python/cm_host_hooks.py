"""Serving one `call`: load the customize.py (cached per file), build the hook's `i`, run the hook in its work
folder with the script's Python path, and turn what happened into the `result` message."""

import hashlib
import os
import sys
import traceback
import types
from contextlib import contextmanager

from cm_automation import Automation
from cm_host_access import Item, repos_folder
from cm_host_json import json_safe, json_safe_entries
from cm_os_info import host_os_info

HOST_DIR = os.path.dirname(os.path.abspath(__file__))
# sys.path as Python started it (less the host folder, which every call puts first again).
_BASE_PATH = [p for p in sys.path if os.path.abspath(p or '.') != HOST_DIR]
# Folders hooks appended to sys.path themselves: CM's sys.path keeps them for later hooks, so ours does too.
_HOOK_ADDED_PATH = []
# customize.py path -> ((mtime, size), module); a changed file is loaded again.
_LOADED = {}
_RESULT_KEYS = ('return', 'error', 'skip', 'version')
# Keys of i that hooks index directly (CM always sets them), with a maker for an absent one.
_INPUT_DEFAULTS = (('const', dict), ('const_state', dict), ('input', dict), ('recursion_spaces', str),
                   ('script_tags', list), ('variation_tags', list))
# CM's temporary file names, for a run_script_input that does not name them.
_RUN_SCRIPT_DEFAULTS = (('tmp_file_run', 'tmp-run'), ('tmp_file_run_env', 'tmp-run-env.out'),
                        ('tmp_file_run_state', 'tmp-run-state.json'), ('tmp_file_state', 'tmp-state.json'))


def load_customize(path):
    """The customize.py as a module, executed once per version of the file (no .pyc is written next to it)."""
    stat = os.stat(path)
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _LOADED.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with open(path, 'rb') as f:
        code = compile(f.read(), path, 'exec')
    name = 'customize_' + hashlib.sha1(path.encode('utf-8')).hexdigest()[:16]
    module = types.ModuleType(name)
    module.__file__ = path
    # Registered while it runs, as an import would, so dataclasses/pickle inside it find their module.
    sys.modules[name] = module
    try:
        exec(code, module.__dict__)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    _LOADED[path] = (stamp, module)
    return module


def python_path_entries(env):
    """The folders the script's env puts on Python's path: +PYTHONPATH (a list, or a joined string) first, then
    PYTHONPATH, as the exported env would order them."""
    entries = []
    for key in ('+PYTHONPATH', 'PYTHONPATH'):
        value = env.get(key)
        if not value:
            continue
        for entry in value if isinstance(value, list) else str(value).split(os.pathsep):
            if entry and str(entry) not in entries:
                entries.append(str(entry))
    return entries


@contextmanager
def hook_surroundings(work_dir, script_dir, env):
    """Run with cwd = work_dir and sys.path = host folder, script folder, the env's Python path, then the rest;
    restore both afterwards (remembering folders the hook appended, as CM's sys.path would)."""
    wanted = [HOST_DIR, script_dir] + python_path_entries(env) + _HOOK_ADDED_PATH + _BASE_PATH
    saved_path = list(sys.path)
    saved_cwd = os.getcwd()
    sys.path[:] = list(dict.fromkeys(wanted))
    before = set(sys.path)
    try:
        if work_dir:
            os.chdir(work_dir)
        yield
    finally:
        _HOOK_ADDED_PATH.extend(p for p in sys.path if p not in before and p not in _HOOK_ADDED_PATH)
        sys.path[:] = saved_path
        os.chdir(saved_cwd)


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


class HookInput:
    """The `i` of one hook call, plus the dicts whose final state goes back to the engine."""

    def __init__(self, message):
        i = dict(message.get('i') or {})
        self.env = i.setdefault('env', {})
        self.state = i.setdefault('state', {})
        self.meta = i.setdefault('meta', {})
        self.work_dir = i.get('work_dir', '')
        self.rsi = i.setdefault('run_script_input', {})
        prefix = self.rsi.get('env_prefix') or 'MLC_'
        os_info = host_os_info(prefix)
        artifact = Item(i.get('artifact') or {})
        for key, make in _INPUT_DEFAULTS:
            i.setdefault(key, make())
        automation = Automation(prefix, self.env, self.state, os_info, i['recursion_spaces'],
                                i.get('repos_path') or repos_folder(artifact))
        i.update({'os_info': os_info, 'automation': automation, 'artifact': artifact})
        self.i = i
        # What CM hands to a detect_version that a helper (find_artifact, ...) calls on the hook's behalf.
        self.common = {'input': i['input'], 'automation': automation, 'artifact': artifact,
                       'customize': self.meta.get('customize', {}), 'os_info': os_info,
                       'recursion_spaces': i['recursion_spaces'], 'script_tags': i['script_tags'],
                       'variation_tags': i['variation_tags']}

    def bind(self, module, hook):
        """Fill run_script_input with the Python objects CM keeps there (same dicts as the hook's, as in CM)."""
        self.rsi.update({'os_info': self.i['os_info'], 'self': self.i['automation'], 'customize_code': module,
                         'customize_common_input': self.common, 'state': self.state, 'meta': self.meta,
                         'const': self.i['const'], 'const_state': self.i['const_state']})
        for key, default in _RUN_SCRIPT_DEFAULTS:
            self.rsi.setdefault(key, default)
        self.rsi.setdefault('bat_ext', self.i['os_info']['bat_ext'])
        self.rsi.setdefault('recursion_spaces', self.i['recursion_spaces'])
        if hook == 'postprocess':
            self.rsi['env'] = self.env


def _success_result(call_id, returned, hook_input):
    result = {'op': 'result', 'id': call_id, 'return': 0, 'skip': bool(returned.get('skip', False)),
              'env': json_safe(hook_input.env), 'state': json_safe(hook_input.state),
              'meta': json_safe(hook_input.meta), 'script_name': str(hook_input.rsi.get('script_name', '')),
              'extra': json_safe_entries({k: v for k, v in returned.items() if k not in _RESULT_KEYS})}
    if 'version' in returned:
        result['version'] = str(returned['version'])
    return result


def _returned_result(call_id, hook, returned, line):
    """The result for a hook's own return value: success, or its non-zero 'return' as a `returned` error."""
    if not isinstance(returned, dict):
        return None, failure_result(call_id, 'returned', "{}() returned {!r}, not a dict with 'return'".format(
            hook, returned), line, '')
    try:
        code = int(returned.get('return', 0))
    except (TypeError, ValueError):
        code = 1
    if code == 0:
        return returned, None
    message = str(returned.get('error') or "{}() returned {{'return': {}}} without an error".format(
        hook, returned.get('return')))
    return None, failure_result(call_id, 'returned', message, line, '', code)


def run_call(message):
    """Serve one `call` message and return the `result` message (never raises for what the hook does)."""
    call_id = message.get('id')
    path = message.get('customize', '')
    hook = message.get('hook', '')
    try:
        hook_input = HookInput(message)
        with hook_surroundings(hook_input.work_dir, os.path.dirname(path), hook_input.env):
            module = load_customize(path)
            function = getattr(module, hook, None)
            if function is None:
                # CM runs a hook only where customize.py defines it.
                return _success_result(call_id, {'return': 0}, hook_input)
            hook_input.bind(module, hook)
            with ReturnLine(function) as returned_from:
                returned = function(hook_input.i)
        ok, failure = _returned_result(call_id, hook, returned, returned_from.line)
        return failure if failure is not None else _success_result(call_id, ok, hook_input)
    except (Exception, SystemExit) as error:
        return failure_result(call_id, error_kind(error), error_message(error), failure_line(error, path),
                              hook_traceback(error))
