"""All ORM models. Importing this package registers every table on
``Base.metadata``, which is what alembic/env.py hands to autogenerate."""

from .base import Base, NAMING_CONVENTION
from .jobs import JOB_STATUSES, Job, UsageRecord
from .nodes import NODE_STATUSES, Gpu, Node
from .users import ApiKey, User

metadata = Base.metadata

__all__ = [
    "Base",
    "NAMING_CONVENTION",
    "metadata",
    "User",
    "ApiKey",
    "Node",
    "Gpu",
    "Job",
    "UsageRecord",
    "NODE_STATUSES",
    "JOB_STATUSES",
]
