"""retort's stand-in for the ``alembic`` package: what env.py files and
migration scripts import (``context``, ``op``), backed by retort."""


import sqlalchemy.dialects.mysql  # noqa: F401  scripts use sa.dialects.mysql.X unimported
import sqlalchemy.dialects.postgresql  # noqa: F401
import sqlalchemy.dialects.sqlite  # noqa: F401

from . import context  # noqa: F401
from . import op  # noqa: F401

__version__ = "1.19.1"
