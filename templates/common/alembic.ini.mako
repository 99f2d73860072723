# Migration settings for alembic and retort: one database.

[alembic]
# Where env.py, script.py.mako and versions/ live. A POSIX path; %(here)s
# stands for the directory of this file.
script_location = ${script_location}

# Names of new revision files. Tokens: %%(rev)s %%(slug)s %%(epoch)s
# %%(year)d %%(month).2d %%(day).2d %%(hour).2d %%(minute).2d %%(second).2d.
# The default is %%(rev)s_%%(slug)s. To start names with the date and time:
# file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s
# or to file them in dated folders (then set recursive_version_locations = true):
# file_template = %%(year)d/%%(month).2d/%%(day).2d_%%(hour).2d%%(minute).2d_%%(second).2d_%%(rev)s_%%(slug)s

# Put in front of sys.path, so that env.py can import your application;
# several paths are split on path_separator (below).
prepend_sys_path = .

# Time zone of the dates in new revision files and their names, a ZoneInfo
# name such as Europe/Paris (needs the tzdata package on some systems).
# Unset: local time.
# timezone =

# Longest "slug" (the message part of a file name).
# truncate_slug_length = 40

# true: run env.py for `revision` too, not only for --autogenerate.
# revision_environment = false

# true: also load .pyc/.pyo files that have no .py beside them from versions/.
# sourceless = false

# Directories of revision files, split on path_separator; the default is
# <script_location>/versions. With several, a first revision on a new branch
# needs --version-path.
# version_locations = %(here)s/bar:%(here)s/bat:%(here)s/alembic/versions

# The character between paths in version_locations and prepend_sys_path:
# os (os.pathsep), ":", ";", space or newline. Without this key, older
# splitting rules apply (spaces and commas, and colons for prepend_sys_path).
path_separator = os

# true: look for revision files in subdirectories of each version location.
# recursive_version_locations = false

# Encoding of new revision files.
# output_encoding = utf-8

# The database. Only env.py reads it; change env.py to take the URL from
# somewhere else.
sqlalchemy.url = driver://user:pass@localhost/dbname


[post_write_hooks]
# Programs run on each new revision file; REVISION_SCRIPT_FILENAME stands
# for its path.

# black, through its console_scripts entry point:
# hooks = black
# black.type = console_scripts
# black.entrypoint = black
# black.options = -l 79 REVISION_SCRIPT_FILENAME

# ruff, run as a module:
# hooks = ruff
# ruff.type = module
# ruff.module = ruff
# ruff.options = check --fix REVISION_SCRIPT_FILENAME

# or any executable on PATH:
# hooks = ruff
# ruff.type = exec
# ruff.executable = ruff
# ruff.options = check --fix REVISION_SCRIPT_FILENAME

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
