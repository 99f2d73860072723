//! Bad input, run for real: a broken env.py, broken scripts, a broken ini,
//! broken graphs, a database that cannot be reached or refuses the
//! password, a version table naming an unknown revision, a script that
//! fails halfway, a Python environment without SQLAlchemy.
//!
//! Each case runs retort and, where Alembic has a defined behaviour, real
//! Alembic beside it on a twin database, and checks that retort
//! * exits non-zero (with Alembic's exit code where Alembic has one),
//! * says what went wrong in one block of text (no blank line, no frames
//!   of SQLAlchemy or of retort's own shim) naming the file, revision or
//!   server at fault, with the gist of Alembic's message,
//! * never prints a password,
//! * leaves the database as it found it (a snapshot before and after, see
//!   `tests/support/snapshot.py`) — or, where Alembic itself leaves work
//!   behind (non-transactional DDL), exactly as Alembic leaves its twin.
//!
//! Projects are made by real `alembic init` with small scripts written
//! here; env.py is edited (a comment) so that retort runs it in its Python
//! host, except where a case says otherwise.  Environment as in
//! `tests/db_commands.rs`; a missing server skips (fails on CI).

mod dbsupport;
mod migsupport;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use dbsupport::{alembic_bin, indent, retort_bin, run_tool_with, Kind, Outcome, Twins};
use migsupport::{first_difference, Snapshotter};
use serde_json::Value;

const TIMEOUT: Duration = Duration::from_secs(120);

/// A password no server knows; it must never be printed.
const WRONG_PASSWORD: &str = "Wr0ng-pa55-Zq9x";

// ------------------------------------------------------------- projects

/// One version script: `create_table(table)` and a row, then `extra`
/// (Python statements, indented for the function body).
struct Script {
    file: &'static str,
    rev: &'static str,
    down: Option<&'static str>,
    table: &'static str,
    extra: &'static str,
}

const R1: Script = Script {
    file: "a1a1a1a1a1a1_widgets.py",
    rev: "a1a1a1a1a1a1",
    down: None,
    table: "widgets",
    extra: "",
};
const R2: Script = Script {
    file: "b2b2b2b2b2b2_gadgets.py",
    rev: "b2b2b2b2b2b2",
    down: Some("a1a1a1a1a1a1"),
    table: "gadgets",
    extra: "",
};
const R3: Script = Script {
    file: "c3c3c3c3c3c3_gizmos.py",
    rev: "c3c3c3c3c3c3",
    down: Some("b2b2b2b2b2b2"),
    table: "gizmos",
    extra: "",
};

impl Script {
    fn source(&self) -> String {
        let down = self.down.map_or("None".to_string(), |d| format!("'{d}'"));
        format!(
            r#""""{table}

Revision ID: {rev}
Revises: {revises}
"""
from alembic import op
import sqlalchemy as sa

revision = '{rev}'
down_revision = {down}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        '{table}',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('name', sa.String(50)),
    )
    op.execute("INSERT INTO {table} (id, name) VALUES (1, 'first')")
{extra}

def downgrade():
    op.drop_table('{table}')
"#,
            table = self.table,
            rev = self.rev,
            revises = self.down.unwrap_or(""),
            extra = self.extra,
        )
    }
}

/// A project made by real `alembic init mig`, with R1..R3 (as changed by
/// the case), and one ini per tool.
struct Project {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    alembic_ini: PathBuf,
    retort_ini: PathBuf,
}

impl Project {
    fn new(alembic: &Path, scripts: &[Script], alembic_url: &str, retort_url: &str) -> Project {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = std::fs::canonicalize(tmp.path()).expect("canonicalize");
        let out = Command::new(alembic)
            .args(["init", "mig"])
            .current_dir(&dir)
            .env_remove("ALEMBIC_CONFIG")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .output()
            .expect("run alembic init");
        assert!(
            out.status.success(),
            "alembic init failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let p = Project {
            _tmp: tmp,
            alembic_ini: dir.join("alembic.ini"),
            retort_ini: dir.join("retort.ini"),
            dir,
        };
        for s in scripts {
            p.write(&format!("mig/versions/{}", s.file), &s.source());
        }
        // Any change makes env.py no stock template: retort runs it in Python.
        p.edit("mig/env.py", |t| {
            format!("{t}\n# Edited, so that retort runs this env.py.\n")
        });
        let ini = std::fs::read_to_string(&p.alembic_ini).expect("read alembic.ini");
        p.write("alembic.ini", &with_url(&ini, alembic_url));
        p.write("retort.ini", &with_url(&ini, retort_url));
        p
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path(rel), text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    }

    fn edit(&self, rel: &str, f: impl FnOnce(&str) -> String) {
        let text = std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        self.write(rel, &f(&text));
    }

    /// Both ini files, changed alike.
    fn edit_inis(&self, f: impl Fn(&str) -> String) {
        self.edit("alembic.ini", &f);
        self.edit("retort.ini", &f);
    }

    fn alembic(&self, alembic: &Path, cmd: &str) -> Outcome {
        self.run(alembic, &self.alembic_ini, cmd, &[])
    }

    fn retort(&self, cmd: &str) -> Outcome {
        self.run(&retort_bin(), &self.retort_ini, cmd, &[])
    }

    fn run(&self, program: &Path, ini: &Path, cmd: &str, env: &[(String, String)]) -> Outcome {
        let args: Vec<&str> = cmd.split_whitespace().collect();
        let o = run_tool_with(program, &self.dir, ini, &args, env, TIMEOUT);
        if let Some(e) = &o.harness_error {
            panic!("`{cmd}`: {e}");
        }
        o
    }
}

/// `ini` with its `sqlalchemy.url = ` line pointing at `url`.
fn with_url(ini: &str, url: &str) -> String {
    let mut found = false;
    let out = ini
        .lines()
        .map(|line| {
            if line.starts_with("sqlalchemy.url = ") {
                found = true;
                format!("sqlalchemy.url = {}\n", url.replace('%', "%%"))
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    assert!(found, "alembic init wrote no sqlalchemy.url line:\n{ini}");
    out
}

// --------------------------------------------------------------- checks

fn shown(o: &Outcome) -> String {
    format!(
        "exit {:?}\n  stdout:\n{}  stderr:\n{}",
        o.code,
        indent(&o.stdout),
        indent(&o.stderr)
    )
}

/// retort's account of the failure: `FAILED: …` on stdout (exit 255) or
/// what follows `retort: error: ` on stderr (exit 1).
fn error_text(o: &Outcome) -> String {
    if o.code == Some(255) {
        let at = o
            .stdout
            .find("FAILED: ")
            .unwrap_or_else(|| panic!("exit 255 without FAILED:\n{}", shown(o)));
        return o.stdout[at + "FAILED: ".len()..].trim_end().to_string();
    }
    let at = o
        .stderr
        .find("retort: error: ")
        .unwrap_or_else(|| panic!("no `retort: error: ` on stderr\n{}", shown(o)));
    o.stderr[at + "retort: error: ".len()..]
        .trim_end()
        .to_string()
}

/// The checks every case makes on retort's failure; `names` must all
/// appear in the message (file, revision, server …).
fn check_error(case: &str, o: &Outcome, names: &[&str], secrets: &[String]) -> String {
    assert!(
        o.code.is_some_and(|c| c != 0),
        "{case}: retort must fail\n{}",
        shown(o)
    );
    assert!(
        !o.stderr.contains("panicked"),
        "{case}: retort panicked\n{}",
        shown(o)
    );
    let text = error_text(o);
    assert!(
        !text.trim().is_empty() && !text.contains("\n\n"),
        "{case}: the error is not one block of text:\n{}",
        shown(o)
    );
    for internal in [
        "<retort>",
        "site-packages/sqlalchemy",
        "site-packages/alembic",
    ] {
        assert!(
            !text.contains(internal),
            "{case}: the error shows internals ({internal}):\n{}",
            shown(o)
        );
    }
    for name in names {
        assert!(
            text.contains(name),
            "{case}: the error does not name {name:?}:\n{}",
            shown(o)
        );
    }
    for secret in secrets {
        assert!(
            !o.stdout.contains(secret.as_str()) && !o.stderr.contains(secret.as_str()),
            "{case}: retort printed the password ({secret:?})\n{}",
            shown(o)
        );
    }
    text
}

/// Alembic's account of the failure: its `FAILED: …` line, else its
/// stderr (the traceback, whose last lines say what went wrong).
fn alembic_gist(o: &Outcome) -> String {
    match o.stdout.lines().find(|l| l.starts_with("FAILED: ")) {
        Some(line) => line["FAILED: ".len()..].to_string(),
        None => o.stderr.clone(),
    }
}

/// retort must exit as Alembic does and say what Alembic says (`gist`: a
/// part of Alembic's message that retort's must contain, case-blind).
fn check_like_alembic(case: &str, a: &Outcome, b: &Outcome, gist: &str) {
    let both = || format!("alembic: {}\nretort: {}", shown(a), shown(b));
    assert_eq!(a.code, b.code, "{case}: exit codes differ\n{}", both());
    let ag = alembic_gist(a).to_lowercase();
    let gist = gist.to_lowercase();
    assert!(
        ag.contains(&gist),
        "{case}: the test is wrong: Alembic's message has no {gist:?}\n{}",
        both()
    );
    assert!(
        error_text(b).to_lowercase().contains(&gist),
        "{case}: retort's message lacks Alembic's {gist:?}\n{}",
        both()
    );
    if a.code == Some(255) {
        assert_eq!(a.stdout, b.stdout, "{case}: stdout differs\n{}", both());
    }
}

/// Snapshots of the twins, and the comparisons the cases make.
struct Dbs<'a> {
    twins: &'a Twins,
    snap: Snapshotter,
}

impl Dbs<'_> {
    fn alembic(&mut self) -> Value {
        self.snap.take(&self.twins.alembic_url)
    }

    fn retort(&mut self) -> Value {
        self.snap.take(&self.twins.retort_url)
    }
}

fn assert_same(case: &str, what: &str, a: &Value, b: &Value) {
    if let Some(d) = first_difference(a, b) {
        panic!("{case}: {what}:\n{d}");
    }
}

fn setup(kind: Kind) -> Option<(PathBuf, Twins)> {
    let alembic = alembic_bin()?;
    let twins = Twins::create(kind, &alembic)?;
    Some((alembic, twins))
}

/// What a failed command must leave in retort's database.
#[derive(Clone, Copy, PartialEq, Eq)]
enum After {
    /// What was there before.
    Unchanged,
    /// What Alembic leaves in its twin (which may differ from before:
    /// Alembic creates the version table before it fails, and on SQLite
    /// nothing rolls that back).
    AsAlembic,
}

/// Runs `cmd` with both tools on a project of `scripts` and checks the
/// failure: exit code and gist as Alembic's, `names` in the message, and
/// retort's database as `after` says.
#[allow(clippy::too_many_arguments)]
fn both_fail(
    case: &str,
    kind: Kind,
    scripts: &[Script],
    prepare: impl Fn(&Project),
    cmds: &[&str],
    gist: &str,
    names: &[&str],
    after: After,
) {
    let Some((alembic, twins)) = setup(kind) else {
        return;
    };
    let p = Project::new(&alembic, scripts, &twins.alembic_url, &twins.retort_url);
    prepare(&p);
    let mut dbs = Dbs {
        twins: &twins,
        snap: Snapshotter::spawn(&alembic),
    };
    for cmd in cmds {
        let case = format!("{case} ({kind:?}, `{cmd}`)");
        let before = dbs.retort();
        let a = p.alembic(&alembic, cmd);
        let b = p.retort(cmd);
        check_error(&case, &b, names, &twins.secrets);
        check_like_alembic(&case, &a, &b, gist);
        match after {
            After::Unchanged => {
                assert_same(&case, "retort changed the database", &before, &dbs.retort())
            }
            After::AsAlembic => assert_same(
                &case,
                "retort left its database unlike Alembic's",
                &dbs.alembic(),
                &dbs.retort(),
            ),
        }
    }
}

// ------------------------------------------------------------ env.py

#[test]
fn env_py_raises() {
    both_fail(
        "env.py raises",
        Kind::Sqlite,
        &[R1, R2],
        |p| {
            p.edit("mig/env.py", |t| {
                t.replacen(
                    "config = context.config",
                    "config = context.config\nraise RuntimeError('env.py refuses to run today')",
                    1,
                )
            })
        },
        &["upgrade head", "current", "stamp head", "history -i"],
        "RuntimeError: env.py refuses to run today",
        &["mig/env.py", "line "],
        After::Unchanged,
    );
}

#[test]
fn env_py_syntax_error() {
    both_fail(
        "env.py has a syntax error",
        Kind::Sqlite,
        &[R1, R2],
        |p| {
            p.edit("mig/env.py", |t| {
                t.replacen(
                    "def run_migrations_online() -> None:",
                    "def run_migrations_online() -> None",
                    1,
                )
            })
        },
        &["upgrade head", "current", "ensure_version"],
        "SyntaxError: expected ':'",
        &["mig/env.py", "line "],
        After::Unchanged,
    );
}

// ----------------------------------------------------------- scripts

/// A script that does not compile, caught only by Python (retort's own
/// header reader sees nothing wrong with it): Alembic fails while
/// importing the scripts, before any step; so must retort.
fn script_syntax_error(kind: Kind) {
    let broken = Script {
        extra: "    if True\n        pass\n",
        ..R2
    };
    both_fail(
        "a script has a syntax error",
        kind,
        &[R1, broken, R3],
        |_| {},
        &["upgrade head"],
        "SyntaxError: expected ':'",
        &[R2.file, "line "],
        After::AsAlembic,
    );
}

#[test]
fn sqlite_script_syntax_error() {
    script_syntax_error(Kind::Sqlite);
}

#[test]
fn postgres_script_syntax_error() {
    script_syntax_error(Kind::Postgres);
}

/// An unclosed bracket, which retort's header reader finds before
/// starting Python (Alembic finds it when importing the script).
#[test]
fn script_unclosed_bracket() {
    let broken = Script {
        extra: "    x = (\n",
        ..R2
    };
    both_fail(
        "a script has an unclosed bracket",
        Kind::Sqlite,
        &[R1, broken, R3],
        |_| {},
        &["upgrade head", "history"],
        "was never closed",
        &[R2.file, "line "],
        After::Unchanged,
    );
}

/// R3's upgrade() raises after its DDL and DML.  Alembic's rules decide
/// what stays: on PostgreSQL (transactional DDL, one transaction) nothing;
/// on SQLite and MariaDB the steps before it (and DDL MariaDB cannot roll
/// back).  retort must leave its twin exactly as Alembic leaves its own,
/// which on PostgreSQL is the state before the command.
fn upgrade_raises(kind: Kind) {
    let case = format!("upgrade() raises halfway ({kind:?})");
    let Some((alembic, twins)) = setup(kind) else {
        return;
    };
    let failing = Script {
        extra: "    raise RuntimeError('gizmo factory exploded')\n",
        ..R3
    };
    let p = Project::new(
        &alembic,
        &[R1, R2, failing],
        &twins.alembic_url,
        &twins.retort_url,
    );
    let mut dbs = Dbs {
        twins: &twins,
        snap: Snapshotter::spawn(&alembic),
    };
    // Start from R1, so that "before" has a schema and a version row.
    for o in [
        p.alembic(&alembic, "upgrade a1a1a1a1a1a1"),
        p.retort("upgrade a1a1a1a1a1a1"),
    ] {
        assert_eq!(o.code, Some(0), "{case}: set-up failed\n{}", shown(&o));
    }
    let before = dbs.retort();
    assert_same(&case, "the twins differ before", &dbs.alembic(), &before);
    let a = p.alembic(&alembic, "upgrade head");
    let b = p.retort("upgrade head");
    check_error(
        &case,
        &b,
        &[R3.file, "gizmo factory exploded"],
        &twins.secrets,
    );
    check_like_alembic(&case, &a, &b, "RuntimeError: gizmo factory exploded");
    let after_a = dbs.alembic();
    let after_b = dbs.retort();
    assert_same(
        &case,
        "retort left its database unlike Alembic's",
        &after_a,
        &after_b,
    );
    if kind == Kind::Postgres {
        assert_same(&case, "the failed run left changes", &before, &after_b);
    }
}

#[test]
fn sqlite_upgrade_raises() {
    upgrade_raises(Kind::Sqlite);
}

#[test]
fn postgres_upgrade_raises() {
    upgrade_raises(Kind::Postgres);
}

#[test]
fn mariadb_upgrade_raises() {
    upgrade_raises(Kind::Mariadb);
}

// ------------------------------------------------------------- graphs

#[test]
fn cycle_in_versions() {
    let looped = Script {
        down: Some("c3c3c3c3c3c3"),
        ..R1
    };
    // retort refuses before env.py runs; Alembic runs env.py first (which
    // creates an empty version table on SQLite), so only retort's database
    // is checked.
    both_fail(
        "a cycle in the versions",
        Kind::Sqlite,
        &[looped, R2, R3],
        |_| {},
        &["upgrade head", "current", "downgrade base", "stamp head"],
        "Cycle is detected in revisions",
        &["a1a1a1a1a1a1", "b2b2b2b2b2b2", "c3c3c3c3c3c3"],
        After::Unchanged,
    );
}

/// Alembic only warns about a revision id given twice and goes on with a
/// phantom head; retort refuses the project (a deliberate difference, see
/// `tests/graph_parity.rs`), naming the revision, and touches nothing.
#[test]
fn duplicate_revision() {
    let case = "a revision id given twice";
    let Some((alembic, twins)) = setup(Kind::Sqlite) else {
        return;
    };
    let p = Project::new(
        &alembic,
        &[R1, R2, R3],
        &twins.alembic_url,
        &twins.retort_url,
    );
    p.write("mig/versions/d4d4_copy_of_gadgets.py", &R2.source());
    let mut dbs = Dbs {
        twins: &twins,
        snap: Snapshotter::spawn(&alembic),
    };
    for cmd in ["upgrade head", "current", "stamp heads"] {
        let case = format!("{case} (`{cmd}`)");
        let before = dbs.retort();
        let b = p.retort(cmd);
        check_error(
            &case,
            &b,
            &["b2b2b2b2b2b2", "present more than once"],
            &twins.secrets,
        );
        assert_same(&case, "retort changed the database", &before, &dbs.retort());
    }
}

// ------------------------------------------------------ version table

fn unknown_revision(kind: Kind) {
    let case = format!("an unknown revision in alembic_version ({kind:?})");
    let Some((alembic, twins)) = setup(kind) else {
        return;
    };
    let p = Project::new(
        &alembic,
        &[R1, R2, R3],
        &twins.alembic_url,
        &twins.retort_url,
    );
    for o in [
        p.alembic(&alembic, "upgrade b2b2b2b2b2b2"),
        p.retort("upgrade b2b2b2b2b2b2"),
    ] {
        assert_eq!(o.code, Some(0), "{case}: set-up failed\n{}", shown(&o));
    }
    let errors = twins.execute_both("UPDATE alembic_version SET version_num = 'deadbeef1234'");
    assert!(errors.is_empty(), "{errors:?}");
    let mut dbs = Dbs {
        twins: &twins,
        snap: Snapshotter::spawn(&alembic),
    };
    for cmd in [
        "upgrade head",
        "downgrade base",
        "current",
        "stamp head",
        "show current",
        "history -r current:",
    ] {
        let case = format!("{case}, `{cmd}`");
        let before = dbs.retort();
        let a = p.alembic(&alembic, cmd);
        let b = p.retort(cmd);
        check_error(&case, &b, &["deadbeef1234"], &twins.secrets);
        check_like_alembic(
            &case,
            &a,
            &b,
            "Can't locate revision identified by 'deadbeef1234'",
        );
        assert_same(&case, "retort changed the database", &before, &dbs.retort());
    }
}

#[test]
fn sqlite_unknown_revision_in_table() {
    unknown_revision(Kind::Sqlite);
}

#[test]
fn postgres_unknown_revision_in_table() {
    unknown_revision(Kind::Postgres);
}

// -------------------------------------------------------------- config

#[test]
fn ini_without_section_header() {
    both_fail(
        "an ini file with a line before any section",
        Kind::Sqlite,
        &[R1],
        |p| p.edit_inis(|t| format!("sqlalchemy.url = nowhere\n{t}")),
        &["upgrade head", "current"],
        "no section headers",
        &["retort.ini", "line 1"],
        After::Unchanged,
    );
}

#[test]
fn ini_bad_interpolation() {
    both_fail(
        "an ini file with an unknown %(name)s",
        Kind::Sqlite,
        &[R1],
        |p| {
            p.edit_inis(|t| {
                t.replacen(
                    "script_location = %(here)s/mig",
                    "script_location = %(nosuchkey)s/mig",
                    1,
                )
            })
        },
        &["upgrade head", "current"],
        "interpolation key 'nosuchkey'",
        &["retort.ini", "script_location"],
        After::Unchanged,
    );
}

// -------------------------------------------------------- environment

/// A virtualenv without SQLAlchemy: retort (which needs it to run env.py)
/// says how to install it.  Alembic cannot run there at all.
#[test]
fn sqlalchemy_missing() {
    let case = "SQLAlchemy missing from the environment";
    let Some((alembic, twins)) = setup(Kind::Sqlite) else {
        return;
    };
    let venv = tempfile::tempdir().expect("tempdir");
    let root = venv.path().join("bare");
    let python = alembic.with_file_name("python");
    let made = Command::new(&python)
        .args(["-m", "venv", "--without-pip"])
        .arg(&root)
        .stdin(Stdio::null())
        .output()
        .expect("run python -m venv");
    assert!(
        made.status.success(),
        "python -m venv failed: {}",
        String::from_utf8_lossy(&made.stderr)
    );
    let p = Project::new(&alembic, &[R1, R2], &twins.alembic_url, &twins.retort_url);
    let mut dbs = Dbs {
        twins: &twins,
        snap: Snapshotter::spawn(&alembic),
    };
    let env = [("VIRTUAL_ENV".to_string(), root.display().to_string())];
    for cmd in ["upgrade head", "current"] {
        let case = format!("{case} (`{cmd}`)");
        let before = dbs.retort();
        let b = p.run(&retort_bin(), &p.retort_ini, cmd, &env);
        let text = check_error(&case, &b, &["SQLAlchemy", "pip install"], &twins.secrets);
        assert_eq!(b.code, Some(1), "{case}\n{}", shown(&b));
        assert!(
            text.contains(&root.display().to_string()),
            "{case}: the message does not say which environment:\n{}",
            shown(&b)
        );
        assert_same(&case, "retort changed the database", &before, &dbs.retort());
    }
}

// ------------------------------------------------------------ servers

/// A port on this machine that nothing listens on (bound, then freed).
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    port
}

/// `url` with its host and port replaced by `host_port`.
fn with_host(url: &str, host_port: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("URL");
    let (userinfo, after) = rest.rsplit_once('@').expect("userinfo");
    let path = after.find('/').map_or("", |i| &after[i..]);
    format!("{scheme}://{userinfo}@{host_port}{path}")
}

/// `url` with its password replaced by `password`.
fn with_password(url: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("URL");
    let (userinfo, after) = rest.rsplit_once('@').expect("userinfo");
    let user = userinfo.split(':').next().unwrap_or(userinfo);
    format!("{scheme}://{user}:{password}@{after}")
}

/// Both tools pointed at `url` (the stock env.py and an edited one): the
/// same exit code, a message with `gist` and `names`, no password shown.
fn cannot_connect(
    case: &str,
    kind: Kind,
    url: impl Fn(&Twins) -> String,
    gist: &str,
    names: &[&str],
) {
    let Some((alembic, twins)) = setup(kind) else {
        return;
    };
    let url = url(&twins);
    let mut secrets = twins.secrets.clone();
    secrets.push(WRONG_PASSWORD.to_string());
    for stock in [false, true] {
        let p = Project::new(&alembic, &[R1, R2], &url, &url);
        if stock {
            // Back to the template's bytes: retort connects without Python.
            p.edit("mig/env.py", |t| {
                t.replacen("\n# Edited, so that retort runs this env.py.\n", "", 1)
            });
        }
        for cmd in ["upgrade head", "current", "stamp head"] {
            let case = format!(
                "{case} ({kind:?}, {} env.py, `{cmd}`)",
                if stock { "stock" } else { "edited" }
            );
            let a = p.alembic(&alembic, cmd);
            let b = p.retort(cmd);
            check_error(&case, &b, names, &secrets);
            check_like_alembic(&case, &a, &b, gist);
        }
    }
}

#[test]
fn postgres_unreachable() {
    let port = closed_port();
    let host = format!("127.0.0.1:{port}");
    cannot_connect(
        "nothing listens on the port",
        Kind::Postgres,
        |t| with_host(&t.retort_url, &host),
        "refused",
        &[&host, "connect"],
    );
}

#[test]
fn mariadb_unreachable() {
    let port = closed_port();
    let host = format!("127.0.0.1:{port}");
    cannot_connect(
        "nothing listens on the port",
        Kind::Mariadb,
        |t| with_host(&t.retort_url, &host),
        "refused",
        &[&host, "connect"],
    );
}

/// The scratch user exists and has a password; this is not it.
#[test]
fn mariadb_wrong_password() {
    cannot_connect(
        "a wrong password",
        Kind::Mariadb,
        |t| with_password(&t.retort_url, WRONG_PASSWORD),
        "Access denied for user",
        &["Access denied", "127.0.0.1"],
    );
}

/// PostgreSQL here trusts local connections whatever the password, so a
/// role that does not exist stands in for a refused login.
#[test]
fn postgres_unknown_role_with_password() {
    cannot_connect(
        "a role that does not exist",
        Kind::Postgres,
        |t| {
            let u = with_password(&t.retort_url, WRONG_PASSWORD);
            let (scheme, rest) = u.split_once("://").expect("URL");
            let rest = rest.split_once(':').map_or(rest, |(_, r)| r);
            format!("{scheme}://no_such_role_rt:{rest}")
        },
        "no_such_role_rt",
        &["no_such_role_rt", "127.0.0.1"],
    );
}
