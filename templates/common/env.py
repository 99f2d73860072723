"""The migration environment: alembic and retort run this file for every
command that needs the database (upgrade, downgrade, current, stamp, ...)."""

from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic import context

# The configuration of the command being run: alembic.ini and, where used,
# [tool.alembic] of pyproject.toml.
config = context.config

# Python logging as the ini file's [loggers], [handlers] and [formatters]
# sections describe it.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# The MetaData of your models, for `revision --autogenerate`; for example
#     from myapp.models import Base
#     target_metadata = Base.metadata
target_metadata = None

# Settings of your own can live in the ini file's main section and be read
# with config.get_main_option("my_setting").


def run_migrations_offline() -> None:
    """--sql: write the SQL out as text instead of running it.

    Only the URL is needed (for its dialect); no connection is opened, so no
    database driver has to be installed.
    """
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Connect with the sqlalchemy.* settings of the main section and run
    the migrations on that connection."""
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
