//! Building maps from a compact notation, for tests across layers.

use super::{Revision, RevisionMap};

/// `"b:a"` is b with down_revision a; `"e:d1,d2"` a merge; `"b2:b1|a2"` depends on a2;
/// `"c1:b@lbl"` carries branch label lbl.
pub(crate) fn map(spec: &[&str]) -> RevisionMap {
    let revisions = spec
        .iter()
        .map(|s| {
            let (s, label) = s.split_once('@').map_or((*s, None), |(a, l)| (a, Some(l)));
            let (id, rest) = s.split_once(':').unwrap_or((s, ""));
            let (down, deps) = rest.split_once('|').unwrap_or((rest, ""));
            let list = |t: &str| {
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
        .collect();
    RevisionMap::build(revisions).expect("valid map")
}
