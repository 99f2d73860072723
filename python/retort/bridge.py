"""``_retort``: the Rust host's functions, as the shim calls them.  Each is a
call over :mod:`retort.channel`; ``src/host/bridge.rs`` answers it."""

import marshal

from .channel import plain, call

HISTORY_TABLE = "retort_history"  # set from the host at start


class DbError(Exception):
    """A database error reported by the host: ``args`` are (SQLSTATE or
    driver error code or None, message, statement or None)."""


DbError.__module__ = "_retort"


def db_connect(url):
    """-> (handle, dialect name, is MariaDB, server version)"""
    return call("db_connect", url)


def db_execute(handle, sql):
    """-> (columns or None, rows, rowcount, last insert id or None)"""
    return call("db_execute", handle, sql)


def db_execute_bound(handle, sql, param_sets):
    """As :func:`db_execute` once per parameter set, values bound (SQLite);
    None, with nothing run, when the values cannot all be bound."""
    try:
        marshal.dumps(param_sets, 2)
    except ValueError:
        try:
            param_sets = plain(param_sets)  # subclasses of int and str bind as sqlite3 binds them
        except ValueError:
            return None  # a value sqlite3 binds only through an adapter (Decimal, datetime, ...): inlined
    return call("db_execute_bound", handle, sql, param_sets)


def db_close(handle):
    call("db_close", handle)


def lock_migrations(handle, table, schema, timeout):
    call("lock_migrations", handle, table, schema, timeout)


def version_sql(kind, dialect, mariadb, table, schema, pk):
    return call("version_sql", kind, dialect, mariadb, table, schema, pk)


def history_sql(kind, dialect, mariadb, schema, revision=None, checksum=None, duration_ms=None):
    return call("history_sql", kind, dialect, mariadb, schema, revision, checksum, duration_ms)


def migration_steps(heads, url, dialect, mariadb, table, schema, pk, history=None):
    return call("migration_steps", heads, url, dialect, mariadb, table, schema, pk, history)


def render_ddl(dialect, mariadb, ir, percent_escape=None):
    return call("render_ddl", dialect, mariadb, ir, percent_escape)


def batch_plan(dialect, mariadb, ir, handle, as_sql):
    return call("batch_plan", dialect, mariadb, ir, handle, as_sql)


def resolve_start(revisions):
    return call("resolve_start", list(revisions))


def print_stdout(text):
    call("print_stdout", text)


def script_heads():
    return call("script_heads")


def set_logging_configured(on):
    call("set_logging_configured", bool(on))


def toml_option(name, default=None):
    found, value = call("toml_option", name)
    return value if found else default
