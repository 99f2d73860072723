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
    // `-i` and `current` as a bound read the version table (through env.py).
    let rows: Option<Vec<String>> =
        if indicate_current || base == Some("current") || head == Some("current") {
            let mut conn = project.connect()?;
            Some(conn.rows_creating_table()?)
        } else {
            None
        };
    let base_text = base.unwrap_or("base");
    let head_text = head.unwrap_or("heads");
    let catch = Catch::range(base_text, head_text);
    let map = project.map(&catch)?;
    let empty: Vec<String> = Vec::new();
    let current_rows = rows.as_ref().unwrap_or(&empty);
    // A `current` bound is the rows themselves; no rows as the lower bound is base.
    let lower = match base {
        Some("current") if !current_rows.is_empty() => RevArg::Rows(current_rows),
        Some("current") | None => RevArg::Str("base"),
        Some(b) => RevArg::Str(b),
    };
    let upper = match head {
        Some("current") if !current_rows.is_empty() => RevArg::Rows(current_rows),
        Some("current") | None => RevArg::Str("heads"),
        Some(h) => RevArg::Str(h),
    };
    let mut warnings = Vec::new();
    let order = map
        .iterate_revisions(upper, lower, history_walk(), &mut warnings)
        .map_err(|e| match catch.failure(e) {
            // Alembic crashes with a bare AssertionError here; name the range.
            Failure::Crash(m) => Failure::Crash(format!(
                "cannot list history for the range {base_text}:{head_text}: {m}"
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
        let current = indicate_current && current_rows.iter().any(|r| r == map.id(i));
        out.line(&describe.cmd_format(i, verbose, short, current));
    }
    Ok(())
}
