"""`import mlc` / `from mlc import utils` inside hooks: MLC's package as hooks use it (access and utils)."""

from . import utils  # noqa: F401
from .action import access  # noqa: F401

__all__ = ['access', 'utils']
