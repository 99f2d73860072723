//! Differential test of the revision-graph layer against Alembic itself.
//!
//! Every graph below is described to `tests/support/revision_oracle.py`, which
//! builds Alembic's own `RevisionMap` from it and answers a list of queries
//! (heads, upgrade and downgrade plans, history ranges, identifier lookups). The
//! same queries are put to `retort::revision::RevisionMap` and the answers must be
//! equal: the same revisions in the same order, or the same exception class with
//! the same message (for Python's `AssertionError` only the class is compared).
//!
//! Alembic's answer is not always unique. It keeps a revision's normalized
//! dependencies in `tuple(set(...))`, so with two or more of them the order of
//! steps depends on Python's hash seed (seen: `d(c, depends_on=(a, b))` upgrades
//! `a b c d` or `b a c d`). The oracle therefore answers such graphs under every
//! order of those tuples and prints each distinct answer; retort may give any one
//! of them. Other sets (`nextrev`, the order labels enter the map) could vary too,
//! so the oracle also runs several times at once with different
//! `PYTHONHASHSEED`s and every answer of every run is accepted; queries where the
//! runs disagreed are listed in the summary ("seed-varying"). Overlap errors list
//! a set of `Revision` objects (hashed by address), compared as a set.
//!
//! The runtime layer is tested the same way (`vup`, `vdown`, `stamp`): the steps
//! of an upgrade, a downgrade or a stamp (`retort::runtime::stamp_steps` against
//! `ScriptDirectory._stamp_revs`) are applied one by one to a version table, by
//! `retort::runtime::Heads` and by Alembic's own `HeadMaintainer` (statements
//! recorded, not run), and each step's log line, its statements and the final
//! rows must agree. Where Alembic picks from a set (see `same_steps`) only what
//! does not depend on the pick is compared. When the maintainer refuses a step
//! (retort's `RuntimeError::VersionTable`, Alembic's `AssertionError`,
//! `CommandError` or the `KeyError` of its bookkeeping), only that it failed,
//! and at which step, is compared.
//!
//! `RETORT_ORACLE_GRAPHS=<n>` changes the number of random graphs.
//! `RETORT_ORACLE_DUMP=<file>` writes the oracle's input there, to replay a
//! graph by hand (`python tests/support/revision_oracle.py < file`).
//!
//! Python is `RETORT_TEST_PYTHON`, else `<crate>/.venv/bin/python`. Without it
//! (or without Alembic in it) the test is skipped loudly, unless `CI=true`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Instant;

use retort::revision::{IterateOptions, Resolved, RevArg, Revision, RevisionError, RevisionMap};
use retort::runtime::{stamp_steps, Heads, RuntimeError, Step, VersionOp};

/// Hash seeds the oracle runs with, one process each.
const HASH_SEEDS: &[&str] = &["0", "1", "4242"];
/// How many pseudo-random graphs are generated (`RETORT_ORACLE_GRAPHS` overrides,
/// for a longer soak).
const RANDOM_GRAPHS: u64 = 36;

// ---------------------------------------------------------------------------
// Graphs and queries

struct Graph {
    name: String,
    revs: Vec<Revision>,
    queries: Vec<Query>,
}

#[derive(Debug, Clone)]
enum Query {
    Heads,
    RealHeads,
    Bases,
    /// Version-table rows, upgrade target.
    Up(Vec<String>, String),
    /// Version-table rows, downgrade target.
    Down(Vec<String>, String),
    /// `history -r lower:upper`.
    Hist(String, String),
    Get(String),
    /// The upgrade's steps run through the version-table maintainer.
    VUp(Vec<String>, String),
    /// The downgrade's steps run through the version-table maintainer.
    VDown(Vec<String>, String),
    /// `stamp` of the given revisions from the given rows.
    Stamp(Vec<String>, Vec<String>),
}

fn rows_text(rows: &[String]) -> String {
    if rows.is_empty() {
        "-".to_string()
    } else {
        rows.join(",")
    }
}

impl Query {
    fn line(&self) -> String {
        match self {
            Query::Heads => "heads".into(),
            Query::RealHeads => "real_heads".into(),
            Query::Bases => "bases".into(),
            Query::Up(rows, t) => format!("up {} {t}", rows_text(rows)),
            Query::Down(rows, t) => format!("down {} {t}", rows_text(rows)),
            Query::Hist(lower, upper) => format!("hist {lower} {upper}"),
            Query::Get(s) => format!("get {s}"),
            Query::VUp(rows, t) => format!("vup {} {t}", rows_text(rows)),
            Query::VDown(rows, t) => format!("vdown {} {t}", rows_text(rows)),
            Query::Stamp(rows, revs) => format!("stamp {} {}", rows_text(rows), rows_text(revs)),
        }
    }
}

fn rev_line(r: &Revision) -> String {
    format!(
        "{}|{}|{}|{}",
        r.id,
        r.down_revisions.join(","),
        r.dependencies.join(","),
        r.branch_labels.join(",")
    )
}

/// `"b:a"` is b with down_revision a; `"e:d1,d2"` a merge; `"b2:b1|a2"` depends
/// on a2; `"c1:b@lbl"` carries branch label lbl.
fn parse_spec(spec: &[&str]) -> Vec<Revision> {
    spec.iter()
        .map(|s| {
            let (s, label) = s.split_once('@').map_or((*s, None), |(a, l)| (a, Some(l)));
            let (id, rest) = s.split_once(':').unwrap_or((s, ""));
            let (down, deps) = rest.split_once('|').unwrap_or((rest, ""));
            let list = |t: &str| -> Vec<String> {
                t.split(',')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            Revision {
                id: id.to_string(),
                down_revisions: list(down),
                dependencies: list(deps),
                branch_labels: label.map(|l| vec![l.to_string()]).unwrap_or_default(),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// A tiny deterministic generator (xorshift64*).

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        for _ in 0..8 {
            r.next();
        }
        r
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        assert!(n > 0);
        ((self.next() >> 11) % n as u64) as usize
    }
    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    fn word(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }
}

const HEX: &[u8] = b"0123456789abcdef";

/// The graph's structure, independent of the code under test: who is whose
/// ancestor (through down revisions and dependencies) and who is a real head.
struct Shape {
    ids: Vec<String>,
    labels: Vec<String>,
    /// ancestors[i]: every revision i needs, itself included.
    ancestors: Vec<HashSet<usize>>,
    real_heads: Vec<usize>,
}

impl Shape {
    fn of(revs: &[Revision]) -> Shape {
        let mut keys: HashMap<&str, usize> = HashMap::new();
        for (i, r) in revs.iter().enumerate() {
            keys.insert(&r.id, i);
        }
        for (i, r) in revs.iter().enumerate() {
            for l in &r.branch_labels {
                keys.insert(l, i);
            }
        }
        let down: Vec<Vec<usize>> = revs
            .iter()
            .map(|r| {
                r.down_revisions
                    .iter()
                    .chain(&r.dependencies)
                    .map(|d| keys[d.as_str()])
                    .collect()
            })
            .collect();
        let ancestors: Vec<HashSet<usize>> = (0..revs.len())
            .map(|i| {
                let mut seen = HashSet::new();
                let mut todo = vec![i];
                while let Some(n) = todo.pop() {
                    if seen.insert(n) {
                        todo.extend(&down[n]);
                    }
                }
                seen
            })
            .collect();
        let mut has_child = vec![false; revs.len()];
        for d in &down {
            for &p in d {
                has_child[p] = true;
            }
        }
        Shape {
            ids: revs.iter().map(|r| r.id.clone()).collect(),
            labels: revs
                .iter()
                .flat_map(|r| r.branch_labels.iter().cloned())
                .collect(),
            ancestors,
            real_heads: (0..revs.len()).filter(|&i| !has_child[i]).collect(),
        }
    }

    fn related(&self, a: usize, b: usize) -> bool {
        self.ancestors[a].contains(&b) || self.ancestors[b].contains(&a)
    }

    /// A possible version table: 1-3 revisions, none an ancestor of another.
    fn random_rows(&self, rng: &mut Rng) -> Vec<String> {
        let want = 1 + rng.below(3);
        let mut order: Vec<usize> = (0..self.ids.len()).collect();
        rng.shuffle(&mut order);
        let mut picked: Vec<usize> = Vec::new();
        for i in order {
            if picked.len() == want {
                break;
            }
            if picked.iter().all(|&p| !self.related(p, i)) {
                picked.push(i);
            }
        }
        picked.into_iter().map(|i| self.ids[i].clone()).collect()
    }

    fn valid_rows(&self, rows: &[String]) -> bool {
        let idx: Vec<usize> = rows
            .iter()
            .map(|r| self.ids.iter().position(|i| i == r).expect("row is an id"))
            .collect();
        idx.iter()
            .enumerate()
            .all(|(n, &a)| idx[n + 1..].iter().all(|&b| !self.related(a, b)))
    }
}

fn queries_for(revs: &[Revision], extra_rows: &[Vec<String>], rng: &mut Rng) -> Vec<Query> {
    let shape = Shape::of(revs);
    let ids = &shape.ids;
    let labels = &shape.labels;
    let s = |x: &str| x.to_string();
    let mut q = vec![Query::Heads, Query::RealHeads, Query::Bases];

    // Lookups.
    let mut seen_get = HashSet::new();
    let mut get = |q: &mut Vec<Query>, x: String| {
        if seen_get.insert(x.clone()) {
            q.push(Query::Get(x));
        }
    };
    for sym in ["head", "heads", "base", "-1", "-2", "-3", "+1"] {
        get(&mut q, s(sym));
    }
    for id in ids {
        get(&mut q, id.clone());
        for n in [4, 2] {
            if id.len() > n {
                get(&mut q, id[..n].to_string());
            }
        }
    }
    for l in labels {
        for form in ["", "@head", "@heads", "@-1", "@base"] {
            get(&mut q, format!("{l}{form}"));
        }
        let other = rng.pick(ids);
        get(&mut q, format!("{l}@{other}"));
        let other = rng.pick(ids);
        get(&mut q, format!("{l}@{}", &other[..other.len().min(4)]));
    }
    for _ in 0..2 {
        let a = rng.pick(ids);
        let b = rng.pick(ids);
        get(&mut q, format!("{a}@{b}"));
        get(&mut q, format!("{a}@head"));
    }

    // Upgrades from an empty table.
    for t in ["heads", "head", "+1", "+2", "-1"] {
        q.push(Query::Up(vec![], s(t)));
    }
    for id in ids {
        q.push(Query::Up(vec![], id.clone()));
    }
    // Upgrades from other tables.
    let mut row_sets: Vec<Vec<String>> = extra_rows.to_vec();
    for _ in 0..(3 + ids.len() / 4).min(8) {
        row_sets.push(shape.random_rows(rng));
    }
    for rows in &row_sets {
        assert!(shape.valid_rows(rows), "invalid rows {rows:?}");
    }
    let heads_rows: Vec<String> = shape.real_heads.iter().map(|&i| ids[i].clone()).collect();
    for rows in &row_sets {
        for t in ["heads", "head", "+1", "+2"] {
            q.push(Query::Up(rows.clone(), s(t)));
        }
        for l in labels.iter().take(3) {
            for form in ["@head", "@+1", "@head-1", "@base+2"] {
                q.push(Query::Up(rows.clone(), format!("{l}{form}")));
            }
        }
        q.push(Query::Up(rows.clone(), s("base+1")));
        let t = rng.pick(ids);
        q.push(Query::Up(rows.clone(), t.clone()));
        let t = rng.pick(ids);
        q.push(Query::Up(rows.clone(), format!("{t}-1")));
        let t = rng.pick(ids);
        q.push(Query::Up(rows.clone(), format!("{t}+1")));
    }

    // Downgrades from all heads.
    for id in ids {
        q.push(Query::Down(heads_rows.clone(), id.clone()));
        q.push(Query::Down(heads_rows.clone(), format!("{id}+1")));
    }
    for t in ["base", "-1", "-2", "base+1", "head-1", "+1"] {
        q.push(Query::Down(heads_rows.clone(), s(t)));
    }
    for l in labels {
        for form in ["@-1", "@base", "@base+1", "@head-1"] {
            q.push(Query::Down(heads_rows.clone(), format!("{l}{form}")));
        }
        let t = rng.pick(ids);
        q.push(Query::Down(heads_rows.clone(), format!("{l}@{t}")));
    }
    // Downgrades from other tables, and from an empty one.
    for rows in &row_sets {
        for t in ["-1", "base"] {
            q.push(Query::Down(rows.clone(), s(t)));
        }
        let t = rng.pick(ids);
        q.push(Query::Down(rows.clone(), t.clone()));
        if let Some(l) = labels.first() {
            q.push(Query::Down(rows.clone(), format!("{l}@-1")));
        }
    }
    q.push(Query::Down(vec![], s("base")));
    q.push(Query::Down(vec![], rng.pick(ids).clone()));

    // History ranges.
    for (lower, upper) in [
        ("base", "heads"),
        ("-1", "heads"),
        ("-2", "heads"),
        ("-3", "heads"),
        ("base", "head"),
    ] {
        q.push(Query::Hist(s(lower), s(upper)));
    }
    for _ in 0..3 {
        let a = rng.pick(ids).clone();
        let b = rng.pick(ids).clone();
        q.push(Query::Hist(a, b));
    }
    q.push(Query::Hist(s("base"), rng.pick(ids).clone()));
    q.push(Query::Hist(rng.pick(ids).clone(), s("heads")));
    q.push(Query::Hist(format!("{}-1", rng.pick(ids)), s("heads")));
    q.push(Query::Hist(s("-1"), rng.pick(ids).clone()));
    q.push(Query::Hist(rng.pick(ids).clone(), s("+2")));
    q.push(Query::Hist(s("base"), format!("{}+1", rng.pick(ids))));
    q.push(Query::Hist(format!("{}@base", rng.pick(ids)), s("heads")));
    if let Some(l) = labels.first() {
        q.push(Query::Hist(format!("{l}@base"), s("heads")));
        q.push(Query::Hist(format!("{l}@base"), format!("{l}@head")));
    }

    // Steps through the version-table maintainer: every revision as a target,
    // except in graphs of over 30 revisions (the large map), which get a sample
    // (Alembic's maintainer takes ~15 ms per downgrade there).
    let sample = |rng: &mut Rng, n: usize| -> Vec<String> {
        if ids.len() <= 30 {
            return ids.clone();
        }
        let mut v = ids.clone();
        rng.shuffle(&mut v);
        v.truncate(n);
        v
    };
    for t in std::iter::once(s("heads")).chain(sample(rng, 48)) {
        q.push(Query::VUp(vec![], t));
    }
    for rows in &row_sets {
        q.push(Query::VUp(rows.clone(), s("heads")));
        for t in sample(rng, 8) {
            q.push(Query::VUp(rows.clone(), t));
        }
    }
    for t in std::iter::once(s("base")).chain(sample(rng, 40)) {
        q.push(Query::VDown(heads_rows.clone(), t));
    }
    for rows in &row_sets {
        q.push(Query::VDown(rows.clone(), s("base")));
        q.push(Query::VDown(rows.clone(), rng.pick(ids).clone()));
    }
    q.push(Query::Stamp(heads_rows.clone(), vec![]));
    let stamp_rows = [vec![], heads_rows.clone()]
        .into_iter()
        .chain(row_sets.iter().cloned());
    for rows in stamp_rows {
        let mut targets: Vec<Vec<String>> = ["heads", "base"].iter().map(|t| vec![s(t)]).collect();
        targets.extend(sample(rng, 12).into_iter().map(|t| vec![t]));
        for l in labels {
            targets.push(vec![format!("{l}@head")]);
            targets.push(vec![format!("{l}@base")]);
        }
        for _ in 0..3 {
            targets.push(vec![rng.pick(ids).clone(), rng.pick(ids).clone()]);
        }
        for t in targets {
            q.push(Query::Stamp(rows.clone(), t));
        }
    }
    q
}

// ---------------------------------------------------------------------------
// The graphs.

struct Example {
    name: &'static str,
    spec: &'static [&'static str],
    rows: &'static [&'static [&'static str]],
}

/// Spec §3.4, E1-E8.
const EXAMPLES: &[Example] = &[
    Example {
        name: "E1 linear",
        spec: &["a", "b:a", "c:b", "d:c", "e:d"],
        rows: &[&["a"], &["b"], &["c"], &["d"], &["e"]],
    },
    Example {
        name: "E2 two labelled branches",
        spec: &[
            "a",
            "b:a",
            "c1:b@c1branch",
            "d1:c1",
            "c2:b@c2branch",
            "d2:c2",
        ],
        rows: &[&["d1", "d2"], &["d2", "d1"], &["c1"], &["c1", "c2"], &["b"]],
    },
    Example {
        name: "E3 merge",
        spec: &[
            "a",
            "b:a",
            "c1:b",
            "d1:c1",
            "c2:b@c2branch",
            "d2:c2",
            "e:d1,d2",
            "f:e",
        ],
        rows: &[&["b"], &["f"], &["d2"], &["d1", "d2"]],
    },
    Example {
        name: "E4 diamond",
        spec: &["a", "b1:a", "b2:a", "c:b1,b2", "d:c"],
        rows: &[&["c"], &["d"], &["b1", "b2"]],
    },
    Example {
        name: "E5 forest",
        spec: &["a1", "b1:a1", "a2", "b2:a2"],
        rows: &[&["b1", "b2"], &["a1", "b2"]],
    },
    Example {
        name: "E6 cross-root dependency",
        spec: &["a1", "a2:a1", "a3:a2", "b1", "b2:b1|a2", "b3:b2"],
        rows: &[&["a3", "b3"], &["b3"], &["a1", "b1"]],
    },
    Example {
        name: "E7 root depending on a root, merged",
        spec: &["a1", "b1:|a1", "m:a1,b1"],
        rows: &[&["m"], &["b1"]],
    },
    Example {
        name: "E8 three-branch ordering",
        spec: &[
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
        ],
        rows: &[&["merge", "fe1b1"], &["fe1b1", "merge"], &["db1", "db2"]],
    },
    // Small edge cases, not from the spec.
    Example {
        name: "single revision",
        spec: &["a"],
        rows: &[&["a"]],
    },
    Example {
        name: "pair",
        spec: &["a", "b:a"],
        rows: &[&["a"], &["b"]],
    },
    Example {
        name: "two roots",
        spec: &["a", "b"],
        rows: &[&["a"], &["a", "b"], &["b", "a"]],
    },
    Example {
        name: "labelled single",
        spec: &["a@lbl"],
        rows: &[&["a"]],
    },
    Example {
        name: "root depending on a root",
        spec: &["a", "b:|a"],
        rows: &[&["a"], &["b"]],
    },
    Example {
        name: "effective head",
        spec: &["a1", "a2:a1", "b1", "b2:b1|a2", "b3:b2"],
        rows: &[&["b3"], &["a2", "b1"], &["a1"]],
    },
    Example {
        // `-2` from the heads d, g, z gives b, a and nothing: Alembic reports
        // the overlap of b and a before it trips over the nothing.
        name: "heads walking to overlaps and past a root",
        spec: &["a", "b:a", "c:b", "d:c", "x:a", "g:x", "z"],
        rows: &[&["d", "g", "z"], &["b", "x"]],
    },
    Example {
        // `-3` from the heads a, d gives nothing and base.
        name: "lone root beside a chain",
        spec: &["a", "b", "c:b", "d:c"],
        rows: &[&["a", "d"], &["c"]],
    },
    Example {
        name: "two dependencies",
        spec: &["a", "b", "c", "d:c|a,b", "e:d"],
        rows: &[&["d"], &["a", "b", "c"]],
    },
];

/// Graphs Alembic refuses to build; every query must fail the same way. (Not
/// here: duplicates, missing down revisions and unknown `depends_on` names,
/// where retort reports an error of its own on purpose; and one label on two
/// revisions, where which of the two Alembic names depends on the order of a
/// set of `Revision` objects, i.e. on memory addresses.)
const INVALID: &[(&str, &[&str])] = &[
    ("cycle", &["a:c", "b:a", "c:b"]),
    ("cycle with a tail", &["a:c", "b:a", "c:b", "d:c", "e:d"]),
    (
        "cycle beside a good branch",
        &["r", "s:r", "a:c", "b:a", "c:b"],
    ),
    ("dependency cycle", &["a", "b:a|c", "c:b"]),
    ("self-loop", &["a", "b:b"]),
    ("dependency self-loop", &["a", "b:a|b"]),
    ("label is an id", &["a", "b:a@a"]),
    ("illegal characters", &["a", "b-c+d:a"]),
    ("illegal colon", &["a", "b:c:a"]),
];

fn unique_id(rng: &mut Rng, style: usize, used: &HashSet<String>) -> String {
    loop {
        let id = match style {
            // Alembic's own: 12 hex digits.
            0 => rng.word(HEX, 12),
            // Four characters from a small alphabet: prefixes collide.
            1 => rng.word(b"ab01", 4),
            // Two to six characters: short ids only match exactly.
            2 => {
                let len = 2 + rng.below(5);
                rng.word(b"abc123", len)
            }
            // Hex ids sharing a few two-character prefixes.
            _ => {
                let prefix = *rng.pick(&["ae", "af", "1b"]);
                let len = 8 + rng.below(3);
                format!("{prefix}{}", rng.word(HEX, len))
            }
        };
        if !used.contains(&id) {
            return id;
        }
    }
}

/// Branch labels. No two share their first two characters: a prefix matching
/// several labels would make Alembic's "Multiple revisions start with" list
/// them in an arbitrary order (labels enter its map from a set).
const LABEL_POOL: &[&str] = &[
    "feat", "core", "alpha", "beta", "gamma", "x1", "lbl", "ebranch", "ab12", "cafe", "c1b", "aeon",
];

/// A DAG with branches, merges, several roots, `depends_on` edges (always to an
/// earlier revision, so never to a descendant) and a few branch labels.
fn random_graph(seed: u64) -> Vec<Revision> {
    let mut rng = Rng::new(seed);
    let n = 3 + rng.below(22);
    let style = rng.below(4);
    let max_roots = 1 + rng.below(3);
    let p_merge = rng.below(35);
    let p_dep = rng.below(30);
    let p_label = 5 + rng.below(30);

    let mut used: HashSet<String> = HashSet::new();
    let mut ids = Vec::with_capacity(n);
    while ids.len() < n {
        let id = unique_id(&mut rng, style, &used);
        used.insert(id.clone());
        ids.push(id);
    }
    let mut pool: Vec<&str> = LABEL_POOL
        .iter()
        .copied()
        .filter(|l| !used.contains(*l))
        .collect();
    rng.shuffle(&mut pool);

    let mut down: Vec<Vec<usize>> = Vec::with_capacity(n);
    let mut deps: Vec<Vec<usize>> = Vec::with_capacity(n);
    let mut labels: Vec<Vec<String>> = Vec::with_capacity(n);
    // Ancestors through down revisions only, self included.
    let mut anc: Vec<HashSet<usize>> = Vec::with_capacity(n);
    let mut has_child = vec![false; n];
    let mut roots = 0;
    for i in 0..n {
        let tips: Vec<usize> = (0..i).filter(|&j| !has_child[j]).collect();
        let mut parents: Vec<usize> = Vec::new();
        let root = i == 0 || (roots < max_roots && rng.chance(12));
        if !root {
            if i >= 2 && rng.chance(p_merge) {
                let want = if rng.chance(10) { 3 } else { 2 };
                for _ in 0..20 {
                    if parents.len() == want {
                        break;
                    }
                    let c = if rng.chance(70) && !tips.is_empty() {
                        *rng.pick(&tips)
                    } else {
                        rng.below(i)
                    };
                    if parents
                        .iter()
                        .all(|&p| p != c && !anc[p].contains(&c) && !anc[c].contains(&p))
                    {
                        parents.push(c);
                    }
                }
            } else if rng.chance(60) && !tips.is_empty() {
                parents.push(*rng.pick(&tips));
            } else {
                parents.push(rng.below(i));
            }
        } else {
            roots += 1;
        }
        let mut my_deps = Vec::new();
        if i > 0 && (rng.chance(p_dep) || (root && rng.chance(30))) {
            let count = if rng.chance(20) { 2 } else { 1 };
            for _ in 0..count {
                let d = rng.below(i);
                if !parents.contains(&d) && !my_deps.contains(&d) {
                    my_deps.push(d);
                }
            }
        }
        let mut my_labels = Vec::new();
        if rng.chance(p_label) {
            let count = if rng.chance(10) { 2 } else { 1 };
            for _ in 0..count {
                if let Some(l) = pool.pop() {
                    my_labels.push(l.to_string());
                }
            }
        }
        let mut a: HashSet<usize> = HashSet::from([i]);
        for &p in &parents {
            a.extend(anc[p].iter().copied());
            has_child[p] = true;
        }
        anc.push(a);
        down.push(parents);
        deps.push(my_deps);
        labels.push(my_labels);
    }

    let mut revs: Vec<Revision> = (0..n)
        .map(|i| Revision {
            id: ids[i].clone(),
            down_revisions: down[i].iter().map(|&d| ids[d].clone()).collect(),
            dependencies: deps[i]
                .iter()
                .map(|&d| match labels[d].first() {
                    Some(l) if rng.chance(50) => l.clone(),
                    _ => ids[d].clone(),
                })
                .collect(),
            branch_labels: labels[i].clone(),
        })
        .collect();
    match rng.below(3) {
        0 => {}
        1 => revs.reverse(),
        _ => rng.shuffle(&mut revs),
    }
    revs
}

/// A graph shaped like Alembic's `tests/_large_map.py` (spec §10): 142
/// revisions, 181 parent edges, one head, one base, 40 two-parent merges and 27
/// branch points with 2x18, 3x6, 4x2 and 5x1 children, in shuffled order.
fn large_graph(seed: u64) -> Vec<Revision> {
    const N: usize = 142;
    let mut rng = Rng::new(seed);
    'attempt: loop {
        let mut parents = vec![1usize; N];
        parents[0] = 0;
        let mut spots: Vec<usize> = (2..N).collect();
        rng.shuffle(&mut spots);
        for &m in &spots[..40] {
            parents[m] = 2;
        }
        let mut children = vec![1usize; N];
        children[N - 1] = 0;
        let mut spots: Vec<usize> = (0..N - 1).collect();
        rng.shuffle(&mut spots);
        let fan: Vec<usize> = [(2, 18), (3, 6), (4, 2), (5, 1)]
            .iter()
            .flat_map(|&(c, k)| std::iter::repeat_n(c, k))
            .collect();
        for (&at, &c) in spots.iter().zip(&fan) {
            children[at] = c;
        }
        // Wire parents from the open child slots of earlier revisions.
        let mut slots: Vec<usize> = Vec::new();
        let mut down: Vec<Vec<usize>> = vec![Vec::new(); N];
        for i in 0..N {
            for _ in 0..parents[i] {
                let open: Vec<usize> = (0..slots.len())
                    .filter(|&k| !down[i].contains(&slots[k]))
                    .collect();
                if open.is_empty() {
                    continue 'attempt;
                }
                // Prefer recent slots, for long chains as in the real map.
                let k = if rng.chance(60) {
                    open[open.len() - 1 - rng.below(open.len().min(3))]
                } else {
                    *rng.pick(&open)
                };
                down[i].push(slots.remove(k));
            }
            slots.extend(std::iter::repeat_n(i, children[i]));
        }
        if !slots.is_empty() {
            continue 'attempt;
        }
        let mut used = HashSet::new();
        let ids: Vec<String> = (0..N)
            .map(|_| {
                let id = unique_id(&mut rng, 0, &used);
                let id = id[..10 + rng.below(3)].to_string();
                used.insert(id.clone());
                id
            })
            .collect();
        let mut revs: Vec<Revision> = (0..N)
            .map(|i| Revision {
                id: ids[i].clone(),
                down_revisions: down[i].iter().map(|&d| ids[d].clone()).collect(),
                ..Revision::default()
            })
            .collect();
        rng.shuffle(&mut revs);
        return revs;
    }
}

/// Asserts the §10 shape numbers on the generated large graph.
fn assert_large_shape(revs: &[Revision]) {
    let mut children: HashMap<&str, usize> = HashMap::new();
    for r in revs {
        for d in &r.down_revisions {
            *children.entry(d.as_str()).or_default() += 1;
        }
    }
    let edges: usize = revs.iter().map(|r| r.down_revisions.len()).sum();
    let heads = revs
        .iter()
        .filter(|r| !children.contains_key(r.id.as_str()))
        .count();
    let bases = revs.iter().filter(|r| r.down_revisions.is_empty()).count();
    let merges: Vec<usize> = revs
        .iter()
        .map(|r| r.down_revisions.len())
        .filter(|&n| n > 1)
        .collect();
    let mut fan: BTreeMap<usize, usize> = BTreeMap::new();
    for &c in children.values().filter(|&&c| c > 1) {
        *fan.entry(c).or_default() += 1;
    }
    let distinct: HashSet<&str> = revs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(revs.len(), 142);
    assert_eq!(distinct.len(), 142);
    assert_eq!(edges, 181);
    assert_eq!(heads, 1);
    assert_eq!(bases, 1);
    assert_eq!(merges.len(), 40);
    assert!(merges.iter().all(|&m| m == 2));
    assert_eq!(fan.values().sum::<usize>(), 27);
    assert_eq!(fan, BTreeMap::from([(2, 18), (3, 6), (4, 2), (5, 1)]));
    assert!(revs
        .iter()
        .all(|r| r.dependencies.is_empty() && r.branch_labels.is_empty()));
}

/// Alembic's `LargeMapTest.test_all`: `heads`→`base` yields every revision once,
/// and each one (but the last) has an ancestor among those after it.
fn check_large_order(revs: &[Revision], order: &[String]) -> Result<(), String> {
    let shape = Shape::of(revs);
    let pos: HashMap<&str, usize> = shape
        .ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let idx: Vec<usize> = order
        .iter()
        .map(|id| pos.get(id.as_str()).copied().ok_or(format!("unknown {id}")))
        .collect::<Result<_, _>>()?;
    let set: BTreeSet<usize> = idx.iter().copied().collect();
    if idx.len() != revs.len() || set.len() != revs.len() {
        return Err(format!(
            "{} revisions returned, {} distinct, {} in the map",
            idx.len(),
            set.len(),
            revs.len()
        ));
    }
    for (n, &r) in idx.iter().enumerate() {
        let rest = &idx[n + 1..];
        if !rest.is_empty()
            && !rest
                .iter()
                .any(|&o| o != r && shape.ancestors[r].contains(&o))
        {
            return Err(format!(
                "{} at position {n} has no ancestor after it",
                shape.ids[r]
            ));
        }
    }
    Ok(())
}

fn build_graphs() -> Vec<Graph> {
    let mut graphs = Vec::new();
    let mut rng = Rng::new(7);
    for ex in EXAMPLES {
        let revs = parse_spec(ex.spec);
        let rows: Vec<Vec<String>> = ex
            .rows
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect();
        let queries = queries_for(&revs, &rows, &mut rng);
        graphs.push(Graph {
            name: ex.name.to_string(),
            revs,
            queries,
        });
    }
    let count = std::env::var("RETORT_ORACLE_GRAPHS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(RANDOM_GRAPHS);
    for (name, spec) in INVALID {
        let mut revs = parse_spec(spec);
        if *name == "illegal colon" {
            revs[1] = Revision {
                id: "b:c".into(),
                down_revisions: vec!["a".into()],
                ..Revision::default()
            };
        }
        graphs.push(Graph {
            name: format!("invalid: {name}"),
            revs,
            queries: vec![
                Query::Heads,
                Query::Bases,
                Query::Get("a".into()),
                Query::Up(vec![], "heads".into()),
            ],
        });
    }
    for seed in 1..=count {
        let revs = random_graph(seed);
        let queries = queries_for(&revs, &[], &mut Rng::new(seed + 1000));
        graphs.push(Graph {
            name: format!("random seed {seed}"),
            revs,
            queries,
        });
    }
    let revs = large_graph(142);
    assert_large_shape(&revs);
    let queries = queries_for(&revs, &[], &mut Rng::new(181));
    graphs.push(Graph {
        name: "large map".to_string(),
        revs,
        queries,
    });
    graphs
}

// ---------------------------------------------------------------------------
// Answers.

#[derive(Debug, Clone, PartialEq, Eq)]
struct Answer {
    warnings: usize,
    outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Ok(Vec<String>),
    Err { class: String, message: String },
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.outcome {
            Outcome::Ok(ids) => write!(f, "OK w{} [{}]", self.warnings, ids.join(" ")),
            Outcome::Err { class, message } => {
                write!(f, "ERR w{} {class}: {message}", self.warnings)
            }
        }
    }
}

impl Answer {
    fn parse(line: &str) -> Answer {
        let (status, rest) = line.split_once(' ').unwrap_or((line, ""));
        let (w, rest) = rest.split_once(' ').unwrap_or((rest, ""));
        let warnings = w
            .strip_prefix('w')
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("bad oracle line {line:?}"));
        let outcome = match status {
            "OK" => Outcome::Ok(rest.split_whitespace().map(str::to_string).collect()),
            "ERR" => {
                let (class, message) = rest.split_once(' ').unwrap_or((rest, ""));
                Outcome::Err {
                    class: class.to_string(),
                    message: message.to_string(),
                }
            }
            _ => panic!("bad oracle line {line:?}"),
        };
        Answer { warnings, outcome }
    }

    /// Equal, except that for an `AssertionError` only the class counts.
    fn matches(&self, other: &Answer) -> bool {
        if self.warnings != other.warnings {
            return false;
        }
        match (&self.outcome, &other.outcome) {
            (Outcome::Ok(a), Outcome::Ok(b)) => {
                if a.iter().any(|t| t.starts_with("~#")) {
                    same_steps(a, b)
                } else {
                    a == b
                }
            }
            (
                Outcome::Err {
                    class: c1,
                    message: m1,
                },
                Outcome::Err {
                    class: c2,
                    message: m2,
                },
            ) => {
                c1 == c2
                    && match c1.as_str() {
                        "AssertionError" => true,
                        // The version table refused a step: only which step
                        // counts (the messages are retort's own).
                        "VersionTable" => m1.split(':').next() == m2.split(':').next(),
                        _ => same_message(m1, m2),
                    }
            }
            _ => false,
        }
    }
}

/// Messages are compared exactly, except for the list of an overlap error:
/// Alembic collects it in a set of `Revision` objects, which hash by identity
/// (memory address), so its order is arbitrary and not even governed by
/// `PYTHONHASHSEED`. That list is compared as a set.
fn same_message(a: &str, b: &str) -> bool {
    const OVERLAP: &str = " overlaps with other requested revisions ";
    match (a.split_once(OVERLAP), b.split_once(OVERLAP)) {
        (Some((head_a, list_a)), Some((head_b, list_b))) => {
            let set = |l: &str| -> BTreeSet<String> { l.split(", ").map(str::to_string).collect() };
            head_a == head_b && set(list_a) == set(list_b)
        }
        _ => a == b,
    }
}

/// The Python exception class Alembic raises for the same failure.
fn python_class(e: &RevisionError) -> &'static str {
    use retort::revision::CycleKind;
    match e {
        RevisionError::Cycle { kind, .. } => match kind {
            CycleKind::Cycle => "CycleDetected",
            CycleKind::DependencyCycle => "DependencyCycleDetected",
            CycleKind::SelfLoop => "LoopDetected",
            CycleKind::DependencySelfLoop => "DependencyLoopDetected",
        },
        RevisionError::MultipleHeads { .. } => "MultipleHeads",
        RevisionError::Resolution { .. } => "ResolutionError",
        RevisionError::RangeNotAncestor { .. } => "RangeNotAncestorError",
        RevisionError::Assertion(_) => "AssertionError",
        RevisionError::MissingDownRevision { .. } | RevisionError::UnknownDependency { .. } => {
            "KeyError"
        }
        _ => "RevisionError",
    }
}

fn err_answer(e: &RevisionError, warnings: usize) -> Answer {
    Answer {
        warnings,
        outcome: Outcome::Err {
            class: python_class(e).to_string(),
            message: e.to_string(),
        },
    }
}

fn retort_answer(map: &Result<RevisionMap, RevisionError>, q: &Query) -> Answer {
    let map = match map {
        Ok(m) => m,
        Err(e) => return err_answer(e, 0),
    };
    let ids = |v: &[usize]| -> Vec<String> { v.iter().map(|&i| map.id(i).to_string()).collect() };
    let mut warnings = Vec::new();
    let result: Result<Vec<String>, RevisionError> = match q {
        Query::Heads => Ok(ids(map.heads())),
        Query::RealHeads => Ok(ids(map.real_heads())),
        Query::Bases => Ok(ids(map.bases())),
        Query::Up(rows, target) => map
            .upgrade_plan(rows, target, &mut warnings)
            .map(|v| ids(&v)),
        Query::Down(rows, target) => map
            .downgrade_plan(rows, target, &mut warnings)
            .map(|v| ids(&v)),
        Query::Hist(lower, upper) => map
            .iterate_revisions(
                RevArg::Str(upper),
                RevArg::Str(lower),
                IterateOptions {
                    implicit_base: false,
                    inclusive: true,
                    assert_relative_length: false,
                    select_for_downgrade: false,
                },
                &mut warnings,
            )
            .map(|v| ids(&v)),
        Query::Get(ident) => map.get_revisions(RevArg::Str(ident)).map(|v| {
            v.iter()
                .map(|r| match r {
                    Resolved::Rev(i) => map.id(*i).to_string(),
                    Resolved::Base => "base".to_string(),
                    Resolved::Nothing => "None".to_string(),
                })
                .collect()
        }),
        Query::VUp(rows, target) => {
            let steps = map.upgrade_plan(rows, target, &mut warnings).map(|v| {
                v.into_iter()
                    .map(|rev| Step::Revision { rev, upgrade: true })
                    .collect()
            });
            return run_steps(map, rows, steps, warnings.len());
        }
        Query::VDown(rows, target) => {
            let steps = map.downgrade_plan(rows, target, &mut warnings).map(|v| {
                v.into_iter()
                    .map(|rev| Step::Revision {
                        rev,
                        upgrade: false,
                    })
                    .collect()
            });
            return run_steps(map, rows, steps, warnings.len());
        }
        Query::Stamp(rows, revisions) => {
            return run_steps(map, rows, stamp_steps(map, rows, revisions), 0);
        }
    };
    match result {
        Ok(v) => Answer {
            warnings: warnings.len(),
            outcome: Outcome::Ok(v),
        },
        Err(e) => err_answer(&e, warnings.len()),
    }
}

/// Applies `steps` to a version table holding `rows`, in the oracle's notation:
/// per step `#<log line>` (spaces as `_`) and its
/// statements, then `=` and the final rows, sorted.
fn run_steps(
    map: &RevisionMap,
    rows: &[String],
    steps: Result<Vec<Step>, RevisionError>,
    warnings: usize,
) -> Answer {
    let steps = match steps {
        Ok(s) => s,
        Err(e) => return err_answer(&e, warnings),
    };
    let mut heads = Heads::new(rows);
    let mut out = Vec::new();
    for (k, step) in steps.iter().enumerate() {
        out.push(format!("#{}", step.log_line(map, None).replace(' ', "_")));
        match heads.apply(map, step) {
            Ok(ops) => out.extend(ops.iter().map(|op| match op {
                VersionOp::Insert(v) => format!("I:{v}"),
                VersionOp::Update { from, to } => format!("U:{from}>{to}"),
                VersionOp::Delete(v) => format!("D:{v}"),
            })),
            Err(e) => {
                let (class, message) = match &e {
                    RuntimeError::VersionTable(m) => ("VersionTable", format!("step {k}: {m}")),
                    RuntimeError::Revision(r) => (python_class(r), r.to_string()),
                    other => ("RuntimeError", other.to_string()),
                };
                return Answer {
                    warnings,
                    outcome: Outcome::Err {
                        class: class.to_string(),
                        message,
                    },
                };
            }
        }
    }
    out.push("=".to_string());
    let mut rows = heads.rows().to_vec();
    rows.sort();
    out.extend(rows);
    Answer {
        warnings,
        outcome: Outcome::Ok(out),
    }
}

/// Compares step listings (`#...`/`~#...` notation of `run_steps`).
///
/// A step Alembic marked `~#` ran statements whose choice came from iterating
/// a set: in a merge beside other heads, which of the parents left over is
/// updated (the others are deleted); in an unmerge, which restored parent the
/// merge row becomes (the others are inserted). Such a step is compared by the
/// sequence of statement kinds (`D D U`, `I U`) and the sets of rows it removed
/// and added, which do not depend on that choice; everything else is compared
/// exactly, and so is the final row set. (Running more hash seeds instead
/// would not cover every order of a set of three.)
fn same_steps(alembic: &[String], ours: &[String]) -> bool {
    fn groups(tokens: &[String]) -> Vec<(&str, &[String])> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..=tokens.len() {
            let boundary = i == tokens.len()
                || tokens[i].starts_with('#')
                || tokens[i].starts_with("~#")
                || tokens[i] == "=";
            if boundary {
                out.push((tokens[start].as_str(), &tokens[start + 1..i]));
                start = i;
            }
        }
        out
    }
    type Canon = (Vec<char>, BTreeSet<String>, BTreeSet<String>);
    fn canon(ops: &[String]) -> Canon {
        let mut kinds = Vec::new();
        let mut removed = BTreeSet::new();
        let mut added = BTreeSet::new();
        for op in ops {
            let (kind, value) = op.split_once(':').unwrap_or(("?", op));
            let kind = kind.chars().next().unwrap_or('?');
            kinds.push(kind);
            match kind {
                'I' => {
                    added.insert(value.to_string());
                }
                'D' => {
                    removed.insert(value.to_string());
                }
                _ => {
                    let (from, to) = value.split_once('>').unwrap_or((value, ""));
                    removed.insert(from.to_string());
                    added.insert(to.to_string());
                }
            }
        }
        (kinds, removed, added)
    }
    if alembic.is_empty() || ours.is_empty() {
        return alembic == ours;
    }
    let (a, b) = (groups(alembic), groups(ours));
    a.len() == b.len()
        && a.iter().zip(&b).all(|((ha, oa), (hb, ob))| {
            // `ours` may be another of Alembic's answers, marked too.
            let hb = hb.strip_prefix('~').unwrap_or(hb);
            match ha.strip_prefix('~') {
                Some(h) => h == hb && canon(oa) == canon(ob),
                None => *ha == hb && oa == ob,
            }
        })
}

// ---------------------------------------------------------------------------
// Running the oracle.

fn find_python() -> Option<PathBuf> {
    let python = std::env::var_os("RETORT_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"));
    let ok = Command::new(&python)
        .args(["-P", "-c", "import alembic.script.revision"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if ok {
        return Some(python);
    }
    let msg = format!(
        "Python with Alembic not found at {} (set RETORT_TEST_PYTHON)",
        python.display()
    );
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{msg}");
    }
    eprintln!(
        "\n{bar}\n!!! revision_oracle SKIPPED: {msg}\n{bar}\n",
        bar = "!".repeat(78)
    );
    None
}

/// Per query, every answer the oracle found possible (usually one).
fn run_oracle(python: &Path, input: String, seed: &str, expected: usize) -> Vec<Vec<Answer>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/revision_oracle.py");
    let mut child = Command::new(python)
        .arg(&script)
        .env("PYTHONHASHSEED", seed)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the oracle");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("run the oracle");
    writer
        .join()
        .expect("writer thread")
        .expect("write the oracle's input");
    assert!(
        out.status.success(),
        "oracle failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8 oracle output");
    let answers: Vec<Vec<Answer>> = text
        .lines()
        .map(|l| l.split('\t').map(Answer::parse).collect())
        .collect();
    assert_eq!(
        answers.len(),
        expected,
        "oracle answered a different number of queries"
    );
    answers
}

struct Mismatch {
    graph: usize,
    query: String,
    alembic: Vec<Answer>,
    retort: Answer,
}

#[test]
fn revision_map_matches_alembic() {
    let Some(python) = find_python() else {
        return;
    };
    let started = Instant::now();
    let graphs = build_graphs();

    let mut input = String::new();
    let mut total = 0;
    for g in &graphs {
        writeln!(input, "graph {}", g.name).unwrap();
        for r in &g.revs {
            writeln!(input, "rev {}", rev_line(r)).unwrap();
        }
        for q in &g.queries {
            writeln!(input, "q {}", q.line()).unwrap();
        }
        total += g.queries.len();
    }

    if let Some(path) = std::env::var_os("RETORT_ORACLE_DUMP") {
        // For debugging: the oracle's input, to feed it by hand.
        std::fs::write(path, &input).expect("write RETORT_ORACLE_DUMP");
    }

    let oracles: Vec<_> = HASH_SEEDS
        .iter()
        .map(|&seed| {
            let python = python.clone();
            let input = input.clone();
            thread::spawn(move || run_oracle(&python, input, seed, total))
        })
        .collect();

    // retort's answers, computed while Alembic works.
    let mut mine: Vec<Answer> = Vec::with_capacity(total);
    let mut large_order_problem = None;
    for g in &graphs {
        let map = RevisionMap::build(g.revs.clone());
        for q in &g.queries {
            let answer = panic::catch_unwind(AssertUnwindSafe(|| retort_answer(&map, q)))
                .unwrap_or_else(|p| Answer {
                    warnings: 0,
                    outcome: Outcome::Err {
                        class: "PANIC".into(),
                        message: p
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default(),
                    },
                });
            if g.name == "large map"
                && matches!(q, Query::Hist(l, u) if l == "base" && u == "heads")
            {
                large_order_problem = match &answer.outcome {
                    Outcome::Ok(order) => check_large_order(&g.revs, order).err(),
                    Outcome::Err { message, .. } => Some(message.clone()),
                };
            }
            mine.push(answer);
        }
    }

    let alembic: Vec<Vec<Vec<Answer>>> = oracles
        .into_iter()
        .map(|h| h.join().expect("oracle thread"))
        .collect();

    // Compare.
    let mut mismatches: Vec<Mismatch> = Vec::new();
    let mut varying: Vec<String> = Vec::new();
    let mut several = 0;
    let mut k = 0;
    for (gi, g) in graphs.iter().enumerate() {
        for q in &g.queries {
            let ours = &mine[k];
            let mut distinct: Vec<Answer> = Vec::new();
            for a in alembic.iter().flat_map(|run| &run[k]) {
                if !distinct.contains(a) {
                    distinct.push(a.clone());
                }
            }
            let covers =
                |x: &[Answer], y: &[Answer]| y.iter().all(|b| x.iter().any(|a| a.matches(b)));
            if alembic
                .iter()
                .any(|run| !covers(&run[k], &alembic[0][k]) || !covers(&alembic[0][k], &run[k]))
            {
                varying.push(format!("{}: {}", g.name, q.line()));
            }
            k += 1;
            if distinct.len() > 1 {
                several += 1;
            }
            // Any answer Alembic can give is right.
            let ok = distinct.iter().any(|a| a.matches(ours));
            if !ok {
                mismatches.push(Mismatch {
                    graph: gi,
                    query: q.line(),
                    alembic: distinct,
                    retort: ours.clone(),
                });
            }
        }
    }

    let elapsed = started.elapsed();
    eprintln!(
        "revision_oracle: {} graphs, {total} queries, {} mismatches, \
         {several} with several possible answers, {} seed-varying, {:.1?}",
        graphs.len(),
        mismatches.len(),
        varying.len(),
        elapsed
    );
    for v in &varying {
        eprintln!("  seed-varying in Alembic: {v}");
    }

    let mut report = String::new();
    if let Some(problem) = &large_order_problem {
        writeln!(
            report,
            "large map: `hist base heads` order is invalid: {problem}\n"
        )
        .unwrap();
    }
    if !mismatches.is_empty() {
        let mut by_graph: BTreeMap<usize, Vec<&Mismatch>> = BTreeMap::new();
        for m in &mismatches {
            by_graph.entry(m.graph).or_default().push(m);
        }
        writeln!(
            report,
            "{} of {total} queries differ from Alembic, in {} graphs:\n",
            mismatches.len(),
            by_graph.len()
        )
        .unwrap();
        for (gi, ms) in by_graph {
            let g = &graphs[gi];
            writeln!(report, "=== graph {} ({} revisions)", g.name, g.revs.len()).unwrap();
            if g.revs.len() <= 30 {
                for r in &g.revs {
                    writeln!(report, "    rev {}", rev_line(r)).unwrap();
                }
            }
            for m in ms.iter().take(25) {
                writeln!(report, "  query   {}", m.query).unwrap();
                for a in &m.alembic {
                    writeln!(report, "    alembic {a}").unwrap();
                }
                writeln!(report, "    retort  {}", m.retort).unwrap();
            }
            if ms.len() > 25 {
                writeln!(report, "  ... and {} more in this graph", ms.len() - 25).unwrap();
            }
            writeln!(report).unwrap();
        }
    }
    assert!(report.is_empty(), "\n{report}");
}
