[tool.alembic]

# Where env.py, script.py.mako and versions/ live. A POSIX path; %(here)s
# stands for the directory of this file.
script_location = "${script_location}"

# Names of new revision files. Tokens: %%(rev)s %%(slug)s %%(epoch)s
# %%(year)d %%(month).2d %%(day).2d %%(hour).2d %%(minute).2d %%(second).2d.
# The default is %%(rev)s_%%(slug)s. To start names with the date and time:
# file_template = "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s"
# or to file them in dated folders (then set recursive_version_locations = true):
# file_template = "%%(year)d/%%(month).2d/%%(day).2d_%%(hour).2d%%(minute).2d_%%(second).2d_%%(rev)s_%%(slug)s"

# Put in front of sys.path, so that env.py can import your application.
prepend_sys_path = [
    "."
]

# Time zone of the dates in new revision files and their names, a ZoneInfo
# name such as "Europe/Paris" (needs the tzdata package on some systems).
# Unset: local time.
# timezone =

# Longest "slug" (the message part of a file name).
# truncate_slug_length = 40

# true: run env.py for `revision` too, not only for --autogenerate.
# revision_environment = false

# true: also load .pyc/.pyo files that have no .py beside them from versions/.
# sourceless = false

# Directories of revision files; the default is <script_location>/versions.
# With several, a first revision on a new branch needs --version-path.
# version_locations = [
#    "%(here)s/alembic/versions",
#    "%(here)s/foo/bar"
# ]

# true: look for revision files in subdirectories of each version location.
# recursive_version_locations = false

# Encoding of new revision files.
# output_encoding = "utf-8"

# Programs run on each new revision file; REVISION_SCRIPT_FILENAME stands
# for its path.
#
# black, through its console_scripts entry point:
# [[tool.alembic.post_write_hooks]]
# name = "black"
# type = "console_scripts"
# entrypoint = "black"
# options = "-l 79 REVISION_SCRIPT_FILENAME"
#
# ruff, run as a module:
# [[tool.alembic.post_write_hooks]]
# name = "ruff"
# type = "module"
# module = "ruff"
# options = "check --fix REVISION_SCRIPT_FILENAME"
#
# or any executable on PATH:
# [[tool.alembic.post_write_hooks]]
# name = "ruff"
# type = "exec"
# executable = "ruff"
# options = "check --fix REVISION_SCRIPT_FILENAME"
