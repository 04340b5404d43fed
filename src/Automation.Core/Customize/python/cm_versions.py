"""Version comparison as the libraries expect it: CM's dict form (numeric dotted parts) for version checks and
`utils.compare_versions`, and MLC's two-string form for `mlc.utils.compare_versions`."""

import re


def _numeric_part(part):
    """The leading digits of a dotted part as a number ('3rc1' -> 3, 'x' -> 0)."""
    match = re.match(r'(\d+)', part)
    return int(match.group(1)) if match else 0


def compare_versions(i):
    """CM's comparison: 1, 0 or -1 as 'comparison'; with version_minor_skip_okay only version2's parts count
    (so '9.1' equals '9' but '9' is below '9.1')."""
    first = [_numeric_part(p) for p in str(i['version1']).split('.')]
    second = [_numeric_part(p) for p in str(i['version2']).split('.')]
    length = len(second) if i.get('version_minor_skip_okay', False) else max(len(first), len(second))
    for index in range(length):
        a = first[index] if index < len(first) else 0
        b = second[index] if index < len(second) else 0
        if a != b:
            return {'return': 0, 'comparison': 1 if a > b else -1}
    return {'return': 0, 'comparison': 0}


_PEP440 = re.compile(r'^\s*v?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview|dev)[-_.]?(\d*))?'
                     r'(?:[-_.]?post[-_.]?(\d*))?(?:\+[a-z0-9.]*)?\s*$', re.IGNORECASE)


def _release_key(text):
    """A sortable key for a PEP 440-like version: release numbers, then pre-releases below the release."""
    match = _PEP440.match(str(text))
    if not match:
        raise ValueError('Invalid version format: Invalid version: {!r}'.format(text))
    release = [int(p) for p in match.group(1).split('.')]
    while release and release[-1] == 0:
        release.pop()
    pre = (0, 0) if match.group(2) is None else (-1, int(match.group(3) or 0))
    post = int(match.group(4) or 0) if match.group(4) is not None else -1
    return (release, pre, post)


def compare_version_strings(current_version, min_version):
    """MLC's `mlc.utils.compare_versions(a, b)`: -1, 0 or 1; ValueError for a string that is no version."""
    a = _release_key(current_version)
    b = _release_key(min_version)
    return (a > b) - (a < b)


def check_version_constraints(i):
    """Whether a detected version misses the wanted one (minor parts may be skipped), the min or the max:
    {'return': 0, 'skip': bool}."""
    detected = i['detected_version']
    if detected == '':
        return {'return': 0, 'skip': False}
    version = i.get('version', '')
    version_min = i.get('version_min', '')
    version_max = i.get('version_max', '')
    if version != '' and compare_versions({'version1': detected, 'version2': version,
                                           'version_minor_skip_okay': True})['comparison'] != 0:
        return {'return': 0, 'skip': True}
    if version_min != '' and compare_versions({'version1': detected, 'version2': version_min})['comparison'] < 0:
        return {'return': 0, 'skip': True}
    if version_max != '' and compare_versions({'version1': detected, 'version2': version_max})['comparison'] > 0:
        return {'return': 0, 'skip': True}
    return {'return': 0, 'skip': False}
