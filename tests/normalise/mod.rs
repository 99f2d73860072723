//! Output normalisation shared by the parity suites: only the parts Alembic
//! prints in set order (labels, `Branches into:`, overlap lists, …) are sorted.
// Each suite uses a part of it.
#![allow(dead_code)]

/// Markers Alembic appends after a revision id; any other parenthesised
/// group right after the id in a one-line form is its branch labels.
const MARKERS: &[&str] = &[
    "head",
    "effective head",
    "current",
    "branchpoint",
    "mergepoint",
];

/// Canonicalises the parts of Alembic's output whose order comes from
/// iterating a Python set (so varies with the string hash seed, or with
/// object addresses):
///
/// * the items of `Branches into: ` (a revision's children) and
///   `Branch names: ` (its labels) lines of the long form;
/// * the branch labels printed in parentheses after a revision id in the
///   one-line forms (`heads`, `history`, `branches`);
/// * the child entries under each branch point in `branches` output
///   (lines starting with spaces and `-> `, plus continuation lines of a
///   multi-line doc under `branches -v`);
/// * the list in `FAILED: Requested revision X overlaps with other
///   requested revisions A, B`;
/// * the two revisions in `FAILED: Branch name 'L' in revision X already
///   used by revision Y` when both merely declare `L`.
///
/// Everything else must match byte for byte.
pub fn normalise(text: &str) -> String {
    let lines: Vec<String> = text.split('\n').map(normalise_line).collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if !is_child_line(&lines[i]) {
            out.push(lines[i].clone());
            i += 1;
            continue;
        }
        // A run of child entries; each entry owns the non-empty lines
        // after it up to the next child line.
        let mut entries: Vec<Vec<String>> = Vec::new();
        while i < lines.len() && !lines[i].is_empty() {
            if is_child_line(&lines[i]) {
                entries.push(vec![lines[i].clone()]);
            } else {
                entries
                    .last_mut()
                    .expect("run starts with a child")
                    .push(lines[i].clone());
            }
            i += 1;
        }
        entries.sort();
        out.extend(entries.into_iter().flatten());
    }
    out.join("\n")
}

/// `FAILED: Requested revision X overlaps with other requested revisions
/// A, B`: A, B come from a Python set.
const OVERLAPS: &str = " overlaps with other requested revisions ";

/// `FAILED: Branch name 'L' in revision X already used by revision Y`: when
/// two revisions both declare label `L`, which one is reported as the user
/// depends on the iteration order of a Python set of revision objects
/// (hashed by address), so X and Y are put in sorted order.  When `L` is
/// itself a revision id (and so is Y) the message is deterministic and kept.
fn duplicate_label_error(line: &str) -> Option<String> {
    let rest = line.strip_prefix("FAILED: Branch name '")?;
    let (label, rest) = rest.split_once("' in revision ")?;
    let (x, y) = rest.split_once(" already used by revision ")?;
    if label == x || label == y || x.contains(' ') || y.contains(' ') {
        return None;
    }
    let (x, y) = if x <= y { (x, y) } else { (y, x) };
    Some(format!(
        "FAILED: Branch name '{label}' in revision {x} already used by revision {y}"
    ))
}

pub fn sorted_lines(text: &str) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    lines.sort_unstable();
    lines.join("\n")
}

fn is_child_line(line: &str) -> bool {
    let trimmed = line.trim_start_matches(' ');
    trimmed.len() < line.len() && trimmed.starts_with("-> ")
}

fn sorted_items(items: &str) -> String {
    let mut v: Vec<&str> = items.split(", ").collect();
    v.sort_unstable();
    v.join(", ")
}

pub fn normalise_line(line: &str) -> String {
    for prefix in ["Branches into: ", "Branch names: "] {
        if let Some(rest) = line.strip_prefix(prefix) {
            return format!("{prefix}{}", sorted_items(rest));
        }
    }
    if let Some(canonical) = duplicate_label_error(line) {
        return canonical;
    }
    if let Some((head, overlaps)) = line.split_once(OVERLAPS) {
        if head.starts_with("FAILED: Requested revision ") {
            return format!("{head}{OVERLAPS}{}", sorted_items(overlaps));
        }
    }
    // One-line forms: `[<parents>[ (<deps>)] -> ]<rev>[ (<labels>)][ (head)]...`
    let start = line.find(" -> ").map_or(0, |p| p + 4);
    let rest = &line[start..];
    let Some(id_end) = rest.find(' ') else {
        return line.to_owned();
    };
    let id = &rest[..id_end];
    if id.is_empty() || id.ends_with(',') || id.ends_with(':') {
        return line.to_owned();
    }
    let after = &rest[id_end..];
    let Some(group) = after.strip_prefix(" (") else {
        return line.to_owned();
    };
    let Some(close) = group.find(')') else {
        return line.to_owned();
    };
    let labels = &group[..close];
    if MARKERS.contains(&labels) {
        return line.to_owned();
    }
    format!(
        "{}{} ({}{}",
        &line[..start],
        id,
        sorted_items(labels),
        &group[close..]
    )
}
