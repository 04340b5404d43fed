"""The helpers hooks reach as `mlc.utils` / `cmind.utils` (and, re-exported, the top-level `utils`).

Each keeps the name, arguments and CM return dict ({'return': 0, ...} or {'return': 1, 'error': ...}) that the
script libraries call; the bodies are our own, standard library only (PyYAML is imported where YAML is read).
"""

import json
import logging
import os
import re
import shutil
import subprocess
import tarfile
import uuid
import zipfile
import datetime as _datetime

# The logger hooks get as automation.logger and `from utils import logger`; the host attaches a stderr handler.
logger = logging.getLogger('mlc')


def is_true(val):
    """CM's yes-like values: 1/true/on/yes, any case."""
    return str(val).lower() in ['1', 'true', 'on', 'yes']


def is_false(val):
    """CM's no-like values: 0/false/off/no, any case (an empty value is neither)."""
    return str(val).lower() in ['0', 'false', 'off', 'no']


def check_if_true_yes_on(env, key):
    """CM's older spelling of is_true(env[key])."""
    return is_true(env.get(key, ''))


def load_txt(file_name, check_if_exists=False, split=False, match_text=None,
             fail_if_no_match=None, remove_after_read=False, encoding=None):
    """Read a text file; `split` adds its lines as 'list', `match_text` a regex search as 'match'."""
    if check_if_exists and not os.path.isfile(file_name):
        return {'return': 1, 'error': "File '{}' does not exist.".format(file_name)}
    try:
        with open(file_name, 'r', encoding=encoding) as f:
            content = f.read()
    except Exception as e:
        return {'return': 1, 'error': str(e)}
    match = re.search(match_text, content) if match_text else None
    if match_text and match is None and fail_if_no_match:
        return {'return': 1, 'error': fail_if_no_match}
    if remove_after_read:
        os.remove(file_name)
    result = {'return': 0, 'string': content}
    if split:
        result['list'] = content.splitlines()
    if match is not None:
        result['match'] = match
    return result


def save_txt(file_name, string='', encoding=None):
    """Write a string to a file."""
    try:
        with open(file_name, 'w', encoding=encoding) as f:
            f.write(string)
    except Exception as e:
        return {'return': 1, 'error': str(e)}
    return {'return': 0, 'error': ''}


def load_json(file_name, encoding=None, check_if_exists=False):
    """Read a JSON file into 'meta'."""
    if check_if_exists and not os.path.isfile(file_name):
        return {'return': 16, 'error': "File '{}' not found.".format(file_name)}
    try:
        with open(file_name, 'r', encoding=encoding) as f:
            return {'return': 0, 'meta': json.load(f)}
    except FileNotFoundError:
        return {'return': 1, 'error': "File '{}' not found.".format(file_name)}
    except json.JSONDecodeError:
        return {'return': 1, 'error': "Error decoding JSON in file '{}'.".format(file_name)}
    except Exception as e:
        return {'return': 1, 'error': 'An unexpected error occurred: {}'.format(e)}


def save_json(file_name, meta={}, indent=4, sort_keys=False, encoding=None):
    """Write `meta` as JSON."""
    try:
        with open(file_name, 'w', encoding=encoding) as f:
            json.dump(meta, f, indent=indent, sort_keys=sort_keys)
    except Exception as e:
        return {'return': 1, 'error': str(e)}
    return {'return': 0, 'error': ''}


def read_json(filepath):
    """The parsed JSON file, or None when it cannot be read (MLC's lenient reader)."""
    r = load_json(filepath)
    if r['return'] > 0:
        logger.info('Error reading JSON file {}: {}'.format(filepath, r['error']))
        return None
    return r['meta']


def load_yaml(file_name, check_if_exists=False, encoding=None):
    """Read a YAML file into 'meta' (PyYAML's safe loader)."""
    import yaml
    if check_if_exists and not os.path.isfile(file_name):
        return {'return': 16, 'error': "File '{}' not found.".format(file_name)}
    try:
        with open(file_name, 'r', encoding=encoding) as f:
            return {'return': 0, 'meta': yaml.safe_load(f)}
    except Exception as e:
        return {'return': 1, 'error': 'problem reading YAML file {}: {}'.format(file_name, e)}


def read_yaml(filepath):
    """The parsed YAML file, or None when it cannot be read (MLC's lenient reader)."""
    r = load_yaml(filepath)
    if r['return'] > 0:
        logger.info('Error reading YAML file {}: {}'.format(filepath, r['error']))
        return None
    return r['meta']


def save_yaml(file_name, meta={}, sort_keys=True):
    """Write `meta` as block-style YAML."""
    import yaml
    try:
        with open(file_name, 'w') as f:
            yaml.dump(meta, f, default_flow_style=False, sort_keys=sort_keys)
    except Exception as e:
        return {'return': 1, 'error': str(e)}
    return {'return': 0, 'error': ''}


def _merge_lists(existing, extra, append_unique):
    """Concatenated lists; with `append_unique`, later duplicates dropped (dicts compared by their items)."""
    if not append_unique:
        return existing + extra
    seen = []
    merged = []
    for item in existing + extra:
        if item not in seen:
            seen.append(item)
            merged.append(item)
    return merged


def merge_dicts(params, in_place=True):
    """Merge dict2 into dict1 recursively; lists are replaced, or appended with append_lists (unique with
    append_unique). Returns the merged dict as 'merged' and 'dict1'."""
    dict1 = params.get('dict1', {})
    dict2 = params.get('dict2', {})
    merged = dict1 if in_place else dict(dict1)
    if dict1 == dict2:
        return {'return': 0, 'merged': merged, 'dict1': merged}
    append_lists = params.get('append_lists', False)
    append_unique = params.get('append_unique', False)
    for key, value in dict2.items():
        existing = merged.get(key)
        if isinstance(existing, dict) and isinstance(value, dict):
            nested = dict(params, dict1=existing, dict2=value)
            merge_dicts(nested, in_place)
        elif isinstance(existing, list) and isinstance(value, list) and append_lists:
            merged[key] = _merge_lists(existing, value, append_unique)
        else:
            merged[key] = value
    return {'return': 0, 'merged': merged, 'dict1': merged}


def convert_env_to_dict(env_text):
    """KEY=VALUE lines (what run scripts write to tmp-run-env.out) as a dict; both sides stripped."""
    env = {}
    for line in env_text.splitlines():
        line = line.strip()
        if line and '=' in line:
            key, value = line.split('=', 1)
            env[key.strip()] = value.strip()
    return {'return': 0, 'dict': env}


def convert_tags_to_list(tags_string):
    """'a, b,,c' as ['a', 'b', 'c']."""
    if not isinstance(tags_string, str):
        return {'return': 1, 'error': 'Input must be a string.'}
    return {'return': 0, 'tags': [t.strip() for t in tags_string.split(',') if t.strip()]}


def run_system_cmd(i):
    """Run i['cmd'] through the shell in i['path']; stdout/stderr are captured, not shown."""
    path = i.get('path', '.')
    cmd = i.get('cmd', '')
    if not cmd:
        return {'return': 1, 'error': 'No command provided to execute.'}
    if not os.path.exists(path):
        return {'return': 1, 'error': "Specified path does not exist: '{}'".format(path)}
    try:
        done = subprocess.run(cmd, cwd=path, shell=True, check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as e:
        return {'return': 1, 'error': 'Command execution failed with error code {}.'.format(e.returncode),
                'error_output': e.stderr.strip()}
    except Exception as e:
        return {'return': 1, 'error': 'Unexpected error occurred: {}'.format(e)}
    return {'return': 0, 'output': done.stdout.strip(), 'error_output': done.stderr.strip()}


def generate_temp_file(i):
    """Create a uniquely named file in the current folder (prefix/suffix/string from i)."""
    name = '{}{}{}'.format(i.get('prefix', ''), uuid.uuid4().hex, i.get('suffix', ''))
    r = save_txt(name, i.get('string', ''))
    if r['return'] > 0:
        return r
    return {'return': 0, 'file_name': name}


# CM's name for the same helper.
gen_tmp_file = generate_temp_file


def get_new_uid():
    """A new 16-hex-digit CM uid."""
    return {'return': 0, 'uid': uuid.uuid4().hex[:16]}


# CM's name for the same helper.
gen_uid = get_new_uid


def is_uid(name):
    """Whether `name` looks like a CM uid (16 hex digits)."""
    return bool(re.fullmatch(r'[0-9a-fA-F]{16}', name))


def get_current_date_time(i=None):
    """The current UTC time in ISO form (CM's 'iso_datetime')."""
    now = _datetime.datetime.now(_datetime.timezone.utc)
    return {'return': 0, 'iso_datetime': now.isoformat(), 'datetime': now}


def _strip_parts(name, strip_folders):
    """An archive member path with its first `strip_folders` folders removed ('' when nothing is left)."""
    parts = name.split('/')
    return '/'.join(parts[strip_folders:]) if len(parts) > strip_folders else ''


def extract_file(options):
    """Unpack a zip or tar archive into an 'extracted' folder next to it, dropping `strip_folders` levels."""
    filename = options.get('filename')
    strip_folders = options.get('strip_folders', 0)
    if not filename or not os.path.exists(filename):
        raise FileNotFoundError('File not found: {}'.format(filename))
    target = os.path.join(os.path.dirname(filename), 'extracted')
    os.makedirs(target, exist_ok=True)
    if zipfile.is_zipfile(filename):
        with zipfile.ZipFile(filename) as archive:
            for member in archive.namelist():
                relative = _strip_parts(member, strip_folders)
                if not relative:
                    continue
                destination = os.path.normpath(os.path.join(target, relative))
                if member.endswith('/'):
                    os.makedirs(destination, exist_ok=True)
                    continue
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                with archive.open(member) as source, open(destination, 'wb') as sink:
                    shutil.copyfileobj(source, sink)
    elif tarfile.is_tarfile(filename):
        with tarfile.open(filename) as archive:
            for member in archive.getmembers():
                if strip_folders:
                    member.name = _strip_parts(member.name, strip_folders)
                    if not member.name:
                        continue
                archive.extract(member, path=target)
    else:
        raise ValueError('Unsupported file format: {}'.format(filename))
    logger.info('Extraction complete. Files extracted to: {}'.format(target))


def print_env(env, yaml=True, sort_keys=True, begin_spaces=None):
    """Print env (hooks use it for debugging; it goes to stderr like every print in the host)."""
    text = json.dumps(env, indent=4, sort_keys=sort_keys, default=str)
    if begin_spaces:
        text = '\n'.join(' ' * begin_spaces + line for line in text.splitlines())
    print(text)
