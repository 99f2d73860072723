//! `checksums = true` (`retort_history`), `retort status` and `upgrade
//! [--strict]`'s audit, on SQLite, PostgreSQL and MariaDB, with the fixture
//! `tests/fixtures/migrate/lock_once`:
//!
//! * upgraded with checksums on, every applied revision is `applied` with
//!   its file's SHA-256 recorded; an edited script shows `edited`, a deleted
//!   one `missing` (`status --format json`, parsed);
//! * `upgrade` warns about them on stderr, `upgrade --strict` refuses
//!   before anything runs;
//! * the database is still what Alembic leaves apart from the side table:
//!   its snapshot (schema, rows, `alembic_version`) equals the twin's that
//!   real Alembic migrated, and real Alembic `current`, `downgrade` and
//!   `upgrade` run on it;
//! * without checksums `status` reads `alembic_version` alone and creates
//!   nothing;
//! * the side table never reaches autogenerate: with a model equal to the
//!   migrated schema, retort's `check` is clean and `revision
//!   --autogenerate` writes Alembic's empty migration, while real Alembic's
//!   own `check` on the audited database does see the table (documented).

mod dbsupport;
mod migsupport;

use std::path::{Path, PathBuf};
use std::time::Duration;

use dbsupport::{alembic_bin, retort_bin, run_tool_with, Kind, Outcome, Twins};
use migsupport::{first_difference, MigProject, Snapshotter, Tools};
use serde_json::Value;

const REVS: [&str; 3] = ["1a0c0ffee001", "2b0c0ffee002", "3c0c0ffee003"];
const TIMEOUT: Duration = Duration::from_secs(120);

fn run(program: &Path, project: &MigProject, ini: &Path, args: &[&str]) -> Outcome {
    run_tool_with(program, &project.dir, ini, args, &[], TIMEOUT)
}

fn ok(o: Outcome, what: &str) -> Outcome {
    assert_eq!(o.code, Some(0), "{what}: {}", Outcome::describe(&o));
    o
}

/// `status --format json` as (revision, state, the whole entry).
fn status(project: &MigProject, ini: &Path) -> Vec<(String, String, Value)> {
    let o = ok(
        run(&retort_bin(), project, ini, &["status", "--format", "json"]),
        "status",
    );
    let doc: Value = serde_json::from_str(&o.stdout)
        .unwrap_or_else(|e| panic!("status JSON: {e}\n{}", o.stdout));
    doc.as_array()
        .expect("an array")
        .iter()
        .map(|e| {
            let field = |k: &str| e[k].as_str().unwrap_or_else(|| panic!("{k} in {e}"));
            (
                field("revision").to_string(),
                field("state").to_string(),
                e.clone(),
            )
        })
        .collect()
}

fn states(entries: &[(String, String, Value)]) -> Vec<(String, String)> {
    entries
        .iter()
        .map(|(r, s, _)| (r.clone(), s.clone()))
        .collect()
}

fn expect(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(r, s)| (r.to_string(), s.to_string()))
        .collect()
}

fn script(project: &MigProject, rev: &str) -> PathBuf {
    let dir = project.dir.join("migrations/versions");
    std::fs::read_dir(&dir)
        .expect("versions")
        .map(|e| e.expect("entry").path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(rev))
        })
        .unwrap_or_else(|| panic!("no script for {rev}"))
}

/// The snapshot without `retort_history`, and whether it had one.
fn without_history(mut snapshot: Value) -> (Value, bool) {
    let had = snapshot
        .get_mut("tables")
        .and_then(Value::as_object_mut)
        .and_then(|t| t.remove("retort_history"))
        .is_some();
    (snapshot, had)
}

fn audit(kind: Kind) {
    let Some(alembic) = alembic_bin() else {
        return;
    };
    let Some(twins) = Twins::create(kind, &alembic) else {
        return;
    };
    let project = MigProject::fixture("lock_once", &twins);
    let mut tools = Tools::new(alembic.clone());
    let mut snap = Snapshotter::spawn(&alembic);
    // The plain ini points at Alembic's twin; retort's gets checksums on.
    let plain_ini = project.dir.join("plain.ini");
    std::fs::copy(&project.alembic_ini, &plain_ini).expect("copy ini");
    let mut ini = std::fs::read_to_string(&project.retort_ini).expect("read ini");
    ini.push_str("\n[retort]\nchecksums = true\n");
    std::fs::write(&project.retort_ini, ini).expect("write ini");
    let ini = project.retort_ini.clone();

    // Without checksums: status from alembic_version alone, nothing created.
    ok(
        tools.run_alembic(&project, &["upgrade".into(), REVS[1].into()]),
        "Alembic upgrade",
    );
    let plain = status(&project, &plain_ini);
    assert_eq!(
        states(&plain),
        expect(&[
            (REVS[0], "applied"),
            (REVS[1], "applied"),
            (REVS[2], "pending")
        ])
    );
    assert!(plain
        .iter()
        .all(|(_, _, e)| e.get("recorded_checksum").is_none()));
    let (_, had) = without_history(snap.take(&twins.alembic_url));
    assert!(!had, "status without checksums created retort_history");

    // With checksums: recorded as applied.
    assert_eq!(
        states(&status(&project, &ini)),
        expect(&[
            (REVS[0], "pending"),
            (REVS[1], "pending"),
            (REVS[2], "pending")
        ])
    );
    ok(
        run(&retort_bin(), &project, &ini, &["upgrade", REVS[1]]),
        "upgrade",
    );
    let applied = status(&project, &ini);
    assert_eq!(
        states(&applied),
        expect(&[
            (REVS[0], "applied"),
            (REVS[1], "applied"),
            (REVS[2], "pending")
        ])
    );
    for (rev, _, e) in &applied[..2] {
        assert_eq!(e["checksum"], e["recorded_checksum"], "{rev}: {e}");
        assert!(
            e["applied_at"].as_str().is_some_and(|t| t.ends_with('Z')),
            "{e}"
        );
        let path = e["path"].as_str().expect("path");
        assert!(path.ends_with(".py") && Path::new(path).is_file(), "{e}");
    }

    // An applied script edited.
    let first = script(&project, REVS[0]);
    let mut text = std::fs::read_to_string(&first).expect("read script");
    text.push_str("\n# edited after it was applied\n");
    std::fs::write(&first, text).expect("edit script");
    let edited = status(&project, &ini);
    assert_eq!(
        states(&edited),
        expect(&[
            (REVS[0], "edited"),
            (REVS[1], "applied"),
            (REVS[2], "pending")
        ])
    );
    assert_ne!(edited[0].2["checksum"], edited[0].2["recorded_checksum"]);

    let strict = run(
        &retort_bin(),
        &project,
        &ini,
        &["upgrade", "head", "--strict"],
    );
    assert_eq!(
        strict.code,
        Some(255),
        "upgrade --strict: {}",
        Outcome::describe(&strict)
    );
    assert!(
        strict
            .stdout
            .contains("FAILED: upgrade --strict: nothing was run")
            && strict.stdout.contains(REVS[0]),
        "{}",
        Outcome::describe(&strict)
    );
    assert_eq!(twins.retort_state(), Ok(Some(vec![REVS[1].to_string()])));
    assert!(
        !strict.stderr.contains("Running upgrade"),
        "{}",
        Outcome::describe(&strict)
    );

    let warned = ok(
        run(&retort_bin(), &project, &ini, &["upgrade", "head"]),
        "upgrade",
    );
    let warnings: Vec<&str> = warned
        .stderr
        .lines()
        .filter(|l| l.starts_with("retort: warning: "))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", Outcome::describe(&warned));
    assert!(warnings[0].contains(REVS[0]) && warnings[0].contains("edited"));
    assert_eq!(twins.retort_state(), Ok(Some(vec![REVS[2].to_string()])));

    // An applied script deleted.
    let last = script(&project, REVS[2]);
    let kept = std::fs::read(&last).expect("read script");
    std::fs::remove_file(&last).expect("delete script");
    let missing = status(&project, &ini);
    assert_eq!(
        states(&missing),
        expect(&[
            (REVS[0], "edited"),
            (REVS[1], "applied"),
            (REVS[2], "missing")
        ])
    );
    assert!(missing[2].2.get("path").is_none() && missing[2].2["recorded_checksum"].is_string());
    let refused = run(
        &retort_bin(),
        &project,
        &ini,
        &["upgrade", "head", "--strict"],
    );
    assert_eq!(refused.code, Some(255), "{}", Outcome::describe(&refused));
    assert!(
        refused.stdout.contains(REVS[2]),
        "{}",
        Outcome::describe(&refused)
    );
    std::fs::write(&last, kept).expect("restore script");

    // Apart from retort_history, what Alembic leaves.
    ok(
        tools.run_alembic(&project, &["upgrade".into(), "head".into()]),
        "Alembic upgrade",
    );
    let (alembic_state, _) = without_history(snap.take(&twins.alembic_url));
    let (retort_state, had) = without_history(snap.take(&twins.retort_url));
    assert!(had, "no retort_history with checksums on");
    if let Some(diff) = first_difference(&alembic_state, &retort_state) {
        panic!("with checksums on, the database differs from Alembic's: {diff}");
    }
    // And Alembic keeps working on it.
    let current = ok(
        run(&alembic, &project, &ini, &["current"]),
        "Alembic current",
    );
    assert_eq!(current.stdout.trim(), format!("{} (head)", REVS[2]));
    ok(
        run(&alembic, &project, &ini, &["downgrade", "base"]),
        "Alembic downgrade",
    );
    ok(
        run(&alembic, &project, &ini, &["upgrade", "head"]),
        "Alembic upgrade",
    );
    let (after, _) = without_history(snap.take(&twins.retort_url));
    assert!(first_difference(&alembic_state, &after).is_none());

    autogenerate_ignores_history(&project, &ini, &plain_ini, &alembic);
}

/// The fixture's schema at head, as env.py's `target_metadata`.
const MODEL: &str = r#"import sqlalchemy as sa
target_metadata = sa.MetaData()
sa.Table(
    "gadgets",
    target_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("color", sa.String(20), index=True),
)
sa.Table(
    "widgets",
    target_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("gadget_id", sa.Integer, sa.ForeignKey("gadgets.id"), nullable=False),
)
"#;

/// Both databases at head, retort's with `retort_history` beside it.
fn autogenerate_ignores_history(
    project: &MigProject,
    ini: &Path,
    plain_ini: &Path,
    alembic: &Path,
) {
    let env_py = project.dir.join("migrations/env.py");
    let env = std::fs::read_to_string(&env_py).expect("read env.py");
    assert!(
        env.contains("target_metadata = None\n"),
        "fixture env.py changed"
    );
    std::fs::write(&env_py, env.replace("target_metadata = None\n", MODEL)).expect("write env.py");

    // check: retort on its audited database says what Alembic says on its twin.
    let theirs = run(alembic, project, plain_ini, &["check"]);
    let ours = run(&retort_bin(), project, ini, &["check"]);
    assert_eq!(
        (theirs.code, theirs.stdout.as_str()),
        (ours.code, ours.stdout.as_str()),
        "check: Alembic {}\nretort {}",
        Outcome::describe(&theirs),
        Outcome::describe(&ours)
    );
    assert_eq!(ours.code, Some(0), "{}", Outcome::describe(&ours));
    assert!(!ours.stdout.contains("retort_history"));

    // revision --autogenerate: the same empty migration as Alembic's.
    let written = |program: &Path, ini: &Path| {
        let o = ok(
            run(
                program,
                project,
                ini,
                &[
                    "revision",
                    "--autogenerate",
                    "-m",
                    "nothing",
                    "--rev-id",
                    "4d0c0ffee004",
                ],
            ),
            "revision --autogenerate",
        );
        let file = script(project, "4d0c0ffee004");
        let text = std::fs::read_to_string(&file).expect("read new revision");
        std::fs::remove_file(&file).expect("remove new revision");
        let body: Vec<String> = text
            .lines()
            .filter(|l| !l.starts_with("Create Date:"))
            .map(str::to_string)
            .collect();
        (o, body)
    };
    let (_, alembic_file) = written(alembic, plain_ini);
    let (o, retort_file) = written(&retort_bin(), ini);
    assert_eq!(retort_file, alembic_file, "{}", Outcome::describe(&o));
    assert!(!retort_file.iter().any(|l| l.contains("retort_history")));

    // Alembic itself knows nothing of the side table: its check on the
    // audited database reports it as a table to drop (README says so).
    let alembic_on_audited = run(alembic, project, ini, &["check"]);
    assert_eq!(
        alembic_on_audited.code,
        Some(255),
        "{}",
        Outcome::describe(&alembic_on_audited)
    );
    assert!(
        alembic_on_audited.stdout.contains("retort_history"),
        "{}",
        Outcome::describe(&alembic_on_audited)
    );
}

#[test]
fn sqlite_checksums_status_and_strict() {
    audit(Kind::Sqlite);
}

#[test]
fn postgresql_checksums_status_and_strict() {
    audit(Kind::Postgres);
}

#[test]
fn mariadb_checksums_status_and_strict() {
    audit(Kind::Mariadb);
}

/// With an env.py that is not the stock one, `status` runs in the Python
/// host; `stamp` records the revisions it marks applied (the files'
/// checksums, no duration) and forgets those it unmarks.
#[test]
fn stamp_records_and_forgets_through_a_custom_env() {
    stamp_records_and_forgets(true);
}

/// The stock env.py: stamp runs in Rust without starting Python, and must
/// keep retort_history as the hosted path does.
#[test]
fn stamp_records_and_forgets_through_the_stock_env() {
    stamp_records_and_forgets(false);
}

fn stamp_records_and_forgets(custom_env: bool) {
    let Some(alembic) = alembic_bin() else {
        return;
    };
    let Some(twins) = Twins::create(Kind::Sqlite, &alembic) else {
        return;
    };
    let project = MigProject::fixture("lock_once", &twins);
    let mut ini = std::fs::read_to_string(&project.retort_ini).expect("read ini");
    ini.push_str("\n[retort]\nchecksums = true\n");
    std::fs::write(&project.retort_ini, ini).expect("write ini");
    let ini = project.retort_ini.clone();
    if custom_env {
        // One line more than the stock template: retort must run it.
        let env_py = project.dir.join("migrations/env.py");
        let mut env = std::fs::read_to_string(&env_py).expect("read env.py");
        env.push_str("\nimport sys\nsys.stderr.write(\"custom env.py ran\\n\")\n");
        std::fs::write(&env_py, env).expect("write env.py");
    }

    let pending = ok(
        run(
            &retort_bin(),
            &project,
            &ini,
            &["status", "--format", "json"],
        ),
        "status",
    );
    assert_eq!(
        pending.stderr.contains("custom env.py ran\n"),
        custom_env,
        "status and env.py: {}",
        Outcome::describe(&pending)
    );

    ok(
        run(&retort_bin(), &project, &ini, &["stamp", REVS[1]]),
        "stamp",
    );
    assert_eq!(twins.retort_state(), Ok(Some(vec![REVS[1].to_string()])));
    let stamped = status(&project, &ini);
    assert_eq!(
        states(&stamped),
        expect(&[
            (REVS[0], "applied"),
            (REVS[1], "applied"),
            (REVS[2], "pending")
        ])
    );
    for (rev, _, e) in &stamped[..2] {
        assert_eq!(e["checksum"], e["recorded_checksum"], "{rev}: {e}");
    }
    assert!(stamped[2].2.get("recorded_checksum").is_none());

    // Unmarked revisions are forgotten: editing one is not `edited`.
    let first = script(&project, REVS[0]);
    let mut text = std::fs::read_to_string(&first).expect("read script");
    text.push_str("\n# edited while not applied\n");
    std::fs::write(&first, text).expect("edit script");
    ok(
        run(&retort_bin(), &project, &ini, &["stamp", "base"]),
        "stamp base",
    );
    assert_eq!(twins.retort_state(), Ok(Some(vec![])));
    let unstamped = status(&project, &ini);
    assert_eq!(
        states(&unstamped),
        expect(&[
            (REVS[0], "pending"),
            (REVS[1], "pending"),
            (REVS[2], "pending")
        ])
    );
    assert!(unstamped
        .iter()
        .all(|(_, _, e)| e.get("recorded_checksum").is_none()));
}
