//! SQLAlchemy database URLs: parsing exactly as `sqlalchemy.engine.make_url`
//! does, masking exactly as `URL.render_as_string(hide_password=True)` does,
//! and turning the result into connect options the way each Python driver
//! would interpret it.
//!
//! Parsing is SQLAlchemy's, quirks included: only the user name and password
//! are percent-decoded (not the host; the database from SQLAlchemy 2.1 on,
//! see [`set_sqlalchemy_line`]); the query string is
//! decoded like `urllib.parse.parse_qsl` (blank values dropped, `+` is a
//! space); a password runs up to the first `@` and may contain `/` and `:`.

use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use sqlx::mysql::MySqlConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use sqlx::sqlite::SqliteConnectOptions;

use super::tls::{MyKwargs, MyTls, PgTls, PgTlsInput, Retry};
use super::DbError;

/// Where the SQLAlchemy release line of the user's environment comes from
/// (the host layer reads it from package metadata).  SQLAlchemy 2.1 decodes
/// the database part of a URL and encodes it again when rendering; 2.0 and
/// 1.4 take it as written.  Asked only when a database name has a character
/// the two treat differently.
static SQLALCHEMY_LINE: std::sync::OnceLock<fn() -> (u32, u32)> = std::sync::OnceLock::new();

/// Names the function that gives the environment's SQLAlchemy line; without
/// one the newest line's rules apply.
pub fn set_sqlalchemy_line(line: fn() -> (u32, u32)) {
    let _ = SQLALCHEMY_LINE.set(line);
}

/// Whether the database part of a URL is percent-encoded (SQLAlchemy 2.1+).
fn database_is_encoded() -> bool {
    SQLALCHEMY_LINE.get().is_none_or(|line| line() >= (2, 1))
}

use crate::backend::{Backend, Dialect};

/// A parsed SQLAlchemy URL for a supported dialect.
///
/// Field values are what SQLAlchemy's `URL` object holds: `username` and
/// `password` decoded, `host` and `database` as written, `query` decoded in
/// order of appearance (a key may repeat).  `Debug` and `Display` mask the
/// password.
#[derive(Clone, PartialEq, Eq)]
pub struct DbUrl {
    pub dialect: Dialect,
    /// The URL said `mariadb` (SQLAlchemy then insists the server is MariaDB).
    /// A `mysql://` URL may still reach a MariaDB server; [`super::Db`] finds
    /// out when it connects.
    pub is_mariadb: bool,
    /// `dialect[+driver]` exactly as written, e.g. `postgresql+psycopg2`.
    pub drivername: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub host: Option<String>,
    /// SQLAlchemy keeps any integer here; connecting needs 1–65535 (0 means
    /// the default, as with SQLAlchemy, which drops a false-y port).
    pub port: Option<i64>,
    pub database: Option<String>,
    pub query: Vec<(String, String)>,
    /// `create_engine(url, connect_args={...})` as retort's Python driver
    /// hands it over (JSON in the [`CONNECT_ARGS_KEY`] query parameter, taken
    /// out of `query`): keyword arguments for the driver, applied after the
    /// URL's.  Never shown (it may hold a password).
    pub connect_args: Option<String>,
}

/// Query keys whose values are passwords.
const SECRET_QUERY_KEYS: [&str; 4] = ["password", "passwd", "sslpassword", "ssl_key_password"];

/// The query parameter that carries `connect_args` from retort's Python
/// side (`python/retort/dialects.py`) to [`DbUrl::parse`].
pub const CONNECT_ARGS_KEY: &str = "_retort_connect_args";

impl fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbUrl")
            .field("dialect", &self.dialect)
            .field("is_mariadb", &self.is_mariadb)
            .field("drivername", &self.drivername)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &self.database)
            .field("query", &self.query)
            .field("connect_args", &self.connect_args.as_ref().map(|_| "***"))
            .finish()
    }
}

impl fmt::Display for DbUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl std::str::FromStr for DbUrl {
    type Err = DbError;
    fn from_str(s: &str) -> Result<DbUrl, DbError> {
        DbUrl::parse(s)
    }
}

/// The parts `make_url` finds, before any dialect is looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UrlParts {
    pub drivername: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub host: Option<String>,
    pub port: Option<i64>,
    pub database: Option<String>,
    pub query: Vec<(String, String)>,
}

const PARSE_ERROR: &str = "Could not parse SQLAlchemy URL from given URL string";

impl UrlParts {
    /// `sqlalchemy.engine.url._parse_url`, reproduced step by step from its
    /// regular expression (anchored at the start only, so trailing text the
    /// pattern cannot take is ignored, as in Python).
    pub(crate) fn parse(s: &str) -> Result<UrlParts, DbError> {
        // (?P<name>[\w\+]+)://
        let name_len = s
            .char_indices()
            .find(|&(_, c)| !(is_py_word(c) || c == '+'))
            .map_or(s.len(), |(i, _)| i);
        if name_len == 0 || !s[name_len..].starts_with("://") {
            return Err(DbError::InvalidUrl {
                url: None,
                reason: PARSE_ERROR.to_string(),
            });
        }
        let drivername = s[..name_len].to_string();
        let mut rest = &s[name_len + 3..];

        // (?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?
        let mut username = None;
        let mut password = None;
        let run = rest.find([':', '/']).unwrap_or(rest.len());
        let mut matched = false;
        if rest[run..].starts_with(':') {
            let after = &rest[run + 1..];
            if let Some(at) = after.find('@') {
                username = Some(&rest[..run]);
                password = Some(&after[..at]);
                rest = &after[at + 1..];
                matched = true;
            }
        }
        if !matched {
            if let Some(at) = rest[..run].rfind('@') {
                username = Some(&rest[..at]);
                rest = &rest[at + 1..];
            }
        }

        // (?:(?:\[(?P<ipv6host>[^/\?]+)\]|(?P<ipv4host>[^/:\?]+))?(?::(?P<port>[^/\?]*))?)?
        let mut host = None;
        let run = rest.find(['/', '?']).unwrap_or(rest.len());
        let ipv6 = if rest.starts_with('[') {
            rest[..run].rfind(']').filter(|&close| close > 1)
        } else {
            None
        };
        if let Some(close) = ipv6 {
            host = Some(&rest[1..close]);
            rest = &rest[close + 1..];
        } else {
            let end = rest.find(['/', ':', '?']).unwrap_or(rest.len());
            if end > 0 {
                host = Some(&rest[..end]);
                rest = &rest[end..];
            }
        }
        let mut port_text = None;
        if let Some(after) = rest.strip_prefix(':') {
            let end = after.find(['/', '?']).unwrap_or(after.len());
            port_text = Some(&after[..end]);
            rest = &after[end..];
        }

        // (?:/(?P<database>[^\?]*))?
        let mut database = None;
        if let Some(after) = rest.strip_prefix('/') {
            let end = after.find('?').unwrap_or(after.len());
            database = Some(after[..end].to_string());
            rest = &after[end..];
        }

        // (?:\?(?P<query>.*))?   ("." stops at a newline)
        let mut query = Vec::new();
        if let Some(after) = rest.strip_prefix('?') {
            let end = after.find('\n').unwrap_or(after.len());
            query = parse_qsl(&after[..end]);
        }

        if database.as_deref().is_some_and(|d| d.contains('%')) && database_is_encoded() {
            database = database.as_deref().map(py_unquote);
        }
        let mut parts = UrlParts {
            drivername,
            username: username.map(py_unquote),
            password: password.map(py_unquote),
            host: host.map(str::to_string),
            port: None,
            database,
            query,
        };
        if let Some(text) = port_text {
            // `if components["port"]: int(...)`, and URL.create's int("") raises too.
            match crate::python::python_int(text) {
                Some(port) => parts.port = Some(port),
                None => {
                    return Err(DbError::InvalidUrl {
                        url: Some(parts.render(true)),
                        reason: format!("invalid port {text:?}: not an integer"),
                    })
                }
            }
        }
        Ok(parts)
    }

    /// `URL.render_as_string(hide_password)`.
    pub(crate) fn render(&self, hide_password: bool) -> String {
        self.render_hiding(hide_password, &[])
    }

    /// [`UrlParts::render`] with the values of `hidden` query keys as `***`.
    fn render_hiding(&self, hide_password: bool, hidden: &[&str]) -> String {
        let mut s = format!("{}://", self.drivername);
        if let Some(user) = &self.username {
            s += &py_quote(user, b" +");
            if let Some(password) = &self.password {
                s.push(':');
                if hide_password {
                    s += "***";
                } else {
                    s += &py_quote(password, b" +");
                }
            }
            s.push('@');
        }
        if let Some(host) = &self.host {
            if host.contains(':') {
                s += &format!("[{host}]");
            } else {
                s += host;
            }
        }
        if let Some(port) = self.port {
            s += &format!(":{port}");
        }
        if let Some(database) = &self.database {
            s.push('/');
            let plain = database
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.-~ +/".contains(&b));
            if plain || !database_is_encoded() {
                s += database;
            } else {
                s += &py_quote(database, b" +/");
            }
        }
        if !self.query.is_empty() {
            let mut keys: Vec<&str> = Vec::new();
            for (k, _) in &self.query {
                if !keys.contains(&k.as_str()) {
                    keys.push(k);
                }
            }
            keys.sort_unstable();
            let mut pairs = Vec::new();
            for key in keys {
                for (k, v) in &self.query {
                    if k == key && hidden.contains(&k.as_str()) {
                        pairs.push(format!("{}=***", py_quote_plus(k)));
                    } else if k == key {
                        pairs.push(format!("{}={}", py_quote_plus(k), py_quote_plus(v)));
                    }
                }
            }
            s.push('?');
            s += &pairs.join("&");
        }
        s
    }
}

impl DbUrl {
    /// Parse a SQLAlchemy URL (`dialect[+driver]://user:password@host:port/database?query`).
    pub fn parse(s: &str) -> Result<DbUrl, DbError> {
        let parts = UrlParts::parse(s)?;
        let unsupported = || DbError::UnsupportedDialect {
            dialect: parts.drivername.clone(),
            url: parts.render(true),
        };
        let mut names = parts.drivername.split('+');
        let backend = names.next().unwrap_or_default();
        let driver = names.next();
        if names.next().is_some() {
            return Err(unsupported());
        }
        let (dialect, is_mariadb, drivers): (Dialect, bool, &[&str]) = match backend {
            "postgresql" | "postgres" => (
                Dialect::Postgresql,
                false,
                &[
                    "psycopg2",
                    "psycopg",
                    "psycopg_async",
                    "psycopg2cffi",
                    "asyncpg",
                    "pg8000",
                ],
            ),
            "sqlite" => (Dialect::Sqlite, false, &["pysqlite", "aiosqlite"]),
            "mysql" | "mariadb" => (
                Dialect::Mysql,
                backend == "mariadb",
                &[
                    "pymysql",
                    "mysqldb",
                    "aiomysql",
                    "asyncmy",
                    "mariadbconnector",
                    "mysqlconnector",
                    "cymysql",
                ],
            ),
            _ => return Err(unsupported()),
        };
        if let Some(driver) = driver {
            if !drivers.contains(&driver) {
                return Err(unsupported());
            }
        }
        let UrlParts {
            drivername,
            username,
            password,
            host,
            port,
            database,
            mut query,
        } = parts;
        let mut connect_args = None;
        query.retain(|(k, v)| {
            if k == CONNECT_ARGS_KEY {
                connect_args = Some(v.clone());
                false
            } else {
                true
            }
        });
        let url = DbUrl {
            dialect,
            is_mariadb,
            drivername,
            username,
            password,
            host,
            port,
            database,
            query,
            connect_args,
        };
        if dialect == Dialect::Sqlite
            && (url.username.as_deref().is_some_and(|s| !s.is_empty())
                || url.password.as_deref().is_some_and(|s| !s.is_empty())
                || url.host.is_some()
                || url.port.is_some_and(|p| p != 0))
        {
            return Err(DbError::InvalidUrl {
                url: Some(url.masked()),
                reason: "Invalid SQLite URL: valid SQLite URL forms are sqlite:///:memory: \
                         (or, sqlite://), sqlite:///relative/path/to/file.db, \
                         sqlite:////absolute/path/to/file.db"
                    .to_string(),
            });
        }
        Ok(url)
    }

    /// The driver part of the drivername (`psycopg2` in `postgresql+psycopg2`).
    pub fn driver(&self) -> Option<&str> {
        self.drivername.split_once('+').map(|(_, d)| d)
    }

    /// The SQL flavour this URL asks for (MariaDB only if the URL says so).
    pub fn backend(&self) -> Backend {
        Backend::new(self.dialect, self.is_mariadb)
    }

    /// The URL as SQLAlchemy prints it with `hide_password=True`: the password
    /// becomes `***`, query keys are sorted and `quote_plus`-encoded.
    pub fn masked(&self) -> String {
        self.parts().render(true)
    }

    /// The URL as retort's own messages show it: [`DbUrl::masked`] with the
    /// values of the query's password keys (`sslpassword`,
    /// `ssl_key_password`, …) hidden too, which SQLAlchemy would print.
    pub fn shown(&self) -> String {
        self.parts().render_hiding(true, &SECRET_QUERY_KEYS)
    }

    /// `render_as_string(hide_password=False)`: for handing to real Alembic.
    pub fn render_with_password(&self) -> String {
        self.parts().render(false)
    }

    /// All values given for a query key.
    pub fn query_values<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.query
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn parts(&self) -> UrlParts {
        UrlParts {
            drivername: self.drivername.clone(),
            username: self.username.clone(),
            password: self.password.clone(),
            host: self.host.clone(),
            port: self.port,
            database: self.database.clone(),
            query: self.query.clone(),
        }
    }

    /// Connect options equivalent to what the Python driver would do with this
    /// URL.  Query parameters retort cannot honour are rejected here (not at
    /// parse time: offline `--sql` runs never connect, and neither does
    /// SQLAlchemy's driver see the query then).
    pub fn to_sqlx(&self) -> Result<ConnectOptions, DbError> {
        let mut params = Params::new(self)?;
        let opts = match self.dialect {
            Dialect::Postgresql => self.postgres_options(&mut params)?,
            Dialect::Mysql => self.mysql_options(&mut params)?,
            Dialect::Sqlite => self.sqlite_options(&mut params)?,
        };
        Ok(opts)
    }

    fn unsupported(&self, key: &str, reason: impl Into<String>) -> DbError {
        DbError::UnsupportedOption {
            url: self.shown(),
            key: key.to_string(),
            reason: reason.into(),
        }
    }

    /// SQLAlchemy's `translate_connect_args` drops false-y values.
    fn tcp_port(&self) -> Result<Option<u16>, DbError> {
        match self.port {
            None | Some(0) => Ok(None),
            Some(p) => u16::try_from(p)
                .map(Some)
                .map_err(|_| self.unsupported("port", format!("port {p} is out of range"))),
        }
    }

    fn postgres_options(&self, params: &mut Params) -> Result<ConnectOptions, DbError> {
        // libpq reads PGHOST, PGUSER, PGPASSWORD, PGSSLMODE, ~/.pgpass … as
        // psycopg2 does; sqlx's `new()` does the same.
        let mut o = PgConnectOptions::new_without_pgpass();
        let driver = self.driver().unwrap_or("psycopg2");
        let mut host = nonempty(&self.host).map(str::to_string);
        let mut port = self.tcp_port()?;
        let mut user = nonempty(&self.username).map(str::to_string);
        let mut password = nonempty(&self.password).map(str::to_string);
        let mut database = nonempty(&self.database).map(str::to_string);
        let mut timeout = None;
        let mut app_name = None;
        let mut fallback_app_name = None;
        let mut passfile = None;
        let mut tls = PgTlsInput::default();
        let mut target_session = None;
        let mut timeout_given = false;
        let mut hostaddr = None;
        for (key, value) in params.take_all()? {
            let k = key.as_str();
            match (k, driver) {
                ("host", _) => {
                    if value.contains(',') {
                        return Err(self.unsupported(k, "several hosts are not supported"));
                    }
                    host = Some(value);
                }
                // libpq connects to hostaddr and checks the certificate
                // against host (hostaddr stands for host when none is given).
                ("hostaddr", "psycopg2" | "psycopg" | "psycopg_async" | "psycopg2cffi") => {
                    let ip: std::net::IpAddr = value.trim().parse().map_err(|_| {
                        self.unsupported(k, format!("invalid IP address {value:?}"))
                    })?;
                    o = o.hostaddr(ip);
                    hostaddr = Some(value);
                }
                ("port", _) => {
                    port = Some(
                        value
                            .trim()
                            .parse()
                            .map_err(|_| self.unsupported(k, format!("invalid port {value:?}")))?,
                    )
                }
                ("dbname" | "database", _) => database = Some(value),
                ("user", _) => user = Some(value),
                ("password", _) => password = Some(value),
                ("application_name", _) => app_name = Some(value),
                ("fallback_application_name", _) => fallback_app_name = Some(value),
                ("options", _) => {
                    let pairs = libpq_options(&value).ok_or_else(|| {
                        self.unsupported(
                            k,
                            format!("options={value:?}: only -c name=value settings are supported"),
                        )
                    })?;
                    o = o.options(pairs);
                }
                ("passfile", "psycopg2" | "psycopg" | "psycopg_async" | "psycopg2cffi")
                | ("passfile", "asyncpg") => passfile = Some(PathBuf::from(value)),
                ("sslmode", _) => tls.sslmode = Some(value),
                ("ssl", "asyncpg") => match value.as_str() {
                    // asyncpg's ssl=True: its default context (verify-full,
                    // the system's roots); connect_args hands the bool over.
                    "True" => tls.asyncpg_default_context = true,
                    "False" => tls.sslmode = Some("disable".to_string()),
                    _ => tls.sslmode = Some(value),
                },
                ("sslrootcert", _) => tls.sslrootcert = Some(value),
                ("sslcert", _) => tls.sslcert = Some(value),
                ("sslkey", _) => tls.sslkey = Some(value),
                ("sslpassword", _) => tls.sslpassword = Some(value),
                // libpq's defaults, which are all rustls does.
                ("sslsni", _) if value == "1" => {}
                // libpq 17 ignores it (OpenSSL no longer compresses).
                ("sslcompression", _) => {}
                ("direct_tls", "asyncpg") if value == "False" => {}
                ("sslcertmode", _) if value == "allow" => {}
                ("sslnegotiation", _) if value == "postgres" => {}
                ("ssl_min_protocol_version", _)
                    if matches!(value.as_str(), "TLSv1" | "TLSv1.1" | "TLSv1.2") => {}
                ("ssl_max_protocol_version", _) if value == "TLSv1.3" => {}
                ("target_session_attrs", _) => target_session = Some(value),
                ("server_settings", "asyncpg") => {
                    // connect_args={"server_settings": {...}}, as JSON.
                    let pairs: Vec<(String, String)> = serde_json::from_str::<
                        serde_json::Map<String, serde_json::Value>,
                    >(&value)
                    .map_err(|_| self.unsupported(k, "server_settings must be a dict of strings"))?
                    .into_iter()
                    .map(|(name, v)| {
                        (
                            name,
                            v.as_str().map_or_else(|| v.to_string(), str::to_string),
                        )
                    })
                    .collect();
                    o = o.options(pairs);
                }
                ("connect_timeout", _) | ("timeout", "asyncpg" | "pg8000") => {
                    timeout_given = true;
                    timeout = parse_timeout(&value)
                        .ok_or_else(|| self.unsupported(k, format!("invalid timeout {value:?}")))?;
                }
                ("client_encoding", _) => {
                    let v = value.to_ascii_lowercase().replace(['-', '_'], "");
                    if !matches!(v.as_str(), "utf8" | "unicode") {
                        return Err(self.unsupported(
                            k,
                            format!(
                                "client_encoding={value}: retort talks to PostgreSQL in UTF8 only"
                            ),
                        ));
                    }
                }
                ("gssencmode", _) if matches!(value.as_str(), "disable" | "prefer") => {}
                ("channel_binding", _) if matches!(value.as_str(), "disable" | "prefer") => {}
                // TCP tuning and driver-side caches: no effect on what runs.
                (
                    "keepalives"
                    | "keepalives_idle"
                    | "keepalives_interval"
                    | "keepalives_count"
                    | "tcp_user_timeout",
                    _,
                ) => {}
                (
                    "command_timeout"
                    | "prepared_statement_cache_size"
                    | "statement_cache_size"
                    | "max_cached_statement_lifetime"
                    | "max_cacheable_statement_size",
                    "asyncpg",
                ) => {}
                ("unix_sock", "pg8000") => {
                    // pg8000 takes the socket file itself; libpq (and sqlx) a directory.
                    let path = Path::new(&value);
                    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    match (name.strip_prefix(".s.PGSQL."), path.parent()) {
                        (Some(p), Some(dir)) => {
                            port = Some(p.parse().map_err(|_| {
                                self.unsupported(k, format!("unexpected socket name {value:?}"))
                            })?);
                            host = Some(dir.to_string_lossy().into_owned());
                        }
                        _ => {
                            return Err(self.unsupported(
                                k,
                                format!("socket path {value:?} does not end in .s.PGSQL.<port>"),
                            ))
                        }
                    }
                }
                (
                    "sslcrl"
                    | "sslcrldir"
                    | "requiressl"
                    | "sslsni"
                    | "sslcertmode"
                    | "sslnegotiation"
                    | "ssl_min_protocol_version"
                    | "ssl_max_protocol_version"
                    | "requirepeer",
                    _,
                )
                | ("direct_tls" | "ssl_context", "asyncpg") => {
                    return Err(self.unsupported(
                        k,
                        format!("{k}={value}: retort's TLS (rustls through sqlx) cannot do this"),
                    ))
                }
                _ => {
                    return Err(self.unsupported(
                        k,
                        format!("connection option {k:?} is not supported by retort"),
                    ))
                }
            }
        }
        if let Some(h) = host.as_ref().or(hostaddr.as_ref()) {
            o = if h.starts_with('/') {
                o.socket(h)
            } else {
                o.host(h)
            };
        }
        if let Some(p) = port {
            o = o.port(p);
        }
        if let Some(u) = &user {
            o = o.username(u);
        }
        if let Some(p) = &password {
            o = o.password(p);
        }
        if let Some(d) = &database {
            o = o.database(d);
        }
        if let Some(a) = app_name.or(fallback_app_name) {
            o = o.application_name(&a);
        }
        // libpq: the password parameter, else PGPASSWORD, else the passfile.
        if password.is_none() && std::env::var_os("PGPASSWORD").is_none() {
            let lookup = PgPass {
                file: passfile,
                host: o.get_socket().map_or_else(
                    || o.get_host().to_string(),
                    |s| s.to_string_lossy().into_owned(),
                ),
                port: o.get_port(),
                user: o.get_username().to_string(),
                database: o.get_database().map(str::to_string),
            };
            if let Some(p) = lookup.lookup() {
                o = o.password(&p);
            }
        }
        if !timeout_given {
            if let Ok(v) = std::env::var("PGCONNECT_TIMEOUT") {
                timeout = parse_timeout(&v).ok_or_else(|| {
                    self.unsupported("PGCONNECT_TIMEOUT", format!("invalid timeout {v:?}"))
                })?;
            }
        }
        let target_session = target_session.or_else(|| std::env::var("PGTARGETSESSIONATTRS").ok());
        let checks = match target_session.as_deref() {
            None | Some("any" | "prefer-standby") => Vec::new(),
            Some(v) => vec![SessionCheck::target_session_attrs(v).ok_or_else(|| {
                self.unsupported(
                    "target_session_attrs",
                    format!("invalid target_session_attrs value: \"{v}\""),
                )
            })?],
        };
        let tls = PgTls::resolve(
            &tls.with_env(),
            std::env::var_os("HOME").map(PathBuf::from).as_deref(),
        )
        .map_err(|(key, reason)| self.unsupported(key, reason))?;
        // libpq never asks for TLS over a Unix socket.
        let (first, fallback) = if o.get_socket().is_some() && !tls.required() {
            (o.ssl_mode(PgSslMode::Disable), None)
        } else {
            tls.apply(o)
        };
        Ok(ConnectOptions {
            kind: ConnectKind::Postgres(Box::new(first)),
            fallback: fallback.map(|(o, when)| (ConnectKind::Postgres(Box::new(o)), when)),
            tls: Some(tls.describe()),
            read_timeout: None,
            timeout,
            init: Vec::new(),
            checks,
            sqlite_begin: None,
        })
    }

    fn mysql_options(&self, params: &mut Params) -> Result<ConnectOptions, DbError> {
        // The Python drivers leave sql_mode and time_zone alone; sqlx would
        // add PIPES_AS_CONCAT and NO_ENGINE_SUBSTITUTION and pin UTC.
        let mut o = MySqlConnectOptions::new()
            .pipes_as_concat(false)
            .no_engine_substitution(false)
            .timezone(None);
        if let Some(h) = nonempty(&self.host) {
            o = o.host(h);
        }
        if let Some(p) = self.tcp_port()? {
            o = o.port(p);
        }
        // pymysql / mysqlclient default to the OS user, as getpass.getuser().
        let user = nonempty(&self.username)
            .map(str::to_string)
            .or_else(os_user)
            .unwrap_or_else(|| "root".to_string());
        o = o.username(&user);
        if let Some(p) = nonempty(&self.password) {
            o = o.password(p);
        }
        if let Some(d) = nonempty(&self.database) {
            o = o.database(d);
        }
        let mut timeout = None;
        // sqlx announces the IGNORE_SPACE capability, which adds IGNORE_SPACE
        // to the session's sql_mode (built-in function names become reserved
        // words); the Python drivers don't, so the session starts from the
        // global sql_mode like theirs.
        let mut init = vec!["SET SESSION sql_mode = @@GLOBAL.sql_mode".to_string()];
        let (rest, tls_kw) = mysql_tls_kwargs(params)?;
        let mut read_timeout = None;
        let mut ssl_mode = None;
        for (key, value) in rest {
            let k = key.as_str();
            match k {
                "charset" => {
                    let v = value.to_ascii_lowercase();
                    if !matches!(v.as_str(), "utf8mb4" | "utf8" | "utf8mb3") {
                        return Err(self.unsupported(
                            k,
                            format!("charset={value}: retort reads and writes text as UTF-8 only (use utf8mb4)"),
                        ));
                    }
                    o = o.charset(&v);
                }
                "collation" => o = o.collation(&value),
                "unix_socket" => o = o.socket(&value),
                // connect_args may name the URL's parts again (PyMySQL's and
                // mysqlclient's keyword names).
                "host" => o = o.host(&value),
                "port" => {
                    o = o.port(
                        value
                            .trim()
                            .parse()
                            .map_err(|_| self.unsupported(k, format!("invalid port {value:?}")))?,
                    )
                }
                "user" => o = o.username(&value),
                "password" | "passwd" => o = o.password(&value),
                "database" | "db" => o = o.database(&value),
                "connect_timeout" => {
                    timeout = parse_timeout(&value).ok_or_else(|| {
                        self.unsupported(k, format!("invalid timeout {value:?}"))
                    })?;
                }
                "init_command" => init.push(value),
                "sql_mode" => init.push(format!("SET sql_mode = '{}'", mysql_string(&value))),
                // mysqlclient's (and MySQL Connector's) explicit mode.
                "ssl_mode" | "sslmode" => ssl_mode = Some((k.to_string(), value)),
                k if k.starts_with("ssl") => {
                    return Err(self.unsupported(
                        k,
                        format!("{k}: not a TLS option retort knows (PyMySQL takes ssl_ca, ssl_cert, ssl_key, ssl_verify_cert, ssl_verify_identity, ssl_disabled, ssl_key_password and the ssl dict)"),
                    ))
                }
                "read_timeout" => {
                    read_timeout = parse_timeout(&value).ok_or_else(|| {
                        self.unsupported(k, format!("invalid timeout {value:?}"))
                    })?;
                }
                // Driver-side behaviour with no effect on the SQL that runs
                // (write_timeout: a statement goes out in one write).
                "use_unicode" | "binary_prefix" | "write_timeout" | "compress"
                | "local_infile" | "program_name" => {}
                _ => {
                    return Err(self.unsupported(
                        k,
                        format!("connection option {k:?} is not supported by retort"),
                    ))
                }
            }
        }
        let tls = match ssl_mode {
            Some((k, mode)) => MyTls::from_ssl_mode(&mode, &tls_kw).unwrap_or_else(|| {
                Err((
                    "ssl_mode",
                    format!("invalid {k} value {mode:?} (DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY)"),
                ))
            }),
            None => MyTls::resolve(&tls_kw),
        }
        .map_err(|(key, reason)| self.unsupported(key, reason))?;
        Ok(ConnectOptions {
            kind: ConnectKind::Mysql(Box::new(tls.apply(o))),
            fallback: None,
            tls: Some(tls.describe()),
            read_timeout,
            timeout,
            init,
            checks: Vec::new(),
            sqlite_begin: None,
        })
    }

    fn sqlite_options(&self, params: &mut Params) -> Result<ConnectOptions, DbError> {
        // pysqlite's own arguments; everything else goes into the SQLite URI
        // when uri=true and is ignored otherwise (as SQLAlchemy does).
        let uri = match params.take_one("uri")? {
            None => false,
            Some(v) => py_bool(&v).ok_or_else(|| {
                self.unsupported("uri", format!("String is not true/false: {v:?}"))
            })?,
        };
        let mut o = SqliteConnectOptions::new()
            .create_if_missing(true)
            // pysqlite leaves foreign key enforcement off; sqlx turns it on.
            .foreign_keys(false);
        if let Some(t) = params.take_one("timeout")? {
            let secs: f64 = t
                .trim()
                .parse()
                .ok()
                .filter(|s: &f64| s.is_finite() && *s >= 0.0)
                .ok_or_else(|| self.unsupported("timeout", format!("invalid timeout {t:?}")))?;
            // sqlx takes at most i32::MAX milliseconds (and panics past it):
            // a longer wait is as good as forever.
            let most = Duration::from_millis(i32::MAX as u64);
            o = o.busy_timeout(seconds(secs).min(most));
        }
        let sqlite_begin = match params.take_one("isolation_level")? {
            None => None,
            Some(v) => match v.to_ascii_uppercase().as_str() {
                "DEFERRED" => Some("BEGIN DEFERRED"),
                "IMMEDIATE" => Some("BEGIN IMMEDIATE"),
                "EXCLUSIVE" => Some("BEGIN EXCLUSIVE"),
                _ => {
                    return Err(self.unsupported(
                        "isolation_level",
                        format!(
                            "isolation_level={v}: use DEFERRED, IMMEDIATE or EXCLUSIVE \
                             (retort manages transactions itself)"
                        ),
                    ))
                }
            },
        };
        for k in ["detect_types", "check_same_thread", "cached_statements"] {
            params.take_one(k)?;
        }
        let filename = if uri {
            let mut name = self.database.clone().unwrap_or_default();
            let mut rest: Vec<(String, String)> = params.take_all()?;
            if !rest.is_empty() {
                // SQLAlchemy sorts them by key.
                rest.sort();
                let q: Vec<String> = rest.iter().map(|(k, v)| format!("{k}={v}")).collect();
                name = format!("{name}?{}", q.join("&"));
            }
            name
        } else {
            // Ignored by SQLAlchemy without uri=true.
            params.rest.clear();
            match nonempty(&self.database) {
                None | Some(":memory:") => ":memory:".to_string(),
                Some(path) => abspath(path)
                    .map_err(|e| {
                        self.unsupported("database", format!("can't resolve {path:?}: {e}"))
                    })?
                    .to_string_lossy()
                    .into_owned(),
            }
        };
        o = o.filename(filename);
        Ok(ConnectOptions {
            kind: ConnectKind::Sqlite(Box::new(o)),
            fallback: None,
            tls: None,
            read_timeout: None,
            timeout: None,
            init: Vec::new(),
            checks: Vec::new(),
            sqlite_begin,
        })
    }
}

/// libpq's `options` is a command-line string (`-c key=value -c …`, or
/// `--key=value`); sqlx only takes key/value pairs, so parse it into those.
fn libpq_options(raw: &str) -> Option<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    let mut words = split_libpq_options(raw).into_iter();
    while let Some(w) = words.next() {
        let kv = if w == "-c" {
            words.next()?
        } else if let Some(kv) = w.strip_prefix("-c") {
            kv.to_string()
        } else {
            w.strip_prefix("--")?.to_string()
        };
        let (k, v) = kv.split_once('=')?;
        pairs.push((k.to_string(), v.to_string()));
    }
    Some(pairs)
}

/// Split a libpq `options` string on unescaped whitespace, removing the
/// backslash escapes.
fn split_libpq_options(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A minimal `~/.pgpass` lookup (libpq's rules: `host:port:db:user:password`,
/// `*` wildcards, `\` escapes, file must not be group/world readable).
struct PgPass {
    file: Option<PathBuf>,
    host: String,
    port: u16,
    user: String,
    database: Option<String>,
}

impl PgPass {
    fn lookup(&self) -> Option<String> {
        let path = match (&self.file, std::env::var_os("PGPASSFILE")) {
            (Some(p), _) => p.clone(),
            (None, Some(p)) => PathBuf::from(p),
            (None, None) => PathBuf::from(std::env::var_os("HOME")?).join(".pgpass"),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(&path).ok()?;
            if meta.permissions().mode() & 0o077 != 0 {
                return None;
            }
        }
        let text = std::fs::read_to_string(&path).ok()?;
        let host = if self.host.starts_with('/') || self.host.is_empty() {
            "localhost".to_string()
        } else {
            self.host.clone()
        };
        let port = self.port.to_string();
        let db = self.database.clone().unwrap_or_else(|| self.user.clone());
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let fields = split_pgpass(line);
            if fields.len() < 5 {
                continue;
            }
            let want = [
                host.as_str(),
                port.as_str(),
                db.as_str(),
                self.user.as_str(),
            ];
            if fields[..4]
                .iter()
                .zip(want)
                .all(|(f, w)| f == "*" || f == w)
            {
                return Some(fields[4].clone());
            }
        }
        None
    }
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    if let Some(last) = out.last_mut() {
                        last.push(n);
                    }
                }
            }
            ':' if out.len() < 5 => out.push(String::new()),
            c => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

/// The connect options for one URL: an opaque wrapper around the sqlx
/// options plus what retort does around connecting.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub(crate) kind: ConnectKind,
    /// What the driver tries when `kind` fails in the given way (libpq's
    /// `allow` and `prefer`).
    pub(crate) fallback: Option<(ConnectKind, Retry)>,
    /// How a TLS connection checks the server, for messages.
    pub(crate) tls: Option<String>,
    /// MySQL's `read_timeout`: the longest wait for a statement's answer.
    pub(crate) read_timeout: Option<Duration>,
    /// Checks on the new session (`target_session_attrs`).
    pub(crate) checks: Vec<SessionCheck>,
    /// `connect_timeout` from the URL.
    pub(crate) timeout: Option<Duration>,
    /// Statements run right after connecting (MySQL `init_command`, `sql_mode`).
    pub(crate) init: Vec<String>,
    /// SQLite `isolation_level`: the BEGIN statement to use.
    pub(crate) sqlite_begin: Option<&'static str>,
}

/// A query run on a new connection, and the answer it must give.
#[derive(Debug, Clone)]
pub(crate) struct SessionCheck {
    pub(crate) sql: &'static str,
    pub(crate) want: &'static str,
    /// libpq's message when the answer differs.
    pub(crate) refusal: &'static str,
}

impl SessionCheck {
    /// libpq's `target_session_attrs` against one host (`any` and
    /// `prefer-standby` accept any server).
    fn target_session_attrs(v: &str) -> Option<SessionCheck> {
        let read_only = "SHOW transaction_read_only";
        let recovery = "SELECT pg_catalog.pg_is_in_recovery()";
        let (sql, want, refusal) = match v {
            "read-write" => (read_only, "off", "session is read-only"),
            "read-only" => (read_only, "on", "session is not read-only"),
            "primary" => (recovery, "f", "server is in hot standby mode"),
            "standby" => (recovery, "t", "server is not in hot standby mode"),
            _ => return None,
        };
        Some(SessionCheck { sql, want, refusal })
    }
}

#[derive(Debug, Clone)]
pub(crate) enum ConnectKind {
    Postgres(Box<PgConnectOptions>),
    Mysql(Box<MySqlConnectOptions>),
    Sqlite(Box<SqliteConnectOptions>),
}

impl ConnectOptions {
    /// A short description of where this connects (for tests and logs).
    pub fn describe(&self) -> String {
        match &self.kind {
            ConnectKind::Postgres(o) => match o.get_socket() {
                Some(s) => format!("postgresql socket {}:{}", s.display(), o.get_port()),
                None => format!(
                    "postgresql {}:{} user={} db={}",
                    o.get_host(),
                    o.get_port(),
                    o.get_username(),
                    o.get_database().unwrap_or("")
                ),
            },
            ConnectKind::Mysql(o) => match o.get_socket() {
                Some(s) => format!("mysql socket {}", s.display()),
                None => format!(
                    "mysql {}:{} user={} db={} charset={}",
                    o.get_host(),
                    o.get_port(),
                    o.get_username(),
                    o.get_database().unwrap_or(""),
                    o.get_charset()
                ),
            },
            ConnectKind::Sqlite(o) => format!("sqlite {}", o.get_filename().display()),
        }
    }
}

/// The URL's query, consumed key by key so that leftovers can be rejected,
/// and `connect_args` (keyword arguments, applied after the URL's).
struct Params<'a> {
    url: &'a DbUrl,
    rest: Vec<(String, String)>,
    /// `connect_args` not yet merged into `rest` (MySQL's TLS arguments keep
    /// their Python types: PyMySQL tests them for truth).
    args: Vec<(String, Value)>,
}

/// What `python/retort/dialects.py` writes for a value JSON cannot carry.
const UNSUPPORTED_MARK: &str = "__retort_unsupported__";

impl<'a> Params<'a> {
    fn new(url: &'a DbUrl) -> Result<Params<'a>, DbError> {
        let mut args = Vec::new();
        if let Some(json) = &url.connect_args {
            let parsed: serde_json::Map<String, Value> = serde_json::from_str(json)
                .map_err(|e| url.unsupported("connect_args", format!("unreadable: {e}")))?;
            for (k, v) in parsed {
                if let Some(type_name) = unsupported_value(&v) {
                    return Err(url.unsupported(
                        "connect_args",
                        format!(
                            "connect_args[{k:?}] is a Python {type_name}, which retort cannot \
                             hand to its driver: give file names and plain values (for TLS: \
                             sslmode/sslrootcert/… on PostgreSQL, ssl_ca/ssl_cert/… or an ssl \
                             dict of file names on MySQL)"
                        ),
                    ));
                }
                args.push((k, v));
            }
        }
        Ok(Params {
            url,
            rest: url.query.clone(),
            args,
        })
    }

    /// `connect_args` merged into the query as the driver would see them,
    /// each replacing the URL's value of its key (SQLAlchemy's
    /// `cparams.update(connect_args)`); `None` values are dropped, as
    /// psycopg2's `make_dsn` drops them.
    fn merge_args(&mut self) -> Result<(), DbError> {
        for (k, v) in std::mem::take(&mut self.args) {
            self.rest.retain(|(key, _)| *key != k);
            match py_str(&v) {
                Some(text) => self.rest.push((k, text)),
                None if v.is_null() => {}
                None => {
                    return Err(self.url.unsupported(
                        &k,
                        format!("connect_args[{k:?}] = {v}: a plain value is needed"),
                    ))
                }
            }
        }
        Ok(())
    }

    /// The single value of `key` (an error if it is given twice).
    fn take_one(&mut self, key: &str) -> Result<Option<String>, DbError> {
        self.merge_args()?;
        let mut found: Vec<String> = Vec::new();
        self.rest.retain(|(k, v)| {
            if k == key {
                found.push(v.clone());
                false
            } else {
                true
            }
        });
        match found.len() {
            0 => Ok(None),
            1 => Ok(found.pop()),
            _ => Err(self.url.unsupported(
                key,
                format!("query parameter {key:?} is given more than once"),
            )),
        }
    }

    /// Everything left; a repeated key is an error (SQLAlchemy would hand
    /// the driver a tuple: several hosts for psycopg2, a type error for the
    /// others).
    fn take_all(&mut self) -> Result<Vec<(String, String)>, DbError> {
        self.merge_args()?;
        let rest = std::mem::take(&mut self.rest);
        for (i, (k, _)) in rest.iter().enumerate() {
            if rest[..i].iter().any(|(seen, _)| seen == k) {
                return Err(self
                    .url
                    .unsupported(k, format!("query parameter {k:?} is given more than once")));
            }
        }
        Ok(rest)
    }
}

/// The type name `dialects.py` recorded for a value JSON cannot carry,
/// anywhere inside `v`.
fn unsupported_value(v: &Value) -> Option<String> {
    match v {
        Value::Object(o) => match o.get(UNSUPPORTED_MARK) {
            Some(t) => Some(t.as_str().unwrap_or("object").to_string()),
            None => o.values().find_map(unsupported_value),
        },
        Value::Array(a) => a.iter().find_map(unsupported_value),
        _ => None,
    }
}

/// Python's `str()` of a scalar keyword argument (`None` for None and for
/// containers; a dict is kept as JSON text for the keys that take one).
fn py_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(true) => Some("True".to_string()),
        Value::Bool(false) => Some("False".to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(_) => Some(v.to_string()),
        Value::Null | Value::Array(_) => None,
    }
}

/// PyMySQL's TLS keyword arguments out of the URL query and `connect_args`,
/// and the rest of the query (`connect_args` merged) for the caller.
///
/// SQLAlchemy's MySQL dialects fold the URL's `ssl_ca`, `ssl_key`,
/// `ssl_cert`, `ssl_capath`, `ssl_cipher` and `ssl_check_hostname` into an
/// `ssl` dict and pass the other `ssl_*` keys on as strings; `connect_args`
/// then replace whole keyword arguments (an `ssl` dict replaces the URL's).
fn mysql_tls_kwargs(params: &mut Params) -> Result<(Vec<(String, String)>, MyKwargs), DbError> {
    const DICT_KEYS: [&str; 6] = [
        "ssl_ca",
        "ssl_key",
        "ssl_cert",
        "ssl_capath",
        "ssl_cipher",
        "ssl_check_hostname",
    ];
    const KWARGS: [&str; 8] = [
        "ssl",
        "ssl_ca",
        "ssl_cert",
        "ssl_key",
        "ssl_disabled",
        "ssl_verify_cert",
        "ssl_verify_identity",
        "ssl_key_password",
    ];
    let url = params.url;
    let mut dict = serde_json::Map::new();
    let mut kw: MyKwargs = Vec::new();
    let mut rest = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (k, v) in std::mem::take(&mut params.rest) {
        if seen.contains(&k) {
            return Err(
                url.unsupported(&k, format!("query parameter {k:?} is given more than once"))
            );
        }
        seen.push(k.clone());
        if k == "ssl_check_hostname" {
            let b = py_bool(&v)
                .ok_or_else(|| url.unsupported(&k, format!("String is not true/false: {v:?}")))?;
            dict.insert("check_hostname".to_string(), Value::Bool(b));
        } else if DICT_KEYS.contains(&k.as_str()) {
            dict.insert(k[4..].to_string(), Value::String(v));
        } else if KWARGS.contains(&k.as_str()) {
            kw.push((k, Value::String(v)));
        } else {
            rest.push((k, v));
        }
    }
    if !dict.is_empty() {
        kw.push(("ssl".to_string(), Value::Object(dict)));
    }
    for (k, v) in std::mem::take(&mut params.args) {
        if KWARGS.contains(&k.as_str()) {
            kw.push((k, v));
            continue;
        }
        rest.retain(|(key, _)| *key != k);
        match py_str(&v) {
            Some(text) => rest.push((k, text)),
            None if v.is_null() => {}
            None => {
                return Err(url.unsupported(
                    &k,
                    format!("connect_args[{k:?}] = {v}: a plain value is needed"),
                ))
            }
        }
    }
    Ok((rest, kw))
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

fn parse_timeout(v: &str) -> Option<Option<Duration>> {
    let secs: f64 = v.trim().parse().ok()?;
    if !secs.is_finite() {
        return None;
    }
    // libpq: zero or negative means wait indefinitely.
    Some((secs > 0.0).then(|| seconds(secs)))
}

/// `secs` (finite, not negative) as a Duration; one too large for it is
/// as good as forever (`Duration::from_secs_f64` would panic).
pub fn seconds(secs: f64) -> Duration {
    Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX)
}

/// `sqlalchemy.util.asbool` on a string.
pub(crate) fn py_bool(v: &str) -> Option<bool> {
    match v.trim().to_lowercase().as_str() {
        "true" | "yes" | "on" | "y" | "t" | "1" => Some(true),
        "false" | "no" | "off" | "n" | "f" | "0" => Some(false),
        _ => None,
    }
}

/// A MySQL string literal body (default sql_mode: backslash escapes apply).
fn mysql_string(v: &str) -> String {
    v.replace('\\', "\\\\").replace('\'', "''")
}

/// `getpass.getuser()`: the first of LOGNAME, USER, LNAME, USERNAME.
fn os_user() -> Option<String> {
    ["LOGNAME", "USER", "LNAME", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
}

/// `os.path.abspath`: join to the current directory and normalise `.`/`..`
/// lexically (no symlink resolution).
fn abspath(p: &str) -> std::io::Result<PathBuf> {
    let path = Path::new(p);
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    Ok(out)
}

/// Python's `\w` for a `str` pattern: alphanumerics and underscore.
fn is_py_word(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// `urllib.parse.unquote` (UTF-8, errors="replace"): `%XX` is decoded
/// within runs of ASCII characters, each run decoded as UTF-8 on its own.
pub(crate) fn py_unquote(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while !rest.is_empty() {
        let ascii_len = rest.find(|c: char| !c.is_ascii()).unwrap_or(rest.len());
        if ascii_len == 0 {
            let non_len = rest.find(|c: char| c.is_ascii()).unwrap_or(rest.len());
            out += &rest[..non_len];
            rest = &rest[non_len..];
            continue;
        }
        let run = &rest.as_bytes()[..ascii_len];
        let mut bytes = Vec::with_capacity(run.len());
        let mut i = 0;
        while i < run.len() {
            if run[i] == b'%' && i + 2 < run.len() {
                let hex = |b: u8| (b as char).to_digit(16);
                if let (Some(h), Some(l)) = (hex(run[i + 1]), hex(run[i + 2])) {
                    bytes.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
            }
            bytes.push(run[i]);
            i += 1;
        }
        out += &String::from_utf8_lossy(&bytes);
        rest = &rest[ascii_len..];
    }
    out
}

/// `urllib.parse.quote(s, safe=safe)`.
pub(crate) fn py_quote(s: &str, safe: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"_.-~".contains(&b) || safe.contains(&b) {
            out.push(b as char);
        } else {
            out += &format!("%{b:02X}");
        }
    }
    out
}

/// `urllib.parse.quote_plus(s)`.
pub(crate) fn py_quote_plus(s: &str) -> String {
    py_quote(s, b" ").replace(' ', "+")
}

/// `urllib.parse.parse_qsl(qs)` with its defaults: `&`-separated, blank
/// values and fields without `=` dropped, `+` is a space, then `unquote`.
pub(crate) fn parse_qsl(qs: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for field in qs.split('&') {
        let Some((name, value)) = field.split_once('=') else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        out.push((
            py_unquote(&name.replace('+', " ")),
            py_unquote(&value.replace('+', " ")),
        ));
    }
    out
}

#[cfg(test)]
#[path = "url_tests.rs"]
mod tests;
