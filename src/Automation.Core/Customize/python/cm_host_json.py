"""JSON-safe copies of what hooks leave in env/state/meta, so one odd value never breaks the protocol line."""

import math
import os


class Unsafe(Exception):
    """Raised by `reject` for a value that has no JSON form (used where such values are dropped, not converted)."""


def reject(value):
    """Fallback that refuses values with no JSON form."""
    raise Unsafe(type(value).__name__)


def json_safe(value, fallback=str):
    """A copy of `value` that json.dumps accepts: sets/tuples become lists, paths and bytes strings,
    non-finite floats strings; anything else unknown goes through `fallback` (str by default)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dict):
        return {str(k): json_safe(v, fallback) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v, fallback) for v in value]
    if isinstance(value, (set, frozenset)):
        items = [json_safe(v, fallback) for v in value]
        return sorted(items, key=repr)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode('utf-8', errors='replace')
    return fallback(value)


def json_safe_entries(mapping):
    """The entries of `mapping` that have a JSON form, converted; the others are left out."""
    kept = {}
    for key, value in mapping.items():
        try:
            kept[str(key)] = json_safe(value, reject)
        except Unsafe:
            continue
    return kept
