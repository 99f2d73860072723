//! One database connection behind a blocking facade: a current-thread tokio
//! runtime owned by the [`Db`], every method a `block_on`.

use std::time::Duration;

use sqlx::mysql::{MySqlConnection, MySqlDatabaseError};
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;
use sqlx::{AssertSqlSafe, Connection, Database, Decode, Row};

use super::sqlite_direct::{DirectSqlite, LiteError};
use super::tls::{tls_reason, Retry};
use super::url::{ConnectKind, ConnectOptions};
use super::{Backend, DbError, DbUrl, Dialect};

pub(super) enum Conn {
    Pg(PgConnection),
    My(MySqlConnection),
    /// Its statements run on this thread (see `sqlite_direct`).
    Lite(DirectSqlite),
}

/// An open connection (not a pool) to one database.
///
/// Methods block.  The connection starts outside any transaction; statements
/// run outside [`Db::begin`] … [`Db::commit`] autocommit.
pub struct Db {
    // Dropped before `rt` (fields drop in order): see `Drop`.
    pub(super) conn: Option<Conn>,
    pub(super) rt: tokio::runtime::Runtime,
    url: String,
    backend: Backend,
    server_version: String,
    sqlite_begin: Option<&'static str>,
    in_transaction: bool,
    /// PyMySQL's `read_timeout`: how long a statement waits for the server.
    pub(super) read_timeout: Option<Duration>,
}

/// What a statement that waited longer than `read_timeout` fails with
/// (PyMySQL's words; the connection is then closed, as PyMySQL closes it).
const READ_TIMED_OUT: &str = "Lost connection to MySQL server during query (timed out)";

/// `fut`, given up after `limit` with [`READ_TIMED_OUT`].
pub(super) async fn read_limited<T>(
    limit: Option<Duration>,
    fut: impl std::future::Future<Output = Result<T, sqlx::Error>>,
) -> Result<T, sqlx::Error> {
    match limit {
        None => fut.await,
        Some(limit) => tokio::time::timeout(limit, fut)
            .await
            .unwrap_or_else(|_| Err(sqlx::Error::Io(std::io::Error::other(READ_TIMED_OUT)))),
    }
}

/// Run `$body` with `$c` bound to the concrete sqlx connection, on the
/// runtime, or `$lite` with `$d` bound to the SQLite connection.  `$body` is
/// an `async` block; each arm is typed for its backend.
macro_rules! on_conn {
    ($self:ident, $c:ident => $body:expr, $d:ident => $lite:expr) => {{
        let rt = &$self.rt;
        match $self.conn.as_mut() {
            Some(Conn::Pg($c)) => rt.block_on($body).map_err(Failure::Sqlx),
            Some(Conn::My($c)) => rt
                .block_on(read_limited($self.read_timeout, $body))
                .map_err(Failure::Sqlx),
            Some(Conn::Lite($d)) => $lite.map_err(Failure::Lite),
            None => Err(Failure::Sqlx(sqlx::Error::PoolClosed)),
        }
    }};
}

const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

impl Db {
    /// Open one connection for `url`, as the URL's Python driver would.
    ///
    /// Failures (refused, unreachable, authentication, missing database,
    /// timeout) give [`DbError::Connect`]: `can't connect to <masked url>: <reason>`.
    pub fn connect(url: &DbUrl) -> Result<Db, DbError> {
        let opts = url.to_sqlx()?;
        Db::connect_with(url, opts)
    }

    /// [`Db::connect`] with options already built by [`DbUrl::to_sqlx`].
    pub fn connect_with(url: &DbUrl, opts: ConnectOptions) -> Result<Db, DbError> {
        let masked = url.shown();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(DbError::Runtime)?;
        let ConnectOptions {
            kind,
            fallback,
            tls,
            read_timeout,
            timeout,
            init,
            checks,
            sqlite_begin,
        } = opts;
        let tls = tls.unwrap_or_default();
        let attempt = |kind: &ConnectKind| {
            let connecting = async move {
                match kind {
                    ConnectKind::Postgres(o) => PgConnection::connect_with(o).await.map(Conn::Pg),
                    ConnectKind::Mysql(o) => MySqlConnection::connect_with(o).await.map(Conn::My),
                    ConnectKind::Sqlite(o) => {
                        let c = SqliteConnection::connect_with(o).await?;
                        DirectSqlite::lock(c).await.map(Conn::Lite)
                    }
                }
            };
            // libpq's connect_timeout is per attempt.
            rt.block_on(async {
                match timeout {
                    Some(limit) => match tokio::time::timeout(limit, connecting).await {
                        Ok(r) => r.map_err(|e| connect_reason(&e, kind, &tls)),
                        Err(_) => Err((
                            Tried::TimedOut,
                            format!("timed out after {}s", limit.as_secs_f64()),
                        )),
                    },
                    None => connecting.await.map_err(|e| connect_reason(&e, kind, &tls)),
                }
            })
        };
        let conn = match (attempt(&kind), fallback) {
            (Ok(conn), _) => Ok(conn),
            (Err((tried, first)), Some((other, when))) if tried.retried_by(when) => attempt(&other)
                .map_err(|(_, second)| {
                    if second == first {
                        return second;
                    }
                    let (tls_try, plain_try) = match when {
                        Retry::OnServerRefusal => (&second, &first),
                        Retry::OnTlsOrServerRefusal => (&first, &second),
                    };
                    format!("with TLS: {tls_try}; without TLS: {plain_try}")
                }),
            (Err((_, reason)), _) => Err(reason),
        };
        let conn = conn.map_err(|reason| DbError::Connect {
            url: masked.clone(),
            reason,
        })?;
        let mut db = Db {
            conn: Some(conn),
            rt,
            url: masked,
            backend: url.backend(),
            server_version: String::new(),
            sqlite_begin,
            in_transaction: false,
            read_timeout,
        };
        for statement in &init {
            db.execute(statement).map_err(|e| DbError::Connect {
                url: db.url.clone(),
                reason: format!("{statement}: {}", first_line(&e.to_string())),
            })?;
        }
        for check in &checks {
            let answer = db
                .query_strings(check.sql)?
                .into_iter()
                .next()
                .and_then(|row| row.into_iter().next().flatten());
            if answer.as_deref() != Some(check.want) {
                return Err(DbError::Connect {
                    url: db.url.clone(),
                    reason: check.refusal.to_string(),
                });
            }
        }
        let version_sql = match url.dialect {
            Dialect::Sqlite => "SELECT sqlite_version()",
            Dialect::Postgresql => "SHOW server_version",
            Dialect::Mysql => "SELECT VERSION()",
        };
        db.server_version = db
            .query_strings(version_sql)?
            .into_iter()
            .next()
            .and_then(|row| row.into_iter().next().flatten())
            .unwrap_or_default();
        if url.dialect == Dialect::Mysql {
            let server_is_mariadb = db.server_version.to_lowercase().contains("mariadb");
            if url.is_mariadb && !server_is_mariadb {
                // SQLAlchemy prints the numeric version tuple joined by dots.
                let numeric: String = db
                    .server_version
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                return Err(DbError::Connect {
                    url: db.url.clone(),
                    reason: format!(
                        "MySQL version {} is not a MariaDB variant.",
                        numeric.trim_end_matches('.')
                    ),
                });
            }
            db.backend = Backend::new(Dialect::Mysql, server_is_mariadb);
        }
        Ok(db)
    }

    pub fn dialect(&self) -> Dialect {
        self.backend.dialect
    }

    /// The dialect, with MariaDB detected from the server (as SQLAlchemy does).
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL with its password masked.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The server's version string (`SHOW server_version`, `VERSION()`,
    /// `sqlite_version()`).
    pub fn server_version(&self) -> &str {
        &self.server_version
    }

    /// Run SQL text (one or more statements, no parameters) and return the
    /// number of rows it affected (MySQL: rows matched, as SQLAlchemy's
    /// `FOUND_ROWS` client flag makes it).
    ///
    /// Statements that change no rows (DDL, SELECT) count 0 — also on
    /// SQLite, whose per-statement count would otherwise repeat the last
    /// INSERT/UPDATE/DELETE's.
    pub fn execute(&mut self, sql: &str) -> Result<u64, DbError> {
        let result = on_conn!(self, c => async {
            sqlx::raw_sql(AssertSqlSafe(sql))
                .execute(&mut *c)
                .await
                .map(|r| r.rows_affected())
        }, d => d.execute(sql));
        result.map_err(|e| self.failed(sql, &e))
    }

    /// Run SQL text and return every row, each value as text (`None` for
    /// NULL; binary values are decoded as UTF-8 with replacement).
    pub fn query_strings(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, DbError> {
        let result = on_conn!(self, c => async {
            let rows = sqlx::raw_sql(AssertSqlSafe(sql)).fetch_all(&mut *c).await?;
            rows.iter().map(row_strings).collect::<Result<Vec<_>, _>>()
        }, d => d.query_strings(sql));
        result.map_err(|e| self.failed(sql, &e))
    }

    /// Run one statement with text parameters (`$1` for PostgreSQL, `?`
    /// otherwise) and return the number of rows it produced.
    pub(crate) fn count_rows(&mut self, sql: &str, binds: &[&str]) -> Result<usize, DbError> {
        let result = on_conn!(self, c => async {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for b in binds {
                q = q.bind(b.to_string());
            }
            q.fetch_all(&mut *c).await.map(|rows| rows.len())
        }, d => d.count_rows(sql, binds));
        result.map_err(|e| self.failed(sql, &e))
    }

    /// Start a transaction (`BEGIN`; SQLite: `BEGIN <isolation_level>` if the
    /// URL set one).
    pub fn begin(&mut self) -> Result<(), DbError> {
        if self.in_transaction {
            return Err(DbError::Transaction {
                url: self.url.clone(),
                message: "a transaction is already begun on this connection".to_string(),
            });
        }
        let sql = match self.backend.dialect {
            Dialect::Sqlite => self.sqlite_begin.unwrap_or("BEGIN"),
            Dialect::Postgresql | Dialect::Mysql => "BEGIN",
        };
        self.execute(sql)?;
        self.in_transaction = true;
        Ok(())
    }

    /// Commit the transaction begun with [`Db::begin`].
    pub fn commit(&mut self) -> Result<(), DbError> {
        self.end_transaction("COMMIT")
    }

    /// Roll back the transaction begun with [`Db::begin`].
    pub fn rollback(&mut self) -> Result<(), DbError> {
        self.end_transaction("ROLLBACK")
    }

    fn end_transaction(&mut self, sql: &str) -> Result<(), DbError> {
        if !self.in_transaction {
            return Err(DbError::Transaction {
                url: self.url.clone(),
                message: format!("{sql} without a transaction begun on this connection"),
            });
        }
        // Whatever happens, the transaction is over for our bookkeeping: a
        // failed COMMIT leaves nothing to roll back.
        self.in_transaction = false;
        self.execute(sql).map(|_| ())
    }

    /// True between [`Db::begin`] and [`Db::commit`]/[`Db::rollback`].
    pub fn in_transaction(&self) -> bool {
        self.in_transaction
    }

    /// Close the connection politely (the server sees a clean goodbye).
    pub fn close(mut self) -> Result<(), DbError> {
        self.close_conn()
            .map_err(|e| self.statement_error("(close)", &Failure::Sqlx(e)))
    }

    fn close_conn(&mut self) -> Result<(), sqlx::Error> {
        let Some(conn) = self.conn.take() else {
            return Ok(());
        };
        let closing = async {
            match conn {
                Conn::Pg(c) => c.close().await,
                Conn::My(c) => c.close().await,
                Conn::Lite(d) => d.release().close().await,
            }
        };
        self.rt.block_on(async {
            tokio::time::timeout(CLOSE_TIMEOUT, closing)
                .await
                .unwrap_or(Ok(()))
        })
    }

    /// [`Db::statement_error`], after closing a connection whose statement
    /// ran past `read_timeout` (its state is unknown, as PyMySQL's is).
    pub(super) fn failed(&mut self, statement: &str, e: &Failure) -> DbError {
        if let Failure::Sqlx(sqlx::Error::Io(io)) = e {
            if self.read_timeout.is_some() && io.to_string() == READ_TIMED_OUT {
                self.conn = None;
            }
        }
        self.statement_error(statement, e)
    }

    pub(super) fn statement_error(&self, statement: &str, e: &Failure) -> DbError {
        let (code, message) = match e {
            Failure::Sqlx(e) => error_parts(e),
            Failure::Lite(e) => (Some(e.code.to_string()), e.message.clone()),
        };
        DbError::Statement {
            url: self.url.clone(),
            statement: statement.to_string(),
            code,
            message,
        }
    }
}

#[cfg(test)]
impl Db {
    /// A private in-memory SQLite database, for unit tests.
    pub(crate) fn sqlite_memory() -> Db {
        Db::connect(&DbUrl::parse("sqlite://").expect("url")).expect("connect")
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let _ = self.close_conn();
    }
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("url", &self.url)
            .field("backend", &self.backend)
            .field("in_transaction", &self.in_transaction)
            .finish()
    }
}

/// Why a statement failed: sqlx's error, or SQLite's when run directly.
pub(super) enum Failure {
    Sqlx(sqlx::Error),
    Lite(LiteError),
}

/// Every value of a row as text.
fn row_strings<R>(row: &R) -> Result<Vec<Option<String>>, sqlx::Error>
where
    R: Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> &'r str: Decode<'r, R::Database>,
    for<'r> &'r [u8]: Decode<'r, R::Database>,
    R::Database: Database,
{
    (0..row.len())
        .map(|i| match row.try_get_unchecked::<Option<&str>, _>(i) {
            Ok(v) => Ok(v.map(str::to_string)),
            Err(_) => row
                .try_get_unchecked::<Option<&[u8]>, _>(i)
                .map(|v| v.map(|b| String::from_utf8_lossy(b).into_owned())),
        })
        .collect()
}

/// (error code, message) of a sqlx error.
fn error_parts(e: &sqlx::Error) -> (Option<String>, String) {
    match e {
        sqlx::Error::Database(d) => {
            let code = match d.try_downcast_ref::<MySqlDatabaseError>() {
                Some(my) => Some(my.number().to_string()),
                None => d.code().map(|c| c.into_owned()),
            };
            (code, d.message().to_string())
        }
        sqlx::Error::Io(io) => (None, io_reason(io)),
        other => (None, other.to_string()),
    }
}

/// How a connection attempt failed, as far as a second attempt is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tried {
    /// The server answered with an error (authentication, `pg_hba.conf`).
    Refused,
    /// The TLS handshake failed, or the server has no TLS.
    Tls,
    /// The network, a timeout or the client's own configuration.
    TimedOut,
    Other,
}

impl Tried {
    fn retried_by(self, when: Retry) -> bool {
        match when {
            Retry::OnServerRefusal => self == Tried::Refused,
            Retry::OnTlsOrServerRefusal => matches!(self, Tried::Refused | Tried::Tls),
        }
    }
}

/// The one-line reason a connection attempt failed, naming the host and
/// how its certificate was checked when TLS failed.
fn connect_reason(e: &sqlx::Error, kind: &ConnectKind, checks: &str) -> (Tried, String) {
    let host = match kind {
        ConnectKind::Postgres(o) => o.get_host().to_string(),
        ConnectKind::Mysql(o) => o.get_host().to_string(),
        ConnectKind::Sqlite(_) => String::new(),
    };
    if let Some(reason) = tls_reason(e, &host, checks) {
        return (Tried::Tls, reason);
    }
    match e {
        sqlx::Error::Io(io) => (Tried::Other, io_reason(io)),
        sqlx::Error::Database(d) => (Tried::Refused, d.message().to_string()),
        sqlx::Error::Configuration(c) => (Tried::Other, c.to_string()),
        other => (Tried::Other, first_line(&other.to_string()).to_string()),
    }
}

fn io_reason(io: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match io.kind() {
        ConnectionRefused => "connection refused".to_string(),
        TimedOut => "timed out".to_string(),
        NotFound => "no such file or directory".to_string(),
        PermissionDenied => "permission denied".to_string(),
        ConnectionReset => "connection reset by server".to_string(),
        UnexpectedEof => "server closed the connection unexpectedly".to_string(),
        _ => {
            let text = io.to_string();
            // "Network is unreachable (os error 101)" → "network is unreachable"
            let text = match text.rfind(" (os error ") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            let mut chars = text.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}
