//! `_retort`: the native module the embedded shim calls.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU8, Ordering};

use pyo3::exceptions::{PyException, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use crate::db::{
    Backend, Cell, Db, DbError, DbUrl, Dialect, HistoryRow, HistoryTable, MigrationLock, Outcome,
    ReflectError, VersionTable, HISTORY_TABLE,
};
use crate::ddl::{BatchError, BatchErrorKind, BatchPlan, Operation, RenderOptions};

use super::interpreter;
use super::session::{with_session, OptionValue};

pyo3::create_exception!(_retort, DbErrorPy, PyException);

thread_local! {
    /// Open connections of the shim's DBAPI driver, by handle.
    static CONNECTIONS: RefCell<Vec<Option<Db>>> = const { RefCell::new(Vec::new()) };
    /// Migration locks held, with the handle of the connection holding each.
    static LOCKS: RefCell<Vec<(usize, MigrationLock)>> = const { RefCell::new(Vec::new()) };
}

/// 0: env.py has not run; 1: it left no error logging; 2: it did.
static LOGGING: AtomicU8 = AtomicU8::new(0);

/// Whether env.py's logging configuration shows Alembic's error log line
/// (`None` when env.py has not run in this process).
pub fn logging_configured() -> Option<bool> {
    match LOGGING.load(Ordering::Relaxed) {
        0 => None,
        n => Some(n == 2),
    }
}

fn db_err(e: &DbError) -> PyErr {
    let (code, statement) = match e {
        DbError::Statement {
            code, statement, ..
        } => (code.clone(), Some(statement.clone())),
        _ => (None, None),
    };
    let message = match e {
        DbError::Statement { message, .. } => message.clone(),
        other => other.to_string(),
    };
    DbErrorPy::new_err((code, message, statement))
}

fn with_db<R>(handle: usize, f: impl FnOnce(&mut Db) -> PyResult<R>) -> PyResult<R> {
    CONNECTIONS.with(|c| {
        let mut conns = c.borrow_mut();
        match conns.get_mut(handle).and_then(Option::as_mut) {
            Some(db) => f(db),
            None => Err(DbErrorPy::new_err((
                None::<String>,
                "connection already closed",
                None::<String>,
            ))),
        }
    })
}

#[pyfunction]
fn db_connect(url: &str) -> PyResult<(usize, &'static str, bool, String)> {
    let parsed = DbUrl::parse(url).map_err(|e| db_err(&e))?;
    let db = Db::connect(&parsed).map_err(|e| db_err(&e))?;
    let backend = db.backend();
    let version = db.server_version().to_string();
    let handle = CONNECTIONS.with(|c| {
        let mut conns = c.borrow_mut();
        conns.push(Some(db));
        conns.len() - 1
    });
    Ok((handle, backend.dialect.name(), backend.mariadb, version))
}

type Described = (Option<Vec<(String, String)>>, Py<PyList>, i64, Option<i64>);

#[pyfunction]
fn db_execute(py: Python<'_>, handle: usize, sql: &str) -> PyResult<Described> {
    let outcome = with_db(handle, |db| db.run(sql).map_err(|e| db_err(&e)))?;
    described(py, outcome)
}

/// SQLite: `sql` run once per parameter set of `sets` with the values
/// bound, not inlined.  `None`, with nothing run, when a set is not a tuple
/// or list, holds a value that is not None/int/float/str/bytes, or does not
/// fit the statement (see `Db::run_bound`): the shim then inlines literals.
#[pyfunction]
fn db_execute_bound(
    py: Python<'_>,
    handle: usize,
    sql: &str,
    sets: &Bound<'_, PyAny>,
) -> PyResult<Option<Described>> {
    let Some(sets) = bindable_sets(sets)? else {
        return Ok(None);
    };
    match with_db(handle, |db| {
        db.run_bound(sql, &sets).map_err(|e| db_err(&e))
    })? {
        Some(outcome) => described(py, outcome).map(Some),
        None => Ok(None),
    }
}

/// Each parameter set as SQLite values, or `None` if one is not bindable.
fn bindable_sets(sets: &Bound<'_, PyAny>) -> PyResult<Option<Vec<Vec<Cell>>>> {
    let mut out = Vec::new();
    for set in sets.try_iter()? {
        let set = set?;
        if !(set.is_instance_of::<PyTuple>() || set.is_instance_of::<PyList>()) {
            return Ok(None);
        }
        let mut cells = Vec::with_capacity(set.len()?);
        for value in set.try_iter()? {
            match bindable(&value?) {
                Some(cell) => cells.push(cell),
                None => return Ok(None),
            }
        }
        out.push(cells);
    }
    Ok(Some(out))
}

/// What Python's sqlite3 binds without an adapter: None, int (bool too) in
/// 64 bits, float, str, bytes.
fn bindable(value: &Bound<'_, PyAny>) -> Option<Cell> {
    if value.is_none() {
        Some(Cell::Null)
    } else if value.is_instance_of::<PyInt>() {
        value.extract::<i64>().ok().map(Cell::Int)
    } else if value.is_instance_of::<PyFloat>() {
        value.extract::<f64>().ok().map(Cell::Float)
    } else if let Ok(s) = value.cast::<PyString>() {
        s.to_str().ok().map(|s| Cell::Text(s.to_string()))
    } else if let Ok(b) = value.cast::<PyBytes>() {
        Some(Cell::Bytes(b.as_bytes().to_vec()))
    } else {
        None
    }
}

/// An outcome as the shim's cursor takes it: (columns, rows, count, last id).
fn described(py: Python<'_>, outcome: Outcome) -> PyResult<Described> {
    let rows = PyList::empty(py);
    for row in &outcome.rows {
        let cells: Vec<Bound<'_, PyAny>> = row
            .iter()
            .map(|cell| -> PyResult<Bound<'_, PyAny>> {
                Ok(match cell {
                    Cell::Null => py.None().into_bound(py),
                    Cell::Int(i) => i.into_pyobject(py)?.into_any(),
                    Cell::Float(f) => f.into_pyobject(py)?.into_any(),
                    Cell::Text(s) => s.into_pyobject(py)?.into_any(),
                    Cell::Bytes(b) => PyBytes::new(py, b).into_any(),
                })
            })
            .collect::<PyResult<_>>()?;
        rows.append(PyTuple::new(py, cells)?)?;
    }
    let count = i64::try_from(outcome.rows_affected).unwrap_or(i64::MAX);
    Ok((
        outcome.columns,
        rows.unbind(),
        count,
        outcome.last_insert_id,
    ))
}

#[pyfunction]
fn db_close(handle: usize) -> PyResult<()> {
    release_locks(Some(handle)).map_err(|e| db_err(&e))?;
    let db = CONNECTIONS.with(|c| c.borrow_mut().get_mut(handle).and_then(Option::take));
    match db {
        Some(db) => db.close().map_err(|e| db_err(&e)),
        None => Ok(()),
    }
}

/// Takes the migration lock of the version table on connection `handle`
/// (see `db::lock`): the run holds it until that connection closes or env.py
/// is done.  A timeout is the shim's CommandError.
#[pyfunction]
#[pyo3(signature = (handle, table, schema, timeout))]
fn lock_migrations(
    py: Python<'_>,
    handle: usize,
    table: &str,
    schema: Option<String>,
    timeout: Option<f64>,
) -> PyResult<()> {
    let table = VersionTable::new(table, schema, true);
    let timeout = timeout.map(|t| std::time::Duration::from_secs_f64(t.max(0.0)));
    interpreter::flush_stdout(py);
    let lock = with_db(handle, |db| {
        let mut waiting = |target: &str| eprintln!("{}", crate::db::waiting_notice(target));
        Ok(db.lock_migrations(&table, timeout, &mut waiting))
    })?;
    match lock {
        Ok(lock) => {
            LOCKS.with(|l| l.borrow_mut().push((handle, lock)));
            Ok(())
        }
        Err(e @ DbError::LockTimeout { .. }) => Err(session_err(py, true, e.to_string())),
        Err(e) => Err(db_err(&e)),
    }
}

/// Gives back the locks held on `handle` (every lock when `None`); the
/// first failure is reported after all have been tried.
pub(super) fn release_locks(handle: Option<usize>) -> Result<(), DbError> {
    let held = LOCKS.with(|l| {
        let mut locks = l.borrow_mut();
        let (mine, others) = std::mem::take(&mut *locks)
            .into_iter()
            .partition(|(h, _)| handle.is_none_or(|want| *h == want));
        *locks = others;
        mine
    });
    let mut first_error = None;
    for (h, lock) in held {
        let released =
            CONNECTIONS.with(
                |c| match c.borrow_mut().get_mut(h).and_then(Option::as_mut) {
                    Some(db) => db.unlock_migrations(lock),
                    None => Ok(()),
                },
            );
        if let Err(e) = released {
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}

fn backend(dialect: &str, mariadb: bool) -> PyResult<Backend> {
    let d = match dialect {
        "postgresql" => Dialect::Postgresql,
        "mysql" | "mariadb" => Dialect::Mysql,
        "sqlite" => Dialect::Sqlite,
        other => {
            return Err(PyRuntimeError::new_err(format!(
                "retort has no SQL renderer for the {other} dialect"
            )))
        }
    };
    Ok(Backend::new(d, mariadb))
}

/// One of the version table's own statements: `create`, `select` or
/// `delete_all` (`stamp --purge`).
#[pyfunction]
#[pyo3(signature = (kind, dialect, mariadb, table, schema, pk))]
fn version_sql(
    kind: &str,
    dialect: &str,
    mariadb: bool,
    table: &str,
    schema: Option<String>,
    pk: bool,
) -> PyResult<String> {
    let table = VersionTable::new(table, schema, pk);
    let backend = backend(dialect, mariadb)?;
    match kind {
        "create" => table.create_sql(backend).map_err(|e| db_err(&e)),
        "select" => Ok(table.select_sql(backend)),
        "delete_all" => Ok(table.delete_all_sql(backend)),
        other => Err(PyRuntimeError::new_err(format!(
            "unknown version-table statement {other:?}"
        ))),
    }
}

/// The session's failure, raised as the shim's CommandError (or a plain
/// exception for internal errors) so env.py's own handlers see it.
fn session_err(py: Python<'_>, command: bool, message: String) -> PyErr {
    if command {
        if let Ok(class) = py
            .import("retort.environment")
            .and_then(|m| m.getattr("CommandError"))
        {
            return PyErr::from_value(match class.call1((message.clone(),)) {
                Ok(v) => v,
                Err(e) => return e,
            });
        }
    }
    PyRuntimeError::new_err(message)
}

/// A `retort_history` statement: `create`, `select`, `insert` (with the
/// revision, its checksum and how long the step took, `None` for a stamp)
/// or `delete` (with the revision).
#[pyfunction]
#[pyo3(signature = (kind, dialect, mariadb, schema, revision=None, checksum=None, duration_ms=None))]
#[allow(clippy::too_many_arguments)]
fn history_sql(
    kind: &str,
    dialect: &str,
    mariadb: bool,
    schema: Option<String>,
    revision: Option<&str>,
    checksum: Option<&str>,
    duration_ms: Option<u64>,
) -> PyResult<String> {
    let backend = backend(dialect, mariadb)?;
    let table = HistoryTable::new(schema);
    let revision = revision.unwrap_or_default();
    match kind {
        "create" => Ok(table.create_sql(backend)),
        "select" => Ok(table.select_sql(backend)),
        "insert" => {
            Ok(table.insert_sql(backend, revision, checksum.unwrap_or_default(), duration_ms))
        }
        "delete" => Ok(table.delete_sql(backend, revision)),
        other => Err(PyRuntimeError::new_err(format!(
            "unknown {HISTORY_TABLE} statement {other:?}"
        ))),
    }
}

#[pyfunction]
#[pyo3(signature = (heads, url, dialect, mariadb, table, schema, pk, history=None))]
#[allow(clippy::too_many_arguments)]
fn migration_steps<'py>(
    py: Python<'py>,
    heads: Vec<String>,
    url: &str,
    dialect: &str,
    mariadb: bool,
    table: &str,
    schema: Option<String>,
    pk: bool,
    history: Option<Vec<(String, String, String)>>,
) -> PyResult<Bound<'py, PyList>> {
    let backend = backend(dialect, mariadb)?;
    let table = VersionTable::new(table, schema, pk);
    let history: Option<Vec<HistoryRow>> = history.map(|rows| {
        rows.into_iter()
            .map(|(revision, checksum, applied_at)| HistoryRow {
                revision,
                checksum,
                applied_at,
            })
            .collect()
    });
    interpreter::flush_stdout(py);
    let steps = with_session(|s| {
        let steps = s.steps(&heads, history.as_deref(), &table, backend, url);
        s.flush();
        steps
    })
    .ok_or_else(|| PyRuntimeError::new_err("no retort command is running"))?
    .map_err(|e| session_err(py, e.command, e.message))?;
    let list = PyList::empty(py);
    for step in steps {
        let d = PyDict::new(py);
        d.set_item("revision", &step.revision)?;
        d.set_item("path", step.path.as_ref().map(|p| p.display().to_string()))?;
        let module_id = step.path.as_ref().and_then(|p| p.file_name()).map(|n| {
            n.to_string_lossy()
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect::<String>()
        });
        d.set_item("module_id", module_id)?;
        d.set_item("upgrade", step.upgrade)?;
        d.set_item("log", &step.log)?;
        d.set_item("comment", &step.comment)?;
        d.set_item("version_sql", &step.version_sql)?;
        d.set_item("heads_after", &step.heads_after)?;
        d.set_item("audit", &step.audit)?;
        list.append(d)?;
    }
    Ok(list)
}

/// `dialect` is SQLAlchemy's dialect name (`mysql` or `mariadb` by the URL),
/// `mariadb` what the server is.  `percent_escape` overrides whether `%` is
/// doubled: offline it follows the dialect's paramstyle (env.py's
/// `dialect_opts={"paramstyle": "named"}` turns it off).
#[pyfunction]
#[pyo3(signature = (dialect, mariadb, ir, percent_escape=None))]
fn render_ddl(
    dialect: &str,
    mariadb: bool,
    ir: &str,
    percent_escape: Option<bool>,
) -> PyResult<Vec<String>> {
    let backend = backend(dialect, mariadb)?;
    let defaults = RenderOptions::offline(backend);
    let opts = RenderOptions {
        mariadb_options: dialect == "mariadb",
        percent_escape: percent_escape.unwrap_or(defaults.percent_escape),
        ..defaults
    };
    crate::ddl::render_json_with(ir, backend, opts)
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// `batch_alter_table`'s statements (see `ddl::plan_batch`) as a dict of
/// `before`, `guarded`, `on_error`, `after` and `error` (`None` or
/// `(exception name, message)`).  When the table is rebuilt without
/// `copy_from`, it is reflected first on the shim connection `handle` (the
/// migration's own, so it sees the migration's changes so far).
#[pyfunction]
#[pyo3(signature = (dialect, mariadb, ir, handle, as_sql))]
fn batch_plan<'py>(
    py: Python<'py>,
    dialect: &str,
    mariadb: bool,
    ir: &str,
    handle: Option<usize>,
    as_sql: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let backend = backend(dialect, mariadb)?;
    let opts = RenderOptions {
        mariadb_options: dialect == "mariadb",
        ..RenderOptions::offline(backend)
    };
    let op: Operation =
        serde_json::from_str(ir).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    let Operation::Batch(batch) = op else {
        return Err(PyRuntimeError::new_err(
            "batch_plan takes a batch operation",
        ));
    };
    let mut reflected = None;
    let mut failure = None;
    if crate::ddl::batch_needs_reflection(&batch, backend) {
        match (handle, as_sql) {
            (Some(h), false) => {
                let schema = batch.table.schema.as_deref();
                let result = with_db(h, |db| Ok(db.reflect_sqlite_table(&batch.table.name, schema)))?;
                match result {
                    Ok(t) => reflected = Some(t),
                    Err(ReflectError::NoSuchTable(name)) => {
                        failure = Some(BatchError::new(BatchErrorKind::NoSuchTable, name))
                    }
                    Err(ReflectError::Db(e)) => return Err(db_err(&e)),
                }
            }
            (None, false) => {
                failure = Some(BatchError::new(
                    BatchErrorKind::NotImplemented,
                    "retort reflects a table for batch mode through its own database driver;                      this connection was not made by it",
                ))
            }
            // Offline: plan_batch words Alembic's refusal.
            (_, true) => {}
        }
    }
    let plan = match failure {
        Some(e) => BatchPlan {
            error: Some(e),
            ..BatchPlan::default()
        },
        None => crate::ddl::plan_batch(&batch, reflected.as_ref(), backend, opts),
    };
    let d = PyDict::new(py);
    d.set_item("before", plan.before)?;
    d.set_item("guarded", plan.guarded)?;
    d.set_item("on_error", plan.on_error)?;
    d.set_item("after", plan.after)?;
    d.set_item(
        "error",
        plan.error.map(|e| (e.kind.python_name(), e.message)),
    )?;
    Ok(d)
}

/// Offline: `starting_rev` as full revision ids (Alembic's
/// `get_current_heads` with `as_sql`).
#[pyfunction]
fn resolve_start(py: Python<'_>, revisions: Vec<String>) -> PyResult<Vec<String>> {
    with_session(|s| s.resolve_start(&revisions))
        .ok_or_else(|| PyRuntimeError::new_err("no retort command is running"))?
        .map_err(|e| session_err(py, e.command, e.message))
}

#[pyfunction]
fn print_stdout(py: Python<'_>, text: &str) {
    interpreter::flush_stdout(py);
    with_session(|s| {
        s.print(text);
        s.flush();
    });
}

#[pyfunction]
fn script_heads() -> Vec<String> {
    with_session(|s| s.script_heads()).unwrap_or_default()
}

#[pyfunction]
fn set_logging_configured(on: bool) {
    LOGGING.store(if on { 2 } else { 1 }, Ordering::Relaxed);
}

fn dict_of<'py>(py: Python<'py>, pairs: &[(String, String)]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in pairs {
        d.set_item(k, v)?;
    }
    Ok(d)
}

fn option_object(py: Python<'_>, value: &OptionValue) -> PyResult<Py<PyAny>> {
    Ok(match value {
        OptionValue::Str(s) => s.into_pyobject(py)?.into_any().unbind(),
        OptionValue::Int(i) => i.into_pyobject(py)?.into_any().unbind(),
        OptionValue::Bool(b) => pyo3::types::PyBool::new(py, *b)
            .to_owned()
            .into_any()
            .unbind(),
        OptionValue::List(items) => PyList::new(py, items)?.into_any().unbind(),
        OptionValue::Dict(pairs) => dict_of(py, pairs)?.into_any().unbind(),
        OptionValue::Dicts(tables) => {
            let list = PyList::empty(py);
            for pairs in tables {
                list.append(dict_of(py, pairs)?)?;
            }
            list.into_any().unbind()
        }
    })
}

/// `name` of `[tool.alembic]` as Alembic's `Config._get_toml_config_value`
/// returns it, or `default` when it is absent.
#[pyfunction]
#[pyo3(signature = (name, default=None))]
fn toml_option(py: Python<'_>, name: &str, default: Option<Py<PyAny>>) -> PyResult<Py<PyAny>> {
    let found = with_session(|s| s.toml_option(name))
        .transpose()
        .map_err(|e| session_err(py, e.command, e.message))?
        .flatten();
    match found {
        Some(value) => option_object(py, &value),
        None => Ok(default.unwrap_or_else(|| py.None())),
    }
}

pub(super) fn module(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    let m = PyModule::new(py, "_retort")?;
    m.add("DbError", py.get_type::<DbErrorPy>())?;
    m.add_function(wrap_pyfunction!(db_connect, &m)?)?;
    m.add_function(wrap_pyfunction!(db_execute, &m)?)?;
    m.add_function(wrap_pyfunction!(db_execute_bound, &m)?)?;
    m.add_function(wrap_pyfunction!(db_close, &m)?)?;
    m.add_function(wrap_pyfunction!(lock_migrations, &m)?)?;
    m.add_function(wrap_pyfunction!(history_sql, &m)?)?;
    m.add("HISTORY_TABLE", HISTORY_TABLE)?;
    m.add_function(wrap_pyfunction!(version_sql, &m)?)?;
    m.add_function(wrap_pyfunction!(migration_steps, &m)?)?;
    m.add_function(wrap_pyfunction!(render_ddl, &m)?)?;
    m.add_function(wrap_pyfunction!(resolve_start, &m)?)?;
    m.add_function(wrap_pyfunction!(batch_plan, &m)?)?;
    m.add_function(wrap_pyfunction!(print_stdout, &m)?)?;
    m.add_function(wrap_pyfunction!(script_heads, &m)?)?;
    m.add_function(wrap_pyfunction!(set_logging_configured, &m)?)?;
    m.add_function(wrap_pyfunction!(toml_option, &m)?)?;
    Ok(m)
}
