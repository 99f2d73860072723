//! `history [-r RANGE] [-v] [-i]`

use super::branches::history_walk;
use super::output::{Describe, Short};
use super::{emit_warnings, Catch, Failure, Global, Output, Project};
use crate::revision::RevArg;

pub fn run(
    global: &Global,
    out: &mut Output,
    rev_range: Option<&str>,
    verbose: bool,
    indicate_current: bool,
) -> Result<(), Failure> {
    let project = Project::load(global)?;
    let (base, head) = match rev_range {
        None => (None, None),
        Some(r) => {
            if !r.contains(':') {
                return Err(Failure::Command(
                    "History range requires [start]:[end], [start]:, or :[end]".to_string(),
                ));
            }
            let parts: Vec<&str> = r.trim().split(':').collect();
            match parts.as_slice() {
                [b, h] => (Some(*b).filter(|s| !s.is_empty()), Some(*h).filter(|s| !s.is_empty())),
                _ => {
                    return Err(Failure::Crash(format!(
                        "history range '{r}' has more than one ':' (Alembic fails with ValueError: too many values to unpack)"
                    )))
                }
            }
        }
    };
    if indicate_current || base == Some("current") || head == Some("current") {
        return Err(Failure::Crash(
            "history against the database ('current' or -i) is not available in this build of retort yet"
                .to_string(),
        ));
    }
    let base = base.unwrap_or("base");
    let head = head.unwrap_or("heads");
    let catch = Catch::range(base, head);
    let map = project.map(&catch)?;
    let mut warnings = Vec::new();
    let order = map
        .iterate_revisions(
            RevArg::Str(head),
            RevArg::Str(base),
            history_walk(),
            &mut warnings,
        )
        .map_err(|e| match catch.failure(e) {
            // Alembic crashes with a bare AssertionError here; name the range.
            Failure::Crash(m) => Failure::Crash(format!(
                "cannot list history for the range {base}:{head}: {m}"
            )),
            f => f,
        })?;
    emit_warnings(warnings);
    let describe = Describe {
        map,
        scripts: &project.scripts,
    };
    let short = Short {
        branches: true,
        doc: true,
        parents: true,
        tree: true,
    };
    for i in order {
        out.line(&describe.cmd_format(i, verbose, short, false));
    }
    Ok(())
}
