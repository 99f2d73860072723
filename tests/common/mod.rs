//! Parity harness: runs real Alembic and retort side by side on the same
//! fixture project, with the same arguments, and compares what they print.
//!
//! Expected output is never written down anywhere: it is whatever the
//! installed Alembic prints at test time.
//!
//! Environment knobs:
//!
//! * `RETORT_ALEMBIC` - path of the `alembic` console script to compare
//!   against (default `<crate>/.venv/bin/alembic`).  If it is missing the
//!   tests are skipped with a loud message, unless `CI=true`, where they fail.
//! * `RETORT_BIN` - the binary under test (default: the crate's `retort`).
//!   Pointing it at `alembic` itself is how the harness is validated.
//! * `RETORT_ALEMBIC_MODE` - `fork` (default) runs Alembic through a small
//!   Python fork server that imports Alembic once and forks one child per
//!   invocation, so each invocation is still a fresh process with its own
//!   stdin/stdout/stderr, cwd and exit status, but without paying ~0.3s of
//!   import time each.  `process` starts `alembic` afresh every time.
//! * `RETORT_PARITY_JOBS` - how many invocations run at once (default 2-4,
//!   from the number of CPUs).
//! * `RETORT_PARITY_SHOW=1` - print every Alembic outcome to stderr.
//! * `RETORT_PARITY_SELFTEST=1` - for validating the harness with
//!   `RETORT_BIN=<alembic>`: skips the checks on the wording of retort's own
//!   error messages (see [`check_fixture`]), which Alembic's tracebacks fail.
//!
//! What is compared (see [`check_fixture`]): the exit status and stdout,
//! byte for byte after [`normalise`] has put the few set-ordered parts of
//! Alembic's output into a canonical order.  Stderr is not compared (it
//! holds Python tracebacks and warnings), but retort's stderr must never
//! show a Rust panic, and where Alembic dies with a traceback or a usage
//! error retort must explain itself on stderr.

#![allow(dead_code)]

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

#[path = "../normalise/mod.rs"]
mod normalise;
pub use normalise::{normalise, sorted_lines};

/// How long one invocation may take before it is killed and reported.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Environment variables removed for both tools: they would change what
/// Alembic does (`ALEMBIC_CONFIG`) or pin Python's string hashing
/// (`PYTHONHASHSEED`, which must stay unset so set-ordered output really
/// varies between runs and the normalisation is exercised).
const ENV_REMOVED: &[&str] = &["ALEMBIC_CONFIG", "PYTHONHASHSEED"];

/// Environment variables set for both tools.  `PYTHONDONTWRITEBYTECODE`
/// keeps Alembic from leaving `__pycache__` directories in the fixtures;
/// `PYTHONIOENCODING` pins Python's stdout encoding to UTF-8 (otherwise a
/// non-UTF-8 locale makes Alembic print `?` for non-ASCII docstrings).
const ENV_SET: &[(&str, &str)] = &[
    ("PYTHONDONTWRITEBYTECODE", "1"),
    ("PYTHONIOENCODING", "utf-8"),
];

/// One invocation: arguments after the program name, extra environment,
/// and, for invocations where Alembic dies with a traceback (exit 1), the
/// strings of which retort's error message must contain at least one.
#[derive(Clone, Debug)]
pub struct Case {
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub mentions: Vec<String>,
    /// Compare stdout as a multiset of lines: for outputs whose *order*
    /// Alembic itself takes from a Python set (e.g. `history` through a
    /// revision with several `depends_on` entries).
    pub unordered: bool,
}

impl Case {
    /// Arguments split on whitespace.
    pub fn new(line: &str) -> Case {
        Case {
            args: line.split_whitespace().map(str::to_owned).collect(),
            env: Vec::new(),
            mentions: Vec::new(),
            unordered: false,
        }
    }

    /// Arguments given one by one (for empty or space-containing ones).
    pub fn argv(args: &[&str]) -> Case {
        Case {
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            env: Vec::new(),
            mentions: Vec::new(),
            unordered: false,
        }
    }

    /// Strings of which retort's stderr must contain at least one when
    /// Alembic exits with a traceback.  Without this, the fixture's default
    /// mentions apply, and failing that the revision arguments of the
    /// command (`X` of `show X`, `A`, `B` and `A:B` of `history -r A:B`).
    pub fn mention(mut self, any_of: &[&str]) -> Case {
        self.mentions = any_of.iter().map(|m| (*m).to_owned()).collect();
        self
    }

    /// See [`Case::unordered`](struct.Case.html#structfield.unordered).
    pub fn unordered(mut self) -> Case {
        self.unordered = true;
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Case {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Shell-like rendering for reports.
    pub fn display(&self) -> String {
        let mut s = String::new();
        for (k, v) in &self.env {
            let _ = write!(s, "{k}={} ", quote(v));
        }
        s.push_str("retort");
        for a in &self.args {
            s.push(' ');
            s.push_str(&quote(a));
        }
        if self.unordered {
            s.push_str("   (stdout compared as unordered lines)");
        }
        s
    }
}

/// Builds cases from whitespace-separated command lines.
pub fn cases(lines: &[&str]) -> Vec<Case> {
    lines.iter().map(|l| Case::new(l)).collect()
}

fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_@:+=./,%".contains(c));
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// What one process did.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Exit status; `None` if killed by a signal or timed out.
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Set when the harness itself could not run the tool.
    pub harness_error: Option<String>,
}

impl Outcome {
    fn failed(msg: String) -> Outcome {
        Outcome {
            code: None,
            stdout: Vec::new(),
            stderr: Vec::new(),
            harness_error: Some(msg),
        }
    }
}

// ------------------------------------------------------------------ setup

struct Tools {
    alembic: PathBuf,
    retort: PathBuf,
    forkserver: Option<ForkPool>,
    jobs: usize,
    selftest: bool,
}

static TOOLS: OnceLock<Option<Tools>> = OnceLock::new();

/// Writes straight to the process's stderr, bypassing libtest's capture,
/// so a skipped suite is visible in a normal `cargo test` run.
fn loud(msg: &str) {
    let _ = writeln!(io::stderr(), "{msg}");
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tools() -> Option<&'static Tools> {
    TOOLS
        .get_or_init(|| {
            let alembic = env::var_os("RETORT_ALEMBIC")
                .map_or_else(|| manifest_dir().join(".venv/bin/alembic"), PathBuf::from);
            if !alembic.is_file() {
                let msg = format!(
                    "Alembic not found at {} (set RETORT_ALEMBIC, or create the \
                     virtualenv: python -m venv .venv && .venv/bin/pip install \
                     alembic==1.19.1 sqlalchemy==2.0.58)",
                    alembic.display()
                );
                if env::var("CI").as_deref() == Ok("true") {
                    panic!("graph parity tests cannot run on CI: {msg}");
                }
                loud(&format!(
                    "\n{bar}\n!!! SKIPPING ALL ALEMBIC PARITY TESTS !!!\n!!! {msg}\n\
                     !!! Every parity test in this binary passes WITHOUT comparing \
                     anything.\n{bar}\n",
                    bar = "!".repeat(78)
                ));
                return None;
            }
            let retort = env::var_os("RETORT_BIN").map_or_else(
                || PathBuf::from(env!("CARGO_BIN_EXE_retort")),
                PathBuf::from,
            );
            let cpus = thread::available_parallelism().map_or(2, std::num::NonZero::get);
            let jobs = env::var("RETORT_PARITY_JOBS")
                .ok()
                .and_then(|j| j.parse::<usize>().ok())
                .filter(|&j| j > 0)
                .unwrap_or_else(|| cpus.clamp(2, 4));
            let mode = env::var("RETORT_ALEMBIC_MODE").unwrap_or_else(|_| "fork".into());
            let forkserver = match mode.as_str() {
                "process" => None,
                "fork" => match ForkPool::new(&alembic, jobs) {
                    Ok(pool) => Some(pool),
                    Err(e) => {
                        loud(&format!(
                            "parity harness: cannot use the Alembic fork server ({e}); \
                             starting one alembic process per invocation instead"
                        ));
                        None
                    }
                },
                other => panic!("RETORT_ALEMBIC_MODE must be 'fork' or 'process', not {other:?}"),
            };
            let selftest =
                env::var_os("RETORT_PARITY_SELFTEST").is_some_and(|v| !v.is_empty() && v != "0");
            Some(Tools {
                alembic,
                retort,
                forkserver,
                jobs,
                selftest,
            })
        })
        .as_ref()
}

/// Absolute, symlink-free path of `tests/fixtures/projects/<name>`.
pub fn fixture_dir(name: &str) -> PathBuf {
    let dir = manifest_dir().join("tests/fixtures/projects").join(name);
    fs::canonicalize(&dir).unwrap_or_else(|e| panic!("fixture {} is missing: {e}", dir.display()))
}

fn base_command(program: &Path, cwd: &Path, case: &Case) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(&case.args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for k in ENV_REMOVED {
        cmd.env_remove(k);
    }
    for (k, v) in ENV_SET {
        cmd.env(k, v);
    }
    for (k, v) in &case.env {
        cmd.env(k, v);
    }
    cmd
}

/// Runs a process to completion (or kills it after [`TIMEOUT`]).
fn run_process(mut cmd: Command) -> Outcome {
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Outcome::failed(format!("cannot start {cmd:?}: {e}")),
    };
    let drain = |r: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            buf
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
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => thread::sleep(Duration::from_millis(2)),
            Err(e) => return Outcome::failed(format!("waiting for {cmd:?}: {e}")),
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    match status {
        Some(status) => Outcome {
            code: status.code(),
            stdout,
            stderr,
            harness_error: None,
        },
        None => Outcome {
            code: None,
            stdout,
            stderr,
            harness_error: Some(format!("timed out after {}s", TIMEOUT.as_secs())),
        },
    }
}

// ------------------------------------------------------------ fork server

/// Python side of the fork server.  It reads requests on its stdin and
/// answers on its stdout; fds 0 and 1 are then pointed at /dev/null so that
/// nothing Alembic does can corrupt the protocol.  Each request is served by
/// a forked child that sets up fds 0/1/2, cwd, environment and `sys.argv`
/// exactly like the `alembic` console script would, runs
/// `alembic.config.main()`, and exits with the status CPython would use.
const FORK_SERVER_PY: &str = r#"
import os, re, sys, tempfile
script = os.path.abspath(sys.argv[1])
sys.path[0] = os.path.dirname(script)
req_fd = os.dup(0)
resp_fd = os.dup(1)
null = os.open(os.devnull, os.O_RDWR)
os.dup2(null, 0)
os.dup2(null, 1)
import alembic.config
import alembic.command

def read_line():
    buf = b""
    while not buf.endswith(b"\n"):
        c = os.read(req_fd, 1)
        if not c:
            raise EOFError
        buf += c
    return buf[:-1]

def read_field():
    n = int(read_line())
    buf = b""
    while len(buf) < n:
        chunk = os.read(req_fd, n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return os.fsdecode(buf)

def write_all(data):
    while data:
        data = data[os.write(resp_fd, data):]

def child(cwd, env, argv, out_fd, err_fd):
    code = 1
    try:
        os.dup2(null, 0)
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        os.close(req_fd)
        os.close(resp_fd)
        os.chdir(cwd)
        os.environ.update(env)
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
    try:
        n = int(read_line())
        fields = [read_field() for _ in range(n)]
    except EOFError:
        break
    cwd, nenv = fields[0], int(fields[1])
    env = dict(zip(fields[2:2 + 2 * nenv:2], fields[3:3 + 2 * nenv:2]))
    argv = fields[2 + 2 * nenv:]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:
            child(cwd, env, argv, out.fileno(), err.fileno())
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        o, e = out.read(), err.read()
    write_all(b"%d %d %d\n" % (code, len(o), len(e)) + o + e)
"#;

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Worker {
    fn spawn(interpreter: &[String], script: &Path) -> io::Result<Worker> {
        let mut cmd = Command::new(&interpreter[0]);
        cmd.args(&interpreter[1..])
            .arg("-c")
            .arg(FORK_SERVER_PY)
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // The pool outlives each test; holding the test's stderr open would
            // make the runner report the test as leaking.
            .stderr(Stdio::null());
        for k in ENV_REMOVED {
            cmd.env_remove(k);
        }
        for (k, v) in ENV_SET {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn()?;
        let stdin = child.stdin.take().expect("piped stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        if line != "ready\n" {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other(format!(
                "fork server did not start (said {line:?})"
            )));
        }
        Ok(Worker {
            child,
            stdin,
            stdout,
        })
    }

    fn run(&mut self, cwd: &Path, case: &Case) -> io::Result<Outcome> {
        let mut fields: Vec<Vec<u8>> = vec![
            cwd.as_os_str().as_encoded_bytes().to_vec(),
            case.env.len().to_string().into_bytes(),
        ];
        for (k, v) in &case.env {
            fields.push(k.clone().into_bytes());
            fields.push(v.clone().into_bytes());
        }
        fields.extend(case.args.iter().map(|a| a.clone().into_bytes()));
        let mut req = format!("{}\n", fields.len()).into_bytes();
        for f in fields {
            req.extend_from_slice(format!("{}\n", f.len()).as_bytes());
            req.extend_from_slice(&f);
        }
        self.stdin.write_all(&req)?;
        self.stdin.flush()?;
        let mut header = String::new();
        self.stdout.read_line(&mut header)?;
        let nums: Vec<i64> = header
            .split_whitespace()
            .map(str::parse::<i64>)
            .collect::<Result<_, _>>()
            .map_err(|e| io::Error::other(format!("bad reply {header:?}: {e}")))?;
        let [code, out_len, err_len] = nums[..] else {
            return Err(io::Error::other(format!("bad reply {header:?}")));
        };
        let mut stdout = vec![0; usize::try_from(out_len).map_err(io::Error::other)?];
        self.stdout.read_exact(&mut stdout)?;
        let mut stderr = vec![0; usize::try_from(err_len).map_err(io::Error::other)?];
        self.stdout.read_exact(&mut stderr)?;
        Ok(Outcome {
            // negative = killed by a signal, which a real process reports as no code
            code: i32::try_from(code).ok().filter(|c| *c >= 0),
            stdout,
            stderr,
            harness_error: None,
        })
    }
}

struct ForkPool {
    interpreter: Vec<String>,
    script: PathBuf,
    max: usize,
    /// Idle workers, and how many exist in total.
    state: Mutex<(Vec<Worker>, usize)>,
    freed: Condvar,
}

impl ForkPool {
    fn new(alembic: &Path, max: usize) -> io::Result<ForkPool> {
        // The console script's shebang names the interpreter of its venv.
        let text = fs::read(alembic)?;
        let first = text.split(|b| *b == b'\n').next().unwrap_or_default();
        let shebang = std::str::from_utf8(first)
            .ok()
            .and_then(|l| l.strip_prefix("#!"))
            .ok_or_else(|| io::Error::other("alembic is not a script with a #! line"))?;
        let interpreter: Vec<String> = shebang.split_whitespace().map(str::to_owned).collect();
        if interpreter.is_empty() {
            return Err(io::Error::other("empty #! line"));
        }
        let pool = ForkPool {
            interpreter,
            script: alembic.to_path_buf(),
            max,
            state: Mutex::new((Vec::new(), 0)),
            freed: Condvar::new(),
        };
        // Start one worker now so a broken setup is reported up front.
        let first = Worker::spawn(&pool.interpreter, &pool.script)?;
        *pool.state.lock().unwrap() = (vec![first], 1);
        Ok(pool)
    }

    fn run(&self, cwd: &Path, case: &Case) -> Outcome {
        let mut worker = {
            let mut state = self.state.lock().unwrap();
            loop {
                if let Some(w) = state.0.pop() {
                    break Some(w);
                }
                if state.1 < self.max {
                    state.1 += 1;
                    break None;
                }
                state = self.freed.wait(state).unwrap();
            }
        };
        if worker.is_none() {
            match Worker::spawn(&self.interpreter, &self.script) {
                Ok(w) => worker = Some(w),
                Err(e) => {
                    self.retire();
                    return Outcome::failed(format!("cannot start fork server: {e}"));
                }
            }
        }
        let mut worker = worker.expect("worker");
        match worker.run(cwd, case) {
            Ok(outcome) => {
                self.state.lock().unwrap().0.push(worker);
                self.freed.notify_one();
                outcome
            }
            Err(e) => {
                let _ = worker.child.kill();
                let _ = worker.child.wait();
                self.retire();
                Outcome::failed(format!("fork server failed: {e}"))
            }
        }
    }

    fn retire(&self) {
        self.state.lock().unwrap().1 -= 1;
        self.freed.notify_one();
    }
}

// ------------------------------------------------------------- running

fn run_alembic(tools: &Tools, cwd: &Path, case: &Case) -> Outcome {
    match &tools.forkserver {
        Some(pool) => pool.run(cwd, case),
        None => run_process(base_command(&tools.alembic, cwd, case)),
    }
}

fn run_retort(tools: &Tools, cwd: &Path, case: &Case) -> Outcome {
    run_process(base_command(&tools.retort, cwd, case))
}

/// Runs every case with both tools in `tests/fixtures/projects/<fixture>`
/// and fails once, listing every mismatch, if any output differs.
///
/// Per case, retort must match Alembic's exit status and normalised stdout.
/// In addition, when Alembic exits 1 (an uncaught Python exception) retort
/// must exit 1 with a non-empty, single-paragraph message on stderr that
/// names the offending revision or file: one of the case's
/// [`Case::mention`] strings, else one of `default_mentions`, else one of
/// the revision arguments of the command.  When Alembic exits 2 (usage
/// error) retort's stderr must not be empty.
pub fn check_fixture(fixture: &str, default_mentions: &[&str], cases: &[Case]) {
    let Some(tools) = tools() else {
        loud(&format!(
            "SKIPPED parity fixture {fixture}: Alembic is not installed"
        ));
        return;
    };
    let dir = fixture_dir(fixture);
    let results: Vec<Mutex<Option<(Outcome, Outcome)>>> =
        cases.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..tools.jobs.min(cases.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = cases.get(i) else { break };
                let a = run_alembic(tools, &dir, case);
                let r = run_retort(tools, &dir, case);
                *results[i].lock().unwrap() = Some((a, r));
            });
        }
    });

    let show = env::var_os("RETORT_PARITY_SHOW").is_some_and(|v| !v.is_empty() && v != "0");
    let mut report = String::new();
    let mut failed = 0;
    for (i, (case, slot)) in cases.iter().zip(results).enumerate() {
        let (a, r) = slot.into_inner().unwrap().expect("every case ran");
        if show {
            loud(&format!(
                "==== {fixture}: {}\n[alembic exit {:?}]\n{}",
                case.display(),
                a.code,
                String::from_utf8_lossy(&a.stdout)
            ));
        }
        let mentions: Vec<String> = if !case.mentions.is_empty() {
            case.mentions.clone()
        } else if !default_mentions.is_empty() {
            default_mentions.iter().map(|m| (*m).to_owned()).collect()
        } else {
            revision_arguments(&case.args)
        };
        let problems = compare(case, &mentions, tools.selftest, &a, &r);
        if !problems.is_empty() {
            failed += 1;
            let _ = writeln!(
                report,
                "\n──── [{}/{}] {}\n{}",
                i + 1,
                cases.len(),
                case.display(),
                problems
            );
        }
    }
    if failed > 0 {
        panic!(
            "{failed} of {} invocations in fixture `{fixture}` differ from Alembic \
             (cwd {})\n{report}",
            cases.len(),
            dir.display()
        );
    }
}

/// A deliberate difference (README, "Deliberate differences from Alembic"): for
/// every case, Alembic must show the condition (`alembic_shows`, checked on its
/// stdout + stderr) and retort must refuse clearly: non-zero exit, no panic, one
/// paragraph naming one of `mentions`.
pub fn check_divergence(fixture: &str, alembic_shows: &str, mentions: &[&str], cases: &[Case]) {
    let Some(tools) = tools() else {
        loud(&format!(
            "SKIPPED divergence fixture {fixture}: Alembic is not installed"
        ));
        return;
    };
    let dir = fixture_dir(fixture);
    let mut report = String::new();
    for case in cases {
        let a = run_alembic(tools, &dir, case);
        let r = run_retort(tools, &dir, case);
        let alembic_text = format!(
            "{}{}",
            String::from_utf8_lossy(&a.stdout),
            String::from_utf8_lossy(&a.stderr)
        );
        if !alembic_text.contains(alembic_shows) {
            let _ = writeln!(
                report,
                "\n──── {}: alembic did not show {alembic_shows:?}:\n{}",
                case.display(),
                indent(&alembic_text)
            );
        }
        let retort_text = format!(
            "{}{}",
            String::from_utf8_lossy(&r.stdout),
            String::from_utf8_lossy(&r.stderr)
        );
        // `-q` silences `FAILED:` lines, as in Alembic: only the exit code speaks.
        let quiet = case.args.iter().any(|a| a == "-q" || a == "--quiet");
        let clear = matches!(r.code, Some(c) if c != 0)
            && !retort_text.contains("panicked")
            && (quiet || !retort_text.trim().is_empty())
            && !retort_text.trim().contains("\n\n")
            && (quiet || mentions.iter().any(|m| retort_text.contains(m)));
        if !clear {
            let _ = writeln!(
                report,
                "\n──── {}: retort should refuse with one paragraph naming one of {mentions:?}; exit {:?}:\n{}",
                case.display(),
                r.code,
                indent(&retort_text)
            );
        }
    }
    assert!(report.is_empty(), "fixture `{fixture}`:{report}");
}

/// The revision arguments of a command line: `X` of `show X`, and `A`,
/// `B`, `A:B` of `history -r A:B` (any spelling of the option).
fn revision_arguments(args: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let mut iter = args.iter().peekable();
    while let Some(arg) = iter.next() {
        let range = match arg.as_str() {
            "show" => iter.peek().map(|s| s.as_str()),
            "-r" | "--rev-range" => iter.peek().map(|s| s.as_str()),
            a => a
                .strip_prefix("--rev-range=")
                .or_else(|| a.strip_prefix("-r").filter(|r| !r.is_empty())),
        };
        if let Some(range) = range {
            found.push(range.trim().to_owned());
            found.extend(
                range
                    .trim()
                    .split(':')
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned),
            );
        }
    }
    found.retain(|m| !m.is_empty());
    found
}

/// Everything wrong with retort's outcome for one case; empty if it matches.
///
/// In self-test mode (`RETORT_PARITY_SELFTEST=1`, retort replaced by
/// Alembic) the checks on the quality of retort's own error messages are
/// skipped, since Alembic's tracebacks would fail them.
fn compare(case: &Case, mentions: &[String], selftest: bool, a: &Outcome, r: &Outcome) -> String {
    let mut out = String::new();
    if let Some(e) = &a.harness_error {
        let _ = writeln!(out, "harness could not run Alembic: {e}");
        return out;
    }
    let Some(a_code) = a.code else {
        let _ = writeln!(out, "Alembic was killed by a signal");
        return out;
    };
    if let Some(e) = &r.harness_error {
        let _ = writeln!(out, "retort: {e}");
    }
    let a_stdout = String::from_utf8_lossy(&a.stdout);
    let r_stdout = String::from_utf8_lossy(&r.stdout);
    let r_stderr = String::from_utf8_lossy(&r.stderr);
    let a_stderr = String::from_utf8_lossy(&a.stderr);

    if r.code != Some(a_code) {
        let _ = writeln!(
            out,
            "exit status: alembic {a_code}, retort {}",
            r.code
                .map_or_else(|| "none (signal)".to_owned(), |c| c.to_string())
        );
    }
    if std::str::from_utf8(&r.stdout).is_err() {
        let _ = writeln!(out, "retort's stdout is not valid UTF-8");
    }
    let (mut na, mut nr) = (normalise(&a_stdout), normalise(&r_stdout));
    if case.unordered {
        na = sorted_lines(&na);
        nr = sorted_lines(&nr);
    }
    if na != nr {
        let _ = writeln!(out, "stdout differs (normalised; '-' alembic, '+' retort):");
        out.push_str(&diff(&na, &nr));
    }
    if r_stderr.contains("panicked at") || r_stderr.contains("RUST_BACKTRACE") {
        let _ = writeln!(out, "retort panicked:\n{}", indent(&r_stderr));
    } else if a_code == 1 && mentions.is_empty() {
        let _ = writeln!(
            out,
            "harness: Alembic exits 1 here; give this case a .mention(..) naming \
             the offending revision or file"
        );
    } else if !selftest && r.code == Some(a_code) && (a_code == 1 || a_code == 2) {
        // Alembic died with a traceback (1) or an argparse usage error (2).
        if r_stderr.trim().is_empty() {
            let _ = writeln!(out, "retort exited {a_code} without saying why on stderr");
        } else if a_code == 1 {
            if r_stderr.trim().contains("\n\n") {
                let _ = writeln!(
                    out,
                    "retort's error should be a single paragraph, got:\n{}",
                    indent(&r_stderr)
                );
            }
            if !mentions.iter().any(|m| r_stderr.contains(m.as_str())) {
                let _ = writeln!(
                    out,
                    "retort's error should name one of {mentions:?}, got:\n{}",
                    indent(&r_stderr)
                );
            }
        }
    }
    if !out.is_empty() {
        if a_code == 1 {
            let last = a_stderr.trim_end().lines().last().unwrap_or("");
            let _ = writeln!(out, "alembic's traceback ends with: {last}");
        }
        if !r_stderr.trim().is_empty() && !out.contains("retort panicked") {
            let _ = writeln!(out, "retort's stderr:\n{}", indent(&r_stderr));
        }
    }
    out
}

fn indent(s: &str) -> String {
    let mut out = String::new();
    for line in s.trim_end().lines() {
        let _ = writeln!(out, "    | {line}");
    }
    out
}

// ---------------------------------------------------------- normalisation

// ------------------------------------------------------------------- diff

/// Line diff (longest common subsequence), every line shown.
fn diff(a: &str, b: &str) -> String {
    let a: Vec<&str> = a.split('\n').collect();
    let b: Vec<&str> = b.split('\n').collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            let _ = writeln!(out, "      {}", visible(a[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            let _ = writeln!(out, "    + {}", visible(b[j]));
            j += 1;
        } else {
            let _ = writeln!(out, "    - {}", visible(a[i]));
            i += 1;
        }
    }
    out
}

/// Makes trailing whitespace and control characters visible in diffs.
fn visible(line: &str) -> String {
    let body = line.trim_end_matches([' ', '\t']);
    let mut s: String = body
        .chars()
        .map(|c| match c {
            '\t' => "→".to_owned(),
            '\r' => "␍".to_owned(),
            c if c.is_control() => format!("\\u{{{:x}}}", c as u32),
            c => c.to_string(),
        })
        .collect();
    for c in line[body.len()..].chars() {
        s.push(if c == ' ' { '·' } else { '→' });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_sorts_only_set_ordered_parts() {
        let a = "c1 -> d2 (zeta, alpha) (head), doc (b, a)\n\
                 Branches into: x, a\n\
                 Branch names: q, p\n\
                 b (branchpoint)\n  -> z (head)\n  -> a, multi\n  line\n\nrev (head)";
        let n = normalise(a);
        assert_eq!(
            n,
            "c1 -> d2 (alpha, zeta) (head), doc (b, a)\n\
             Branches into: a, x\n\
             Branch names: p, q\n\
             b (branchpoint)\n  -> a, multi\n  line\n  -> z (head)\n\nrev (head)"
        );
        assert_eq!(
            normalise("FAILED: Branch name 'x' in revision b2 already used by revision a1"),
            "FAILED: Branch name 'x' in revision a1 already used by revision b2"
        );
        assert_eq!(
            normalise("FAILED: Requested revision c overlaps with other requested revisions b, a"),
            "FAILED: Requested revision c overlaps with other requested revisions a, b"
        );
        assert_eq!(
            normalise("FAILED: Branch name 'a1' in revision b2 already used by revision a1"),
            "FAILED: Branch name 'a1' in revision b2 already used by revision a1"
        );
    }

    #[test]
    fn revision_arguments_are_found() {
        let args = |l: &str| l.split(' ').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(revision_arguments(&args("-q show -5")), ["-5", "-5"]);
        assert_eq!(
            revision_arguments(&args("history -v -r a:b")),
            ["a:b", "a", "b"]
        );
        assert_eq!(
            revision_arguments(&args("history --rev-range=-2:")),
            ["-2:", "-2"]
        );
        assert_eq!(revision_arguments(&args("history -r-2:")), ["-2:", "-2"]);
        assert!(revision_arguments(&args("heads -v")).is_empty());
    }
}
