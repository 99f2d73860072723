//! Reaching the database the way the project's env.py would. Without the Python
//! host, only a stock env.py can be stood in for: it connects to `sqlalchemy.url`
//! of the main ini section and uses the default version table.

use super::{Failure, Locking, Project};
use crate::db::{Backend, Db, DbError, DbUrl, Dialect, MigrationLock, VersionTable};
use crate::script::stock_env;

impl From<DbError> for Failure {
    fn from(e: DbError) -> Self {
        match e {
            // Alembic raises these as CommandError (FAILED:).
            DbError::UnexpectedRowCount { .. } => Failure::Command(e.to_string()),
            // As the hosted path reports it (the shim's CommandError).
            DbError::LockTimeout { .. } => Failure::Command(e.to_string()),
            other => Failure::Crash(other.to_string()),
        }
    }
}

/// An open connection with the version table env.py would configure.
pub(crate) struct Connected {
    pub db: Db,
    pub url: DbUrl,
    pub table: VersionTable,
    /// Where Alembic's INFO log lines go (env.py's `fileConfig`).
    pub log: Log,
}

impl Project {
    /// Whether env.py is one of Alembic's stock templates, which Rust can
    /// stand in for without starting Python.
    pub(crate) fn uses_stock_env(&self) -> bool {
        stock_env(&self.dir.dir.join("env.py")).is_some()
    }

    /// The URL a stock env.py would use (online and offline alike).
    fn stock_env_url(&self) -> Result<DbUrl, Failure> {
        let env_py = self.dir.dir.join("env.py");
        if stock_env(&env_py).is_none() {
            return Err(Failure::Crash(format!(
                "{} is not one of Alembic's stock env.py templates, which retort stands in for without Python; this command should have run it in Python (a retort bug, please report it)",
                env_py.display()
            )));
        }
        let section = &self.config.section;
        let raw = self
            .config
            .ini()
            .get(section, "sqlalchemy.url")
            .map_err(|e| Failure::Crash(format!("{}: {e}", self.config.ini_path.display())))?
            .ok_or_else(|| {
                Failure::Crash(format!(
                    "no sqlalchemy.url in the [{section}] section of {}, which the stock env.py connects to",
                    self.config.ini_path.display()
                ))
            })?;
        Ok(DbUrl::parse(&raw)?)
    }

    pub(crate) fn connect(&self) -> Result<Connected, Failure> {
        let url = self.stock_env_url()?;
        let log = self.log();
        let db = Db::connect(&url)?;
        let connected = Connected {
            db,
            url,
            table: VersionTable::default(),
            log,
        };
        // Alembic picks its impl by the URL's dialect name: a mysql:// URL on
        // a MariaDB server still logs MySQLImpl.
        log_context(&connected.log, connected.url.backend(), false);
        Ok(connected)
    }
}

impl Connected {
    /// The rows, creating the table when there are none, as every command but
    /// `current` does when Alembic runs its migration context (even `history -i`).
    pub fn rows_creating_table(&mut self) -> Result<Vec<String>, Failure> {
        let rows = self.table.rows(&mut self.db)?;
        if rows.is_empty() {
            self.table.ensure(&mut self.db)?;
        }
        Ok(rows)
    }

    pub fn transactional_ddl(&self) -> bool {
        transactional_ddl(self.db.dialect())
    }

    /// The migration lock of the version table, as the hosted path takes it.
    pub fn lock(&mut self, locking: Locking) -> Result<Option<MigrationLock>, Failure> {
        let Locking::Wait(limit) = locking else {
            return Ok(None);
        };
        let mut waiting = |target: &str| eprintln!("{}", crate::db::waiting_notice(target));
        Ok(Some(self.db.lock_migrations(
            &self.table,
            limit,
            &mut waiting,
        )?))
    }

    pub fn unlock(&mut self, lock: Option<MigrationLock>) -> Result<(), Failure> {
        match lock {
            Some(lock) => Ok(self.db.unlock_migrations(lock)?),
            None => Ok(()),
        }
    }
}

/// Alembic's migration log (`alembic.runtime.migration` at INFO), shown when the
/// ini's logging configuration lets it through, in the stock format.
pub(crate) struct Log {
    enabled: bool,
}

/// Set once env.py's logging configuration is in force: from then on Alembic's
/// error handler also logs `ERROR [alembic.util.messaging] <msg>`.
static LOGGING_CONFIGURED: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Whether a failure should also be logged the way Alembic's `util.err` does.
pub(crate) fn logging_configured() -> bool {
    crate::host::logging_configured()
        .unwrap_or_else(|| LOGGING_CONFIGURED.load(std::sync::atomic::Ordering::Relaxed))
}

impl Log {
    fn from_config(project: &Project) -> Log {
        // The stock env.py calls fileConfig() when the ini file exists.
        if project.config.ini_path.exists() && project.config.ini().has_section("loggers") {
            LOGGING_CONFIGURED.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let ini = project.config.ini();
        let level = |section: &str| {
            ini.get(section, "level")
                .ok()
                .flatten()
                .map(|l| l.trim().to_uppercase())
        };
        let effective = level("logger_alembic").or_else(|| level("logger_root"));
        Log {
            enabled: matches!(
                effective.as_deref(),
                Some("INFO") | Some("DEBUG") | Some("NOTSET")
            ),
        }
    }

    pub fn info(&self, msg: &str) {
        if self.enabled {
            eprintln!("INFO  [alembic.runtime.migration] {msg}");
        }
    }
}

/// Alembic's default: only PostgreSQL (of ours) has transactional DDL.
fn transactional_ddl(dialect: Dialect) -> bool {
    dialect == Dialect::Postgresql
}

/// The lines Alembic logs when env.py configures its migration context.
fn log_context(log: &Log, backend: Backend, offline: bool) {
    log.info(&format!("Context impl {}.", impl_name(backend)));
    if offline {
        log.info("Generating static SQL");
    }
    log.info(&format!(
        "Will assume {} DDL.",
        if transactional_ddl(backend.dialect) {
            "transactional"
        } else {
            "non-transactional"
        }
    ));
}

/// Alembic's implementation class for a backend, as its log line names it.
fn impl_name(backend: Backend) -> &'static str {
    match (backend.dialect, backend.mariadb) {
        (Dialect::Postgresql, _) => "PostgresqlImpl",
        (Dialect::Sqlite, _) => "SQLiteImpl",
        (Dialect::Mysql, true) => "MariaDBImpl",
        (Dialect::Mysql, false) => "MySQLImpl",
    }
}

/// Offline (`--sql`) output: what a stock env.py's offline branch would print,
/// with no connection opened.
pub(crate) struct Offline {
    pub backend: Backend,
    pub table: VersionTable,
}

impl Project {
    /// Alembic's migration log as env.py's logging configuration would set it up.
    pub(crate) fn log(&self) -> Log {
        Log::from_config(self)
    }

    pub(crate) fn offline(&self) -> Result<Offline, Failure> {
        let url = self.stock_env_url()?;
        let backend = url.backend();
        let offline = Offline {
            backend,
            table: VersionTable::default(),
        };
        log_context(&self.log(), backend, true);
        Ok(offline)
    }
}

impl Offline {
    pub fn transactional_ddl(&self) -> bool {
        transactional_ddl(self.backend.dialect)
    }

    /// A statement as Alembic writes it: tabs as four spaces, trimmed, `;`, blank line.
    pub fn statement(sql: &str) -> String {
        format!("{};\n\n", sql.replace('\t', "    ").trim())
    }

    pub fn create_table(&self) -> Result<String, Failure> {
        Ok(Self::statement(&self.table.create_sql(self.backend)?))
    }
}
