"""``alembic.operations`` for migration scripts run by retort."""

from retort.ops import BatchOperations
from retort.ops import Operations

from . import ops  # noqa: F401

__all__ = ["Operations", "BatchOperations"]
