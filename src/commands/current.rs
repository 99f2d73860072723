//! `current [-v] [--check-heads]`

use std::collections::BTreeSet;

use super::hosted::{self, Plan};
use super::output::{Describe, Short};
use super::{Catch, Failure, Global, Output, Project};
use crate::cli::Format;
use crate::revision::{RevArg, RevisionMap};

pub fn run(
    global: &Global,
    out: &mut Output,
    verbose: bool,
    check_heads: bool,
    format: Format,
) -> Result<(), Failure> {
    let project = Project::load(global)?;
    let catch = Catch::default();
    if !project.uses_stock_env() {
        let plan = Plan::Current {
            verbose,
            check_heads,
            format,
        };
        return hosted::run_plan(project, global, out, plan, catch);
    }
    let map = project.map(&catch)?;
    let mut conn = project.connect()?;
    // `current` never creates the version table.
    let rows = conn.table.rows(&mut conn.db)?;
    report(
        project,
        map,
        &rows,
        &conn.url.masked(),
        verbose,
        check_heads,
        format,
        out,
    )
}

/// What `current` prints for the version table's `rows`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn report(
    project: &Project,
    map: &RevisionMap,
    rows: &[String],
    url: &str,
    verbose: bool,
    check_heads: bool,
    format: Format,
    out: &mut Output,
) -> Result<(), Failure> {
    let catch = Catch::default();
    if verbose && format == Format::Text {
        out.line(&format!("Current revision(s) for {url}:"));
    }
    if check_heads {
        let current: BTreeSet<&str> = rows.iter().map(String::as_str).collect();
        let heads: BTreeSet<&str> = map.heads().iter().map(|&h| map.id(h)).collect();
        if current != heads {
            return Err(Failure::Command(
                "Database is not on all head revisions".to_string(),
            ));
        }
    }
    let shown = map
        .all_current(RevArg::Rows(rows))
        .map_err(|e| catch.failure(e))?;
    let describe = Describe {
        map,
        scripts: &project.scripts,
    };
    if format == Format::Json {
        out.line(&describe.json_array(shown.into_iter().map(|i| (i, None))));
        return Ok(());
    }
    let short = Short {
        tree: true,
        ..Short::default()
    };
    for i in shown {
        out.line(&describe.cmd_format(i, verbose, short, false));
    }
    Ok(())
}
