"""``alembic.operations.ops``: the base class for user-defined operations
(``@Operations.register_operation`` / ``@Operations.implementation_for``)."""

from retort.ops import MigrateOperation

__all__ = ["MigrateOperation"]
