//! `stamp REV... [--purge]`: move the version table without running migrations.

use super::{Catch, Failure, Global, Project};
use crate::runtime::{stamp_steps, Heads, VersionOp};

pub fn run(global: &Global, revisions: &[String], sql: bool, purge: bool) -> Result<(), Failure> {
    if sql && purge {
        return Err(Failure::Command(
            "Can't use --purge with --sql mode".to_string(),
        ));
    }
    if sql {
        return Err(Failure::Crash(
            "stamp --sql (offline mode) is not available in this build of retort yet".to_string(),
        ));
    }
    let project = Project::load(global)?;
    let catch = Catch {
        multiple_heads: Some(
            "Multiple heads are present; please specify a single target revision".into(),
        ),
        ..Catch::default()
    };
    let map = project.map(&catch)?;
    let mut conn = project.connect()?;
    let rows = if purge {
        conn.table.ensure(&mut conn.db)?;
        conn.table.delete_all(&mut conn.db)?;
        Vec::new()
    } else {
        let rows = conn.table.rows(&mut conn.db)?;
        if rows.is_empty() {
            conn.table.ensure(&mut conn.db)?;
        }
        rows
    };
    let steps = stamp_steps(&map, &rows, revisions).map_err(|e| catch.failure(e))?;
    let mut heads = Heads::new(&rows);
    // One transaction for the run where DDL is transactional, else one per step.
    let whole_run = conn.transactional_ddl();
    if whole_run {
        conn.db.begin()?;
    }
    for step in &steps {
        if !whole_run {
            conn.db.begin()?;
        }
        conn.log.info(&step.log_line(&map, None));
        let ops = heads
            .apply(&map, step)
            .map_err(|e| Failure::Crash(e.to_string()))?;
        for op in ops {
            match op {
                VersionOp::Insert(v) => conn.table.insert(&mut conn.db, &v)?,
                VersionOp::Update { from, to } => conn.table.update(&mut conn.db, &from, &to)?,
                VersionOp::Delete(v) => conn.table.delete(&mut conn.db, &v)?,
            }
        }
        if !whole_run {
            conn.db.commit()?;
        }
    }
    if whole_run {
        conn.db.commit()?;
    }
    Ok(())
}
