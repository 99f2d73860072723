//! TLS as the Python drivers decide it, turned into sqlx's settings.
//!
//! PostgreSQL follows libpq 17 (what psycopg2 links): `sslmode` and its
//! default `prefer`, `sslrootcert` (a file, `system`, or
//! `~/.postgresql/root.crt` when it exists — which makes `require` verify the
//! chain, as libpq does), `sslcert`/`sslkey` (default
//! `~/.postgresql/postgresql.{crt,key}` when present), the `PGSSL*`
//! environment variables, and asyncpg's `ssl=` forms.  MySQL/MariaDB follows
//! PyMySQL: the `ssl_*` keyword arguments, the `ssl` dict, and SQLAlchemy's
//! folding of the URL's `ssl_ca`/`ssl_cert`/`ssl_key`/`ssl_check_hostname`
//! into that dict.  What sqlx cannot do is refused by name.
//!
//! The TLS stack is rustls with the platform's roots (`rustls-native-certs`:
//! `SSL_CERT_FILE`/`SSL_CERT_DIR`, else the distribution's bundle — the
//! store OpenSSL, and so libpq's `sslrootcert=system`, uses).  One
//! difference remains, from sqlx: when a CA file is given, the platform's
//! roots are trusted beside it (libpq and Python's `ssl` trust the file
//! alone).

use std::path::{Path, PathBuf};

use serde_json::Value;
use sqlx::mysql::{MySqlConnectOptions, MySqlSslMode};
use sqlx::postgres::{PgConnectOptions, PgSslMode};

// ------------------------------------------------------------ PostgreSQL

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    /// libpq compares the value exactly (no case folding).
    pub(crate) fn parse(v: &str) -> Option<SslMode> {
        Some(match v {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// Where the certificates that vouch for the server come from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Roots {
    /// No verification (libpq without a root certificate file).
    Unverified,
    File(PathBuf),
    /// The platform's store (`sslrootcert=system`, asyncpg's `ssl=True`).
    System,
}

/// The TLS settings libpq reads, each from the connection parameter, else
/// its environment variable (filled in by [`PgTlsInput::with_env`]).
#[derive(Debug, Default, Clone)]
pub(crate) struct PgTlsInput {
    pub sslmode: Option<String>,
    pub sslrootcert: Option<String>,
    pub sslcert: Option<String>,
    pub sslkey: Option<String>,
    pub sslpassword: Option<String>,
    /// asyncpg's `ssl=True`: `verify-full` against the platform's roots.
    pub asyncpg_default_context: bool,
}

impl PgTlsInput {
    /// libpq's environment fallbacks for what the parameters left unset.
    pub(crate) fn with_env(mut self) -> PgTlsInput {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        self.sslmode = self.sslmode.or_else(|| env("PGSSLMODE"));
        self.sslrootcert = self.sslrootcert.or_else(|| env("PGSSLROOTCERT"));
        self.sslcert = self.sslcert.or_else(|| env("PGSSLCERT"));
        self.sslkey = self.sslkey.or_else(|| env("PGSSLKEY"));
        self
    }
}

/// A refusal: the option to name, and why.
pub(crate) type Refusal = (&'static str, String);

/// What libpq would do: the mode, what vouches for the server, the client
/// certificate and key.
#[derive(Debug, Clone)]
pub(crate) struct PgTls {
    mode: SslMode,
    roots: Roots,
    client: Option<(PathBuf, PathBuf)>,
}

/// When a first attempt fails, whether libpq tries again the other way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// `allow`: the server refused the plain connection; try TLS.
    OnServerRefusal,
    /// `prefer`: TLS failed or the server refused it; try without.
    OnTlsOrServerRefusal,
}

impl PgTls {
    /// libpq's decisions (fe-connect.c, fe-secure-openssl.c
    /// `initialize_SSL`), with `home` for `~/.postgresql`.
    pub(crate) fn resolve(input: &PgTlsInput, home: Option<&Path>) -> Result<PgTls, Refusal> {
        let dot = |name: &str| home.map(|h| h.join(".postgresql").join(name));
        let mode = if input.asyncpg_default_context {
            SslMode::VerifyFull
        } else {
            match input.sslmode.as_deref() {
                None => SslMode::Prefer,
                Some(v) => SslMode::parse(v)
                    .ok_or_else(|| ("sslmode", format!("invalid sslmode value: \"{v}\"")))?,
            }
        };
        let unverified = PgTls {
            mode,
            roots: Roots::Unverified,
            client: None,
        };
        if mode == SslMode::Disable {
            return Ok(unverified);
        }
        let roots = if input.asyncpg_default_context {
            Roots::System
        } else {
            match input.sslrootcert.as_deref() {
                Some("system") => {
                    if mode != SslMode::VerifyFull {
                        return Err((
                            "sslrootcert",
                            format!(
                                "weak sslmode \"{}\" may not be used with sslrootcert=system \
                                 (use \"verify-full\")",
                                mode.name()
                            ),
                        ));
                    }
                    Roots::System
                }
                given => {
                    let path = given.map(PathBuf::from).or_else(|| dot("root.crt"));
                    match path {
                        Some(p) if p.is_file() => Roots::File(p),
                        missing => {
                            if matches!(mode, SslMode::VerifyCa | SslMode::VerifyFull) {
                                let shown = missing.map_or_else(
                                    || "~/.postgresql/root.crt".to_string(),
                                    |p| p.display().to_string(),
                                );
                                return Err((
                                    "sslrootcert",
                                    format!(
                                        "root certificate file \"{shown}\" does not exist: \
                                         give a CA file with sslrootcert=…, use the system's \
                                         trusted roots with sslrootcert=system, or change \
                                         sslmode (now {}) to one that does not verify the \
                                         server's certificate",
                                        mode.name()
                                    ),
                                ));
                            }
                            Roots::Unverified
                        }
                    }
                }
            }
        };
        // libpq skips a certificate file that does not exist, named or not.
        let cert = input
            .sslcert
            .as_deref()
            .map(PathBuf::from)
            .or_else(|| dot("postgresql.crt"))
            .filter(|p| p.is_file());
        let client = match cert {
            None => None,
            Some(cert) => {
                let key = input
                    .sslkey
                    .as_deref()
                    .map(PathBuf::from)
                    .or_else(|| dot("postgresql.key"))
                    .filter(|p| p.is_file())
                    .ok_or_else(|| {
                        (
                            "sslkey",
                            format!(
                                "certificate present, but not private key file \"{}\"",
                                input
                                    .sslkey
                                    .as_deref()
                                    .unwrap_or("~/.postgresql/postgresql.key")
                            ),
                        )
                    })?;
                check_key(&key, "sslkey", input.sslpassword.is_some())?;
                Some((cert, key))
            }
        };
        Ok(PgTls {
            roots,
            client,
            ..unverified
        })
    }

    /// `base` set up for the first attempt, and the fallback libpq would
    /// make after it (with the condition for making it).
    pub(crate) fn apply(
        &self,
        base: PgConnectOptions,
    ) -> (PgConnectOptions, Option<(PgConnectOptions, Retry)>) {
        let plain = base.clone().ssl_mode(PgSslMode::Disable);
        let tls = self.tls_options(base);
        match self.mode {
            SslMode::Disable => (plain, None),
            SslMode::Allow => (plain, Some((tls, Retry::OnServerRefusal))),
            SslMode::Prefer => (tls, Some((plain, Retry::OnTlsOrServerRefusal))),
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => (tls, None),
        }
    }

    /// The options of a connection that must use TLS, verified as libpq
    /// would verify it.
    fn tls_options(&self, base: PgConnectOptions) -> PgConnectOptions {
        let mut o = match (&self.roots, self.mode) {
            (Roots::Unverified, SslMode::Prefer) => base.ssl_mode(PgSslMode::Prefer),
            (Roots::Unverified, _) => base.ssl_mode(PgSslMode::Require),
            (_, SslMode::VerifyFull) => base.ssl_mode(PgSslMode::VerifyFull),
            // libpq checks the chain whenever it has a root file.
            (_, _) => base.ssl_mode(PgSslMode::VerifyCa),
        };
        o = match &self.roots {
            Roots::File(p) => o.ssl_root_cert(p),
            // Drops a PGSSLROOTCERT sqlx read itself: no extra roots.
            Roots::System | Roots::Unverified => o.ssl_root_cert_from_pem(Vec::new()),
        };
        if let Some((cert, key)) = &self.client {
            o = o.ssl_client_cert(cert).ssl_client_key(key);
        }
        o
    }

    /// Whether `sslmode` needs TLS whatever happens.
    pub(crate) fn required(&self) -> bool {
        matches!(
            self.mode,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull
        )
    }

    /// How the server is checked, for error messages.
    pub(crate) fn describe(&self) -> String {
        describe_roots(&self.roots, self.mode == SslMode::VerifyFull)
    }
}

fn describe_roots(roots: &Roots, host_checked: bool) -> String {
    let what = match roots {
        Roots::Unverified => return "the certificate is not checked".to_string(),
        Roots::File(p) => format!("trusting the CA in {}", p.display()),
        Roots::System => "trusting the system's roots".to_string(),
    };
    if host_checked {
        format!("{what}, host name checked")
    } else {
        what
    }
}

/// libpq's and Python's checks of a private key file: readable, not open
/// to others (libpq), and not encrypted (sqlx cannot decrypt it).
fn check_key(key: &Path, option: &'static str, password_given: bool) -> Result<(), Refusal> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(meta) = std::fs::metadata(key) {
            let mode = meta.mode();
            let ok = if meta.uid() == 0 {
                mode & 0o037 == 0
            } else {
                mode & 0o077 == 0
            };
            if option == "sslkey" && !ok {
                return Err((
                    option,
                    format!(
                        "private key file \"{}\" has group or world access; file must have \
                         permissions u=rw (0600) or less if owned by the current user, or \
                         permissions u=rw,g=r (0640) or less if owned by root",
                        key.display()
                    ),
                ));
            }
        }
    }
    let text = std::fs::read(key).map_err(|e| {
        (
            option,
            format!("could not read private key file \"{}\": {e}", key.display()),
        )
    })?;
    let text = String::from_utf8_lossy(&text);
    if text.contains("ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED") {
        let how = if password_given {
            "retort cannot decrypt it with the given password"
        } else {
            "retort cannot decrypt it (and will not prompt for a password)"
        };
        return Err((
            option,
            format!(
                "{option}: private key file \"{}\" is encrypted: {how}; store it decrypted \
                 (openssl pkey -in KEY -out KEY.plain) with permissions 0600",
                key.display()
            ),
        ));
    }
    Ok(())
}

// ------------------------------------------------------------------ MySQL

/// PyMySQL's TLS decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MyTls {
    /// `ssl_disabled`, or the server is never asked.
    Off,
    /// No TLS option given: TLS when the server offers it, unverified.
    Preferred,
    Required {
        ca: Option<PathBuf>,
        verify: bool,
        check_hostname: bool,
        client: Option<(PathBuf, PathBuf)>,
    },
}

/// Python's truth value of a keyword argument.
fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// The keyword arguments PyMySQL's `Connection` receives that concern TLS
/// (`ssl`, `ssl_ca`, …), after SQLAlchemy's URL handling and
/// `connect_args`.
pub(crate) type MyKwargs = Vec<(String, Value)>;

impl MyTls {
    /// `pymysql.connections.Connection.__init__` and `_create_ssl_ctx`.
    pub(crate) fn resolve(kw: &MyKwargs) -> Result<MyTls, Refusal> {
        let get = |k: &str| kw.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v);
        if truthy(get("ssl_disabled")) {
            return Ok(MyTls::Off);
        }
        let mut sslp: serde_json::Map<String, Value> = match get("ssl") {
            None | Some(Value::Null) => serde_json::Map::new(),
            Some(Value::Object(o)) => o.clone(),
            Some(v) if !truthy(Some(v)) => serde_json::Map::new(),
            Some(other) => {
                return Err((
                    "ssl",
                    format!("ssl={other}: give a dict of ca/cert/key, or the ssl_* arguments"),
                ))
            }
        };
        if [
            "ssl_ca",
            "ssl_cert",
            "ssl_key",
            "ssl_verify_cert",
            "ssl_verify_identity",
        ]
        .iter()
        .any(|k| truthy(get(k)))
        {
            let identity = truthy(get("ssl_verify_identity"));
            let verify_mode = if identity {
                Value::Bool(true)
            } else {
                match get("ssl_verify_cert") {
                    None | Some(Value::Null) => Value::Bool(false),
                    Some(v) => v.clone(),
                }
            };
            sslp = serde_json::Map::new();
            sslp.insert("ca".into(), get("ssl_ca").cloned().unwrap_or(Value::Null));
            sslp.insert("check_hostname".into(), Value::Bool(identity));
            sslp.insert("verify_mode".into(), verify_mode);
            for (arg, key) in [
                ("ssl_cert", "cert"),
                ("ssl_key", "key"),
                ("ssl_key_password", "password"),
            ] {
                if let Some(v) = get(arg).filter(|v| !v.is_null()) {
                    sslp.insert(key.into(), v.clone());
                }
            }
        }
        if sslp.is_empty() {
            return Ok(MyTls::Preferred);
        }
        for (key, why) in [
            (
                "capath",
                "a directory of CA files: give one file with ssl_ca",
            ),
            (
                "cipher",
                "the cipher list of OpenSSL: rustls chooses its own",
            ),
        ] {
            if sslp.get(key).is_some_and(|v| !v.is_null()) {
                return Err(("ssl", format!("ssl {key}: {why}")));
            }
        }
        let ca = match sslp.get("ca") {
            None | Some(Value::Null) => None,
            Some(v) => Some(PathBuf::from(text(v).ok_or_else(|| {
                ("ssl_ca", format!("ssl ca={v}: a file name is needed"))
            })?)),
        };
        if let Some(p) = &ca {
            if !p.is_file() {
                return Err((
                    "ssl_ca",
                    format!("CA file \"{}\" does not exist", p.display()),
                ));
            }
        }
        let has_ca = ca.is_some();
        let check_hostname = has_ca
            && truthy(Some(
                sslp.get("check_hostname").unwrap_or(&Value::Bool(true)),
            ));
        let default_verify = has_ca;
        let verify = match sslp.get("verify_mode") {
            None | Some(Value::Null) => default_verify,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => match s.to_lowercase().as_str() {
                "none" | "0" | "false" | "no" => false,
                "optional" | "required" | "1" | "true" | "yes" => true,
                _ => default_verify,
            },
            Some(_) => default_verify,
        };
        if check_hostname && !verify {
            // Python's ssl module refuses the combination.
            return Err((
                "ssl_verify_cert",
                "Cannot set verify_mode to CERT_NONE when check_hostname is enabled \
                 (PyMySQL checks the host name whenever a CA is given: add \
                 ssl_verify_identity=False, or drop ssl_verify_cert=False)"
                    .to_string(),
            ));
        }
        let client = match sslp.get("cert").and_then(text) {
            None => None,
            Some(cert) => {
                let key = sslp
                    .get("key")
                    .and_then(text)
                    .unwrap_or_else(|| cert.clone());
                let key = PathBuf::from(key);
                check_key(&key, "ssl_key", sslp.contains_key("password"))?;
                Some((PathBuf::from(cert), key))
            }
        };
        Ok(MyTls::Required {
            ca,
            verify,
            check_hostname,
            client,
        })
    }

    /// An explicit `ssl_mode` (mysqlclient's and MySQL Connector's spelling).
    pub(crate) fn from_ssl_mode(mode: &str, kw: &MyKwargs) -> Option<Result<MyTls, Refusal>> {
        let get = |k: &str| kw.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v);
        let (verify, check_hostname) = match mode.to_ascii_uppercase().as_str() {
            "DISABLED" => return Some(Ok(MyTls::Off)),
            "PREFERRED" => return Some(Ok(MyTls::Preferred)),
            "REQUIRED" => (false, false),
            "VERIFY_CA" => (true, false),
            "VERIFY_IDENTITY" => (true, true),
            _ => return None,
        };
        let dict = get("ssl").and_then(Value::as_object);
        let pick = |arg: &str, key: &str| {
            get(arg)
                .and_then(text)
                .or_else(|| dict.and_then(|d| d.get(key)).and_then(text))
        };
        let ca = pick("ssl_ca", "ca").map(PathBuf::from);
        let client = match pick("ssl_cert", "cert") {
            None => None,
            Some(cert) => {
                let key = PathBuf::from(pick("ssl_key", "key").unwrap_or_else(|| cert.clone()));
                if let Err(e) = check_key(&key, "ssl_key", false) {
                    return Some(Err(e));
                }
                Some((PathBuf::from(cert), key))
            }
        };
        Some(Ok(MyTls::Required {
            ca,
            verify,
            check_hostname,
            client,
        }))
    }

    pub(crate) fn apply(&self, o: MySqlConnectOptions) -> MySqlConnectOptions {
        match self {
            MyTls::Off => o.ssl_mode(MySqlSslMode::Disabled),
            MyTls::Preferred => o.ssl_mode(MySqlSslMode::Preferred),
            MyTls::Required {
                ca,
                verify,
                check_hostname,
                client,
            } => {
                let mode = match (verify, check_hostname) {
                    (false, _) => MySqlSslMode::Required,
                    (true, false) => MySqlSslMode::VerifyCa,
                    (true, true) => MySqlSslMode::VerifyIdentity,
                };
                let mut o = o.ssl_mode(mode);
                if let Some(ca) = ca {
                    o = o.ssl_ca(ca);
                }
                if let Some((cert, key)) = client {
                    o = o.ssl_client_cert(cert).ssl_client_key(key);
                }
                o
            }
        }
    }

    /// How the server is checked, for error messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            MyTls::Required {
                ca,
                verify: true,
                check_hostname,
                ..
            } => {
                let roots = ca.clone().map_or(Roots::System, Roots::File);
                describe_roots(&roots, *check_hostname)
            }
            _ => describe_roots(&Roots::Unverified, false),
        }
    }
}

// ----------------------------------------------------------------- errors

/// Why a TLS handshake failed, in words, naming the host; `None` when `e`
/// is not a TLS failure.
pub(crate) fn tls_reason(e: &sqlx::Error, host: &str, checks: &str) -> Option<String> {
    let rustls_error = |err: &(dyn std::error::Error + 'static)| -> Option<String> {
        let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(c) = cur {
            if let Some(r) = c.downcast_ref::<rustls::Error>() {
                return Some(rustls_words(r, host, checks));
            }
            cur = c.source();
        }
        None
    };
    match e {
        sqlx::Error::Tls(inner) => {
            let text = inner.to_string();
            if text.contains("server does not support TLS") {
                return Some(format!(
                    "TLS is required but the server at {host} does not support it \
                     (it runs without ssl)"
                ));
            }
            Some(
                rustls_error(inner.as_ref())
                    .unwrap_or_else(|| format!("TLS with {host} failed: {text}")),
            )
        }
        sqlx::Error::Io(io) => io.get_ref().and_then(|inner| rustls_error(inner)),
        _ => None,
    }
}

/// `DnsName("db.example")` (how rustls lists a certificate's names) as
/// `db.example`.
fn presented_name(p: &str) -> &str {
    for prefix in ["DnsName(\"", "IpAddress("] {
        if let Some(inner) = p.strip_prefix(prefix) {
            return inner.trim_end_matches(')').trim_end_matches('"');
        }
    }
    p
}

fn rustls_words(e: &rustls::Error, host: &str, checks: &str) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => {
            let why = match c {
                C::UnknownIssuer => "certificate not trusted: the server's certificate is not \
                                     signed by a certificate authority trusted here"
                    .to_string(),
                C::NotValidForName => {
                    format!("host name mismatch: the server's certificate is not for {host}")
                }
                C::NotValidForNameContext { presented, .. } => format!(
                    "host name mismatch: the server's certificate is for {}, not for {host}",
                    if presented.is_empty() {
                        "no name".to_string()
                    } else {
                        presented
                            .iter()
                            .map(|p| presented_name(p))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ),
                C::Expired | C::ExpiredContext { .. } => {
                    "the server's certificate has expired".to_string()
                }
                C::NotValidYet | C::NotValidYetContext { .. } => {
                    "the server's certificate is not valid yet".to_string()
                }
                C::Revoked => "the server's certificate is revoked".to_string(),
                other => format!("the server's certificate is invalid ({other:?})"),
            };
            format!("TLS with {host}: {why} ({checks})")
        }
        rustls::Error::AlertReceived(alert) => format!(
            "TLS with {host}: the server refused the handshake ({alert:?}); a client \
             certificate it trusts may be required"
        ),
        other => format!("TLS with {host} failed: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn my(kw: &[(&str, Value)]) -> Result<MyTls, Refusal> {
        let kw: MyKwargs = kw.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        MyTls::resolve(&kw)
    }

    /// PyMySQL's rules, quirks included (each case is what PyMySQL 1.2
    /// builds its SSLContext from).
    #[test]
    fn pymysql_decisions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, "not read here").expect("write");
        let ca_s = ca.to_string_lossy().to_string();
        let required = |verify, check_hostname| MyTls::Required {
            ca: Some(ca.clone()),
            verify,
            check_hostname,
            client: None,
        };
        assert_eq!(my(&[]), Ok(MyTls::Preferred));
        assert_eq!(my(&[("ssl", json!({}))]), Ok(MyTls::Preferred));
        // Any non-empty string is true, "false" too.
        assert_eq!(my(&[("ssl_disabled", json!("false"))]), Ok(MyTls::Off));
        assert_eq!(my(&[("ssl_disabled", json!(false))]), Ok(MyTls::Preferred));
        // The URL's ssl_ca becomes the ssl dict: CA and host name checked.
        assert_eq!(
            my(&[("ssl", json!({"ca": ca_s}))]),
            Ok(required(true, true))
        );
        assert_eq!(
            my(&[("ssl", json!({"ca": ca_s, "check_hostname": false}))]),
            Ok(required(true, false))
        );
        // The ssl_ca keyword alone checks nothing.
        assert_eq!(my(&[("ssl_ca", json!(ca_s))]), Ok(required(false, false)));
        assert_eq!(
            my(&[("ssl_ca", json!(ca_s)), ("ssl_verify_cert", json!(true))]),
            Ok(required(true, false))
        );
        assert_eq!(
            my(&[
                ("ssl_ca", json!(ca_s)),
                ("ssl_verify_identity", json!(true))
            ]),
            Ok(required(true, true))
        );
        // Keywords replace the dict, CA and all.
        assert_eq!(
            my(&[
                ("ssl", json!({"ca": ca_s})),
                ("ssl_verify_cert", json!("false"))
            ]),
            Ok(MyTls::Required {
                ca: None,
                verify: false,
                check_hostname: false,
                client: None
            })
        );
        assert!(my(&[("ssl", json!({"ca": ca_s, "verify_mode": false}))]).is_err());
        assert!(my(&[("ssl", json!({"cipher": "AES"}))]).is_err());
    }

    #[test]
    fn libpq_decisions() {
        let home = tempfile::tempdir().expect("tempdir");
        let input = |mode: &str| PgTlsInput {
            sslmode: Some(mode.to_string()),
            ..PgTlsInput::default()
        };
        let resolve = |i: &PgTlsInput| PgTls::resolve(i, Some(home.path()));
        assert_eq!(
            resolve(&PgTlsInput::default()).map(|t| t.mode),
            Ok(SslMode::Prefer)
        );
        assert!(resolve(&input("verify-ca")).is_err());
        assert_eq!(
            resolve(&input("require")).map(|t| t.roots),
            Ok(Roots::Unverified)
        );
        // ~/.postgresql/root.crt makes require verify the chain.
        let dot = home.path().join(".postgresql");
        std::fs::create_dir(&dot).expect("mkdir");
        std::fs::write(dot.join("root.crt"), "x").expect("write");
        assert_eq!(
            resolve(&input("require")).map(|t| t.roots),
            Ok(Roots::File(dot.join("root.crt")))
        );
        assert!(resolve(&input("verify-full")).is_ok());
        // A certificate without its key.
        std::fs::write(dot.join("postgresql.crt"), "x").expect("write");
        assert_eq!(
            resolve(&input("require")).map(|_| ()).map_err(|e| e.0),
            Err("sslkey")
        );
        let key = dot.join("postgresql.key");
        std::fs::write(&key, "-----BEGIN PRIVATE KEY-----").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).expect("chmod");
            assert_eq!(
                resolve(&input("require")).map(|_| ()).map_err(|e| e.0),
                Err("sslkey")
            );
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        assert!(resolve(&input("require")).is_ok_and(|t| t.client.is_some()));
        std::fs::write(&key, "-----BEGIN ENCRYPTED PRIVATE KEY-----").expect("write");
        assert_eq!(
            resolve(&input("require")).map(|_| ()).map_err(|e| e.0),
            Err("sslkey")
        );
        // disable reads nothing.
        assert!(resolve(&input("disable")).is_ok());
    }
}
