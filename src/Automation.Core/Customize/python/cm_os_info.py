"""CM's os_info: how to write, start and chain native scripts on this host (what hooks read as i['os_info'])."""

import copy
import platform
import struct
import subprocess

_cached = None


def _machine_bits(python_bits):
    """The OS word size: `getconf LONG_BIT` where it answers, else Python's own pointer size."""
    try:
        out = subprocess.run(['getconf', 'LONG_BIT'], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return python_bits
    bits = out.stdout.strip()
    return bits if out.returncode == 0 and 0 < len(bits) < 4 else python_bits


def _windows_info():
    return {
        'platform': 'windows',
        'bat_ext': '.bat',
        'set_env': 'set ${key}=${value}',
        'env_separator': ';',
        'env_quote': '\'',
        'env_var': '%env_var%',
        'bat_rem': 'rem ${rem}',
        'run_local_bat': 'call ${bat_file}',
        'run_local_bat_from_python': 'call ${bat_file}',
        'run_bat': 'call ${bat_file}',
        'start_script': ['@echo off', ''],
    }


def _unix_info(name):
    return {
        'platform': name,
        'bat_ext': '.sh',
        'set_env': 'export ${key}="${value}"',
        'env_separator': ':',
        'env_quote': '"',
        'env_var': '${env_var}',
        'set_exec_file': 'chmod 755 "${file_name}"',
        'bat_rem': '# ${rem}',
        'run_local_bat': '. ./${bat_file}',
        'run_local_bat_from_python': 'bash -c ". ./${bat_file}"',
        'run_bat': '. ${bat_file}',
        'start_script': ['#!/bin/bash', ''],
    }


def _base_info():
    """The prefix-independent part, computed once per host process (getconf is a process start)."""
    global _cached
    if _cached is None:
        system = platform.system().lower()
        if system.startswith('win'):
            info = _windows_info()
        else:
            info = _unix_info('darwin' if system.startswith('darwin') else 'linux')
        python_bits = str(8 * struct.calcsize('P'))
        info['python_bits'] = python_bits
        info['bits'] = '64' if info['platform'] == 'windows' and platform.machine().endswith('64') \
            else _machine_bits(python_bits)
        _cached = info
    return _cached


def host_os_info(prefix='MLC_'):
    """A fresh os_info dict (hooks may change theirs); its env keys carry the library's prefix (MLC_ or CM_)."""
    info = copy.deepcopy(_base_info())
    env = {prefix + 'WINDOWS': 'yes'} if info['platform'] == 'windows' else {}
    env[prefix + 'HOST_PLATFORM_FLAVOR'] = platform.machine()
    env[prefix + 'HOST_OS_TYPE'] = info['platform']
    info['env'] = env
    return info
