//! `edit REV`: the script(s) of a revision opened in `$EDITOR`, found and run
//! as Alembic's `util.open_in_editor` does.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Catch, Failure, Global, Output, Project};
use crate::db::{Backend, VersionTable};
use crate::host::{self, OptionValue, Session, SessionError, StepSpec};
use crate::python::python_repr;
use crate::revision::{Resolved, RevArg, RevisionMap};

/// Editors tried after `$EDITOR` and `$VISUAL`.
const DEFAULT_EDITORS: [&str; 5] = ["sensible-editor", "editor", "nano", "vim", "code"];

/// Alembic's `_find_editor`: `$EDITOR`/`$VISUAL` when they name an existing
/// file, else the first candidate (those two when bare names, then the
/// defaults) found on `PATH`.
fn find_editor() -> Result<String, String> {
    let mut candidates: Vec<String> = DEFAULT_EDITORS.iter().map(|s| s.to_string()).collect();
    for (i, var) in ["EDITOR", "VISUAL"].iter().enumerate() {
        let Some(choice) = std::env::var_os(var) else {
            continue;
        };
        let choice = choice.to_string_lossy().into_owned();
        if Path::new(&choice).exists() {
            return Ok(choice);
        }
        if !choice.contains('/') {
            candidates.insert(i.min(candidates.len()), choice);
        }
    }
    let path = std::env::var("PATH").unwrap_or_default();
    for candidate in &candidates {
        for dir in path.split(':') {
            let full = if dir.is_empty() {
                PathBuf::from(candidate)
            } else {
                Path::new(dir).join(candidate)
            };
            if full.exists() {
                return Ok(full.to_string_lossy().into_owned());
            }
        }
    }
    Err(
        "No suitable editor found. Please set the \"EDITOR\" or \"VISUAL\" environment variables"
            .to_string(),
    )
}

/// Python's `signal.Signals` repr for the common signals.
fn signal_repr(n: i32) -> String {
    let name = match n {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        _ => return format!("unknown signal {n}"),
    };
    format!("<Signals.{name}: {n}>")
}

/// `util.open_in_editor`: runs the editor on `file` and waits for it.
fn open_in_editor(out: &mut Output, file: &Path) -> Result<(), Failure> {
    let fail = |why: String| Failure::Command(format!("Error executing editor ({why})"));
    let editor = find_editor().map_err(fail)?;
    let file = file.to_string_lossy().into_owned();
    out.flush();
    let status = Command::new(&editor).arg(&file).status().map_err(|e| {
        let text = e.to_string();
        let text = text.split(" (os error").next().unwrap_or(&text).to_string();
        fail(match e.raw_os_error() {
            Some(code) => format!("[Errno {code}] {text}: {}", python_repr(&editor)),
            None => text,
        })
    })?;
    if status.success() {
        return Ok(());
    }
    let command = format!("[{}, {}]", python_repr(&editor), python_repr(&file));
    use std::os::unix::process::ExitStatusExt;
    Err(fail(match (status.code(), status.signal()) {
        (Some(code), _) => format!("Command '{command}' returned non-zero exit status {code}."),
        (None, Some(sig)) => format!("Command '{command}' died with {}.", signal_repr(sig)),
        (None, None) => format!("Command '{command}' failed."),
    }))
}

fn edit_all(out: &mut Output, project: &Project, found: Vec<Resolved>) -> Result<(), Failure> {
    for r in found {
        match r {
            Resolved::Rev(i) => open_in_editor(out, &project.scripts[i].path)?,
            Resolved::Base | Resolved::Nothing => {
                return Err(Failure::Crash(
                    "the revision given walks past the base of the graph; there is no script to edit (Alembic fails with an AssertionError here)"
                        .to_string(),
                ))
            }
        }
    }
    Ok(())
}

pub fn run(global: &Global, out: &mut Output, rev: &str) -> Result<(), Failure> {
    let project = Project::load(global)?;
    let catch = Catch::default();
    if rev == "current" {
        return edit_current(project, global, out);
    }
    let map = project.map(&catch)?;
    let project: &Project = project;
    let found = map
        .get_revisions(RevArg::Str(rev))
        .map_err(|e| catch.failure(e))?;
    if found.is_empty() {
        return Err(Failure::Command(format!(
            "No revision files indicated by symbol '{rev}'"
        )));
    }
    edit_all(out, project, found)
}

/// `edit current`: the scripts of the database's current revisions, read
/// the way env.py reaches the database.
fn edit_current(
    project: &'static mut Project,
    global: &Global,
    out: &mut Output,
) -> Result<(), Failure> {
    let catch = Catch::default();
    let map = project.map(&catch)?;
    let project: &Project = project;
    if project.uses_stock_env() {
        let rows = project.connect()?.rows_creating_table()?;
        return edit_rows(out, project, map, &rows);
    }
    let run = super::hosted::env_run(project, global, "edit")?;
    let mut session = EditSession { project, map, out };
    host::run_env(&run, &mut session).map_err(Failure::from)
}

fn edit_rows(
    out: &mut Output,
    project: &Project,
    map: &RevisionMap,
    rows: &[String],
) -> Result<(), Failure> {
    if rows.is_empty() {
        return Err(Failure::Command("No current revisions".to_string()));
    }
    let found = map
        .get_revisions(RevArg::Rows(rows))
        .map_err(|e| Catch::default().failure(e))?;
    edit_all(out, project, found)
}

/// env.py's run for `edit current`: the editor opens on the heads it read.
struct EditSession<'a> {
    project: &'a Project,
    map: &'a RevisionMap,
    out: &'a mut Output,
}

impl Session for EditSession<'_> {
    fn steps(
        &mut self,
        heads: &[String],
        _history: Option<&[crate::db::HistoryRow]>,
        _table: &VersionTable,
        _backend: Backend,
        _url: &str,
    ) -> Result<Vec<StepSpec>, SessionError> {
        edit_rows(self.out, self.project, self.map, heads)?;
        Ok(Vec::new())
    }

    fn resolve_start(&mut self, revisions: &[String]) -> Result<Vec<String>, SessionError> {
        Ok(revisions.to_vec())
    }

    fn print(&mut self, text: &str) {
        self.out.line(text);
    }

    fn script_heads(&mut self) -> Vec<String> {
        super::hosted::script_heads(self.map)
    }

    fn flush(&mut self) {
        self.out.flush();
    }

    fn toml_option(&mut self, name: &str) -> Result<Option<OptionValue>, SessionError> {
        super::hosted::toml_option(self.project, name)
    }
}
