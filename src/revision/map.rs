//! The revision map: every revision, its edges, heads and bases, validated as Alembic
//! validates them when it builds `RevisionMap._revision_map`.
//!
//! petgraph holds the edges and answers reachability (ancestors, descendants). The
//! ordered `Vec`s on each node mirror Alembic's tuples, whose order decides output
//! and step order.

use std::collections::BTreeSet;

use crate::fasthash::FxHashMap;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, EdgeFiltered, Reversed};

use super::error::{CycleKind, RevisionError};

pub use fixedbitset::FixedBitSet;

/// One revision as a script declares it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Revision {
    pub id: String,
    /// `down_revision`, in declared order (empty for a base).
    pub down_revisions: Vec<String>,
    /// `depends_on` as written: revision ids or branch labels.
    pub dependencies: Vec<String>,
    pub branch_labels: Vec<String>,
}

/// Edge kinds, pointing from a revision to one it comes after.
const VERSIONED: u8 = 1;
const DEPENDENCY: u8 = 2;
const NORMALIZED: u8 = 4;

/// Which edges a traversal follows (Alembic's `_versioned_down_revisions`,
/// `_normalized_down_revisions`, `_all_down_revisions`, and their reverses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edges {
    VersionedDown,
    NormalizedDown,
    AllDown,
    VersionedUp,
    AllUp,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub rev: Revision,
    pub down: Vec<usize>,
    pub resolved_deps: Vec<usize>,
    pub normalized_deps: Vec<usize>,
    pub all_down: Vec<usize>,
    pub normalized_down: Vec<usize>,
    /// Children through `down_revision` (Alembic's `nextrev`).
    pub next: Vec<usize>,
    /// Children through `down_revision` or `depends_on` (`_all_nextrev`).
    pub all_next: Vec<usize>,
    /// Own labels plus the ones propagated along the branch, sorted.
    pub labels: BTreeSet<String>,
}

impl Node {
    pub fn id(&self) -> &str {
        &self.rev.id
    }
    /// Versioned head: nothing names it as `down_revision`.
    pub fn is_head(&self) -> bool {
        self.next.is_empty()
    }
    pub fn is_real_head(&self) -> bool {
        self.all_next.is_empty()
    }
    pub fn is_base(&self) -> bool {
        self.down.is_empty()
    }
    pub fn is_real_base(&self) -> bool {
        self.down.is_empty() && self.rev.dependencies.is_empty()
    }
    pub fn is_branch_point(&self) -> bool {
        self.next.len() > 1
    }
    pub fn is_real_branch_point(&self) -> bool {
        self.all_next.len() > 1
    }
    pub fn is_merge_point(&self) -> bool {
        self.down.len() > 1
    }
}

#[derive(Debug, Clone)]
pub struct RevisionMap {
    nodes: Vec<Node>,
    graph: DiGraph<(), u8>,
    /// Ids and branch labels, the keys of Alembic's map.
    keys: FxHashMap<String, usize>,
    /// Keys in insertion order: ids in file order, then labels.
    key_order: Vec<String>,
    heads: Vec<usize>,
    real_heads: Vec<usize>,
    bases: Vec<usize>,
}

const ILLEGAL_CHARS: [char; 4] = ['+', '-', ':', '@'];

impl RevisionMap {
    /// Build and validate the map from revisions in file order.
    pub fn build(revisions: Vec<Revision>) -> Result<RevisionMap, RevisionError> {
        let mut keys: FxHashMap<String, usize> =
            FxHashMap::with_capacity_and_hasher(revisions.len(), Default::default());
        let mut key_order = Vec::with_capacity(revisions.len());
        let mut nodes = Vec::with_capacity(revisions.len());
        for rev in revisions {
            check_revision(&rev)?;
            if keys.contains_key(&rev.id) {
                return Err(RevisionError::Duplicate { revision: rev.id });
            }
            keys.insert(rev.id.clone(), nodes.len());
            key_order.push(rev.id.clone());
            nodes.push(Node {
                labels: rev.branch_labels.iter().cloned().collect(),
                rev,
                down: Vec::new(),
                resolved_deps: Vec::new(),
                normalized_deps: Vec::new(),
                all_down: Vec::new(),
                normalized_down: Vec::new(),
                next: Vec::new(),
                all_next: Vec::new(),
            });
        }

        // Branch labels share the key space with ids.
        for (i, node) in nodes.iter().enumerate() {
            for label in &node.rev.branch_labels {
                if let Some(&other) = keys.get(label) {
                    return Err(RevisionError::BranchNameUsed {
                        label: label.clone(),
                        revision: node.rev.id.clone(),
                        other: nodes[other].rev.id.clone(),
                    });
                }
                keys.insert(label.clone(), i);
                key_order.push(label.clone());
            }
        }

        let mut graph: DiGraph<(), u8> = DiGraph::with_capacity(nodes.len(), nodes.len());
        for _ in 0..nodes.len() {
            graph.add_node(());
        }
        for i in 0..nodes.len() {
            let mut resolved = Vec::new();
            for name in &nodes[i].rev.dependencies {
                let Some(&dep) = keys.get(name) else {
                    return Err(RevisionError::UnknownDependency {
                        name: name.clone(),
                        revision: nodes[i].rev.id.clone(),
                    });
                };
                push_unique(&mut resolved, dep);
            }
            let mut down = Vec::new();
            for name in &nodes[i].rev.down_revisions {
                match keys.get(name) {
                    Some(&d) if nodes[d].rev.id == *name => push_unique(&mut down, d),
                    _ => {
                        return Err(RevisionError::MissingDownRevision {
                            missing: name.clone(),
                            referenced_from: summary(&nodes[i].rev),
                        })
                    }
                }
            }
            let mut all_down = down.clone();
            for &d in &resolved {
                push_unique(&mut all_down, d);
            }
            for &d in &all_down {
                let versioned = down.contains(&d);
                let kind = if versioned { VERSIONED } else { 0 }
                    | if resolved.contains(&d) { DEPENDENCY } else { 0 };
                graph.add_edge(NodeIndex::new(i), NodeIndex::new(d), kind);
                push_unique(&mut nodes[d].all_next, i);
                if versioned {
                    push_unique(&mut nodes[d].next, i);
                }
            }
            let node = &mut nodes[i];
            node.down = down;
            node.resolved_deps = resolved;
            node.all_down = all_down;
        }

        let mut map = RevisionMap {
            nodes,
            graph,
            keys,
            key_order,
            heads: Vec::new(),
            real_heads: Vec::new(),
            bases: Vec::new(),
        };
        map.normalize_dependencies();
        map.heads = map.filter_nodes(Node::is_head);
        map.real_heads = map.filter_nodes(Node::is_real_head);
        map.bases = map.filter_nodes(Node::is_base);
        map.detect_cycles()?;
        map.propagate_labels();
        Ok(map)
    }

    fn filter_nodes(&self, keep: fn(&Node) -> bool) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| keep(&self.nodes[i]))
            .collect()
    }

    /// Drop dependencies an ancestor already declares (`_normalize_depends_on`).
    fn normalize_dependencies(&mut self) {
        for i in 0..self.nodes.len() {
            if self.nodes[i].resolved_deps.is_empty() {
                continue;
            }
            let mut normalized = self.nodes[i].resolved_deps.clone();
            let ancestors = self.reach(&[i], Edges::VersionedDown);
            for a in ancestors.ones() {
                if a != i {
                    let theirs = &self.nodes[a].resolved_deps;
                    normalized.retain(|d| !theirs.contains(d));
                }
            }
            let mut normalized_down = self.nodes[i].down.clone();
            for &d in &normalized {
                push_unique(&mut normalized_down, d);
                if let Some(e) = self.graph.find_edge(NodeIndex::new(i), NodeIndex::new(d)) {
                    if let Some(w) = self.graph.edge_weight_mut(e) {
                        *w |= NORMALIZED;
                    }
                }
            }
            let node = &mut self.nodes[i];
            node.normalized_deps = normalized;
            node.normalized_down = normalized_down;
        }
        for node in &mut self.nodes {
            if node.resolved_deps.is_empty() {
                node.normalized_down = node.down.clone();
            }
        }
    }

    fn detect_cycles(&self) -> Result<(), RevisionError> {
        if self.nodes.is_empty() {
            return Ok(());
        }
        let all_ids = || self.nodes.iter().map(|n| n.rev.id.clone()).collect();
        if self.heads.is_empty() || self.bases.is_empty() {
            return Err(RevisionError::Cycle {
                kind: CycleKind::Cycle,
                revisions: all_ids(),
            });
        }
        self.check_reachable(
            &self.heads,
            &self.bases,
            Edges::VersionedDown,
            CycleKind::Cycle,
        )?;
        let real_bases = self.filter_nodes(Node::is_real_base);
        if self.real_heads.is_empty() || real_bases.is_empty() {
            return Err(RevisionError::Cycle {
                kind: CycleKind::DependencyCycle,
                revisions: all_ids(),
            });
        }
        self.check_reachable(
            &self.real_heads,
            &real_bases,
            Edges::AllDown,
            CycleKind::DependencyCycle,
        )
    }

    /// Every revision must be reachable down from the heads and up from the bases.
    fn check_reachable(
        &self,
        heads: &[usize],
        bases: &[usize],
        down: Edges,
        kind: CycleKind,
    ) -> Result<(), RevisionError> {
        let up = if down == Edges::VersionedDown {
            Edges::VersionedUp
        } else {
            Edges::AllUp
        };
        let mut space = self.reach(heads, down);
        space.intersect_with(&self.reach(bases, up));
        if space.count_ones(..) == self.nodes.len() {
            return Ok(());
        }
        let mut revisions: Vec<String> = (0..self.nodes.len())
            .filter(|&i| !space.contains(i))
            .map(|i| self.nodes[i].rev.id.clone())
            .collect();
        revisions.sort();
        Err(RevisionError::Cycle { kind, revisions })
    }

    /// Labels spread to every descendant, then down the branch from the last one
    /// visited until a branch point, a merge point or a base (`_add_branches`).
    fn propagate_labels(&mut self) {
        for i in 0..self.nodes.len() {
            if self.nodes[i].rev.branch_labels.is_empty() {
                continue;
            }
            let labels = self.nodes[i].rev.branch_labels.clone();
            let visited = self.iterate(&[i], Edges::VersionedUp);
            for &n in &visited {
                self.nodes[n].labels.extend(labels.iter().cloned());
            }
            let Some(&last) = visited.last() else {
                continue;
            };
            let mut parent = last;
            loop {
                let node = &self.nodes[parent];
                if node.is_real_branch_point() || node.is_merge_point() {
                    break;
                }
                let down = node.down.first().copied();
                self.nodes[parent].labels.extend(labels.iter().cloned());
                match down {
                    Some(d) => parent = d,
                    None => break,
                }
            }
        }
    }

    /// The set reachable from `starts` (starts included) along `edges`.
    pub fn reach(&self, starts: &[usize], edges: Edges) -> FixedBitSet {
        let mut out = FixedBitSet::with_capacity(self.nodes.len());
        let mut visit = |graph_walk: &mut dyn FnMut(NodeIndex, &mut FixedBitSet)| {
            for &s in starts {
                if !out.contains(s) {
                    graph_walk(NodeIndex::new(s), &mut out);
                }
            }
        };
        let mask = edge_mask(edges);
        let filtered =
            EdgeFiltered::from_fn(&self.graph, |e: petgraph::graph::EdgeReference<u8>| {
                *e.weight() & mask != 0
            });
        match edges {
            Edges::VersionedDown | Edges::NormalizedDown | Edges::AllDown => {
                visit(&mut |start, out| {
                    let mut dfs = Dfs::new(&filtered, start);
                    while let Some(n) = dfs.next(&filtered) {
                        out.insert(n.index());
                    }
                });
            }
            Edges::VersionedUp | Edges::AllUp => {
                let reversed = Reversed(&filtered);
                visit(&mut |start, out| {
                    let mut dfs = Dfs::new(reversed, start);
                    while let Some(n) = dfs.next(reversed) {
                        out.insert(n.index());
                    }
                });
            }
        }
        out
    }

    /// Alembic's `_iterate_related_revisions` visiting order (a stack, children in
    /// declared order); used where the visiting order itself matters.
    pub fn iterate(&self, starts: &[usize], edges: Edges) -> Vec<usize> {
        let mut seen = FixedBitSet::with_capacity(self.nodes.len());
        let mut out = Vec::new();
        let mut todo = Vec::new();
        for &s in starts {
            todo.push(s);
            while let Some(n) = todo.pop() {
                if seen.put(n) {
                    continue;
                }
                todo.extend(self.neighbours(n, edges).iter().copied());
                out.push(n);
            }
        }
        out
    }

    pub fn neighbours(&self, n: usize, edges: Edges) -> &[usize] {
        let node = &self.nodes[n];
        match edges {
            Edges::VersionedDown => &node.down,
            Edges::NormalizedDown => &node.normalized_down,
            Edges::AllDown => &node.all_down,
            Edges::VersionedUp => &node.next,
            Edges::AllUp => &node.all_next,
        }
    }

    /// Alembic's `check=True`: no target may be reachable from another one.
    pub fn check_overlaps(&self, targets: &[usize], edges: Edges) -> Result<(), RevisionError> {
        for &t in targets {
            self.check_overlaps_of(t, targets, edges)?;
        }
        Ok(())
    }

    /// The overlap check for one target against the others.
    pub fn check_overlaps_of(
        &self,
        t: usize,
        targets: &[usize],
        edges: Edges,
    ) -> Result<(), RevisionError> {
        if targets.len() < 2 {
            return Ok(());
        }
        let reach = self.reach(&[t], edges);
        let mut overlaps: Vec<usize> = targets
            .iter()
            .copied()
            .filter(|&o| o != t && reach.contains(o))
            .collect();
        overlaps.sort_unstable();
        overlaps.dedup();
        if overlaps.is_empty() {
            return Ok(());
        }
        Err(RevisionError::other(format!(
            "Requested revision {} overlaps with other requested revisions {}",
            self.nodes[t].rev.id,
            overlaps
                .iter()
                .map(|&o| self.nodes[o].rev.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
    pub fn node(&self, i: usize) -> &Node {
        &self.nodes[i]
    }
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }
    pub fn id(&self, i: usize) -> &str {
        &self.nodes[i].rev.id
    }
    /// Versioned heads (effective heads included), in file order.
    pub fn heads(&self) -> &[usize] {
        &self.heads
    }
    /// Heads that nothing depends on either.
    pub fn real_heads(&self) -> &[usize] {
        &self.real_heads
    }
    pub fn bases(&self) -> &[usize] {
        &self.bases
    }
    /// Exact lookup of an id or a branch label.
    pub fn key(&self, key: &str) -> Option<usize> {
        self.keys.get(key).copied()
    }
    pub fn key_order(&self) -> &[String] {
        &self.key_order
    }
}

fn edge_mask(edges: Edges) -> u8 {
    match edges {
        Edges::VersionedDown | Edges::VersionedUp => VERSIONED,
        Edges::NormalizedDown => VERSIONED | NORMALIZED,
        Edges::AllDown | Edges::AllUp => VERSIONED | DEPENDENCY,
    }
}

fn push_unique(v: &mut Vec<usize>, x: usize) {
    if !v.contains(&x) {
        v.push(x);
    }
}

fn check_revision(rev: &Revision) -> Result<(), RevisionError> {
    if rev.down_revisions.contains(&rev.id) {
        return Err(RevisionError::Cycle {
            kind: CycleKind::SelfLoop,
            revisions: vec![rev.id.clone()],
        });
    }
    if rev.dependencies.contains(&rev.id) {
        return Err(RevisionError::Cycle {
            kind: CycleKind::DependencySelfLoop,
            revisions: vec![rev.id.clone()],
        });
    }
    let illegal: BTreeSet<char> = rev
        .id
        .chars()
        .filter(|c| ILLEGAL_CHARS.contains(c))
        .collect();
    if !illegal.is_empty() {
        return Err(RevisionError::IllegalCharacters {
            chars: illegal
                .iter()
                .map(char::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            revision: rev.id.clone(),
        });
    }
    Ok(())
}

/// How Alembic names a script in the "not present" warning.
fn summary(rev: &Revision) -> String {
    let down = if rev.down_revisions.is_empty() {
        "<base>".to_string()
    } else {
        rev.down_revisions.join(", ")
    };
    format!("{down} -> {}", rev.id)
}
