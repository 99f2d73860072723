"""Which Alembic retort's autogenerate answers like: the newest that supports
the installed SQLAlchemy.  Alembic 1.20 needs SQLAlchemy 2.0 (it imports
``sqlalchemy.sql.base._NoneName``, which 1.4 lacks); on SQLAlchemy 1.4 it is
Alembic 1.19."""

from sqlalchemy.sql import base as _sql_base

# Alembic 1.20: a ``# WARNING`` comment above a drop_constraint() of an
# unnamed constraint; an empty comment is no comment; an empty comment
# rendered; dialect keywords of check constraints and foreign keys rendered;
# MySQL numeric server defaults compared unwrapped.
ALEMBIC_1_20 = hasattr(_sql_base, "_NoneName")
