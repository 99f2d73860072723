//! Parity of the database commands `current [-v] [--check-heads]`,
//! `stamp REV... [--purge]` and `ensure_version` with real Alembic, on
//! SQLite, PostgreSQL and MariaDB.
//!
//! Every project is made by real `alembic init` (so env.py is Alembic's own
//! stock template, which retort runs without Python), with the `versions/`
//! scripts of one of the fixtures in `tests/fixtures/projects/`.  Alembic and
//! retort each get a database of their own ("twins") and two ini files that
//! differ only in `sqlalchemy.url`.  Each scenario runs the same commands
//! with both tools and compares, after every command: the exit code, stdout
//! (see [`canonical`] for the parts whose order Alembic takes from a set),
//! whether the version table exists, and its rows as a set.  Nothing expected
//! is written down here: it is whatever Alembic does at test time.
//!
//! Stderr is not compared (both tools log INFO lines there), but retort must
//! not panic and must never print the password of the URL.
//!
//! Environment (as in `tests/db_version_table.rs`):
//! * `RETORT_ALEMBIC` — Alembic's console script (default
//!   `<crate>/.venv/bin/alembic`); its interpreter needs `psycopg2` and
//!   `pymysql` for the server dialects.
//! * `RETORT_TEST_PG_URL`, `RETORT_TEST_MYSQL_URL` — admin URLs (defaults
//!   `postgresql://postgres@127.0.0.1:5432/postgres`, `mysql://root@127.0.0.1:3306/`).
//! * `RETORT_BIN` — the binary under test (default: the crate's `retort`);
//!   pointing it at `alembic` validates the harness.
//! * `RETORT_ALEMBIC_MODE=process` — start `alembic` afresh for every run
//!   instead of forking it from a server that has imported it once.
//! * `RETORT_DB_SHOW=1` — print every Alembic outcome and table state.
//! * A missing server or tool fails the test when `CI=true`; otherwise the
//!   test prints a loud SKIPPED banner and passes without checking.

mod dbsupport;

use std::fmt::Write as _;
use std::time::Instant;

use dbsupport::{alembic_bin, canonical, indent, run_tool, Alembic, Kind, Project, Twins};

/// One step of a scenario.
enum Step {
    /// A command line (split on whitespace), run by both tools.
    Cmd(&'static str),
    /// A statement executed on both twins (to set up a state).
    Sql(&'static str),
}

use Step::{Cmd, Sql};

struct Scenario {
    fixture: &'static str,
    steps: &'static [Step],
}

/// The scenarios, each starting without a version table.  Revision ids are
/// those of the fixtures (see `tests/fixtures/projects/README.md`).
const SCENARIOS: &[Scenario] = &[
    // E2: 3a7c1e9b2d4f -> 58e2d4f6a8c0 (branch point) -> c2e4a6c8e0b2
    // (c2branch, reporting) -> d2a4b6c8d0e2; 58e2d4f6a8c0 -> c1f0a8b6d4e2
    // (c1branch) -> d1b3c5e7f9a1.
    Scenario {
        fixture: "branches",
        steps: &[
            // No table: nothing shown, and `current` does not create it.
            Cmd("current"),
            Cmd("history -i"),
            Cmd("history -r current:"),
            // An unknown revision, with no table yet: is one left behind?
            Cmd("stamp nosuchrev"),
            Cmd("ensure_version"),
            Cmd("current -v"),
            Cmd("stamp heads"),
            Cmd("current"),
            Cmd("current -v"),
            Cmd("current --check-heads"),
            Cmd("history -i"),
            Cmd("show current"),
            Cmd("stamp head"),
            // Down from two heads to the branch point.
            Cmd("stamp 58e2d4f6a8c0"),
            Cmd("current -v --check-heads"),
            Cmd("history -v -i"),
            Cmd("history -r current:heads"),
            Cmd("history -r base:current"),
            Cmd("show current"),
            Cmd("stamp c2branch@head"),
            Cmd("stamp c1branch@head"),
            Cmd("stamp c1branch@base"),
            // Already present (and a partial id).
            Cmd("stamp d2a4"),
            // A failing --purge: are the rows kept?
            Cmd("stamp --purge nosuchrev"),
            Cmd("stamp base"),
            Sql("INSERT INTO alembic_version (version_num) VALUES ('deadbeef0000')"),
            Cmd("current"),
            Cmd("current -v"),
            // Without --purge the unknown row stops the stamp.
            Cmd("stamp heads"),
            Cmd("stamp --purge 58e2d4f6a8c0"),
            Cmd("current -v"),
        ],
    },
    // E5: users a1e5f0c3b2d1 -> b1d2c3a4e5f6; billing a2c4e6a8c0e2 -> b2e4c6a8e0c2.
    Scenario {
        fixture: "forest",
        steps: &[
            Cmd("stamp a1e5f0c3b2d1 a2c4e6a8c0e2"),
            Cmd("current"),
            Cmd("stamp users@head"),
            Cmd("stamp billing@base"),
            Cmd("current -v"),
        ],
    },
    // E3: 5c2f3d4e6071 branches into 6d304e5f7182 -> 7e415f608293 and
    // 8f5260718394 (payments) -> 9063718294a5; merged by a1748293a5b6.
    Scenario {
        fixture: "merge",
        steps: &[
            Cmd("stamp 7e415f608293 9063718294a5"),
            Cmd("current"),
            Cmd("stamp a1748293a5b6"),
            Cmd("current -v"),
            Cmd("stamp 5c2f3d4e6071"),
        ],
    },
    // Effective heads: aa0200000002 and bb0200000002 are depended on by
    // cc0200000002 but have no child.
    Scenario {
        fixture: "depends_multi",
        steps: &[
            Cmd("stamp heads"),
            Cmd("current -v"),
            Cmd("stamp cc0200000002"),
            Cmd("current"),
            Cmd("current --check-heads"),
        ],
    },
    // E4: 1f2e3d4c5b6a branches into 2a3b4c5d6e7f and 2a3b9c8d7e6f, merged by
    // 3c4d5e6f7a8b -> 4d5e6f7a8b9c.
    Scenario {
        fixture: "diamond",
        steps: &[
            Cmd("stamp 2a3b4c5d6e7f 2a3b9c8d7e6f"),
            Cmd("current -v"),
            Cmd("stamp 4d5e6f7a8b9c"),
        ],
    },
    // E7: e7b1c2d3e4f5 is a root that depends on the root e7a1b2c3d4e5.
    Scenario {
        fixture: "depends_root",
        steps: &[
            // Creates the table even though it inserts nothing.
            Cmd("stamp base"),
            Cmd("stamp e7b1c2d3e4f5"),
            Cmd("current"),
        ],
    },
    Scenario {
        fixture: "linear",
        steps: &[
            // --purge on a database without the table.
            Cmd("stamp --purge 4f2e"),
            // Relative to the current revision.
            Cmd("stamp -1"),
            Cmd("current"),
        ],
    },
];

/// Runs every scenario on one dialect; panics once with every mismatch.
fn suite(kind: Kind) {
    let started = Instant::now();
    let Some(alembic) = alembic_bin() else {
        return;
    };
    let Some(twins) = Twins::create(kind, &alembic) else {
        return;
    };
    let template = dbsupport::init_template(&alembic);
    let mut alembic = Alembic::new(alembic);
    let retort = dbsupport::retort_bin();
    let show = std::env::var_os("RETORT_DB_SHOW").is_some_and(|v| !v.is_empty() && v != "0");

    let mut report = String::new();
    let mut compared = 0;
    let mut alembic_ok = 0;
    for scenario in SCENARIOS {
        let project = Project::new(&template, scenario.fixture, &twins);
        twins.reset();
        for (n, step) in scenario.steps.iter().enumerate() {
            let line = match step {
                Sql(sql) => {
                    let errors = twins.execute_both(sql);
                    if errors.is_empty() {
                        continue;
                    }
                    // Only after an earlier divergence; the rest of the
                    // scenario would compare nothing useful.
                    let _ = writeln!(
                        report,
                        "\n──── {kind:?} / {} / step {n}: setup failed, scenario abandoned:\n{}",
                        scenario.fixture,
                        indent(&errors.join("\n"))
                    );
                    break;
                }
                Cmd(line) => *line,
            };
            let args: Vec<&str> = line.split_whitespace().collect();
            let a = alembic.run(&project.dir, &project.alembic_ini, &args);
            let a_state = twins.alembic_state();
            let r = run_tool(&retort, &project.dir, &project.retort_ini, &args);
            let r_state = twins.retort_state();
            // `current -v` names the database, which is the twins' one difference.
            let r_stdout = r.stdout.replace(&twins.retort_db, &twins.alembic_db);
            compared += 1;
            if a.code == Some(0) {
                alembic_ok += 1;
            }
            if show {
                eprintln!(
                    "==== {kind:?} {} #{n}: {line}\n[alembic exit {:?}, table {a_state:?}]\n{}",
                    scenario.fixture, a.code, a.stdout
                );
            }

            let mut problems = String::new();
            if let Some(e) = a.harness_error.as_ref().or(r.harness_error.as_ref()) {
                let _ = writeln!(problems, "harness: {e}");
            }
            if a.code != r.code {
                let _ = writeln!(
                    problems,
                    "exit code: alembic {:?}, retort {:?}",
                    a.code, r.code
                );
            }
            let (ca, cr) = (canonical(&a.stdout), canonical(&r_stdout));
            if ca != cr {
                let _ = writeln!(
                    problems,
                    "stdout differs (canonical form):\n  alembic:\n{}  retort:\n{}",
                    indent(&ca),
                    indent(&cr)
                );
            }
            if a_state != r_state {
                let _ = writeln!(
                    problems,
                    "version table: alembic {a_state:?}, retort {r_state:?}"
                );
            }
            if r.stderr.contains("panicked") {
                let _ = writeln!(problems, "retort panicked");
            }
            for secret in &twins.secrets {
                if r.stdout.contains(secret.as_str()) || r.stderr.contains(secret.as_str()) {
                    let _ = writeln!(problems, "retort printed the password ({secret:?})");
                }
            }
            if !problems.is_empty() {
                let _ = writeln!(
                    report,
                    "\n──── {kind:?} / {} / step {n}: {line}\n{problems}  alembic stderr:\n{}  retort stderr:\n{}",
                    scenario.fixture,
                    indent(a.stderr.trim_end()),
                    indent(r.stderr.trim_end()),
                );
            }
        }
    }
    eprintln!(
        "{kind:?}: {compared} invocations compared ({alembic_ok} succeeded under Alembic) in {:.1?}",
        started.elapsed()
    );
    assert!(
        report.is_empty(),
        "{kind:?}: retort differs from Alembic:{report}"
    );
    // Guard against a vacuous pass (e.g. Alembic failing for a setup reason
    // retort happens to share).
    assert!(
        alembic_ok * 3 >= compared * 2,
        "{kind:?}: only {alembic_ok} of {compared} Alembic invocations succeeded"
    );
}

#[test]
fn sqlite_current_stamp_ensure_version() {
    suite(Kind::Sqlite);
}

#[test]
fn postgresql_current_stamp_ensure_version() {
    suite(Kind::Postgres);
}

#[test]
fn mariadb_current_stamp_ensure_version() {
    suite(Kind::Mariadb);
}
