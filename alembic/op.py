"""``from alembic import op``: the Operations object of the running script."""

from retort import proxy as _proxy


def __getattr__(name):
    return getattr(_proxy.operations(), name)
