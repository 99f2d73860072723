"""``alembic.context`` for env.py: the EnvironmentContext and MigrationContext
of Alembic, mirrored where env.py and migration scripts can see them.

The run itself belongs to the Rust host: ``_retort.migration_steps(heads)``
returns the steps of the command being run (with the version-table statements
each step performs) and ``_retort.render_ddl`` turns operations into SQL.
Transactions are taken on the SQLAlchemy connection env.py configured, with
Alembic's rules, so env.py code that inspects them sees what it would see.
"""

import contextlib
import importlib.machinery
import importlib.util
import json
import logging
import re
import sys
import time

import sqlalchemy
from sqlalchemy import schema as sa_schema
from sqlalchemy import text
from sqlalchemy.engine import url as sa_url
from sqlalchemy.engine.mock import MockConnection

import _retort

from . import dialects

log = logging.getLogger("alembic.runtime.migration")

_IMPL_NAMES = {
    "postgresql": "PostgresqlImpl",
    "sqlite": "SQLiteImpl",
    "mysql": "MySQLImpl",
    "mariadb": "MariaDBImpl",
    "mssql": "MSSQLImpl",
    "oracle": "OracleImpl",
}


class CommandError(Exception):
    """Alembic's ``alembic.util.CommandError``: printed as ``FAILED: …``."""


class _ProxyTransaction:
    def __init__(self, migration_context):
        self.migration_context = migration_context

    @property
    def _proxied_transaction(self):
        return self.migration_context._transaction

    def rollback(self):
        self._proxied_transaction.rollback()
        self.migration_context._transaction = None

    def commit(self):
        self._proxied_transaction.commit()
        self.migration_context._transaction = None

    def __enter__(self):
        return self

    def __exit__(self, type_, value, traceback):
        if self._proxied_transaction is not None:
            self._proxied_transaction.__exit__(type_, value, traceback)
            self.migration_context._transaction = None


class _Impl:
    """The parts of Alembic's ``DefaultImpl`` that env.py and scripts touch."""

    def __init__(self, context, dialect, transactional_ddl):
        self.migration_context = context
        self.dialect = dialect
        self.connection = context.connection
        # SQLAlchemy's DDL events keep what a run has created here (a native
        # enum type is created once per run): Alembic's impl is that runner.
        self.memo = {}
        name = dialect.name
        # Alembic picks its impl by the URL's dialect name: a mysql:// URL on a
        # MariaDB server still gets MySQLImpl.
        self.impl_name = _IMPL_NAMES.get(name, "DefaultImpl")
        default = name in ("postgresql", "mssql")
        self.transactional_ddl = default if transactional_ddl is None else transactional_ddl
        self.as_sql = context.as_sql
        self.literal_binds = context.opts.get("literal_binds", False)
        self.output_buffer = context.output_buffer
        if self.literal_binds and not self.as_sql:
            raise CommandError("Can't use literal_binds setting without as_sql mode")

    def _exec(self, construct, execution_options=None, multiparams=None, params=None):
        return self.migration_context._exec(construct, multiparams or params, execution_options)

    def static_output(self, text_):
        # Alembic flushes after every chunk; retort flushes when env.py is
        # done (run_env), which writes the same bytes with far fewer calls.
        self.output_buffer.write(text_ + "\n\n")

    def emit_begin(self):
        self.static_output("BEGIN;")

    def emit_commit(self):
        self.static_output("COMMIT;")

    def start_migrations(self):
        pass


def _add_note(exc, note):
    """``BaseException.add_note`` (3.11+); before 3.11 the runner prints
    ``__notes__`` itself, as 3.11's traceback module does."""
    if hasattr(exc, "add_note"):
        exc.add_note(note)
    else:
        exc.__notes__ = getattr(exc, "__notes__", []) + [note]


def _mariadb(dialect):
    return bool(getattr(dialect, "is_mariadb", False))


class MigrationContext:
    def __init__(self, dialect, connection, opts, environment_context=None):
        self.environment_context = environment_context
        self.opts = opts
        self.dialect = dialect
        self.script = opts.get("script")
        self.as_sql = opts.get("as_sql", False)
        self._transaction_per_migration = opts.get("transaction_per_migration", False)
        self.on_version_apply_callbacks = opts.get("on_version_apply", ())
        self._transaction = None
        if self.as_sql:
            # Alembic's "stdout connection": whatever is executed on it
            # (metadata.create_all(bind), …) is written out instead.
            self.connection = MockConnection(dialect, lambda construct, *a, **kw: self._exec(construct))
            self._in_external_transaction = False
        else:
            self.connection = connection
            self._in_external_transaction = connection is not None and connection.in_transaction()
        self.output_buffer = opts.get("output_buffer") or sys.stdout
        # MySQL/MariaDB online: the statements of the running step, for the
        # report of what a failing step left behind (see _StepRecord).
        self._step_record = None
        self.purge = opts.get("purge", False)
        self.version_table = opts.get("version_table") or "alembic_version"
        self.version_table_schema = opts.get("version_table_schema")
        self.version_table_pk = opts.get("version_table_pk", True)
        self._start_from_rev = opts.get("starting_rev")
        self._locked = False
        self.impl = _Impl(self, dialect, opts.get("transactional_ddl"))
        log.info("Context impl %s.", self.impl.impl_name)
        if self.as_sql:
            log.info("Generating static SQL")
        log.info(
            "Will assume %s DDL.",
            "transactional" if self.impl.transactional_ddl else "non-transactional",
        )

    # -- transactions (Alembic's rules, see ALEMBIC_SPEC §9) -------------

    def _in_connection_transaction(self):
        try:
            return self.connection.in_transaction()
        except AttributeError:
            return False

    def begin_transaction(self, _per_migration=False):
        if self._in_external_transaction:
            return contextlib.nullcontext()
        if self.impl.transactional_ddl:
            transaction_now = _per_migration == self._transaction_per_migration
        else:
            transaction_now = _per_migration is True
        if not transaction_now:
            return contextlib.nullcontext()
        if self.as_sql:
            if not self.impl.transactional_ddl:
                return contextlib.nullcontext()
            return self._offline_block()
        if not self.impl.transactional_ddl and self._transaction is not None:
            return contextlib.nullcontext()
        self._transaction = self.connection.get_transaction() or self.connection.begin()
        return _ProxyTransaction(self)

    @contextlib.contextmanager
    def _offline_block(self):
        # Like Alembic, no COMMIT is written when the block fails.
        self.impl.emit_begin()
        yield
        self.impl.emit_commit()

    @contextlib.contextmanager
    def autocommit_block(self):
        if self.as_sql:
            if self.impl.transactional_ddl:
                self.impl.emit_commit()
            try:
                yield
            finally:
                if self.impl.transactional_ddl:
                    self.impl.emit_begin()
            return
        in_connection_transaction = self._in_connection_transaction()
        if in_connection_transaction:
            self._transaction.commit()
            self._transaction = None
        current_level = self.connection.get_isolation_level()
        base_connection = self.connection
        self.connection = self.impl.connection = base_connection.execution_options(
            isolation_level="AUTOCOMMIT"
        )
        fake_trans = self.connection.begin()
        try:
            yield
        finally:
            if fake_trans is not None:
                fake_trans.commit()
            self.connection.execution_options(isolation_level=current_level)
            self.connection = self.impl.connection = base_connection
            if in_connection_transaction:
                self._transaction = self.connection.begin()

    # -- the version table -------------------------------------------------

    def _version_args(self):
        return (
            self.dialect.name,
            _mariadb(self.dialect),
            self.version_table,
            self.version_table_schema,
            bool(self.version_table_pk),
        )

    def _has_version_table(self):
        return sqlalchemy.inspect(self.connection).has_table(self.version_table, self.version_table_schema)

    def _ensure_version_table(self, purge=False):
        if self.as_sql:
            self.impl.static_output(_statement(_retort.version_sql("create", *self._version_args())))
            return
        scope = contextlib.nullcontext() if self.connection.in_transaction() else self.connection.begin()
        with scope:
            if not self._has_version_table():
                self._exec_sql(_retort.version_sql("create", *self._version_args()))
            if purge:
                self._exec_sql(_retort.version_sql("delete_all", *self._version_args()))

    def _history_args(self):
        return (self.dialect.name, _mariadb(self.dialect), self.version_table_schema)

    def _history(self):
        """``retort_history``'s rows (``checksums = true``, online), created
        first unless the command only reads; None when it is off or absent."""
        if self.as_sql or not self.opts.get("checksums"):
            return None
        if not self.opts.get("dont_mutate", False):
            scope = contextlib.nullcontext() if self.connection.in_transaction() else self.connection.begin()
            with scope:
                self._exec_sql(_retort.history_sql("create", *self._history_args()))
        elif not sqlalchemy.inspect(self.connection).has_table(_retort.HISTORY_TABLE, self.version_table_schema):
            return None
        rows = self._exec_sql(_retort.history_sql("select", *self._history_args()))
        return [tuple(str(v) for v in row) for row in rows]

    def get_current_heads(self):
        if self.as_sql:
            start = self._start_from_rev
            if start is None or start == "base":
                return ()
            starts = [start] if isinstance(start, str) else list(start)
            return tuple(_retort.resolve_start([r for r in starts if r is not None]))
        if self._start_from_rev:
            raise CommandError("Can't specify current_rev to context when using a database connection")
        if not self._has_version_table():
            return ()
        sql = _retort.version_sql("select", *self._version_args())
        return tuple(row[0] for row in self._exec_sql(sql))

    def get_current_revision(self):
        heads = self.get_current_heads()
        if len(heads) == 0:
            return None
        if len(heads) > 1:
            raise CommandError(
                "Version table '%s' has more than one head present; please use get_current_heads()"
                % self.version_table
            )
        return heads[0]

    # -- execution -----------------------------------------------------------

    def _exec_sql(self, sql):
        """Runs version-table SQL retort rendered (no parameters)."""
        if self.dialect.positional:
            return self.connection.exec_driver_sql(sql, ())
        return self.connection.exec_driver_sql(sql.replace("%", "%%"), {})

    def _exec(self, construct, params=None, execution_options=None):
        if isinstance(construct, str):
            construct = text(construct)
        if self.as_sql:
            if params:
                raise TypeError("SQL parameters not allowed with as_sql")
            self.write_offline(str(self.compile_offline(construct)))
            return None
        conn = self.connection
        if execution_options:
            conn = conn.execution_options(**execution_options)
        with self._recorded(construct):
            if params is None:
                return conn.execute(construct)
            return conn.execute(construct, params)

    def compile_offline(self, construct):
        """``construct`` compiled as ``--sql`` writes it."""
        if self.impl.literal_binds and not isinstance(construct, sa_schema.DDLElement):
            return construct.compile(dialect=self.dialect, compile_kwargs={"literal_binds": True})
        return construct.compile(dialect=self.dialect)

    def write_offline(self, sql):
        self.impl.static_output(_statement(sql))

    def execute(self, sql, execution_options=None):
        self._exec(sql, None, execution_options)

    def emit(self, ir):
        """Renders one operation in Rust and runs its statements.

        The text is what SQLAlchemy's compiler would give for the dialect's
        paramstyle (``%`` doubled for pyformat), so it runs with an empty
        parameter set, as a compiled DDL construct does.  Offline it is
        written out, ``%`` doubled only where the paramstyle asks for it."""
        if self.as_sql:
            percent = self.dialect.paramstyle in ("format", "pyformat")
            for sql in _retort.render_ddl(self.dialect.name, _mariadb(self.dialect), json.dumps(ir), percent):
                self.impl.static_output(_statement(sql))
            return
        for sql in _retort.render_ddl(self.dialect.name, _mariadb(self.dialect), json.dumps(ir)):
            with self._recorded(sql, ddl=True):
                self.connection.exec_driver_sql(sql, () if self.dialect.positional else {})

    def _recorded(self, statement, ddl=None):
        if self._step_record is None:
            return contextlib.nullcontext()
        return self._step_record.statement(statement, _is_ddl(statement) if ddl is None else ddl)

    def emit_batch(self, ir):
        """Runs ``batch_alter_table``'s statements, planned in Rust (which
        reflects the table on this connection when it rebuilds it), the way
        Alembic's ``BatchOperationsImpl.flush`` runs them: inside a
        transaction, the new table dropped again if copying the rows fails."""
        handle = None if self.as_sql else self._driver_handle()
        plan = _retort.batch_plan(
            self.dialect.name, _mariadb(self.dialect), json.dumps(ir), handle, bool(self.as_sql)
        )
        if self.as_sql:
            # Offline the rebuild is written out; Alembic's refusal (no
            # copy_from to rebuild from) comes before any of it.
            if plan["error"] is not None and not (plan["before"] or plan["guarded"]):
                raise _batch_error(*plan["error"])
            for sql in plan["before"] + plan["guarded"] + plan["after"]:
                self.impl.static_output(_statement(sql))
            if plan["error"] is not None:
                raise _batch_error(*plan["error"])
            return

        def run(statements):
            for sql in statements:
                with self._recorded(sql, ddl=True):
                    self.connection.exec_driver_sql(sql, () if self.dialect.positional else {})

        scope = contextlib.nullcontext() if self.connection.in_transaction() else self.connection.begin()
        with scope:
            run(plan["before"])
            try:
                run(plan["guarded"])
            except BaseException:
                run(plan["on_error"])
                raise
            run(plan["after"])
            if plan["error"] is not None:
                raise _batch_error(*plan["error"])

    @property
    def bind(self):
        return self.connection

    @property
    def config(self):
        return self.environment_context.config if self.environment_context else None

    # -- the run ---------------------------------------------------------------

    def _driver_handle(self):
        """The handle of retort's driver connection under the SQLAlchemy one
        (None for a connection retort's driver did not make)."""
        dbapi_connection = getattr(self.connection.connection, "dbapi_connection", None)
        return getattr(dbapi_connection, "_handle", None)

    def _take_lock(self):
        """The migration lock (``db::lock``), taken before the heads are read,
        so a run that waited sees what the run before it left."""
        if self.as_sql or self._locked or not self.opts.get("lock"):
            return
        handle = self._driver_handle()
        if handle is None:
            sys.stderr.write(
                "retort: warning: env.py's connection was not made by retort's driver; "
                "the migration lock is not taken\n"
            )
            return
        _retort.lock_migrations(handle, self.version_table, self.version_table_schema, self.opts.get("lock_timeout"))
        self._locked = True

    def run_migrations(self, **kw):
        self._take_lock()
        if self.purge:
            if self.as_sql:
                raise CommandError("Can't use --purge with --sql mode")
            self._ensure_version_table(purge=True)
            heads = ()
        else:
            heads = self.get_current_heads()
            if not self.as_sql and not heads and not self.opts.get("dont_mutate", False):
                self._ensure_version_table()
        if self.opts.get("ensure_version"):
            self._ensure_version_table()
        steps = _retort.migration_steps(list(heads), self._url(), *self._version_args(), self._history())
        # Alembic imports the scripts (building its revision map) and looks up
        # each step's function before the first step: a script that cannot be
        # imported, or lacks the function (an AttributeError), stops the run
        # with nothing migrated.
        fns = [_step_function(step) for step in steps]
        current = list(heads)
        for step, fn in zip(steps, fns):
            try:
                self._run_step(step, fn, current, kw)
            except BaseException as e:
                if self._step_record is not None:
                    _add_note(e, self._step_record.report(step, current))
                raise
            finally:
                self._step_record = None
            current = step["heads_after"]

    def _run_step(self, step, fn, current, kw):
        if not self.as_sql and self.dialect.name in ("mysql", "mariadb"):
            self._step_record = _StepRecord(self.dialect)
        with self.begin_transaction(_per_migration=True):
            if self.as_sql and not current:
                # Offline, a run from empty starts with the table.
                self.impl.static_output(_statement(_retort.version_sql("create", *self._version_args())))
            if fn is None:
                log.info("Running %s", step["log"])
            else:
                # Alembic names the function it runs: a decorated one logs
                # its wrapper's __name__.
                log.info("Running %s %s", fn.__name__, step["log"].split(" ", 1)[1])
            if self.as_sql:
                self.impl.static_output("-- Running %s" % step["comment"])
            started = time.monotonic()
            if fn is not None:
                self._run_script(fn, kw)
            duration_ms = int((time.monotonic() - started) * 1000) if fn is not None else None
            for sql, expect, message in step["version_sql"]:
                if self.as_sql:
                    self.impl.static_output(_statement(sql))
                    continue
                result = self._exec_sql(sql)
                if expect is not None and result.rowcount != expect:
                    raise CommandError(message % result.rowcount)
            if not self.as_sql:
                # retort_history, in the step's transaction (empty unless checksums are on).
                for revision, checksum in step["audit"]:
                    kind = "delete" if checksum is None else "insert"
                    self._exec_sql(
                        _retort.history_sql(kind, *self._history_args(), revision, checksum, duration_ms)
                    )
            for callback in self.on_version_apply_callbacks:
                callback(ctx=self, step=step, heads=set(step["heads_after"]), run_args=kw)

    def _url(self):
        """The URL `current` prints (password hidden); offline, none."""
        if self.as_sql:
            return ""
        return self.connection.engine.url.render_as_string(hide_password=True)

    def _run_script(self, fn, kw):
        from . import ops as ops_module
        from . import proxy

        operations = ops_module.Operations(StepRuntime(self))
        with proxy.operations_in_effect(operations):
            fn(**kw)


class StepRuntime:
    """What ``retort.ops.Operations`` is given: the dialect, the connection,
    and ``emit`` for operations rendered in Rust."""

    def __init__(self, context):
        self._context = context
        self.migration_context = context
        self.dialect = context.dialect
        self.as_sql = context.as_sql

    @property
    def bind(self):
        return self._context.connection

    def emit(self, ir):
        self._context.emit(ir)

    def emit_batch(self, ir):
        self._context.emit_batch(ir)

    def execute(self, statement, params=None):
        return self._context._exec(statement, params)

    def compile_offline(self, construct):
        return self._context.compile_offline(construct)

    def write_offline(self, sql):
        self._context.write_offline(sql)


_DDL_START = re.compile(r"\s*(CREATE|ALTER|DROP|RENAME|TRUNCATE)\b", re.I)


def _is_ddl(construct):
    if isinstance(construct, sa_schema.DDLElement):
        return True
    if isinstance(construct, str):
        return bool(_DDL_START.match(construct))
    return isinstance(construct, sqlalchemy.sql.elements.TextClause) and bool(_DDL_START.match(construct.text))


class _StepRecord:
    """The statements one step ran on MySQL/MariaDB.  There every DDL
    statement commits, and commits whatever the step's transaction held
    before it, so when the step fails those stay applied while the version
    table still names the previous revision.  Alembic leaves that to be
    discovered; retort says exactly which statements they were."""

    def __init__(self, dialect):
        self.dialect = dialect
        self.entries = []  # [statement, is DDL, completed]

    @contextlib.contextmanager
    def statement(self, construct, ddl):
        entry = [construct, ddl, False]
        self.entries.append(entry)
        yield
        entry[2] = True

    def applied(self):
        # Everything up to the last DDL statement attempted was committed
        # (a DDL statement commits before it runs); later DML was rolled back.
        last_ddl = max((i for i, e in enumerate(self.entries) if e[1]), default=-1)
        return [self._text(s) for s, _, done in self.entries[: last_ddl + 1] if done]

    def _text(self, statement):
        if isinstance(statement, str):
            return statement.strip()
        try:
            return str(statement.compile(dialect=self.dialect)).strip()
        except Exception:  # noqa: BLE001 - a report must not fail the report
            return repr(statement)

    def report(self, step, heads_before):
        where = "revision %s (%s)" % (step["revision"], step["path"]) if step["path"] else "this stamp"
        version = ", ".join(heads_before) if heads_before else "no revision"
        applied = self.applied()
        if not applied:
            return "MySQL: no statement of %s had been committed; the version table still shows %s." % (
                where,
                version,
            )
        lines = "\n".join("    " + sql.replace("\n", "\n    ") + ";" for sql in applied)
        return (
            "MySQL commits DDL as it runs: these statements of %s were applied before the failure "
            "and stay in the database, while the version table still shows %s:\n%s" % (where, version, lines)
        )


def _statement(sql):
    """One offline chunk as Alembic writes it: tabs as 4 spaces, trimmed,
    terminated."""
    return sql.replace("\t", "    ").strip() + ";"
def _batch_error(kind, message):
    """The exception Alembic (or SQLAlchemy) raises for a batch error."""
    from sqlalchemy import exc

    if kind == "CircularDependencyError":
        return exc.CircularDependencyError(message, set(), set())
    classes = {
        "ValueError": ValueError,
        "KeyError": KeyError,
        "IndexError": IndexError,
        "AttributeError": AttributeError,
        "NotImplementedError": NotImplementedError,
        "CommandError": CommandError,
        "CompileError": exc.CompileError,
        "InvalidRequestError": exc.InvalidRequestError,
        "NoSuchTableError": exc.NoSuchTableError,
    }
    return classes.get(kind, RuntimeError)(message)


_loaded = {}


def _step_function(step):
    """The script function a revision step runs (None for a stamp step)."""
    if step["path"] is None:
        return None
    module = _load_script(step["path"], step["module_id"])
    return getattr(module, "upgrade" if step["upgrade"] else "downgrade")


def _load_script(path, module_id):
    module = _loaded.get(path)
    if module is None:
        if path.endswith((".pyc", ".pyo")):
            loader = importlib.machinery.SourcelessFileLoader(module_id, path)
            spec = importlib.util.spec_from_loader(module_id, loader)
        else:
            spec = importlib.util.spec_from_file_location(module_id, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _loaded[path] = module
    return module


class EnvironmentContext:
    def __init__(self, config, command):
        self.config = config
        self.command = command
        self._migration_context = None
        self.context_opts = {
            "as_sql": command["as_sql"],
            "destination_rev": command.get("destination_rev"),
            "starting_rev": command.get("starting_rev"),
            "tag": command.get("tag"),
            "purge": command.get("purge", False),
            "dont_mutate": command.get("dont_mutate", False),
            "lock": command.get("lock", False),
            "lock_timeout": command.get("lock_timeout"),
            "checksums": command.get("checksums", False),
            # ensure_version's migration function creates the table (online
            # if missing; offline its CREATE TABLE is printed).
            "ensure_version": command["name"] == "ensure_version",
        }

    # -- what env.py asks -----------------------------------------------------

    def is_offline_mode(self):
        return self.context_opts.get("as_sql", False)

    def is_transactional_ddl(self):
        return self.get_context().impl.transactional_ddl

    def requires_connection(self):
        return not self.is_offline_mode()

    def get_head_revision(self):
        heads = _retort.script_heads()
        if len(heads) > 1:
            raise CommandError(
                "The script directory has multiple heads (due to branching).Please use get_heads(), "
                "or merge the branches using alembic merge."
            )
        return heads[0] if heads else None

    def get_head_revisions(self):
        return tuple(_retort.script_heads())

    def get_starting_revision_argument(self):
        if self.context_opts.get("starting_rev") is not None:
            return self.context_opts["starting_rev"]
        raise CommandError("No starting revision argument is available.")

    def get_revision_argument(self):
        return self.context_opts.get("destination_rev")

    def get_tag_argument(self):
        return self.context_opts.get("tag")

    def get_x_argument(self, as_dictionary=False):
        value = list(self.config.cmd_opts.x or []) if self.config.cmd_opts is not None else []
        if as_dictionary:
            out = {}
            for arg in value:
                key, _, val = arg.partition("=")
                out[key] = val
            return out
        return value

    def configure(
        self,
        connection=None,
        url=None,
        dialect_name=None,
        dialect_opts=None,
        transactional_ddl=None,
        transaction_per_migration=False,
        output_buffer=None,
        starting_rev=None,
        tag=None,
        template_args=None,
        render_as_batch=False,
        target_metadata=None,
        include_name=None,
        include_object=None,
        include_schemas=False,
        process_revision_directives=None,
        compare_type=True,
        compare_server_default=False,
        render_item=None,
        literal_binds=False,
        upgrade_token="upgrades",
        downgrade_token="downgrades",
        alembic_module_prefix="op.",
        sqlalchemy_module_prefix="sa.",
        user_module_prefix=None,
        on_version_apply=None,
        **kw,
    ):
        opts = self.context_opts
        opts.update(kw)
        opts.update(
            transactional_ddl=transactional_ddl,
            transaction_per_migration=transaction_per_migration,
            target_metadata=target_metadata,
            include_name=include_name,
            include_object=include_object,
            include_schemas=include_schemas,
            process_revision_directives=process_revision_directives,
            compare_type=compare_type,
            compare_server_default=compare_server_default,
            render_as_batch=render_as_batch,
            render_item=render_item,
            literal_binds=literal_binds,
            upgrade_token=upgrade_token,
            downgrade_token=downgrade_token,
            alembic_module_prefix=alembic_module_prefix,
            sqlalchemy_module_prefix=sqlalchemy_module_prefix,
            user_module_prefix=user_module_prefix,
            on_version_apply=on_version_apply or (),
            template_args=template_args or {},
        )
        if starting_rev:
            opts["starting_rev"] = starting_rev
        if tag:
            opts["tag"] = tag
        if output_buffer is not None:
            opts["output_buffer"] = output_buffer
        elif getattr(self.config, "output_buffer", None) is not None:
            opts["output_buffer"] = self.config.output_buffer
        if opts["as_sql"]:
            self._migration_context = MigrationContext(
                _offline_dialect(connection, url, dialect_name, dialect_opts), None, opts, self
            )
            return
        if connection is None:
            if url is None:
                raise CommandError("Connection or URL is required to configure the migration context online")
            engine = dialects.create_engine(url)
            connection = engine.connect()
        _refuse_engine(connection)
        self._migration_context = MigrationContext(connection.dialect, connection, opts, self)

    def run_migrations(self, **kw):
        self.get_context().run_migrations(**kw)

    def execute(self, sql, execution_options=None):
        self.get_context().execute(sql, execution_options=execution_options)

    def static_output(self, text_):
        self.get_context().impl.static_output(text_)

    def begin_transaction(self):
        return self.get_context().begin_transaction()

    def get_context(self):
        if self._migration_context is None:
            raise Exception("No context has been configured yet.")
        return self._migration_context

    def get_bind(self):
        return self.get_context().bind

    def get_impl(self):
        return self.get_context().impl

    @property
    def script(self):
        from . import scriptdir

        return scriptdir.ScriptDirectory()


def _refuse_engine(connection):
    """Alembic's check on ``configure(connection=…)``: an Engine is refused."""
    if isinstance(connection, sqlalchemy.engine.Engine):
        raise CommandError(
            "'connection' argument to configure() is expected to be a sqlalchemy.engine.Connection "
            "instance, got %r" % connection
        )


def _offline_dialect(connection, url, dialect_name, dialect_opts):
    """The dialect an offline run compiles for, chosen as Alembic's
    ``MigrationContext.configure`` chooses it; no driver is imported."""
    if connection is not None:
        _refuse_engine(connection)
        return connection.dialect
    if url:
        return sa_url.make_url(url).get_dialect()(**(dialect_opts or {}))
    if dialect_name:
        return sa_url.make_url("%s://" % dialect_name).get_dialect()(**(dialect_opts or {}))
    raise Exception("Connection, url, or dialect_name is required.")


def run_env(env_path, config, command):
    """Runs env.py as Alembic does: a fresh module named ``env_py``."""
    from . import proxy

    environment = EnvironmentContext(config, command)
    try:
        with proxy.environment_in_effect(environment):
            spec = importlib.util.spec_from_file_location("env_py", env_path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
    finally:
        context = environment._migration_context
        if context is not None and context.as_sql:
            context.output_buffer.flush()
        # Alembic's error handler logs through this logger before FAILED:.
        messaging = logging.getLogger("alembic.util.messaging")
        _retort.set_logging_configured(messaging.isEnabledFor(logging.ERROR) and messaging.hasHandlers())
