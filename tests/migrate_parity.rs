//! Parity of `upgrade` / `downgrade` with real Alembic: twin scratch
//! databases, real Alembic on one, retort on the other, the same command on
//! both, and after EVERY step a comparison of exit codes, stdout, the log
//! lines on stderr (`INFO  [alembic.runtime.migration] Running upgrade …`)
//! and a snapshot of each database: schema, every row and `alembic_version`
//! (see `tests/support/snapshot.py`).  Nothing expected is written down:
//! it is whatever Alembic does at test time.
//!
//! Projects are the fixtures of `tests/fixtures/migrate/` (stock generic
//! env.py; the harness writes an ini per twin) and the bundled example
//! `examples/homegpu/backend` (its env.py takes `DATABASE_URL`).  The walk
//! is `upgrade +1` to the heads and `downgrade -1` to base (one step past
//! each end too), or the fixture's `steps` file; then `upgrade head` and
//! `downgrade base` in one go each.
//!
//! Environment:
//! * `RETORT_MIGRATE_PARITY=1` — run at all.  Until retort's runner lands,
//!   every test prints a SKIPPED banner and passes without it (on CI too).
//! * `RETORT_BIN` — the binary under test (default: the crate's `retort`);
//!   pointing it at `.venv/bin/alembic` validates the harness.  retort runs
//!   with `VIRTUAL_ENV` set to the virtualenv Alembic is installed in, as
//!   under an activated virtualenv, so both import the same packages.
//! * `RETORT_ALEMBIC`, `RETORT_TEST_PG_URL`, `RETORT_TEST_MYSQL_URL`,
//!   `RETORT_ALEMBIC_MODE` — as in `tests/db_commands.rs`.
//! * `RETORT_MIGRATE_SHOW=1` — print each step as it agrees.
//! * A missing server or driver fails the test when `CI=true`; otherwise it
//!   prints a loud SKIPPED banner and passes without checking.

mod dbsupport;
mod migsupport;

use dbsupport::{alembic_bin, Kind, Twins};
use migsupport::{gate, Expect, MigProject, Parity, Step};
use retort::db::{canonical_sqlite_ddl, Db, DbUrl};

fn fixture(kind: Kind, name: &str) {
    walk_fixture(format!("fixture {name}"), kind, name, alembic_bin, None);
}

/// The fixture with real Alembic on SQLAlchemy 1.4 (`.venv-sa14`, made by
/// `scripts/dev-env.sh`), and retort running the scripts on that same
/// SQLAlchemy: projects written before 2.0 pin it.
fn legacy_fixture(kind: Kind, name: &str) {
    let venv = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-sa14");
    let alembic = venv.join("bin/alembic");
    let found = || {
        if alembic.is_file() {
            return Some(alembic.clone());
        }
        dbsupport::skip(&format!(
            "SQLAlchemy 1.4 parity: {} not found (run scripts/dev-env.sh)",
            alembic.display()
        ));
        None
    };
    let label = format!("fixture {name} on SQLAlchemy 1.4");
    walk_fixture(label, kind, name, found, Some(venv));
}

/// `name` walked by both tools on twin databases: Alembic as `alembic`
/// finds it, retort's scripts in `host_venv` when given.
fn walk_fixture(
    label: String,
    kind: Kind,
    name: &str,
    alembic: impl FnOnce() -> Option<std::path::PathBuf>,
    host_venv: Option<std::path::PathBuf>,
) {
    if !gate(&label) {
        return;
    }
    let Some(alembic) = alembic() else { return };
    let Some(twins) = Twins::create(kind, &alembic) else {
        return;
    };
    let project = MigProject::fixture(name, &twins);
    let mut parity = Parity::new(label, kind, &twins, project, alembic);
    if let Some(venv) = host_venv {
        parity.tools.set_host_venv(venv);
    }
    parity.run();
}

macro_rules! legacy_parity_tests {
    ($($test:ident: $kind:ident $name:literal;)*) => {
        $(
            #[test]
            fn $test() {
                legacy_fixture(Kind::$kind, $name);
            }
        )*
    };
}

// The fixtures that use nothing SQLAlchemy 2.0 added (conn_shim's Double,
// pg_only's Uuid, homegpu's DeclarativeBase, more_ops' if_exists, which
// Alembic refuses below 2.0).
legacy_parity_tests! {
    sqlite_core_ops_sqlalchemy14: Sqlite "core_ops";
    sqlite_data_ops_sqlalchemy14: Sqlite "data_ops";
    sqlite_batch_sqlalchemy14: Sqlite "sqlite_batch";
    sqlite_per_migration_tx_sqlalchemy14: Sqlite "per_migration_tx";
    postgres_core_ops_sqlalchemy14: Postgres "core_ops";
    postgres_data_ops_sqlalchemy14: Postgres "data_ops";
    postgres_branches_sqlalchemy14: Postgres "branches";
    mariadb_core_ops_sqlalchemy14: Mariadb "core_ops";
    mariadb_mysql_only_sqlalchemy14: Mariadb "mysql_only";
    mariadb_data_ops_sqlalchemy14: Mariadb "data_ops";
}

fn homegpu(kind: Kind) {
    let label = "examples/homegpu/backend".to_string();
    if !gate(&label) {
        return;
    }
    let Some(alembic) = alembic_bin() else { return };
    let Some(twins) = Twins::create(kind, &alembic) else {
        return;
    };
    let project = MigProject::homegpu(&twins);
    Parity::new(label, kind, &twins, project, alembic).run();
}

macro_rules! parity_tests {
    ($($test:ident: $kind:ident $name:literal;)*) => {
        $(
            #[test]
            fn $test() {
                fixture(Kind::$kind, $name);
            }
        )*
    };
}

parity_tests! {
    sqlite_core_ops: Sqlite "core_ops";
    sqlite_data_ops: Sqlite "data_ops";
    sqlite_branches: Sqlite "branches";
    sqlite_conn_shim: Sqlite "conn_shim";
    sqlite_run_async_sync_env: Sqlite "run_async";
    sqlite_more_ops: Sqlite "more_ops";
    sqlite_per_migration_tx: Sqlite "per_migration_tx";
    postgres_core_ops: Postgres "core_ops";
    postgres_data_ops: Postgres "data_ops";
    postgres_branches: Postgres "branches";
    postgres_conn_shim: Postgres "conn_shim";
    postgres_run_async_sync_env: Postgres "run_async";
    postgres_more_ops: Postgres "more_ops";
    postgres_per_migration_tx: Postgres "per_migration_tx";
    postgres_pg_only: Postgres "pg_only";
    sqlite_threads: Sqlite "threads";
    postgres_threads: Postgres "threads";
    mariadb_threads: Mariadb "threads";
    mariadb_core_ops: Mariadb "core_ops";
    mariadb_data_ops: Mariadb "data_ops";
    mariadb_branches: Mariadb "branches";
    mariadb_conn_shim: Mariadb "conn_shim";
    mariadb_run_async_sync_env: Mariadb "run_async";
    mariadb_more_ops: Mariadb "more_ops";
    mariadb_per_migration_tx: Mariadb "per_migration_tx";
    mariadb_mysql_only: Mariadb "mysql_only";
    mariadb_mysql_failure: Mariadb "mysql_failure";
}

#[test]
fn sqlite_homegpu() {
    homegpu(Kind::Sqlite);
}

#[test]
fn postgres_homegpu() {
    homegpu(Kind::Postgres);
}

#[test]
fn mariadb_homegpu() {
    homegpu(Kind::Mariadb);
}

/// `batch_alter_table`: SQLite's move-and-copy rebuild (the fixture's steps,
/// refusals included), compared as every fixture is and, after every step,
/// by the text SQLite keeps of each table and index: the rebuilt tables must
/// be created with the statements Alembic uses, not just reflect alike.
/// The same blocks run as ALTERs on PostgreSQL and MariaDB.
#[test]
fn sqlite_batch() {
    let label = "fixture sqlite_batch".to_string();
    if !gate(&label) {
        return;
    }
    let Some(alembic) = alembic_bin() else { return };
    let Some(twins) = Twins::create(Kind::Sqlite, &alembic) else {
        return;
    };
    let project = MigProject::fixture("sqlite_batch", &twins);
    let mut steps = project
        .steps
        .clone()
        .expect("sqlite_batch has a steps file");
    steps.push(Step::new("upgrade head", Expect::Success));
    steps.push(Step::new("downgrade base", Expect::Success));
    let mut parity = Parity::new(label, Kind::Sqlite, &twins, project, alembic);
    for (n, step) in steps.iter().enumerate() {
        parity.step(step);
        let (a, r) = (
            schema_text(&twins.alembic_url),
            schema_text(&twins.retort_url),
        );
        if let Some(pos) = (0..a.len().max(r.len())).find(|&i| a.get(i) != r.get(i)) {
            panic!(
                "sqlite_batch: after step {} `{}` the schema text differs:\n  alembic: {:?}\n  \
                 retort:  {:?}",
                n + 1,
                step.command(),
                a.get(pos),
                r.get(pos)
            );
        }
    }
}

/// `sqlite_master` of a twin: each object's type, name and SQL, with what
/// Alembic leaves to chance put in order ([`canonical_sqlite_ddl`]).
fn schema_text(url: &str) -> Vec<String> {
    let parsed = DbUrl::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
    let mut db = Db::connect(&parsed).unwrap_or_else(|e| panic!("{url}: {e}"));
    let rows = db
        .query_strings("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    rows.into_iter()
        .map(|row| {
            let cell = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
            format!(
                "{} {}: {}",
                cell(0),
                cell(1),
                canonical_sqlite_ddl(&cell(2))
            )
        })
        .collect()
}

#[test]
fn postgres_batch() {
    fixture(Kind::Postgres, "sqlite_batch");
}

#[test]
fn mariadb_batch() {
    fixture(Kind::Mariadb, "sqlite_batch");
}

/// A step that fails on MariaDB after some of its statements committed
/// (DDL commits, and commits the DML before it): both tools leave the same
/// partial state (checked by `Parity::step`), and retort's error says which
/// statements stayed — exactly those, not the DML rolled back after the
/// last DDL statement nor the one that failed.
#[test]
fn mariadb_failing_step_reports_what_stayed() {
    let label = "fixture mysql_failure (report)".to_string();
    if !gate(&label) {
        return;
    }
    let Some(alembic) = alembic_bin() else { return };
    let Some(twins) = Twins::create(Kind::Mariadb, &alembic) else {
        return;
    };
    let project = MigProject::fixture("mysql_failure", &twins);
    let mut parity = Parity::new(label, Kind::Mariadb, &twins, project, alembic);
    parity.step(&Step::new("upgrade +1", Expect::Success));
    parity.step(&Step::new("-x fail=1 upgrade +1", Expect::Failure));
    let stderr = &parity.last_retort_stderr;
    let (_, report) = stderr
        .split_once("MySQL commits DDL as it runs")
        .unwrap_or_else(|| panic!("no report of the applied statements in:\n{stderr}"));
    for stayed in [
        "DELETE FROM ledger WHERE id IN (1, 2);",
        "INSERT INTO ledger (id, note) VALUES (1, 'before the DDL');",
        "CREATE TABLE IF NOT EXISTS audit",
        "6e1f2a3b4c02_half_applied.py",
        "still shows 6e1f2a3b4c01",
    ] {
        assert!(
            report.contains(stayed),
            "{stayed:?} missing from:\n{report}"
        );
    }
    for gone in ["after the DDL", "no_such_function"] {
        assert!(
            !report.contains(gone),
            "{gone:?} reported as applied:\n{report}"
        );
    }
}
