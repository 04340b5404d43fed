from cmind import utils
import os


def preprocess(i):
    os_info = i['os_info']
    env = i['env']
    if 'CM_GIT_DEMO_BIN_WITH_PATH' not in env:
        r = i['automation'].find_artifact({'file_name': 'git',
                                           'env': env,
                                           'os_info': os_info,
                                           'default_path_env_key': 'PATH',
                                           'detect_version': True,
                                           'env_path_key': 'CM_GIT_DEMO_BIN_WITH_PATH',
                                           'run_script_input': i['run_script_input'],
                                           'recursion_spaces': i['recursion_spaces']})
        if r['return'] > 0:
            return r
    return {'return': 0}


def detect_version(i):
    r = i['automation'].parse_version({'match_text': r'git version\s*([\d.]+)',
                                       'group_number': 1,
                                       'env_key': 'CM_GIT_DEMO_VERSION',
                                       'which_env': i['env']})
    if r['return'] > 0:
        return r
    return {'return': 0, 'version': r['version']}


def postprocess(i):
    env = i['env']
    r = detect_version(i)
    if r['return'] > 0:
        return r
    env['CM_GIT_DEMO_CACHE_TAGS'] = 'version-' + r['version']
    env['+PATH'] = [os.path.dirname(env['CM_GIT_DEMO_BIN_WITH_PATH'])]
    return {'return': 0, 'version': r['version']}
