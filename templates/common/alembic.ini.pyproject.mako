# Connection and logging for alembic and retort; the other migration settings
# are in [tool.alembic] of pyproject.toml.

[alembic]

# The database. Only env.py reads it; change env.py to take the URL from
# somewhere else.
sqlalchemy.url = driver://user:pass@localhost/dbname


# Python logging, applied by env.py.
[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
