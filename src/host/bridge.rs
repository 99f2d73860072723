//! `_retort`: what the Python child calls in Rust.  Each call arrives as a
//! name and positional arguments (`python/retort/bridge.py` is the other
//! half, with the signatures) and is answered with a value or one of the
//! exceptions of [`Raise`].

use std::cell::RefCell;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::db::{
    Backend, Cell, Db, DbError, DbUrl, Dialect, HistoryRow, HistoryTable, MigrationLock, Outcome,
    ReflectError, VersionTable, HISTORY_TABLE,
};
use crate::ddl::{BatchError, BatchErrorKind, BatchPlan, Operation, RenderOptions};

use super::child::flush_stdout;
use super::session::{with_session, OptionValue};
use super::wire::Value;

/// An exception raised in Python for a call.
pub(super) enum Raise {
    /// `_retort.DbError(code, message, statement)`.
    Db {
        code: Option<String>,
        message: String,
        statement: Option<String>,
    },
    /// Alembic's `CommandError(message)`.
    Command(String),
    /// `RuntimeError(message)`: a bad call, or the host's own failure.
    Runtime(String),
}

impl Raise {
    pub(super) fn into_message(self) -> Value {
        let (kind, args) = match self {
            Raise::Db {
                code,
                message,
                statement,
            } => (
                "DbError",
                vec![
                    Value::opt_str(code),
                    Value::Str(message),
                    Value::opt_str(statement),
                ],
            ),
            Raise::Command(m) => ("CommandError", vec![Value::Str(m)]),
            Raise::Runtime(m) => ("RuntimeError", vec![Value::Str(m)]),
        };
        Value::Tuple(vec![
            Value::str("err"),
            Value::str(kind),
            Value::Tuple(args),
        ])
    }
}

type Answer = Result<Value, Raise>;

/// The connections of the shim's DBAPI driver and the migration locks held
/// on them, by handle.  The child's calls are served on this thread only.
#[derive(Default)]
struct Connections {
    dbs: Vec<Option<Db>>,
    locks: Vec<(usize, MigrationLock)>,
}

thread_local! {
    static CONNECTIONS: RefCell<Connections> = RefCell::new(Connections::default());
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

/// Positional arguments of one call, read by position and type.
struct Args(Vec<Value>);

impl Args {
    fn get(&self, i: usize) -> &Value {
        self.0.get(i).unwrap_or(&Value::None)
    }

    fn bad(&self, i: usize, what: &str) -> Raise {
        Raise::Runtime(format!(
            "argument {i}: expected {what}, got {:?}",
            self.get(i)
        ))
    }

    fn str(&self, i: usize) -> Result<&str, Raise> {
        self.get(i).as_str().ok_or_else(|| self.bad(i, "str"))
    }

    fn opt_str(&self, i: usize) -> Result<Option<String>, Raise> {
        match self.get(i) {
            Value::None => Ok(None),
            v => v
                .as_str()
                .map(|s| Some(s.to_string()))
                .ok_or_else(|| self.bad(i, "str or None")),
        }
    }

    fn int(&self, i: usize) -> Result<i64, Raise> {
        self.get(i).as_int().ok_or_else(|| self.bad(i, "int"))
    }

    fn handle(&self, i: usize) -> Result<usize, Raise> {
        usize::try_from(self.int(i)?).map_err(|_| self.bad(i, "a connection handle"))
    }

    fn opt_handle(&self, i: usize) -> Result<Option<usize>, Raise> {
        match self.get(i) {
            Value::None => Ok(None),
            _ => self.handle(i).map(Some),
        }
    }

    fn flag(&self, i: usize) -> bool {
        self.get(i).truthy()
    }

    fn opt_f64(&self, i: usize) -> Result<Option<f64>, Raise> {
        match self.get(i) {
            Value::None => Ok(None),
            Value::Float(f) => Ok(Some(*f)),
            v => v
                .as_int()
                .map(|i| Some(i as f64))
                .ok_or_else(|| self.bad(i, "a number")),
        }
    }

    fn strings(&self, i: usize) -> Result<Vec<String>, Raise> {
        self.get(i)
            .items()
            .and_then(|items| {
                items
                    .iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .ok_or_else(|| self.bad(i, "a list of str"))
    }

    fn backend(&self, i: usize) -> Result<Backend, Raise> {
        backend(self.str(i)?, self.flag(i + 1))
    }

    fn version_table(&self, i: usize) -> Result<VersionTable, Raise> {
        Ok(VersionTable::new(
            self.str(i)?,
            self.opt_str(i + 1)?,
            self.flag(i + 2),
        ))
    }
}

/// Answers the child's call `name(*args)`.
pub(super) fn dispatch(name: &str, args: Vec<Value>) -> Answer {
    let a = Args(args);
    match name {
        "db_connect" => db_connect(a.str(0)?),
        "db_execute" => {
            let sql = a.str(1)?;
            with_db(a.handle(0)?, |db| db.run(sql).map_err(|e| db_err(&e))).map(described)
        }
        "db_execute_bound" => db_execute_bound(a.handle(0)?, a.str(1)?, a.get(2)),
        "db_close" => db_close(a.handle(0)?),
        "lock_migrations" => lock_migrations(
            a.handle(0)?,
            VersionTable::new(a.str(1)?, a.opt_str(2)?, true),
            a.opt_f64(3)?,
        ),
        "version_sql" => version_sql(a.str(0)?, a.backend(1)?, a.version_table(3)?),
        "history_sql" => history_sql(&a),
        "migration_steps" => migration_steps(&a),
        "render_ddl" => render_ddl(&a),
        "batch_plan" => batch_plan(&a),
        "resolve_start" => {
            let revisions = a.strings(0)?;
            session(|s| s.resolve_start(&revisions))?
                .map(|ids| Value::str_list(&ids))
                .map_err(session_err)
        }
        "print_stdout" => {
            let text = a.str(0)?;
            with_session(|s| {
                s.print(text);
                s.flush();
            });
            Ok(Value::None)
        }
        "script_heads" => Ok(Value::str_list(
            &with_session(|s| s.script_heads()).unwrap_or_default(),
        )),
        "set_logging_configured" => {
            LOGGING.store(if a.flag(0) { 2 } else { 1 }, Ordering::Relaxed);
            Ok(Value::None)
        }
        "toml_option" => toml_option(a.str(0)?),
        other => Err(Raise::Runtime(format!("_retort has no function {other}"))),
    }
}

fn db_err(e: &DbError) -> Raise {
    match e {
        DbError::Statement {
            code,
            statement,
            message,
            ..
        } => Raise::Db {
            code: code.clone(),
            message: message.clone(),
            statement: Some(statement.clone()),
        },
        other => Raise::Db {
            code: None,
            message: other.to_string(),
            statement: None,
        },
    }
}

fn with_db<R>(handle: usize, f: impl FnOnce(&mut Db) -> Result<R, Raise>) -> Result<R, Raise> {
    CONNECTIONS.with(|c| {
        let mut conns = c.borrow_mut();
        match conns.dbs.get_mut(handle).and_then(Option::as_mut) {
            Some(db) => f(db),
            None => Err(Raise::Db {
                code: None,
                message: "connection already closed".into(),
                statement: None,
            }),
        }
    })
}

fn db_connect(url: &str) -> Answer {
    let parsed = DbUrl::parse(url).map_err(|e| db_err(&e))?;
    let db = Db::connect(&parsed).map_err(|e| db_err(&e))?;
    let backend = db.backend();
    let version = db.server_version().to_string();
    let handle = CONNECTIONS.with(|c| {
        let mut conns = c.borrow_mut();
        conns.dbs.push(Some(db));
        conns.dbs.len() - 1
    });
    Ok(Value::Tuple(vec![
        Value::Int(handle as i64),
        Value::str(backend.dialect.name()),
        Value::Bool(backend.mariadb),
        Value::Str(version),
    ]))
}

/// SQLite: `sql` run once per parameter set of `sets` with the values
/// bound, not inlined.  `None`, with nothing run, when a set is not a tuple
/// or list, holds a value that is not None/int/float/str/bytes, or does not
/// fit the statement (see `Db::run_bound`): the shim then inlines literals.
fn db_execute_bound(handle: usize, sql: &str, sets: &Value) -> Answer {
    let Some(sets) = bindable_sets(sets) else {
        return Ok(Value::None);
    };
    let outcome = with_db(handle, |db| {
        db.run_bound(sql, &sets).map_err(|e| db_err(&e))
    })?;
    Ok(outcome.map_or(Value::None, described))
}

/// Each parameter set as SQLite values, or `None` if one is not bindable.
fn bindable_sets(sets: &Value) -> Option<Vec<Vec<Cell>>> {
    sets.items()?
        .iter()
        .map(|set| set.items()?.iter().map(bindable).collect())
        .collect()
}

/// What Python's sqlite3 binds without an adapter: None, int (bool too) in
/// 64 bits, float, str, bytes.
fn bindable(value: &Value) -> Option<Cell> {
    Some(match value {
        Value::None => Cell::Null,
        Value::Bool(b) => Cell::Int(i64::from(*b)),
        Value::Int(i) => Cell::Int(*i),
        Value::Float(f) => Cell::Float(*f),
        Value::Str(s) => Cell::Text(s.clone()),
        Value::Bytes(b) => Cell::Bytes(b.clone()),
        _ => return None,
    })
}

/// An outcome as the shim's cursor takes it: (columns, rows, count, last id).
fn described(outcome: Outcome) -> Value {
    let columns = outcome.columns.map_or(Value::None, |cols| {
        Value::List(
            cols.into_iter()
                .map(|(name, type_name)| {
                    Value::Tuple(vec![Value::Str(name), Value::Str(type_name)])
                })
                .collect(),
        )
    });
    let rows = outcome
        .rows
        .into_iter()
        .map(|row| {
            Value::Tuple(
                row.into_iter()
                    .map(|cell| match cell {
                        Cell::Null => Value::None,
                        Cell::Int(i) => Value::Int(i),
                        Cell::Float(f) => Value::Float(f),
                        Cell::Text(s) => Value::Str(s),
                        Cell::Bytes(b) => Value::Bytes(b),
                    })
                    .collect(),
            )
        })
        .collect();
    Value::Tuple(vec![
        columns,
        Value::List(rows),
        Value::Int(i64::try_from(outcome.rows_affected).unwrap_or(i64::MAX)),
        outcome.last_insert_id.map_or(Value::None, Value::Int),
    ])
}

fn db_close(handle: usize) -> Answer {
    release_locks(Some(handle)).map_err(|e| db_err(&e))?;
    let db = CONNECTIONS.with(|c| c.borrow_mut().dbs.get_mut(handle).and_then(Option::take));
    match db {
        Some(db) => db.close().map_err(|e| db_err(&e)).map(|()| Value::None),
        None => Ok(Value::None),
    }
}

/// Takes the migration lock of the version table on connection `handle`
/// (see `db::lock`): the run holds it until that connection closes or env.py
/// is done.  A timeout is the shim's CommandError.
fn lock_migrations(handle: usize, table: VersionTable, timeout: Option<f64>) -> Answer {
    // A limit too large for a Duration (1e300) is no limit.
    let timeout = timeout.map(|t| crate::db::seconds(t.max(0.0)));
    flush_stdout();
    let lock = with_db(handle, |db| {
        let mut waiting = |target: &str| eprintln!("{}", crate::db::waiting_notice(target));
        Ok(db.lock_migrations(&table, timeout, &mut waiting))
    })?;
    match lock {
        Ok(lock) => {
            CONNECTIONS.with(|c| c.borrow_mut().locks.push((handle, lock)));
            Ok(Value::None)
        }
        Err(e @ DbError::LockTimeout { .. }) => Err(Raise::Command(e.to_string())),
        Err(e) => Err(db_err(&e)),
    }
}

/// Gives back the locks held on `handle` (every lock when `None`); the
/// first failure is reported after all have been tried.
pub(super) fn release_locks(handle: Option<usize>) -> Result<(), DbError> {
    CONNECTIONS.with(|c| {
        let mut conns = c.borrow_mut();
        let (mine, others) = std::mem::take(&mut conns.locks)
            .into_iter()
            .partition(|(h, _)| handle.is_none_or(|want| *h == want));
        conns.locks = others;
        let mut first_error = None;
        for (h, lock) in mine {
            let released = match conns.dbs.get_mut(h).and_then(Option::as_mut) {
                Some(db) => db.unlock_migrations(lock),
                None => Ok(()),
            };
            if let Err(e) = released {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    })
}

fn backend(dialect: &str, mariadb: bool) -> Result<Backend, Raise> {
    let d = match dialect {
        "postgresql" => Dialect::Postgresql,
        "mysql" | "mariadb" => Dialect::Mysql,
        "sqlite" => Dialect::Sqlite,
        other => {
            return Err(Raise::Runtime(format!(
                "retort has no SQL renderer for the {other} dialect"
            )))
        }
    };
    Ok(Backend::new(d, mariadb))
}

/// One of the version table's own statements: `create`, `select` or
/// `delete_all` (`stamp --purge`).
fn version_sql(kind: &str, backend: Backend, table: VersionTable) -> Answer {
    match kind {
        "create" => table.create_sql(backend).map_err(|e| db_err(&e)),
        "select" => Ok(table.select_sql(backend)),
        "delete_all" => Ok(table.delete_all_sql(backend)),
        other => Err(Raise::Runtime(format!(
            "unknown version-table statement {other:?}"
        ))),
    }
    .map(Value::Str)
}

/// A `retort_history` statement: `create`, `select`, `insert` (with the
/// revision, its checksum and how long the step took, `None` for a stamp)
/// or `delete` (with the revision).  Arguments: kind, dialect, mariadb,
/// schema, revision, checksum, duration_ms.
fn history_sql(a: &Args) -> Answer {
    let backend = a.backend(1)?;
    let table = HistoryTable::new(a.opt_str(3)?);
    let revision = a.opt_str(4)?.unwrap_or_default();
    let sql = match a.str(0)? {
        "create" => table.create_sql(backend),
        "select" => table.select_sql(backend),
        "insert" => {
            let checksum = a.opt_str(5)?.unwrap_or_default();
            let duration = match a.get(6) {
                Value::None => None,
                _ => Some(u64::try_from(a.int(6)?).unwrap_or(0)),
            };
            table.insert_sql(backend, &revision, &checksum, duration)
        }
        "delete" => table.delete_sql(backend, &revision),
        other => {
            return Err(Raise::Runtime(format!(
                "unknown {HISTORY_TABLE} statement {other:?}"
            )))
        }
    };
    Ok(Value::Str(sql))
}

fn session_err(e: super::SessionError) -> Raise {
    if e.command {
        Raise::Command(e.message)
    } else {
        Raise::Runtime(e.message)
    }
}

fn session<R>(f: impl FnOnce(&mut dyn super::Session) -> R) -> Result<R, Raise> {
    with_session(f).ok_or_else(|| Raise::Runtime("no retort command is running".into()))
}

/// Arguments: heads, url, dialect, mariadb, table, schema, pk, history
/// (`None` or (revision, checksum, applied_at) rows).
fn migration_steps(a: &Args) -> Answer {
    let heads = a.strings(0)?;
    let url = a.str(1)?;
    let backend = a.backend(2)?;
    let table = a.version_table(4)?;
    let history: Option<Vec<HistoryRow>> = match a.get(7) {
        Value::None => None,
        rows => Some(
            rows.items()
                .ok_or_else(|| a.bad(7, "history rows"))?
                .iter()
                .map(|row| {
                    let cells: Vec<String> = row
                        .items()?
                        .iter()
                        .map(|c| c.as_str().map(str::to_string))
                        .collect::<Option<_>>()?;
                    let [revision, checksum, applied_at]: [String; 3] = cells.try_into().ok()?;
                    Some(HistoryRow {
                        revision,
                        checksum,
                        applied_at,
                    })
                })
                .collect::<Option<_>>()
                .ok_or_else(|| a.bad(7, "history rows"))?,
        ),
    };
    let steps = session(|s| {
        let steps = s.steps(&heads, history.as_deref(), &table, backend, url);
        s.flush();
        steps
    })?
    .map_err(session_err)?;
    Ok(Value::List(
        steps
            .into_iter()
            .map(|step| {
                let path = step.path.as_ref().map(|p| p.display().to_string());
                let module_id = step
                    .path
                    .as_ref()
                    .and_then(|p| p.file_name())
                    .map(|n| module_id(&n.to_string_lossy()));
                let version_sql = step
                    .version_sql
                    .into_iter()
                    .map(|(sql, count, message)| {
                        Value::Tuple(vec![
                            Value::Str(sql),
                            count.map_or(Value::None, |c| Value::Int(c as i64)),
                            Value::Str(message),
                        ])
                    })
                    .collect();
                let audit = step
                    .audit
                    .into_iter()
                    .map(|(rev, sum)| Value::Tuple(vec![Value::Str(rev), Value::opt_str(sum)]))
                    .collect();
                Value::dict([
                    ("revision", Value::Str(step.revision)),
                    ("path", Value::opt_str(path)),
                    ("module_id", Value::opt_str(module_id)),
                    ("upgrade", Value::Bool(step.upgrade)),
                    ("log", Value::Str(step.log)),
                    ("comment", Value::Str(step.comment)),
                    ("version_sql", Value::List(version_sql)),
                    ("heads_after", Value::str_list(&step.heads_after)),
                    ("audit", Value::List(audit)),
                ])
            })
            .collect(),
    ))
}

/// The module name a script is imported under: its file name with every
/// character that is not alphanumeric or `_` replaced by `_`.
fn module_id(file_name: &str) -> String {
    file_name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Arguments: dialect (SQLAlchemy's name, `mysql` or `mariadb` by the
/// URL), mariadb (what the server is), the IR as JSON, percent_escape
/// (`None`, or whether `%` is doubled: offline it follows the dialect's
/// paramstyle, which env.py's `dialect_opts` may change).
fn render_ddl(a: &Args) -> Answer {
    let dialect = a.str(0)?;
    let backend = a.backend(0)?;
    let defaults = RenderOptions::offline(backend);
    let opts = RenderOptions {
        mariadb_options: dialect == "mariadb",
        percent_escape: match a.get(3) {
            Value::None => defaults.percent_escape,
            v => v.truthy(),
        },
        ..defaults
    };
    crate::ddl::render_json_with(a.str(2)?, backend, opts)
        .map(|sqls| Value::str_list(&sqls))
        .map_err(|e| Raise::Runtime(e.to_string()))
}

/// `batch_alter_table`'s statements (see `ddl::plan_batch`) as a dict of
/// `before`, `guarded`, `on_error`, `after` and `error` (`None` or
/// `(exception name, message)`).  When the table is rebuilt without
/// `copy_from`, it is reflected first on the shim connection `handle` (the
/// migration's own, so it sees the migration's changes so far).
/// Arguments: dialect, mariadb, the IR as JSON, handle, as_sql.
fn batch_plan(a: &Args) -> Answer {
    let dialect = a.str(0)?;
    let backend = a.backend(0)?;
    let opts = RenderOptions {
        mariadb_options: dialect == "mariadb",
        ..RenderOptions::offline(backend)
    };
    let op: Operation =
        serde_json::from_str(a.str(2)?).map_err(|e| Raise::Runtime(e.to_string()))?;
    let Operation::Batch(batch) = op else {
        return Err(Raise::Runtime("batch_plan takes a batch operation".into()));
    };
    let mut reflected = None;
    let mut failure = None;
    if crate::ddl::batch_needs_reflection(&batch, backend) {
        match (a.opt_handle(3)?, a.flag(4)) {
            (Some(h), false) => {
                let schema = batch.table.schema.as_deref();
                let result = with_db(h, |db| {
                    Ok(db.reflect_sqlite_table(&batch.table.name, schema))
                })?;
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
                    "retort reflects a table for batch mode through its own database driver; \
                     this connection was not made by it",
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
    Ok(Value::dict([
        ("before", Value::str_list(&plan.before)),
        ("guarded", Value::str_list(&plan.guarded)),
        ("on_error", Value::str_list(&plan.on_error)),
        ("after", Value::str_list(&plan.after)),
        (
            "error",
            plan.error.map_or(Value::None, |e| {
                Value::Tuple(vec![
                    Value::str(e.kind.python_name()),
                    Value::Str(e.message),
                ])
            }),
        ),
    ]))
}

fn option_value(value: &OptionValue) -> Value {
    let dict = |pairs: &[(String, String)]| {
        Value::dict(pairs.iter().map(|(k, v)| (k.clone(), Value::str(v))))
    };
    match value {
        OptionValue::Str(s) => Value::str(s),
        OptionValue::Int(i) => Value::Int(*i),
        OptionValue::Bool(b) => Value::Bool(*b),
        OptionValue::List(items) => Value::str_list(items),
        OptionValue::Dict(pairs) => dict(pairs),
        OptionValue::Dicts(tables) => Value::List(tables.iter().map(|t| dict(t)).collect()),
    }
}

/// `name` of `[tool.alembic]` as Alembic's `Config._get_toml_config_value`
/// returns it: `(True, value)`, or `(False, None)` when it is absent (the
/// caller then uses its default).
fn toml_option(name: &str) -> Answer {
    let found = with_session(|s| s.toml_option(name))
        .transpose()
        .map_err(session_err)?
        .flatten();
    Ok(match found {
        Some(value) => Value::Tuple(vec![Value::Bool(true), option_value(&value)]),
        None => Value::Tuple(vec![Value::Bool(false), Value::None]),
    })
}
