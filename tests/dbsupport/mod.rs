//! Harness for `tests/db_commands.rs`: twin scratch databases (dropped on
//! drop, also when the test panics), Alembic projects made by real
//! `alembic init`, running either tool, and the canonical form of their
//! output.

// Each suite that includes this module uses a part of it.
#![allow(dead_code)]

#[path = "../normalise/mod.rs"]
mod normalise;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use retort::db::{Db, DbUrl, VersionTable};

// ---------------------------------------------------------------- skipping

pub fn on_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// Fail on CI, otherwise print a banner that can't be missed (written to the
/// process's stderr directly, so libtest's capture does not hide it).
pub fn skip(what: &str) {
    if on_ci() {
        panic!("cannot run on CI: {what}");
    }
    let bar = "!".repeat(78);
    let _ = writeln!(
        std::io::stderr(),
        "\n{bar}\n!!! SKIPPED: {what}\n!!! this test passes WITHOUT checking it\n{bar}\n"
    );
}

// ------------------------------------------------------------------ tools

pub fn alembic_bin() -> Option<PathBuf> {
    let path = std::env::var_os("RETORT_ALEMBIC").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/alembic"),
        PathBuf::from,
    );
    if path.is_file() {
        Some(path)
    } else {
        skip(&format!(
            "comparison with real Alembic: {} not found (set RETORT_ALEMBIC)",
            path.display()
        ));
        None
    }
}

/// The binary under test: `RETORT_BIN`, else the crate's `retort`.  Pointing
/// `RETORT_BIN` at `alembic` itself validates the harness (every comparison
/// must then pass, whatever order Alembic prints sets in).
pub fn retort_bin() -> PathBuf {
    std::env::var_os("RETORT_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_retort")),
        PathBuf::from,
    )
}

/// The virtualenv retort runs Python in for the tests: SQLAlchemy only
/// (`scripts/dev-env.sh` makes it), so no Python driver can be used.
pub fn host_venv() -> PathBuf {
    std::env::var_os("RETORT_HOST_VENV").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv-sa"),
        PathBuf::from,
    )
}

/// The SQLAlchemy release line of the host virtualenv, as the offline
/// goldens' directories name it (`sa14`, `sa20`, `sa21`).
pub fn host_sqlalchemy_line() -> String {
    let python = host_venv().join("bin/python");
    let out = Command::new(&python)
        .args([
            "-c",
            "import sqlalchemy; print('sa' + ''.join(sqlalchemy.__version__.split('.')[:2]))",
        ])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    assert!(
        out.status.success(),
        "{} cannot import sqlalchemy: {}",
        python.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Whether Alembic's interpreter can import `module` (a DB driver).
pub fn driver_available(alembic: &Path, module: &str) -> bool {
    let python = alembic.with_file_name("python");
    let ok = Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        skip(&format!(
            "comparison with real Alembic: {} cannot import {module} \
             (pip install psycopg2-binary pymysql into that virtualenv)",
            python.display()
        ));
    }
    ok
}

/// What one process did.
pub struct Outcome {
    /// Exit code; `None` if killed by a signal or timed out.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub harness_error: Option<String>,
}

impl Outcome {
    /// Everything about the run, for an assertion message.
    pub fn describe(&self) -> String {
        format!(
            "exit {:?}\n--- stdout\n{}--- stderr\n{}{}",
            self.code,
            self.stdout,
            self.stderr,
            self.harness_error.as_deref().unwrap_or("")
        )
    }
}

const TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `<program> -c <ini> <args>` in `cwd`, in the environment the parity
/// tests use (no `ALEMBIC_CONFIG`, unpinned hash seed, no bytecode files).
pub fn run_tool(program: &Path, cwd: &Path, ini: &Path, args: &[&str]) -> Outcome {
    run_tool_with(program, cwd, ini, args, &[], TIMEOUT)
}

/// [`run_tool`] with extra environment variables (set last, so they win)
/// and a time limit.
pub fn run_tool_with<A: AsRef<std::ffi::OsStr>>(
    program: &Path,
    cwd: &Path,
    ini: &Path,
    args: &[A],
    env: &[(String, String)],
    timeout: Duration,
) -> Outcome {
    let mut cmd = Command::new(program);
    cmd.arg("-c")
        .arg(ini)
        .args(args)
        .current_dir(cwd)
        .env_remove("ALEMBIC_CONFIG")
        .env_remove("PYTHONHASHSEED")
        .env_remove("DATABASE_URL")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONIOENCODING", "utf-8")
        // retort runs scripts in a virtualenv without any database driver.
        .env("VIRTUAL_ENV", host_venv())
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Outcome {
                code: None,
                stdout: String::new(),
                stderr: String::new(),
                harness_error: Some(format!("cannot start {}: {e}", program.display())),
            }
        }
    };
    let drain = |r: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(2)),
            Err(e) => panic!("waiting for {}: {e}", program.display()),
        }
    };
    Outcome {
        code: status.and_then(|s| s.code()),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        harness_error: status
            .is_none()
            .then(|| format!("{} timed out after {timeout:?}", program.display())),
    }
}

// ------------------------------------------------------------ fork server

/// Runs Alembic through a small Python fork server: it imports Alembic,
/// SQLAlchemy and the drivers once, then forks one child per invocation that
/// sets up fds, cwd and `sys.argv` like the `alembic` console script and
/// runs `alembic.config.main()`.  Each invocation is still a fresh process
/// with its own exit status, without paying ~0.3 s of imports each time.
/// `RETORT_ALEMBIC_MODE=process` starts `alembic` afresh instead.
const FORK_SERVER_PY: &str = r#"
import os, re, sys, tempfile, time
script = os.path.abspath(sys.argv[1])
sys.path[0] = os.path.dirname(script)
req = os.fdopen(os.dup(0), "rb")
resp_fd = os.dup(1)
null = os.open(os.devnull, os.O_RDWR)
os.dup2(null, 0)
os.dup2(null, 1)
import logging.config
import alembic.config, alembic.command
import sqlalchemy
for mod in ("sqlite3", "psycopg2", "pymysql", "sqlalchemy.dialects.sqlite.pysqlite",
            "sqlalchemy.dialects.postgresql.psycopg2", "sqlalchemy.dialects.mysql.pymysql"):
    try:
        __import__(mod)
    except ImportError:
        pass

def write_all(data):
    while data:
        data = data[os.write(resp_fd, data):]

def child(cwd, argv, out_fd, err_fd):
    code = 1
    try:
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        req.close()
        os.close(resp_fd)
        os.chdir(cwd)
        sys.argv = [re.sub(r"(-script\.pyw|\.exe)?$", "", script)] + argv
        try:
            sys.exit(alembic.config.main())
        except SystemExit as e:
            if e.code is None:
                code = 0
            elif isinstance(e.code, int):
                code = e.code & 0xFF
            else:
                sys.stderr.write(str(e.code) + "\n")
                code = 1
        except BaseException:
            sys.excepthook(*sys.exc_info())
            code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
        os._exit(code)

write_all(b"ready\n")
while True:
    line = req.readline()
    if not line:
        break
    fields = [req.readline()[:-1].decode() for _ in range(int(line))]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:
            child(fields[0], fields[1:], out.fileno(), err.fileno())
        deadline = time.monotonic() + 60
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                deadline = float("inf")
            time.sleep(0.002)
        out.seek(0)
        err.seek(0)
        o, e = out.read(), err.read()
    write_all(b"%d %d %d\n" % (os.waitstatus_to_exitcode(status), len(o), len(e)) + o + e)
"#;

/// Runs Alembic, through the fork server unless it could not start.
pub struct Alembic {
    pub bin: PathBuf,
    server: Option<ForkServer>,
}

struct ForkServer {
    child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Drop for ForkServer {
    fn drop(&mut self) {
        // EOF on its stdin ends the server's loop.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

impl Alembic {
    pub fn new(bin: PathBuf) -> Alembic {
        let server = if std::env::var("RETORT_ALEMBIC_MODE").as_deref() == Ok("process") {
            None
        } else {
            match ForkServer::spawn(&bin) {
                Ok(s) => Some(s),
                Err(e) => {
                    eprintln!("cannot use the Alembic fork server ({e}); one process per run");
                    None
                }
            }
        };
        Alembic { bin, server }
    }

    pub fn run(&mut self, cwd: &Path, ini: &Path, args: &[&str]) -> Outcome {
        let Some(server) = self.server.as_mut() else {
            return run_tool(&self.bin, cwd, ini, args);
        };
        let mut fields = vec![
            cwd.to_str().expect("utf-8 path").to_string(),
            "-c".to_string(),
            ini.to_str().expect("utf-8 path").to_string(),
        ];
        fields.extend(args.iter().map(|a| (*a).to_string()));
        assert!(fields.iter().all(|f| !f.contains('\n')));
        match server.run(&fields) {
            Ok(o) => o,
            Err(e) => {
                self.server = None;
                Outcome {
                    code: None,
                    stdout: String::new(),
                    stderr: String::new(),
                    harness_error: Some(format!("fork server failed: {e}")),
                }
            }
        }
    }
}

impl ForkServer {
    fn spawn(alembic: &Path) -> std::io::Result<ForkServer> {
        let mut child = Command::new(alembic.with_file_name("python"))
            .arg("-c")
            .arg(FORK_SERVER_PY)
            .arg(alembic)
            .env_remove("ALEMBIC_CONFIG")
            .env_remove("PYTHONHASHSEED")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("PYTHONIOENCODING", "utf-8")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdin = child.stdin.take().expect("piped");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        if line != "ready\n" {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other(format!("said {line:?}")));
        }
        Ok(ForkServer {
            child,
            stdin: Some(stdin),
            stdout,
        })
    }

    fn run(&mut self, fields: &[String]) -> std::io::Result<Outcome> {
        let mut req = format!("{}\n", fields.len());
        for f in fields {
            req.push_str(f);
            req.push('\n');
        }
        let stdin = self.stdin.as_mut().expect("open until drop");
        stdin.write_all(req.as_bytes())?;
        stdin.flush()?;
        let mut header = String::new();
        self.stdout.read_line(&mut header)?;
        let nums: Vec<i64> = header
            .split_whitespace()
            .map(|n| n.parse().map_err(std::io::Error::other))
            .collect::<Result<_, _>>()?;
        let [code, out_len, err_len] = nums[..] else {
            return Err(std::io::Error::other(format!("bad reply {header:?}")));
        };
        let mut read = |n: i64| -> std::io::Result<String> {
            let mut buf = vec![0; usize::try_from(n).map_err(std::io::Error::other)?];
            self.stdout.read_exact(&mut buf)?;
            Ok(String::from_utf8_lossy(&buf).into_owned())
        };
        let stdout = read(out_len)?;
        let stderr = read(err_len)?;
        Ok(Outcome {
            code: i32::try_from(code).ok().filter(|c| *c >= 0),
            stdout,
            stderr,
            // Negative: killed by a signal (the server kills after 60 s).
            harness_error: (code < 0).then(|| format!("alembic killed by signal {}", -code)),
        })
    }
}

// --------------------------------------------------------------- projects

/// A directory holding what real `alembic init mig` wrote: `alembic.ini` and
/// `mig/` (with Alembic's stock env.py).
pub struct Template {
    dir: tempfile::TempDir,
}

pub fn init_template(alembic: &Path) -> Template {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(alembic);
    cmd.args(["init", "mig"])
        .current_dir(dir.path())
        .env_remove("ALEMBIC_CONFIG")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null());
    let out = cmd.output().expect("run alembic init");
    assert!(
        out.status.success(),
        "alembic init failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Template { dir }
}

/// A project for one scenario: the template's files, the fixture's
/// `versions/*.py`, and two ini files differing only in `sqlalchemy.url`.
pub struct Project {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
    pub alembic_ini: PathBuf,
    pub retort_ini: PathBuf,
}

impl Project {
    pub fn new(template: &Template, fixture: &str, twins: &Twins) -> Project {
        let tmp = tempfile::tempdir().expect("tempdir");
        // Symlink-free, so both tools print the same `Path:`.
        let dir = std::fs::canonicalize(tmp.path()).expect("canonicalize");
        let src = template.dir.path();
        let mig = dir.join("mig");
        std::fs::create_dir_all(mig.join("versions")).expect("mkdir");
        for entry in std::fs::read_dir(src.join("mig")).expect("read template") {
            let entry = entry.expect("entry");
            if entry.file_type().expect("file type").is_file() {
                std::fs::copy(entry.path(), mig.join(entry.file_name())).expect("copy");
            }
        }
        let versions = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/projects")
            .join(fixture)
            .join("versions");
        let mut copied = 0;
        for entry in std::fs::read_dir(&versions)
            .unwrap_or_else(|e| panic!("fixture {}: {e}", versions.display()))
        {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "py") {
                std::fs::copy(&path, mig.join("versions").join(path.file_name().unwrap()))
                    .expect("copy");
                copied += 1;
            }
        }
        assert!(copied > 0, "no scripts in {}", versions.display());

        let ini = std::fs::read_to_string(src.join("alembic.ini")).expect("read alembic.ini");
        assert!(
            ini.lines().any(|l| l.starts_with("sqlalchemy.url = ")),
            "alembic init wrote no sqlalchemy.url line:\n{ini}"
        );
        let with_url = |url: &str| {
            let mut out = String::new();
            for line in ini.lines() {
                if line.starts_with("sqlalchemy.url = ") {
                    // ConfigParser interpolation: a literal % is written %%.
                    let _ = writeln!(out, "sqlalchemy.url = {}", url.replace('%', "%%"));
                } else {
                    let _ = writeln!(out, "{line}");
                }
            }
            out
        };
        let alembic_ini = dir.join("alembic.ini");
        let retort_ini = dir.join("retort.ini");
        std::fs::write(&alembic_ini, with_url(&twins.alembic_url)).expect("write ini");
        std::fs::write(&retort_ini, with_url(&twins.retort_url)).expect("write ini");
        Project {
            _tmp: tmp,
            dir,
            alembic_ini,
            retort_ini,
        }
    }
}

// -------------------------------------------------------------- databases

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Sqlite,
    Postgres,
    Mariadb,
}

/// A password with characters that need URL encoding; it must never show
/// up in retort's output, in either form.
const PASSWORD: &str = "S3cret-p@ss:w0rd";

fn parse(s: &str) -> DbUrl {
    DbUrl::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn unique(tag: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "retort_t_{tag}_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

pub fn admin_url(kind: Kind) -> String {
    let (var, default) = match kind {
        Kind::Postgres => (
            "RETORT_TEST_PG_URL",
            "postgresql://postgres@127.0.0.1:5432/postgres",
        ),
        Kind::Mariadb => ("RETORT_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/"),
        Kind::Sqlite => unreachable!("no server"),
    };
    std::env::var(var).unwrap_or_else(|_| default.to_string())
}

/// Server-side scratch objects, removed on drop (also on panic).
struct ServerGuard {
    kind: Kind,
    databases: Vec<String>,
    user: Option<String>,
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let mut admin = match Db::connect(&parse(&admin_url(self.kind))) {
            Ok(db) => db,
            Err(e) => {
                eprintln!("could not clean up {:?}: {e}", self.databases);
                return;
            }
        };
        for name in &self.databases {
            let sql = match self.kind {
                Kind::Postgres => format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                _ => format!("DROP DATABASE IF EXISTS {name}"),
            };
            if let Err(e) = admin.execute(&sql) {
                eprintln!("could not drop scratch database {name}: {e}");
            }
        }
        if let Some(user) = &self.user {
            if let Err(e) = admin.execute(&format!("DROP USER IF EXISTS '{user}'@'%'")) {
                eprintln!("could not drop scratch user {user}: {e}");
            }
        }
    }
}

/// Two scratch databases of one dialect: one for Alembic, one for retort.
pub struct Twins {
    /// `sqlalchemy.url` of each tool's ini.
    pub alembic_url: String,
    pub retort_url: String,
    /// The database (or SQLite file) name in each URL: the only difference
    /// between the two, which `current -v` prints.
    pub alembic_db: String,
    pub retort_db: String,
    /// Strings retort must never print.
    pub secrets: Vec<String>,
    _guard: Option<ServerGuard>,
    _dir: Option<tempfile::TempDir>,
}

impl Twins {
    /// Creates the twins, or skips (fails on CI) when the server or the
    /// Python driver is missing.
    pub fn create(kind: Kind, alembic: &Path) -> Option<Twins> {
        let module = match kind {
            Kind::Sqlite => "sqlite3",
            Kind::Postgres => "psycopg2",
            Kind::Mariadb => "pymysql",
        };
        if !driver_available(alembic, module) {
            return None;
        }
        if kind == Kind::Sqlite {
            let dir = tempfile::tempdir().expect("tempdir");
            let root = std::fs::canonicalize(dir.path()).expect("canonicalize");
            let url = |f: &str| format!("sqlite:///{}", root.join(f).display());
            return Some(Twins {
                alembic_url: url("alembic.db"),
                retort_url: url("retort.db"),
                alembic_db: "alembic.db".to_string(),
                retort_db: "retort.db".to_string(),
                secrets: Vec::new(),
                _guard: None,
                _dir: Some(dir),
            });
        }
        let admin = parse(&admin_url(kind));
        let mut db = match Db::connect(&admin) {
            Ok(db) => db,
            Err(e) => {
                skip(&format!("{kind:?} server not reachable: {e}"));
                return None;
            }
        };
        let mut guard = ServerGuard {
            kind,
            databases: Vec::new(),
            user: None,
        };
        let names = [unique("cmd_a"), unique("cmd_r")];
        for name in &names {
            // Registered first, so a half-made pair is still dropped.
            guard.databases.push(name.clone());
            db.execute(&format!("CREATE DATABASE {name}"))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let mut base = admin.clone();
        match kind {
            Kind::Postgres => {
                // Trust authentication ignores a password, so one can be put
                // in the URL to check it is masked; an admin URL that has a
                // password of its own is used as it is.
                if base.password.is_none() {
                    base.password = Some(PASSWORD.to_string());
                }
                base.drivername = "postgresql".to_string();
                // Query parameters show (sorted, quote_plus-encoded) in the
                // `current -v` header.
                base.query = vec![
                    ("connect_timeout".to_string(), "10".to_string()),
                    ("application_name".to_string(), "retort test".to_string()),
                ];
            }
            Kind::Mariadb => {
                // A scratch user with a password, granted the twins.
                let user = unique("u");
                guard.user = Some(user.clone());
                db.execute(&format!(
                    "CREATE USER '{user}'@'%' IDENTIFIED BY '{PASSWORD}'"
                ))
                .unwrap_or_else(|e| panic!("{e}"));
                for name in &names {
                    db.execute(&format!("GRANT ALL PRIVILEGES ON {name}.* TO '{user}'@'%'"))
                        .unwrap_or_else(|e| panic!("{e}"));
                }
                base.username = Some(user);
                base.password = Some(PASSWORD.to_string());
                base.drivername = "mysql+pymysql".to_string();
                base.query = vec![("charset".to_string(), "utf8mb4".to_string())];
            }
            Kind::Sqlite => unreachable!(),
        }
        let url_for = |name: &str| {
            let mut u = base.clone();
            u.database = Some(name.to_string());
            u.render_with_password()
        };
        let password = base.password.clone().expect("password");
        let mut secrets = vec![password.clone()];
        // The URL-encoded form too, and its distinctive parts.
        let rendered = url_for(&names[0]);
        if let Some(enc) = rendered
            .split_once("://")
            .and_then(|(_, rest)| rest.split_once('@'))
            .and_then(|(userinfo, _)| userinfo.split_once(':'))
            .map(|(_, p)| p.to_string())
        {
            secrets.push(enc);
        }
        if password == PASSWORD {
            secrets.extend(["S3cret".to_string(), "w0rd".to_string()]);
        }
        Some(Twins {
            alembic_url: url_for(&names[0]),
            retort_url: url_for(&names[1]),
            alembic_db: names[0].clone(),
            retort_db: names[1].clone(),
            secrets,
            _guard: Some(guard),
            _dir: None,
        })
    }

    /// Twins on two databases the caller made on a server of its own (and
    /// removes with it): nothing is dropped here.
    pub fn given(urls: [String; 2], databases: [String; 2], secrets: Vec<String>) -> Twins {
        let [alembic_url, retort_url] = urls;
        let [alembic_db, retort_db] = databases;
        Twins {
            alembic_url,
            retort_url,
            alembic_db,
            retort_db,
            secrets,
            _guard: None,
            _dir: None,
        }
    }

    /// A connection of our own (without the Python driver name).
    fn connect(url: &str) -> Db {
        let mut u = parse(url);
        u.drivername = u.dialect.name().to_string();
        Db::connect(&u).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Whether the version table exists (`None` if not), and its rows,
    /// sorted; `Err` if it can't be read.
    fn state(url: &str) -> Result<Option<Vec<String>>, String> {
        let mut db = Self::connect(url);
        let t = VersionTable::default();
        if !t.exists(&mut db).map_err(|e| e.to_string())? {
            return Ok(None);
        }
        let mut rows = t.rows(&mut db).map_err(|e| e.to_string())?;
        rows.sort();
        Ok(Some(rows))
    }

    pub fn alembic_state(&self) -> Result<Option<Vec<String>>, String> {
        Self::state(&self.alembic_url)
    }

    pub fn retort_state(&self) -> Result<Option<Vec<String>>, String> {
        Self::state(&self.retort_url)
    }

    /// Runs `sql` on both twins; the errors, naming the twin.
    pub fn execute_both(&self, sql: &str) -> Vec<String> {
        [("alembic", &self.alembic_url), ("retort", &self.retort_url)]
            .into_iter()
            .filter_map(|(who, url)| {
                Self::connect(url)
                    .execute(sql)
                    .err()
                    .map(|e| format!("{sql} on {who}'s database: {e}"))
            })
            .collect()
    }

    /// Back to an empty database (no version table) on both twins.
    pub fn reset(&self) {
        let errors = self.execute_both("DROP TABLE IF EXISTS alembic_version");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(self.alembic_state(), Ok(None));
        assert_eq!(self.retort_state(), Ok(None));
    }
}

// ----------------------------------------------------------------- output

/// Sorts the items of a `Branches into: ` / `Branch names: ` line (Alembic
/// takes them from a set).
fn canonical_line(line: &str) -> String {
    normalise::normalise_line(line)
}

/// Output with the parts Alembic prints in set order put in a canonical
/// order.  `current` shows one revision per line in arbitrary order, so
/// lines are sorted; `current -v` shows a header and then one long entry
/// ("Rev: …" up to the next one) per revision, so the entries are sorted
/// as blocks, each with its set-ordered lines sorted.
pub fn canonical(text: &str) -> String {
    let lines: Vec<String> = text.lines().map(canonical_line).collect();
    let Some(first) = lines.iter().position(|l| l.starts_with("Rev: ")) else {
        let mut sorted = lines;
        sorted.sort();
        return sorted.join("\n");
    };
    let mut blocks: Vec<String> = Vec::new();
    for line in &lines[first..] {
        if line.starts_with("Rev: ") || blocks.is_empty() {
            blocks.push(String::new());
        }
        let block = blocks.last_mut().expect("block");
        block.push_str(line);
        block.push('\n');
    }
    blocks.sort();
    let mut out = lines[..first].join("\n");
    out.push_str("\n<entries in canonical order>\n");
    for b in blocks {
        out.push_str(&b);
        out.push_str("<end of entry>\n");
    }
    out
}

pub fn indent(s: &str) -> String {
    let mut out = String::new();
    for line in s.lines() {
        let _ = writeln!(out, "    | {line}");
    }
    out
}
