"""cmind.utils: CM's helper functions; the same as mlc.utils except where CM's own differ (noted below)."""

from cm_host_utils import *  # noqa: F401,F403
from cm_host_utils import save_json as _save_json
from cm_versions import compare_versions  # noqa: F401 (CM: {'version1', 'version2'} -> 'comparison')


def save_json(file_name, meta={}, indent=2, sort_keys=True, encoding=None):
    """CM writes JSON with indent 2 and sorted keys."""
    return _save_json(file_name, meta, indent=indent, sort_keys=sort_keys, encoding=encoding)
