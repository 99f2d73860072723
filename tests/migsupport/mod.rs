//! Harness for `tests/migrate_parity.rs`: fixture projects copied per run,
//! the steps to walk, running both tools, snapshots of both twins through
//! `tests/support/snapshot.py`, and the first difference between two
//! snapshots, worded for a human.
//!
//! The scratch databases, the tools' paths and the Alembic fork server come
//! from `tests/dbsupport` (included read-only by the suite).

// Each suite that includes this module uses a part of it.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::dbsupport::{self, Alembic, Kind, Outcome, Twins};

// ------------------------------------------------------------------ gate

/// Set to 0 to turn the suite off.
pub const GATE: &str = "RETORT_MIGRATE_PARITY";

/// Whether the suite runs; if not, prints a banner and passes (also on CI:
/// this gate is deliberate, unlike a missing server).
pub fn gate(test: &str) -> bool {
    if std::env::var(GATE).as_deref() != Ok("0") {
        return true;
    }
    let bar = "!".repeat(78);
    let _ = writeln!(
        std::io::stderr(),
        "\n{bar}\n!!! SKIPPED {test}: migration parity is turned off \
         ({GATE}=0)\n!!! this test passes WITHOUT checking it\n{bar}\n"
    );
    false
}

fn show() -> bool {
    std::env::var("RETORT_MIGRATE_SHOW").as_deref() == Ok("1")
}

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// -------------------------------------------------------------- projects

/// Copies `src` into `dst` recursively, leaving out bytecode, SQLite files
/// and `.env` (so a developer's local state never leaks into a run).
fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for entry in std::fs::read_dir(src).unwrap_or_else(|e| panic!("{}: {e}", src.display())) {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        let name_s = name.to_string_lossy();
        if name_s == "__pycache__" || name_s == ".env" || name_s.ends_with(".db") {
            continue;
        }
        let ty = entry.file_type().expect("file type");
        if ty.is_dir() {
            copy_tree(&entry.path(), &dst.join(&name));
        } else if ty.is_file() {
            std::fs::copy(entry.path(), dst.join(&name)).expect("copy");
        }
    }
}

/// `ini` with its `sqlalchemy.url = ` line pointing at `url`.
fn with_url(ini: &str, url: &str) -> String {
    let mut out = String::new();
    let mut found = false;
    for line in ini.lines() {
        if line.starts_with("sqlalchemy.url = ") {
            found = true;
            // ConfigParser interpolation: a literal % is written %%.
            let _ = writeln!(out, "sqlalchemy.url = {}", url.replace('%', "%%"));
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
    assert!(
        found,
        "no `sqlalchemy.url = ` line in the fixture's alembic.ini"
    );
    out
}

/// One run's copy of a project, and how each tool is pointed at its twin.
pub struct MigProject {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
    /// Ini (and extra environment) for Alembic's twin and retort's twin.
    pub alembic_ini: PathBuf,
    pub retort_ini: PathBuf,
    pub alembic_env: Vec<(String, String)>,
    pub retort_env: Vec<(String, String)>,
    /// Explicit steps (`steps` file of the fixture), if any.
    pub steps: Option<Vec<Step>>,
    /// The steps that end the walk: `upgrade head` and `downgrade base`
    /// ([`MigProject::default_tail`]) unless a project says otherwise.
    pub tail: Vec<Step>,
}

impl MigProject {
    /// A fixture of `tests/fixtures/migrate/`: its `alembic.ini` rewritten
    /// into `alembic.ini` / `retort.ini`, one URL each.
    pub fn fixture(name: &str, twins: &Twins) -> MigProject {
        let src = manifest().join("tests/fixtures/migrate").join(name);
        MigProject::assembled(&[(src, PathBuf::new())], twins)
    }

    /// A project assembled from trees copied into one temporary directory,
    /// each `(source, destination relative to the project)`, later trees
    /// over earlier ones.  The first holds `alembic.ini` (rewritten into
    /// `alembic.ini` / `retort.ini`, one URL each) and perhaps `steps`.
    pub fn assembled(trees: &[(PathBuf, PathBuf)], twins: &Twins) -> MigProject {
        let src = &trees.first().expect("at least one tree").0;
        let tmp = tempfile::tempdir().expect("tempdir");
        // Symlink-free, so both tools see the same paths.
        let dir = std::fs::canonicalize(tmp.path()).expect("canonicalize");
        for (from, to) in trees {
            copy_tree(from, &dir.join(to));
        }
        let ini = std::fs::read_to_string(src.join("alembic.ini")).expect("read alembic.ini");
        let alembic_ini = dir.join("alembic.ini");
        let retort_ini = dir.join("retort.ini");
        // A `drivers` file pins the driver a dialect's URLs name (one
        // `dialect+driver` a line), where the fixture tests one driver's ways.
        let drivers = std::fs::read_to_string(src.join("drivers")).unwrap_or_default();
        let pinned = |url: &str| {
            drivers
                .lines()
                .map(str::trim)
                .filter_map(|line| line.split_once('+').map(|(dialect, _)| (dialect, line)))
                .find_map(|(dialect, scheme)| {
                    url.strip_prefix(&format!("{dialect}://"))
                        .map(|rest| format!("{scheme}://{rest}"))
                })
                .unwrap_or_else(|| url.to_string())
        };
        std::fs::write(&alembic_ini, with_url(&ini, &pinned(&twins.alembic_url)))
            .expect("write ini");
        std::fs::write(&retort_ini, with_url(&ini, &pinned(&twins.retort_url))).expect("write ini");
        let steps = std::fs::read_to_string(src.join("steps"))
            .ok()
            .map(|text| parse_steps(&text));
        MigProject {
            _tmp: tmp,
            dir,
            alembic_ini,
            retort_ini,
            alembic_env: Vec::new(),
            retort_env: Vec::new(),
            steps,
            tail: MigProject::default_tail(),
        }
    }

    /// A project the caller made in `tmp` (at `dir`, its canonical path):
    /// one ini per tool, no extra environment, no explicit steps.
    pub fn made(
        tmp: tempfile::TempDir,
        dir: PathBuf,
        alembic_ini: PathBuf,
        retort_ini: PathBuf,
    ) -> MigProject {
        MigProject {
            _tmp: tmp,
            dir,
            alembic_ini,
            retort_ini,
            alembic_env: Vec::new(),
            retort_env: Vec::new(),
            steps: None,
            tail: MigProject::default_tail(),
        }
    }

    /// `upgrade head` and `downgrade base`, each expected to succeed.
    pub fn default_tail() -> Vec<Step> {
        vec![
            Step::new("upgrade head", Expect::Success),
            Step::new("downgrade base", Expect::Success),
        ]
    }

    /// `examples/homegpu/backend`, whose env.py takes the URL from the
    /// `DATABASE_URL` environment variable (app/config.py): one copy, one
    /// ini, a different `DATABASE_URL` for each tool.
    pub fn homegpu(twins: &Twins) -> MigProject {
        let src = manifest().join("examples/homegpu/backend");
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = std::fs::canonicalize(tmp.path()).expect("canonicalize");
        copy_tree(&src, &dir);
        let ini = dir.join("alembic.ini");
        MigProject {
            _tmp: tmp,
            dir,
            alembic_ini: ini.clone(),
            retort_ini: ini,
            alembic_env: vec![("DATABASE_URL".to_string(), twins.alembic_url.clone())],
            retort_env: vec![("DATABASE_URL".to_string(), twins.retort_url.clone())],
            steps: None,
            tail: MigProject::default_tail(),
        }
    }
}

// ----------------------------------------------------------------- steps

/// What real Alembic must do with a step (a check on the fixture itself).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Expect {
    Success,
    Failure,
    /// Either (walking one step past the end).
    Any,
}

#[derive(Clone, Debug)]
pub struct Step {
    pub args: Vec<String>,
    pub expect: Expect,
}

impl Step {
    pub fn new(cmd: &str, expect: Expect) -> Step {
        Step {
            args: cmd.split_whitespace().map(str::to_string).collect(),
            expect,
        }
    }

    pub fn command(&self) -> String {
        self.args.join(" ")
    }
}

/// A `steps` file: one command a line, `#` comments, `!` in front of a
/// command Alembic refuses, `?` in front of one it may or may not refuse.
fn parse_steps(text: &str) -> Vec<Step> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            if let Some(rest) = l.strip_prefix('!') {
                Step::new(rest.trim(), Expect::Failure)
            } else if let Some(rest) = l.strip_prefix('?') {
                Step::new(rest.trim(), Expect::Any)
            } else {
                Step::new(l, Expect::Success)
            }
        })
        .collect()
}

// ----------------------------------------------------------------- tools

const TIMEOUT: Duration = Duration::from_secs(120);

/// Runs `<program> -c <ini> <args>` in `cwd` with extra environment.
fn run_process(
    program: &Path,
    cwd: &Path,
    ini: &Path,
    args: &[String],
    env: &[(String, String)],
) -> Outcome {
    dbsupport::run_tool_with(program, cwd, ini, args, env, TIMEOUT)
}

/// Both tools, each pointed at its own twin.
pub struct Tools {
    alembic: Alembic,
    retort: PathBuf,
    /// When `RETORT_BIN` is an `alembic` script (validating the harness),
    /// a fork server of its own, so the validation runs as fast as it can.
    retort_as_alembic: Option<Alembic>,
    /// The virtualenv Alembic is installed in, activated for retort (as a
    /// user would run it), so both import the same SQLAlchemy and drivers.
    venv: Option<PathBuf>,
}

impl Tools {
    pub fn new(alembic: PathBuf) -> Tools {
        let retort = dbsupport::retort_bin();
        let retort_as_alembic = retort
            .file_name()
            .is_some_and(|n| n == "alembic")
            .then(|| Alembic::new(retort.clone()));
        // retort runs scripts in the SQLAlchemy-only virtualenv: no driver.
        let venv = Some(dbsupport::host_venv()).filter(|root| root.join("pyvenv.cfg").is_file());
        Tools {
            alembic: Alembic::new(alembic),
            retort,
            retort_as_alembic,
            venv,
        }
    }

    /// Run retort's scripts in `venv` instead of the SQLAlchemy-only one.
    pub fn set_host_venv(&mut self, venv: PathBuf) {
        self.venv = Some(venv);
    }

    pub fn run_alembic(&mut self, p: &MigProject, args: &[String]) -> Outcome {
        if p.alembic_env.is_empty() {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            self.alembic.run(&p.dir, &p.alembic_ini, &args)
        } else {
            // The fork server's children inherit its environment.
            run_process(
                &self.alembic.bin,
                &p.dir,
                &p.alembic_ini,
                args,
                &p.alembic_env,
            )
        }
    }

    pub fn run_retort(&mut self, p: &MigProject, args: &[String]) -> Outcome {
        match self.retort_as_alembic.as_mut() {
            Some(server) if p.retort_env.is_empty() => {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                server.run(&p.dir, &p.retort_ini, &args)
            }
            _ => {
                let mut env = p.retort_env.clone();
                if let Some(venv) = &self.venv {
                    env.push(("VIRTUAL_ENV".to_string(), venv.display().to_string()));
                }
                run_process(&self.retort, &p.dir, &p.retort_ini, args, &env)
            }
        }
    }
}

/// The lines of Alembic's logging (`%(levelname)-5.5s [%(name)s] ...`).
pub fn log_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            ["INFO  [", "WARNI [", "ERROR [", "CRITI [", "DEBUG ["]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .collect()
}

// -------------------------------------------------------------- snapshot

/// One long-lived `snapshot.py`, answering a URL per line.
pub struct Snapshotter {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Drop for Snapshotter {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

impl Snapshotter {
    pub fn spawn(alembic: &Path) -> Snapshotter {
        let python = alembic.with_file_name("python");
        let script = manifest().join("tests/support/snapshot.py");
        let mut child = Command::new(&python)
            .arg(&script)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("PYTHONIOENCODING", "utf-8")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        Snapshotter {
            child,
            stdin,
            stdout,
        }
    }

    /// The state of the database at `url` (`{"error": ...}` if unreadable).
    pub fn take(&mut self, url: &str) -> Value {
        assert!(!url.contains('\n'));
        let stdin = self.stdin.as_mut().expect("open until drop");
        stdin
            .write_all(format!("{url}\n").as_bytes())
            .and_then(|()| stdin.flush())
            .unwrap_or_else(|e| panic!("snapshot.py: {e}"));
        let mut line = String::new();
        let n = self
            .stdout
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("snapshot.py: {e}"));
        assert!(n > 0, "snapshot.py exited (see its stderr above)");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("snapshot.py said {line:?}: {e}"))
    }
}

/// The revisions in `alembic_version`, sorted (empty if no table).
pub fn versions(snapshot: &Value) -> Vec<String> {
    let mut out: Vec<String> = snapshot
        .pointer("/tables/alembic_version/rows")
        .and_then(Value::as_array)
        .map(|rows| {
            rows.iter()
                .filter_map(|r| r.get(0).and_then(Value::as_str))
                .map(|s| s.trim_matches(|c| c == '\'' || c == '"').to_string())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn compact(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 700 {
        let cut: String = s.chars().take(700).collect();
        format!("{cut}… ({} chars)", s.len())
    } else {
        s
    }
}

fn key_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The first place where `a` (Alembic's) and `b` (retort's) differ, worded:
/// the path, both values and the container around them.  `None` if equal.
pub fn first_difference(a: &Value, b: &Value) -> Option<String> {
    fn walk(path: &str, a: &Value, b: &Value, parent: Option<(&Value, &Value)>) -> Option<String> {
        if a == b {
            return None;
        }
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    let p = key_path(path, k);
                    match (x.get(k), y.get(k)) {
                        (Some(va), Some(vb)) => {
                            if let Some(d) = walk(&p, va, vb, Some((a, b))) {
                                return Some(d);
                            }
                        }
                        (va, vb) => {
                            let f = |v: Option<&Value>| v.map_or("<absent>".to_string(), compact);
                            return Some(format!(
                                "at {p}:\n    alembic: {}\n    retort:  {}\n",
                                f(va),
                                f(vb)
                            ));
                        }
                    }
                }
                None
            }
            (Value::Array(x), Value::Array(y)) => {
                for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                    if let Some(d) = walk(&format!("{path}[{i}]"), va, vb, Some((a, b))) {
                        return Some(d);
                    }
                }
                let n = x.len().min(y.len());
                Some(format!(
                    "at {path}: {} items on alembic's side, {} on retort's; from [{n}]:\n    \
                     alembic: {}\n    retort:  {}\n",
                    x.len(),
                    y.len(),
                    compact(&Value::Array(x[n..].to_vec())),
                    compact(&Value::Array(y[n..].to_vec()))
                ))
            }
            _ => {
                let mut s = format!(
                    "at {path}:\n    alembic: {}\n    retort:  {}\n",
                    compact(a),
                    compact(b)
                );
                if let Some((pa, pb)) = parent {
                    let _ = write!(
                        s,
                        "  in:\n    alembic: {}\n    retort:  {}\n",
                        compact(pa),
                        compact(pb)
                    );
                }
                Some(s)
            }
        }
    }
    walk("", a, b, None)
}

// ------------------------------------------------------------------ walk

/// What one run of the suite compares, and where.
pub struct Parity<'a> {
    pub label: String,
    pub kind: Kind,
    pub twins: &'a Twins,
    pub project: MigProject,
    pub tools: Tools,
    pub snap: Snapshotter,
    /// Steps run so far: command, exit code, Alembic's revisions after.
    transcript: Vec<String>,
    pub started: Instant,
    /// retort's stderr in the last step (for checks beyond parity).
    pub last_retort_stderr: String,
}

const MAX_WALK: usize = 64;

impl<'a> Parity<'a> {
    pub fn new(
        label: String,
        kind: Kind,
        twins: &'a Twins,
        project: MigProject,
        alembic: PathBuf,
    ) -> Self {
        Parity {
            label,
            kind,
            twins,
            project,
            tools: Tools::new(alembic.clone()),
            snap: Snapshotter::spawn(&alembic),
            transcript: Vec::new(),
            started: Instant::now(),
            last_retort_stderr: String::new(),
        }
    }

    fn fail(&self, step: &Step, what: &str) -> ! {
        let mut msg = format!(
            "\nmigration parity FAILED: {} on {:?}, step {} `{}`\n{what}\n",
            self.label,
            self.kind,
            self.transcript.len() + 1,
            step.command()
        );
        if !self.transcript.is_empty() {
            msg.push_str("steps before (both tools agreed):\n");
            for t in &self.transcript {
                let _ = writeln!(msg, "    {t}");
            }
        }
        panic!("{msg}");
    }

    /// Runs `step` with both tools and compares everything; returns
    /// Alembic's snapshot after it.
    pub fn step(&mut self, step: &Step) -> Value {
        let a = self.tools.run_alembic(&self.project, &step.args);
        let b = self.tools.run_retort(&self.project, &step.args);
        let outputs = || {
            format!(
                "alembic (exit {:?}):\n  stdout:\n{}  stderr:\n{}retort (exit {:?}):\n  stdout:\n{}  stderr:\n{}",
                a.code,
                dbsupport::indent(&a.stdout),
                dbsupport::indent(&a.stderr),
                b.code,
                dbsupport::indent(&b.stdout),
                dbsupport::indent(&b.stderr)
            )
        };
        if let Some(e) = a.harness_error.as_ref().or(b.harness_error.as_ref()) {
            self.fail(step, &format!("harness: {e}\n{}", outputs()));
        }
        let ok = a.code == Some(0);
        let fixture_ok = match step.expect {
            Expect::Success => ok,
            Expect::Failure => !ok,
            Expect::Any => true,
        };
        if !fixture_ok {
            self.fail(
                step,
                &format!(
                    "the fixture is wrong: real Alembic was expected to {} here\n{}",
                    if step.expect == Expect::Success {
                        "succeed"
                    } else {
                        "fail"
                    },
                    outputs()
                ),
            );
        }
        if a.code != b.code {
            self.fail(step, &format!("exit codes differ\n{}", outputs()));
        }
        if a.stdout != b.stdout {
            self.fail(step, &format!("stdout differs\n{}", outputs()));
        }
        let (la, lb) = (log_lines(&a.stderr), log_lines(&b.stderr));
        if la != lb {
            let n = la.iter().zip(&lb).take_while(|(x, y)| x == y).count();
            self.fail(
                step,
                &format!(
                    "log lines on stderr differ from line {}:\n    alembic: {:?}\n    retort:  {:?}\n{}",
                    n + 1,
                    la.get(n),
                    lb.get(n),
                    outputs()
                ),
            );
        }
        for secret in &self.twins.secrets {
            if b.stdout.contains(secret.as_str()) || b.stderr.contains(secret.as_str()) {
                self.fail(
                    step,
                    &format!("retort printed the password ({secret:?})\n{}", outputs()),
                );
            }
        }
        let sa = self.snap.take(&self.twins.alembic_url);
        let sb = self.snap.take(&self.twins.retort_url);
        if let Some(e) = sa.get("error") {
            self.fail(step, &format!("cannot snapshot Alembic's database: {e}"));
        }
        if let Some(diff) = first_difference(&sa, &sb) {
            self.fail(
                step,
                &format!(
                    "the databases differ after it (alembic_version: alembic {:?}, retort {:?})\n{diff}",
                    versions(&sa),
                    versions(&sb)
                ),
            );
        }
        let line = format!(
            "{:<36} exit {:?}, now at {:?}",
            step.command(),
            a.code.unwrap_or(-1),
            versions(&sa)
        );
        if show() {
            eprintln!("[{} {:?}] {line}", self.label, self.kind);
        }
        self.transcript.push(line);
        self.last_retort_stderr = b.stderr;
        sa
    }

    /// Alembic's heads (checked against retort's `heads` too).
    fn heads(&mut self) -> Vec<String> {
        let step = Step::new("heads", Expect::Success);
        // `heads` touches no database: only output is compared.
        let a = self.tools.run_alembic(&self.project, &step.args);
        let b = self.tools.run_retort(&self.project, &step.args);
        if a.code != Some(0) || a.code != b.code || a.stdout != b.stdout {
            self.fail(
                &step,
                &format!(
                    "`heads` differs or fails:\n  alembic (exit {:?}):\n{}  retort (exit {:?}):\n{}",
                    a.code,
                    dbsupport::indent(&a.stdout),
                    b.code,
                    dbsupport::indent(&b.stdout)
                ),
            );
        }
        let mut heads: Vec<String> = a
            .stdout
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_string)
            .collect();
        heads.sort();
        heads
    }

    /// The whole walk: the fixture's steps, or `upgrade +1` to the heads and
    /// `downgrade -1` to base (each one step further too, which Alembic
    /// refuses with exit 255); then the project's tail (by default `upgrade
    /// head` and `downgrade base` in one go each).
    pub fn run(mut self) {
        // The empty databases first: the snapshot itself must agree.
        let sa = self.snap.take(&self.twins.alembic_url);
        let sb = self.snap.take(&self.twins.retort_url);
        if let Some(d) = first_difference(&sa, &sb) {
            panic!(
                "{}: the fresh twins differ before any step:\n{d}",
                self.label
            );
        }
        match self.project.steps.clone() {
            Some(steps) => {
                for s in &steps {
                    self.step(s);
                }
            }
            None => {
                let heads = self.heads();
                let mut reached = false;
                for _ in 0..MAX_WALK {
                    let s = self.step(&Step::new("upgrade +1", Expect::Success));
                    if versions(&s) == heads {
                        reached = true;
                        break;
                    }
                }
                assert!(
                    reached,
                    "{}: `upgrade +1` never reached {heads:?}",
                    self.label
                );
                self.step(&Step::new("upgrade +1", Expect::Failure));
                let mut based = false;
                for _ in 0..MAX_WALK {
                    let s = self.step(&Step::new("downgrade -1", Expect::Success));
                    if versions(&s).is_empty() {
                        based = true;
                        break;
                    }
                }
                assert!(based, "{}: `downgrade -1` never reached base", self.label);
                self.step(&Step::new("downgrade -1", Expect::Failure));
            }
        }
        for s in &self.project.tail.clone() {
            self.step(s);
        }
        eprintln!(
            "{} on {:?}: {} steps agreed in {:.1?}",
            self.label,
            self.kind,
            self.transcript.len(),
            self.started.elapsed()
        );
    }
}
