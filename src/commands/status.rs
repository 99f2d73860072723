//! `status [--format json]`: every revision of the scripts or the database
//! with its state, and the audit `upgrade` runs before it migrates.
//!
//! The states: `applied` (an ancestor of the version table's rows, or one of
//! them), `pending`, `edited` (applied, and the file's SHA-256 differs from
//! the one `retort_history` recorded) and `missing` (named by the version
//! table or `retort_history`, with no script file).  Without `checksums =
//! true` only the version table is read, so nothing shows as `edited`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::hosted::{self, Plan};
use super::{Catch, Failure, Global, Output, Project};
use crate::cli::Format;
use crate::db::{HistoryRow, HistoryTable};
use crate::revision::{Edges, RevisionMap};
use crate::runtime::Step;
use fixedbitset::FixedBitSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum State {
    Applied,
    Pending,
    Edited,
    Missing,
}

impl State {
    fn name(self) -> &'static str {
        match self {
            State::Applied => "applied",
            State::Pending => "pending",
            State::Edited => "edited",
            State::Missing => "missing",
        }
    }
}

/// One line of `status`.
#[derive(Debug, Serialize)]
pub(crate) struct Entry {
    pub revision: String,
    pub state: State,
    /// The script file (none when missing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// SHA-256 of the script file as it is now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
    /// What `retort_history` recorded when it was applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_checksum: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_at: Option<String>,
}

/// SHA-256 of a script file, lowercase hex (`None` if it can't be read).
pub(crate) fn script_checksum(path: &std::path::Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|bytes| crate::script::sha256_hex(&bytes))
}

/// Revisions applied when the version table holds `rows`: the rows the
/// scripts know and all they depend on.
pub(crate) fn applied_set(map: &RevisionMap, rows: &[String]) -> FixedBitSet {
    let known: Vec<usize> = rows.iter().filter_map(|r| map.key(r)).collect();
    map.reach(&known, Edges::AllDown)
}

/// `retort_history`'s changes for a step, given what was applied before it
/// and the version table's rows after it: a revision run up is recorded
/// afresh (any stale row replaced), one run down is removed; a stamp records
/// the revisions it marks applied (with their files' checksums now and no
/// duration) and removes those it unmarks.  `(revision, Some(checksum))`
/// records, `(revision, None)` removes.
pub(crate) fn history_changes(
    project: &Project,
    map: &RevisionMap,
    before: &FixedBitSet,
    rows_after: &[String],
    step: &Step,
) -> Vec<(String, Option<String>)> {
    let record = |rev: usize| {
        let id = map.id(rev).to_string();
        let checksum = script_checksum(&project.scripts[rev].path).unwrap_or_default();
        [(id.clone(), None), (id, Some(checksum))]
    };
    match step {
        Step::Revision { rev, upgrade: true } => record(*rev).to_vec(),
        Step::Revision {
            rev,
            upgrade: false,
        } => vec![(map.id(*rev).to_string(), None)],
        Step::Stamp { .. } => {
            let now = applied_set(map, rows_after);
            let mut changes = Vec::new();
            for rev in now.difference(before) {
                changes.extend(record(rev));
            }
            for rev in before.difference(&now) {
                changes.push((map.id(rev).to_string(), None));
            }
            changes
        }
    }
}

/// Every revision's state: script order base → head, then the missing ones.
pub(crate) fn audit(
    project: &Project,
    map: &RevisionMap,
    rows: &[String],
    history: Option<&[HistoryRow]>,
) -> Result<Vec<Entry>, Failure> {
    let recorded: BTreeMap<&str, &HistoryRow> = history
        .unwrap_or_default()
        .iter()
        .map(|h| (h.revision.as_str(), h))
        .collect();
    let mut applied = applied_set(map, rows);
    // A row without a script hides what it descends from; what
    // retort_history recorded as applied is taken at its word then.
    if rows.iter().any(|r| map.key(r).is_none()) {
        for id in recorded.keys() {
            if let Some(i) = map.key(id) {
                applied.union_with(&map.reach(&[i], Edges::AllDown));
            }
        }
    }
    let mut all = FixedBitSet::with_capacity(map.len());
    all.insert_range(..);
    let mut order = map
        .topological_sort(&all, map.heads())
        .map_err(|e| Catch::default().failure(e))?;
    order.reverse();
    let mut entries = Vec::with_capacity(order.len());
    for i in order {
        let id = map.id(i);
        let path = &project.scripts[i].path;
        let checksum = script_checksum(path);
        let row = recorded.get(id).filter(|_| applied.contains(i));
        let state = match row {
            _ if !applied.contains(i) => State::Pending,
            Some(r) if checksum.as_deref() != Some(r.checksum.as_str()) => State::Edited,
            _ => State::Applied,
        };
        entries.push(Entry {
            revision: id.to_string(),
            state,
            path: Some(path.display().to_string()),
            checksum,
            recorded_checksum: row.map(|r| r.checksum.clone()),
            applied_at: row.map(|r| r.applied_at.clone()),
        });
    }
    let mut missing: Vec<&str> = rows.iter().map(String::as_str).collect();
    missing.extend(recorded.keys());
    let mut seen = std::collections::BTreeSet::new();
    for id in missing {
        if map.key(id).is_some() || !seen.insert(id) {
            continue;
        }
        let row = recorded.get(id);
        entries.push(Entry {
            revision: id.to_string(),
            state: State::Missing,
            path: None,
            checksum: None,
            recorded_checksum: row.map(|r| r.checksum.clone()),
            applied_at: row.map(|r| r.applied_at.clone()),
        });
    }
    Ok(entries)
}

/// `upgrade`'s check: one warning per edited or missing revision on stderr;
/// with `--strict` they stop the run instead, before anything runs.
pub(crate) fn check_before_upgrade(
    project: &Project,
    map: &RevisionMap,
    rows: &[String],
    history: &[HistoryRow],
    strict: bool,
) -> Result<(), Failure> {
    let problems: Vec<String> = audit(project, map, rows, Some(history))?
        .into_iter()
        .filter_map(|e| match e.state {
            State::Edited => Some(format!(
                "revision {} was edited after it was applied: {} no longer matches the checksum recorded in retort_history",
                e.revision,
                e.path.unwrap_or_default()
            )),
            State::Missing => Some(format!(
                "revision {} is applied to the database but has no script file",
                e.revision
            )),
            State::Applied | State::Pending => None,
        })
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    if strict {
        return Err(Failure::Command(format!(
            "upgrade --strict: nothing was run; {}",
            problems.join("; ")
        )));
    }
    for p in problems {
        eprintln!("retort: warning: {p}");
    }
    Ok(())
}

/// What `status` prints.
pub(crate) fn report(
    project: &Project,
    map: &RevisionMap,
    rows: &[String],
    history: Option<&[HistoryRow]>,
    format: Format,
    out: &mut Output,
) -> Result<(), Failure> {
    let entries = audit(project, map, rows, history)?;
    match format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&entries)
                .map_err(|e| Failure::Crash(format!("status: {e}")))?;
            out.line(&text);
        }
        Format::Text => {
            let width = entries.iter().map(|e| e.revision.len()).max().unwrap_or(0);
            for e in &entries {
                let place = e.path.as_deref().unwrap_or("(no script file)");
                out.line(&format!(
                    "{:<width$}  {:<7}  {place}",
                    e.revision,
                    e.state.name()
                ));
            }
        }
    }
    Ok(())
}

pub fn run(global: &Global, out: &mut Output, format: Format) -> Result<(), Failure> {
    let project = Project::load(global)?;
    let checksums = project.config.checksums()?;
    if !project.uses_stock_env() {
        return hosted::run_plan(project, global, out, Plan::Status(format), Catch::default());
    }
    let map = project.map(&Catch::default())?;
    let mut conn = project.connect()?;
    // Read only: neither table is created.
    let rows = conn.table.rows(&mut conn.db)?;
    let history = if checksums {
        HistoryTable::new(conn.table.schema.clone()).rows(&mut conn.db)?
    } else {
        None
    };
    report(project, map, &rows, history.as_deref(), format, out)
}
