"""Which of the API names customize.py files use the host does not provide.

Usage: check_api_names.py NAMES.json, where NAMES.json maps a kind (automation, action_object, cache_action, mlc,
cmind, mlc.utils, cmind.utils, utils) to the names used on it; prints a JSON list of "kind.name" not provided.
"""

import json
import sys

import host_support  # noqa: F401 (puts the host package on sys.path)

import cmind
import mlc
import utils
from cm_automation import Automation
from cm_os_info import host_os_info


def provided_objects():
    """The objects hooks reach, by the kind the scanner reports."""
    automation = Automation('MLC_', {}, {}, host_os_info('MLC_'))
    return {'automation': automation, 'action_object': automation.action_object,
            'cache_action': automation.cache_action, 'mlc': mlc, 'cmind': cmind, 'mlc.utils': mlc.utils,
            'cmind.utils': cmind.utils, 'utils': utils}


def missing_names(used):
    objects = provided_objects()
    unknown = sorted(set(used) - set(objects))
    if unknown:
        raise SystemExit('unknown kinds: {}'.format(', '.join(unknown)))
    return sorted('{}.{}'.format(kind, name) for kind, names in used.items() for name in names
                  if not hasattr(objects[kind], name))


if __name__ == '__main__':
    with open(sys.argv[1]) as f:
        print(json.dumps(missing_names(json.load(f))))
