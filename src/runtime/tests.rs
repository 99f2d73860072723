//! Version-table effects of the worked examples (spec §3.4, §4.3).

use super::*;
use crate::revision::testing::map;
use crate::revision::RevisionMap;

fn rows(r: &[&str]) -> Vec<String> {
    r.iter().map(|s| s.to_string()).collect()
}

/// Run the plan from `from` to `target` and return the SQL-ish trace and final rows.
fn run(m: &RevisionMap, from: &[&str], target: &str, up: bool) -> (Vec<String>, Vec<String>) {
    let mut w = Vec::new();
    let plan = if up {
        m.upgrade_plan(&rows(from), target, &mut w).unwrap()
    } else {
        m.downgrade_plan(&rows(from), target, &mut w).unwrap()
    };
    let mut heads = Heads::new(&rows(from));
    let mut trace = Vec::new();
    for rev in plan {
        for op in heads
            .apply(m, &Step::Revision { rev, upgrade: up })
            .unwrap()
        {
            trace.push(show(&op));
        }
    }
    let mut final_rows = heads.rows().to_vec();
    final_rows.sort();
    (trace, final_rows)
}

fn show(op: &VersionOp) -> String {
    match op {
        VersionOp::Insert(v) => format!("INSERT {v}"),
        VersionOp::Update { from, to } => format!("UPDATE {from}->{to}"),
        VersionOp::Delete(v) => format!("DELETE {v}"),
    }
}

#[test]
fn e2_two_branches_up() {
    let m = map(&[
        "a",
        "b:a",
        "c1:b@c1branch",
        "d1:c1",
        "c2:b@c2branch",
        "d2:c2",
    ]);
    let (trace, final_rows) = run(&m, &[], "heads", true);
    assert_eq!(
        trace,
        [
            "INSERT a",
            "UPDATE a->b",
            "UPDATE b->c2",
            "UPDATE c2->d2",
            "INSERT c1",
            "UPDATE c1->d1"
        ]
    );
    assert_eq!(final_rows, ["d1", "d2"]);
    let (_, after) = run(&m, &["d1", "d2"], "c2branch@b", false);
    assert_eq!(after, ["d1"]);
    let (_, after) = run(&m, &["d1", "d2"], "c1branch@-1", false);
    assert_eq!(after, ["c1", "d2"]);
}

#[test]
fn e3_merge_and_unmerge() {
    let m = map(&[
        "a",
        "b:a",
        "c1:b",
        "d1:c1",
        "c2:b@c2branch",
        "d2:c2",
        "e:d1,d2",
        "f:e",
    ]);
    let (trace, final_rows) = run(&m, &["b"], "f", true);
    assert_eq!(
        trace,
        [
            "UPDATE b->c2",
            "UPDATE c2->d2",
            "INSERT c1",
            "UPDATE c1->d1",
            "DELETE d1",
            "UPDATE d2->e",
            "UPDATE e->f"
        ]
    );
    assert_eq!(final_rows, ["f"]);
    let (trace, final_rows) = run(&m, &["f"], "b", false);
    // -e unmerges (which parent is updated is arbitrary in Alembic), -c1 deletes,
    // -c2 updates back to b.
    assert!(trace.contains(&"DELETE c1".to_string()));
    assert_eq!(trace.last().map(String::as_str), Some("UPDATE c2->b"));
    assert_eq!(final_rows, ["b"]);
    let (_, after) = run(&m, &["f"], "d1", false);
    assert_eq!(after, ["d1", "d2"]);
}

#[test]
fn e4_diamond() {
    let m = map(&["a", "b1:a", "b2:a", "c:b1,b2", "d:c"]);
    let (trace, _) = run(&m, &[], "d", true);
    assert_eq!(
        trace,
        [
            "INSERT a",
            "UPDATE a->b2",
            "INSERT b1",
            "DELETE b1",
            "UPDATE b2->c",
            "UPDATE c->d"
        ]
    );
    let (_, after) = run(&m, &["d"], "b1", false);
    assert_eq!(after, ["b1", "b2"]);
    let (_, after) = run(&m, &["d"], "a", false);
    assert_eq!(after, ["a"]);
}

#[test]
fn e6_dependency_merges_its_parent() {
    let m = map(&["a1", "a2:a1", "a3:a2", "b1", "b2:b1|a2", "b3:b2"]);
    let (trace, final_rows) = run(&m, &[], "b3", true);
    assert_eq!(
        trace,
        [
            "INSERT a1",
            "UPDATE a1->a2",
            "INSERT b1",
            "DELETE b1",
            "UPDATE a2->b2",
            "UPDATE b2->b3"
        ]
    );
    assert_eq!(final_rows, ["b3"]);
    let (_, after) = run(&m, &["a3", "b3"], "a1", false);
    assert_eq!(after, ["a1", "b1"]);
    let (_, after) = run(&m, &["a3", "b3"], "b1", false);
    assert_eq!(after, ["a3", "b1"]);
}

#[test]
fn e7_root_depending_on_root() {
    let m = map(&["a1", "b1:|a1", "m:a1,b1"]);
    let (trace, _) = run(&m, &[], "heads", true);
    assert_eq!(trace, ["INSERT a1", "UPDATE a1->b1", "UPDATE b1->m"]);
    let (_, after) = run(&m, &["m"], "a1", false);
    assert_eq!(after, ["b1"]);
    let (_, after) = run(&m, &["m"], "base", false);
    assert!(after.is_empty());
}

fn stamp(m: &RevisionMap, from: &[&str], to: &[&str]) -> Vec<String> {
    let mut heads = Heads::new(&rows(from));
    let mut trace = Vec::new();
    for step in stamp_steps(m, &rows(from), &rows(to)).unwrap() {
        for op in heads.apply(m, &step).unwrap() {
            trace.push(show(&op));
        }
    }
    trace
}

#[test]
fn stamp_cases_of_the_spec() {
    let m = map(&[
        "a",
        "b:a",
        "c1:b@c1branch",
        "d1:c1",
        "c2:b@c2branch",
        "d2:c2",
        "e:d1,d2",
        "f:e@fbranch",
    ]);
    assert_eq!(
        stamp(&m, &["d1", "c2"], &["b"]),
        ["DELETE d1", "UPDATE c2->b"]
    );
    assert_eq!(stamp(&m, &["e"], &["c2"]), ["UPDATE e->c2"]);
    assert_eq!(
        stamp(&m, &["d1", "c2"], &["c2branch@head"]),
        ["DELETE d1", "UPDATE c2->f"]
    );
    assert_eq!(stamp(&m, &["d1", "c2"], &["c1branch@base"]), ["DELETE d1"]);
    assert!(stamp(&m, &["d1", "c2"], &["d1", "c2"]).is_empty());
    assert_eq!(
        stamp(&m, &[], &["a", "e", "f"]),
        ["INSERT a", "INSERT e", "INSERT f"]
    );
    let forest = map(&["a1", "b1:a1", "a2", "b2:a2"]);
    assert_eq!(stamp(&forest, &[], &["heads"]), ["INSERT b1", "INSERT b2"]);
    assert!(stamp(&forest, &["b1", "b2"], &["heads"]).is_empty());
}

#[test]
fn log_lines() {
    let m = map(&["a", "b:a", "m:a,b"]);
    let b = m.key("b").unwrap();
    let step = Step::Revision {
        rev: b,
        upgrade: true,
    };
    assert_eq!(
        step.log_line(&m, Some("add b")),
        "Running upgrade a -> b, add b"
    );
    let a = m.key("a").unwrap();
    assert_eq!(
        Step::Revision {
            rev: a,
            upgrade: false
        }
        .log_line(&m, None),
        "Running downgrade a -> "
    );
    let stamp = Step::Stamp {
        from: vec!["b3".into()],
        to: vec![],
        upgrade: false,
        branch_move: true,
    };
    assert_eq!(stamp.log_line(&m, None), "Running stamp_revision b3 -> ");
}
