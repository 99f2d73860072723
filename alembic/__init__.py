"""retort's stand-in for the ``alembic`` package: what env.py files and
migration scripts import (``context``, ``op``), backed by retort."""


import sqlalchemy.dialects.mysql  # noqa: F401  scripts use sa.dialects.mysql.X unimported
import sqlalchemy.dialects.postgresql  # noqa: F401
import sqlalchemy.dialects.sqlite  # noqa: F401

from . import context  # noqa: F401
from . import op  # noqa: F401

# The Alembic retort emulates: the newest it is tested against.
EMULATED_VERSION = "1.20.1"


def __getattr__(name):
    # ``alembic.__version__`` is the installed Alembic's when the environment
    # has one (scripts that check it see the version they were written
    # against), else the version retort emulates.  Looked up on first use:
    # reading package metadata costs start-up time most runs never need.
    if name != "__version__":
        raise AttributeError("module 'alembic' has no attribute %r" % name)
    try:
        from importlib import metadata

        version = metadata.version("alembic")
    except Exception:  # noqa: BLE001 - no Alembic installed (or no metadata)
        version = EMULATED_VERSION
    globals()["__version__"] = version
    return version
