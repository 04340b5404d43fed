"""The helper modules hooks import: mlc.utils / cmind.utils and the top-level utils."""

import os
import tarfile
import unittest
import zipfile

from host_support import TempFolder

import cmind
import mlc
import utils
from mlc import utils as mlc_utils


class UtilsTests(unittest.TestCase):

    def setUp(self):
        self.folder = TempFolder()
        self.cwd = os.getcwd()
        os.chdir(self.folder.path)

    def tearDown(self):
        os.chdir(self.cwd)
        self.folder.cleanup()

    def test_is_true_and_is_false_accept_cm_spellings_only(self):
        for value in ('1', 'true', 'On', 'YES', True, 1):
            self.assertTrue(utils.is_true(value), value)
        for value in ('0', 'false', 'Off', 'no', False, 0):
            self.assertTrue(utils.is_false(value), value)
        for value in ('', 'maybe', None):
            self.assertFalse(utils.is_true(value))
            self.assertFalse(utils.is_false(value))
        self.assertTrue(cmind.utils.check_if_true_yes_on({'K': 'on'}, 'K'))

    def test_load_txt_splits_matches_and_reports_missing_files(self):
        mlc_utils.save_txt('ver.out', 'Python 3.11.7\nsecond\n')
        r = mlc_utils.load_txt(file_name='ver.out', split=True, match_text=r'Python\s*([\d.]+)')
        self.assertEqual(['Python 3.11.7', 'second'], r['list'])
        self.assertEqual('3.11.7', r['match'].group(1))
        self.assertEqual({'return': 1, 'error': 'none'},
                         mlc_utils.load_txt(file_name='ver.out', match_text='xyz', fail_if_no_match='none'))
        self.assertEqual(1, mlc_utils.load_txt(file_name='absent', check_if_exists=True)['return'])
        mlc_utils.load_txt(file_name='ver.out', remove_after_read=True)
        self.assertFalse(os.path.exists('ver.out'))

    def test_json_and_yaml_round_trip(self):
        self.assertEqual(0, mlc_utils.save_json('a.json', {'b': [1, 2], 'a': 'x'})['return'])
        self.assertEqual({'b': [1, 2], 'a': 'x'}, mlc_utils.load_json('a.json')['meta'])
        self.assertEqual(1, mlc_utils.load_json('absent.json')['return'])
        cmind.utils.save_json('c.json', {'b': 1, 'a': 2})
        with open('c.json') as f:
            self.assertEqual('{\n  "a": 2,\n  "b": 1\n}', f.read())
        self.assertEqual(0, mlc_utils.save_yaml('a.yaml', {'k': ['v']})['return'])
        self.assertEqual({'k': ['v']}, mlc_utils.read_yaml('a.yaml'))
        self.assertEqual({'k': ['v']}, cmind.utils.load_yaml('a.yaml')['meta'])
        self.assertIsNone(mlc_utils.read_yaml('absent.yaml'))

    def test_merge_dicts_replaces_or_appends_lists_and_recurses(self):
        a = {'l': [1, 2], 'd': {'x': 1, 'l': ['a']}, 's': 'old'}
        mlc_utils.merge_dicts({'dict1': a, 'dict2': {'l': [2, 3], 'd': {'y': 2, 'l': ['a', 'b']}, 's': 'new'},
                               'append_lists': True, 'append_unique': True})
        self.assertEqual({'l': [1, 2, 3], 'd': {'x': 1, 'y': 2, 'l': ['a', 'b']}, 's': 'new'}, a)
        b = {'l': [1]}
        mlc_utils.merge_dicts({'dict1': b, 'dict2': {'l': [1]}, 'append_lists': True})
        self.assertEqual({'l': [1]}, b)
        mlc_utils.merge_dicts({'dict1': b, 'dict2': {'l': [1, 5]}, 'append_lists': True})
        self.assertEqual({'l': [1, 1, 5]}, b)
        c = {'l': [1]}
        mlc_utils.merge_dicts({'dict1': c, 'dict2': {'l': [9]}})
        self.assertEqual({'l': [9]}, c)

    def test_convert_env_to_dict_splits_on_the_first_equals_and_strips(self):
        text = 'A=1\n  B = x=y \n\nnot a pair\nC="q"\n'
        self.assertEqual({'A': '1', 'B': 'x=y', 'C': '"q"'}, mlc_utils.convert_env_to_dict(text)['dict'])

    def test_compare_versions_in_cm_and_mlc_forms(self):
        self.assertEqual(1, utils.compare_versions({'version1': '3.10', 'version2': '3.9'})['comparison'])
        self.assertEqual(0, utils.compare_versions({'version1': '9.1', 'version2': '9',
                                                    'version_minor_skip_okay': True})['comparison'])
        self.assertEqual(-1, utils.compare_versions({'version1': '9', 'version2': '9.1'})['comparison'])
        self.assertEqual(0, utils.compare_versions({'version1': '1.0.0', 'version2': '1'})['comparison'])
        self.assertEqual(-1, mlc_utils.compare_versions('1.9', '1.10'))
        self.assertEqual(0, mlc_utils.compare_versions('2.0', '2'))
        self.assertEqual(-1, mlc_utils.compare_versions('2.0rc1', '2.0'))
        self.assertRaises(ValueError, mlc_utils.compare_versions, 'not-a-version', '1')

    def test_run_system_cmd_captures_output_and_failures(self):
        self.assertEqual('hi', mlc_utils.run_system_cmd({'cmd': 'echo hi'})['output'])
        failed = mlc_utils.run_system_cmd({'cmd': 'echo oops >&2; exit 3'})
        self.assertEqual(1, failed['return'])
        self.assertIn('3', failed['error'])
        self.assertEqual('oops', failed['error_output'])
        r = utils.system({'cmd': 'echo out; echo err >&2; exit 2', 'stdout': 'o.txt'})
        self.assertEqual((2, 'out', 'err', 'out\nerr'), (r['ret'], r['stdout'], r['stderr'], r['std']))
        with open('o.txt') as f:
            self.assertEqual('out\n', f.read())

    def test_extract_file_and_unzip_file_strip_leading_folders(self):
        with zipfile.ZipFile('a.zip', 'w') as z:
            z.writestr('top/sub/file.txt', 'zip')
        with tarfile.open('a.tar.gz', 'w:gz') as t:
            source = self.folder.write('src/top/sub/file.txt', 'tar')
            t.add(source, arcname='top/sub/file.txt')
        mlc_utils.extract_file({'filename': os.path.abspath('a.zip'), 'strip_folders': 1})
        with open('extracted/sub/file.txt') as f:
            self.assertEqual('zip', f.read())
        mlc_utils.extract_file({'filename': os.path.abspath('a.tar.gz'), 'strip_folders': 2})
        with open('extracted/file.txt') as f:
            self.assertEqual('tar', f.read())
        self.assertEqual(0, utils.unzip_file({'filename': 'a.zip', 'path': 'u', 'strip_folders': 1})['return'])
        with open('u/sub/file.txt') as f:
            self.assertEqual('zip', f.read())
        self.assertEqual(1, utils.unzip_file({'filename': 'absent.zip'})['return'])

    def test_download_file_names_the_file_after_the_url(self):
        source = self.folder.write('served/data.bin', 'payload')
        r = utils.download_file({'url': 'file://' + source, 'path': self.folder.sub('dl')})
        self.assertEqual(0, r['return'], r)
        self.assertEqual(('data.bin', 7), (r['filename'], r['size']))
        with open(r['path']) as f:
            self.assertEqual('payload', f.read())
        self.assertEqual(1, utils.download_file({'url': 'file:///absent/x'})['return'])

    def test_get_host_os_info_describes_this_host(self):
        info = utils.get_host_os_info()['info']
        self.assertEqual(('linux', '.sh', ':'), (info['platform'], info['bat_ext'], info['env_separator']))
        self.assertEqual('export ${key}="${value}"', info['set_env'])
        self.assertEqual('bash -c ". ./${bat_file}"', info['run_local_bat_from_python'])
        self.assertEqual('linux', info['env']['MLC_HOST_OS_TYPE'])
        self.assertIn(info['bits'], ('32', '64'))
        self.assertEqual('32', utils.get_host_os_info({'bits': '32'})['info']['bits'])

    def test_star_import_of_utils_gives_what_hooks_use_without_shadowing_modules(self):
        names = {}
        exec('import datetime\nfrom utils import *', names)
        for name in ('is_true', 'is_false', 'download_file', 'unzip_file', 'logger', 'load_txt', 'os'):
            self.assertIn(name, names)
        self.assertEqual('module', type(names['datetime']).__name__)

    def test_access_without_the_engine_is_an_error_and_utils_actions_run_locally(self):
        self.assertEqual(1, mlc.access({'action': 'run', 'tags': 'x'})['return'])
        self.assertEqual(1, cmind.access({'tags': 'x'})['return'])
        r = mlc.access({'action': 'system', 'automation': 'utils,dc2743f8450541e3', 'cmd': 'echo local'})
        self.assertEqual('local', r['stdout'])
        self.assertEqual(1, mlc.access({'action': 'nope', 'automation': 'utils'})['return'])


if __name__ == '__main__':
    unittest.main()
