//! `branches [-v]`

use super::output::{Describe, Short};
use super::{emit_warnings, Catch, Failure, Global, Output, Project};
use crate::revision::{IterateOptions, RevArg};

pub fn run(global: &Global, out: &mut Output, verbose: bool) -> Result<(), Failure> {
    let project = Project::load(global)?;
    let catch = Catch::range("base", "heads");
    let map = project.map(&catch)?;
    let mut warnings = Vec::new();
    let order = map
        .iterate_revisions(
            RevArg::Str("heads"),
            RevArg::Str("base"),
            history_walk(),
            &mut warnings,
        )
        .map_err(|e| catch.failure(e))?;
    emit_warnings(warnings);
    let describe = Describe {
        map,
        scripts: &project.scripts,
    };
    let with_labels = Short {
        branches: true,
        tree: true,
        ..Short::default()
    };
    for i in order {
        let node = map.node(i);
        if !node.is_branch_point() {
            continue;
        }
        let indent = " ".repeat(node.id().chars().count());
        let child_form = Short {
            doc: verbose,
            ..with_labels
        };
        let children: Vec<String> = node
            .next
            .iter()
            .map(|&c| format!("{indent} -> {}", describe.short(c, child_form, false)))
            .collect();
        out.line(&format!(
            "{}\n{}\n",
            describe.cmd_format(i, verbose, with_labels, false),
            children.join("\n")
        ));
    }
    Ok(())
}

/// How `walk_revisions` iterates: inclusive, overshooting relative bounds allowed.
pub(super) fn history_walk() -> IterateOptions {
    IterateOptions {
        inclusive: true,
        assert_relative_length: false,
        ..IterateOptions::default()
    }
}
