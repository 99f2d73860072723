"""SQLAlchemy's own dialects on retort's driver (``retort.dbapi``), and the
engine factories env.py calls (``create_engine``, ``engine_from_config``,
``async_engine_from_config``) rerouted to them.

The URL env.py gives keeps its meaning — retort's sqlx layer parses the
original SQLAlchemy URL — but no Python driver is imported.
"""

import importlib.abc
import json
import os
import sys
import weakref

import sqlalchemy
from sqlalchemy.dialects import registry

from . import dbapi


class _RetortDriver:
    driver = "retort"
    supports_statement_cache = True
    default_paramstyle = "pyformat"

    @classmethod
    def import_dbapi(cls):
        return dbapi

    @classmethod
    def dbapi(cls):  # SQLAlchemy 1.4 spelling
        return dbapi

    def is_disconnect(self, e, connection, cursor):
        return False

    def do_ping(self, dbapi_connection):
        dbapi_connection.cursor().execute("SELECT 1")
        return True


class _SpaceVector:
    """``int2vector`` / ``oidvector`` (``pg_index.indkey``, ``indoption``...):
    like psycopg2, the driver hands them over as text (``'0 1'``), which
    reflection reads as lists of ints, as SQLAlchemy's psycopg dialects do."""

    def result_processor(self, dialect, coltype):
        def process(value):
            if value is None or isinstance(value, list):
                return value
            return [int(p) for p in value.split()]

        return process


# The dialect classes are built on first use (SQLAlchemy's registry asks this
# module for them by name, see __getattr__): a run imports its own dialect's
# modules only, not all four.


def _build_pg():
    from sqlalchemy import types as sqltypes
    from sqlalchemy.dialects.postgresql.base import PGDialect
    from sqlalchemy.dialects.postgresql.json import JSON, JSONB

    try:
        from sqlalchemy.dialects.postgresql.pg_catalog import INT2VECTOR, OIDVECTOR
    except ImportError:  # SQLAlchemy 1.4 reflects without these types
        vectors = {}
    else:

        class _RetortINT2VECTOR(_SpaceVector, INT2VECTOR):
            pass

        class _RetortOIDVECTOR(_SpaceVector, OIDVECTOR):
            pass

        vectors = {INT2VECTOR: _RetortINT2VECTOR, OIDVECTOR: _RetortOIDVECTOR}

    # The driver parses json/jsonb values itself, as psycopg2 does, so (as in
    # SQLAlchemy's psycopg2 dialect) the types leave results alone.
    class _RetortJSON(JSON):
        def result_processor(self, dialect, coltype):
            return None

    class _RetortJSONB(JSONB):
        def result_processor(self, dialect, coltype):
            return None

    class RetortPGDialect(_RetortDriver, PGDialect):
        supports_statement_cache = True
        supports_native_decimal = True
        colspecs = {
            **PGDialect.colspecs,
            **vectors,
            JSON: _RetortJSON,
            sqltypes.JSON: _RetortJSON,
            JSONB: _RetortJSONB,
        }
        # As psycopg2's dialect (executemany_mode "values_only", its default):
        # an executemany() INSERT is sent as multi-row VALUES pages, one
        # statement per page instead of one per row (op.bulk_insert, ORM).
        use_insertmanyvalues_wo_returning = True

        def get_isolation_level_values(self, dbapi_connection):
            return ("AUTOCOMMIT", "READ COMMITTED", "READ UNCOMMITTED", "REPEATABLE READ", "SERIALIZABLE")

        def set_isolation_level(self, dbapi_connection, level):
            # psycopg2's set_isolation_level(), which SQLAlchemy calls, first
            # rolls back the transaction its own SELECTs (get_isolation_level)
            # may have opened.
            dbapi_connection.rollback()
            if level == "AUTOCOMMIT":
                dbapi_connection.autocommit = True
                return
            dbapi_connection.autocommit = False
            cursor = dbapi_connection.cursor()
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL %s" % level)
            cursor.execute("COMMIT")
            dbapi_connection._in_tx = False

        def detect_autocommit_setting(self, dbapi_conn):
            return dbapi_conn.autocommit

        def set_readonly(self, connection, value):
            pass

        def get_readonly(self, connection):
            return False

        def set_deferrable(self, connection, value):
            pass

        def get_deferrable(self, connection):
            return False

    return RetortPGDialect


def _build_mysql():
    from sqlalchemy.dialects.mysql.base import MySQLDialect

    class RetortMySQLDialect(_RetortDriver, MySQLDialect):
        supports_statement_cache = True
        supports_native_decimal = True

        def _detect_charset(self, connection):
            return "utf8mb4"

        def _extract_error_code(self, exception):
            try:
                return int(exception.code)
            except (TypeError, ValueError):
                return None

        def get_isolation_level_values(self, dbapi_connection):
            return ("AUTOCOMMIT", "READ COMMITTED", "READ UNCOMMITTED", "REPEATABLE READ", "SERIALIZABLE")

        def set_isolation_level(self, dbapi_connection, level):
            if level == "AUTOCOMMIT":
                dbapi_connection.autocommit = True
                return
            dbapi_connection.autocommit = False
            super().set_isolation_level(dbapi_connection, level)

        def detect_autocommit_setting(self, dbapi_conn):
            return dbapi_conn.autocommit

    return RetortMySQLDialect


def _build_mariadb():
    from sqlalchemy.dialects.mysql.mariadb import MariaDBDialect

    class RetortMariaDBDialect(MariaDBDialect, __getattr__("RetortMySQLDialect")):
        supports_statement_cache = True

    return RetortMariaDBDialect


def _build_sqlite():
    from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

    class RetortSQLiteDialect(_RetortDriver, SQLiteDialect_pysqlite):
        supports_statement_cache = True
        # pysqlite's style: compiled SQL keeps single percent signs, as Alembic's.
        default_paramstyle = "qmark"

        def __init__(self, *args, **kw):
            # SQLAlchemy would otherwise take the driver module's (pyformat).
            kw.setdefault("paramstyle", "qmark")
            super().__init__(*args, **kw)

        def _get_server_version_info(self, connection):
            return dbapi.sqlite_version_info

        def on_connect(self):
            return None

        @classmethod
        def get_pool_class(cls, url):
            return sqlalchemy.pool.NullPool

    return RetortSQLiteDialect


_BUILDERS = {
    "RetortPGDialect": _build_pg,
    "RetortMySQLDialect": _build_mysql,
    "RetortMariaDBDialect": _build_mariadb,
    "RetortSQLiteDialect": _build_sqlite,
}


def __getattr__(name):
    build = _BUILDERS.get(name)
    if build is None:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    cls = build()
    cls.__qualname__ = name
    globals()[name] = cls
    return cls


for _backend, _cls in (
    ("postgresql", "RetortPGDialect"),
    ("mysql", "RetortMySQLDialect"),
    ("mariadb", "RetortMariaDBDialect"),
    ("sqlite", "RetortSQLiteDialect"),
):
    registry.register("%s.retort" % _backend, "retort.dialects", _cls)

# Keyword arguments only a Python driver understands.
_DRIVER_ONLY = {
    "executemany_mode",
    "executemany_batch_page_size",
    "executemany_values_page_size",
    "use_native_hstore",
    "use_native_unicode",
    "client_encoding",
    "server_side_cursors",
    "native_datetime",
    "isolation_level_autocommit",
    "module",
}

_original_create_engine = sqlalchemy.create_engine

# connect_args reach retort's driver as JSON in this query parameter of the
# URL handed to Rust (src/db/url.rs, CONNECT_ARGS_KEY, takes it out again):
# keyword arguments applied after the URL's, as the Python driver takes them.
_CONNECT_ARGS_KEY = "_retort_connect_args"


def _plain(value):
    """A connect_args value as JSON carries it: paths as strings, anything
    else named by its type, so that retort refuses it by name."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    cls = type(value)
    return {"__retort_unsupported__": "%s.%s" % (cls.__module__, cls.__qualname__)}


def create_engine(url, **kw):
    """``sqlalchemy.create_engine`` with the URL's driver replaced by retort's."""
    url = sqlalchemy.engine.make_url(url)
    backend = url.get_backend_name()
    if backend == "postgres":
        backend = "postgresql"
    if backend not in ("postgresql", "mysql", "mariadb", "sqlite"):
        raise sqlalchemy.exc.NoSuchModuleError(
            "retort can't connect to %r databases (PostgreSQL, MySQL/MariaDB and SQLite are supported)"
            % backend
        )
    connect_args = kw.pop("connect_args", None)
    target = url
    if connect_args:
        blob = json.dumps(_plain(dict(connect_args)))
        target = url.update_query_dict({_CONNECT_ARGS_KEY: blob})
    original = target.render_as_string(hide_password=False)
    ours = url.set(drivername=backend + "+retort", query={})
    for key in _DRIVER_ONLY:
        kw.pop(key, None)
    kw.pop("creator", None)
    kw.pop("async_creator", None)
    same_thread = backend == "sqlite" and _sqlite_checks_same_thread(url, connect_args)
    engine = _original_create_engine(ours, creator=lambda: dbapi.connect(original, same_thread), **kw)
    engine.url = url
    return engine


def _sqlite_checks_same_thread(url, connect_args):
    """``check_same_thread`` as the installed SQLAlchemy's pysqlite dialect
    would hand it to sqlite3 for ``url`` (2.0: False for a file database;
    1.4: sqlite3's default, True), ``connect_args`` over it."""
    from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

    try:
        _, opts = SQLiteDialect_pysqlite().create_connect_args(url)
    except Exception:  # noqa: BLE001 - a URL SQLAlchemy refuses is refused later
        opts = {}
    opts.update(connect_args or {})
    return bool(opts.get("check_same_thread", True))


def engine_from_config(configuration, prefix="sqlalchemy.", **kwargs):
    options = {key[len(prefix) :]: configuration[key] for key in configuration if key.startswith(prefix)}
    options["_coerce_config"] = True
    options.update(kwargs)
    url = options.pop("url")
    return create_engine(url, **options)


# op.run_async finds the AsyncConnection again from the connection env.py
# hands to run_sync, as SQLAlchemy's proxy lookup does.
_ASYNC_PROXIES = weakref.WeakKeyDictionary()


class _AsyncResult:
    """What ``AsyncConnection.stream()`` gives: a buffered result read with
    ``await`` and ``async for``."""

    def __init__(self, result):
        self._result = result

    def __aiter__(self):
        return self

    async def __anext__(self):
        row = self._result.fetchone()
        if row is None:
            raise StopAsyncIteration
        return row

    def scalars(self, index=0):
        return _AsyncResult(self._result.scalars(index))

    def mappings(self):
        return _AsyncResult(self._result.mappings())

    def keys(self):
        return self._result.keys()

    def __getattr__(self, name):
        method = getattr(self._result, name)

        async def call(*args, **kw):
            return method(*args, **kw)

        return call


class AsyncConnection:
    """What ``AsyncEngine.connect()`` yields, over a synchronous connection."""

    def __init__(self, sync_connection):
        self.sync_connection = sync_connection
        self.sync_engine = sync_connection.engine
        self.dialect = sync_connection.dialect
        _ASYNC_PROXIES[sync_connection] = self

    @property
    def info(self):
        return self.sync_connection.info

    async def run_sync(self, fn, *args, **kw):
        return fn(self.sync_connection, *args, **kw)

    async def execute(self, statement, parameters=None, **kw):
        return self.sync_connection.execute(statement, parameters, **kw)

    async def scalar(self, statement, parameters=None, **kw):
        return self.sync_connection.scalar(statement, parameters, **kw)

    async def scalars(self, statement, parameters=None, **kw):
        return self.sync_connection.scalars(statement, parameters, **kw)

    async def stream(self, statement, parameters=None, **kw):
        return _AsyncResult(self.sync_connection.execute(statement, parameters, **kw))

    async def stream_scalars(self, statement, parameters=None, **kw):
        return (await self.stream(statement, parameters, **kw)).scalars()

    async def execution_options(self, **opt):
        self.sync_connection.execution_options(**opt)
        return self

    async def get_raw_connection(self):
        return self.sync_connection.connection

    def get_transaction(self):
        return self.sync_connection.get_transaction()

    def begin_nested(self):
        return _AsyncBegin(self.sync_connection.begin_nested())

    async def exec_driver_sql(self, statement, parameters=None, **kw):
        return self.sync_connection.exec_driver_sql(statement, parameters, **kw)

    async def commit(self):
        self.sync_connection.commit()

    async def rollback(self):
        self.sync_connection.rollback()

    async def close(self):
        self.sync_connection.close()

    def begin(self):
        return _AsyncBegin(self.sync_connection.begin())

    def in_transaction(self):
        return self.sync_connection.in_transaction()

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        self.sync_connection.__exit__(*exc)


class _AsyncBegin:
    def __init__(self, transaction):
        self.transaction = transaction

    async def __aenter__(self):
        return self.transaction

    async def __aexit__(self, *exc):
        self.transaction.__exit__(*exc)

    def __await__(self):
        async def done():
            return self.transaction

        return done().__await__()


class _AsyncConnect:
    def __init__(self, engine):
        self.engine = engine
        self.connection = None

    async def _open(self):
        self.connection = AsyncConnection(self.engine.connect())
        return self.connection

    def __await__(self):
        return self._open().__await__()

    async def __aenter__(self):
        return await self._open()

    async def __aexit__(self, *exc):
        await self.connection.__aexit__(*exc)


class AsyncEngine:
    """Stands in for ``sqlalchemy.ext.asyncio.AsyncEngine``: the async env.py
    template's calls run synchronously on retort's connection."""

    def __init__(self, sync_engine):
        self.sync_engine = sync_engine
        self.url = sync_engine.url
        self.dialect = sync_engine.dialect
        self.name = sync_engine.name

    def connect(self):
        return _AsyncConnect(self.sync_engine)

    def begin(self):
        engine = self.sync_engine

        class _Begin:
            async def __aenter__(inner):
                inner.conn = engine.connect()
                inner.tx = inner.conn.begin()
                return AsyncConnection(inner.conn)

            async def __aexit__(inner, *exc):
                inner.tx.__exit__(*exc)
                inner.conn.close()

        return _Begin()

    async def dispose(self, close=True):
        self.sync_engine.dispose(close)


def async_connection_for(sync_connection):
    """The AsyncConnection an async env.py opened over ``sync_connection``,
    or None when env.py used a synchronous engine."""
    try:
        return _ASYNC_PROXIES.get(sync_connection)
    except TypeError:  # not weakly referenceable: not one of ours
        return None


def run_coroutine(awaitable):
    """Runs ``awaitable`` to its end on this thread.  Our async connection's
    methods never suspend, so nothing needs the event loop env.py is
    already inside; a bare ``asyncio.sleep(0)`` is stepped over.  Awaiting
    anything that really suspends (a timer, another driver's I/O) cannot
    complete here: SQLAlchemy's greenlet bridge, which Alembic relies on,
    is not part of retort's synchronous stand-in."""
    steps = awaitable.__await__()
    try:
        while True:
            waited = steps.send(None)
            if waited is not None:
                steps.close()
                raise NotImplementedError(
                    "op.run_async: the coroutine awaited %r; retort's async connections run "
                    "synchronously, so only awaits on the connection it was given can complete" % (waited,)
                )
    except StopIteration as done:
        return done.value


def create_async_engine(url, **kw):
    return AsyncEngine(create_engine(url, **kw))


def async_engine_from_config(configuration, prefix="sqlalchemy.", **kwargs):
    return AsyncEngine(engine_from_config(configuration, prefix, **kwargs))


_ASYNC_MODULES = ("sqlalchemy.ext.asyncio", "sqlalchemy.ext.asyncio.engine")


def _patch_async(module):
    module.create_async_engine = create_async_engine
    module.async_engine_from_config = async_engine_from_config


class _PatchAsyncOnImport(importlib.abc.MetaPathFinder):
    """Patches SQLAlchemy's asyncio engine factories when env.py imports
    them: importing ``sqlalchemy.ext.asyncio`` (and asyncio) up front would
    cost every run, most of which never use it."""

    def find_spec(self, name, path=None, target=None):
        if name not in _ASYNC_MODULES:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(name, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        exec_module = getattr(loader, "exec_module", None)
        if exec_module is None:
            return spec

        def exec_and_patch(module):
            exec_module(module)
            _patch_async(module)

        # The loader is this module's own (one per file), so the patch stays
        # with this import.
        loader.exec_module = exec_and_patch
        return spec


def install():
    """Points SQLAlchemy's public engine factories at ours."""
    import sqlalchemy.engine
    import sqlalchemy.engine.create

    for module in (sqlalchemy, sqlalchemy.engine, sqlalchemy.engine.create):
        module.create_engine = create_engine
        module.engine_from_config = engine_from_config
    loaded = [sys.modules[name] for name in _ASYNC_MODULES if name in sys.modules]
    for module in loaded:
        _patch_async(module)
    if len(loaded) < len(_ASYNC_MODULES):
        sys.meta_path.insert(0, _PatchAsyncOnImport())
