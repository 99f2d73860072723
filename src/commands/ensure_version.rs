//! `ensure_version`: create the version table if it is missing.

use super::{Failure, Global, Project};

pub fn run(global: &Global, sql: bool) -> Result<(), Failure> {
    if sql {
        return Err(Failure::Crash(
            "ensure_version --sql (offline mode) is not available in this build of retort yet"
                .to_string(),
        ));
    }
    let project = Project::load(global)?;
    let mut conn = project.connect()?;
    conn.table.ensure(&mut conn.db)?;
    Ok(())
}
