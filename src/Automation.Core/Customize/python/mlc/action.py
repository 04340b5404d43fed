"""mlc.action: MLC's access entry point (hooks also `importlib.reload(mlc.action)`, so it is a real module)."""

import cm_host_access


def access(i):
    """mlc.access({...}): a script/cache action run by the engine, or a utils action run here."""
    return cm_host_access.access(i, 'script')
