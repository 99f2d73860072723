//! The worked examples of Alembic's traversal tests (spec §3.4), as plans.

use super::*;

use super::testing::map;

fn rows(r: &[&str]) -> Vec<String> {
    r.iter().map(|s| s.to_string()).collect()
}

fn ids(m: &RevisionMap, v: Vec<usize>) -> Vec<String> {
    v.into_iter().map(|i| m.id(i).to_string()).collect()
}

fn up(m: &RevisionMap, from: &[&str], target: &str) -> Result<Vec<String>, RevisionError> {
    m.upgrade_plan(&rows(from), target, &mut Vec::new())
        .map(|v| ids(m, v))
}

fn down(m: &RevisionMap, from: &[&str], target: &str) -> Result<Vec<String>, RevisionError> {
    m.downgrade_plan(&rows(from), target, &mut Vec::new())
        .map(|v| ids(m, v))
}

fn msg<T: std::fmt::Debug>(r: Result<T, RevisionError>) -> String {
    r.expect_err("expected an error").to_string()
}

#[test]
fn e1_linear() {
    let m = map(&["a", "b:a", "c:b", "d:c", "e:d"]);
    assert_eq!(up(&m, &["c"], "e").unwrap(), ["d", "e"]);
    assert_eq!(up(&m, &["a"], "+2").unwrap(), ["b", "c"]);
    assert_eq!(up(&m, &["a"], "b+2").unwrap(), ["b", "c", "d"]);
    assert_eq!(up(&m, &["a"], "d-2").unwrap(), ["b"]);
    assert_eq!(down(&m, &["c"], "-1").unwrap(), ["c"]);
    assert_eq!(down(&m, &["d"], "a+2").unwrap(), ["d"]);
    assert_eq!(down(&m, &["d"], "c-2").unwrap(), ["d", "c", "b"]);
    assert_eq!(down(&m, &["c"], "base").unwrap(), ["c", "b", "a"]);
    assert_eq!(
        msg(up(&m, &["b"], "-2")),
        "Relative revision -2 didn't produce 2 migrations"
    );
    assert_eq!(
        msg(up(&m, &["b"], "+5")),
        "Relative revision +5 didn't produce 5 migrations"
    );
    assert_eq!(
        msg(down(&m, &["b"], "-5")),
        "Relative revision -5 didn't produce 5 migrations"
    );
    assert_eq!(
        msg(down(&m, &["b"], "+2")),
        "Relative revision +2 didn't produce 2 migrations"
    );
    assert!(down(&m, &["a"], "a").unwrap().is_empty());
    assert!(down(&m, &["e"], "e").unwrap().is_empty());
}

fn e2() -> RevisionMap {
    map(&[
        "a",
        "b:a",
        "c1:b@c1branch",
        "d1:c1",
        "c2:b@c2branch",
        "d2:c2",
    ])
}

#[test]
fn e2_labelled_branches() {
    let m = e2();
    assert_eq!(
        up(&m, &[], "heads").unwrap(),
        ["a", "b", "c2", "d2", "c1", "d1"]
    );
    assert!(matches!(
        up(&m, &[], "head"),
        Err(RevisionError::MultipleHeads { .. })
    ));
    assert_eq!(
        up(&m, &[], "c1branch@head").unwrap(),
        ["a", "b", "c1", "d1"]
    );
    let both = ["d1", "d2"];
    assert_eq!(down(&m, &both, "a").unwrap(), ["d1", "c1", "d2", "c2", "b"]);
    assert_eq!(down(&m, &both, "c2branch@b").unwrap(), ["d2", "c2"]);
    assert_eq!(down(&m, &both, "c2branch@base+2").unwrap(), ["d2", "c2"]);
    assert_eq!(down(&m, &both, "base+2").unwrap(), ["d1", "c1", "d2", "c2"]);
    assert_eq!(down(&m, &both, "c1branch@-1").unwrap(), ["d1"]);
    let mut warnings = Vec::new();
    let plan = m
        .downgrade_plan(&rows(&["d2", "d1"]), "-1", &mut warnings)
        .unwrap();
    assert_eq!(ids(&m, plan), ["d2"]);
    assert_eq!(warnings.len(), 1);
    assert_eq!(down(&m, &["d1", "d2"], "-1").unwrap(), ["d1"]);
    assert_eq!(up(&m, &["c1"], "c2branch@+1").unwrap(), ["c2"]);
    assert_eq!(up(&m, &["c1", "c2"], "c2branch@+1").unwrap(), ["d2"]);
    assert_eq!(
        msg(up(&m, &["c1", "c2"], "+1")),
        "Ambiguous upgrade from multiple current revisions"
    );
    assert_eq!(up(&m, &["b"], "c2branch@head-1").unwrap(), ["c2"]);
}

fn e3() -> RevisionMap {
    map(&[
        "a",
        "b:a",
        "c1:b",
        "d1:c1",
        "c2:b@c2branch",
        "d2:c2",
        "e:d1,d2",
        "f:e",
    ])
}

#[test]
fn e3_merge() {
    let m = e3();
    assert_eq!(
        up(&m, &["b"], "f").unwrap(),
        ["c2", "d2", "c1", "d1", "e", "f"]
    );
    assert_eq!(
        down(&m, &["f"], "b").unwrap(),
        ["f", "e", "d1", "c1", "d2", "c2"]
    );
    assert_eq!(down(&m, &["f"], "-1").unwrap(), ["f"]);
    assert_eq!(msg(down(&m, &["f"], "-2")), "Ambiguous walk");
    assert_eq!(down(&m, &["f"], "d1").unwrap(), ["f", "e"]);
    assert_eq!(
        down(&m, &["f"], "c2branch@b").unwrap(),
        ["f", "e", "d2", "c2"]
    );
    assert_eq!(up(&m, &["d2"], "+1").unwrap(), ["c1", "d1", "e"]);
}

#[test]
fn e4_diamond() {
    let m = map(&["a", "b1:a", "b2:a", "c:b1,b2", "d:c"]);
    assert_eq!(up(&m, &[], "d").unwrap(), ["a", "b2", "b1", "c", "d"]);
    assert_eq!(msg(down(&m, &["c"], "-1")), "Ambiguous walk");
    assert_eq!(down(&m, &["d"], "b1").unwrap(), ["d", "c"]);
    assert_eq!(down(&m, &["d"], "a").unwrap(), ["d", "c", "b1", "b2"]);
}

#[test]
fn e5_forest() {
    let m = map(&["a1", "b1:a1", "a2", "b2:a2"]);
    assert_eq!(up(&m, &[], "heads").unwrap(), ["a2", "b2", "a1", "b1"]);
    assert_eq!(
        down(&m, &["b1", "b2"], "base").unwrap(),
        ["b1", "a1", "b2", "a2"]
    );
    assert_eq!(down(&m, &["b1", "b2"], "a1").unwrap(), ["b1"]);
}

#[test]
fn e6_cross_root_dependency() {
    let m = map(&["a1", "a2:a1", "a3:a2", "b1", "b2:b1|a2", "b3:b2"]);
    assert_eq!(up(&m, &[], "b3").unwrap(), ["a1", "a2", "b1", "b2", "b3"]);
    let all = up(&m, &[], "heads").unwrap();
    assert_eq!(all.last().map(String::as_str), Some("a3"));
    assert_eq!(all.len(), 6);
    assert_eq!(
        down(&m, &["a3", "b3"], "a1").unwrap(),
        ["a3", "b3", "b2", "a2"]
    );
    assert_eq!(down(&m, &["a3", "b3"], "b1").unwrap(), ["b3", "b2"]);
    // b3 is the only real head; a3 is an effective head.
    assert_eq!(ids(&m, m.real_heads().to_vec()), ["a3", "b3"]);
}

#[test]
fn e7_root_depending_on_root() {
    let m = map(&["a1", "b1:|a1", "m:a1,b1"]);
    assert_eq!(up(&m, &[], "heads").unwrap(), ["a1", "b1", "m"]);
    assert_eq!(down(&m, &["m"], "a1").unwrap(), ["m"]);
    assert_eq!(down(&m, &["m"], "base").unwrap(), ["m", "b1", "a1"]);
}

#[test]
fn e8_three_branch_order() {
    let m = map(&[
        "a1",
        "a2:a1",
        "a3:a2",
        "b1:a3",
        "b2:a3",
        "cb1:b1",
        "cb2:b2",
        "db1:cb1",
        "db2:cb2",
        "e1b1:db1",
        "fe1b1:e1b1",
        "e2b1:db1",
        "e2b2:db2",
        "merge:e2b1,e2b2",
    ]);
    let order = down(&m, &["merge", "fe1b1"], "a1").unwrap();
    assert_eq!(
        order,
        [
            "fe1b1", "e1b1", "merge", "e2b1", "db1", "cb1", "b1", "e2b2", "db2", "cb2", "b2", "a3",
            "a2"
        ]
    );
}

#[test]
fn graph_errors_are_worded_as_alembic() {
    let cycle = |spec: &[&str]| {
        let revisions = spec
            .iter()
            .map(|s| {
                let (id, d) = s.split_once(':').unwrap_or((s, ""));
                Revision {
                    id: id.into(),
                    down_revisions: d
                        .split(',')
                        .filter(|x| !x.is_empty())
                        .map(Into::into)
                        .collect(),
                    ..Revision::default()
                }
            })
            .collect();
        RevisionMap::build(revisions).unwrap_err().to_string()
    };
    assert_eq!(
        cycle(&["a:c", "b:a", "c:b"]),
        "Cycle is detected in revisions (a, b, c)"
    );
    assert_eq!(
        cycle(&["r", "a:c", "b:a", "c:b", "d:c", "e:d", "z:r"]),
        "Cycle is detected in revisions (a, b, c, d, e)"
    );
    assert_eq!(cycle(&["a:a"]), "Self-loop is detected in revisions (a)");
    assert_eq!(
        cycle(&["a-b"]),
        "Character(s) '-' not allowed in revision identifier 'a-b'"
    );
}

#[test]
fn label_propagates_down_a_straight_chain() {
    let m = map(&["a", "b:a", "c:b", "d:c", "x:b", "e:d@ebranch"]);
    let d = m.key("d").unwrap();
    assert!(m.node(d).labels.contains("ebranch"));
    // b is a branch point: the walk down stops before it.
    let b = m.key("b").unwrap();
    assert!(!m.node(b).labels.contains("ebranch"));
    assert_eq!(m.get_revision(Some("ebranch@d")).unwrap(), Some(d));
}
