//! Which command runs next: the revision graph decides the upgrade order
//! (`upgrade <rev>` one revision at a time, branches and merges included)
//! and, going back, a `downgrade` target that undoes exactly one revision.

use crate::revision::{RevisionError, RevisionMap};

/// One command run on both twins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The command's arguments (`upgrade 4d5e6f`, `downgrade 1a2b3c`).
    pub args: Vec<String>,
    /// What it does, as Alembic logs it (`upgrade 1a2b3c -> 4d5e6f`).
    pub label: String,
    /// The revisions it runs, in order.
    pub revisions: Vec<usize>,
}

/// `<down> -> <rev>` for each revision (`<base>` for none), upward or
/// downward.
fn label(map: &RevisionMap, verb: &str, revisions: &[usize]) -> String {
    let moves: Vec<String> = revisions
        .iter()
        .map(|&i| {
            let down = &map.node(i).rev.down_revisions;
            let down = if down.is_empty() {
                "<base>".to_string()
            } else {
                down.join(", ")
            };
            if verb == "upgrade" {
                format!("{down} -> {}", map.id(i))
            } else {
                format!("{} -> {down}", map.id(i))
            }
        })
        .collect();
    format!("{verb} {}", moves.join("; "))
}

/// The next upgrade from the version table's `rows` towards the heads, or
/// `None` at the heads.
pub fn next_upgrade(map: &RevisionMap, rows: &[String]) -> Result<Option<Step>, RevisionError> {
    let mut warnings = Vec::new();
    let plan = map.upgrade_plan(rows, "heads", &mut warnings)?;
    let Some(&next) = plan.first() else {
        return Ok(None);
    };
    let id = map.id(next).to_string();
    let revisions = map.upgrade_plan(rows, &id, &mut warnings)?;
    Ok(Some(Step {
        label: label(map, "upgrade", &revisions),
        args: vec!["upgrade".into(), id],
        revisions,
    }))
}

/// The next downgrade from `rows` towards base, or `None` at base.
pub fn next_downgrade(map: &RevisionMap, rows: &[String]) -> Result<Option<Step>, RevisionError> {
    let mut warnings = Vec::new();
    let plan = map.downgrade_plan(rows, "base", &mut warnings)?;
    match plan.first() {
        Some(&next) => undo(map, rows, next).map(Some),
        None => Ok(None),
    }
}

/// The `downgrade` that undoes `revision` (a current head) and as little
/// else as the graph allows: to one of its parents (undoes siblings too
/// when a parent is a branch point), `<rev>@-1` (only its own branch), or
/// `base`.
pub fn undo(map: &RevisionMap, rows: &[String], revision: usize) -> Result<Step, RevisionError> {
    let node = map.node(revision);
    let mut candidates: Vec<String> = node.rev.down_revisions.clone();
    candidates.push(format!("{}@-1", node.id()));
    candidates.push("base".into());
    let mut best: Option<(String, Vec<usize>)> = None;
    let mut last_error = None;
    for target in candidates {
        let mut warnings = Vec::new();
        match map.downgrade_plan(rows, &target, &mut warnings) {
            Ok(plan) if plan.contains(&revision) => {
                if best.as_ref().is_none_or(|(_, b)| plan.len() < b.len()) {
                    best = Some((target, plan));
                }
            }
            Ok(_) => {}
            Err(e) => last_error = Some(e),
        }
    }
    match best {
        Some((target, revisions)) => Ok(Step {
            label: label(map, "downgrade", &revisions),
            args: vec!["downgrade".into(), target],
            revisions,
        }),
        None => Err(last_error.unwrap_or_else(|| {
            RevisionError::Assertion(format!("no downgrade undoes {}", node.id()))
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revision::Revision;

    fn rev(id: &str, down: &[&str]) -> Revision {
        Revision {
            id: id.into(),
            down_revisions: down.iter().map(|d| d.to_string()).collect(),
            ..Revision::default()
        }
    }

    /// a → (b, c) → m: each step runs one revision, up and down.
    #[test]
    fn walks_a_diamond_one_revision_at_a_time() {
        let map = RevisionMap::build(vec![
            rev("a", &[]),
            rev("b", &["a"]),
            rev("c", &["a"]),
            rev("m", &["b", "c"]),
        ])
        .expect("map");
        let mut rows: Vec<String> = Vec::new();
        let mut ran = Vec::new();
        while let Some(step) = next_upgrade(&map, &rows).expect("plan") {
            assert_eq!(step.revisions.len(), 1, "{step:?}");
            let i = step.revisions[0];
            ran.push(map.id(i).to_string());
            // The version table: heads of what has run.
            rows.retain(|r| !map.node(i).rev.down_revisions.contains(r));
            rows.push(map.id(i).to_string());
        }
        assert_eq!(ran.len(), 4);
        assert_eq!(ran[0], "a");
        assert_eq!(ran[3], "m");
        assert_eq!(rows, ["m"]);
        let step = next_downgrade(&map, &rows).expect("plan").expect("step");
        assert_eq!(step.label, "downgrade m -> b, c");
        rows = vec!["b".into(), "c".into()];
        let step = next_downgrade(&map, &rows).expect("plan").expect("step");
        // Undoing one branch of two must not take the other with it.
        assert_eq!(step.revisions.len(), 1, "{step:?}");
        assert_ne!(step.args[1], "a");
    }
}
