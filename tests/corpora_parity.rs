//! Parity of `upgrade` / `downgrade` with real Alembic on real-world
//! migrations: the Alembic scripts shipped inside the packages pinned in
//! `tests/corpora/pins` (keystone, ihatemoney, conda-store-server), run
//! unmodified on twin scratch databases exactly as `tests/migrate_parity.rs`
//! runs its fixtures (same harness, `tests/migsupport`): exit codes, stdout,
//! log lines and a snapshot of each database after every step.
//!
//! The packages are downloaded (pinned, hash-checked) and only their
//! migrations unpacked by `scripts/fetch-corpora.sh`, which
//! `scripts/dev-env.sh` runs; a test finding its corpus missing runs it too.
//! Their code is never committed.  Around each we keep a project of our own
//! in `tests/corpora/<name>/`: `alembic.ini` (pointing `version_locations` at
//! the package's directories), the stock `env.py`, and stubs under `pkgs/`
//! of the project modules the scripts import.
//!
//! Without network and without a cache, a test fails on CI (`CI=true`) and
//! prints a SKIPPED banner otherwise.  `RETORT_CORPORA_CACHE` moves the
//! cache; the other variables are those of `tests/migrate_parity.rs`.

mod corpora;
mod dbsupport;
mod migsupport;

use dbsupport::{alembic_bin, Kind, Twins};
use migsupport::{gate, Expect, MigProject, Parity, Step};

fn corpus(kind: Kind, name: &str) {
    let label = format!("corpus {name}");
    if !gate(&label) {
        return;
    }
    let Some(alembic) = alembic_bin() else { return };
    let Some(unpacked) = corpora::unpacked(name, &alembic) else {
        return;
    };
    let Some(twins) = Twins::create(kind, &alembic) else {
        return;
    };
    let mut project = MigProject::assembled(&corpora::trees(name, &unpacked), &twins);
    adapt(name, kind, &mut project);
    Parity::new(label, kind, &twins, project, alembic).run();
}

/// Where a corpus's own scripts do not survive the default walk under real
/// Alembic, the walk is cut to what they do (both tools must still agree on
/// every step, failures included).
fn adapt(name: &str, kind: Kind, project: &mut MigProject) {
    match (name, kind) {
        // keystone's scripts have no downgrade(): its `steps` file walks up
        // and ends on that refusal; `upgrade head` is ambiguous there (two
        // heads, expand and contract) and `downgrade base` impossible.
        ("keystone", _) => project.tail.clear(),
        // ihatemoney's 2dcb0c0048dc downgrade drops the column but not the
        // `loggingmode` enum type its upgrade created on PostgreSQL, so
        // upgrading again from base fails (DuplicateObject) and rolls back.
        ("ihatemoney", Kind::Postgres) => {
            project.tail = vec![Step::new("upgrade head", Expect::Failure)];
        }
        // conda-store's 16f65805dc8f fails on MySQL/MariaDB: it drops the
        // unique constraint `_conda_package_build_uc`, which a foreign key
        // needs (errno 1553).  The walk goes up to it, and the twins must be
        // left in the same half-migrated state (MySQL's DDL is not
        // transactional); nothing past it works on this dialect.
        ("conda_store", Kind::Mariadb) => {
            let up = || Step::new("upgrade +1", Expect::Success);
            project.steps = Some(vec![
                up(),
                up(),
                up(),
                Step::new("upgrade +1", Expect::Failure),
            ]);
            project.tail.clear();
        }
        _ => {}
    }
}

macro_rules! corpus_tests {
    ($($(#[$attr:meta])* $test:ident: $kind:ident $name:literal;)*) => {
        $(
            $(#[$attr])*
            #[test]
            fn $test() {
                corpus(Kind::$kind, $name);
            }
        )*
    };
}

// Every corpus supports the three dialects (keystone: MySQL, PostgreSQL and
// SQLite in its own tests; ihatemoney: any SQLAlchemy database through
// Flask-SQLAlchemy; conda-store: SQLite, PostgreSQL and MySQL).  Where real
// Alembic fails on one, `adapt` says why and the walk stops there.
//
// On SQLite all three use `batch_alter_table` for changes SQLite's ALTER
// cannot make (keystone's initial FK, conda-store's and ihatemoney's column
// type changes): they need the move-and-copy rebuild, not built yet.
corpus_tests! {
    sqlite_keystone: Sqlite "keystone";
    postgres_keystone: Postgres "keystone";
    mariadb_keystone: Mariadb "keystone";
    sqlite_ihatemoney: Sqlite "ihatemoney";
    postgres_ihatemoney: Postgres "ihatemoney";
    mariadb_ihatemoney: Mariadb "ihatemoney";
    sqlite_conda_store: Sqlite "conda_store";
    postgres_conda_store: Postgres "conda_store";
    mariadb_conda_store: Mariadb "conda_store";
}
