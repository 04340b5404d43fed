"""The host process as the engine sees it: call -> result, errors, access round trips, stdout hygiene, caching."""

import os
import unittest

from host_support import HostProcess, TempFolder


class ProtocolTests(unittest.TestCase):

    def setUp(self):
        self.folder = TempFolder()
        self.work = self.folder.sub('work')
        self.host = HostProcess()

    def tearDown(self):
        self.host.kill()
        self.folder.cleanup()

    def customize(self, source, script='script'):
        return self.folder.write(os.path.join(script, 'customize.py'), source)

    def call(self, customize, hook='preprocess', call_id=1, **i):
        i.setdefault('work_dir', self.work)
        return self.host.call(call_id, customize, hook, i)

    def test_hook_changes_to_env_state_and_meta_come_back_with_version_skip_and_extra(self):
        path = self.customize('''
            def preprocess(i):
                i['env']['NEW'] = 'value'
                i['env']['+PATH'].append('/opt/x')
                del i['env']['GONE']
                i['state']['deps'] = ['a']
                i['meta']['deps'].append({'tags': 'added'})
                return {'return': 0, 'skip': True, 'version': '1.2', 'add_extra_cache_tags': ['t']}
        ''')
        result = self.call(path, env={'+PATH': ['/a'], 'GONE': 'x'}, state={}, meta={'deps': []})
        self.assertEqual(0, result['return'], result)
        self.assertEqual(1, result['id'])
        self.assertEqual({'NEW': 'value', '+PATH': ['/a', '/opt/x']}, result['env'])
        self.assertEqual({'deps': ['a']}, result['state'])
        self.assertEqual({'deps': [{'tags': 'added'}]}, result['meta'])
        self.assertTrue(result['skip'])
        self.assertEqual('1.2', result['version'])
        self.assertEqual({'add_extra_cache_tags': ['t']}, result['extra'])

    def test_values_without_a_json_form_are_converted_and_json_types_kept(self):
        path = self.customize('''
            import pathlib
            def preprocess(i):
                env = i['env']
                env['SET'] = {'b', 'a'}
                env['TUPLE'] = (1, 2)
                env['PATH_OBJ'] = pathlib.Path('/x/y')
                env['BYTES'] = b'raw'
                env['NUMBER'] = 3
                env['FLAG'] = True
                env['LIST'] = ['a', 1]
                return {'return': 0, 'kept': {'a': 1}, 'dropped': object()}
        ''')
        result = self.call(path, env={})
        self.assertEqual({'SET': ['a', 'b'], 'TUPLE': [1, 2], 'PATH_OBJ': '/x/y', 'BYTES': 'raw', 'NUMBER': 3,
                          'FLAG': True, 'LIST': ['a', 1]}, result['env'])
        self.assertEqual({'kept': {'a': 1}}, result['extra'])

    def test_print_and_native_output_go_to_stderr_not_the_protocol(self):
        path = self.customize('''
            import os, subprocess
            def preprocess(i):
                print('printed by the hook')
                os.system('echo echoed by a shell')
                subprocess.run(['echo', 'from a child'])
                i['automation'].logger.info('logged by the hook')
                return {'return': 0}
        ''')
        result = self.call(path)
        self.assertEqual('result', result['op'])
        self.assertEqual(0, self.host.shutdown())
        self.assertEqual([], self.host.remaining_stdout())
        for text in ('printed by the hook', 'echoed by a shell', 'from a child', 'logged by the hook'):
            self.assertIn(text, self.host.stderr())

    def test_a_raising_hook_is_an_exception_error_with_its_line_and_traceback(self):
        path = self.customize('''
            def helper(env):
                return env['MISSING']

            def postprocess(i):
                x = 1
                return helper(i['env'])
        ''')
        result = self.call(path, hook='postprocess', env={})
        self.assertEqual(1, result['return'])
        self.assertEqual('exception', result['error_kind'])
        self.assertEqual("KeyError: 'MISSING'", result['error'])
        self.assertEqual(3, result['line'])
        self.assertIn(path, result['traceback'])
        self.assertIn('in helper', result['traceback'])
        self.assertNotIn('cm_host_hooks.py', result['traceback'])

    def test_a_syntax_error_names_its_line(self):
        path = self.customize('''
            def preprocess(i):
                return {'return': 0

            x = 1
        ''')
        result = self.call(path)
        self.assertEqual('syntax', result['error_kind'])
        self.assertEqual(3, result['line'])
        self.assertTrue(result['error'].startswith("'{' was never closed ("), result['error'])
        self.assertIn('line 3)', result['error'])
        self.assertIn('SyntaxError', result['traceback'])

    def test_a_returned_error_keeps_its_code_message_and_return_line(self):
        path = self.customize('''
            def preprocess(i):
                if i['env'].get('A') == 'x':
                    return {'return': 0}
                return {'return': 16, 'error': 'tool not found'}
        ''')
        result = self.call(path, env={})
        self.assertEqual(16, result['return'])
        self.assertEqual('returned', result['error_kind'])
        self.assertEqual('tool not found', result['error'])
        self.assertEqual(5, result['line'])

    def test_a_missing_module_is_an_import_error_at_the_import_line(self):
        path = self.customize('''
            import os

            import module_the_host_does_not_provide

            def preprocess(i):
                return {'return': 0}
        ''')
        result = self.call(path)
        self.assertEqual('import', result['error_kind'])
        self.assertEqual("ModuleNotFoundError: No module named 'module_the_host_does_not_provide'", result['error'])
        self.assertEqual(4, result['line'])

    def test_a_hook_returning_no_dict_is_a_returned_error(self):
        path = self.customize('''
            def preprocess(i):
                pass
        ''')
        result = self.call(path)
        self.assertEqual('returned', result['error_kind'])
        self.assertIn('preprocess() returned None', result['error'])

    def test_a_hook_the_file_does_not_define_is_a_no_op(self):
        path = self.customize('''
            def preprocess(i):
                return {'return': 0}
        ''')
        result = self.call(path, hook='postprocess', env={'A': 'b'})
        self.assertEqual(0, result['return'])
        self.assertEqual({'A': 'b'}, result['env'])

    def test_access_round_trip_serves_a_nested_call_while_waiting(self):
        outer = self.customize('''
            import mlc
            def preprocess(i):
                r = mlc.access({'action': 'run', 'tags': 'inner,x', 'env': {'K': 'v'}, 'quiet': True})
                if r['return'] > 0:
                    return r
                i['env']['FROM_NESTED'] = r['new_env']['INNER']
                i['env']['CWD_AFTER'] = __import__('os').getcwd()
                return {'return': 0}
        ''', script='outer')
        inner = self.customize('''
            def preprocess(i):
                i['env']['INNER'] = 'ran'
                i['env']['CWD'] = __import__('os').getcwd()
                return {'return': 0}
        ''', script='inner')
        inner_work = self.folder.sub('inner-work')
        self.host.send({'op': 'call', 'id': 1, 'customize': outer, 'hook': 'preprocess',
                        'i': {'env': {}, 'work_dir': self.work}})
        request = self.host.receive()
        self.assertEqual('access', request['op'])
        self.assertEqual({'action': 'run', 'automation': 'script', 'tags': 'inner,x', 'env': {'K': 'v'},
                          'quiet': True}, request['request'])
        nested = self.host.call(2, inner, 'preprocess', {'env': {}, 'work_dir': inner_work})
        self.assertEqual({'INNER': 'ran', 'CWD': inner_work}, nested['env'])
        self.host.send({'op': 'access_result', 'id': request['id'], 'result': {'return': 0, 'new_env': nested['env']}})
        result = self.host.receive()
        self.assertEqual(1, result['id'])
        self.assertEqual('ran', result['env']['FROM_NESTED'])
        self.assertEqual(self.work, result['env']['CWD_AFTER'])

    def test_access_answers_carry_entries_as_items_and_errors_as_dicts(self):
        path = self.customize('''
            def preprocess(i):
                a = i['automation']
                r = a.action_object.access({'action': 'search', 'target': 'script', 'tags': 'x'})
                i['env']['FOUND'] = r['list'][0].path
                i['env']['ALIAS'] = r['list'][0].meta['alias']
                c = a.cache_action.access({'action': 'rm', 'tags': 'y'})
                i['env']['RM'] = str(c['return'])
                return {'return': 0}
        ''')
        self.host.send({'op': 'call', 'id': 5, 'customize': path, 'hook': 'preprocess',
                        'i': {'env': {}, 'work_dir': self.work}})
        search = self.host.receive()
        self.assertEqual('script', search['request']['automation'])
        self.host.send({'op': 'access_result', 'id': search['id'],
                        'result': {'return': 0, 'list': [{'path': '/s/x', 'meta': {'alias': 'x'}}]}})
        remove = self.host.receive()
        self.assertEqual({'action': 'rm', 'automation': 'cache', 'tags': 'y'}, remove['request'])
        self.host.send({'op': 'access_result', 'id': remove['id'], 'result': {'return': 1, 'error': 'no'}})
        result = self.host.receive()
        self.assertEqual({'FOUND': '/s/x', 'ALIAS': 'x', 'RM': '1'}, result['env'])

    def test_customize_modules_are_cached_per_file_and_reloaded_when_it_changes(self):
        source = '''
            CALLS = []
            def preprocess(i):
                CALLS.append(1)
                i['env']['CALLS'] = len(CALLS)
                i['env']['GEN'] = '{}'
                return {'return': 0}
        '''
        path = self.customize(source.replace('{}', 'first'))
        self.assertEqual(1, self.call(path, env={})['env']['CALLS'])
        self.assertEqual(2, self.call(path, env={}, call_id=2)['env']['CALLS'])
        self.customize(source.replace('{}', 'second-version'))
        stat = os.stat(path)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        result = self.call(path, env={}, call_id=3)
        self.assertEqual({'CALLS': 1, 'GEN': 'second-version'}, result['env'])

    def test_hooks_run_in_the_work_folder_with_script_folder_and_env_python_path(self):
        helpers = self.folder.sub('helpers')
        self.folder.write('helpers/helper_from_env.py', 'VALUE = "env-helper"\n')
        self.folder.write('script/helper_in_script.py', 'VALUE = "script-helper"\n')
        path = self.customize('''
            import os, sys
            def preprocess(i):
                import helper_in_script, helper_from_env
                i['env']['CWD'] = os.getcwd()
                i['env']['VALUES'] = helper_in_script.VALUE + ',' + helper_from_env.VALUE
                i['env']['FIRST'] = sys.path[0]
                return {'return': 0}
        ''')
        before = self.call(path, env={'+PYTHONPATH': [helpers]})
        self.assertEqual(0, before['return'], before)
        self.assertEqual(self.work, before['env']['CWD'])
        self.assertEqual('script-helper,env-helper', before['env']['VALUES'])
        self.assertTrue(before['env']['FIRST'].endswith(os.path.join('Customize', 'python')))

    def test_a_missing_work_folder_is_an_exception_error(self):
        path = self.customize('''
            def preprocess(i):
                return {'return': 0}
        ''')
        result = self.call(path, work_dir=os.path.join(self.folder.path, 'absent'))
        self.assertEqual('exception', result['error_kind'])
        self.assertIn('absent', result['error'])

    def test_the_hook_input_has_the_objects_libraries_read(self):
        path = self.customize('''
            import copy
            def preprocess(i):
                env = i['env']
                a = i['automation']
                env['PLATFORM'] = i['os_info']['platform']
                env['BAT'] = i['os_info']['bat_ext']
                env['FLAVOR_KEY'] = sorted(i['os_info']['env'])[0]
                env['ARTIFACT'] = i['artifact'].path
                env['REPO'] = i['artifact'].repo.path + ',' + i['artifact'].repo.meta['alias']
                env['SAME'] = str(copy.deepcopy({'a': a, 'i': i['input']})['a'] is a)
                env['SCRIPT_PATH'] = i['run_script_input']['path']
                i['run_script_input']['script_name'] = 'detect'
                return {'return': 0}
        ''')
        result = self.call(path, env={}, artifact={'path': '/lib/script/x', 'repo_path': '/lib', 'repo': 'mlc-lib'},
                           run_script_input={'path': '/lib/script/x', 'env_prefix': 'CM_'})
        self.assertEqual(0, result['return'], result)
        self.assertEqual({'PLATFORM': 'linux', 'BAT': '.sh', 'FLAVOR_KEY': 'CM_HOST_OS_TYPE',
                          'ARTIFACT': '/lib/script/x', 'REPO': '/lib,mlc-lib', 'SAME': 'True',
                          'SCRIPT_PATH': '/lib/script/x'}, result['env'])
        self.assertEqual('detect', result['script_name'])

    def test_shutdown_ends_the_host_with_code_zero(self):
        self.assertEqual(0, self.host.shutdown())

    def test_closing_stdin_ends_the_host(self):
        self.host.process.stdin.close()
        self.assertEqual(0, self.host.process.wait(timeout=60))


if __name__ == '__main__':
    unittest.main()
