//! `retort verify` against real Alembic, and `--format json` of `heads`,
//! `current` and `history` checked against what real Alembic prints.
//!
//! verify runs the fixture projects of `tests/fixtures/migrate/` on SQLite
//! scratch files and on PostgreSQL/MariaDB (`--scratch-url`); a planted
//! difference comes from a test double of the `alembic` command (a script
//! given as `--alembic` that runs the real Alembic, then alters the scratch
//! database after one chosen step), and verify must name that step.
//!
//! Environment: `RETORT_ALEMBIC` (real Alembic, default `.venv/bin/alembic`;
//! its python needs SQLAlchemy, psycopg2, pymysql), `RETORT_TEST_PG_URL`,
//! `RETORT_TEST_MYSQL_URL` (admin URLs, as in `tests/db_commands.rs`).  A
//! missing tool or server skips with a banner (fails on CI).

mod dbsupport;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use dbsupport::{admin_url, alembic_bin, driver_available, retort_bin, run_tool_with, Kind};
use retort::db::{Db, DbUrl};
use serde_json::Value;

const VERIFY_TIMEOUT: Duration = Duration::from_secs(600);

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary copy of a fixture project (`migrate/<name>` or `verify/<name>`).
struct Copy {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for entry in std::fs::read_dir(src).expect("read_dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name();
        if name == "__pycache__" {
            continue;
        }
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &dst.join(&name));
        } else {
            std::fs::copy(entry.path(), dst.join(&name)).expect("copy");
        }
    }
}

fn copy_fixture(relative: &str) -> Copy {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = std::fs::canonicalize(tmp.path()).expect("canonicalize");
    copy_dir(&manifest().join("tests/fixtures").join(relative), &dir);
    Copy { _tmp: tmp, dir }
}

/// `migrate/branches` (stock env.py, ini, template) with the revisions of
/// `verify/<name>/versions` instead of its own.
fn branches_with_versions_of(name: &str) -> Copy {
    let project = copy_fixture("migrate/branches");
    let versions = project.dir.join("migrations/versions");
    std::fs::remove_dir_all(&versions).expect("rm versions");
    copy_dir(
        &manifest()
            .join("tests/fixtures/verify")
            .join(name)
            .join("versions"),
        &versions,
    );
    project
}

/// The server URL for `--scratch-url`, or `None` (skipped) when the server
/// or Alembic's driver for it is missing.
fn server_url(kind: Kind, alembic: &Path) -> Option<String> {
    let module = if kind == Kind::Postgres {
        "psycopg2"
    } else {
        "pymysql"
    };
    if !driver_available(alembic, module) {
        return None;
    }
    let mut url = DbUrl::parse(&admin_url(kind)).expect("admin url");
    if let Err(e) = Db::connect(&url) {
        dbsupport::skip(&format!("{kind:?} server not reachable: {e}"));
        return None;
    }
    if kind == Kind::Mariadb {
        url.drivername = "mysql+pymysql".into();
    }
    Some(url.render_with_password())
}

/// `retort verify --format json …` in `dir`: exit code and the parsed report.
fn verify_json(
    dir: &Path,
    alembic: &Path,
    extra: &[&str],
    env: &[(String, String)],
) -> (i32, Value) {
    let mut args: Vec<String> = vec!["verify".into(), "--format".into(), "json".into()];
    args.push("--alembic".into());
    args.push(alembic.display().to_string());
    args.extend(extra.iter().map(|s| s.to_string()));
    let out = run_tool_with(
        &retort_bin(),
        dir,
        &dir.join("alembic.ini"),
        &args,
        env,
        VERIFY_TIMEOUT,
    );
    let code = out.code.unwrap_or(-1);
    let report: Value = serde_json::from_str(out.stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "verify printed no JSON ({e}), exit {code}\nstdout:\n{}\nstderr:\n{}",
            out.stdout, out.stderr
        )
    });
    (code, report)
}

fn revision_count(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("migrations/versions"))
        .expect("versions")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "py"))
        })
        .count()
}

/// verify passes on `fixture` and checked one upgrade and one downgrade per
/// revision.
fn assert_passes(fixture: &str, alembic: &Path, extra: &[&str]) {
    let project = copy_fixture(&format!("migrate/{fixture}"));
    let (code, report) = verify_json(&project.dir, alembic, extra, &[]);
    assert_eq!(report["ok"], true, "{fixture} {extra:?}: {report}");
    assert_eq!(report["first_difference"], Value::Null, "{report}");
    assert_eq!(
        report["steps_checked"],
        2 * revision_count(&project.dir),
        "{fixture}: {report}"
    );
    assert_eq!(code, 0, "{fixture}");
    // The temporary configuration copies are gone.
    let left: Vec<_> = std::fs::read_dir(&project.dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".retort-verify")
        })
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn verify_passes_on_fixtures_on_sqlite() {
    let Some(alembic) = alembic_bin() else { return };
    for fixture in ["branches", "core_ops", "sqlite_batch"] {
        assert_passes(fixture, &alembic, &[]);
    }
}

/// [`assert_passes`] for each fixture, the scratch databases on a server.
fn assert_passes_on(kind: Kind, fixtures: &[&str]) {
    let Some(alembic) = alembic_bin() else { return };
    if let Some(url) = server_url(kind, &alembic) {
        for fixture in fixtures {
            assert_passes(fixture, &alembic, &["--scratch-url", &url]);
        }
    }
}

#[test]
fn verify_passes_on_fixtures_on_postgresql() {
    assert_passes_on(Kind::Postgres, &["branches", "pg_only"]);
}

#[test]
fn verify_passes_on_fixtures_on_mariadb() {
    assert_passes_on(Kind::Mariadb, &["branches", "mysql_only"]);
}

/// A stand-in for `alembic`: runs the real one, then, after `upgrade
/// <PLANT_AFTER>` succeeded, runs `PLANT_SQL` on the database of the ini it
/// was given (`EXIT <n>`: exits with `n` instead, a failure only Alembic has).
fn planting_double(dir: &Path, alembic: &Path) -> PathBuf {
    let python = alembic.with_file_name("python");
    let script = dir.join("planting_alembic");
    std::fs::write(
        &script,
        format!(
            r#"#!{python}
import configparser, os, subprocess, sys
code = subprocess.call([os.environ["REAL_ALEMBIC"]] + sys.argv[1:])
if code == 0 and sys.argv[-2:] == ["upgrade", os.environ["PLANT_AFTER"]]:
    if os.environ["PLANT_SQL"].startswith("EXIT "):
        sys.exit(int(os.environ["PLANT_SQL"][5:]))
    ini = sys.argv[sys.argv.index("-c") + 1]
    parser = configparser.ConfigParser(defaults={{"here": os.path.dirname(os.path.abspath(ini))}})
    parser.read(ini)
    import sqlalchemy as sa
    with sa.create_engine(parser.get("alembic", "sqlalchemy.url")).begin() as conn:
        conn.exec_driver_sql(os.environ["PLANT_SQL"])
sys.exit(code)
"#,
            python = python.display()
        ),
    )
    .expect("write double");
    let mut perms = std::fs::metadata(&script).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&script, perms).expect("chmod");
    script
}

/// verify fails on the branches fixture when the double plants `sql` after
/// alpha's first revision, and names that step.
fn assert_names_planted_step(alembic: &Path, extra: &[&str], sql: &str, detail: &str) {
    let project = copy_fixture("migrate/branches");
    let double = planting_double(&project.dir, alembic);
    let env = [
        ("REAL_ALEMBIC".to_string(), alembic.display().to_string()),
        ("PLANT_AFTER".to_string(), "2a7f1e0b6c33".to_string()),
        ("PLANT_SQL".to_string(), sql.to_string()),
    ];
    let (code, report) = verify_json(&project.dir, &double, extra, &env);
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["ok"], false, "{report}");
    assert_eq!(
        report["first_difference"]["step"], "after upgrade 1d0c4e7a9b21 -> 2a7f1e0b6c33",
        "{report}"
    );
    let found = report["first_difference"]["detail"].as_str().unwrap_or("");
    assert!(
        found.contains(detail),
        "{found:?} should mention {detail:?}"
    );
    // base and the planted step.
    assert_eq!(report["steps_checked"], 2, "{report}");
}

#[test]
fn verify_names_the_step_of_a_planted_difference_on_sqlite() {
    let Some(alembic) = alembic_bin() else { return };
    assert_names_planted_step(
        &alembic,
        &[],
        "ALTER TABLE items ADD COLUMN planted INTEGER",
        "table \"items\" column \"planted\": alembic has INTEGER, retort has none",
    );
    assert_names_planted_step(
        &alembic,
        &[],
        "INSERT INTO items (id, name) VALUES (99, 'planted')",
        "(99, 'planted') only in alembic",
    );
    assert_names_planted_step(
        &alembic,
        &[],
        "EXIT 3",
        "retort succeeded, alembic failed (exit 3)",
    );
}

/// [`assert_names_planted_step`] with the scratch databases on a server.
fn assert_names_planted_step_on(kind: Kind, sql: &str, detail: &str) {
    let Some(alembic) = alembic_bin() else { return };
    if let Some(url) = server_url(kind, &alembic) {
        assert_names_planted_step(&alembic, &["--scratch-url", &url], sql, detail);
    }
}

#[test]
fn verify_names_the_step_of_a_planted_difference_on_postgresql() {
    assert_names_planted_step_on(
        Kind::Postgres,
        "ALTER TABLE items ADD COLUMN planted VARCHAR(5) NOT NULL DEFAULT 'x'",
        "table \"items\" column \"planted\": alembic has character varying(5) NOT NULL DEFAULT 'x'::character varying, retort has none",
    );
}

#[test]
fn verify_names_the_step_of_a_planted_difference_on_mariadb() {
    assert_names_planted_step_on(
        Kind::Mariadb,
        "CREATE INDEX ix_planted ON items (name)",
        "table \"items\" index \"ix_planted\": alembic has BTREE (name), retort has none",
    );
}

#[test]
fn verify_single_head_refuses_a_project_with_several_heads() {
    let Some(alembic) = alembic_bin() else { return };
    let dir = manifest().join("tests/fixtures/projects/three_branches");
    let ini = dir.join("alembic.ini");
    let heads = run_tool_with(&alembic, &dir, &ini, &["heads"], &[], VERIFY_TIMEOUT);
    let count = heads.stdout.lines().count();
    assert!(count > 1, "Alembic shows {count} heads:\n{}", heads.stdout);
    let out = run_tool_with(
        &retort_bin(),
        &dir,
        &ini,
        &["verify", "--single-head", "--alembic", "/nonexistent"],
        &[],
        VERIFY_TIMEOUT,
    );
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr
            .contains(&format!("the project has {count} heads")),
        "{}",
        out.stderr
    );
    // On a project with one head, --single-head lets verify run.
    let project = copy_fixture("migrate/branches");
    let (code, report) = verify_json(&project.dir, &alembic, &["--single-head"], &[]);
    assert_eq!((code, &report["ok"]), (0, &Value::Bool(true)), "{report}");
}

#[test]
fn verify_roundtrip_passes_on_a_good_project_and_finds_a_leaky_downgrade() {
    let Some(alembic) = alembic_bin() else { return };
    let project = copy_fixture("migrate/branches");
    let (code, report) = verify_json(&project.dir, &alembic, &["--roundtrip"], &[]);
    assert_eq!((code, &report["ok"]), (0, &Value::Bool(true)), "{report}");
    // Every upgrade also downgraded and upgraded again: 4 runs per revision.
    assert_eq!(report["steps_checked"], 4 * revision_count(&project.dir));

    let leaky = branches_with_versions_of("leaky");
    let (code, report) = verify_json(&leaky.dir, &alembic, &[], &[]);
    assert_eq!(
        (code, &report["ok"]),
        (0, &Value::Bool(true)),
        "the tools agree: {report}"
    );
    let (code, report) = verify_json(&leaky.dir, &alembic, &["--roundtrip"], &[]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(
        report["first_difference"]["step"],
        "roundtrip of upgrade a1b2c3d4e5f6 -> b2c3d4e5f6a1: after downgrade b2c3d4e5f6a1 -> a1b2c3d4e5f6",
        "{report}"
    );
    let detail = report["first_difference"]["detail"].as_str().unwrap_or("");
    assert!(
        detail.starts_with("alembic's database table \"leftover\": before the upgrade has none, after the downgrade has the table"),
        "{detail}"
    );
}

#[test]
fn verify_refuses_an_env_py_that_ignores_the_configured_url() {
    let Some(alembic) = alembic_bin() else { return };
    let project = copy_fixture("migrate/branches");
    let env_py = project.dir.join("migrations/env.py");
    let text = std::fs::read_to_string(&env_py).expect("env.py");
    let elsewhere = project.dir.join("elsewhere.db");
    let patched = text.replace(
        "config = context.config\n",
        &format!(
            "config = context.config\nconfig.set_main_option('sqlalchemy.url', 'sqlite:///{}')\n",
            elsewhere.display()
        ),
    );
    assert_ne!(
        patched, text,
        "env.py has no `config = context.config` line"
    );
    std::fs::write(&env_py, patched).expect("write env.py");
    let out = run_tool_with(
        &retort_bin(),
        &project.dir,
        &project.dir.join("alembic.ini"),
        &["verify", "--alembic", &alembic.display().to_string()],
        &[],
        VERIFY_TIMEOUT,
    );
    assert_eq!(out.code, Some(1), "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("env.py does not connect to the sqlalchemy.url verify gives it"),
        "{}",
        out.stderr
    );
    // Nothing was migrated there.
    let mut db =
        Db::connect(&DbUrl::parse(&format!("sqlite:///{}", elsewhere.display())).expect("url"))
            .expect("connect");
    assert_eq!(db.dump_schema().expect("dump").tables.len(), 0);
}

// ------------------------------------------------------------ --format json

fn json_of(dir: &Path, args: &[&str], env: &[(String, String)]) -> Vec<Value> {
    let out = run_tool_with(
        &retort_bin(),
        dir,
        &dir.join("alembic.ini"),
        args,
        env,
        VERIFY_TIMEOUT,
    );
    assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
    match serde_json::from_str(out.stdout.trim()) {
        Ok(Value::Array(items)) => items,
        other => panic!("{args:?}: not a JSON array: {other:?}\n{}", out.stdout),
    }
}

/// The revision ids of Alembic's one-line output (the first word, or the
/// word after `->` in history lines).
fn alembic_ids(dir: &Path, alembic: &Path, args: &[&str], env: &[(String, String)]) -> Vec<String> {
    let out = run_tool_with(
        alembic,
        dir,
        &dir.join("alembic.ini"),
        args,
        env,
        VERIFY_TIMEOUT,
    );
    assert_eq!(out.code, Some(0), "alembic {args:?}: {}", out.stderr);
    out.stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let l = l.split_once(" -> ").map_or(l, |(_, rest)| rest);
            l.split([' ', ',']).next().unwrap_or("").to_string()
        })
        .collect()
}

fn field<'a>(items: &'a [Value], name: &str) -> Vec<&'a str> {
    items
        .iter()
        .map(|v| v[name].as_str().unwrap_or("?"))
        .collect()
}

#[test]
fn json_heads_and_history_match_alembics_graph() {
    let Some(alembic) = alembic_bin() else { return };
    for fixture in [
        "branches",
        "merge",
        "diamond",
        "three_branches",
        "forest",
        "depends_on",
    ] {
        let dir = manifest().join("tests/fixtures/projects").join(fixture);
        let heads = json_of(&dir, &["heads", "--format", "json"], &[]);
        let ours: BTreeSet<&str> = field(&heads, "revision").into_iter().collect();
        let theirs = alembic_ids(&dir, &alembic, &["heads"], &[]);
        let theirs: BTreeSet<&str> = theirs.iter().map(String::as_str).collect();
        assert_eq!(ours, theirs, "{fixture}: heads");
        assert!(heads.iter().all(|h| h["is_head"] == true), "{fixture}");

        let history = json_of(&dir, &["history", "--format", "json"], &[]);
        let order = alembic_ids(&dir, &alembic, &["history"], &[]);
        assert_eq!(
            field(&history, "revision"),
            order,
            "{fixture}: history order"
        );
        // The markers Alembic prints agree with the flags.
        let text = run_tool_with(
            &alembic,
            &dir,
            &dir.join("alembic.ini"),
            &["history"],
            &[],
            VERIFY_TIMEOUT,
        );
        for (line, item) in text.stdout.lines().zip(&history) {
            assert_eq!(
                line.contains("(mergepoint)"),
                item["is_merge"] == true,
                "{line}"
            );
            assert_eq!(
                line.contains("(branchpoint)"),
                item["is_branch_point"] == true,
                "{line}"
            );
            assert_eq!(
                line.contains("(head)"),
                item["is_real_head"] == true,
                "{line}"
            );
            let doc = item["doc"].as_str().unwrap_or("?");
            assert!(line.ends_with(&format!(", {doc}")), "{line} vs {doc}");
            let down: Vec<&str> = item["down_revisions"]
                .as_array()
                .expect("down_revisions")
                .iter()
                .map(|d| d.as_str().unwrap_or("?"))
                .collect();
            let shown = if down.is_empty() {
                "<base>".to_string()
            } else {
                down.join(", ")
            };
            assert!(line.starts_with(&shown), "{line} vs {down:?}");
        }
    }
}

/// `current --format json` lists what `alembic current` lists, through
/// retort's own stock-env.py path and through the Python host (an env.py
/// that is not byte-for-byte stock).
#[test]
fn json_current_matches_alembic_with_stock_and_hosted_env() {
    let Some(alembic) = alembic_bin() else { return };
    let project = copy_fixture("migrate/branches");
    let dir = &project.dir;
    let ini = dir.join("alembic.ini");
    let text = std::fs::read_to_string(&ini).expect("ini");
    let url = format!("sqlite:///{}", dir.join("db.sqlite").display());
    std::fs::write(&ini, retort::verify::with_url(&text, "alembic", &url)).expect("ini");
    // Two heads applied: alpha's and beta's tips before the merge.
    for rev in ["3e5b9d2c7a44", "5c9d1b4e2f66"] {
        let out = run_tool_with(&alembic, dir, &ini, &["upgrade", rev], &[], VERIFY_TIMEOUT);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
    }
    let theirs: BTreeSet<String> = alembic_ids(dir, &alembic, &["current"], &[])
        .into_iter()
        .collect();
    assert_eq!(theirs.len(), 2, "{theirs:?}");
    let check = |how: &str| {
        let items = json_of(dir, &["current", "--format", "json"], &[]);
        let ours: BTreeSet<String> = field(&items, "revision")
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(ours, theirs, "{how}");
        for item in &items {
            assert_eq!(
                item["branch_labels"].as_array().map(Vec::len),
                Some(1),
                "{how}: {item}"
            );
        }
        // `history -i` marks the same revisions current.
        let history = json_of(dir, &["history", "-i", "--format", "json"], &[]);
        let marked: BTreeSet<String> = history
            .iter()
            .filter(|item| item["is_current"] == true)
            .map(|item| item["revision"].as_str().unwrap_or("?").to_string())
            .collect();
        assert_eq!(marked, theirs, "{how}: history -i");
    };
    check("stock env.py");
    let env_py = dir.join("migrations/env.py");
    let mut env_text = std::fs::read_to_string(&env_py).expect("env.py");
    env_text.push_str("\n# not the stock template any more\n");
    std::fs::write(&env_py, env_text).expect("env.py");
    check("hosted env.py");
}

/// A project configured only by `pyproject.toml`: verify gives each tool a
/// small ini with the URL (and logging env.py's `fileConfig` can read).
#[test]
fn verify_runs_a_pyproject_only_project() {
    let Some(alembic) = alembic_bin() else { return };
    let project = copy_fixture("migrate/branches");
    std::fs::remove_file(project.dir.join("alembic.ini")).expect("rm ini");
    let toml = project.dir.join("pyproject.toml");
    std::fs::write(
        &toml,
        "[tool.alembic]\nscript_location = \"%(here)s/migrations\"\n",
    )
    .expect("toml");
    let out = run_tool_with(
        &retort_bin(),
        &project.dir,
        &toml,
        &["verify", "--alembic", &alembic.display().to_string()],
        &[],
        VERIFY_TIMEOUT,
    );
    assert_eq!(out.code, Some(0), "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        out.stdout,
        format!(
            "verify: OK, {} steps checked: alembic and retort agree after every step\n",
            2 * revision_count(&project.dir)
        )
    );
}
