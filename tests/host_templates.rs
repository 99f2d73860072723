//! Alembic's own env.py templates, and an env.py of an application, run by
//! retort beside real Alembic on twin databases.
//!
//! Each project is made by real `alembic init -t <template>` (`generic`,
//! `async`, `pyproject`, `pyproject_async`) with the version scripts of
//! `tests/fixtures/migrate/core_ops`, so env.py is whatever this Alembic
//! ships.  A byte-for-byte stock env.py lets retort answer `current`,
//! `stamp`, `history -i` … without Python; the "edited" variant of each
//! template changes env.py (a comment, or code that prints what
//! `config.get_alembic_option` returns) so that every command runs it in
//! retort's Python host.  `examples/homegpu/backend` (an env.py that reads
//! `DATABASE_URL` through the application's config) checks the database
//! commands that read the version table through env.py.  The async template
//! also runs `tests/fixtures/migrate/run_async` (`op.run_async`).
//!
//! After every command both tools must agree on the exit code, stdout, the
//! log lines on stderr and a snapshot of the database (schema, rows and
//! `alembic_version`); see `tests/migsupport`.  Nothing expected is written
//! down: it is whatever Alembic does at test time.
//!
//! The async templates need an async driver for real Alembic (`aiosqlite`,
//! `asyncpg`, `asyncmy`, in `requirements-dev.txt`); retort runs them in
//! the SQLAlchemy-only virtualenv.  Environment as in
//! `tests/migrate_parity.rs` (`RETORT_MIGRATE_PARITY=0` turns it off).

mod dbsupport;
mod migsupport;

use std::path::Path;
use std::process::{Command, Stdio};

use dbsupport::{alembic_bin, driver_available, Kind, Twins};
use migsupport::{gate, Expect, MigProject, Parity, Step};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Template {
    Generic,
    Async,
    Pyproject,
    PyprojectAsync,
}

impl Template {
    fn name(self) -> &'static str {
        match self {
            Template::Generic => "generic",
            Template::Async => "async",
            Template::Pyproject => "pyproject",
            Template::PyprojectAsync => "pyproject_async",
        }
    }

    fn is_async(self) -> bool {
        matches!(self, Template::Async | Template::PyprojectAsync)
    }

    fn is_pyproject(self) -> bool {
        matches!(self, Template::Pyproject | Template::PyprojectAsync)
    }
}

/// The async driver real Alembic needs for `kind`.
fn async_driver(kind: Kind) -> &'static str {
    match kind {
        Kind::Sqlite => "aiosqlite",
        Kind::Postgres => "asyncpg",
        Kind::Mariadb => "asyncmy",
    }
}

/// `url` with the async driver of `kind` (asyncpg takes none of the
/// psycopg2 query options the twins carry, so those go).
fn async_url(url: &str, kind: Kind) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let dialect = scheme.split('+').next().unwrap_or(scheme);
    let rest = if kind == Kind::Postgres {
        rest.split('?').next().unwrap_or(rest)
    } else {
        rest
    };
    format!("{dialect}+{}://{rest}", async_driver(kind))
}

/// `ini` with its `sqlalchemy.url = ` line pointing at `url`.
fn with_url(ini: &str, url: &str) -> String {
    let mut found = false;
    let mut out: String = ini
        .lines()
        .map(|line| {
            if line.starts_with("sqlalchemy.url = ") {
                found = true;
                // ConfigParser interpolation: a literal % is written %%.
                format!("sqlalchemy.url = {}\n", url.replace('%', "%%"))
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    assert!(
        found,
        "alembic init wrote no `sqlalchemy.url = ` line:\n{ini}"
    );
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Options of every TOML type Alembic hands env.py, for the edited
/// pyproject variants (appended to the `[tool.alembic]` table).
const EXTRA_TOML: &str = r#"
revision_environment = true
flag_on = true
flag_text = "true"
an_int = 42
a_list = ["%(here)s/a", "b"]
a_float = 1.5

[tool.alembic.a_dict]
k = "%(here)s/v"

[[tool.alembic.more_hooks]]
name = "x"
type = "y"
"#;

/// Appended to the edited pyproject variants' env.py: prints what
/// `get_alembic_option` / `get_alembic_boolean_option` return, and the
/// errors Alembic raises for values it cannot give.
const PRINT_OPTIONS: &str = r#"

# Edited: print the [tool.alembic] options as this env.py sees them.
for _name in ("script_location", "prepend_sys_path", "revision_environment",
              "an_int", "a_list", "a_dict", "more_hooks", "missing"):
    print(_name, repr(config.get_alembic_option(_name, "DEFAULT")))
print("booleans", config.get_alembic_boolean_option("flag_on"),
      config.get_alembic_boolean_option("missing"))
for _name in ("flag_text", "a_float"):
    try:
        print(_name, config.get_alembic_boolean_option(_name))
    except Exception as _e:
        print(_name, type(_e).__name__, _e)
try:
    print(config.get_alembic_option("a_float"))
except Exception as _e:
    print("a_float", type(_e).__name__, _e)
"#;

/// Runs real `alembic init -t <template> mig` in `dir`.
fn alembic_init(alembic: &Path, template: Template, dir: &Path) {
    let out = Command::new(alembic)
        .args(["init", "-t", template.name(), "mig"])
        .current_dir(dir)
        .env_remove("ALEMBIC_CONFIG")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run alembic init");
    assert!(
        out.status.success(),
        "alembic init -t {} failed:\n{}{}",
        template.name(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A project of `template` with the scripts of `tests/fixtures/migrate/<fixture>`
/// and one ini per twin.
fn project(
    alembic: &Path,
    template: Template,
    edited: bool,
    kind: Kind,
    twins: &Twins,
    fixture: &str,
) -> MigProject {
    let tmp = tempfile::tempdir().expect("tempdir");
    // Symlink-free, so both tools see the same paths.
    let dir = std::fs::canonicalize(tmp.path()).expect("canonicalize");
    alembic_init(alembic, template, &dir);
    let versions = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/migrate")
        .join(fixture)
        .join("migrations/versions");
    for entry in std::fs::read_dir(&versions).expect("read the fixture's versions") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "py") {
            let name = path.file_name().expect("file name");
            std::fs::copy(&path, dir.join("mig/versions").join(name)).expect("copy");
        }
    }
    if edited {
        let env_py = dir.join("mig/env.py");
        let mut text = std::fs::read_to_string(&env_py).expect("read env.py");
        if template.is_pyproject() {
            text.push_str(PRINT_OPTIONS);
            let toml = dir.join("pyproject.toml");
            let mut t = std::fs::read_to_string(&toml).expect("read pyproject.toml");
            // Appended keys land in [tool.alembic] only if it is the last table.
            let headers: Vec<&str> = t.lines().filter(|l| l.starts_with('[')).collect();
            assert_eq!(
                headers,
                ["[tool.alembic]"],
                "unexpected pyproject.toml:\n{t}"
            );
            t.push_str(EXTRA_TOML);
            std::fs::write(&toml, t).expect("write pyproject.toml");
        } else {
            text.push_str("\n# Edited, so that retort runs this env.py in its Python host.\n");
        }
        std::fs::write(&env_py, text).expect("write env.py");
    }
    let mut ini = std::fs::read_to_string(dir.join("alembic.ini")).expect("read alembic.ini");
    if template.is_async() && kind == Kind::Mariadb {
        // asyncmy logs the server's warnings (`Name 'alembic_version_pkc'
        // ignored for PRIMARY key.`) through the root logger; that is the
        // driver talking, which retort does not have, so the ini quiets it
        // for both tools.
        let keys = "keys = root,sqlalchemy,alembic\n";
        assert!(
            ini.contains(keys),
            "unexpected [loggers] in alembic.ini:\n{ini}"
        );
        ini = ini.replacen(keys, "keys = root,sqlalchemy,alembic,asyncmy\n", 1);
        ini.push_str("\n[logger_asyncmy]\nlevel = ERROR\nhandlers =\nqualname = asyncmy\n");
    }
    let url = |u: &str| {
        if template.is_async() {
            async_url(u, kind)
        } else {
            u.to_string()
        }
    };
    let alembic_ini = dir.join("alembic.ini");
    let retort_ini = dir.join("retort.ini");
    std::fs::write(&alembic_ini, with_url(&ini, &url(&twins.alembic_url))).expect("write ini");
    std::fs::write(&retort_ini, with_url(&ini, &url(&twins.retort_url))).expect("write ini");
    MigProject::made(tmp, dir, alembic_ini, retort_ini)
}

/// The commands every template is walked through (then `upgrade head` and
/// `downgrade base` once more, see `Parity::run`).  core_ops is linear:
/// 3f1a9c2e7b01 (first) … d93e57b2a810 (head).
const COMMANDS: &[&str] = &[
    "current",
    "history",
    "history -i",
    "ensure_version",
    "ensure_version --sql",
    "upgrade 8b24d0e6c913",
    "current",
    "show current",
    "history -r current:",
    "history -r :current",
    "upgrade head",
    "current",
    "current --check-heads",
    "stamp 3f1a9c2e7b01",
    "current",
    "!current --check-heads",
    "stamp head",
    "stamp --purge head",
    "downgrade -2",
    "history -i",
    "downgrade base",
    "current",
    "show current",
];

/// A `!` in front of a command Alembic refuses.
fn steps(commands: &[&str]) -> Vec<Step> {
    commands
        .iter()
        .map(|c| match c.strip_prefix('!') {
            Some(rest) => Step::new(rest, Expect::Failure),
            None => Step::new(c, Expect::Success),
        })
        .collect()
}

fn template(kind: Kind, template: Template, edited: bool) {
    let label = format!(
        "alembic init -t {}{}",
        template.name(),
        if edited { " (env.py edited)" } else { "" }
    );
    walk(
        label,
        kind,
        template,
        edited,
        "core_ops",
        Some(steps(COMMANDS)),
    );
}

/// `op.run_async` under the async template: the coroutine runs on the
/// migration's AsyncConnection and writes through it (under the generic
/// template the same script takes Alembic's ValueError path, see
/// `tests/migrate_parity.rs`).  The default walk.
fn run_async(kind: Kind) {
    let label = "alembic init -t async, op.run_async".to_string();
    walk(label, kind, Template::Async, false, "run_async", None);
}

/// A `template` project with `fixture`'s scripts, walked by both tools
/// (`steps`, or the default walk) unless a gate, tool or driver is missing.
fn walk(
    label: String,
    kind: Kind,
    template: Template,
    edited: bool,
    fixture: &str,
    steps: Option<Vec<Step>>,
) {
    if !gate(&label) {
        return;
    }
    let Some(alembic) = alembic_bin() else { return };
    if template.is_async() && !driver_available(&alembic, async_driver(kind)) {
        return;
    }
    let Some(twins) = Twins::create(kind, &alembic) else {
        return;
    };
    let mut project = project(&alembic, template, edited, kind, &twins, fixture);
    project.steps = steps;
    Parity::new(label, kind, &twins, project, alembic).run();
}

#[test]
fn sqlite_async_run_async() {
    run_async(Kind::Sqlite);
}

#[test]
fn postgres_async_run_async() {
    run_async(Kind::Postgres);
}

#[test]
fn mariadb_async_run_async() {
    run_async(Kind::Mariadb);
}

macro_rules! template_tests {
    ($($test:ident: $kind:ident $template:ident $edited:literal;)*) => {
        $(
            #[test]
            fn $test() {
                template(Kind::$kind, Template::$template, $edited);
            }
        )*
    };
}

template_tests! {
    sqlite_generic: Sqlite Generic false;
    sqlite_generic_edited: Sqlite Generic true;
    sqlite_async: Sqlite Async false;
    sqlite_async_edited: Sqlite Async true;
    sqlite_pyproject: Sqlite Pyproject false;
    sqlite_pyproject_edited: Sqlite Pyproject true;
    sqlite_pyproject_async: Sqlite PyprojectAsync false;
    postgres_generic: Postgres Generic false;
    postgres_generic_edited: Postgres Generic true;
    postgres_async: Postgres Async false;
    postgres_async_edited: Postgres Async true;
    postgres_pyproject: Postgres Pyproject false;
    postgres_pyproject_edited: Postgres Pyproject true;
    postgres_pyproject_async: Postgres PyprojectAsync false;
    mariadb_generic: Mariadb Generic false;
    mariadb_generic_edited: Mariadb Generic true;
    mariadb_async: Mariadb Async false;
    mariadb_async_edited: Mariadb Async true;
    mariadb_pyproject: Mariadb Pyproject false;
    mariadb_pyproject_edited: Mariadb Pyproject true;
    mariadb_pyproject_async: Mariadb PyprojectAsync false;
}

/// The database commands that read the version table through env.py,
/// with an env.py that is no template: the bundled example's.
const HOMEGPU_COMMANDS: &[&str] = &[
    "current",
    "history -i",
    "show current",
    "ensure_version",
    "ensure_version --sql",
    "upgrade +1",
    "history -i",
    "history -v -i",
    "history -r current:",
    "history -r base:current",
    "show current",
    "upgrade head",
    "current --check-heads",
    "history -r current:heads",
    "stamp base",
    "!current --check-heads",
    "show current",
    "history -r :current",
    "stamp --purge heads",
    "current --check-heads",
];

fn homegpu(kind: Kind) {
    let label = "examples/homegpu/backend (database commands)".to_string();
    if !gate(&label) {
        return;
    }
    let Some(alembic) = alembic_bin() else { return };
    let Some(twins) = Twins::create(kind, &alembic) else {
        return;
    };
    let mut project = MigProject::homegpu(&twins);
    project.steps = Some(steps(HOMEGPU_COMMANDS));
    Parity::new(label, kind, &twins, project, alembic).run();
}

#[test]
fn sqlite_homegpu_db_commands() {
    homegpu(Kind::Sqlite);
}

#[test]
fn postgres_homegpu_db_commands() {
    homegpu(Kind::Postgres);
}

#[test]
fn mariadb_homegpu_db_commands() {
    homegpu(Kind::Mariadb);
}
