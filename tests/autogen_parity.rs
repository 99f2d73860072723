//! `revision --autogenerate` and `check` against real Alembic on SQLite,
//! PostgreSQL and MariaDB.  Each scenario: a base model applied by Alembic,
//! then a changed model; both tools compare it with the same database and
//! must agree on `check` (stdout, addresses of objects aside, and exit code)
//! and write the same migration (apart from `Create Date`).  The migration
//! is then applied by retort (`check` clean with both tools) and downgraded
//! (the base model clean again).

#[path = "dbsupport/mod.rs"]
mod dbsupport;

use std::fs;
use std::path::{Path, PathBuf};

use dbsupport::{alembic_bin, retort_bin, run_tool, Alembic, Kind, Outcome, Twins};

/// One model change: the models before and after (the body of `models.py`
/// after `import sqlalchemy as sa` and `metadata = sa.MetaData(...)`), and
/// the dialects it runs on.
struct Scenario {
    name: &'static str,
    base: &'static str,
    changed: &'static str,
    dialects: &'static [Kind],
}

const ALL: &[Kind] = &[Kind::Sqlite, Kind::Postgres, Kind::Mariadb];

const USER: &str = r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
)
"#;

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "add_table",
        base: "",
        changed: USER,
        dialects: ALL,
    },
    Scenario {
        name: "drop_table",
        base: USER,
        changed: "",
        dialects: ALL,
    },
    Scenario {
        name: "add_column",
        base: USER,
        changed: r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("email", sa.String(100), nullable=True),
)
"#,
        dialects: ALL,
    },
    Scenario {
        name: "drop_column",
        base: r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("email", sa.String(100), nullable=True),
)
"#,
        changed: USER,
        dialects: &[Kind::Postgres, Kind::Mariadb],
    },
    Scenario {
        name: "nullable",
        base: USER,
        changed: r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=True),
)
"#,
        dialects: &[Kind::Postgres, Kind::Mariadb],
    },
    Scenario {
        name: "type_length",
        base: USER,
        changed: r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(120), nullable=False),
)
"#,
        dialects: &[Kind::Postgres, Kind::Mariadb],
    },
    Scenario {
        name: "index",
        base: USER,
        changed: r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, index=True),
)
"#,
        dialects: ALL,
    },
    Scenario {
        name: "unique_constraint",
        base: USER,
        changed: r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
    sa.UniqueConstraint("name", name="uq_user_name"),
)
"#,
        dialects: &[Kind::Postgres, Kind::Mariadb],
    },
    Scenario {
        name: "foreign_key_on_delete",
        base: USER,
        changed: r#"
user = sa.Table("user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
)
post = sa.Table("post", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
    sa.Column("title", sa.Text(), comment="the title"),
    sa.Index("ix_post_user_title", "user_id", "title", mysql_length={"title": 20}),
)
"#,
        dialects: ALL,
    },
];

/// env.py's `fileConfig`: warnings only, on stderr.
const LOGGING: &str = "
[loggers]
keys = root
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = WARNING
handlers = console
[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic
[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
";

/// Twin project directories (`a/` for Alembic, `r/` for retort) on one
/// database.
struct Projects {
    _dir: tempfile::TempDir,
    a: PathBuf,
    r: PathBuf,
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("parent dir");
    }
    fs::write(path, text).expect("write");
}

impl Projects {
    fn new(alembic: &Path, url: &str) -> Projects {
        let dir = tempfile::tempdir().expect("temp dir");
        let templates = alembic
            .parent()
            .and_then(Path::parent)
            .expect("venv")
            .join("lib/python3.11/site-packages/alembic/templates/generic");
        let env = fs::read_to_string(templates.join("env.py")).expect("env.py");
        let env = env.replace(
            "target_metadata = None",
            "import models\ntarget_metadata = models.metadata",
        );
        let mako = fs::read_to_string(templates.join("script.py.mako")).expect("mako");
        let ini = format!(
            "[alembic]\nscript_location = mig\nprepend_sys_path = .\nsqlalchemy.url = {url}\n{LOGGING}"
        );
        let a = dir.path().join("a");
        let r = dir.path().join("r");
        for side in [&a, &r] {
            write(&side.join("alembic.ini"), &ini);
            write(&side.join("mig/env.py"), &env);
            write(&side.join("mig/script.py.mako"), &mako);
            fs::create_dir_all(side.join("mig/versions")).expect("versions");
        }
        Projects { _dir: dir, a, r }
    }

    fn models(&self, body: &str) {
        let text = format!("import sqlalchemy as sa\n\nmetadata = sa.MetaData()\n{body}");
        for side in [&self.a, &self.r] {
            write(&side.join("models.py"), &text);
            // A stale bytecode file must not stand in for the new model.
            let _ = fs::remove_dir_all(side.join("__pycache__"));
        }
    }

    fn version(&self, side: &Path, rev: &str) -> PathBuf {
        side.join(format!("mig/versions/{rev}_{rev}.py"))
    }
}

fn without_create_date(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("Create Date:"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Object addresses (`<… object at 0x…>`) differ from run to run.
fn without_addresses(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(" at 0x") {
        out.push_str(&rest[..i]);
        rest = rest[i + 6..].trim_start_matches(|c: char| c.is_ascii_hexdigit());
    }
    out.push_str(rest);
    out
}

fn ok(o: &Outcome, what: &str) {
    assert_eq!(o.code, Some(0), "{what}: {}\n{}", o.stdout, o.stderr);
}

struct Run<'a> {
    alembic: Alembic,
    p: &'a Projects,
}

impl Run<'_> {
    fn alembic(&mut self, args: &[&str]) -> Outcome {
        let ini = self.p.a.join("alembic.ini");
        self.alembic.run(&self.p.a, &ini, args)
    }

    fn retort(&self, args: &[&str]) -> Outcome {
        run_tool(
            &retort_bin(),
            &self.p.r,
            &self.p.r.join("alembic.ini"),
            args,
        )
    }

    /// `check` by both tools: the same verdict, stdout and exit code.
    fn same_check(&mut self, scenario: &str, when: &str) -> Outcome {
        let a = self.alembic(&["check"]);
        let r = self.retort(&["check"]);
        assert_eq!(
            (r.code, without_addresses(&r.stdout)),
            (a.code, without_addresses(&a.stdout)),
            "{scenario}: check {when}\nretort stderr: {}\nalembic stderr: {}",
            r.stderr,
            a.stderr
        );
        a
    }
}

fn reset(twins: &Twins, kind: Kind) {
    let statements: Vec<String> = match kind {
        Kind::Sqlite => {
            let path = twins.alembic_url.trim_start_matches("sqlite:///");
            let _ = fs::remove_file(path);
            return;
        }
        // Every table the scenarios make, dropped together (foreign keys
        // between them allow it).
        Kind::Postgres => {
            vec!["DROP TABLE IF EXISTS post, \"user\", alembic_version CASCADE".to_string()]
        }
        Kind::Mariadb => vec!["DROP TABLE IF EXISTS post, user, alembic_version".to_string()],
    };
    for sql in statements {
        let errors: Vec<_> = twins
            .execute_both(&sql)
            .into_iter()
            .filter(|e| e.contains("alembic's"))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
}

fn suite(kind: Kind) {
    let Some(alembic) = alembic_bin() else { return };
    let Some(twins) = Twins::create(kind, &alembic) else {
        return;
    };
    // The ini interpolates `%`: the URL's escapes are doubled.
    let projects = Projects::new(&alembic, &twins.alembic_url.replace('%', "%%"));
    let mut run = Run {
        alembic: Alembic::new(alembic.clone()),
        p: &projects,
    };
    for s in SCENARIOS.iter().filter(|s| s.dialects.contains(&kind)) {
        reset(&twins, kind);
        for side in [&projects.a, &projects.r] {
            for f in fs::read_dir(side.join("mig/versions"))
                .expect("versions")
                .flatten()
            {
                let _ = fs::remove_file(f.path());
            }
        }
        // The base model, applied by Alembic.
        projects.models(s.base);
        ok(
            &run.alembic(&["revision", "--autogenerate", "-m", "b0", "--rev-id", "b0"]),
            s.name,
        );
        ok(&run.alembic(&["upgrade", "head"]), s.name);
        fs::copy(
            projects.version(&projects.a, "b0"),
            projects.version(&projects.r, "b0"),
        )
        .expect("copy base");

        projects.models(s.changed);
        let verdict = run.same_check(s.name, "before the revision");
        assert_ne!(
            verdict.code,
            Some(0),
            "{}: the change is not detected",
            s.name
        );

        let args = ["revision", "--autogenerate", "-m", "chg", "--rev-id", "chg"];
        ok(&run.alembic(&args), s.name);
        let r = run.retort(&args);
        ok(&r, s.name);
        let written = |side: &Path| {
            without_create_date(&fs::read_to_string(projects.version(side, "chg")).expect("chg"))
        };
        assert_eq!(
            written(&projects.r),
            written(&projects.a),
            "{}: the generated migration differs",
            s.name
        );

        // Applied by retort, nothing is left to generate.
        ok(&run.retort(&["upgrade", "head"]), s.name);
        let after = run.same_check(s.name, "after upgrade");
        assert_eq!(
            after.code,
            Some(0),
            "{}: drift after upgrade: {}",
            s.name,
            after.stdout
        );

        // Downgraded by retort, the database is the base model again.
        ok(&run.retort(&["downgrade", "-1"]), s.name);
        for side in [&projects.a, &projects.r] {
            fs::remove_file(projects.version(side, "chg")).expect("remove chg");
        }
        projects.models(s.base);
        let back = run.same_check(s.name, "after downgrade");
        assert_eq!(
            back.code,
            Some(0),
            "{}: drift after downgrade: {}",
            s.name,
            back.stdout
        );
    }
}

#[test]
fn autogenerate_sqlite() {
    suite(Kind::Sqlite);
}

#[test]
fn autogenerate_postgresql() {
    suite(Kind::Postgres);
}

#[test]
fn autogenerate_mariadb() {
    suite(Kind::Mariadb);
}
