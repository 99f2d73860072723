//! `ensure_version [--sql]`: create the version table if it is missing.

use super::hosted::{self, Plan};
use super::{Catch, Failure, Global, Output, Project};

pub fn run(global: &Global, out: &mut Output, sql: bool) -> Result<(), Failure> {
    let project = Project::load(global)?;
    if !project.uses_stock_env() {
        // env.py's migration context creates the table it configured, or
        // prints its CREATE TABLE offline, as Alembic's `ensure_version` does.
        let plan = Plan::EnsureVersion;
        return if sql {
            hosted::run_plan_offline(project, global, out, plan, Catch::default(), None)
        } else {
            hosted::run_plan(project, global, out, plan, Catch::default())
        };
    }
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
    let mut conn = project.connect()?;
    conn.table.ensure(&mut conn.db)?;
    Ok(())
}
