//! `stamp REV... [--purge]`: move the version table without running migrations.

use super::database::Connected;
use super::database::Offline;
use super::hosted::{self, Plan};
use super::{Catch, Failure, Global, Locking, Output, Project};
use crate::db::HistoryTable;
use crate::revision::RevisionMap;
use crate::runtime::{stamp_steps, Heads, VersionOp};

pub fn run(
    global: &Global,
    out: &mut Output,
    revisions: &[String],
    sql: bool,
    purge: bool,
    locking: Locking,
) -> Result<(), Failure> {
    let project = Project::load(global)?;
    let catch = Catch {
        multiple_heads: Some(
            "Multiple heads are present; please specify a single target revision".into(),
        ),
        ..Catch::default()
    };
    if sql {
        let (start, dests) = split_offline_revisions(revisions)?;
        if !project.uses_stock_env() {
            let plan = Plan::Stamp {
                revisions: dests,
                purge,
                locking: Locking::Off,
            };
            return hosted::run_plan_offline(project, global, out, plan, catch, start);
        }
        let map = project.map(&catch)?;
        return offline(project, map, start.as_deref(), &dests, purge, &catch, out);
    }
    if !project.uses_stock_env() {
        let plan = Plan::Stamp {
            revisions: revisions.to_vec(),
            purge,
            locking,
        };
        return hosted::run_plan(project, global, out, plan, catch);
    }
    let map = project.map(&catch)?;
    let mut conn = project.connect()?;
    // Before the rows are read: a stamp that waited sees the run before it.
    let lock = conn.lock(locking)?;
    // Where DDL is transactional, env.py's begin_transaction() wraps the whole
    // run, table creation and purge included: a failure leaves nothing behind.
    let whole_run = conn.transactional_ddl();
    if whole_run {
        conn.db.begin()?;
    }
    let result = stamp_in(&mut conn, map, revisions, purge, &catch, whole_run, project);
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
    conn.unlock(lock)
}

/// The Rust stand-in for a stock env.py's stamp; with checksums on,
/// `retort_history` follows it (the project's scripts give the checksums).
fn stamp_in(
    conn: &mut Connected,
    map: &RevisionMap,
    revisions: &[String],
    purge: bool,
    catch: &Catch,
    whole_run: bool,
    project: &Project,
) -> Result<(), Failure> {
    let history = project
        .config
        .checksums()?
        .then(|| HistoryTable::new(conn.table.schema.clone()));
    let rows = if purge {
        conn.table.ensure(&mut conn.db)?;
        conn.table.delete_all(&mut conn.db)?;
        Vec::new()
    } else {
        conn.rows_creating_table()?
    };
    if let Some(h) = &history {
        let sql = h.create_sql(conn.db.backend());
        in_own_transaction(conn, whole_run, |db| db.execute(&sql).map(|_| ()))?;
    }
    let steps = stamp_steps(map, &rows, revisions).map_err(|e| catch.failure(e))?;
    let mut heads = Heads::new(&rows);
    for step in &steps {
        if !whole_run {
            conn.db.begin()?;
        }
        let before = history
            .is_some()
            .then(|| super::status::applied_set(map, heads.rows()));
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
        if let (Some(h), Some(before)) = (&history, before) {
            let backend = conn.db.backend();
            for (revision, checksum) in
                super::status::history_changes(project, map, &before, heads.rows(), step)
            {
                let sql = match checksum {
                    Some(c) => h.insert_sql(backend, &revision, &c, None),
                    None => h.delete_sql(backend, &revision),
                };
                conn.db.execute(&sql)?;
            }
        }
        if !whole_run {
            conn.db.commit()?;
        }
    }
    Ok(())
}

/// `f` inside the run's transaction, or a committed one of its own.
fn in_own_transaction(
    conn: &mut Connected,
    whole_run: bool,
    f: impl FnOnce(&mut crate::db::Db) -> Result<(), crate::db::DbError>,
) -> Result<(), Failure> {
    if whole_run {
        return Ok(f(&mut conn.db)?);
    }
    conn.db.begin()?;
    f(&mut conn.db)?;
    Ok(conn.db.commit()?)
}

/// `[start:]rev...` of `stamp --sql`: the one starting revision (if any)
/// and the destinations.
fn split_offline_revisions(revisions: &[String]) -> Result<(Option<String>, Vec<String>), Failure> {
    let mut start: Option<&str> = None;
    let mut dests = Vec::with_capacity(revisions.len());
    for r in revisions {
        let Some((s, d)) = super::split_range(r)? else {
            dests.push(r.clone());
            continue;
        };
        match start {
            None => start = Some(s),
            Some(earlier) if earlier != s => {
                return Err(Failure::Command(
                    "Stamp operation with --sql only supports a single starting revision at a time"
                        .to_string(),
                ))
            }
            Some(_) => {}
        }
        dests.push(d.to_string());
    }
    Ok((start.map(str::to_string), dests))
}

/// `stamp [start:]rev... --sql`: the version-table statements Alembic prints, from
/// the given starting revision (else from empty), with no connection.
fn offline(
    project: &Project,
    map: &RevisionMap,
    start: Option<&str>,
    dests: &[String],
    purge: bool,
    catch: &Catch,
    out: &mut Output,
) -> Result<(), Failure> {
    let ctx = project.offline()?;
    // env.py's begin_transaction() has written BEGIN before anything can fail.
    if ctx.transactional_ddl() {
        out.raw("BEGIN;\n\n");
    }
    if purge {
        return Err(Failure::Command(
            "Can't use --purge with --sql mode".to_string(),
        ));
    }
    let rows: Vec<String> = match start {
        None | Some("base") => Vec::new(),
        Some(s) => {
            let rev = map
                .get_revision(Some(s))
                .map_err(|e| Catch::default().failure(e))?;
            rev.map(|r| vec![map.id(r).to_string()]).unwrap_or_default()
        }
    };
    let steps = stamp_steps(map, &rows, dests).map_err(|e| catch.failure(e))?;
    let mut text = String::new();
    let mut heads = Heads::new(&rows);
    let log = project.log();
    for step in &steps {
        if heads.rows().is_empty() {
            text.push_str(&ctx.create_table()?);
        }
        let line = step.log_line(map, None);
        log.info(&line);
        text.push_str(&format!("-- {line}\n\n"));
        let ops = heads
            .apply(map, step)
            .map_err(|e| Failure::Crash(e.to_string()))?;
        for op in ops {
            let sql = match op {
                VersionOp::Insert(v) => {
                    ctx.table
                        .offline_insert_sql(ctx.backend, &v, crate::host::sqlalchemy_line())
                }
                VersionOp::Update { from, to } => ctx.table.update_sql(ctx.backend, &from, &to),
                VersionOp::Delete(v) => ctx.table.delete_sql(ctx.backend, &v),
            };
            text.push_str(&Offline::statement(&sql));
        }
    }
    if ctx.transactional_ddl() {
        text.push_str("COMMIT;\n\n");
    }
    out.raw(&text);
    Ok(())
}
