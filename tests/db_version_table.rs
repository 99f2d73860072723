//! The database layer against real servers: PostgreSQL (127.0.0.1:5432,
//! user `postgres`, trust auth), MariaDB (127.0.0.1:3306, `root`, empty
//! password) and SQLite (a temporary file).
//!
//! Each test works in scratch databases it creates with a unique name and
//! drops when it ends, also when it fails.  Where Alembic's behaviour is the
//! reference, real Alembic runs on a twin scratch database and the results
//! are compared: the version table's reflected definition (information_schema
//! / `SHOW CREATE TABLE` / `sqlite_master`), its rows, and the wording of the
//! one-row check.
//!
//! Environment:
//! * `RETORT_ALEMBIC` — Alembic's console script (default `<crate>/.venv/bin/alembic`);
//!   its interpreter needs `psycopg2` and `pymysql` for the server comparisons.
//! * `RETORT_TEST_PG_URL`, `RETORT_TEST_MYSQL_URL` — the admin URLs
//!   (defaults `postgresql://postgres@127.0.0.1:5432/postgres`, `mysql://root@127.0.0.1:3306/`).
//! * `RETORT_TEST_SHOW=1` — print each reflected version-table definition.
//! * A missing server or tool fails the test when `CI=true`; otherwise the
//!   test prints a loud SKIPPED banner and passes without checking.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use retort::db::{Db, DbError, DbUrl, Dialect, VersionTable};

mod dbsupport;
use dbsupport::{alembic_bin, driver_available, skip};

// ---------------------------------------------------------------- harness

fn url(s: &str) -> DbUrl {
    DbUrl::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn connect(s: &str) -> Db {
    Db::connect(&url(s)).unwrap_or_else(|e| panic!("{e}"))
}

fn unique(tag: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "retort_t_{tag}_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// One server we can create scratch databases on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Server {
    Postgres,
    Mariadb,
}

impl Server {
    fn admin_url(self) -> String {
        let (var, default) = match self {
            Server::Postgres => (
                "RETORT_TEST_PG_URL",
                "postgresql://postgres@127.0.0.1:5432/postgres",
            ),
            Server::Mariadb => ("RETORT_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/"),
        };
        std::env::var(var).unwrap_or_else(|_| default.to_string())
    }

    /// The admin URL with another database.
    fn url_for(self, db: &str) -> String {
        let mut u = url(&self.admin_url());
        u.database = Some(db.to_string());
        u.render_with_password()
    }

    /// The same database through the Python driver real Alembic uses.
    fn alembic_url_for(self, db: &str) -> String {
        let mut u = url(&self.admin_url());
        u.database = Some(db.to_string());
        u.drivername = match self {
            Server::Postgres => "postgresql+psycopg2".into(),
            Server::Mariadb => "mysql+pymysql".into(),
        };
        u.render_with_password()
    }

    /// Connect as admin, or skip (fail on CI) when the server is not there.
    fn admin(self) -> Option<Db> {
        let u = url(&self.admin_url());
        match Db::connect(&u) {
            Ok(db) => Some(db),
            Err(e) => {
                skip(&format!("{self:?} server not reachable: {e}"));
                None
            }
        }
    }
}

/// A scratch database, dropped on drop (also when the test panics).
struct Scratch {
    server: Server,
    name: String,
}

impl Scratch {
    fn create(server: Server, tag: &str) -> Option<Scratch> {
        let mut admin = server.admin()?;
        let name = unique(tag);
        admin
            .execute(&format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("{e}"));
        Some(Scratch { server, name })
    }

    fn url(&self) -> String {
        self.server.url_for(&self.name)
    }

    fn alembic_url(&self) -> String {
        self.server.alembic_url_for(&self.name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let sql = match self.server {
            Server::Postgres => format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            Server::Mariadb => format!("DROP DATABASE IF EXISTS {}", self.name),
        };
        match Db::connect(&url(&self.server.admin_url())) {
            Ok(mut admin) => {
                if let Err(e) = admin.execute(&sql) {
                    eprintln!("could not drop scratch database {}: {e}", self.name);
                }
            }
            Err(e) => eprintln!("could not drop scratch database {}: {e}", self.name),
        }
    }
}

// ------------------------------------------------------------ real Alembic

/// A throwaway Alembic project: env.py takes the version table settings
/// from `-x version_table=… -x schema=… -x pk=0|1`; revisions a1 → a2.
struct AlembicProject {
    dir: tempfile::TempDir,
    bin: PathBuf,
}

const ENV_PY: &str = r#"
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
x = context.get_x_argument(as_dictionary=True)
engine = engine_from_config(
    config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool
)
with engine.connect() as connection:
    context.configure(
        connection=connection,
        version_table=x.get("version_table", "alembic_version"),
        version_table_schema=x.get("schema") or None,
        version_table_pk=x.get("pk", "1") == "1",
    )
    with context.begin_transaction():
        context.run_migrations()
"#;

impl AlembicProject {
    fn new(bin: PathBuf, sqlalchemy_url: &str) -> AlembicProject {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let versions = root.join("migrations/versions");
        std::fs::create_dir_all(&versions).expect("mkdir");
        std::fs::write(
            root.join("alembic.ini"),
            format!(
                "[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = {}\n",
                sqlalchemy_url.replace('%', "%%")
            ),
        )
        .expect("write ini");
        std::fs::write(root.join("migrations/env.py"), ENV_PY).expect("write env.py");
        for (rev, down) in [("a1", "None"), ("a2", "'a1'")] {
            std::fs::write(
                versions.join(format!("{rev}.py")),
                format!(
                    "revision = '{rev}'\ndown_revision = {down}\nbranch_labels = None\n\
                     depends_on = None\n\ndef upgrade():\n    pass\n\n\
                     def downgrade():\n    pass\n"
                ),
            )
            .expect("write revision");
        }
        AlembicProject { dir, bin }
    }

    /// Run `alembic -x … <args>`; returns (exit code, stdout, stderr).
    fn run(&self, t: &VersionTable, args: &[&str]) -> (i32, String, String) {
        let mut cmd = Command::new(&self.bin);
        cmd.arg("-c").arg(self.dir.path().join("alembic.ini"));
        cmd.args(["-x", &format!("version_table={}", t.name)]);
        if let Some(schema) = &t.schema {
            cmd.args(["-x", &format!("schema={schema}")]);
        }
        cmd.args(["-x", if t.pk { "pk=1" } else { "pk=0" }]);
        cmd.args(args)
            .env_remove("ALEMBIC_CONFIG")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null());
        let out = cmd.output().expect("run alembic");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn run_ok(&self, t: &VersionTable, args: &[&str]) {
        let (code, out, err) = self.run(t, args);
        assert_eq!(code, 0, "alembic {args:?} failed:\n{out}\n{err}");
    }
}

// ------------------------------------------------------------- reflection

fn lit(s: &str) -> String {
    s.replace('\'', "''")
}

/// The table's definition as the database reports it, as comparable text.
fn reflect(db: &mut Db, t: &VersionTable) -> String {
    let rows = match db.dialect() {
        Dialect::Postgresql => {
            let schema = t.schema.clone().unwrap_or_else(|| "public".to_string());
            let mut rows = db
                .query_strings(&format!(
                    "SELECT column_name, data_type, character_maximum_length::text, is_nullable, \
                     column_default FROM information_schema.columns \
                     WHERE table_schema = '{}' AND table_name = '{}' ORDER BY ordinal_position",
                    lit(&schema),
                    lit(&t.name)
                ))
                .expect("columns");
            rows.extend(
                db.query_strings(&format!(
                    "SELECT tc.constraint_name, tc.constraint_type, kcu.column_name \
                     FROM information_schema.table_constraints tc \
                     JOIN information_schema.key_column_usage kcu \
                       ON kcu.constraint_schema = tc.constraint_schema \
                      AND kcu.constraint_name = tc.constraint_name \
                     WHERE tc.table_schema = '{}' AND tc.table_name = '{}' \
                     ORDER BY 1, 3",
                    lit(&schema),
                    lit(&t.name)
                ))
                .expect("constraints"),
            );
            rows
        }
        Dialect::Mysql => db
            .query_strings(&format!(
                "SHOW CREATE TABLE `{}`",
                t.name.replace('`', "``")
            ))
            .expect("show create table"),
        Dialect::Sqlite => db
            .query_strings(&format!(
                "SELECT type, name, tbl_name, sql FROM sqlite_master \
                 WHERE tbl_name = '{}' ORDER BY name",
                lit(&t.name)
            ))
            .expect("sqlite_master"),
    };
    assert!(!rows.is_empty(), "table {} not found", t.name);
    format!("{rows:?}")
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

// ------------------------------------------------------------------ suite

/// A target for the suite: how to reach the retort database and its twin.
struct Target {
    retort_url: String,
    /// URL of the twin for real Alembic (None: no comparison possible).
    alembic_url: Option<String>,
    alembic: Option<PathBuf>,
}

fn prepare_alembic(module: &str) -> Option<PathBuf> {
    let bin = alembic_bin()?;
    driver_available(&bin, module).then_some(bin)
}

/// Everything the version table must do, on one dialect.
fn version_table_suite(target: &Target, tables: &[VersionTable]) {
    let mut db = connect(&target.retort_url);
    let twin = match (&target.alembic, &target.alembic_url) {
        (Some(bin), Some(u)) => Some((AlembicProject::new(bin.clone(), u), connect_twin(u))),
        _ => None,
    };
    let mut twin = twin;

    for t in tables {
        // Missing table: no rows, and reading does not create it.
        assert!(!t.exists(&mut db).unwrap(), "{t:?}");
        assert_eq!(t.rows(&mut db).unwrap(), Vec::<String>::new());
        assert!(!t.exists(&mut db).unwrap());

        // ensure creates once.
        assert!(t.ensure(&mut db).unwrap(), "created");
        assert!(t.exists(&mut db).unwrap());
        assert!(!t.ensure(&mut db).unwrap(), "already there");
        assert!(!db.in_transaction());

        // Same definition as real Alembic creates.
        if let Some((project, alembic_db)) = twin.as_mut() {
            // `stamp` creates the table (as `ensure_version` would) and
            // inserts the row.
            project.run_ok(t, &["stamp", "a1"]);
            let ours = reflect(&mut db, t);
            if std::env::var_os("RETORT_TEST_SHOW").is_some() {
                eprintln!("{:?} {t:?}:\n  {ours}", db.dialect());
            }
            assert_eq!(
                ours,
                reflect(alembic_db, t),
                "version table {t:?} differs from Alembic's"
            );
        }
        t.insert(&mut db, "a1").unwrap();
        if let Some((_, alembic_db)) = twin.as_mut() {
            assert_eq!(t.rows(alembic_db).unwrap(), ["a1"]);
        }

        // Rows round-trip.
        assert_eq!(t.rows(&mut db).unwrap(), ["a1"]);
        t.insert(&mut db, "b1").unwrap();
        assert_eq!(sorted(t.rows(&mut db).unwrap()), ["a1", "b1"]);
        t.update(&mut db, "a1", "a2").unwrap();
        assert_eq!(sorted(t.rows(&mut db).unwrap()), ["a2", "b1"]);
        t.delete(&mut db, "b1").unwrap();
        assert_eq!(t.rows(&mut db).unwrap(), ["a2"]);

        // The one-row checks, with Alembic's messages.
        let e = t.update(&mut db, "zz", "yy").unwrap_err();
        assert!(matches!(e, DbError::UnexpectedRowCount { found: 0, .. }));
        assert_eq!(
            e.to_string(),
            format!(
                "Online migration expected to match one row when updating 'zz' to 'yy' in '{}'; 0 found",
                t.name
            )
        );
        let e = t.delete(&mut db, "zz").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "Online migration expected to match one row when deleting 'zz' in '{}'; 0 found",
                t.name
            )
        );
        assert_eq!(t.rows(&mut db).unwrap(), ["a2"]);

        // Transactions: a rolled back insert is gone, a committed one stays.
        db.begin().unwrap();
        t.insert(&mut db, "tx1").unwrap();
        db.rollback().unwrap();
        assert_eq!(t.rows(&mut db).unwrap(), ["a2"]);
        db.begin().unwrap();
        assert!(db.begin().is_err(), "nested begin");
        t.insert(&mut db, "tx2").unwrap();
        db.commit().unwrap();
        assert_eq!(sorted(t.rows(&mut db).unwrap()), ["a2", "tx2"]);

        // stamp --purge
        assert_eq!(t.delete_all(&mut db).unwrap(), 2);
        assert_eq!(t.rows(&mut db).unwrap(), Vec::<String>::new());
        assert!(t.exists(&mut db).unwrap());
    }

    // Without the primary key, duplicate rows make the checks count them;
    // the message must be the one real Alembic prints for the same state.
    let t = VersionTable::new("alembic_version_nopk", None, false);
    t.ensure(&mut db).unwrap();
    t.insert(&mut db, "a1").unwrap();
    t.insert(&mut db, "a1").unwrap();
    let ours = t.update(&mut db, "a1", "a2").unwrap_err().to_string();
    assert_eq!(
        ours,
        "Online migration expected to match one row when updating 'a1' to 'a2' in 'alembic_version_nopk'; 2 found"
    );
    // The failed UPDATE still ran (Alembic checks afterwards; the caller's
    // transaction decides): both rows moved.
    assert_eq!(t.rows(&mut db).unwrap(), ["a2", "a2"]);
    let ours_delete = t.delete(&mut db, "a2").unwrap_err().to_string();
    assert_eq!(
        ours_delete,
        "Online migration expected to match one row when deleting 'a2' in 'alembic_version_nopk'; 2 found"
    );
    if let Some((project, alembic_db)) = twin.as_mut() {
        project.run_ok(&t, &["ensure_version"]);
        assert_eq!(reflect(&mut db, &t), reflect(alembic_db, &t));
        t.insert(alembic_db, "a1").unwrap();
        t.insert(alembic_db, "a1").unwrap();
        let (code, out, err) = project.run(&t, &["stamp", "a2"]);
        assert_eq!(code, 255, "alembic should fail:\n{out}\n{err}");
        assert_eq!(out.trim(), format!("FAILED: {ours}"));
    }

    // Plain execute / query_strings.
    let n = db
        .execute("CREATE TABLE retort_probe (a INTEGER, b VARCHAR(10))")
        .unwrap();
    assert_eq!(n, 0);
    assert_eq!(
        db.execute("INSERT INTO retort_probe (a, b) VALUES (1, 'x'), (2, NULL)")
            .unwrap(),
        2
    );
    assert_eq!(
        db.query_strings("SELECT a, b FROM retort_probe ORDER BY a")
            .unwrap(),
        vec![
            vec![Some("1".to_string()), Some("x".to_string())],
            vec![Some("2".to_string()), None]
        ]
    );
    let e = db.execute("SELECT * FROM no_such_table_here").unwrap_err();
    match &e {
        DbError::Statement { statement, url, .. } => {
            assert_eq!(statement, "SELECT * FROM no_such_table_here");
            assert!(!url.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert!(e
        .to_string()
        .contains("[SQL: SELECT * FROM no_such_table_here]"));
    db.close().unwrap();
}

fn connect_twin(u: &str) -> Db {
    // The twin is reached by retort too (to read it back), through the
    // dialect without the Python driver name.
    let mut parsed = url(u);
    parsed.drivername = parsed.dialect.name().to_string();
    Db::connect(&parsed).unwrap_or_else(|e| panic!("{e}"))
}

fn custom_tables(schema: Option<&str>) -> Vec<VersionTable> {
    let mut v = vec![
        VersionTable::default(),
        VersionTable::new("MyVersions", None, true),
        VersionTable::new("order", None, true),
    ];
    if let Some(s) = schema {
        v.push(VersionTable::new(
            "alembic_version",
            Some(s.to_string()),
            true,
        ));
        v.push(VersionTable::new(
            "Custom Versions",
            Some(s.to_string()),
            true,
        ));
    }
    v
}

// ------------------------------------------------------------------ tests

#[test]
fn postgresql_version_table() {
    let Some(scratch) = Scratch::create(Server::Postgres, "pg") else {
        return;
    };
    let Some(twin) = Scratch::create(Server::Postgres, "pgtwin") else {
        return;
    };
    let schema = "Other Schema";
    for s in [&scratch, &twin] {
        let mut db = connect(&s.url());
        db.execute(&format!("CREATE SCHEMA \"{schema}\"")).unwrap();
    }
    let alembic = prepare_alembic("psycopg2");
    let target = Target {
        retort_url: scratch.url(),
        alembic_url: Some(twin.alembic_url()),
        alembic,
    };
    version_table_suite(&target, &custom_tables(Some(schema)));

    // libpq-style query parameters reach the session.
    let mut db = connect(&format!(
        "{}?application_name=retort-test&options=-c%20search_path%3D%22{}%22,public",
        scratch.url(),
        schema.replace(' ', "%5C%20")
    ));
    assert_eq!(
        db.query_strings(
            "SELECT current_setting('application_name'), current_setting('search_path')"
        )
        .unwrap(),
        vec![vec![
            Some("retort-test".to_string()),
            Some(format!("\"{schema}\",public"))
        ]]
    );
    // On the search path, the schema's table is found without naming it.
    let in_schema = VersionTable::new("alembic_version", None, true);
    assert!(in_schema.exists(&mut db).unwrap());
}

#[test]
fn mariadb_version_table() {
    let Some(scratch) = Scratch::create(Server::Mariadb, "my") else {
        return;
    };
    let Some(twin) = Scratch::create(Server::Mariadb, "mytwin") else {
        return;
    };
    let db = connect(&scratch.url());
    assert!(
        db.backend().mariadb,
        "MariaDB is detected from the server: {}",
        db.server_version()
    );
    drop(db);
    // The session is the one pymysql would get: sqlx's own sql_mode
    // additions and UTC time zone are not applied; sql_mode and
    // init_command from the URL are.
    let mut db = connect(&scratch.url());
    let rows = db
        .query_strings("SELECT @@SESSION.sql_mode, @@SESSION.time_zone, @@GLOBAL.sql_mode")
        .unwrap();
    let row = &rows[0];
    assert_eq!(row[0], row[2], "session sql_mode untouched");
    assert_eq!(row[1].as_deref(), Some("SYSTEM"));
    drop(db);
    let mut db = connect(&format!(
        "{}?sql_mode=ANSI_QUOTES&init_command=SET%20%40retort_probe%20%3D%2042",
        scratch.url()
    ));
    assert_eq!(
        db.query_strings("SELECT @@SESSION.sql_mode, @retort_probe")
            .unwrap(),
        vec![vec![
            Some("ANSI_QUOTES".to_string()),
            Some("42".to_string())
        ]]
    );
    drop(db);
    let alembic = prepare_alembic("pymysql");
    let target = Target {
        retort_url: scratch.url(),
        alembic_url: Some(twin.alembic_url()),
        alembic,
    };
    version_table_suite(&target, &custom_tables(None));
}

#[test]
fn sqlite_version_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ours = dir.path().join("retort.db");
    let theirs = dir.path().join("alembic.db");
    let alembic = prepare_alembic("sqlite3");
    let target = Target {
        retort_url: format!("sqlite:///{}", ours.display()),
        alembic_url: Some(format!("sqlite:///{}", theirs.display())),
        alembic,
    };
    version_table_suite(&target, &custom_tables(None));
    assert!(ours.is_file());
}

#[test]
fn sqlite_memory_and_uri_forms() {
    let mut db = connect("sqlite://");
    let t = VersionTable::default();
    t.ensure(&mut db).unwrap();
    t.insert(&mut db, "m1").unwrap();
    assert_eq!(t.rows(&mut db).unwrap(), ["m1"]);

    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("ro.db");
    {
        let mut db = connect(&format!("sqlite:///{}", file.display()));
        t.ensure(&mut db).unwrap();
        t.insert(&mut db, "r1").unwrap();
    }
    // uri=true passes mode=ro to SQLite itself: reads work, writes fail.
    let mut ro = connect(&format!(
        "sqlite:///file:{}?mode=ro&uri=true",
        file.display()
    ));
    assert_eq!(t.rows(&mut ro).unwrap(), ["r1"]);
    let e = t.insert(&mut ro, "r2").unwrap_err();
    assert!(e.to_string().contains("readonly"), "{e}");
    // isolation_level sets the BEGIN used.
    let mut imm = connect(&format!(
        "sqlite:///{}?isolation_level=IMMEDIATE",
        file.display()
    ));
    imm.begin().unwrap();
    t.insert(&mut imm, "r3").unwrap();
    imm.commit().unwrap();
    assert_eq!(sorted(t.rows(&mut imm).unwrap()), ["r1", "r3"]);
    // Foreign keys stay off, as with pysqlite.
    assert_eq!(
        imm.query_strings("PRAGMA foreign_keys").unwrap(),
        vec![vec![Some("0".to_string())]]
    );
}

/// `can't connect to <masked url>: <reason>`, one line, no password.
fn assert_connect_error(u: &str, password: Option<&str>, reason_starts: &str) {
    let parsed = url(u);
    let e = match Db::connect(&parsed) {
        Ok(_) => panic!("{u}: connected"),
        Err(e) => e,
    };
    let msg = e.to_string();
    assert!(matches!(e, DbError::Connect { .. }), "{u}: {e:?}");
    let prefix = format!("can't connect to {}: ", parsed.masked());
    assert!(
        msg.starts_with(&prefix),
        "{msg:?} should start with {prefix:?}"
    );
    let reason = &msg[prefix.len()..];
    assert!(
        reason.starts_with(reason_starts),
        "{msg:?}: reason should start with {reason_starts:?}"
    );
    assert!(!msg.contains('\n'), "one line: {msg:?}");
    if let Some(p) = password {
        assert!(!msg.contains(p), "password leaked: {msg}");
        assert!(!format!("{e:?}").contains(p), "password leaked: {e:?}");
    }
}

#[test]
fn connection_failures_are_one_masked_line() {
    // Nothing listens on port 1.
    assert_connect_error(
        "postgresql://postgres:Sekr1t@127.0.0.1:1/x",
        Some("Sekr1t"),
        "connection refused",
    );
    assert_eq!(
        Db::connect(&url("postgresql://postgres:Sekr1t@127.0.0.1:1/x"))
            .unwrap_err()
            .to_string(),
        "can't connect to postgresql://postgres:***@127.0.0.1:1/x: connection refused"
    );
    assert_connect_error(
        "mysql+pymysql://root:Sekr1t@127.0.0.1:1/x",
        Some("Sekr1t"),
        "connection refused",
    );
    // A file in a directory that does not exist.
    assert_connect_error(
        "sqlite:////nonexistent-retort-dir/x.db",
        None,
        "unable to open database file",
    );
    // connect_timeout is honoured (a non-routable address would hang; use a
    // listener that never answers instead).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    assert_connect_error(
        &format!("postgresql://postgres@127.0.0.1:{port}/x?connect_timeout=1"),
        None,
        "timed out after 1s",
    );
    drop(listener);
}

#[test]
fn postgresql_missing_database() {
    if Server::Postgres.admin().is_none() {
        return;
    }
    let missing = unique("missing");
    let u = Server::Postgres.url_for(&missing);
    assert_connect_error(&u, None, &format!("database \"{missing}\" does not exist"));
}

#[test]
fn mariadb_missing_database_and_wrong_password() {
    let Some(mut admin) = Server::Mariadb.admin() else {
        return;
    };
    let missing = unique("missing");
    assert_connect_error(
        &Server::Mariadb.url_for(&missing),
        None,
        &format!("Unknown database '{missing}'"),
    );

    let user = unique("u");
    struct DropUser<'a>(&'a mut Db, String);
    impl Drop for DropUser<'_> {
        fn drop(&mut self) {
            let _ = self
                .0
                .execute(&format!("DROP USER IF EXISTS '{}'@'%'", self.1));
        }
    }
    admin
        .execute(&format!(
            "CREATE USER '{user}'@'%' IDENTIFIED BY 'right-pw'"
        ))
        .unwrap();
    let guard = DropUser(&mut admin, user.clone());
    let mut base = url(&Server::Mariadb.admin_url());
    base.username = Some(user.clone());
    base.password = Some("wr0ng:p@ss/w".to_string());
    let wrong = base.render_with_password();
    assert_connect_error(
        &wrong,
        Some("wr0ng:p@ss/w"),
        &format!("Access denied for user '{user}'@"),
    );
    // Encoded in the URL, the masked text never shows any of it.
    assert!(wrong.contains("wr0ng%3Ap%40ss%2Fw"), "{wrong}");
    assert_connect_error(&wrong, Some("wr0ng%3Ap%40ss%2Fw"), "Access denied");
    // The right password works.
    base.password = Some("right-pw".to_string());
    let mut ok = Db::connect(&base).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        ok.query_strings("SELECT 1").unwrap(),
        vec![vec![Some("1".to_string())]]
    );
    drop(ok);
    drop(guard);
}

#[test]
fn mariadb_url_against_mariadb_and_tls_refusals() {
    if Server::Mariadb.admin().is_none() {
        return;
    }
    let mut u = url(&Server::Mariadb.admin_url());
    u.drivername = "mariadb+pymysql".to_string();
    u.is_mariadb = true;
    let db = Db::connect(&u).unwrap_or_else(|e| panic!("{e}"));
    assert!(db.backend().mariadb);
    drop(db);

    // libpq refuses verify-full without a root certificate file.
    let e = Db::connect(&url(
        "postgresql://postgres:pw@127.0.0.1:5432/postgres?sslmode=verify-full&sslrootcert=/no/such/ca.pem",
    ))
    .unwrap_err();
    assert!(matches!(e, DbError::UnsupportedOption { ref key, .. } if key == "sslrootcert"));
    assert!(e.to_string().contains("postgres:***@"), "{e}");
}
