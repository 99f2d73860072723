//! Target resolution: ids, prefixes, branch labels, `head`/`heads`/`base`,
//! `branch@…` and relative steps, as Alembic's `RevisionMap` resolves them.

use super::error::RevisionError;
use super::map::{Edges, RevisionMap};
use crate::python::python_int;

/// What resolving or walking produces: a revision, Alembic's pseudo-revision
/// `"base"` (a walk below a base), or nothing (`None` in Alembic: base, or a walk
/// that went too far).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Rev(usize),
    Base,
    Nothing,
}

impl Resolved {
    pub fn rev(self) -> Option<usize> {
        match self {
            Resolved::Rev(i) => Some(i),
            _ => None,
        }
    }
}

impl From<Option<usize>> for Resolved {
    fn from(o: Option<usize>) -> Self {
        o.map_or(Resolved::Nothing, Resolved::Rev)
    }
}

/// A revision argument as Alembic's functions take it: `None`, one string typed by
/// the user, or a tuple of strings (the version table's rows).
#[derive(Debug, Clone, Copy)]
pub enum RevArg<'a> {
    None,
    Str(&'a str),
    Rows(&'a [String]),
}

impl<'a> RevArg<'a> {
    pub fn items(&self) -> Vec<&'a str> {
        match *self {
            RevArg::None => Vec::new(),
            RevArg::Str(s) => vec![s],
            RevArg::Rows(rows) => rows.iter().map(String::as_str).collect(),
        }
    }
    /// How Alembic prints the argument in a message (`%s` of the value); `None`
    /// where Python would see a false value (None, an empty string or tuple).
    pub fn display(&self) -> Option<String> {
        match *self {
            RevArg::None => None,
            RevArg::Str("") | RevArg::Rows([]) => None,
            RevArg::Str(s) => Some(s.to_string()),
            RevArg::Rows(rows) => {
                let quoted: Vec<String> = rows.iter().map(|r| format!("'{r}'")).collect();
                Some(if quoted.len() == 1 {
                    format!("({},)", quoted[0])
                } else {
                    format!("({})", quoted.join(", "))
                })
            }
        }
    }
}

/// A parsed relative target `[branch@][symbol](+|-)N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relative<'a> {
    pub branch: Option<&'a str>,
    pub symbol: Option<&'a str>,
    /// The signed digits as typed, e.g. `+2`.
    pub text: &'a str,
    pub steps: i64,
}

/// Alembic's `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)` matched at the start of `s`.
pub fn match_relative(s: &str) -> Option<Relative<'_>> {
    // The lazy branch group tries the earliest '@' first; no branch is the fallback.
    for (at, _) in s.char_indices().filter(|&(i, c)| c == '@' && i > 0) {
        if s[..at].contains('\n') {
            break;
        }
        if let Some((symbol, text, steps)) = match_symbol_steps(&s[at + 1..]) {
            return Some(Relative {
                branch: Some(&s[..at]),
                symbol,
                text,
                steps,
            });
        }
    }
    match_symbol_steps(s).map(|(symbol, text, steps)| Relative {
        branch: None,
        symbol,
        text,
        steps,
    })
}

fn match_symbol_steps(s: &str) -> Option<(Option<&str>, &str, i64)> {
    let word_end = s
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
        .map_or(s.len(), |(i, _)| i);
    let rest = &s[word_end..];
    let sign = rest.chars().next().filter(|c| *c == '+' || *c == '-')?;
    let digits_len = rest[1..]
        .char_indices()
        .find(|&(_, c)| !c.is_ascii_digit())
        .map_or(rest.len() - 1, |(i, _)| i);
    if digits_len == 0 {
        return None;
    }
    let text = &rest[..1 + digits_len];
    let magnitude: i64 = rest[1..1 + digits_len].parse().ok()?;
    let steps = if sign == '-' { -magnitude } else { magnitude };
    let symbol = (word_end > 0).then(|| &s[..word_end]);
    Some((symbol, text, steps))
}

impl RevisionMap {
    /// `_resolve_revision_number`: symbols to ids, plus the branch part of `branch@…`.
    pub fn resolve_number(
        &self,
        id: Option<&str>,
    ) -> Result<(Vec<String>, Option<String>), RevisionError> {
        let (branch, id) = match id {
            Some(s) => match s.split_once('@') {
                Some((b, rest)) => ((!b.is_empty()).then(|| b.to_string()), Some(rest)),
                None => (None, Some(s)),
            },
            None => (None, None),
        };
        let ids = match id {
            Some("heads") => match &branch {
                Some(b) => {
                    let heads = self.filter_for_lineage(self.heads(), b, false)?;
                    heads.iter().map(|&h| self.id(h).to_string()).collect()
                }
                None => self
                    .real_heads()
                    .iter()
                    .map(|&h| self.id(h).to_string())
                    .collect(),
            },
            Some("head") => match self.current_head(branch.as_deref())? {
                Some(h) => vec![self.id(h).to_string()],
                None => Vec::new(),
            },
            Some("base") | None => Vec::new(),
            Some(other) => vec![other.to_string()],
        };
        Ok((ids, branch))
    }

    /// The single versioned head (of a branch); several are an error.
    pub fn current_head(&self, branch: Option<&str>) -> Result<Option<usize>, RevisionError> {
        let heads = match branch {
            Some(b) => self.filter_for_lineage(self.heads(), b, false)?,
            None => self.heads().to_vec(),
        };
        if heads.len() > 1 {
            return Err(RevisionError::MultipleHeads {
                heads: heads.iter().map(|&h| self.id(h).to_string()).collect(),
                argument: match branch {
                    Some(b) => format!("{b}@head"),
                    None => "head".to_string(),
                },
            });
        }
        Ok(heads.first().copied())
    }

    /// `get_revisions` for any argument.
    pub fn get_revisions(&self, arg: RevArg<'_>) -> Result<Vec<Resolved>, RevisionError> {
        let mut out = Vec::new();
        for item in arg.items() {
            out.extend(self.get_revisions_one(item)?);
        }
        Ok(out)
    }

    fn get_revisions_one(&self, id: &str) -> Result<Vec<Resolved>, RevisionError> {
        let (ids, branch) = self.resolve_number(Some(id))?;
        if let [only] = ids.as_slice() {
            if let Some(steps) = python_int(only).filter(|&n| n < 0) {
                // `-N` / `branch@-N`: walk down from each real head.
                let mut heads = self.real_heads().to_vec();
                if let Some(b) = &branch {
                    heads.retain(|&h| self.node(h).labels.contains(b));
                }
                return heads
                    .into_iter()
                    .map(|h| self.walk(Resolved::Rev(h), steps, None, true))
                    .collect();
            }
        }
        ids.iter()
            .map(|r| {
                self.revision_for_ident(r, branch.as_deref())
                    .map(Resolved::Rev)
            })
            .collect()
    }

    /// `get_revision`: one revision or none (base); several are an error.
    pub fn get_revision(&self, id: Option<&str>) -> Result<Option<usize>, RevisionError> {
        let (ids, branch) = self.resolve_number(id)?;
        if ids.len() > 1 {
            return Err(RevisionError::MultipleHeads {
                heads: ids,
                argument: id.unwrap_or("None").to_string(),
            });
        }
        match ids.first() {
            Some(one) => self.revision_for_ident(one, branch.as_deref()).map(Some),
            None => {
                if let Some(b) = &branch {
                    self.resolve_branch(b)?;
                }
                Ok(None)
            }
        }
    }

    /// `_resolve_branch`: a label or id, else a partial id.
    pub fn resolve_branch(&self, label: &str) -> Result<usize, RevisionError> {
        if let Some(i) = self.key(label) {
            return Ok(i);
        }
        self.revision_for_ident(label, None).map_err(|e| match e {
            RevisionError::Resolution { .. } => RevisionError::Resolution {
                message: format!("No such branch: '{label}'"),
                argument: label.to_string(),
            },
            other => other,
        })
    }

    /// `_revision_for_ident`: exact key, else a unique prefix, checked against a branch.
    pub fn revision_for_ident(
        &self,
        ident: &str,
        check_branch: Option<&str>,
    ) -> Result<usize, RevisionError> {
        let branch_rev = match check_branch {
            Some(b) => Some(self.resolve_branch(b)?),
            None => None,
        };
        let rev = match self.key(ident) {
            Some(i) => i,
            None => {
                if ident.is_empty() {
                    return Err(RevisionError::Assertion(
                        "an empty revision identifier was given".to_string(),
                    ));
                }
                let mut candidates: Vec<(&str, usize)> = self
                    .key_order()
                    .iter()
                    .filter(|k| k.chars().count() > 3 && k.starts_with(ident))
                    .filter_map(|k| self.key(k).map(|i| (k.as_str(), i)))
                    .collect();
                if let (Some(b), Some(_)) = (check_branch, branch_rev) {
                    if !candidates.is_empty() {
                        let against = self.lineage_refs(b)?;
                        candidates.retain(|&(_, i)| self.shares_lineage(i, &against, false));
                    }
                }
                match candidates.as_slice() {
                    [] => {
                        let hint = if ident.chars().count() < 4 {
                            "; please ensure at least four characters are present for partial revision identifier matches"
                        } else {
                            ""
                        };
                        return Err(RevisionError::Resolution {
                            message: format!("No such revision or branch '{ident}'{hint}"),
                            argument: ident.to_string(),
                        });
                    }
                    [(_, i)] => *i,
                    many => {
                        let listed: Vec<String> =
                            many.iter().take(3).map(|(k, _)| format!("'{k}'")).collect();
                        return Err(RevisionError::Resolution {
                            message: format!(
                                "Multiple revisions start with '{ident}': {}...",
                                listed.join(", ")
                            ),
                            argument: ident.to_string(),
                        });
                    }
                }
            }
        };
        if let (Some(b), Some(br)) = (check_branch, branch_rev) {
            if !self.shares_lineage(rev, &[br], false) {
                return Err(RevisionError::Resolution {
                    message: format!("Revision {} is not a member of branch '{b}'", self.id(rev)),
                    argument: ident.to_string(),
                });
            }
        }
        Ok(rev)
    }

    /// The revisions a `filter_for_lineage` check string stands for.
    fn lineage_refs(&self, check_against: &str) -> Result<Vec<usize>, RevisionError> {
        let (ids, branch) = self.resolve_number(Some(check_against))?;
        let mut out = Vec::new();
        for s in branch.iter().chain(ids.iter()) {
            out.push(self.revision_for_ident(s, None)?);
        }
        Ok(out)
    }

    /// `filter_for_lineage`: keep targets that are ancestors or descendants of what
    /// `check_against` names.
    pub fn filter_for_lineage(
        &self,
        targets: &[usize],
        check_against: &str,
        include_dependencies: bool,
    ) -> Result<Vec<usize>, RevisionError> {
        if targets.is_empty() {
            return Ok(Vec::new());
        }
        let against = self.lineage_refs(check_against)?;
        if against.is_empty() {
            return Ok(targets.to_vec());
        }
        Ok(targets
            .iter()
            .copied()
            .filter(|&t| self.shares_lineage(t, &against, include_dependencies))
            .collect())
    }

    /// True when one of `against` is an ancestor or descendant of `target` (or it).
    pub fn shares_lineage(
        &self,
        target: usize,
        against: &[usize],
        include_dependencies: bool,
    ) -> bool {
        if against.is_empty() {
            return true;
        }
        let (down, up) = if include_dependencies {
            (Edges::NormalizedDown, Edges::AllUp)
        } else {
            (Edges::VersionedDown, Edges::VersionedUp)
        };
        let mut related = self.reach(&[target], down);
        related.union_with(&self.reach(&[target], up));
        against.iter().any(|&a| related.contains(a))
    }

    /// `_walk`: N steps up (N > 0) or down (N < 0) from `start`.
    pub fn walk(
        &self,
        start: Resolved,
        steps: i64,
        branch: Option<&str>,
        no_overwalk: bool,
    ) -> Result<Resolved, RevisionError> {
        let mut at = start;
        for _ in 0..steps.unsigned_abs() {
            let children: Vec<Resolved> = if steps > 0 {
                let up: Vec<usize> = match at {
                    Resolved::Base => {
                        return Err(RevisionError::Assertion(
                            "cannot walk up from the pseudo-revision base".to_string(),
                        ))
                    }
                    Resolved::Nothing => self.bases().to_vec(),
                    Resolved::Rev(i) => self.node(i).next.clone(),
                };
                let up = match branch {
                    Some(b) => self.filter_for_lineage(&up, b, false)?,
                    None => up,
                };
                up.into_iter().map(Resolved::Rev).collect()
            } else {
                match at {
                    Resolved::Base => Vec::new(),
                    Resolved::Nothing => self.heads().iter().map(|&h| Resolved::Rev(h)).collect(),
                    Resolved::Rev(i) => {
                        let down = &self.node(i).down;
                        if down.is_empty() {
                            vec![Resolved::Base]
                        } else {
                            down.iter().map(|&d| Resolved::Rev(d)).collect()
                        }
                    }
                }
            };
            match children.as_slice() {
                [] => return Ok(if no_overwalk { Resolved::Nothing } else { at }),
                [one] => at = *one,
                _ => return Err(RevisionError::other("Ambiguous walk")),
            }
        }
        Ok(at)
    }

    /// `_parse_downgrade_target`: the branch given, and the revision to go down to.
    pub fn parse_downgrade_target(
        &self,
        current: RevArg<'_>,
        target: Option<&str>,
        assert_relative_length: bool,
        warnings: &mut Vec<String>,
    ) -> Result<(Option<String>, Resolved), RevisionError> {
        let Some(target) = target else {
            return Ok((None, Resolved::Nothing));
        };
        if let Some(rel) = match_relative(target) {
            let branch = rel.branch.map(str::to_string);
            if rel.steps >= 0 {
                let Some(symbol) = rel.symbol else {
                    return Err(RevisionError::relative(rel.text, rel.steps));
                };
                let start = self.get_revision(Some(symbol))?.into();
                let rev = self.walk(start, rel.steps, rel.branch, assert_relative_length)?;
                if rev == Resolved::Nothing {
                    return Err(RevisionError::other("Walked too far"));
                }
                return Ok((branch, rev));
            }
            let relative_to_current = rel.symbol.is_none();
            let mut branch = branch;
            let symbol: String = match rel.symbol {
                Some(s) => s.to_string(),
                None => match &branch {
                    Some(b) => self.single_current_on_branch(current, b)?,
                    None => {
                        let rows = current.items();
                        let Some(first) = rows.first() else {
                            return Err(RevisionError::relative(rel.text, rel.steps));
                        };
                        let mut distinct = rows.clone();
                        distinct.sort_unstable();
                        distinct.dedup();
                        if distinct.len() > 1 {
                            warnings.push(
                                "downgrade -1 from multiple heads is ambiguous; this usage will be disallowed in a future release."
                                    .to_string(),
                            );
                        }
                        // Restrict the walk to the first row's lineage.
                        branch = Some(first.to_string());
                        first.to_string()
                    }
                },
            };
            let start = match &branch {
                None => self.get_revision(Some(&symbol))?,
                Some(b) => self.get_revision(Some(&format!("{b}@{symbol}")))?,
            };
            let rev = self.walk(start.into(), rel.steps, None, assert_relative_length)?;
            if rev == Resolved::Nothing {
                return Err(if relative_to_current {
                    RevisionError::relative(rel.text, rel.steps)
                } else {
                    RevisionError::other("Walked too far")
                });
            }
            return Ok((branch, rev));
        }
        let (branch, symbol) = match target.rfind('@') {
            Some(p) => ((p > 0).then(|| target[..p].to_string()), &target[p + 1..]),
            None => (None, target),
        };
        Ok((branch, self.get_revision(Some(symbol))?.into()))
    }

    /// For `branch@-N`: the one current revision on the branch, else the one tip among
    /// the applied revisions on it.
    fn single_current_on_branch(
        &self,
        current: RevArg<'_>,
        branch: &str,
    ) -> Result<String, RevisionError> {
        let rows: Vec<usize> = current
            .items()
            .iter()
            .map(|r| self.revision_for_ident(r, None))
            .collect::<Result<_, _>>()?;
        let mut on_branch = self.filter_for_lineage(&rows, branch, false)?;
        if on_branch.is_empty() {
            let all_current = self.all_current(current)?;
            on_branch = self.filter_for_lineage(&all_current, branch, false)?;
        }
        match on_branch.as_slice() {
            [one] => Ok(self.id(*one).to_string()),
            _ => Err(RevisionError::Assertion(format!(
                "expected exactly one current revision on branch '{branch}', found {}",
                on_branch.len()
            ))),
        }
    }

    /// `_parse_upgrade_target`: the revisions to bring the database up to.
    pub fn parse_upgrade_target(
        &self,
        current: RevArg<'_>,
        target: RevArg<'_>,
        assert_relative_length: bool,
    ) -> Result<Vec<Resolved>, RevisionError> {
        let rel = match target {
            RevArg::Str(s) => match_relative(s),
            _ => None,
        };
        let Some(rel) = rel else {
            return self.get_revisions(target);
        };
        if rel.steps > 0 {
            let Some(symbol) = rel.symbol else {
                return self.upgrade_relative_to_current(current, &rel, assert_relative_length);
            };
            let start = self.get_revision(Some(symbol))?.into();
            return Ok(vec![self.walk(
                start,
                rel.steps,
                rel.branch,
                assert_relative_length,
            )?]);
        }
        let Some(symbol) = rel.symbol else {
            return Err(RevisionError::Other(format!(
                "Relative revision {} didn't produce {} migrations",
                rel.steps,
                rel.steps.unsigned_abs()
            )));
        };
        let start = match rel.branch {
            None => self.get_revision(Some(symbol))?,
            Some(b) => self.get_revision(Some(&format!("{b}@{symbol}")))?,
        };
        Ok(vec![self.walk(
            start.into(),
            rel.steps,
            None,
            assert_relative_length,
        )?])
    }

    /// `upgrade +N` / `upgrade branch@+N`: walk up from the current state.
    fn upgrade_relative_to_current(
        &self,
        current: RevArg<'_>,
        rel: &Relative<'_>,
        assert_relative_length: bool,
    ) -> Result<Vec<Resolved>, RevisionError> {
        let rows = current.items();
        let mut starts: Vec<Resolved> = Vec::new();
        let mut from_rows = true;
        if let Some(b) = rel.branch {
            from_rows = false;
            let revs: Vec<usize> = self
                .get_revisions(RevArg::Rows(
                    &rows.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                ))?
                .into_iter()
                .filter_map(Resolved::rev)
                .collect();
            let mut on_branch = self.filter_for_lineage(&revs, b, false)?;
            if on_branch.is_empty() {
                // Not on the branch yet: start from the tips of the applied part of it.
                let applied: Vec<usize> = self.reach(&revs, Edges::NormalizedDown).ones().collect();
                let active = self.filter_for_lineage(&applied, b, false)?;
                on_branch = active
                    .iter()
                    .copied()
                    .filter(|&a| {
                        !active
                            .iter()
                            .any(|&o| self.node(o).normalized_down.contains(&a))
                    })
                    .collect();
            }
            starts = on_branch.into_iter().map(Resolved::Rev).collect();
            if starts.is_empty() {
                starts.push(Resolved::Nothing);
            }
        }
        if from_rows {
            if rows.len() > 1 {
                return Err(RevisionError::other(
                    "Ambiguous upgrade from multiple current revisions",
                ));
            }
            starts.push(match rows.first() {
                Some(r) => self.get_revision(Some(r))?.into(),
                None => Resolved::Nothing,
            });
        }
        if starts.len() > 1 {
            return Err(RevisionError::other(
                "Ambiguous upgrade from multiple current revisions",
            ));
        }
        let rev = self.walk(starts[0], rel.steps, rel.branch, assert_relative_length)?;
        if rev == Resolved::Nothing {
            return Err(RevisionError::relative(rel.text, rel.steps));
        }
        Ok(vec![rev])
    }

    /// `_get_all_current`: the rows and their ancestors, reduced to branch tips.
    pub fn all_current(&self, rows: RevArg<'_>) -> Result<Vec<usize>, RevisionError> {
        let top: Vec<usize> = self
            .get_revisions(rows)?
            .into_iter()
            .filter_map(Resolved::rev)
            .collect();
        let all = self.reach(&top, Edges::NormalizedDown);
        // `all` is closed under down_revision, so a member with a descendant in the
        // set has a direct child in it.
        Ok(all
            .ones()
            .filter(|&i| !self.node(i).next.iter().any(|&c| all.contains(c)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_grammar() {
        let r = match_relative("+2").unwrap();
        assert_eq!((r.branch, r.symbol, r.text, r.steps), (None, None, "+2", 2));
        let r = match_relative("ae10+2").unwrap();
        assert_eq!((r.symbol, r.steps), (Some("ae10"), 2));
        let r = match_relative("mybranch@head-1").unwrap();
        assert_eq!(
            (r.branch, r.symbol, r.steps),
            (Some("mybranch"), Some("head"), -1)
        );
        let r = match_relative("a@b@+1").unwrap();
        assert_eq!((r.branch, r.symbol), (Some("a@b"), None));
        let r = match_relative("-1:x").unwrap();
        assert_eq!(r.steps, -1);
        assert!(match_relative("abc").is_none());
        assert!(match_relative("a-b").is_none());
        assert!(match_relative("feat@head").is_none());
    }
}
