"""``from alembic import context``: the EnvironmentContext of the run."""

from retort import proxy as _proxy


def __getattr__(name):
    return getattr(_proxy.environment(), name)
