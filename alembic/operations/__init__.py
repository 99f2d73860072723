"""``alembic.operations`` for migration scripts run by retort."""

from retort.ops import BatchOperations
from retort.ops import MigrateOperation
from retort.ops import Operations

from . import ops  # noqa: F401

# Alembic's base of Operations and BatchOperations; retort's BatchOperations
# derives from Operations, so the base is Operations itself.
AbstractOperations = Operations

__all__ = ["AbstractOperations", "Operations", "BatchOperations", "MigrateOperation", "MigrationScript"]


def __getattr__(name):
    # process_revision_directives recipes import it from here; the
    # autogenerate modules load only when one does.
    if name == "MigrationScript":
        from retort.autogen import MigrationScript

        return MigrationScript
    raise AttributeError("module %r has no attribute %r" % (__name__, name))
