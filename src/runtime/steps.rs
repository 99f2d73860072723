//! Migration steps as plain data, and how each one moves the version table's rows
//! ("one row per head"), as Alembic's `RevisionStep`, `StampStep` and
//! `HeadMaintainer` do. Pure: no database, no Python.

use crate::revision::{Edges, Resolved, RevArg, RevisionError, RevisionMap};

use super::RuntimeError;

/// One change to the version table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionOp {
    Insert(String),
    Update { from: String, to: String },
    Delete(String),
}

/// A step of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Run a script's `upgrade()` (or `downgrade()`).
    Revision { rev: usize, upgrade: bool },
    /// Change rows only (`stamp`).
    Stamp {
        from: Vec<String>,
        to: Vec<String>,
        upgrade: bool,
        branch_move: bool,
    },
}

impl Step {
    /// The migration function's name, as the log line shows it.
    pub fn name(&self) -> &'static str {
        match self {
            Step::Revision { upgrade: true, .. } => "upgrade",
            Step::Revision { upgrade: false, .. } => "downgrade",
            Step::Stamp { .. } => "stamp_revision",
        }
    }

    /// `Running <name> <from> -> <to>[, <doc>]`: down revisions without
    /// dependencies, mirrored for downgrades.
    pub fn log_line(&self, map: &RevisionMap, doc: Option<&str>) -> String {
        let (from, to) = match self {
            Step::Revision { rev, upgrade } => {
                let node = map.node(*rev);
                let down = node.rev.down_revisions.join(", ");
                if *upgrade {
                    (down, node.id().to_string())
                } else {
                    (node.id().to_string(), down)
                }
            }
            Step::Stamp { from, to, .. } => (from.join(", "), to.join(", ")),
        };
        match doc.filter(|d| !d.is_empty()) {
            Some(d) => format!("Running {} {from} -> {to}, {d}", self.name()),
            None => format!("Running {} {from} -> {to}", self.name()),
        }
    }
}

/// The version table's rows as the run goes (Alembic's `HeadMaintainer`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Heads {
    rows: Vec<String>,
}

impl Heads {
    pub fn new(rows: &[String]) -> Heads {
        let mut h = Heads::default();
        for r in rows {
            if !h.contains(r) {
                h.rows.push(r.clone());
            }
        }
        h
    }

    pub fn rows(&self) -> &[String] {
        &self.rows
    }

    fn contains(&self, v: &str) -> bool {
        self.rows.iter().any(|r| r == v)
    }

    fn insert(&mut self, v: &str, ops: &mut Vec<VersionOp>) -> Result<(), RuntimeError> {
        if self.contains(v) {
            return Err(RuntimeError::VersionTable(format!(
                "revision {v} is already in the version table"
            )));
        }
        self.rows.push(v.to_string());
        ops.push(VersionOp::Insert(v.to_string()));
        Ok(())
    }

    fn delete(&mut self, v: &str, ops: &mut Vec<VersionOp>) -> Result<(), RuntimeError> {
        let Some(pos) = self.rows.iter().position(|r| r == v) else {
            return Err(RuntimeError::VersionTable(format!(
                "revision {v} is not in the version table"
            )));
        };
        self.rows.remove(pos);
        ops.push(VersionOp::Delete(v.to_string()));
        Ok(())
    }

    fn update(
        &mut self,
        from: &str,
        to: &str,
        ops: &mut Vec<VersionOp>,
    ) -> Result<(), RuntimeError> {
        if self.contains(to) {
            return Err(RuntimeError::VersionTable(format!(
                "revision {to} is already in the version table"
            )));
        }
        let Some(pos) = self.rows.iter().position(|r| r == from) else {
            return Err(RuntimeError::VersionTable(format!(
                "revision {from} is not in the version table"
            )));
        };
        self.rows[pos] = to.to_string();
        ops.push(VersionOp::Update {
            from: from.to_string(),
            to: to.to_string(),
        });
        Ok(())
    }

    /// Apply a step; returns the statements to run, in order (spec §4.2).
    pub fn apply(
        &mut self,
        map: &RevisionMap,
        step: &Step,
    ) -> Result<Vec<VersionOp>, RuntimeError> {
        let mut ops = Vec::new();
        match step {
            Step::Revision { rev, upgrade } => {
                self.apply_revision(map, *rev, *upgrade, &mut ops)?
            }
            Step::Stamp {
                from,
                to,
                upgrade,
                branch_move,
            } => self.apply_stamp(from, to, *upgrade, *branch_move, &mut ops)?,
        }
        Ok(ops)
    }

    fn apply_revision(
        &mut self,
        map: &RevisionMap,
        rev: usize,
        upgrade: bool,
        ops: &mut Vec<VersionOp>,
    ) -> Result<(), RuntimeError> {
        let node = map.node(rev);
        let id = node.id().to_string();
        let down: Vec<String> = node
            .normalized_down
            .iter()
            .map(|&d| map.id(d).to_string())
            .collect();
        let in_heads: Vec<&String> = down.iter().filter(|d| self.contains(d)).collect();
        if upgrade {
            if down.is_empty() || in_heads.is_empty() {
                return self.insert(&id, ops);
            }
            if down.len() > 1 && in_heads.len() > 1 {
                // Merge: the parents not implied by another remaining head go; the
                // last of them becomes this revision.
                let others: Vec<String> = self
                    .rows
                    .iter()
                    .filter(|r| !down.contains(r))
                    .cloned()
                    .collect();
                let from: Vec<String> = if others.is_empty() {
                    down.clone()
                } else {
                    let implied = self.ancestors_of(map, &others)?;
                    down.iter()
                        .filter(|d| !implied.contains(d))
                        .cloned()
                        .collect()
                };
                let Some((last, rest)) = from.split_last() else {
                    return Err(RuntimeError::VersionTable(format!(
                        "merge of {id} has nothing to update"
                    )));
                };
                for d in rest {
                    self.delete(d, ops)?;
                }
                return self.update(last, &id, ops);
            }
            let from = if down.len() == 1 {
                down[0].clone()
            } else {
                match in_heads.as_slice() {
                    [one] => (*one).clone(),
                    _ => {
                        return Err(RuntimeError::VersionTable(
                            "Can't do an UPDATE because downrevision is ambiguous".to_string(),
                        ))
                    }
                }
            };
            return self.update(&from, &id, ops);
        }

        // Downgrade.
        let restore = self.unmerge_targets(map, &id, &down)?;
        if self.contains(&id) && (down.is_empty() || restore.is_empty()) {
            return self.delete(&id, ops);
        }
        if self.contains(&id) && down.len() > 1 {
            let Some((last, rest)) = restore.split_last() else {
                return Err(RuntimeError::VersionTable(format!(
                    "unmerge of {id} has nothing to restore"
                )));
            };
            for r in rest {
                self.insert(r, ops)?;
            }
            return self.update(&id, last, ops);
        }
        let to = if down.len() == 1 {
            down[0].clone()
        } else {
            return Err(RuntimeError::VersionTable(
                "Can't do an UPDATE because downrevision is ambiguous".to_string(),
            ));
        };
        self.update(&id, &to, ops)
    }

    /// The down revisions a downgrade of `id` must leave as rows: those not
    /// already implied by another remaining row (or by each other).
    fn unmerge_targets(
        &self,
        map: &RevisionMap,
        id: &str,
        down: &[String],
    ) -> Result<Vec<String>, RuntimeError> {
        let others: Vec<String> = self.rows.iter().filter(|r| *r != id).cloned().collect();
        if !others.is_empty() {
            let implied = self.ancestors_of(map, &others)?;
            return Ok(down
                .iter()
                .filter(|d| !implied.contains(d))
                .cloned()
                .collect());
        }
        let mut implied = Vec::new();
        for d in down {
            let strict: Vec<String> = self
                .ancestors_of(map, std::slice::from_ref(d))?
                .into_iter()
                .filter(|a| a != d)
                .collect();
            implied.extend(strict);
        }
        Ok(down
            .iter()
            .filter(|d| !implied.contains(d))
            .cloned()
            .collect())
    }

    fn ancestors_of(
        &self,
        map: &RevisionMap,
        revs: &[String],
    ) -> Result<Vec<String>, RuntimeError> {
        let idx: Vec<usize> = map
            .get_revisions(RevArg::Rows(revs))?
            .into_iter()
            .filter_map(Resolved::rev)
            .collect();
        Ok(map
            .reach(&idx, Edges::NormalizedDown)
            .ones()
            .map(|i| map.id(i).to_string())
            .collect())
    }

    fn apply_stamp(
        &mut self,
        from: &[String],
        to: &[String],
        upgrade: bool,
        branch_move: bool,
        ops: &mut Vec<VersionOp>,
    ) -> Result<(), RuntimeError> {
        let single = |v: &[String], what: &str| -> Result<String, RuntimeError> {
            match v {
                [one] => Ok(one.clone()),
                _ => Err(RuntimeError::VersionTable(format!(
                    "a stamp step needs exactly one {what} revision"
                ))),
            }
        };
        if !upgrade && branch_move {
            return self.delete(&single(from, "source")?, ops);
        }
        let from_missing = from.iter().any(|f| !self.contains(f));
        let to_missing = to.iter().any(|t| !self.contains(t));
        if upgrade && (branch_move || from_missing) && to_missing {
            return self.insert(&single(to, "target")?, ops);
        }
        if from.len() > 1 {
            let (last, rest) = from
                .split_last()
                .ok_or_else(|| RuntimeError::VersionTable("empty stamp".into()))?;
            for f in rest {
                self.delete(f, ops)?;
            }
            return self.update(last, &single(to, "target")?, ops);
        }
        self.update(&single(from, "source")?, &single(to, "target")?, ops)
    }
}

/// `stamp <revisions>` from the given rows: one step per destination (Alembic's
/// `_stamp_revs`).
pub fn stamp_steps(
    map: &RevisionMap,
    rows: &[String],
    revisions: &[String],
) -> Result<Vec<Step>, RevisionError> {
    let heads: Vec<usize> = map
        .get_revisions(RevArg::Rows(rows))?
        .into_iter()
        .filter_map(Resolved::rev)
        .collect();
    let base = ["base".to_string()];
    let revisions = if revisions.is_empty() {
        &base[..]
    } else {
        revisions
    };
    let mut filtered: Vec<usize> = Vec::new();
    for r in revisions.iter().filter(|r| !r.is_empty()) {
        for h in map.filter_for_lineage(&heads, r, true)? {
            if !filtered.contains(&h) {
                filtered.push(h);
            }
        }
    }
    let filtered_ids: Vec<String> = filtered.iter().map(|&h| map.id(h).to_string()).collect();
    let mut dests: Vec<Option<usize>> = map
        .get_revisions(RevArg::Rows(revisions))?
        .into_iter()
        .map(Resolved::rev)
        .collect();
    if dests.is_empty() {
        dests.push(None);
    }
    let mut steps = Vec::new();
    for dest in dests {
        let Some(dest) = dest else {
            steps.extend(filtered_ids.iter().map(|h| Step::Stamp {
                from: vec![h.clone()],
                to: Vec::new(),
                upgrade: false,
                branch_move: true,
            }));
            continue;
        };
        if filtered.contains(&dest) {
            continue;
        }
        let to = vec![map.id(dest).to_string()];
        let descendants = map.reach(&[dest], Edges::AllUp);
        let ancestors = map.reach(&[dest], Edges::NormalizedDown);
        let step = if filtered.iter().any(|&h| descendants.contains(h)) {
            Step::Stamp {
                from: filtered_ids.clone(),
                to,
                upgrade: false,
                branch_move: false,
            }
        } else if filtered.iter().any(|&h| ancestors.contains(h)) {
            Step::Stamp {
                from: filtered_ids.clone(),
                to,
                upgrade: true,
                branch_move: false,
            }
        } else {
            Step::Stamp {
                from: Vec::new(),
                to,
                upgrade: true,
                branch_move: true,
            }
        };
        steps.push(step);
    }
    Ok(steps)
}
