"""Shared by the host tests: where the host package is, a driver for the host process, and temp script folders."""

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading


def _find_host_dir():
    """CM_CUSTOMIZE_HOST_DIR when the xunit runner sets it, else the package in the checkout above this file."""
    explicit = os.environ.get('CM_CUSTOMIZE_HOST_DIR')
    if explicit:
        return explicit
    folder = os.path.dirname(os.path.abspath(__file__))
    while folder != os.path.dirname(folder):
        if os.path.isfile(os.path.join(folder, 'Automation.sln')):
            return os.path.join(folder, 'src', 'Automation.Core', 'Customize', 'python')
        folder = os.path.dirname(folder)
    raise RuntimeError('run the host tests inside the checkout or set CM_CUSTOMIZE_HOST_DIR')


HOST_DIR = _find_host_dir()
# The tests import host modules in-process; keep the source folders free of .pyc files.
sys.dont_write_bytecode = True
if HOST_DIR not in sys.path:
    sys.path.insert(0, HOST_DIR)

# How long a test waits for one protocol line before failing (a hung host must fail the test, not block it).
REPLY_TIMEOUT = 60


class TempFolder:
    """A temporary folder that tests fill with files; removed by cleanup()."""

    def __init__(self):
        self.path = tempfile.mkdtemp(prefix='cm-host-test-')

    def write(self, relative, text, executable=False):
        path = os.path.join(self.path, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(textwrap.dedent(text))
        if executable:
            os.chmod(path, 0o755)
        return path

    def sub(self, relative):
        path = os.path.join(self.path, relative)
        os.makedirs(path, exist_ok=True)
        return path

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)


class HostProcess:
    """The host started as the engine starts it, spoken to line by line."""

    def __init__(self, env=None):
        self.process = subprocess.Popen(
            [sys.executable, '-u', '-X', 'utf8', os.path.join(HOST_DIR, 'cm_customize_host.py')],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding='utf-8',
            env=env)
        self.lines = queue.Queue()
        self.stderr_lines = []
        self._pumps = [threading.Thread(target=self._pump, args=(self.process.stdout, self.lines.put), daemon=True),
                       threading.Thread(target=self._pump, args=(self.process.stderr, self.stderr_lines.append),
                                        daemon=True)]
        for pump in self._pumps:
            pump.start()

    @staticmethod
    def _pump(stream, sink):
        for line in stream:
            sink(line)
        sink(None)

    def send(self, message):
        self.process.stdin.write(json.dumps(message) + '\n')
        self.process.stdin.flush()

    def receive(self):
        """The next protocol message; every stdout line must be one JSON object."""
        line = self.lines.get(timeout=REPLY_TIMEOUT)
        if line is None:
            raise AssertionError('host closed stdout; stderr:\n' + self.stderr())
        return json.loads(line)

    def call(self, call_id, customize, hook, i):
        self.send({'op': 'call', 'id': call_id, 'customize': customize, 'hook': hook, 'i': i})
        return self.receive()

    def stderr(self):
        return ''.join(line for line in self.stderr_lines if line)

    def shutdown(self):
        """Ask the host to stop; its exit code (all its output has been read by then)."""
        if self.process.poll() is None:
            self.send({'op': 'shutdown'})
        code = self.process.wait(timeout=REPLY_TIMEOUT)
        self._close()
        return code

    def _close(self):
        for pump in self._pumps:
            pump.join(timeout=REPLY_TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            try:
                stream.close()
            except OSError:
                pass

    def remaining_stdout(self):
        """Lines the host wrote to stdout after the last one received (call after shutdown)."""
        lines = []
        while not self.lines.empty():
            line = self.lines.get()
            if line is not None:
                lines.append(line)
        return lines

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close()


def in_process_automation(script_dir, prefix='MLC_', module=None, meta=None, env=None):
    """An automation object and run_script_input as the host builds them for a hook of the script in
    `script_dir`, for tests that call the automation API directly."""
    from cm_automation import Automation
    from cm_os_info import host_os_info
    os_info = host_os_info(prefix)
    env = {} if env is None else env
    state = {}
    automation = Automation(prefix, env, state, os_info)
    meta = meta or {'alias': os.path.basename(script_dir)}
    common = {'input': {}, 'automation': automation, 'artifact': None, 'customize': {}, 'os_info': os_info,
              'recursion_spaces': '', 'script_tags': [], 'variation_tags': []}
    rsi = {'path': script_dir, 'bat_ext': '.sh', 'os_info': os_info, 'self': automation, 'tmp_file_run': 'tmp-run',
           'tmp_file_run_env': 'tmp-run-env.out', 'tmp_file_run_state': 'tmp-run-state.json',
           'tmp_file_state': 'tmp-state.json', 'state': state, 'const': {}, 'const_state': {}, 'meta': meta,
           'customize_code': module, 'customize_common_input': common, 'recursion_spaces': ''}
    return automation, rsi


def detect_version_customize(tool, env_key):
    """A customize.py whose detect_version reads '<tool> version X.Y' from tmp-ver.out, as get-* scripts do."""
    return textwrap.dedent('''
        def detect_version(i):
            r = i['automation'].parse_version({{'match_text': r'{} version\\s*([\\d.]+)', 'group_number': 1,
                                               'env_key': '{}', 'which_env': i['env']}})
            if r['return'] > 0:
                return r
            return {{'return': 0, 'version': r['version']}}
    ''').format(tool, env_key)
