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
use migsupport::{gate, MigProject, Parity};

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

/// `batch_alter_table`: SQLite's move-and-copy rebuild; the same blocks run
/// as ALTERs on PostgreSQL and MariaDB.
#[test]
fn sqlite_batch() {
    fixture(Kind::Sqlite, "sqlite_batch");
}

#[test]
fn postgres_batch() {
    fixture(Kind::Postgres, "sqlite_batch");
}

#[test]
fn mariadb_batch() {
    fixture(Kind::Mariadb, "sqlite_batch");
}
