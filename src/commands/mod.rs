//! One module per command, each a short composition of the layers below. This is
//! the CLI edge: errors become Alembic's messages and exit codes here.

mod branches;
mod check;
mod current;
mod database;
mod edit;
mod ensure_version;
mod generate;
mod heads;
mod history;
mod hosted;
mod init;
mod list_templates;
mod merge;
mod output;
mod revision;
mod show;
mod stamp;
mod status;
mod verify;

use crate::cli::{Cli, Command, LockArgs};
use crate::config::{Config, ConfigError, ConfigSource};
use crate::revision::{RevisionError, RevisionMap};
use crate::script::{FsSource, Script, ScriptDirectory, ScriptError, VersionSource};

pub use output::Output;

/// How a command failed, which decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Alembic's `CommandError`: `FAILED: <msg>` on stdout, exit 255.
    #[error("{0}")]
    Command(String),
    /// Where Alembic dies with a traceback: a message on stderr, exit 1.
    #[error("{0}")]
    Crash(String),
}

impl From<ConfigError> for Failure {
    fn from(e: ConfigError) -> Self {
        if e.is_command_error() {
            Failure::Command(e.to_string())
        } else {
            Failure::Crash(e.to_string())
        }
    }
}

impl From<ScriptError> for Failure {
    fn from(e: ScriptError) -> Self {
        if e.is_command_error() {
            Failure::Command(e.to_string())
        } else {
            Failure::Crash(e.to_string())
        }
    }
}

/// Settings every command shares, resolved from the command line and environment.
#[derive(Debug, Clone)]
pub struct Global {
    pub config: ConfigSource,
    pub raiseerr: bool,
    pub x: Vec<String>,
}

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let code = run_command(cli);
    // The Python child, if one ran, ends after everything was said.
    crate::host::shutdown();
    code
}

fn run_command(cli: Cli) -> i32 {
    if let Some(python) = &cli.python {
        crate::host::set_python(python.clone());
    }
    // URLs are read by the rules of the SQLAlchemy scripts would run on.
    crate::db::set_sqlalchemy_line(crate::host::sqlalchemy_line);
    let mut out = Output::new(cli.quiet);
    let global = Global {
        config: ConfigSource {
            files: cli.config.clone(),
            section: cli.name.clone(),
            env_config: std::env::var_os("ALEMBIC_CONFIG")
                .filter(|v| !v.is_empty())
                .map(Into::into),
        },
        raiseerr: cli.raiseerr,
        x: cli.x.clone(),
    };
    let result = dispatch(&global, cli.command, &mut out);
    out.flush();
    match result {
        Ok(()) => 0,
        Err(Failure::Command(msg)) if !global.raiseerr => {
            if database::logging_configured() {
                eprintln!("ERROR [alembic.util.messaging] {msg}");
            }
            out.failed(&msg);
            255
        }
        Err(Failure::Command(msg)) | Err(Failure::Crash(msg)) => {
            eprintln!("retort: error: {msg}");
            1
        }
    }
}

fn dispatch(global: &Global, command: Command, out: &mut Output) -> Result<(), Failure> {
    match command {
        Command::Heads(a) => heads::run(global, out, a.verbose, a.resolve_dependencies, a.format),
        Command::Branches(a) => branches::run(global, out, a.verbose),
        Command::History(a) => history::run(
            global,
            out,
            a.rev_range.as_deref(),
            a.verbose,
            a.indicate_current,
            a.format,
        ),
        Command::Show(a) => show::run(global, out, &a.rev),
        Command::Current(a) => current::run(global, out, a.verbose, a.check_heads, a.format),
        Command::Stamp(a) => stamp::run(
            global,
            out,
            &a.revisions,
            a.sql,
            a.purge,
            Locking::from_args(&a.lock),
        ),
        Command::EnsureVersion(a) => ensure_version::run(global, out, a.sql),
        Command::Upgrade(a) => hosted::migrate(
            global,
            out,
            hosted::Migrate {
                revision: &a.migrate.revision,
                upgrade: true,
                sql: a.migrate.sql,
                tag: a.migrate.tag.as_deref(),
                locking: Locking::from_args(&a.migrate.lock),
                strict: a.strict,
            },
        ),
        Command::Downgrade(a) => hosted::migrate(
            global,
            out,
            hosted::Migrate {
                revision: &a.revision,
                upgrade: false,
                sql: a.sql,
                tag: a.tag.as_deref(),
                locking: Locking::from_args(&a.lock),
                strict: false,
            },
        ),
        Command::Status(a) => status::run(global, out, a.format),
        Command::Revision(a) => revision::run(
            global,
            out,
            revision::RevisionOptions {
                message: a.message,
                autogenerate: a.autogenerate,
                sql: a.sql,
                head: a.head,
                splice: a.splice,
                branch_label: a.branch_label,
                version_path: a.version_path,
                rev_id: a.rev_id,
                depends_on: a.depends_on,
            },
        ),
        Command::Merge(a) => merge::run(
            global,
            out,
            merge::MergeOptions {
                revisions: a.revisions,
                message: a.message,
                branch_label: a.branch_label,
                rev_id: a.rev_id,
                splice: a.splice,
            },
        ),
        Command::Check => check::run(global, out),
        Command::Init(a) => init::run(global, out, &a.directory, &a.template, a.package),
        Command::ListTemplates => list_templates::run(out),
        Command::Edit(a) => edit::run(global, out, &a.rev),
        Command::Verify(a) => verify::run(global, out, a),
    }
}

/// Whether a writing command (upgrade, downgrade, stamp; online) takes the
/// migration lock (`db::lock`), and how long it waits for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Locking {
    Off,
    /// Wait at most this long (`None`: for as long as it takes).
    Wait(Option<std::time::Duration>),
}

impl Locking {
    fn from_args(args: &LockArgs) -> Locking {
        if args.no_lock {
            return Locking::Off;
        }
        // A limit too large for a Duration (1e300) is no limit.
        Locking::Wait(args.lock_timeout.map(crate::db::seconds))
    }
}

/// The configuration, the script directory and every script, read without Python.
pub(crate) struct Project {
    pub config: Config,
    pub dir: ScriptDirectory,
    pub scripts: Vec<Script>,
}

impl Project {
    /// The project lives until the process exits and is never freed: a one-shot
    /// command gains nothing from dropping tens of thousands of scripts, which
    /// cost a tenth of the run time.
    pub(crate) fn load(global: &Global) -> Result<&'static mut Project, Failure> {
        let config = Config::load(&global.config)?;
        let dir = ScriptDirectory::from_config(&config)?;
        let scripts = FsSource(&dir).scripts(&mut |w| eprintln!("UserWarning: {w}"))?;
        Ok(Box::leak(Box::new(Project {
            config,
            dir,
            scripts,
        })))
    }

    /// Build the graph; `catch` decides how its errors surface for this command.
    /// The map moves each script's `revision` into the graph (the scripts keep
    /// path and docstring); like the project it is never freed.
    pub(crate) fn map(&mut self, catch: &Catch) -> Result<&'static RevisionMap, Failure> {
        let revisions = self
            .scripts
            .iter_mut()
            .map(|s| std::mem::take(&mut s.revision))
            .collect();
        let map = RevisionMap::build(revisions).map_err(|e| catch.failure(e))?;
        Ok(Box::leak(Box::new(map)))
    }
}

/// Alembic's `_catch_revision_errors`: which revision errors become `FAILED:` and
/// how they are worded for the command at hand.
#[derive(Debug, Default, Clone)]
pub(crate) struct Catch {
    /// Errors escape uncaught (Alembic prints a traceback).
    pub uncaught: bool,
    /// Template for range errors, with `{start}` and `{end}`.
    pub ancestor: Option<String>,
    /// Template for several heads, with `{head_arg}`.
    pub multiple_heads: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
}

impl Catch {
    pub(crate) fn range(start: &str, end: &str) -> Catch {
        Catch {
            start: Some(start.to_string()),
            end: Some(end.to_string()),
            ..Catch::default()
        }
    }

    pub(crate) fn failure(&self, e: RevisionError) -> Failure {
        if self.uncaught || e.is_uncaught_in_alembic() {
            return Failure::Crash(e.to_string());
        }
        Failure::Command(match e {
            RevisionError::RangeNotAncestor { lower, upper } => {
                let start = self
                    .start
                    .clone()
                    .or(lower)
                    .unwrap_or_else(|| "base".into());
                let end = self.end.clone().or(upper).unwrap_or_else(|| "base".into());
                self.ancestor
                    .as_deref()
                    .unwrap_or("Requested range {start}:{end} does not refer to ancestor/descendant revisions along the same branch")
                    .replace("{start}", &start)
                    .replace("{end}", &end)
            }
            RevisionError::MultipleHeads { argument, .. } => {
                let head_arg = self.end.clone().unwrap_or(argument);
                self.multiple_heads
                    .as_deref()
                    .unwrap_or("Multiple head revisions are present for given argument '{head_arg}'; please specify a specific target revision, '<branchname>@{head_arg}' to narrow to a specific head, or 'heads' for all heads")
                    .replace("{head_arg}", &head_arg)
            }
            RevisionError::Resolution { argument, .. } => {
                format!("Can't locate revision identified by '{argument}'")
            }
            other => other.to_string(),
        })
    }
}

/// Print what the graph layer wants said as Alembic warnings.
pub(crate) fn emit_warnings(warnings: Vec<String>) {
    for w in warnings {
        eprintln!("UserWarning: {w}");
    }
}

/// `start:end` as Alembic's `revision.split(":", 2)` unpacks it: `None`
/// without a `:`; a second `:` is the ValueError Alembic dies with.
pub(crate) fn split_range(r: &str) -> Result<Option<(&str, &str)>, Failure> {
    match r.split_once(':') {
        Some((_, end)) if end.contains(':') => Err(Failure::Crash(format!(
            "'{r}' has more than one ':' (Alembic fails with ValueError: too many values to unpack)"
        ))),
        parts => Ok(parts),
    }
}
