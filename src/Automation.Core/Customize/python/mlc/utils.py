"""mlc.utils: MLC's helper functions (load_txt, save_json, merge_dicts, convert_env_to_dict, ...)."""

from cm_host_utils import *  # noqa: F401,F403
from cm_versions import compare_version_strings as compare_versions  # noqa: F401 (MLC: two strings -> -1/0/1)
