//! The one error type of the database layer.
//!
//! Every variant that concerns a database carries the URL with its password
//! masked (SQLAlchemy's `render_as_string(hide_password=True)` form), never the
//! password itself; every variant about a statement carries the statement.

/// What went wrong in `db`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// The text is not a SQLAlchemy URL (`make_url` would raise), or a part of
    /// it is malformed (a port that is not an integer).  `url` is the masked
    /// form when the URL could be split into parts, otherwise `None`: an
    /// unparseable string is never echoed, since it may hold a password.
    #[error("{reason}{}", url.as_deref().map(|u| format!(" ({u})")).unwrap_or_default())]
    InvalidUrl { url: Option<String>, reason: String },

    /// The URL names a dialect or driver retort cannot talk to.
    #[error("unsupported database dialect '{dialect}' in {url}: retort supports postgresql, mysql, mariadb and sqlite")]
    UnsupportedDialect { dialect: String, url: String },

    /// A URL query parameter (or a part of the URL) that retort cannot honour
    /// the way the Python driver would.
    #[error("can't use {url}: {reason}")]
    UnsupportedOption {
        url: String,
        key: String,
        reason: String,
    },

    /// Opening the connection failed (refused, unreachable, authentication,
    /// missing database, timeout).  One line: `can't connect to <url>: <reason>`.
    #[error("can't connect to {url}: {reason}")]
    Connect { url: String, reason: String },

    /// A statement failed.  `code` is the SQLSTATE (PostgreSQL, SQLite's
    /// extended result code as text) or the MySQL error number, when known.
    #[error("{message}\n[SQL: {statement}]")]
    Statement {
        url: String,
        statement: String,
        code: Option<String>,
        message: String,
    },

    /// Alembic's online row-count check on the version table: an UPDATE or
    /// DELETE of one version must touch exactly one row.  The message is
    /// Alembic's `CommandError` text.
    #[error(
        "Online migration expected to match one row when {action} in '{table}'; {found} found"
    )]
    UnexpectedRowCount {
        /// `updating '<old>' to '<new>'` or `deleting '<v>'`.
        action: String,
        /// The version table name as configured (unquoted, no schema), as
        /// Alembic prints it.
        table: String,
        found: u64,
    },

    /// A name SQLAlchemy refuses to render (`IdentifierError`).
    #[error("Identifier '{name}' exceeds maximum length of {max} characters")]
    IdentifierTooLong { name: String, max: usize },

    /// `begin()` inside a transaction, or `commit()`/`rollback()` outside one.
    #[error("{message} (on {url})")]
    Transaction { url: String, message: String },

    /// Another run held the migration lock for longer than `--lock-timeout`.
    #[error(
        "timed out after {waited:.1}s waiting for the migration lock of {target}: another retort \
         run is upgrading, downgrading or stamping this database; nothing was changed \
         (wait longer with --lock-timeout SECONDS, or skip the lock with --no-lock)"
    )]
    LockTimeout { target: String, waited: f64 },

    /// The SQLite lock file could not be opened or locked.
    #[error("can't use the migration lock file {path}: {reason}")]
    LockFile { path: String, reason: String },

    /// The async runtime behind the blocking facade could not be started.
    #[error("can't start the database runtime: {0}")]
    Runtime(#[source] std::io::Error),
}

impl DbError {
    /// The SQLSTATE / error number of a failed statement, if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            DbError::Statement { code, .. } => code.as_deref(),
            _ => None,
        }
    }
}
