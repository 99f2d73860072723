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

fn fixture(kind: Kind, name: &str) {
    let label = format!("fixture {name}");
    if !gate(&label) {
        return;
    }
    let Some(alembic) = alembic_bin() else { return };
    let Some(twins) = Twins::create(kind, &alembic) else {
        return;
    };
    let project = MigProject::fixture(name, &twins);
    Parity::new(label, kind, &twins, project, alembic).run();
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
    postgres_core_ops: Postgres "core_ops";
    postgres_data_ops: Postgres "data_ops";
    postgres_branches: Postgres "branches";
    postgres_pg_only: Postgres "pg_only";
    mariadb_core_ops: Mariadb "core_ops";
    mariadb_data_ops: Mariadb "data_ops";
    mariadb_branches: Mariadb "branches";
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

/// SQLite's move-and-copy batch rebuild is not built yet (retort runs batch
/// operations as plain ALTERs, which SQLite refuses for constraint changes).
#[test]
#[ignore = "SQLite move-and-copy batch is not built yet"]
fn sqlite_batch() {
    fixture(Kind::Sqlite, "sqlite_batch");
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
