"""Serving one `call`: build the hook's `i`, run the hook (cm_hook_loading) and turn what happened into the
`result` message (cm_hook_errors for failures)."""

import os

from cm_automation import Automation
from cm_hook_errors import ReturnLine, error_kind, error_message, failure_line, failure_result, hook_traceback
from cm_hook_loading import hook_surroundings, load_customize
from cm_host_access import Item, repos_folder
from cm_host_json import json_safe, json_safe_entries
from cm_os_info import host_os_info

_RESULT_KEYS = ('return', 'error', 'skip', 'version')
# Keys of i that hooks index directly (CM always sets them), with a maker for an absent one.
_INPUT_DEFAULTS = (('const', dict), ('const_state', dict), ('input', dict), ('recursion_spaces', str),
                   ('script_tags', list), ('variation_tags', list))
# CM's temporary file names, for a run_script_input that does not name them.
_RUN_SCRIPT_DEFAULTS = (('tmp_file_run', 'tmp-run'), ('tmp_file_run_env', 'tmp-run-env.out'),
                        ('tmp_file_run_state', 'tmp-run-state.json'), ('tmp_file_state', 'tmp-state.json'))


class HookInput:
    """The `i` of one hook call, plus the dicts whose final state goes back to the engine."""

    def __init__(self, message):
        i = dict(message.get('i') or {})
        self.env = i.setdefault('env', {})
        self.state = i.setdefault('state', {})
        self.meta = i.setdefault('meta', {})
        self.work_dir = i.get('work_dir', '')
        self.rsi = i.setdefault('run_script_input', {})
        prefix = self.rsi.get('env_prefix') or 'MLC_'
        os_info = host_os_info(prefix)
        artifact = Item(i.get('artifact') or {})
        for key, make in _INPUT_DEFAULTS:
            i.setdefault(key, make())
        automation = Automation(prefix, self.env, self.state, os_info, i['recursion_spaces'],
                                i.get('repos_path') or repos_folder(artifact))
        i.update({'os_info': os_info, 'automation': automation, 'artifact': artifact})
        self.i = i
        # What CM hands to a detect_version that a helper (find_artifact, ...) calls on the hook's behalf.
        self.common = {'input': i['input'], 'automation': automation, 'artifact': artifact,
                       'customize': self.meta.get('customize', {}), 'os_info': os_info,
                       'recursion_spaces': i['recursion_spaces'], 'script_tags': i['script_tags'],
                       'variation_tags': i['variation_tags']}

    def bind(self, module, hook):
        """Fill run_script_input with the Python objects CM keeps there (same dicts as the hook's, as in CM)."""
        self.rsi.update({'os_info': self.i['os_info'], 'self': self.i['automation'], 'customize_code': module,
                         'customize_common_input': self.common, 'state': self.state, 'meta': self.meta,
                         'const': self.i['const'], 'const_state': self.i['const_state']})
        for key, default in _RUN_SCRIPT_DEFAULTS:
            self.rsi.setdefault(key, default)
        self.rsi.setdefault('bat_ext', self.i['os_info']['bat_ext'])
        self.rsi.setdefault('recursion_spaces', self.i['recursion_spaces'])
        if hook == 'postprocess':
            self.rsi['env'] = self.env


def _success_result(call_id, returned, hook_input):
    result = {'op': 'result', 'id': call_id, 'return': 0, 'skip': bool(returned.get('skip', False)),
              'env': json_safe(hook_input.env), 'state': json_safe(hook_input.state),
              'meta': json_safe(hook_input.meta), 'script_name': str(hook_input.rsi.get('script_name', '')),
              'extra': json_safe_entries({k: v for k, v in returned.items() if k not in _RESULT_KEYS})}
    if 'version' in returned:
        result['version'] = str(returned['version'])
    return result


def _returned_result(call_id, hook, returned, line):
    """The result for a hook's own return value: success, or its non-zero 'return' as a `returned` error."""
    if not isinstance(returned, dict):
        return None, failure_result(call_id, 'returned', "{}() returned {!r}, not a dict with 'return'".format(
            hook, returned), line, '')
    try:
        code = int(returned.get('return', 0))
    except (TypeError, ValueError):
        code = 1
    if code == 0:
        return returned, None
    message = str(returned.get('error') or "{}() returned {{'return': {}}} without an error".format(
        hook, returned.get('return')))
    return None, failure_result(call_id, 'returned', message, line, '', code)


def run_call(message):
    """Serve one `call` message and return the `result` message (never raises for what the hook does)."""
    call_id = message.get('id')
    path = message.get('customize', '')
    hook = message.get('hook', '')
    try:
        hook_input = HookInput(message)
        with hook_surroundings(hook_input.work_dir, os.path.dirname(path), hook_input.env):
            module = load_customize(path)
            function = getattr(module, hook, None)
            if function is None:
                # CM runs a hook only where customize.py defines it.
                return _success_result(call_id, {'return': 0}, hook_input)
            hook_input.bind(module, hook)
            with ReturnLine(function) as returned_from:
                returned = function(hook_input.i)
        ok, failure = _returned_result(call_id, hook, returned, returned_from.line)
        return failure if failure is not None else _success_result(call_id, ok, hook_input)
    except (Exception, SystemExit) as error:
        return failure_result(call_id, error_kind(error), error_message(error), failure_line(error, path),
                              hook_traceback(error))
