"""automation.run_native_script / detect_version_using_script: tmp-run.sh written as CM writes it, run in the
current folder, tmp-run-env.out and tmp-run-state.json merged back."""

import json
import os
import unittest

from host_support import TempFolder, detect_version_customize, in_process_automation

import cm_hook_loading
from cm_native_script import convert_env_to_script, get_script_name, update_env_with_values

RUN_SH = '''\
#!/bin/bash
echo "OUT=${IN}-done" > tmp-run-env.out
echo "EXTRA = spaced value " >> tmp-run-env.out
echo '{"from_script": ["s"]}' > tmp-run-state.json
'''


class NativeScriptTests(unittest.TestCase):

    def setUp(self):
        self.folder = TempFolder()
        self.script = self.folder.sub('script')
        self.work = self.folder.sub('work')
        self.cwd = os.getcwd()
        os.chdir(self.work)

    def tearDown(self):
        os.chdir(self.cwd)
        self.folder.cleanup()

    def test_run_native_script_runs_the_script_and_merges_its_env_and_state(self):
        self.folder.write('script/run.sh', RUN_SH)
        automation, rsi = in_process_automation(self.script)
        rsi['state']['before'] = ['b']
        env = {'IN': 'input', 'KEPT': 'k'}
        r = automation.run_native_script({'run_script_input': rsi, 'env': env, 'script_name': 'run'})
        self.assertEqual(0, r['return'], r)
        self.assertEqual('input-done', env['OUT'])
        self.assertEqual('spaced value', env['EXTRA'])
        self.assertEqual(self.script, env['MLC_TMP_CURRENT_SCRIPT_PATH'])
        self.assertEqual(self.work, env['MLC_TMP_CURRENT_SCRIPT_WORK_PATH'])
        self.assertEqual(env, r['env_tmp'])
        self.assertEqual({'before': ['b'], 'from_script': ['s']}, automation.state)
        self.assertEqual('', rsi['script_name'])
        self.assertEqual({}, rsi['env'])
        with open('tmp-state.json') as f:
            self.assertEqual({'before': ['b']}, json.load(f))

    def test_the_temporary_script_exports_the_env_sorted_then_sources_the_run_script(self):
        self.folder.write('script/run.sh', 'true\n')
        automation, rsi = in_process_automation(self.script)
        rsi['state']['script_prefix'] = ['export FROM_PREFIX=1']
        env = {'B': 'say "hi"', '+PATH': ['/x', '/y'], 'A': 1, 'LIST': ['p', 'q'], '+;SEMI': ['u']}
        automation.run_native_script({'run_script_input': rsi, 'env': env, 'script_name': 'run'})
        with open('tmp-run.sh') as f:
            text = f.read()
        expected = ['#!/bin/bash', '', 'export FROM_PREFIX=1', '\n',
                    'export SEMI="u;${SEMI}"', 'export PATH="/x:/y:${PATH}"', 'export A="1"',
                    'export B="say \\"hi\\""', 'export LIST="p:q"',
                    'export MLC_TMP_CURRENT_SCRIPT_PATH="{}"'.format(self.script),
                    'export MLC_TMP_CURRENT_SCRIPT_WORK_PATH="{}"'.format(self.work), '\n',
                    '. "{}"\n'.format(os.path.join(self.script, 'run.sh'))]
        self.assertEqual('\n'.join(expected), text)
        self.assertTrue(os.access('tmp-run.sh', os.X_OK))

    def test_a_failing_script_is_return_2_naming_the_script_unless_errors_are_ignored(self):
        self.folder.write('script/run.sh', 'exit 3\n')
        automation, rsi = in_process_automation(self.script, meta={'alias': 'my-tool'})
        r = automation.run_native_script({'run_script_input': rsi, 'env': {}, 'script_name': 'run'})
        self.assertEqual(2, r['return'])
        self.assertEqual('Native run script failed inside MLC script (name = my-tool, return code = 3)', r['error'])
        rsi['ignore_script_error'] = True
        self.assertEqual(0, automation.run_native_script({'run_script_input': rsi, 'env': {},
                                                          'script_name': 'run'})['return'])

    def test_the_os_specific_run_script_wins_and_an_explicit_missing_one_is_return_16(self):
        self.folder.write('script/run.sh', 'echo "WHICH=generic" > tmp-run-env.out\n')
        self.folder.write('script/run-ubuntu.sh', 'echo "WHICH=ubuntu" > tmp-run-env.out\n')
        automation, rsi = in_process_automation(self.script)
        env = {'MLC_HOST_OS_FLAVOR': 'ubuntu'}
        automation.run_native_script({'run_script_input': rsi, 'env': env, 'script_name': 'run'})
        self.assertEqual('ubuntu', env['WHICH'])
        self.assertEqual(os.path.join(self.script, 'run.sh'), get_script_name({}, self.script, 'run', 'MLC_'))
        rsi['meta']['script_name'] = 'absent'
        r = automation.run_native_script({'run_script_input': rsi, 'env': {}, 'script_name': ''})
        self.assertEqual(16, r['return'])

    def test_no_run_script_means_nothing_runs_but_the_env_is_still_prepared(self):
        automation, rsi = in_process_automation(self.script, prefix='CM_')
        env = {}
        self.assertEqual(0, automation.run_native_script({'run_script_input': rsi, 'env': env,
                                                          'script_name': 'run'})['return'])
        self.assertEqual(self.script, env['CM_TMP_CURRENT_SCRIPT_PATH'])
        self.assertFalse(os.path.exists('tmp-run.sh'))

    def test_placeholders_are_expanded_and_plus_keys_must_be_lists(self):
        env = {'A': 'x', 'B': 'pre-<<<A>>>', 'L': ['<<<A>>>', 1], 'U': '<<<UNSET>>>', 'F': True}
        self.assertEqual(0, update_env_with_values(env)['return'])
        self.assertEqual({'A': 'x', 'B': 'pre-x', 'L': ['x', 1], 'U': '<<<UNSET>>>', 'F': True}, env)
        self.assertEqual(1, update_env_with_values({'+PATH': '/x'})['return'])

    def test_windows_scripts_use_set_and_quote_shell_operators(self):
        info = {'platform': 'windows', 'set_env': 'set ${key}=${value}', 'env_separator': ';',
                'env_quote': '\'', 'env_var': '%env_var%'}
        self.assertEqual(['set PATH=C:\\a;%PATH%', 'set X="a|b"'],
                         convert_env_to_script({'X': 'a|b', '+PATH': ['C:\\a']}, info))

    def test_detect_version_using_script_checks_the_version_range(self):
        self.folder.write('script/run.sh', 'echo "tool version 2.3.4" > tmp-ver.out\n')
        module = cm_hook_loading.load_customize(self.folder.write(
            'script/customize.py', detect_version_customize('tool', 'MLC_TOOL_VERSION')))
        automation, rsi = in_process_automation(self.script, module=module)
        env = {'MLC_VERSION_MIN': '2.0'}
        r = automation.detect_version_using_script({'run_script_input': rsi, 'env': env})
        self.assertEqual({'return': 0, 'detected_version': '2.3.4'}, r)
        self.assertEqual(('2.3.4', '2.3.4'), (env['MLC_TOOL_VERSION'], env['MLC_DETECTED_VERSION']))
        r = automation.detect_version_using_script({'run_script_input': rsi, 'env': {'MLC_VERSION_MAX': '2.2'}})
        self.assertEqual(16, r['return'])
        r = automation.detect_version_using_script({'run_script_input': rsi, 'env': {'MLC_VERSION': '2.3'}})
        self.assertEqual('2.3.4', r['detected_version'])

    def test_run_native_script_with_detect_version_returns_the_hooks_answer(self):
        self.folder.write('script/detect.sh', 'echo "tool version 7.1" > tmp-ver.out\n')
        module = cm_hook_loading.load_customize(self.folder.write('script/customize.py', '''
            def detect_version(i):
                return i['automation'].parse_version({'match_text': r'version\\s*([\\d.]+)', 'group_number': 1,
                                                      'env_key': 'V', 'which_env': i['env']})
        '''))
        automation, rsi = in_process_automation(self.script, module=module)
        env = {}
        r = automation.run_native_script({'run_script_input': rsi, 'env': env, 'script_name': 'detect',
                                          'detect_version': True})
        self.assertEqual('7.1', r['version'])
        self.assertEqual('7.1', env['V'])


if __name__ == '__main__':
    unittest.main()
