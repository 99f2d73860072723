//! One run of env.py on behalf of a command.
//!
//! The command supplies a [`Session`]: given the heads env.py's migration
//! context read from the database, it answers the steps to run (Alembic's
//! `fn(heads, context)` of each command) and receives stdout text.

use std::cell::Cell;
use std::path::PathBuf;

use crate::db::{Backend, HistoryRow, VersionTable};

use super::child::{self, Reply};
use super::wire::Value;

/// What went wrong while running env.py.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// Alembic's `CommandError` (raised by env.py, a script, or a command's
    /// own check): `FAILED: <msg>`.
    #[error("{0}")]
    Command(String),
    /// Any other exception, with the traceback trimmed to the user's frames.
    #[error("{0}")]
    Python(String),
    /// The interpreter or its environment could not be set up.
    #[error("{0}")]
    Setup(String),
}

/// An error a [`Session`] reports back through env.py.
#[derive(Debug)]
pub struct SessionError {
    /// True for Alembic's `CommandError` (exit 255 with `FAILED:`).
    pub command: bool,
    pub message: String,
}

/// One migration step as the shim runs it.
#[derive(Debug, Clone)]
pub struct StepSpec {
    pub revision: String,
    /// The script to import and call; `None` for a stamp step.
    pub path: Option<PathBuf>,
    pub upgrade: bool,
    /// `upgrade a -> b, doc` (what follows `Running `).
    pub log: String,
    /// `upgrade a -> b`: the offline `-- Running …` comment (never the doc).
    pub comment: String,
    /// Version-table statements, each with the row count it must touch and
    /// the error message (with `%d` for the count found) when it does not.
    pub version_sql: Vec<(String, Option<u64>, String)>,
    pub heads_after: Vec<String>,
    /// `retort_history` changes, after the version table's, in order: a
    /// revision with its script's checksum is recorded, without is removed.
    pub audit: Vec<(String, Option<String>)>,
}

/// A `[tool.alembic]` value as `config.get_alembic_option()` returns it
/// (`%(here)s` already substituted).
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<String>),
    /// A table of strings: a dict.
    Dict(Vec<(String, String)>),
    /// An array of tables: a list of dicts.
    Dicts(Vec<Vec<(String, String)>>),
}

/// The command's side of a run of env.py.
pub trait Session {
    /// The steps to run from `heads` (the version table's rows);
    /// `history` is `retort_history` when checksums are on and it exists.
    fn steps(
        &mut self,
        heads: &[String],
        history: Option<&[HistoryRow]>,
        table: &VersionTable,
        backend: Backend,
        url: &str,
    ) -> Result<Vec<StepSpec>, SessionError>;
    /// Offline, the `starting_rev` entries resolved to full revision ids
    /// (partial ids and labels allowed, `base` dropped).
    fn resolve_start(&mut self, revisions: &[String]) -> Result<Vec<String>, SessionError>;
    /// `config.print_stdout` and command output.
    fn print(&mut self, text: &str);
    /// Writes out what the command has printed so far (Python prints to
    /// the same stdout between the command's own lines).
    fn flush(&mut self);
    /// The script directory's heads (`context.get_head_revisions()`).
    fn script_heads(&mut self) -> Vec<String>;
    /// `name` in `[tool.alembic]` of the project's pyproject.toml (`None`
    /// when absent or when there is no such file).
    fn toml_option(&mut self, name: &str) -> Result<Option<OptionValue>, SessionError>;
}

/// The command line as env.py can see it (`context.get_x_argument()`,
/// `config.cmd_opts`, `get_revision_argument()` …).
#[derive(Debug, Clone, Default)]
pub struct EnvRun {
    pub command: String,
    pub env_py: PathBuf,
    pub config_file: Option<PathBuf>,
    pub toml_file: Option<PathBuf>,
    pub ini_section: String,
    pub x: Vec<String>,
    pub as_sql: bool,
    pub destination_rev: Option<String>,
    pub starting_rev: Option<String>,
    pub tag: Option<String>,
    pub purge: bool,
    /// `current`: never create the version table.
    pub dont_mutate: bool,
    /// Take the migration lock before the heads are read (`Some`), waiting
    /// at most this many seconds (`Some(None)`: for as long as it takes).
    pub lock: Option<Option<f64>>,
    /// `checksums = true`: keep `retort_history`.
    pub checksums: bool,
    pub raiseerr: bool,
    pub quiet: bool,
    /// `prepend_sys_path` entries, in order.
    pub prepend_sys_path: Vec<String>,
    /// The command's own options, as attributes of `config.cmd_opts`
    /// (`revision`'s `autogenerate`, `message`, …).
    pub cmd_opts: Vec<(String, super::TemplateValue)>,
}

thread_local! {
    static SESSION: Cell<Option<*mut (dyn Session + 'static)>> = const { Cell::new(None) };
}

/// Calls `f` with the session of the run in progress.
pub(super) fn with_session<R>(f: impl FnOnce(&mut dyn Session) -> R) -> Option<R> {
    let ptr = SESSION.with(Cell::get)?;
    // SAFETY: the pointer is set only for the duration of `run_env`, which
    // holds the unique borrow; the Python calls that reach here run inside it
    // on this thread, one at a time.
    Some(f(unsafe { &mut *ptr }))
}

struct SessionGuard;

impl Drop for SessionGuard {
    fn drop(&mut self) {
        SESSION.with(|s| s.set(None));
    }
}

/// Runs env.py for `run`, with `session` answering the steps.
pub fn run_env(run: &EnvRun, session: &mut dyn Session) -> Result<(), HostError> {
    let ptr: *mut (dyn Session + '_) = session;
    // SAFETY: lifetime erased only while `_guard` lives (see `with_session`).
    let ptr: *mut (dyn Session + 'static) = unsafe { std::mem::transmute(ptr) };
    SESSION.with(|s| s.set(Some(ptr)));
    let _guard = SessionGuard;
    child::start(&run.prepend_sys_path)?;
    let result = child::call("retort.runner.main", vec![command_dict(run)]);
    // Locks still held (a pooled connection env.py never closed): the run
    // is over, its commits are done.  A failure to say so is not worth
    // reporting: the server drops the lock with the connection.
    let _ = super::bridge::release_locks(None);
    match result? {
        Reply::Ok(Value::None) => Ok(()),
        Reply::Ok(Value::Tuple(pair)) => match pair.as_slice() {
            [Value::Str(kind), Value::Str(message)] if kind == "command" => {
                Err(HostError::Command(message.clone()))
            }
            [_, Value::Str(message)] => Err(HostError::Python(message.clone())),
            _ => Err(HostError::Setup(
                "unexpected answer from retort.runner".into(),
            )),
        },
        Reply::Ok(_) => Err(HostError::Setup(
            "unexpected answer from retort.runner".into(),
        )),
        Reply::Err(message) => Err(HostError::Setup(message)),
    }
}

fn command_dict(run: &EnvRun) -> Value {
    let path = |p: &Option<PathBuf>| Value::opt_str(p.as_ref().map(|p| p.display().to_string()));
    Value::dict([
        ("name", Value::str(&run.command)),
        ("env_py", Value::str(run.env_py.display().to_string())),
        ("config_file", path(&run.config_file)),
        ("toml_file", path(&run.toml_file)),
        ("ini_section", Value::str(&run.ini_section)),
        ("x", Value::str_list(&run.x)),
        ("as_sql", Value::Bool(run.as_sql)),
        (
            "destination_rev",
            Value::opt_str(run.destination_rev.clone()),
        ),
        ("starting_rev", Value::opt_str(run.starting_rev.clone())),
        ("tag", Value::opt_str(run.tag.clone())),
        ("purge", Value::Bool(run.purge)),
        ("dont_mutate", Value::Bool(run.dont_mutate)),
        ("lock", Value::Bool(run.lock.is_some())),
        (
            "lock_timeout",
            run.lock.flatten().map_or(Value::None, Value::Float),
        ),
        ("checksums", Value::Bool(run.checksums)),
        ("raiseerr", Value::Bool(run.raiseerr)),
        ("quiet", Value::Bool(run.quiet)),
        (
            "cmd_opts",
            Value::dict(run.cmd_opts.iter().map(|(k, v)| (k.clone(), v.to_value()))),
        ),
    ])
}
