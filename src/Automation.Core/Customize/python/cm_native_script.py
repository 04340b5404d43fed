"""Running a script's native run script from a hook, the way CM does it (run_native_script, version detection).

CM writes tmp-run.sh (or .bat) into the current folder: the env exported (`+KEY` lists prepended to KEY), then the
script's run-<os>.sh sourced; it runs it and merges tmp-run-env.out / tmp-run-state.json back into env and state,
then optionally calls the customize.py's detect_version. Results must equal MLCFlow's for the same script.
"""

import copy
import os
import re
import subprocess

from cm_host_utils import convert_env_to_dict, load_json, load_txt, merge_dicts, save_json, save_txt

_PLACEHOLDER = re.compile(r'<<<(.*?)>>>')


def update_env_with_values(env):
    """Expand <<<KEY>>> in env values from env itself (CM does this whenever it sets an env key);
    `+KEY` values must be lists."""
    for key, value in env.items():
        if key.startswith('+') and not isinstance(value, list):
            return {'return': 1, 'error': 'List value expected for {} in env'.format(key)}
        if isinstance(value, bool):
            continue
        for name in _PLACEHOLDER.findall(str(value)):
            if name not in env:
                continue
            marker = '<<<{}>>>'.format(name)
            if isinstance(value, str):
                value = value.replace(marker, str(env[name]))
            elif isinstance(value, list):
                value = [v.replace(marker, str(env[name])) if isinstance(v, str) else v for v in value]
        env[key] = value
    return {'return': 0}


def set_env_value(env, key, value):
    """Set one env key and expand placeholders, as CM's _update_env does."""
    env[key] = value
    return update_env_with_values(env)


def get_script_name(env, path, script_name, prefix):
    """The run script for this OS: the most specific run-<flavor>-<version>-<machine>.sh that exists, else run.sh."""
    flavor = env.get(prefix + 'HOST_OS_FLAVOR', '')
    flavor_like = env.get(prefix + 'HOST_OS_FLAVOR_LIKE', '')
    os_type = env.get(prefix + 'HOST_OS_TYPE', '')
    os_version = env.get(prefix + 'HOST_OS_VERSION', '') if flavor else ''
    machine = env.get(prefix + 'HOST_PLATFORM_FLAVOR', '')
    default = os.path.join(path, script_name + '.sh')
    try:
        available = set(os.listdir(path))
    except FileNotFoundError:
        return default
    if not any(f.startswith(script_name + '-') for f in available):
        return default

    def name(*parts):
        suffix = '-'.join(p for p in parts if p)
        return '{}-{}.sh'.format(script_name, suffix) if suffix else script_name + '.sh'

    candidates = [name(flavor, os_version, machine), name(flavor, os_version), name(flavor, machine), name(flavor),
                  name(flavor_like, machine), name(flavor_like), name(os_type, machine), name(os_type), name(machine)]
    for candidate in candidates:
        if candidate in available:
            return os.path.join(path, candidate)
    return default


def _windows_value(value):
    """Values with | & > < quoted for cmd, as CM does."""
    text = str(value)
    if '"' not in text and any(c in text for c in '|&><'):
        return '"{}"'.format(text)
    return text


def convert_env_to_script(env, os_info, start_script=None):
    """The env as set/export lines, keys sorted; `+KEY` lists become 'a:b:$KEY' (a leading non-alphanumeric
    character after '+' is the separator)."""
    script = copy.deepcopy(start_script) if start_script else []
    windows = os_info['platform'] == 'windows'
    for k in sorted(env):
        value = env[k]
        if windows:
            value = [_windows_value(v) for v in value] if isinstance(value, list) else _windows_value(value)
        key = k
        if k.startswith('+'):
            key = k[1:]
            separator = os_info.get('env_separator', ';')
            if not key[0].isalnum():
                separator = key[0]
                key = key[1:]
            value = '{}{}{}'.format(separator.join(str(v) for v in value), separator,
                                    os_info['env_var'].replace('env_var', key))
        elif isinstance(value, list):
            value = os_info.get('env_separator', ':').join(str(v) for v in value)
        quote = os_info.get('env_quote', '"')
        escaped = str(value).replace(quote, '\\' + quote)
        script.append(os_info['set_env'].replace('${key}', key).replace('${value}', escaped))
    return script


def record_script(file_name, lines, os_info):
    """Write the temporary script (executable where the OS has that notion)."""
    text = '\n'.join(lines)
    if not text.endswith('\n'):
        text += '\n'
    r = save_txt(file_name, text)
    if r['return'] > 0:
        return r
    if os_info.get('set_exec_file', '') != '':
        os.chmod(file_name, 0o755)
    return {'return': 0}


def _remove_if_present(file_name):
    if file_name != '' and os.path.isfile(file_name):
        os.remove(file_name)


def _print_files_on_error(meta, logger):
    """Show the files the meta names in print_files_if_script_error, as CM does when a run script fails."""
    for file_name in meta.get('print_files_if_script_error', []):
        if os.path.isfile(file_name):
            r = load_txt(file_name=file_name)
            if r['return'] == 0:
                logger.info('Print file {}:\n\n{}\n'.format(file_name, r['string']))


def _read_back(rsi, env, state):
    """Merge what the run script reported (tmp-run-state.json, tmp-run-env.out) into state and env."""
    state_file = rsi.get('tmp_file_run_state', '')
    if state_file != '' and os.path.isfile(state_file):
        r = load_json(file_name=state_file)
        if r['return'] > 0:
            return r
        merge_dicts({'dict1': state, 'dict2': r['meta'], 'append_lists': True, 'append_unique': True})
    env_file = rsi.get('tmp_file_run_env', '')
    if env_file != '' and os.path.isfile(env_file):
        r = load_txt(file_name=env_file)
        if r['return'] > 0:
            return r
        updated = convert_env_to_dict(r['string'])['dict']
        merge_dicts({'dict1': env, 'dict2': updated, 'append_lists': True, 'append_unique': True})
    return {'return': 0}


def _run_native(rsi, env, state, meta, path_to_run_script, automation):
    """Write tmp-run.<ext> for the script, run it in the current folder and read its results back."""
    os_info = rsi['os_info']
    logger = automation.logger
    _remove_if_present(rsi.get('tmp_file_run_state', ''))
    _remove_if_present(rsi.get('tmp_file_run_env', ''))
    run_script = rsi.get('tmp_file_run', 'tmp-run') + rsi['bat_ext']
    logger.debug('{}  - Running native script "{}" from temporal script "{}" in "{}" ...'.format(
        rsi.get('recursion_spaces', ''), path_to_run_script, run_script, os.getcwd()))
    lines = copy.deepcopy(os_info['start_script'])
    script_prefix = state.get('script_prefix', [])
    if len(script_prefix) > 0:
        lines += script_prefix + ['\n']
    lines += convert_env_to_script(env, os_info)
    lines.append('\n')
    lines.append(os_info['run_bat'].replace('${bat_file}', '"' + path_to_run_script + '"') + '\n')
    r = record_script(run_script, lines, os_info)
    if r['return'] > 0:
        return r
    command = os_info['run_local_bat_from_python'].replace('${bat_file}', run_script)
    rc = subprocess.run(command, shell=True).returncode
    if rc != 0:
        failure = 'Native run script failed inside {} script (name = {}, return code = {})'.format(
            automation.flavour, meta.get('alias', ''), rc)
        if not rsi.get('ignore_script_error', False):
            _print_files_on_error(meta, logger)
            return {'return': 2, 'error': failure}
        logger.warning(failure + '. Ignoring as ignore_script_error is set.')
    return _read_back(rsi, env, state)


def _call_detect_version(rsi, env, state, meta, recursion_spaces):
    """The customize.py's detect_version(i) on the env the native script left, as CM's run_detect_version."""
    module = rsi.get('customize_code')
    if module is None or not hasattr(module, 'detect_version'):
        return {'return': 0}
    env.update(rsi.get('const', {}))
    merge_dicts({'dict1': state, 'dict2': rsi.get('const_state', {}), 'append_lists': True, 'append_unique': True})
    common = rsi.get('customize_common_input', {})
    ii = copy.deepcopy(common)
    ii['env'] = env
    ii['state'] = state
    ii['meta'] = meta
    ii['recursion_spaces'] = recursion_spaces
    ii['automation'] = common.get('automation', rsi['self'])
    return module.detect_version(ii)


def _run_script_path(rsi, env, meta, prefix):
    """The run script's path, and whether the meta named it explicitly (then it must exist)."""
    script_name = rsi.get('script_name', '').strip()
    explicit = False
    if script_name == '':
        script_name = meta.get('script_name', '').strip()
        explicit = script_name != ''
    if script_name == '':
        script_name = 'run'
    path = rsi['path']
    if rsi['bat_ext'] == '.sh':
        return get_script_name(env, path, script_name, prefix), explicit
    return os.path.join(path, script_name + rsi['bat_ext']), explicit


def prepare_and_run_script(rsi, postprocess=''):
    """CM's prepare_and_run_script_with_postprocessing for hooks: run the script's native script (if it has one)
    with rsi['env'], then call detect_version when `postprocess` is 'detect_version'. Changes env/state in place."""
    automation = rsi['self']
    prefix = automation.prefix
    env = rsi.get('env', {})
    state = rsi.get('state', {})
    meta = rsi.get('meta', {})
    path_to_run_script, explicit = _run_script_path(rsi, env, meta, prefix)
    if explicit and not os.path.isfile(path_to_run_script):
        return {'return': 16, 'error': 'script {} not found - please add one'.format(path_to_run_script)}

    env.update(rsi.get('const', {}))
    merge_dicts({'dict1': state, 'dict2': rsi.get('const_state', {}), 'append_lists': True, 'append_unique': True})
    path = rsi['path']
    if rsi['os_info']['platform'] == 'windows' and ' ' in path:
        path = '"' + path + '"'
    for key, value in ((prefix + 'TMP_CURRENT_SCRIPT_PATH', path),
                       (prefix + 'TMP_CURRENT_SCRIPT_WORK_PATH', os.getcwd())):
        r = set_env_value(env, key, value)
        if r['return'] > 0:
            return r
    if rsi.get('tmp_file_state', '') != '':
        r = save_json(file_name=rsi['tmp_file_state'], meta=state)
        if r['return'] > 0:
            return r

    if os.path.isfile(path_to_run_script):
        r = _run_native(rsi, env, state, meta, path_to_run_script, automation)
        if r['return'] > 0:
            return r
    if postprocess == 'detect_version':
        return _call_detect_version(rsi, env, state, meta, rsi.get('recursion_spaces', ''))
    return {'return': 0}
