"""The protocol pipe to the engine: one JSON object per line each way (docs/customize-host.md).

A hook's access request blocks until its answer arrives; meanwhile the engine may send the `call`s of a nested
run's own hooks, which are served re-entrantly on the same stack.
"""

import json
import os
import sys

from cm_host_utils import logger


# A line of its own on stderr, never shown: the engine drops it (PythonHookHost.StderrMark).
STDERR_MARK = '\x00cm-stderr-mark '


class EngineGone(BaseException):
    """The engine said shutdown or closed the pipe: unwinds every hook in progress (hooks catch Exception,
    not this) and ends the host."""


class Channel:
    """Reads engine messages, writes host messages, and matches access answers to their requests."""

    def __init__(self, reader, writer, serve_call):
        self._reader = reader
        self._writer = writer
        self._serve_call = serve_call
        self._last_access_id = 0
        self._answers = {}
        self._marks = 0

    def send(self, message):
        # What the hook printed so far must reach the engine's log of this hook before its reply does: stderr and the
        # protocol are two pipes, read apart. A numbered mark on stderr, named in the message, lets the engine wait.
        self._marks += 1
        try:
            sys.stderr.flush()
            os.write(2, (STDERR_MARK + str(self._marks) + '\n').encode('ascii'))
            message = dict(message, stderr_mark=self._marks)
        except OSError:
            pass  # no stderr: nothing to wait for
        self._writer.write(json.dumps(message, ensure_ascii=False, allow_nan=False) + '\n')
        self._writer.flush()

    def _receive(self):
        while True:
            line = self._reader.readline()
            if not line:
                raise EngineGone()
            if not line.strip():
                continue
            try:
                message = json.loads(line)
            except json.JSONDecodeError as e:
                logger.error('customize host: ignoring a protocol line that is not JSON ({}): {}'.format(e, line[:200]))
                continue
            if isinstance(message, dict):
                return message
            logger.error('customize host: ignoring a protocol line that is not a JSON object: {}'.format(line[:200]))

    def _handle(self, message):
        op = message.get('op')
        if op == 'call':
            self.send(self._serve_call(message))
        elif op == 'access_result':
            self._answers[message.get('id')] = message.get('result') or {}
        elif op == 'shutdown':
            raise EngineGone()
        else:
            logger.error('customize host: ignoring unknown op {!r}'.format(op))

    def serve_forever(self):
        """Answer calls until the engine shuts the host down."""
        while True:
            self._handle(self._receive())

    def access(self, request):
        """Send an access request and serve whatever the engine sends until its answer comes."""
        self._last_access_id += 1
        access_id = self._last_access_id
        self.send({'op': 'access', 'id': access_id, 'request': request})
        while access_id not in self._answers:
            self._handle(self._receive())
        return self._answers.pop(access_id)


_current = None


def connect(channel):
    """Make `channel` the one access requests go to (the host's main sets it once)."""
    global _current
    _current = channel


def current():
    """The connected channel, or None outside the host (e.g. when a test imports the modules)."""
    return _current
