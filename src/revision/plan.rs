//! Which revisions an upgrade, downgrade or history range covers, and the order
//! Alembic visits them in (`_collect_*_revisions` and `_topological_sort`).

use super::error::RevisionError;
use super::map::{Edges, FixedBitSet, RevisionMap};
use super::resolve::{Resolved, RevArg};

/// Options of Alembic's `iterate_revisions`.
#[derive(Debug, Clone, Copy, Default)]
pub struct IterateOptions {
    pub implicit_base: bool,
    pub inclusive: bool,
    pub assert_relative_length: bool,
    pub select_for_downgrade: bool,
}

impl RevisionMap {
    /// Revisions between `upper` and `lower`, newest first (the order of `history`
    /// and of a downgrade; an upgrade runs it backwards).
    pub fn iterate_revisions(
        &self,
        upper: RevArg<'_>,
        lower: RevArg<'_>,
        opts: IterateOptions,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<usize>, RevisionError> {
        let (set, heads) = if opts.select_for_downgrade {
            let target = match lower {
                RevArg::Str(s) => Some(s),
                RevArg::None => None,
                RevArg::Rows(_) => {
                    return Err(RevisionError::Assertion(
                        "Expected downgrade target in string form".to_string(),
                    ))
                }
            };
            self.collect_downgrade(upper, target, opts, warnings)?
        } else {
            self.collect_upgrade(upper, lower, opts, warnings)?
        };
        self.topological_sort(&set, &heads)
    }

    fn collect_upgrade(
        &self,
        upper: RevArg<'_>,
        lower: RevArg<'_>,
        opts: IterateOptions,
        warnings: &mut Vec<String>,
    ) -> Result<(FixedBitSet, Vec<usize>), RevisionError> {
        let mut targets = self.require_revisions(
            self.parse_upgrade_target(lower, upper, opts.assert_relative_length)?,
            "upgrade target",
        )?;

        // `branch@…` as the lower bound keeps only targets on that branch.
        if let RevArg::Str(l) = lower {
            if let Some((branch, _)) = l.split_once('@') {
                let mut branch = branch.to_string();
                if let Some(br) = self.get_revision(Some(&branch))? {
                    if self.id(br) == branch {
                        let labels = &self.node(br).labels;
                        match (labels.len(), labels.iter().next()) {
                            (1, Some(only)) => branch = only.clone(),
                            _ => {
                                return Err(RevisionError::Assertion(format!(
                                    "revision {branch} used as a branch must carry exactly one branch label"
                                )))
                            }
                        }
                    }
                }
                targets.retain(|&t| self.node(t).labels.contains(&branch));
            }
        }

        self.check_overlaps(&targets, Edges::NormalizedDown)?;
        let required = self.reach(&targets, Edges::NormalizedDown);

        let mut lower = lower;
        let lower_owned: String;
        let mut current = self.get_revisions(lower)?;
        // The pseudo-revision "base" counts as outside the range, as in Alembic.
        let outside = |c: &Resolved| match c {
            Resolved::Rev(i) => !required.contains(*i),
            Resolved::Base => true,
            Resolved::Nothing => false,
        };
        if !opts.implicit_base && current.iter().any(outside) {
            return Err(RevisionError::RangeNotAncestor {
                lower: lower.display(),
                upper: upper.display(),
            });
        }
        // A relative lower bound that went too far from the heads: walk from `upper`.
        if current.first() == Some(&Resolved::Nothing) {
            let RevArg::Str(l) = lower else {
                return Err(RevisionError::Assertion(
                    "relative lower bound must be a string".into(),
                ));
            };
            let (_, rev) =
                self.parse_downgrade_target(upper, Some(l), opts.assert_relative_length, warnings)?;
            match rev {
                Resolved::Nothing => {
                    return Err(RevisionError::Assertion(format!(
                        "no revision found for '{l}'"
                    )))
                }
                Resolved::Base => {
                    current = Vec::new();
                    lower = RevArg::None;
                }
                Resolved::Rev(r) => {
                    current = vec![Resolved::Rev(r)];
                    lower_owned = self.id(r).to_string();
                    lower = RevArg::Str(&lower_owned);
                }
            }
        }
        let current = self.checked_in_order(&current, Edges::NormalizedDown)?;
        let applied = self.reach(&current, Edges::NormalizedDown);

        let mut needs = required;
        needs.difference_with(&applied);
        if opts.inclusive {
            for r in self.require_revisions(self.get_revisions(lower)?, "lower revision")? {
                needs.insert(r);
            }
        }
        if !current.is_empty() && !opts.implicit_base {
            self.check_overlaps(&current, Edges::VersionedUp)?;
            needs.intersect_with(&self.reach(&current, Edges::VersionedUp));
        }
        Ok((needs, targets))
    }

    fn collect_downgrade(
        &self,
        upper: RevArg<'_>,
        lower: Option<&str>,
        opts: IterateOptions,
        warnings: &mut Vec<String>,
    ) -> Result<(FixedBitSet, Vec<usize>), RevisionError> {
        let (branch, target) =
            self.parse_downgrade_target(upper, lower, opts.assert_relative_length, warnings)?;
        let target = target.rev();
        let mut roots: Vec<usize> = match target {
            None => (0..self.len())
                .filter(|&i| self.node(i).is_base())
                .collect(),
            Some(t) if opts.inclusive => vec![t],
            Some(t) => self.node(t).next.clone(),
        };
        if let Some(b) = &branch {
            if roots.len() > 1 {
                let ancestors = self.reach(&[self.resolve_branch(b)?], Edges::VersionedDown);
                roots.retain(|&r| ancestors.contains(r));
                if roots.is_empty() {
                    return Err(RevisionError::other(
                        "Not a valid downgrade target from current heads",
                    ));
                }
            }
        }
        let heads = self.require_revisions(self.get_revisions(upper)?, "current revision")?;
        let active = self.reach(&heads, Edges::NormalizedDown);
        let mut drop = self.reach(&roots, Edges::AllUp);
        drop.intersect_with(&active);
        if opts.implicit_base {
            let mut others = active.clone();
            others.difference_with(&self.reach(&roots, Edges::NormalizedDown));
            drop.union_with(&others);
        }
        if let Some(t) = target {
            if drop.is_clear() && !heads.contains(&t) {
                return Err(RevisionError::RangeNotAncestor {
                    lower: Some("Nothing to drop".to_string()),
                    upper: upper.display(),
                });
            }
        }
        Ok((drop, heads))
    }

    /// Alembic's `_get_ancestor_nodes(check=True)`: each entry in turn must be a
    /// revision and must not reach another entry; the first failure is reported.
    fn checked_in_order(
        &self,
        found: &[Resolved],
        edges: Edges,
    ) -> Result<Vec<usize>, RevisionError> {
        let revs: Vec<usize> = found.iter().filter_map(|r| r.rev()).collect();
        for r in found {
            let Resolved::Rev(i) = *r else {
                return Err(RevisionError::Assertion(
                    "expected a revision as the current revision, found none".to_string(),
                ));
            };
            self.check_overlaps_of(i, &revs, edges)?;
        }
        Ok(revs)
    }

    /// Alembic asserts these are real revisions; a walk past the end is not.
    fn require_revisions(
        &self,
        found: Vec<Resolved>,
        what: &str,
    ) -> Result<Vec<usize>, RevisionError> {
        found
            .into_iter()
            .map(|r| {
                r.rev().ok_or_else(|| {
                    RevisionError::Assertion(format!(
                        "expected a revision as the {what}, found none"
                    ))
                })
            })
            .collect()
    }

    /// `_topological_sort`: emit `set` newest first, starting from `heads`. Another
    /// branch that still needs a shared ancestor is always finished first.
    pub fn topological_sort(
        &self,
        set: &FixedBitSet,
        heads: &[usize],
    ) -> Result<Vec<usize>, RevisionError> {
        let mut todo = set.clone();
        let mut current: Vec<usize> = Vec::new();
        for &h in heads {
            if todo.contains(h) && !current.contains(&h) {
                current.push(h);
            }
        }
        // Map order is file order: ids were inserted by index.
        current.sort_unstable();
        let mut ancestors: Vec<FixedBitSet> = current
            .iter()
            .map(|&h| self.reach(&[h], Edges::NormalizedDown))
            .collect();
        let mut output = Vec::with_capacity(todo.count_ones(..));
        let mut idx = 0usize;
        // A valid DAG never needs this many rounds; it guards against looping forever.
        let mut budget = (self.len() + 1)
            .saturating_mul(heads.len() + 2)
            .saturating_mul(4);
        while !current.is_empty() {
            budget = budget.saturating_sub(1);
            if budget == 0 {
                return Err(RevisionError::Assertion(
                    "revision ordering did not terminate".into(),
                ));
            }
            let cand = current[idx];
            if let Some(j) = ancestors
                .iter()
                .enumerate()
                .position(|(j, a)| j != idx && a.contains(cand))
            {
                idx = j;
                continue;
            }
            if todo.contains(cand) {
                output.push(cand);
                todo.set(cand, false);
            }
            let node = self.node(cand);
            let to_add: Vec<usize> = node
                .normalized_down
                .iter()
                .copied()
                .filter(|&r| todo.contains(r) && !current.contains(&r))
                .collect();
            match to_add.split_first() {
                None => {
                    current.remove(idx);
                    ancestors.remove(idx);
                    idx = idx.saturating_sub(1);
                }
                Some((&first, rest)) => {
                    current[idx] = first;
                    if node.normalized_deps.is_empty() && node.down.len() == 1 {
                        ancestors[idx].set(cand, false);
                    } else {
                        current.extend_from_slice(rest);
                        ancestors[idx] = self.reach(&[first], Edges::NormalizedDown);
                        ancestors.extend(
                            rest.iter()
                                .map(|&r| self.reach(&[r], Edges::NormalizedDown)),
                        );
                    }
                }
            }
        }
        if !todo.is_clear() {
            return Err(RevisionError::Assertion(
                "revisions were left over after ordering".to_string(),
            ));
        }
        Ok(output)
    }
}

impl RevisionMap {
    /// Revisions `upgrade <target>` runs from the given version-table rows, in run order.
    pub fn upgrade_plan(
        &self,
        rows: &[String],
        target: &str,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<usize>, RevisionError> {
        let opts = IterateOptions {
            implicit_base: true,
            assert_relative_length: true,
            ..IterateOptions::default()
        };
        let mut steps =
            self.iterate_revisions(RevArg::Str(target), RevArg::Rows(rows), opts, warnings)?;
        steps.reverse();
        Ok(steps)
    }

    /// Revisions `downgrade <target>` runs from the given version-table rows, in run order.
    pub fn downgrade_plan(
        &self,
        rows: &[String],
        target: &str,
        warnings: &mut Vec<String>,
    ) -> Result<Vec<usize>, RevisionError> {
        let opts = IterateOptions {
            select_for_downgrade: true,
            assert_relative_length: true,
            ..IterateOptions::default()
        };
        self.iterate_revisions(RevArg::Rows(rows), RevArg::Str(target), opts, warnings)
    }
}
