//! `show REV`

use super::hosted::{self, Plan};
use super::output::Describe;
use super::{Catch, Failure, Global, Output, Project};
use crate::revision::{Resolved, RevArg, RevisionMap};

pub fn run(global: &Global, out: &mut Output, rev: &str) -> Result<(), Failure> {
    let project = Project::load(global)?;
    let catch = Catch::default();
    if rev != "current" {
        let map = project.map(&catch)?;
        return report(project, map, RevArg::Str(rev), rev, out);
    }
    // `current` runs env.py, which reads the version table (creating it).
    if !project.uses_stock_env() {
        return hosted::run_plan(project, global, out, Plan::ShowCurrent, catch);
    }
    let mut conn = project.connect()?;
    let rows = conn.rows_creating_table()?;
    let map = project.map(&catch)?;
    report(project, map, RevArg::Rows(&rows), rev, out)
}

/// Prints the log entry of each revision `arg` (given as `rev`) names.
pub(crate) fn report(
    project: &Project,
    map: &RevisionMap,
    arg: RevArg<'_>,
    rev: &str,
    out: &mut Output,
) -> Result<(), Failure> {
    let found = map
        .get_revisions(arg)
        .map_err(|e| Catch::default().failure(e))?;
    let describe = Describe {
        map,
        scripts: &project.scripts,
    };
    for r in found {
        match r {
            Resolved::Rev(i) => out.line(&describe.log_entry(i, false)),
            // Alembic fails with AttributeError on these.
            Resolved::Base | Resolved::Nothing => {
                return Err(Failure::Crash(format!(
                "'{rev}' walks past the base of the revision graph; there is no revision to show"
            )))
            }
        }
    }
    Ok(())
}
