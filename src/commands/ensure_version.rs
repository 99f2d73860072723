//! `ensure_version [--sql]`: create the version table if it is missing.

use super::hosted::{self, Plan};
use super::{Catch, Failure, Global, Output, Project};

pub fn run(global: &Global, out: &mut Output, sql: bool) -> Result<(), Failure> {
    let project = Project::load(global)?;
    if sql {
        // Offline: the CREATE TABLE, inside the run's transaction block.
        let ctx = project.offline()?;
        let mut text = String::new();
        if ctx.transactional_ddl() {
            text.push_str("BEGIN;\n\n");
        }
        text.push_str(&ctx.create_table()?);
        if ctx.transactional_ddl() {
            text.push_str("COMMIT;\n\n");
        }
        out.raw(&text);
        return Ok(());
    }
    if !project.uses_stock_env() {
        // env.py's migration context creates the table it configured.
        return hosted::run_plan(project, global, out, Plan::EnsureVersion, Catch::default());
    }
    let mut conn = project.connect()?;
    conn.table.ensure(&mut conn.db)?;
    Ok(())
}
