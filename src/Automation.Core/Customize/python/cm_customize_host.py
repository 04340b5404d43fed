"""The customize.py host the engine starts (`python3 -u -X utf8 cm_customize_host.py`): it serves `call`
messages on stdin/stdout until `shutdown` (docs/customize-host.md).

stdin/stdout belong to the protocol alone: the process's own fd 1 is pointed at stderr (so print(), logging and
native scripts the hooks start all land in the log) and fd 0 at the null device (so nothing a hook starts can eat
protocol lines); the protocol keeps private duplicates of the original pipes.
"""

import logging
import os
import signal
import sys
import threading
import time

HOST_DIR = os.path.dirname(os.path.abspath(__file__))
if sys.path[:1] != [HOST_DIR]:
    sys.path.insert(0, HOST_DIR)

from cm_host_channel import Channel, EngineGone, connect  # noqa: E402
from cm_host_hooks import run_call  # noqa: E402
from cm_host_utils import logger  # noqa: E402


def claim_stdio():
    """Private protocol streams on duplicates of fd 0/1; fd 1 then follows stderr and fd 0 reads nothing."""
    protocol_in = os.fdopen(os.dup(0), 'r', encoding='utf-8')
    protocol_out = os.fdopen(os.dup(1), 'w', encoding='utf-8')
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdout = sys.stderr
    return protocol_in, protocol_out


def configure_logging():
    """Hook logs (automation.logger, utils.logger) go to stderr, one line per record with its level;
    CM_CUSTOMIZE_HOST_LOG_LEVEL (default INFO) picks how much."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter('[%(levelname)s] %(message)s'))
    logger.addHandler(handler)
    level = getattr(logging, os.environ.get('CM_CUSTOMIZE_HOST_LOG_LEVEL', 'INFO').upper(), None)
    logger.setLevel(level if isinstance(level, int) else logging.INFO)
    logger.propagate = False


def restore_engine_path():
    """PATH as the engine has it: a wrapper that started this interpreter (pyenv's shim, conda) may have put its own
    folders first, and hooks look tools up on PATH (find_artifact), as CM does in its own process."""
    engine_path = os.environ.pop('CM_CUSTOMIZE_HOST_PATH', None)
    if engine_path is not None:
        os.environ['PATH'] = engine_path


def watch_engine():
    """When the engine started this host as the leader of its own process group (setsid) and then dies without
    shutting it down (kill -9, a crash), end the whole group: this host and whatever its hooks started. The engine's
    death shows as a new parent; polled, since a hook may hold the main thread for hours."""
    if os.name != 'posix' or os.getpgrp() != os.getpid():
        return
    engine = os.getppid()

    def watch():
        while os.getppid() == engine:
            time.sleep(0.25)
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name='cm-engine-watch', daemon=True).start()


def main():
    sys.dont_write_bytecode = True
    watch_engine()
    restore_engine_path()
    protocol_in, protocol_out = claim_stdio()
    configure_logging()
    channel = Channel(protocol_in, protocol_out, run_call)
    connect(channel)
    try:
        channel.serve_forever()
    except EngineGone:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
