//! The user's Python, run as a child process for the commands that need it,
//! and the conversation with it.
//!
//! retort links no libpython: any CPython 3.9+ works, with or without a
//! shared library, and the project's compiled packages load in the very
//! interpreter they were built for.  The child gets one end of a socket
//! pair (`RETORT_HOST_FD`) and, over it, the bootstrap and the embedded
//! modules; then either side may call the other.  A call is a frame
//! `("call", name, args)` answered by `("ok", value)` or `("err", kind,
//! args)`; while a side waits for its answer it serves the other's calls
//! (Rust answers env.py's `_retort.*` calls while it waits for env.py to
//! finish, and Python answers Rust's template calls made from inside one of
//! them).  Only one side runs at a time, so stdout is flushed at each hand
//! over and the two processes' output interleaves as one process's would.

use std::cell::RefCell;
use std::io::{BufReader, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::bridge;
use super::interpreter::{self, Interpreter};
use super::session::HostError;
use super::wire::{self, Value};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_python.rs"));
}

/// Exit status of the bootstrap line when the interpreter is too old.
const TOO_OLD: i32 = 86;

/// The first thing the child runs (`python -c`): written so that Python 2
/// can parse it, to say "too old" instead of a syntax error; it reads the
/// bootstrap from the socket (plain file I/O: the `socket` module would cost
/// more to import than the rest of the start) and hands over.
const BOOT: &str = "import sys\n\
if sys.version_info[:2] < (3, 9):\n    sys.exit(86)\n\
import os\n\
fd = int(os.environ.pop('RETORT_HOST_FD'))\n\
os.set_inheritable(fd, False)\n\
f = os.fdopen(fd, 'rb', closefd=False)\n\
n = int.from_bytes(f.read(4), 'little')\n\
g = {'__name__': 'retort_bootstrap'}\n\
exec(compile(f.read(n), '<retort>/retort/_bootstrap.py', 'exec'), g)\n\
del sys, os, n\n\
g.pop('serve')(fd, f)\n";

struct Child {
    process: std::process::Child,
    writer: UnixStream,
    reader: BufReader<UnixStream>,
    interpreter: Interpreter,
}

thread_local! {
    /// The running child; `Err` once starting it has failed (reported again
    /// to any later call, as the first failure said all).
    static CHILD: RefCell<Option<Result<Child, String>>> = const { RefCell::new(None) };
}

/// What a call into Python gave back.
pub(super) enum Reply {
    Ok(Value),
    /// The call raised: the traceback.
    Err(String),
}

/// Starts the child (first call only): the interpreter is chosen, the
/// embedded modules installed, SQLAlchemy checked.
pub(super) fn start(prepend_sys_path: &[String]) -> Result<(), HostError> {
    let started = CHILD.with(|c| {
        let mut slot = c.borrow_mut();
        if slot.is_none() {
            *slot = Some(spawn(prepend_sys_path));
        }
        match slot.as_ref() {
            Some(Ok(_)) => Ok(()),
            Some(Err(e)) => Err(e.clone()),
            None => Ok(()),
        }
    });
    started.map_err(HostError::Setup)
}

fn spawn(prepend_sys_path: &[String]) -> Result<Child, String> {
    let interp = interpreter::choose()?;
    let (ours, theirs) = UnixStream::pair().map_err(|e| e.to_string())?;
    // The child's end survives exec; ours does not (std opens it CLOEXEC).
    rustix::io::fcntl_setfd(&theirs, rustix::io::FdFlags::empty()).map_err(|e| e.to_string())?;
    let mut command = Command::new(&interp.python);
    command
        .args(["-c", BOOT])
        .env("RETORT_HOST_FD", theirs.as_raw_fd().to_string())
        .stdin(Stdio::inherit())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit());
    flush_stdout();
    let process = command.spawn().map_err(|e| interp.cannot_start(&e))?;
    drop(theirs);
    let _interrupts = InterruptsToChild::new();
    let reader = BufReader::new(ours.try_clone().map_err(|e| e.to_string())?);
    let mut child = Child {
        process,
        writer: ours,
        reader,
        interpreter: interp,
    };
    child
        .send_raw(embedded::BOOTSTRAP.as_bytes())
        .map_err(|e| child.ended(&e))?;
    let init = Value::Tuple(vec![
        Value::str("init"),
        embedded_table(),
        Value::str_list(prepend_sys_path),
        Value::str_list(&std::env::args().collect::<Vec<_>>()),
        Value::opt_str(cache_dir().map(|d| d.display().to_string())),
        Value::str(embedded::EMBEDDED_HASH),
        Value::str(crate::db::HISTORY_TABLE),
    ]);
    child.send(&init).map_err(|e| child.ended(&e))?;
    match child.recv().map_err(|e| child.ended(&e))? {
        Message::Ok(_) => Ok(child),
        Message::Err(message) => Err(message),
        Message::Call(..) => Err("the Python process called back before it was set up".into()),
    }
}

fn embedded_table() -> Value {
    Value::List(
        embedded::EMBEDDED
            .iter()
            .map(|(name, package, source)| {
                Value::Tuple(vec![
                    Value::str(*name),
                    Value::Bool(*package),
                    Value::str(*source),
                ])
            })
            .collect(),
    )
}

/// Where the child keeps the bytecode it compiled from the embedded
/// modules, per interpreter: `$XDG_CACHE_HOME/retort`, else
/// `~/.cache/retort`.  `None`: compile every time.
fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| Path::new(v).is_absolute())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })?;
    Some(base.join("retort"))
}

/// While Python runs (the child has the turn), Ctrl-C is the child's: its
/// KeyboardInterrupt is reported as any exception, and this process stays
/// to report it and close the connections.  Between calls (and for the
/// processes Rust starts itself, which inherit ignored signals) SIGINT
/// keeps its previous disposition.
struct InterruptsToChild(libc::sighandler_t);

impl InterruptsToChild {
    fn new() -> Self {
        // SAFETY: SIG_IGN installs no handler code; the previous disposition
        // is put back on drop, innermost first.
        InterruptsToChild(unsafe { libc::signal(libc::SIGINT, libc::SIG_IGN) })
    }
}

impl Drop for InterruptsToChild {
    fn drop(&mut self) {
        // SAFETY: restores what `new` found (SIG_DFL unless nested).
        unsafe {
            libc::signal(libc::SIGINT, self.0);
        }
    }
}

pub(super) fn flush_stdout() {
    // A closed or broken stdout: nothing more can be shown anyway.
    let _ = std::io::stdout().flush();
}

enum Message {
    Ok(Value),
    /// `("err", kind, message)`: the kind only matters to Python.
    Err(String),
    Call(String, Vec<Value>),
}

impl Child {
    /// Writes `frame` (4 bytes left for the length, then the payload) with
    /// its length filled in.
    fn send_frame(&mut self, mut frame: Vec<u8>) -> std::io::Result<()> {
        let len = u32::try_from(frame.len() - 4)
            .map_err(|_| std::io::Error::other("message over 4 GiB"))?;
        frame[..4].copy_from_slice(&len.to_le_bytes());
        self.writer.write_all(&frame)
    }

    fn send_raw(&mut self, payload: &[u8]) -> std::io::Result<()> {
        let mut frame = vec![0; 4];
        frame.extend_from_slice(payload);
        self.send_frame(frame)
    }

    fn send(&mut self, value: &Value) -> std::io::Result<()> {
        // Encoded in place behind the length: no copy of each call's payload.
        let mut frame = vec![0; 4];
        wire::encode(value, &mut frame);
        self.send_frame(frame)
    }

    fn recv(&mut self) -> std::io::Result<Message> {
        let mut len = [0u8; 4];
        self.reader.read_exact(&mut len)?;
        let mut payload = vec![0u8; u32::from_le_bytes(len) as usize];
        self.reader.read_exact(&mut payload)?;
        let value = wire::decode(&payload).map_err(std::io::Error::other)?;
        parse_message(value).ok_or_else(|| std::io::Error::other("unexpected message"))
    }

    /// Why the conversation broke off: the child's exit, or the I/O error.
    fn ended(&mut self, e: &std::io::Error) -> String {
        let status = if matches!(
            e.kind(),
            std::io::ErrorKind::UnexpectedEof
                | std::io::ErrorKind::BrokenPipe
                | std::io::ErrorKind::ConnectionReset
        ) {
            self.process.wait().ok()
        } else {
            None
        };
        match status {
            Some(s) if s.code() == Some(TOO_OLD) => self.interpreter.too_old(),
            Some(s) => format!(
                "the Python process ({}) ended unexpectedly ({s})",
                self.interpreter.python.display()
            ),
            None => format!(
                "lost the Python process ({}): {e}",
                self.interpreter.python.display()
            ),
        }
    }
}

fn parse_message(value: Value) -> Option<Message> {
    let mut items = value.into_items()?.into_iter();
    let kind = items.next()?;
    match kind.as_str()? {
        "ok" => Some(Message::Ok(items.next().unwrap_or(Value::None))),
        "err" => {
            let _kind = items.next()?;
            let message = items.next()?.as_str().unwrap_or_default().to_string();
            Some(Message::Err(message))
        }
        "call" => {
            let name = items.next()?.as_str()?.to_string();
            let args = items.next()?.into_items()?;
            Some(Message::Call(name, args))
        }
        _ => None,
    }
}

/// Runs `f` on the child; a failed start or a lost child is a setup error.
fn with_child<R>(f: impl FnOnce(&mut Child) -> Result<R, String>) -> Result<R, HostError> {
    CHILD
        .with(|c| match c.borrow_mut().as_mut() {
            Some(Ok(child)) => f(child),
            Some(Err(e)) => Err(e.clone()),
            None => Err("the Python process is not running".to_string()),
        })
        .map_err(HostError::Setup)
}

/// Calls `function` (`module.name`) in the child with `args`, serving the
/// child's own calls until it answers.
pub(super) fn call(function: &str, args: Vec<Value>) -> Result<Reply, HostError> {
    let request = Value::Tuple(vec![
        Value::str("call"),
        Value::str(function),
        Value::Tuple(args),
    ]);
    flush_stdout();
    let _interrupts = InterruptsToChild::new();
    with_child(|child| child.send(&request).map_err(|e| child.ended(&e)))?;
    loop {
        let message = with_child(|child| child.recv().map_err(|e| child.ended(&e)))?;
        match message {
            Message::Ok(value) => return Ok(Reply::Ok(value)),
            Message::Err(message) => return Ok(Reply::Err(message)),
            Message::Call(name, args) => {
                // Served with the child released: serving may call back.
                let answer = match bridge::dispatch(&name, args) {
                    Ok(value) => Value::Tuple(vec![Value::str("ok"), value]),
                    Err(raise) => raise.into_message(),
                };
                flush_stdout();
                with_child(|child| child.send(&answer).map_err(|e| child.ended(&e)))?;
            }
        }
    }
}

/// Ends the child, if one runs: it sees the socket close and exits; its
/// exit (atexit handlers, non-daemon threads) is waited for, as the
/// process that ran env.py under Alembic would be.
pub fn shutdown() {
    let child = CHILD.with(|c| c.borrow_mut().take());
    if let Some(Ok(child)) = child {
        let Child {
            mut process,
            writer,
            reader,
            ..
        } = child;
        drop(writer);
        drop(reader);
        let _ = process.wait();
    }
}
