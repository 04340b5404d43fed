"""Finding tools on disk for get-* scripts (automation.find_artifact and its helpers), as CM does it: search the
forced path or the default PATH-like list, optionally run the script's version detection on each candidate and keep
those within the wanted version range."""

import copy
import glob
import os
import re

from cm_native_script import prepare_and_run_script
from cm_versions import check_version_constraints

# Versioned names CM also accepts for a file name (python3 -> python3.11, gcc -> gcc-12, ...).
_NAME_SUFFIXES = ['', '.[0-9]', '.[0-9][0-9]', '-[0-9]', '-[0-9][0-9]', '[0-9]', '[0-9][0-9]', '[0-9].[0-9]',
                  '[0-9][0-9].[0-9]', '[0-9][0-9].[0-9][0-9]']


def _same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _candidates(path, file_name, file_is_re):
    """Files in `path` named `file_name` (a regex, or a name plus CM's versioned suffixes)."""
    if file_is_re:
        return [os.path.join(path, f) for f in os.listdir(path) if re.match(file_name, f)]
    found = []
    for suffix in _NAME_SUFFIXES:
        found += glob.glob(os.path.join(path, file_name) + suffix)
    return found


def _collect(paths, file_name, file_is_re, hook):
    """Every candidate file in `paths`, each real file once, minus those the hook skips."""
    found = []
    for path in paths:
        if not os.path.isdir(path):
            continue
        for f in _candidates(path, file_name, file_is_re):
            if os.path.isdir(f) or any(_same_file(existing, f) for existing in found):
                continue
            if hook is not None:
                r = hook({'file': f})
                if r['return'] > 0:
                    return r
                if r['skip']:
                    continue
            found.append(f)
    return {'return': 0, 'found_files': found}


def _version_query(env, prefix):
    return (env.get(prefix + 'VERSION', ''), env.get(prefix + 'VERSION_MIN', ''), env.get(prefix + 'VERSION_MAX', ''))


def describe_version_query(version, version_min, version_max):
    """' == 1.2 >= 1.0' for the log, '' when there are no constraints."""
    text = ''
    if version != '':
        text += ' == {}'.format(version)
    if version_min != '':
        text += ' >= {}'.format(version_min)
    if version_max != '':
        text += ' <= {}'.format(version_max)
    return text


def _keep_good_versions(automation, found_files, i):
    """The candidates whose detected version (run script + detect_version) meets the env's constraints."""
    env = i.get('env', {})
    rsi = i['run_script_input']
    version, version_min, version_max = _version_query(env, automation.prefix)
    spaces = automation.recursion_spaces
    query = describe_version_query(version, version_min, version_max)
    if query != '':
        automation.logger.info(spaces + '  - Searching for versions: {}'.format(query))
    good = []
    for path_to_file in found_files:
        automation.logger.info(spaces + '    * ' + path_to_file)
        rsi['env'] = env
        rsi['env'][i['env_path_key']] = path_to_file
        rsi['recursion_spaces'] = spaces + '    '
        rx = prepare_and_run_script(rsi, postprocess='detect_version')
        rsi['recursion_spaces'] = spaces
        if rx['return'] > 0:
            if rx['return'] != 2:
                return rx
            continue
        detected = rx.get('version', '')
        if detected == '':
            continue
        if detected == -1:
            automation.logger.info(spaces + '    SKIPPED due to incompatibility ...')
            continue
        ry = check_version_constraints({'detected_version': detected, 'version': version,
                                        'version_min': version_min, 'version_max': version_max})
        if ry['skip']:
            automation.logger.info(spaces + '    SKIPPED due to version constraints ...')
        else:
            good.append(path_to_file)
    return {'return': 0, 'found_files': good}


def _select_one(automation, found_files):
    """CM asks the user when several files remain and quiet is off; the host has no terminal, so it takes the
    first (CM's default answer) and logs the choice."""
    spaces = automation.recursion_spaces
    automation.logger.info(spaces + '  - More than 1 path found:')
    for number, file in enumerate(found_files):
        automation.logger.info(spaces + '  {}) {}'.format(number, file))
    automation.logger.info(spaces + '  Selected 0: {}'.format(found_files[0]))
    return [found_files[0]]


def find_file_in_paths(automation, i):
    """automation.find_file_in_paths: 'found_files' in i['paths'] named i['file_name'] (or i['file_name_re'])."""
    automation.recursion_spaces = i.get('recursion_spaces', automation.recursion_spaces)
    file_name = i.get('file_name', '')
    file_is_re = i.get('file_name_re', '') != ''
    if file_is_re:
        file_name = i['file_name_re']
    if file_name == '':
        raise Exception('file_name or file_name_re not specified in find_artifact')
    r = _collect(i['paths'], file_name, file_is_re, i.get('hook'))
    if r['return'] > 0 or not i.get('select', False):
        return r
    found_files = r['found_files']
    if i.get('detect_version', False):
        r = _keep_good_versions(automation, found_files, i)
        if r['return'] > 0:
            return r
        found_files = r['found_files']
    if len(found_files) > 1:
        found_files = [found_files[0]] if i.get('select_default', False) else _select_one(automation, found_files)
    return {'return': 0, 'found_files': found_files}


def get_default_path_list(i):
    """The host's own PATH-like variable named by i['default_path_env_key'], split ([] when no key)."""
    key = i.get('default_path_env_key', '')
    if key == '':
        return []
    return os.environ.get(key, '').split(i['os_info']['env_separator'])


def _priority_folders(automation, env, force_given_path):
    """<P>SEARCH_FOLDER_PATH and its subfolders (up to <P>TMP_FOLDER_MAX_DEPTH levels), searched first."""
    prefix = automation.prefix
    folder = env.get(prefix + 'SEARCH_FOLDER_PATH', '').strip()
    if not folder or not os.path.isdir(folder) or force_given_path:
        return []
    automation.logger.info(automation.recursion_spaces + '    # Prioritizing search in folder: {}'.format(folder))
    folders = [folder]
    max_depth = int(env.get(prefix + 'TMP_FOLDER_MAX_DEPTH', '4'))
    for root, dirs, _ in os.walk(folder):
        if root[len(folder):].count(os.sep) >= max_depth:
            dirs[:] = []
        if root not in folders:
            folders.append(root)
    return folders


def _search_paths(path_list, file_name):
    """The folders to search, in order, each once (compared as folder/file_name, as CM does)."""
    seen = []
    for path in path_list:
        candidate = os.path.join(path, file_name)
        if candidate not in seen:
            seen.append(candidate)
    return [os.path.dirname(p) for p in seen]


def _record_found(env, found_path, default_path_list, i):
    """Put a tool found outside the default paths on the env's +<default key> (and its extra folders)."""
    if found_path in default_path_list:
        return
    env_key = '+' + i.get('default_path_env_key', '')
    paths = env.get(env_key, [])
    if found_path not in paths:
        paths.insert(0, found_path)
        env[env_key] = paths
    extra_paths = i.get('extra_paths', {})
    for extra_path in extra_paths:
        candidate = os.path.normpath(os.path.join(found_path, '..', extra_path))
        if os.path.exists(candidate):
            env.setdefault(extra_paths[extra_path], []).append(candidate)


def find_artifact(automation, i):
    """automation.find_artifact: find i['file_name'] in <P>TMP_PATH (forced), <P>INPUT (a forced file),
    <P>SEARCH_FOLDER_PATH and the default path list; on success set env[env_path_key] and, outside the default
    paths, +PATH-like keys. {'return': 16} when nothing fits."""
    prefix = automation.prefix
    file_name = i['file_name']
    os_info = i['os_info']
    env = i['env']
    env_path_key = i.get('env_path_key', '')
    rsi = i.get('run_script_input', {})
    env_copy = copy.deepcopy(env)
    state_copy = copy.deepcopy(rsi.get('state', {}))
    automation.recursion_spaces = i.get('recursion_spaces', automation.recursion_spaces)

    path = env.get(prefix + 'TMP_PATH', '')
    if path != '' and env.get(prefix + 'TMP_PATH_IGNORE_NON_EXISTANT', '') != 'yes':
        for p in path.split(os_info['env_separator']):
            if p.strip() != '' and not os.path.isdir(p):
                return {'return': 1, 'error': 'path {} doesn\'t exist'.format(p)}
    force_given_path = i.get('force_given_path', False) if path != '' else False
    forced_file = env.get(prefix + 'INPUT', '').strip()
    if forced_file != '':
        if not os.path.isfile(forced_file):
            return {'return': 1, 'error': 'file {} doesn\'t exist'.format(forced_file)}
        file_name = os.path.basename(forced_file)
        path = os.path.dirname(forced_file)

    default_path_list = [] if force_given_path else get_default_path_list(i)
    priority = _priority_folders(automation, env, force_given_path)
    if path == '':
        path_list = priority + default_path_list
    else:
        automation.logger.info(automation.recursion_spaces + '    # Requested paths: {}'.format(path))
        path_list = path.split(os_info['env_separator']) + priority

    r = find_file_in_paths(automation, {
        'paths': _search_paths(path_list, file_name), 'file_name': file_name, 'select': True,
        'select_default': env.get(prefix + 'QUIET', '') == 'yes', 'detect_version': i.get('detect_version', False),
        'env_path_key': env_path_key, 'env': env_copy, 'hook': i.get('hook'), 'run_script_input': rsi,
        'recursion_spaces': automation.recursion_spaces})
    rsi['state'] = state_copy
    if r['return'] > 0:
        return r
    if len(r['found_files']) == 0:
        return {'return': 16, 'error': '{} not found'.format(file_name)}

    file_path = r['found_files'][0]
    found_path = os.path.dirname(file_path)
    _record_found(env, found_path, default_path_list, i)
    automation.logger.info(automation.recursion_spaces + '    # Found artifact in {}'.format(file_path))
    if env_path_key != '':
        env[env_path_key] = file_path
    return {'return': 0, 'found_path': found_path, 'found_file_path': file_path,
            'found_file_name': os.path.basename(file_path), 'default_path_list': default_path_list}


def find_file_deep(i):
    """automation.find_file_deep: folders under i['paths'] (recursively) holding i['file_name'], optionally only
    those containing one of i['restrict_paths']."""
    file_name = i['file_name']
    restrict_paths = i.get('restrict_paths', [])
    found = []
    for p in i['paths']:
        if not os.path.isdir(p):
            continue
        for f in os.listdir(p):
            full = os.path.join(p, f)
            if os.path.isdir(full):
                found += find_file_deep({'paths': [full], 'file_name': file_name})['found_paths']
            elif f == file_name:
                found.append(p)
                break
    if found and restrict_paths:
        found = [p for p in found if any(r in p for r in restrict_paths)]
    return {'return': 0, 'found_paths': found}


def find_file_back(i):
    """automation.find_file_back: the nearest folder at or above i['path'] holding the file i['file_name']
    ('' when none)."""
    path = i['path']
    while path != '':
        if os.path.isfile(os.path.join(path, i['file_name'])):
            break
        parent = os.path.dirname(path)
        path = '' if parent == path else parent
    return {'return': 0, 'found_path': path}
