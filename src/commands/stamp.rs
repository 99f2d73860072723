//! `stamp REV... [--purge]`: move the version table without running migrations.

use super::database::Connected;
use super::{Catch, Failure, Global, Project};
use crate::revision::RevisionMap;
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
    // Where DDL is transactional, env.py's begin_transaction() wraps the whole
    // run, table creation and purge included: a failure leaves nothing behind.
    let whole_run = conn.transactional_ddl();
    if whole_run {
        conn.db.begin()?;
    }
    let result = stamp_in(&mut conn, map, revisions, purge, &catch, whole_run);
    match result {
        Ok(()) if whole_run => conn.db.commit()?,
        Ok(()) => {}
        Err(e) => {
            if conn.db.in_transaction() {
                // The error being reported matters more than a failed rollback.
                let _ = conn.db.rollback();
            }
            return Err(e);
        }
    }
    Ok(())
}

fn stamp_in(
    conn: &mut Connected,
    map: &RevisionMap,
    revisions: &[String],
    purge: bool,
    catch: &Catch,
    whole_run: bool,
) -> Result<(), Failure> {
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
    let steps = stamp_steps(map, &rows, revisions).map_err(|e| catch.failure(e))?;
    let mut heads = Heads::new(&rows);
    for step in &steps {
        if !whole_run {
            conn.db.begin()?;
        }
        conn.log.info(&step.log_line(map, None));
        let ops = heads
            .apply(map, step)
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
    Ok(())
}
