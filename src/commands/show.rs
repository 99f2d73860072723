//! `show REV`

use super::output::Describe;
use super::{Catch, Failure, Global, Output, Project};
use crate::revision::{Resolved, RevArg};

pub fn run(global: &Global, out: &mut Output, rev: &str) -> Result<(), Failure> {
    let project = Project::load(global)?;
    let rows = if rev == "current" {
        let mut conn = project.connect()?;
        Some(conn.rows_creating_table()?)
    } else {
        None
    };
    let catch = Catch::default();
    let map = project.map(&catch)?;
    let arg = match &rows {
        Some(rows) => RevArg::Rows(rows),
        None => RevArg::Str(rev),
    };
    let found = map.get_revisions(arg).map_err(|e| catch.failure(e))?;
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
