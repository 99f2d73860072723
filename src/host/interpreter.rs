//! Starting CPython inside the user's environment, once per process, with the
//! embedded shim importable before anything else.

use std::ffi::CString;
use std::path::PathBuf;
use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use super::bridge;
use super::session::HostError;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_python.rs"));
}

static STARTED: OnceLock<Result<(), String>> = OnceLock::new();

/// The virtualenv whose packages scripts import: the active one
/// (`VIRTUAL_ENV`), else the one retort is installed in, else the one the
/// `python3` on `PATH` belongs to.  `None`: the embedded interpreter's own.
fn user_environment() -> Option<PathBuf> {
    if let Some(v) = std::env::var_os("VIRTUAL_ENV").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(v));
    }
    let is_venv = |root: &std::path::Path| root.join("pyvenv.cfg").is_file();
    if let Ok(exe) = std::env::current_exe() {
        if let Some(root) = exe.parent().and_then(|bin| bin.parent()) {
            if is_venv(root) {
                return Some(root.to_path_buf());
            }
        }
    }
    let path = std::env::var_os("PATH")?;
    let dir = std::env::split_paths(&path).find(|d| d.join("python3").is_file())?;
    let root = dir.parent()?;
    is_venv(root).then(|| root.to_path_buf())
}

/// Whether the virtualenv's `pyvenv.cfg` lets it see the base interpreter's
/// site-packages (`include-system-site-packages = true`; the last line
/// counts, as in the bootstrap's reading).
fn includes_system_site_packages(venv: &std::path::Path) -> bool {
    let Ok(cfg) = std::fs::read_to_string(venv.join("pyvenv.cfg")) else {
        return false;
    };
    cfg.lines()
        .rev()
        .filter_map(|line| line.split_once('='))
        .find(|(key, _)| {
            key.trim()
                .eq_ignore_ascii_case("include-system-site-packages")
        })
        .is_some_and(|(_, value)| value.trim().eq_ignore_ascii_case("true"))
}

/// Starts the interpreter (first call only) and installs the shim.
pub(super) fn start(prepend_sys_path: &[String]) -> Result<(), HostError> {
    let result = STARTED.get_or_init(|| {
        // In a virtualenv that does not include the base interpreter's
        // site-packages, the bootstrap drops them from sys.path again, so
        // the base `site` processing (its .pth files run imports) is skipped,
        // as the virtualenv's own python skips it; the bootstrap then adds
        // the virtualenv's site-packages.
        let venv = user_environment();
        if venv
            .as_deref()
            .is_some_and(|venv| !includes_system_site_packages(venv))
        {
            // SAFETY: set before the interpreter starts, on the one thread
            // that starts it (inside the OnceLock).
            #[allow(deprecated)]
            unsafe {
                pyo3::ffi::Py_NoSiteFlag = 1;
            }
        }
        Python::initialize();
        // Set-up errors are ours (no environment, no SQLAlchemy): the message
        // says all; a traceback through the bootstrap would only distract.
        Python::attach(|py| {
            install(py, venv.as_deref(), prepend_sys_path).map_err(|e| e.value(py).to_string())
        })
    });
    result.clone().map_err(HostError::Setup)
}

fn install(
    py: Python<'_>,
    venv: Option<&std::path::Path>,
    prepend_sys_path: &[String],
) -> PyResult<()> {
    let native = bridge::module(py)?;
    py.import("sys")?
        .getattr("modules")?
        .set_item("_retort", &native)?;
    let table = PyDict::new(py);
    // Bytecode made by another CPython version than the one running is left
    // out (the modules are then compiled from source).
    let magic = py
        .import("importlib.util")?
        .getattr("MAGIC_NUMBER")?
        .extract::<Vec<u8>>()?;
    let bytecode_fits = magic == embedded::BYTECODE_MAGIC;
    let mut bootstrap = None;
    for (name, package, source, code) in embedded::EMBEDDED {
        let code = code
            .filter(|_| bytecode_fits)
            .map(|code| PyBytes::new(py, code));
        table.set_item(*name, (*package, *source, code))?;
        if *name == "retort._bootstrap" {
            bootstrap = Some(*source);
        }
    }
    let Some(source) = bootstrap else {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(
            "retort._bootstrap is missing from this build",
        ));
    };
    let code = CString::new(source)?;
    let module = PyModule::from_code(
        py,
        &code,
        c"<retort>/retort/_bootstrap.py",
        c"retort_bootstrap",
    )?;
    let venv = venv.map(|p| p.display().to_string());
    let argv: Vec<String> = std::env::args().collect();
    module.call_method1(
        "install",
        (table, venv, PyList::new(py, prepend_sys_path)?, argv),
    )?;
    py.import("retort.dialects")?.call_method0("install")?;
    Ok(())
}

/// An exception as one message: the type and text, after the traceback.
pub(super) fn describe(py: Python<'_>, err: &PyErr) -> String {
    let formatted = py
        .import("traceback")
        .and_then(|tb| tb.call_method1("format_exception", (err.value(py),)))
        .and_then(|lines| lines.extract::<Vec<String>>());
    match formatted {
        Ok(lines) => lines.concat().trim_end().to_string(),
        Err(_) => err.to_string(),
    }
}

/// Writes out what Python has buffered for stdout, so that text the command
/// prints from Rust lands after it, in the order Alembic would print both.
pub(super) fn flush_stdout(py: Python<'_>) {
    if let Ok(stdout) = py.import("sys").and_then(|sys| sys.getattr("stdout")) {
        // A closed or broken stdout: nothing more can be shown anyway.
        let _ = stdout.call_method0("flush");
    }
}
