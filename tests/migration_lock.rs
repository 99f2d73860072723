//! The migration lock (`src/db/lock.rs`) on SQLite, PostgreSQL and MariaDB.
//!
//! * Eight `retort upgrade head` started at once on one database, with the
//!   fixture `tests/fixtures/migrate/lock_once` whose migrations fail when
//!   run twice (`create_table` without `if_not_exists`, a keyed insert): all
//!   exit 0, each `Running upgrade` is logged by exactly one process, and
//!   the database ends as one run of real Alembic leaves its twin (schema,
//!   rows, `alembic_version`, through `tests/support/snapshot.py`).
//! * The lock held by the test's own connection: `upgrade`, `downgrade` and
//!   `stamp` with `--lock-timeout` give up with a message naming the
//!   database and version table, exit non-zero and change nothing;
//!   `--no-lock` runs anyway.
//!
//! Servers, tools and skipping as in `tests/migrate_parity.rs`.

mod dbsupport;
mod migsupport;

use std::time::Duration;

use dbsupport::{alembic_bin, retort_bin, run_tool_with, Kind, Outcome, Twins};
use migsupport::{first_difference, MigProject, Snapshotter, Tools};
use retort::db::{Db, DbUrl, VersionTable};

const FIXTURE: &str = "lock_once";
const REVISIONS: [&str; 3] = ["1a0c0ffee001", "2b0c0ffee002", "3c0c0ffee003"];
const RUNS: usize = 8;
const TIMEOUT: Duration = Duration::from_secs(180);

fn setup(kind: Kind) -> Option<(Twins, MigProject, Tools)> {
    let alembic = alembic_bin()?;
    let twins = Twins::create(kind, &alembic)?;
    let project = MigProject::fixture(FIXTURE, &twins);
    Some((twins, project, Tools::new(alembic)))
}

fn retort(project: &MigProject, args: &[&str], env: &[(String, String)]) -> Outcome {
    run_tool_with(
        &retort_bin(),
        &project.dir,
        &project.retort_ini,
        args,
        env,
        TIMEOUT,
    )
}

/// Our own connection to `url` (the URL names a Python driver).
fn connect(url: &str) -> Db {
    let mut u = DbUrl::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
    u.drivername = u.dialect.name().to_string();
    Db::connect(&u).unwrap_or_else(|e| panic!("{e}"))
}

fn concurrent_upgrades(kind: Kind) {
    let Some((twins, project, mut tools)) = setup(kind) else {
        return;
    };
    let one = tools.run_alembic(&project, &["upgrade".into(), "head".into()]);
    assert_eq!(one.code, Some(0), "Alembic: {}", Outcome::describe(&one));

    // The first migration sleeps a little, so the others surely queue up.
    let env = vec![("RETORT_TEST_MIGRATION_SLEEP".to_string(), "0.5".to_string())];
    let outcomes: Vec<Outcome> = std::thread::scope(|s| {
        let runs: Vec<_> = (0..RUNS)
            .map(|_| s.spawn(|| retort(&project, &["upgrade", "head"], &env)))
            .collect();
        runs.into_iter()
            .map(|r| r.join().expect("runner thread"))
            .collect()
    });
    let all = outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| format!("=== run {i}: {}", o.describe()))
        .collect::<Vec<_>>()
        .join("\n");
    for o in &outcomes {
        assert_eq!(o.code, Some(0), "{all}");
    }
    for rev in REVISIONS {
        let runs = outcomes
            .iter()
            .filter(|o| {
                o.stderr.lines().any(|l| {
                    l.starts_with("INFO  [alembic.runtime.migration] Running upgrade ")
                        && l.contains(&format!("-> {rev},"))
                })
            })
            .count();
        assert_eq!(runs, 1, "{rev} was run by {runs} processes:\n{all}");
    }
    assert!(
        outcomes.iter().any(|o| o
            .stderr
            .contains("retort: waiting for the migration lock of ")),
        "no run ever waited for another: the test did not exercise the lock\n{all}"
    );
    let mut snap = Snapshotter::spawn(&alembic_bin().expect("checked in setup"));
    let alembic_state = snap.take(&twins.alembic_url);
    let retort_state = snap.take(&twins.retort_url);
    if let Some(diff) = first_difference(&alembic_state, &retort_state) {
        panic!("after {RUNS} concurrent upgrades the database differs from one Alembic run: {diff}\n{all}");
    }
}

/// Holds the lock on the test's own connection, as a running retort would.
fn timeouts_and_no_lock(kind: Kind) {
    let Some((twins, project, _tools)) = setup(kind) else {
        return;
    };
    let mut holder = connect(&twins.retort_url);
    let lock = holder
        .lock_migrations(&VersionTable::default(), Some(Duration::ZERO), &mut |_| {})
        .expect("the test takes the lock of a fresh database");
    let version_table = || {
        VersionTable::default()
            .exists(&mut connect(&twins.retort_url))
            .expect("ask for the version table")
    };

    let cases: [&[&str]; 3] = [
        &["upgrade", "head", "--lock-timeout", "0.5"],
        &["downgrade", "base", "--lock-timeout", "0"],
        &["stamp", "head", "--lock-timeout", "0.3"],
    ];
    for args in cases {
        let o = retort(&project, args, &[]);
        assert_eq!(
            o.code,
            Some(255),
            "{args:?} while locked: {}",
            Outcome::describe(&o)
        );
        let failed = o
            .stdout
            .lines()
            .find(|l| l.starts_with("FAILED: "))
            .unwrap_or_else(|| panic!("{args:?}: no FAILED line: {}", Outcome::describe(&o)));
        assert!(
            failed.contains("timed out after ")
                && failed.contains("waiting for the migration lock of ")
                && failed.contains(&twins.retort_db)
                && failed.contains("alembic_version")
                && failed.contains("nothing was changed"),
            "{args:?}: {failed}"
        );
        assert!(
            !version_table(),
            "{args:?} touched the database while locked"
        );
    }

    // --no-lock: runs while another holds the lock.
    let o = retort(&project, &["upgrade", "head", "--no-lock"], &[]);
    assert_eq!(
        o.code,
        Some(0),
        "upgrade --no-lock: {}",
        Outcome::describe(&o)
    );
    let rows = VersionTable::default()
        .rows(&mut connect(&twins.retort_url))
        .expect("rows");
    assert_eq!(rows, vec![REVISIONS[2].to_string()]);

    // Released, the lock is free for the next run.
    holder.unlock_migrations(lock).expect("unlock");
    let o = retort(&project, &["downgrade", "base", "--lock-timeout", "5"], &[]);
    assert_eq!(
        o.code,
        Some(0),
        "downgrade after release: {}",
        Outcome::describe(&o)
    );
    // A limit too large for any clock is no limit (it panicked once).
    for limit in ["1e300", "1e20"] {
        for args in [["upgrade", "head"], ["downgrade", "base"]] {
            let o = retort(&project, &[args[0], args[1], "--lock-timeout", limit], &[]);
            assert_eq!(
                o.code,
                Some(0),
                "{args:?} --lock-timeout {limit}: {}",
                Outcome::describe(&o)
            );
        }
    }
}

#[test]
fn sqlite_concurrent_upgrades_run_each_migration_once() {
    concurrent_upgrades(Kind::Sqlite);
}

#[test]
fn postgresql_concurrent_upgrades_run_each_migration_once() {
    concurrent_upgrades(Kind::Postgres);
}

#[test]
fn mariadb_concurrent_upgrades_run_each_migration_once() {
    concurrent_upgrades(Kind::Mariadb);
}

#[test]
fn sqlite_lock_timeout_and_no_lock() {
    timeouts_and_no_lock(Kind::Sqlite);
}

#[test]
fn postgresql_lock_timeout_and_no_lock() {
    timeouts_and_no_lock(Kind::Postgres);
}

#[test]
fn mariadb_lock_timeout_and_no_lock() {
    timeouts_and_no_lock(Kind::Mariadb);
}
