"""automation.update_deps: hooks add tags, versions, env... to the deps of their own meta, matched by dep name,
before the engine runs those deps (the changed meta goes back to the engine)."""

import re

from cm_host_utils import is_false, merge_dicts

_PLACEHOLDER = re.compile(r'<<<(.*?)>>>')
_YES = {'yes', 'on', 'true', '1'}
_NO = {'no', 'off', 'false', '0'}


def _spec_values(spec):
    return [str(v).lower() for v in spec] if isinstance(spec, list) else [str(spec).lower()]


def _is_set(value):
    return not is_false(value) and value != '' and not _PLACEHOLDER.findall(value)


def _value_matches(value, wanted, no_like):
    """Whether a set env value fits a condition: yes-like wants it set, no-like wants it false/empty/unresolved."""
    if wanted & _YES:
        return _is_set(value)
    if wanted & no_like:
        return not _is_set(value)
    return value in wanted


def _env_value(env, key):
    return str(env[key]).lower().strip()


def all_conditions_hold(conditions, env):
    """CM's enable_if_env / skip_if_env test: every key matches; an unset key matches a no-like or empty
    condition (a non-dict condition counts as met)."""
    if not isinstance(conditions, dict):
        return True
    for key, spec in conditions.items():
        wanted = set(_spec_values(spec))
        if key in env:
            if not _value_matches(_env_value(env, key), wanted, _NO):
                return False
        elif not wanted & (_NO | {''}):
            return False
    return True


def any_condition_holds(conditions, env):
    """CM's enable_if_any_env / skip_if_any_env test: some set key matches."""
    if not isinstance(conditions, dict):
        return False
    return any(key in env and _value_matches(_env_value(env, key), set(_spec_values(spec)), _NO | {''})
               for key, spec in conditions.items())


def is_dep_to_be_skipped(dep, env, prefix):
    """Whether an update_deps entry's own conditions rule it out for this env."""
    if dep.get('skip_if_fake_run', False) and env.get(prefix + 'TMP_FAKE_RUN', '') == 'yes':
        return True
    if 'enable_if_env' in dep and not all_conditions_hold(dep['enable_if_env'], env):
        return True
    if 'enable_if_any_env' in dep and not any_condition_holds(dep['enable_if_any_env'], env):
        return True
    if 'skip_if_env' in dep and all_conditions_hold(dep['skip_if_env'], env):
        return True
    if 'skip_if_any_env' in dep and any_condition_holds(dep['skip_if_any_env'], env):
        return True
    return False


def _expand_placeholders(mapping, env):
    """Replace <<<KEY>>> in string values (recursively in dicts) with env values that are set."""
    for key, value in mapping.items():
        if isinstance(value, dict):
            _expand_placeholders(value, env)
        elif isinstance(value, str):
            for name in _PLACEHOLDER.findall(value):
                if name in env:
                    value = value.replace('<<<{}>>>'.format(name), str(env[name]))
            mapping[key] = value


def update_dep_info(dep, new_info):
    """Add one update to a dep: tags are appended (unresolved <<<>>> tags dropped), dicts merged, lists extended,
    other values replaced; condition keys are not copied."""
    for key, value in new_info.items():
        if key == 'tags':
            existing = dep.get('tags', '').split(',')
            added = []
            for tag in value.split(','):
                if '<<<' not in tag and tag not in existing and tag not in added:
                    added.append(tag)
            dep['tags'] = ','.join(existing + added)
        elif 'enable_if_' in key or 'skip_if_' in key:
            continue
        elif isinstance(value, dict):
            dep.setdefault(key, {})
            if isinstance(dep[key], dict):
                merge_dicts({'dict1': dep[key], 'dict2': value, 'append_lists': True, 'append_unique': True})
        elif isinstance(value, list):
            dep.setdefault(key, [])
            if isinstance(dep[key], list):
                dep[key].extend(value)
        else:
            dep[key] = value


def update_deps(deps, add_deps, env, prefix):
    """Apply add_deps ({dep name: update}) to every dep in `deps` carrying that name."""
    for name, update in add_deps.items():
        if is_dep_to_be_skipped(update, env, prefix):
            continue
        for dep in deps:
            if name in dep.get('names', []):
                _expand_placeholders(update, env)
                update_dep_info(dep, update)
    return {'return': 0}
