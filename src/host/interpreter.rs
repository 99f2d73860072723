//! Which Python runs env.py and the scripts: the user's, found as Alembic's
//! own `python` would be found in their environment.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

static PYTHON_OPTION: OnceLock<PathBuf> = OnceLock::new();

/// `--python PATH` from the command line (before any Python is started).
pub fn set_python(path: PathBuf) {
    let _ = PYTHON_OPTION.set(path);
}

/// The interpreter chosen, and what chose it (for messages).
pub(super) struct Interpreter {
    pub python: PathBuf,
    pub chosen_by: String,
}

/// In order: `--python`, `RETORT_PYTHON`, the active virtualenv
/// (`VIRTUAL_ENV`), the virtualenv retort is installed in, `python3` on
/// `PATH`.
pub(super) fn choose() -> Result<Interpreter, String> {
    if let Some(p) = PYTHON_OPTION.get() {
        return Ok(found(p.clone(), "--python"));
    }
    if let Some(p) = std::env::var_os("RETORT_PYTHON").filter(|v| !v.is_empty()) {
        return Ok(found(PathBuf::from(p), "RETORT_PYTHON"));
    }
    if let Some(v) = std::env::var_os("VIRTUAL_ENV").filter(|v| !v.is_empty()) {
        let venv = PathBuf::from(v);
        return Ok(found(
            venv.join("bin/python"),
            &format!("the active virtualenv {} (VIRTUAL_ENV)", venv.display()),
        ));
    }
    if let Some(bin) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
    {
        let root = bin.parent().map(Path::to_path_buf);
        if root.is_some_and(|r| r.join("pyvenv.cfg").is_file()) && bin.join("python").is_file() {
            return Ok(found(
                bin.join("python"),
                "the virtualenv retort is installed in",
            ));
        }
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    match std::env::split_paths(&path)
        .map(|d| d.join("python3"))
        .find(|p| p.is_file())
    {
        Some(p) => Ok(found(p, "python3 on PATH")),
        None => Err(
            "retort runs env.py and the migration scripts in your Python environment, \
             but found no Python: no virtualenv is active (VIRTUAL_ENV), retort is not installed \
             in one, and there is no python3 on PATH. Activate the project's virtualenv, or \
             name its interpreter with --python PATH (or RETORT_PYTHON)."
                .to_string(),
        ),
    }
}

fn found(python: PathBuf, chosen_by: &str) -> Interpreter {
    Interpreter {
        python,
        chosen_by: chosen_by.to_string(),
    }
}

impl Interpreter {
    pub(super) fn cannot_start(&self, e: &std::io::Error) -> String {
        format!(
            "cannot start the Python interpreter {} (chosen by {}): {e}. retort runs env.py and \
             the migration scripts in your Python environment: activate the project's \
             virtualenv, or name its interpreter with --python PATH (or RETORT_PYTHON).",
            self.python.display(),
            self.chosen_by
        )
    }

    pub(super) fn too_old(&self) -> String {
        format!(
            "the Python interpreter {} (chosen by {}) is older than 3.9, the oldest retort \
             runs migrations on (as SQLAlchemy 2 and Alembic do). Use a Python 3.9 or later \
             environment: activate it, or name its interpreter with --python PATH (or \
             RETORT_PYTHON).",
            self.python.display(),
            self.chosen_by
        )
    }
}
