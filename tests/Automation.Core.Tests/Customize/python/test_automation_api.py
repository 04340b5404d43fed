"""The automation API get-* scripts use: find_artifact (with version detection), find_file_deep/back,
parse_version, update_deps, clean_some_tmp_files, _available_variations."""

import os
import unittest
from unittest import mock

from host_support import TempFolder, detect_version_customize, in_process_automation

import cm_hook_loading

TOOL = '''\
#!/bin/bash
echo "faketool version {}"
'''


class FindArtifactTests(unittest.TestCase):

    def setUp(self):
        self.folder = TempFolder()
        self.bins = []
        for name, version in (('bin1', '1.2.0'), ('bin2', '2.5.1')):
            self.folder.write(name + '/faketool', TOOL.format(version), executable=True)
            self.bins.append(os.path.join(self.folder.path, name))
        self.folder.write('other/faketool', TOOL.format('3.0'), executable=True)
        self.other = os.path.join(self.folder.path, 'other')
        self.folder.write('script/run.sh', '"${MLC_FAKETOOL_BIN_WITH_PATH}" > tmp-ver.out\n')
        module = cm_hook_loading.load_customize(self.folder.write(
            'script/customize.py', detect_version_customize('faketool', 'MLC_FAKETOOL_VERSION')))
        self.automation, self.rsi = in_process_automation(os.path.join(self.folder.path, 'script'), module=module)
        self.cwd = os.getcwd()
        os.chdir(self.folder.sub('work'))
        self.path_patch = mock.patch.dict(os.environ, {'FAKE_PATH': os.pathsep.join(self.bins)})
        self.path_patch.start()

    def tearDown(self):
        self.path_patch.stop()
        os.chdir(self.cwd)
        self.folder.cleanup()

    def find(self, env, **extra):
        i = {'file_name': 'faketool', 'env': env, 'os_info': self.automation.os_info,
             'default_path_env_key': 'FAKE_PATH', 'detect_version': True,
             'env_path_key': 'MLC_FAKETOOL_BIN_WITH_PATH', 'run_script_input': self.rsi, 'recursion_spaces': ''}
        i.update(extra)
        return self.automation.find_artifact(i)

    def test_the_first_tool_within_the_version_range_is_taken(self):
        env = {'MLC_VERSION_MIN': '2.0'}
        r = self.find(env)
        self.assertEqual(0, r['return'], r)
        tool = os.path.join(self.bins[1], 'faketool')
        self.assertEqual((self.bins[1], tool, 'faketool'), (r['found_path'], r['found_file_path'],
                                                             r['found_file_name']))
        self.assertEqual(self.bins, r['default_path_list'])
        # A tool on the default path is not added to +FAKE_PATH; detection ran on a copy of env.
        self.assertEqual({'MLC_VERSION_MIN': '2.0', 'MLC_FAKETOOL_BIN_WITH_PATH': tool}, env)

    def test_without_constraints_the_first_tool_on_the_path_is_taken(self):
        r = self.find({})
        self.assertEqual(os.path.join(self.bins[0], 'faketool'), r['found_file_path'])

    def test_no_tool_in_range_or_on_the_path_is_return_16(self):
        self.assertEqual(16, self.find({'MLC_VERSION': '9.9'})['return'])
        r = self.find({}, file_name='absent-tool')
        self.assertEqual({'return': 16, 'error': 'absent-tool not found'}, r)

    def test_a_forced_path_outside_the_defaults_goes_on_the_plus_key_with_extra_paths(self):
        os.makedirs(os.path.join(self.folder.path, 'lib'))
        env = {'MLC_TMP_PATH': self.other}
        r = self.find(env, extra_paths={'lib': '+LD_LIBRARY_PATH', 'include': '+C_INCLUDE_PATH'})
        self.assertEqual(self.other, r['found_path'])
        self.assertEqual([self.other], env['+FAKE_PATH'])
        self.assertEqual([os.path.join(self.folder.path, 'lib')], env['+LD_LIBRARY_PATH'])
        self.assertNotIn('+C_INCLUDE_PATH', env)
        missing = self.find({'MLC_TMP_PATH': os.path.join(self.folder.path, 'nowhere')})
        self.assertEqual(1, missing['return'])

    def test_a_forced_input_file_is_used_and_must_exist(self):
        tool = os.path.join(self.other, 'faketool')
        self.assertEqual(tool, self.find({'MLC_INPUT': tool})['found_file_path'])
        self.assertEqual(1, self.find({'MLC_INPUT': tool + '-absent'})['return'])

    def test_the_hook_can_skip_candidates(self):
        r = self.find({}, detect_version=False,
                      hook=lambda i: {'return': 0, 'skip': self.bins[0] in i['file']})
        self.assertEqual(self.bins[1], r['found_path'])

    def test_versioned_file_names_are_candidates(self):
        self.folder.write('versioned/faketool-12', TOOL.format('12.1'), executable=True)
        r = self.find({'MLC_TMP_PATH': os.path.join(self.folder.path, 'versioned')}, detect_version=False)
        self.assertEqual('faketool-12', r['found_file_name'])

    def test_cm_libraries_read_cm_keys(self):
        self.automation.prefix = 'CM_'
        self.assertEqual(self.bins[1], self.find({'CM_VERSION_MIN': '2.0'})['found_path'])


class AutomationApiTests(unittest.TestCase):

    def setUp(self):
        self.folder = TempFolder()
        self.automation, self.rsi = in_process_automation(self.folder.sub('script'))
        self.cwd = os.getcwd()
        os.chdir(self.folder.path)

    def tearDown(self):
        os.chdir(self.cwd)
        self.folder.cleanup()

    def test_find_file_deep_and_back(self):
        self.folder.write('tree/a/b/marker.txt', '')
        self.folder.write('tree/c/marker.txt', '')
        self.folder.write('tree/c/d/marker.txt', '')
        tree = os.path.join(self.folder.path, 'tree')
        r = self.automation.find_file_deep({'paths': [tree], 'file_name': 'marker.txt'})
        # c/d is found only where the listing shows d before marker.txt (CM stops a folder at the file).
        self.assertLessEqual({os.path.join(tree, 'a', 'b'), os.path.join(tree, 'c')}, set(r['found_paths']))
        restricted = self.automation.find_file_deep({'paths': [tree], 'file_name': 'marker.txt',
                                                     'restrict_paths': ['/a/']})
        self.assertEqual([os.path.join(tree, 'a', 'b')], restricted['found_paths'])
        start = os.path.join(tree, 'a', 'b')
        self.folder.write('tree/top.txt', '')

        def back(name):
            return self.automation.find_file_back({'path': start, 'file_name': name})['found_path']
        self.assertEqual((start, tree, ''), (back('marker.txt'), back('top.txt'), back('none.x')))

    def test_parse_version_reads_tmp_ver_out_into_the_env(self):
        self.folder.write('tmp-ver.out', 'gcc (Ubuntu 12.3.0-1ubuntu1) 12.3.0 build 7\n')
        env = {}
        r = self.automation.parse_version({'match_text': r'\)\s*([\d.]+)\s+build\s+(\d+)', 'group_number': 1,
                                           'env_key': 'MLC_GCC_VERSION', 'which_env': env})
        self.assertEqual('12.3.0', r['version'])
        self.assertEqual({'MLC_GCC_VERSION': '12.3.0', 'MLC_DETECTED_VERSION': '12.3.0'}, env)
        r = self.automation.parse_version({'match_text': r'\)\s*([\d.]+)\s+build\s+(\d+)', 'group_number': 1,
                                           'group_number_extra': 2, 'group_join_string': '+', 'env_key': 'V',
                                           'which_env': env})
        self.assertEqual('12.3.0+7', r['version'])
        bad_group = self.automation.parse_version({'match_text': r'\)\s*([\d.]+)', 'group_number': 2,
                                                   'env_key': 'V', 'which_env': env})
        self.assertEqual(1, bad_group['return'])
        no_match = self.automation.parse_version({'match_text': r'clang ([\d.]+)', 'group_number': 1,
                                                  'env_key': 'V', 'which_env': env})
        self.assertEqual({'return': 1, 'error': 'version was not detected'}, no_match)
        missing = self.automation.parse_version({'file_name': 'absent.out', 'match_text': 'x', 'group_number': 1,
                                                 'env_key': 'V', 'which_env': env})
        self.assertEqual(1, missing['return'])

    def test_update_deps_changes_the_named_deps(self):
        deps = [{'names': ['compiler', 'gcc'], 'tags': 'get,gcc', 'env': {'A': '1'}, 'version_max': '12'},
                {'names': ['python'], 'tags': 'get,python3'},
                {'tags': 'get,cmake'}]
        r = self.automation.update_deps({'deps': deps, 'env': {'LLVM': 'yes', 'V': '13'}, 'update_deps': {
            'compiler': {'tags': '_from-src,get,<<<UNSET>>>', 'env': {'B': '2'}, 'version_max': '<<<V>>>',
                         'extra': ['x'], 'enable_if_env': {'LLVM': ['yes']}},
            'python': {'tags': 'skipped', 'skip_if_env': {'LLVM': 'yes'}},
            'absent': {'tags': 'ignored'}}})
        self.assertEqual(0, r['return'])
        self.assertEqual({'names': ['compiler', 'gcc'], 'tags': 'get,gcc,_from-src',
                          'env': {'A': '1', 'B': '2'}, 'version_max': '13', 'extra': ['x']}, deps[0])
        self.assertEqual({'names': ['python'], 'tags': 'get,python3'}, deps[1])
        self.assertEqual({'tags': 'get,cmake'}, deps[2])

    def test_update_deps_conditions_follow_cm(self):
        deps = [{'names': ['d'], 'tags': 'x'}]
        self.automation.update_deps({'deps': deps, 'update_deps': {'d': {'tags': 'a', 'enable_if_env': {
            'UNSET': ['no']}}}})
        self.automation.update_deps({'deps': deps, 'update_deps': {'d': {'tags': 'b', 'enable_if_any_env': {
            'UNSET': ['no']}}}})
        self.automation.update_deps({'deps': deps, 'env': {'K': '<<<X>>>'}, 'update_deps': {'d': {
            'tags': 'c', 'skip_if_env': {'K': 'yes'}}}})
        self.assertEqual('x,a,c', deps[0]['tags'])

    def test_clean_some_tmp_files_and_available_variations(self):
        work = self.folder.sub('w')
        for name in ('tmp-run.bat', 'tmp-state.json', 'tmp-run.sh'):
            self.folder.write('w/' + name, '')
        self.automation.clean_some_tmp_files({'env': {'MLC_TMP_CURRENT_SCRIPT_WORK_PATH': work}})
        self.assertEqual(['tmp-run.sh'], os.listdir(work))
        r = self.automation._available_variations({'meta': {'alias': 'get-x', 'variations': {'b': {}, 'a': {}}}})
        self.assertEqual({'return': 1, 'error': 'python package variation is not defined in "get-x". '
                                                'Available: _a _b'}, r)

    def test_get_default_path_list_splits_the_hosts_variable(self):
        with mock.patch.dict(os.environ, {'SOME_PATH': '/a:/b'}):
            self.assertEqual(['/a', '/b'], self.automation.get_default_path_list(
                {'default_path_env_key': 'SOME_PATH', 'os_info': self.automation.os_info}))
        self.assertEqual([], self.automation.get_default_path_list({'os_info': self.automation.os_info}))


if __name__ == '__main__':
    unittest.main()
