"""i['automation']: the CM/MLC script automation as hooks use it. One is made per hook call; its methods keep
CM's names, arguments and return dicts, with the library's env prefix (MLC_ or CM_) where CM reads env keys."""

import copy
import os

import cm_artifact_search
import cm_deps
from cm_artifact_search import describe_version_query
from cm_host_access import ActionObject
from cm_host_utils import load_txt, logger
from cm_native_script import prepare_and_run_script
from cm_versions import check_version_constraints


class Automation:
    """The `automation` object of one hook call."""

    tmp_file_env = 'tmp-env'
    tmp_file_env_all = 'tmp-env-all'
    tmp_file_run = 'tmp-run'
    tmp_file_state = 'tmp-state.json'
    tmp_file_run_state = 'tmp-run-state.json'
    tmp_file_run_env = 'tmp-run-env.out'
    tmp_file_ver = 'tmp-ver.out'

    def __init__(self, prefix, env, state, os_info, recursion_spaces='', repos_path=''):
        self.prefix = prefix
        self.flavour = 'CM' if prefix == 'CM_' else 'MLC'
        self.env = env
        self.state = state
        self.os_info = os_info
        self.recursion_spaces = recursion_spaces
        self.logger = logger
        self.action_object = ActionObject(logger, repos_path, 'script')
        self.cache_action = ActionObject(logger, repos_path, 'cache')
        # CM-format hooks reach the same API as automation.cmind.access(...).
        self.cmind = self.action_object
        self.run_state = {}

    def __deepcopy__(self, memo):
        # CM deep-copies the hook input, automation included; ours holds the pipe, so it is shared instead.
        return self

    def run_native_script(self, i):
        """Run the script's native script i['script_name'] with env i['env'] (changed in place, also returned as
        'env_tmp'); run_script_input's env, state and script_name are restored afterwards, as CM does."""
        rsi = i['run_script_input']
        env_copy = copy.deepcopy(rsi.get('env', {}))
        state_copy = copy.deepcopy(rsi.get('state', {}))
        script_name_copy = rsi.get('script_name', '')
        rsi['script_name'] = i['script_name']
        rsi['env'] = i.get('env', '')
        r = prepare_and_run_script(rsi, 'detect_version' if i.get('detect_version', '') else '')
        r['env_tmp'] = copy.deepcopy(rsi['env'])
        rsi['state'] = state_copy
        rsi['env'] = env_copy
        rsi['script_name'] = script_name_copy
        return r

    def detect_version_using_script(self, i):
        """Run the script's run script and detect_version with i['env'] and check <P>VERSION/_MIN/_MAX:
        'detected_version', or return 16 when no fitting version was found."""
        self.recursion_spaces = i.get('recursion_spaces', self.recursion_spaces)
        env = i.get('env', {})
        rsi = i['run_script_input']
        version, version_min, version_max = (env.get(self.prefix + k, '') for k in ('VERSION', 'VERSION_MIN',
                                                                                     'VERSION_MAX'))
        query = describe_version_query(version, version_min, version_max)
        if query != '':
            self.logger.info(self.recursion_spaces + '  - Searching for versions: {}'.format(query))
        rsi['recursion_spaces'] = self.recursion_spaces + '    '
        rsi['env'] = env
        rx = prepare_and_run_script(rsi, 'detect_version')
        detected = rx.get('version', '') if rx['return'] == 0 else ''
        if detected != '':
            ry = check_version_constraints({'detected_version': detected, 'version': version,
                                            'version_min': version_min, 'version_max': version_max})
            if not ry['skip']:
                return {'return': 0, 'detected_version': detected}
        return {'return': 16, 'error': 'version was not detected'}

    def find_artifact(self, i):
        return cm_artifact_search.find_artifact(self, i)

    def find_file_in_paths(self, i):
        return cm_artifact_search.find_file_in_paths(self, i)

    def find_file_deep(self, i):
        return cm_artifact_search.find_file_deep(i)

    def find_file_back(self, i):
        return cm_artifact_search.find_file_back(i)

    def get_default_path_list(self, i):
        return cm_artifact_search.get_default_path_list(i)

    def parse_version(self, i):
        """Read a version from i['file_name'] (tmp-ver.out) with regex group i['group_number'] (optionally joined
        with group_number_extra) into which_env[env_key] and <P>DETECTED_VERSION."""
        file_name = i.get('file_name', '') or self.tmp_file_ver
        # CM keeps a meta's numbers as ints in env; the engine passes env as strings, so a group number read from env
        # ('MLC_TMP_VERSION_DETECT_GROUP_NUMBER') arrives as "1".
        group_number = int(i['group_number'])
        r = load_txt(file_name=file_name, check_if_exists=True, split=True, match_text=i['match_text'],
                     fail_if_no_match='version was not detected')
        if r['return'] > 0:
            if r.get('string', '') != '':
                r['error'] += ' ({})'.format(r['string'])
            return r
        match = r['match']
        if not match.lastindex or match.lastindex < group_number:
            return {'return': 1, 'error': 'Invalid version detection group number. Version was not detected. '
                    'Last index of match = {}. Given group number = {}'.format(match.lastindex, group_number)}
        version = match.group(group_number)
        extra = int(i['group_number_extra']) if str(i.get('group_number_extra') or '').strip() else None
        if extra and match.lastindex >= extra:
            version += '{}{}'.format(i.get('group_join_string', '-'), match.group(extra))
        which_env = i['which_env']
        which_env[i['env_key']] = version
        which_env[self.prefix + 'DETECTED_VERSION'] = version
        return {'return': 0, 'version': version, 'string': r['string']}

    def update_deps(self, i):
        """Update i['deps'] (the hook's meta deps) by dep name from i['update_deps']."""
        return cm_deps.update_deps(i['deps'], i['update_deps'], i.get('env', {}), self.prefix)

    def clean_some_tmp_files(self, i):
        """Remove tmp-run.bat and tmp-state.json from the folder the last native script ran in."""
        work_dir = i.get('env', {}).get(self.prefix + 'TMP_CURRENT_SCRIPT_WORK_PATH', '')
        if work_dir != '' and os.path.isdir(work_dir):
            for name in ('tmp-run.bat', 'tmp-state.json'):
                path = os.path.join(work_dir, name)
                if os.path.isfile(path):
                    os.remove(path)
        return {'return': 0}

    def _available_variations(self, i):
        """The error CM gives when a hook needs a variation that was not chosen: the script's variations."""
        meta = i['meta']
        variations = sorted('_' + v for v in meta.get('variations', {}))
        return {'return': 1, 'error': 'python package variation is not defined in "{}". Available: {}'.format(
            meta.get('alias', ''), ' '.join(variations))}
