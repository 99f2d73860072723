//! TLS and connection options against servers this file starts itself: a
//! PostgreSQL cluster (`initdb` + `pg_ctl`, `ssl = on`, a `hostssl`-only
//! `pg_hba.conf`) and a MariaDB instance (`mariadb-install-db` + `mariadbd`
//! with `--ssl-*` and `require_secure_transport`), each on a free port in a
//! temporary directory, stopped by a `Drop` guard.  Certificates are made
//! with `openssl`: a CA, a server certificate for `localhost`, one for
//! another name (swapped in and reloaded for one phase), a client
//! certificate, and a second CA that vouches for nothing here.
//!
//! Each case runs `current` with real Alembic (psycopg2 / PyMySQL) and with
//! retort on the same ini: both must connect, or both refuse; the expected
//! outcome is checked too, so a broken setup cannot pass by failing twice.
//! Cases whose driver is not installed (asyncpg, mysqlclient's `ssl_mode`)
//! are checked against the outcome their driver documents.  Then a migrate
//! parity walk (`core_ops`) runs through TLS on each server.
//!
//! `RETORT_TLS_SHOW=1` prints retort's message for each refusal.
//!
//! One test per server, so each server starts once (also under nextest,
//! which runs every test in a process of its own).  A missing server binary
//! or driver fails on CI and prints a SKIPPED banner elsewhere.

mod dbsupport;
mod migsupport;

use std::fmt::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use dbsupport::{alembic_bin, driver_available, retort_bin, run_tool_with, skip, Alembic, Kind};
use migsupport::{gate, MigProject, Parity};
use retort::db::{Db, DbUrl};

const PASSWORD: &str = "tls-S3cret-pw";
const TIMEOUT: Duration = Duration::from_secs(60);

// ------------------------------------------------------------- processes

fn run(cmd: &mut Command) -> String {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn is_root() -> bool {
    run(Command::new("id").arg("-u")).trim() == "0"
}

/// `name` on `PATH`, else in the first of `dirs` that has it.
fn program(name: &str, dirs: &[impl AsRef<Path>]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(dirs.iter().map(|d| d.as_ref().to_path_buf()))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

// ---------------------------------------------------------- certificates

/// The certificates of a run, in a directory of their own.
struct Certs {
    dir: tempfile::TempDir,
}

impl Certs {
    fn make() -> Certs {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let openssl = |args: &[&str]| {
            run(Command::new("openssl").args(args).current_dir(d));
        };
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        for (ca, cn) in [("ca", "retort test CA"), ("other_ca", "retort stranger CA")] {
            let (key, crt, subj) = (
                format!("{ca}.key"),
                format!("{ca}.crt"),
                format!("/CN={cn}"),
            );
            let mut args = vec!["req", "-x509"];
            args.extend(ec);
            args.extend(["-keyout", &key, "-out", &crt, "-subj", &subj, "-days", "2"]);
            args.extend([
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ]);
            openssl(&args);
        }
        for (name, cn, ext) in [
            (
                "server",
                "localhost",
                "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth",
            ),
            (
                "other",
                "db.other.example",
                "subjectAltName=DNS:db.other.example\nextendedKeyUsage=serverAuth",
            ),
            ("client", "tls_cert_user", "extendedKeyUsage=clientAuth"),
        ] {
            let (key, csr, crt, cnf) = (
                format!("{name}.key"),
                format!("{name}.csr"),
                format!("{name}.crt"),
                format!("{name}.cnf"),
            );
            std::fs::write(
                d.join(&cnf),
                format!("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n{ext}\n"),
            )
            .expect("write");
            let subj = format!("/CN={cn}");
            let mut args = vec!["req"];
            args.extend(ec);
            args.extend(["-keyout", &key, "-out", &csr, "-subj", &subj]);
            openssl(&args);
            openssl(&[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                &crt,
                "-days",
                "2",
                "-extfile",
                &cnf,
            ]);
        }
        openssl(&[
            "pkey",
            "-in",
            "client.key",
            "-aes256",
            "-passout",
            "pass:key-pw",
            "-out",
            "client_enc.key",
        ]);
        #[cfg(unix)]
        for entry in std::fs::read_dir(d).expect("read certs") {
            use std::os::unix::fs::PermissionsExt;
            let path = entry.expect("entry").path();
            let mode = if path.extension().is_some_and(|e| e == "key") {
                0o600
            } else {
                0o644
            };
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
        }
        Certs { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }
}

// ------------------------------------------------------------ PostgreSQL

/// A PostgreSQL cluster of our own, stopped on drop.
struct Postgres {
    _tmp: tempfile::TempDir,
    data: PathBuf,
    port: u16,
    bin: PathBuf,
    root: bool,
}

impl Postgres {
    fn command(&self, name: &str) -> Command {
        pg_command(&self.bin, name, self.root)
    }

    fn start(certs: &Certs) -> Option<Postgres> {
        let Some(initdb) = program("initdb", &pg_dirs()) else {
            skip("TLS tests: no initdb on PATH");
            return None;
        };
        let bin = initdb.parent().expect("bin dir").to_path_buf();
        let root = is_root();
        let tmp = tempfile::Builder::new()
            .prefix("retort-tls-pg")
            .tempdir()
            .expect("tempdir");
        let data = tmp.path().join("data");
        if root {
            // initdb refuses to run as root: the cluster belongs to postgres.
            run(Command::new("chown").arg("postgres:").arg(tmp.path()));
        }
        run(pg_command(&bin, "initdb", root).arg("-D").arg(&data).args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]));
        let port = free_port();
        let conf = format!(
            "\nport = {port}\nlisten_addresses = 'localhost'\nunix_socket_directories = '{}'\n\
             ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n\
             ssl_ca_file = 'ca.crt'\nfsync = off\nmax_connections = 30\n",
            data.display()
        );
        let pg = Postgres {
            _tmp: tmp,
            data,
            port,
            bin,
            root,
        };
        append(&pg.data.join("postgresql.conf"), &conf);
        std::fs::write(
            pg.data.join("pg_hba.conf"),
            "local all all trust\n\
             hostssl all tls_cert_user all cert\n\
             hostssl all all all scram-sha-256\n",
        )
        .expect("write pg_hba.conf");
        pg.install_server_cert(certs, "server");
        std::fs::copy(certs.path("ca.crt"), pg.data.join("ca.crt")).expect("copy");
        pg.own(&pg.data.join("ca.crt"));
        run(pg
            .command("pg_ctl")
            .arg("-D")
            .arg(&pg.data)
            .arg("-l")
            .arg(pg.data.join("log"))
            .args(["-w", "-t", "60", "start"]));
        let mut admin = pg.admin();
        for sql in [
            format!("CREATE USER app PASSWORD '{PASSWORD}'"),
            "CREATE USER tls_cert_user".to_string(),
            "CREATE DATABASE tls_a OWNER app".to_string(),
            "CREATE DATABASE tls_r OWNER app".to_string(),
        ] {
            admin.execute(&sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        Some(pg)
    }

    fn own(&self, path: &Path) {
        if self.root {
            run(Command::new("chown").arg("postgres:").arg(path));
        }
    }

    /// `<name>.crt` and `<name>.key` as the server's certificate.
    fn install_server_cert(&self, certs: &Certs, name: &str) {
        for ext in ["crt", "key"] {
            let to = self.data.join(format!("server.{ext}"));
            std::fs::copy(certs.path(&format!("{name}.{ext}")), &to).expect("copy");
            self.own(&to);
        }
    }

    /// The superuser over the cluster's Unix socket (no TLS there).
    fn admin(&self) -> Db {
        let url = format!(
            "postgresql://postgres@/postgres?host={}&port={}",
            self.data.display(),
            self.port
        );
        Db::connect(&DbUrl::parse(&url).expect("url")).unwrap_or_else(|e| panic!("{e}"))
    }

    fn reload(&self) {
        self.admin()
            .execute("SELECT pg_reload_conf()")
            .unwrap_or_else(|e| panic!("{e}"));
        // The postmaster rereads its files on SIGHUP, in its own time.
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// Debian's PostgreSQL binaries, newest version first.
fn pg_dirs() -> Vec<String> {
    let mut versions: Vec<u32> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dir| {
            dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    versions.sort_unstable_by(|a, b| b.cmp(a));
    versions
        .iter()
        .map(|v| format!("/usr/lib/postgresql/{v}/bin"))
        .collect()
}

fn pg_command(bin: &Path, name: &str, root: bool) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(name));
        c
    } else {
        Command::new(bin.join(name))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

fn append(path: &Path, text: &str) {
    use std::io::Write as _;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    f.write_all(text.as_bytes()).expect("append");
}

// --------------------------------------------------------------- MariaDB

/// A MariaDB server of our own, killed on drop.
struct Mariadb {
    child: Child,
    tmp: tempfile::TempDir,
    port: u16,
}

impl Mariadb {
    fn start(certs: &Certs) -> Option<Mariadb> {
        let (Some(install), Some(server)) = (
            program("mariadb-install-db", &["/usr/bin"]),
            program("mariadbd", &["/usr/sbin"]),
        ) else {
            skip("TLS tests: no mariadb-install-db / mariadbd");
            return None;
        };
        let tmp = tempfile::Builder::new()
            .prefix("retort-tls-my")
            .tempdir()
            .expect("tempdir");
        let data = tmp.path().join("data");
        let user: &[&str] = if is_root() { &["--user=root"] } else { &[] };
        run(Command::new(install)
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .args(["--auth-root-authentication-method=normal", "--skip-test-db"])
            .args(user));
        let port = free_port();
        // The server's own copies, so another certificate can be put in
        // their place.
        for name in ["server.crt", "server.key"] {
            std::fs::copy(certs.path(name), tmp.path().join(name)).expect("copy");
        }
        let ssl_file =
            |flag: &str, name: &str| format!("--{flag}={}", tmp.path().join(name).display());
        let child = Command::new(server)
            .arg("--no-defaults")
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", tmp.path().join("sock").display()))
            .arg(format!("--pid-file={}", tmp.path().join("pid").display()))
            .arg(format!(
                "--log-error={}",
                tmp.path().join("err.log").display()
            ))
            .arg(format!("--port={port}"))
            .args(["--bind-address=127.0.0.1", "--skip-name-resolve"])
            .args([
                "--require-secure-transport=ON",
                "--innodb-buffer-pool-size=32M",
            ])
            .arg(format!("--ssl-ca={}", certs.path("ca.crt")))
            .arg(ssl_file("ssl-cert", "server.crt"))
            .arg(ssl_file("ssl-key", "server.key"))
            .args(user)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start mariadbd");
        let my = Mariadb { child, tmp, port };
        let started = Instant::now();
        let mut admin = loop {
            match my.try_admin() {
                Ok(db) => break db,
                Err(e) if started.elapsed() > TIMEOUT => panic!(
                    "mariadbd did not come up: {e}\n{}",
                    std::fs::read_to_string(my.tmp.path().join("err.log")).unwrap_or_default()
                ),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        };
        for sql in [
            "DROP USER IF EXISTS ''@'localhost'".to_string(),
            format!("CREATE USER 'app'@'%' IDENTIFIED BY '{PASSWORD}'"),
            "GRANT ALL PRIVILEGES ON *.* TO 'app'@'%'".to_string(),
            "CREATE USER 'tls_cert_user'@'%' REQUIRE X509".to_string(),
            "GRANT ALL PRIVILEGES ON *.* TO 'tls_cert_user'@'%'".to_string(),
            "CREATE DATABASE app".to_string(),
            "CREATE DATABASE tls_a".to_string(),
            "CREATE DATABASE tls_r".to_string(),
        ] {
            admin.execute(&sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        Some(my)
    }

    /// root over the server's Unix socket (secure transport by definition).
    fn try_admin(&self) -> Result<Db, retort::db::DbError> {
        let url = format!(
            "mysql://root@localhost/?unix_socket={}",
            self.tmp.path().join("sock").display()
        );
        Db::connect(&DbUrl::parse(&url).expect("url"))
    }

    /// `<name>.crt`/`.key` written over the files the server was started
    /// with, then `FLUSH SSL`.
    fn install_server_cert(&self, certs: &Certs, name: &str) {
        for ext in ["crt", "key"] {
            std::fs::copy(
                certs.path(&format!("{name}.{ext}")),
                self.tmp.path().join(format!("server.{ext}")),
            )
            .expect("copy");
        }
        self.try_admin()
            .and_then(|mut db| db.execute("FLUSH SSL"))
            .unwrap_or_else(|e| panic!("FLUSH SSL: {e}"));
    }
}

impl Drop for Mariadb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ----------------------------------------------------------------- cases

/// What both tools must do with a case.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    Connects,
    Refused,
}

/// Who is run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Check {
    /// Real Alembic and retort; they must agree (and give the outcome).
    WithAlembic,
    /// retort alone (the driver is not installed): the outcome its
    /// documentation gives.
    RetortOnly,
    /// A known difference: the driver connects, retort refuses by name.
    RetortRefuses,
}

struct Case {
    label: String,
    url: String,
    connect_args: Option<Value>,
    env: Vec<(String, String)>,
    outcome: Outcome,
    check: Check,
    /// Words retort's message must hold (when it refuses).
    words: Vec<String>,
}

fn case(label: &str, url: String, outcome: Outcome) -> Case {
    Case {
        label: label.to_string(),
        url,
        connect_args: None,
        env: Vec::new(),
        outcome,
        check: Check::WithAlembic,
        words: Vec::new(),
    }
}

impl Case {
    fn args(mut self, v: Value) -> Case {
        self.connect_args = Some(v);
        self
    }
    fn env(mut self, k: &str, v: &str) -> Case {
        self.env.push((k.to_string(), v.to_string()));
        self
    }
    fn words(mut self, w: &[&str]) -> Case {
        self.words.extend(w.iter().map(|s| s.to_string()));
        self
    }
    fn check(mut self, c: Check) -> Case {
        self.check = c;
        self
    }
}

/// The projects the cases run in: `stock` (Alembic's generic env.py, which
/// retort stands in for without Python) and `args` (an env.py that passes
/// the ini's `tls_connect_args` to `engine_from_config` as `connect_args`).
struct Bench {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    ini: String,
    alembic: Alembic,
    n: usize,
    failures: Vec<String>,
    secrets: Vec<String>,
}

const ARGS_ENV_PY: &str = r#"import json

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
connect_args = json.loads(config.get_main_option("tls_connect_args") or "{}")
connectable = engine_from_config(
    config.get_section(config.config_ini_section, {}),
    prefix="sqlalchemy.",
    poolclass=pool.NullPool,
    connect_args=connect_args,
)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"#;

impl Bench {
    fn new(alembic: PathBuf) -> Bench {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = std::fs::canonicalize(tmp.path()).expect("canonicalize");
        run(Command::new(&alembic)
            .args(["init", "stock"])
            .current_dir(&dir)
            .env("PYTHONDONTWRITEBYTECODE", "1"));
        std::fs::create_dir_all(dir.join("args/versions")).expect("mkdir");
        std::fs::copy(
            dir.join("stock/script.py.mako"),
            dir.join("args/script.py.mako"),
        )
        .expect("copy");
        std::fs::write(dir.join("args/env.py"), ARGS_ENV_PY).expect("write env.py");
        let ini = std::fs::read_to_string(dir.join("alembic.ini")).expect("read ini");
        Bench {
            _tmp: tmp,
            dir,
            ini,
            alembic: Alembic::new(alembic),
            n: 0,
            failures: Vec::new(),
            secrets: vec![PASSWORD.to_string(), "key-pw".to_string()],
        }
    }

    /// An ini for `case`, in the bench's directory.
    fn write_ini(&mut self, case: &Case) -> PathBuf {
        self.n += 1;
        let project = if case.connect_args.is_some() {
            "args"
        } else {
            "stock"
        };
        let mut out = String::new();
        for line in self.ini.lines() {
            if line.starts_with("script_location = ") {
                let _ = writeln!(out, "script_location = %(here)s/{project}");
            } else if line.starts_with("sqlalchemy.url = ") {
                let _ = writeln!(out, "sqlalchemy.url = {}", case.url.replace('%', "%%"));
                if let Some(args) = &case.connect_args {
                    let _ = writeln!(
                        out,
                        "tls_connect_args = {}",
                        args.to_string().replace('%', "%%")
                    );
                }
            } else {
                let _ = writeln!(out, "{line}");
            }
        }
        let path = self.dir.join(format!("case{}.ini", self.n));
        std::fs::write(&path, out).expect("write ini");
        path
    }

    fn run(&mut self, case: &Case) {
        let ini = self.write_ini(case);
        let args = ["current"];
        let alembic = (case.check == Check::WithAlembic).then(|| {
            if case.env.is_empty() {
                self.alembic.run(&self.dir, &ini, &args)
            } else {
                run_tool_with(
                    &self.alembic.bin,
                    &self.dir,
                    &ini,
                    &args,
                    &case.env,
                    TIMEOUT,
                )
            }
        });
        let retort = run_tool_with(&retort_bin(), &self.dir, &ini, &args, &case.env, TIMEOUT);
        let got = |code: Option<i32>| {
            if code == Some(0) {
                Outcome::Connects
            } else {
                Outcome::Refused
            }
        };
        let mut wrong = Vec::new();
        let want = match case.check {
            Check::RetortRefuses => Outcome::Refused,
            _ => case.outcome,
        };
        if let Some(a) = &alembic {
            if got(a.code) != case.outcome {
                wrong.push(format!(
                    "Alembic: {:?}, expected {:?}",
                    got(a.code),
                    case.outcome
                ));
            }
        }
        if got(retort.code) != want {
            wrong.push(format!("retort: {:?}, expected {want:?}", got(retort.code)));
        }
        let text = format!("{}{}", retort.stdout, retort.stderr);
        for w in &case.words {
            if !text.contains(w.as_str()) {
                wrong.push(format!("retort's message lacks {w:?}"));
            }
        }
        // A stock env.py is retort's to stand in for: no traceback there
        // (env.py's own failures show one, as under Alembic).
        if case.connect_args.is_none() && retort.stderr.contains("Traceback") {
            wrong.push("retort printed a traceback".to_string());
        }
        for s in &self.secrets {
            if text.contains(s.as_str()) {
                wrong.push(format!("retort printed the secret {s:?}"));
            }
        }
        let line = format!(
            "{:<58} {:?} ({:?})",
            case.label,
            got(retort.code),
            case.check
        );
        if wrong.is_empty() {
            eprintln!("ok   {line}");
            if std::env::var("RETORT_TLS_SHOW").as_deref() == Ok("1") && retort.code != Some(0) {
                let said = text
                    .lines()
                    .rev()
                    .find(|l| l.contains("can't"))
                    .unwrap_or("");
                eprintln!("       retort:  {said}");
                if let Some(a) = &alembic {
                    let said = a
                        .stderr
                        .lines()
                        .rev()
                        .find(|l| l.contains("Error"))
                        .unwrap_or("");
                    eprintln!("       alembic: {said}");
                }
            }
        } else {
            let mut msg = format!("FAIL {line}: {}\n  url: {}", wrong.join("; "), case.url);
            if let Some(args) = &case.connect_args {
                let _ = write!(msg, "\n  connect_args: {args}");
            }
            if let Some(a) = &alembic {
                let tail: Vec<&str> = a.stderr.lines().rev().take(2).collect();
                let _ = write!(msg, "\n  alembic exit {:?}: {:?}", a.code, tail);
            }
            let _ = write!(
                msg,
                "\n  retort exit {:?}:\n{}",
                retort.code,
                dbsupport::indent(&text)
            );
            eprintln!("{msg}");
            self.failures.push(msg);
        }
    }

    fn finish(self, what: &str) {
        assert!(
            self.failures.is_empty(),
            "{what}: {} of {} cases failed:\n{}",
            self.failures.len(),
            self.n,
            self.failures.join("\n")
        );
    }
}

/// Alembic's path, with the driver importable, or a skip.
fn alembic_with(module: &str) -> Option<PathBuf> {
    let alembic = alembic_bin()?;
    driver_available(&alembic, module).then_some(alembic)
}

fn openssl_available() -> bool {
    let ok = Command::new("openssl")
        .arg("version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        skip("TLS tests: no openssl command to make certificates");
    }
    ok
}

// ----------------------------------------------------------- PostgreSQL

#[test]
fn postgresql_tls() {
    let Some(alembic) = alembic_with("psycopg2") else {
        return;
    };
    if !openssl_available() {
        return;
    }
    let started = Instant::now();
    let certs = Certs::make();
    let Some(pg) = Postgres::start(&certs) else {
        return;
    };
    eprintln!(
        "PostgreSQL with TLS up on port {} in {:.1?}",
        pg.port,
        started.elapsed()
    );
    let ca = certs.path("ca.crt");
    let other_ca = certs.path("other_ca.crt");
    let url = |host: &str, user: &str, query: &str| {
        let auth = if user == "app" {
            format!("app:{PASSWORD}")
        } else {
            user.to_string()
        };
        let q = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        format!("postgresql://{auth}@{host}:{}/postgres{q}", pg.port)
    };
    let app = |query: &str| url("localhost", "app", query);
    let mut bench = Bench::new(alembic.clone());
    use Outcome::*;
    let cert_query = format!(
        "sslcert={}&sslkey={}",
        certs.path("client.crt"),
        certs.path("client.key")
    );
    let cases = vec![
        case("no sslmode: prefer, TLS used", app(""), Connects),
        case("sslmode=disable vs hostssl-only", app("sslmode=disable"), Refused)
            .words(&["localhost", "no pg_hba.conf entry"]),
        case("sslmode=allow: plain refused, then TLS", app("sslmode=allow"), Connects),
        case("sslmode=prefer", app("sslmode=prefer"), Connects),
        case("sslmode=require without a CA", app("sslmode=require"), Connects),
        case(
            "sslmode=verify-ca without a root file",
            app("sslmode=verify-ca&sslrootcert=/no/such/root.crt"),
            Refused,
        )
        .words(&["sslrootcert", "does not exist"]),
        case(
            "sslmode=verify-ca with the CA",
            app(&format!("sslmode=verify-ca&sslrootcert={ca}")),
            Connects,
        ),
        case(
            "sslmode=verify-full with the CA",
            app(&format!("sslmode=verify-full&sslrootcert={ca}")),
            Connects,
        ),
        case(
            "sslmode=verify-full with another CA",
            app(&format!("sslmode=verify-full&sslrootcert={other_ca}")),
            Refused,
        )
        .words(&["localhost", "not trusted"]),
        case(
            "sslmode=verify-ca with another CA",
            app(&format!("sslmode=verify-ca&sslrootcert={other_ca}")),
            Refused,
        )
        .words(&["not trusted"]),
        case(
            "sslmode=require with a root file verifies the chain",
            app(&format!("sslmode=require&sslrootcert={other_ca}")),
            Refused,
        )
        .words(&["not trusted"]),
        case(
            "sslmode=prefer with another CA: TLS fails, plain refused",
            app(&format!("sslmode=prefer&sslrootcert={other_ca}")),
            Refused,
        )
        .words(&["not trusted", "no pg_hba.conf entry"]),
        case(
            "verify-full to 127.0.0.1: cert is for localhost",
            url("127.0.0.1", "app", &format!("sslmode=verify-full&sslrootcert={ca}")),
            Refused,
        )
        .words(&["127.0.0.1", "host name mismatch"]),
        case(
            "verify-ca to 127.0.0.1: name not checked",
            url("127.0.0.1", "app", &format!("sslmode=verify-ca&sslrootcert={ca}")),
            Connects,
        ),
        case(
            "hostaddr=127.0.0.1, verify-full checks host localhost",
            app(&format!("hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={ca}")),
            Connects,
        ),
        case(
            "hostaddr=127.0.0.1, host db.other.example: name mismatch",
            url(
                "db.other.example",
                "app",
                &format!("hostaddr=127.0.0.1&sslmode=verify-full&sslrootcert={ca}"),
            ),
            Refused,
        )
        .words(&["db.other.example", "host name mismatch"]),
        case(
            "sslrootcert=system: the test CA is not a system root",
            app("sslmode=verify-full&sslrootcert=system"),
            Refused,
        )
        .words(&["not trusted"]),
        case(
            "sslrootcert=system with a weak sslmode",
            app("sslmode=require&sslrootcert=system"),
            Refused,
        )
        .words(&["weak sslmode"]),
        case("sslmode=bogus", app("sslmode=bogus"), Refused).words(&["invalid sslmode"]),
        case(
            "client certificate user, with the certificate",
            url("localhost", "tls_cert_user", &format!("sslmode=require&{cert_query}")),
            Connects,
        ),
        case(
            "client certificate user, verify-full and the certificate",
            url(
                "localhost",
                "tls_cert_user",
                &format!("sslmode=verify-full&sslrootcert={ca}&{cert_query}"),
            ),
            Connects,
        ),
        case(
            "client certificate user, without a certificate",
            url("localhost", "tls_cert_user", "sslmode=require"),
            Refused,
        )
        .words(&["tls_cert_user"]),
        case(
            "encrypted client key with sslpassword",
            url(
                "localhost",
                "tls_cert_user",
                &format!(
                    "sslmode=require&sslcert={}&sslkey={}&sslpassword=key-pw",
                    certs.path("client.crt"),
                    certs.path("client_enc.key")
                ),
            ),
            Connects,
        )
        .check(Check::RetortRefuses)
        .words(&["sslkey", "encrypted"]),
        case("connect_args sslmode=disable", app(""), Refused).args(json!({"sslmode": "disable"})),
        case("connect_args verify-full with the CA", app(""), Connects)
            .args(json!({"sslmode": "verify-full", "sslrootcert": ca})),
        case("connect_args verify-full with another CA", app(""), Refused)
            .args(json!({"sslmode": "verify-full", "sslrootcert": other_ca}))
            .words(&["not trusted"]),
        case("connect_args override the URL's sslmode", app("sslmode=disable"), Connects)
            .args(json!({"sslmode": "require"})),
        case("connect_args client certificate", url("localhost", "tls_cert_user", ""), Connects)
            .args(json!({
                "sslmode": "require",
                "sslcert": certs.path("client.crt"),
                "sslkey": certs.path("client.key"),
            })),
        case("PGSSLMODE=disable", app(""), Refused).env("PGSSLMODE", "disable"),
        case("PGSSLMODE=verify-full, PGSSLROOTCERT=the CA", app(""), Connects)
            .env("PGSSLMODE", "verify-full")
            .env("PGSSLROOTCERT", &ca),
        case("PGSSLROOTCERT=another CA, verify-ca", app("sslmode=verify-ca"), Refused)
            .env("PGSSLROOTCERT", &other_ca),
        case(
            "options, application_name, connect_timeout, read-write",
            app("options=-c%20search_path%3Dtenant_a&application_name=tls%20test&connect_timeout=5&target_session_attrs=read-write"),
            Connects,
        ),
        case("target_session_attrs=read-only on a primary", app("target_session_attrs=read-only"), Refused)
            .words(&["session is not read-only"]),
        case("target_session_attrs=standby on a primary", app("target_session_attrs=standby"), Refused)
            .words(&["not in hot standby"]),
        case("target_session_attrs=primary", app("target_session_attrs=primary"), Connects),
        case(
            "asyncpg ssl=require",
            format!("postgresql+asyncpg://app:{PASSWORD}@localhost:{}/postgres?ssl=require", pg.port),
            Connects,
        )
        .check(Check::RetortOnly),
        case(
            "asyncpg ssl=disable",
            format!("postgresql+asyncpg://app:{PASSWORD}@localhost:{}/postgres?ssl=disable", pg.port),
            Refused,
        )
        .check(Check::RetortOnly),
        case(
            "asyncpg ssl=verify-full with the CA",
            format!(
                "postgresql+asyncpg://app:{PASSWORD}@localhost:{}/postgres?ssl=verify-full&sslrootcert={ca}",
                pg.port
            ),
            Connects,
        )
        .check(Check::RetortOnly),
        case(
            "asyncpg connect_args ssl=True: the system's roots",
            format!("postgresql+asyncpg://app:{PASSWORD}@localhost:{}/postgres", pg.port),
            Refused,
        )
        .args(json!({"ssl": true}))
        .check(Check::RetortOnly)
        .words(&["not trusted", "system's roots"]),
        case(
            "asyncpg connect_args ssl='require'",
            format!("postgresql+asyncpg://app:{PASSWORD}@localhost:{}/postgres", pg.port),
            Connects,
        )
        .args(json!({"ssl": "require"}))
        .check(Check::RetortOnly),
    ];
    for c in &cases {
        bench.run(c);
    }

    // The server presents a certificate for another name (same CA).
    pg.install_server_cert(&certs, "other");
    pg.reload();
    for c in [
        case(
            "cert for db.other.example: verify-full refused",
            app(&format!("sslmode=verify-full&sslrootcert={ca}")),
            Refused,
        )
        .words(&["localhost", "host name mismatch", "db.other.example"]),
        case(
            "cert for db.other.example: verify-ca accepted",
            app(&format!("sslmode=verify-ca&sslrootcert={ca}")),
            Connects,
        ),
        case(
            "cert for db.other.example: require accepted",
            app("sslmode=require"),
            Connects,
        ),
    ] {
        bench.run(&c);
    }

    // The server without TLS.
    pg.admin()
        .execute("ALTER SYSTEM SET ssl = off")
        .unwrap_or_else(|e| panic!("{e}"));
    pg.reload();
    for c in [
        case(
            "server without TLS: require",
            app("sslmode=require"),
            Refused,
        )
        .words(&["localhost", "does not support"]),
        case(
            "server without TLS: prefer, then hostssl refuses",
            app(""),
            Refused,
        ),
    ] {
        bench.run(&c);
    }
    pg.admin()
        .execute("ALTER SYSTEM RESET ssl")
        .unwrap_or_else(|e| panic!("{e}"));
    pg.install_server_cert(&certs, "server");
    pg.reload();
    bench.finish("PostgreSQL TLS cases");

    // Migrations through TLS, psycopg2 with the same sslmode.
    if gate("TLS migrate parity on PostgreSQL") {
        let twin = |db: &str| {
            format!(
                "postgresql://app:{PASSWORD}@localhost:{}/{db}?sslmode=verify-full&sslrootcert={ca}",
                pg.port
            )
        };
        let twins = dbsupport::Twins::given(
            [twin("tls_a"), twin("tls_r")],
            ["tls_a".to_string(), "tls_r".to_string()],
            vec![PASSWORD.to_string()],
        );
        let project = MigProject::fixture("core_ops", &twins);
        Parity::new(
            "fixture core_ops through TLS (verify-full)".to_string(),
            Kind::Postgres,
            &twins,
            project,
            alembic,
        )
        .run();
    }
    eprintln!("PostgreSQL TLS: done in {:.1?}", started.elapsed());
}

// --------------------------------------------------------------- MariaDB

#[test]
fn mariadb_tls() {
    let Some(alembic) = alembic_with("pymysql") else {
        return;
    };
    if !openssl_available() {
        return;
    }
    let started = Instant::now();
    let certs = Certs::make();
    let Some(my) = Mariadb::start(&certs) else {
        return;
    };
    eprintln!(
        "MariaDB with TLS up on port {} in {:.1?}",
        my.port,
        started.elapsed()
    );
    let ca = certs.path("ca.crt");
    let other_ca = certs.path("other_ca.crt");
    let (client_crt, client_key) = (certs.path("client.crt"), certs.path("client.key"));
    let url = |host: &str, user: &str, query: &str| {
        let auth = if user == "app" {
            format!("app:{PASSWORD}")
        } else {
            user.to_string()
        };
        let q = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        format!("mysql+pymysql://{auth}@{host}:{}/app{q}", my.port)
    };
    let app = |query: &str| url("localhost", "app", query);
    let mut bench = Bench::new(alembic.clone());
    use Outcome::*;
    let cases = vec![
        case("no TLS option: preferred, TLS used", app(""), Connects),
        case(
            "ssl_disabled=true vs require_secure_transport",
            app("ssl_disabled=true"),
            Refused,
        )
        // MariaDB answers "Access denied" to a plain connection here.
        .words(&["localhost", "Access denied"]),
        case(
            "ssl_disabled=false in the URL is a true string",
            app("ssl_disabled=false"),
            Refused,
        ),
        case(
            "URL ssl_ca: CA and host name checked",
            app(&format!("ssl_ca={ca}")),
            Connects,
        ),
        case(
            "URL ssl_ca of another CA",
            app(&format!("ssl_ca={other_ca}")),
            Refused,
        )
        .words(&["localhost", "not trusted"]),
        case(
            "URL ssl_ca, 127.0.0.1: name mismatch",
            url("127.0.0.1", "app", &format!("ssl_ca={ca}")),
            Refused,
        )
        .words(&["127.0.0.1", "host name mismatch"]),
        case(
            "URL ssl_ca, 127.0.0.1, ssl_check_hostname=false",
            url(
                "127.0.0.1",
                "app",
                &format!("ssl_ca={ca}&ssl_check_hostname=false"),
            ),
            Connects,
        ),
        case(
            "ssl_verify_cert=true: the system's roots",
            app("ssl_verify_cert=true"),
            Refused,
        )
        .words(&["not trusted"]),
        case(
            "ssl_verify_identity=true: the system's roots",
            app("ssl_verify_identity=true"),
            Refused,
        ),
        case(
            "client certificate user, with the certificate",
            url(
                "localhost",
                "tls_cert_user",
                &format!("ssl_cert={client_crt}&ssl_key={client_key}"),
            ),
            Connects,
        ),
        case(
            "client certificate user, verified, with the certificate",
            url(
                "localhost",
                "tls_cert_user",
                &format!("ssl_ca={ca}&ssl_cert={client_crt}&ssl_key={client_key}"),
            ),
            Connects,
        ),
        case(
            "client certificate user, without a certificate",
            url("localhost", "tls_cert_user", ""),
            Refused,
        )
        .words(&["tls_cert_user"]),
        case("connect_args ssl dict with the CA", app(""), Connects)
            .args(json!({"ssl": {"ca": ca}})),
        case("connect_args ssl dict with another CA", app(""), Refused)
            .args(json!({"ssl": {"ca": other_ca}}))
            .words(&["not trusted"]),
        case(
            "connect_args ssl_ca alone checks nothing",
            app(""),
            Connects,
        )
        .args(json!({"ssl_ca": other_ca})),
        case("connect_args ssl_ca + ssl_verify_cert", app(""), Refused)
            .args(json!({"ssl_ca": other_ca, "ssl_verify_cert": true})),
        case(
            "connect_args ssl_ca + ssl_verify_identity",
            app(""),
            Connects,
        )
        .args(json!({"ssl_ca": ca, "ssl_verify_identity": true})),
        case(
            "connect_args ssl dict, check_hostname False, 127.0.0.1",
            url("127.0.0.1", "app", ""),
            Connects,
        )
        .args(json!({"ssl": {"ca": ca, "check_hostname": false}})),
        case("connect_args ssl_disabled=True", app(""), Refused)
            .args(json!({"ssl_disabled": true})),
        case("connect_args ssl_disabled=False", app(""), Connects)
            .args(json!({"ssl_disabled": false})),
        case(
            "connect_args replace the URL's ssl dict",
            app(&format!("ssl_ca={other_ca}")),
            Connects,
        )
        .args(json!({"ssl": {"ca": ca}})),
        case(
            "connect_args client certificate",
            url("localhost", "tls_cert_user", ""),
            Connects,
        )
        .args(json!({"ssl": {"cert": client_crt, "key": client_key}})),
        case(
            "charset, init_command, connect_timeout",
            app("charset=utf8mb4&init_command=SET%20%40x%3D1&connect_timeout=5"),
            Connects,
        ),
        case(
            "encrypted client key with ssl_key_password",
            url("localhost", "tls_cert_user", ""),
            Connects,
        )
        .args(json!({
            "ssl_cert": client_crt,
            "ssl_key": certs.path("client_enc.key"),
            "ssl_key_password": "key-pw",
        }))
        .check(Check::RetortRefuses)
        .words(&["ssl_key", "encrypted"]),
        case(
            "read_timeout=1, a statement of 2 s (init_command)",
            app("read_timeout=1&init_command=DO%20SLEEP(2)"),
            Refused,
        )
        .words(&["timed out"]),
        case(
            "read_timeout=5, a statement of 1 s (init_command)",
            app("read_timeout=5&init_command=DO%20SLEEP(1)"),
            Connects,
        ),
        case(
            "mysqlclient ssl_mode=VERIFY_IDENTITY with the CA",
            app(""),
            Connects,
        )
        .args(json!({"ssl_mode": "VERIFY_IDENTITY", "ssl": {"ca": ca}}))
        .check(Check::RetortOnly),
        case(
            "mysqlclient ssl_mode=VERIFY_CA with another CA",
            app(""),
            Refused,
        )
        .args(json!({"ssl_mode": "VERIFY_CA", "ssl": {"ca": other_ca}}))
        .check(Check::RetortOnly),
        case(
            "mysqlclient ssl_mode=DISABLED",
            app("ssl_mode=DISABLED"),
            Refused,
        )
        .check(Check::RetortOnly),
    ];
    for c in &cases {
        bench.run(c);
    }

    my.install_server_cert(&certs, "other");
    for c in [
        case(
            "cert for db.other.example: ssl_ca refused",
            app(&format!("ssl_ca={ca}")),
            Refused,
        )
        .words(&["localhost", "host name mismatch", "db.other.example"]),
        case(
            "cert for db.other.example: ssl_check_hostname=false",
            app(&format!("ssl_ca={ca}&ssl_check_hostname=false")),
            Connects,
        ),
    ] {
        bench.run(&c);
    }
    my.install_server_cert(&certs, "server");
    bench.finish("MariaDB TLS cases");

    // Migrations through TLS, PyMySQL with the same ssl options.
    if gate("TLS migrate parity on MariaDB") {
        let twin = |db: &str| {
            format!(
                "mysql+pymysql://app:{PASSWORD}@localhost:{}/{db}?ssl_ca={ca}&charset=utf8mb4",
                my.port
            )
        };
        let twins = dbsupport::Twins::given(
            [twin("tls_a"), twin("tls_r")],
            ["tls_a".to_string(), "tls_r".to_string()],
            vec![PASSWORD.to_string()],
        );
        let project = MigProject::fixture("core_ops", &twins);
        Parity::new(
            "fixture core_ops through TLS (ssl_ca)".to_string(),
            Kind::Mariadb,
            &twins,
            project,
            alembic,
        )
        .run();
    }
    eprintln!("MariaDB TLS: done in {:.1?}", started.elapsed());
}
