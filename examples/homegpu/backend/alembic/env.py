"""Migration environment for the homegpu backend.

Alembic runs this module for every command that touches the database
(or renders SQL with --sql). The database URL is not kept in alembic.ini:
it comes from app.config, the same place the application reads it from.
"""

from logging.config import fileConfig

from sqlalchemy import engine_from_config, pool
from sqlalchemy.engine import make_url

from alembic import context

from app import config as app_config
from app.models import Base

# The Config object for the alembic.ini in use.
config = context.config

# Configure Python logging from the ini's [loggers]/[handlers]/[formatters],
# unless Alembic was driven programmatically without an ini file.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# The models' metadata: what `alembic revision --autogenerate` and
# `alembic check` compare the live database against.
target_metadata = Base.metadata

DATABASE_URL = app_config.DATABASE_URL


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def run_migrations_offline() -> None:
    """Emit the migration SQL as text (``--sql``) without connecting.

    Only a URL is needed, to choose the dialect; the DBAPI driver does not
    have to be installed. Bound values are rendered inline so the output
    can be run as a plain script.
    """
    context.configure(
        url=DATABASE_URL,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=_is_sqlite(DATABASE_URL),
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Connect to the database and apply the migrations there."""
    # Take the [alembic] section as-is and put our URL into it, rather
    # than writing it back through set_main_option (which would need any
    # '%' in a password escaped for configparser).
    section = config.get_section(config.config_ini_section, {})
    section["sqlalchemy.url"] = DATABASE_URL

    connectable = engine_from_config(
        section,
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite can only do a few kinds of ALTER TABLE; batch mode
            # rebuilds the table instead when it has to.
            render_as_batch=connection.dialect.name == "sqlite",
        )

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
