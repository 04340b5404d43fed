"""Where and how a hook's code runs: its customize.py loaded as a module (cached per version of the file), with the
script's Python path and its work folder as the current directory."""

import hashlib
import os
import sys
import types
from contextlib import contextmanager

HOST_DIR = os.path.dirname(os.path.abspath(__file__))
# sys.path as Python started it (less the host folder, which every call puts first again).
_BASE_PATH = [p for p in sys.path if os.path.abspath(p or '.') != HOST_DIR]
# Folders hooks appended to sys.path themselves: CM's sys.path keeps them for later hooks, so ours does too.
_HOOK_ADDED_PATH = []
# customize.py path -> ((mtime, size), module); a changed file is loaded again.
_LOADED = {}


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
    saved_cwd = _current_dir()
    sys.path[:] = list(dict.fromkeys(wanted))
    before = set(sys.path)
    try:
        if work_dir:
            os.chdir(work_dir)
        yield
    finally:
        _HOOK_ADDED_PATH.extend(p for p in sys.path if p not in before and p not in _HOOK_ADDED_PATH)
        sys.path[:] = saved_path
        if saved_cwd is not None and os.path.isdir(saved_cwd):
            os.chdir(saved_cwd)


def _current_dir():
    """The cwd, or None when it no longer exists: the host outlives the work folders of earlier steps, and an engine
    that reuses a step's folder name removes the old one first."""
    try:
        return os.getcwd()
    except FileNotFoundError:
        return None
