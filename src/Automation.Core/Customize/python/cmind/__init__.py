"""`import cmind` / `from cmind import utils` inside CM-format hooks: CM's package as hooks use it."""

import cm_host_access

from . import utils  # noqa: F401


def access(i):
    """cmind.access({...}): a script/cache action run by the engine, or a utils action run here."""
    return cm_host_access.access(i, 'script')


__all__ = ['access', 'utils']
