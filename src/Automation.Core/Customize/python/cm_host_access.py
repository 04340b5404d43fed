"""The CM/MLC `access` API hooks call (mlc.access, cmind.access, automation.action_object.access,
automation.cache_action.access): script and cache actions go to the engine (nested runs happen there);
`utils` actions (download_file, unzip_file, system, ...) are plain Python and run here."""

import os
from types import SimpleNamespace

import cm_host_channel
from cm_host_json import json_safe


class Item:
    """A script or cache entry as CM hands it to hooks (i['artifact'], access(...)['list'][n]): attributes
    path/meta/repo/alias/uid, and dict access to everything the engine sent."""

    def __init__(self, data):
        self._data = data if isinstance(data, dict) else {}
        self.path = self._data.get('path', '')
        self.meta = self._data.get('meta') or {}
        self.alias = self._data.get('alias', self.meta.get('alias', ''))
        self.uid = self._data.get('uid', self.meta.get('uid', ''))
        # The repository: a {'path', 'meta'} object, or just its registered name, with its folder as repo_path.
        repo = self._data.get('repo')
        repo = repo if isinstance(repo, dict) else {'meta': {'alias': repo}} if isinstance(repo, str) and repo else {}
        self.repo_path = repo.get('path', self._data.get('repo_path', ''))
        self.repo = SimpleNamespace(path=self.repo_path, meta=repo.get('meta', {}))

    def __getitem__(self, key):
        return self._data[key]

    def get(self, key, default=None):
        return self._data.get(key, default)

    def __deepcopy__(self, memo):
        # Hooks and CM deep-copy their input; an entry is read-only for them, so sharing it is safe.
        return self

    def __repr__(self):
        return 'Item({!r})'.format(self.path)


def _utils_action(request):
    """Serve an `automation: utils` request (CM's utils automation) with the top-level utils functions."""
    import utils
    handler = {'download_file': utils.download_file, 'unzip_file': utils.unzip_file, 'system': utils.system,
               'compare_versions': utils.compare_versions, 'get_host_os_info': utils.get_host_os_info,
               'uid': utils.get_new_uid}.get(request.get('action', '').replace('-', '_'))
    if handler is None:
        return {'return': 1, 'error': "utils action '{}' is not supported by the customize host".format(
            request.get('action', ''))}
    return handler(request)


def _wrap_entries(result):
    """Entries in an engine answer's 'list' become Items, so hooks can read .path/.meta as in CM."""
    if isinstance(result, dict) and isinstance(result.get('list'), list):
        result['list'] = [Item(e) if isinstance(e, dict) else e for e in result['list']]
    return result


def access(request, default_automation='script'):
    """Run a CM access request: `automation` is taken from `automation`, MLC's `target`, or the default."""
    if not isinstance(request, dict) or not request.get('action'):
        return {'return': 1, 'error': "'action' key is required in options"}
    request = dict(request)
    automation = request.get('automation') or request.get('target') or default_automation
    request['automation'] = str(automation).split(',')[0]
    if request['automation'] == 'utils':
        return _utils_action(request)
    channel = cm_host_channel.current()
    if channel is None:
        return {'return': 1, 'error': 'access({}) needs the engine, and this Python is not its customize host'.format(
            request['action'])}
    return _wrap_entries(channel.access(json_safe(request)))


class ActionObject:
    """automation.action_object / automation.cache_action: `access` plus the attributes hooks read."""

    def __init__(self, logger, repos_path='', default_automation='script'):
        self.logger = logger
        self.repos_path = repos_path
        self._default_automation = default_automation

    def access(self, request):
        return access(request, self._default_automation)

    def __deepcopy__(self, memo):
        return self


def repos_folder(artifact):
    """Where the script repositories live (the folder holding the script's repo), for action_object.repos_path."""
    return os.path.dirname(artifact.repo_path) if artifact.repo_path else ''
