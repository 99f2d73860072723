//! Offline (`--sql`) upgrade, downgrade and stamp print what real Alembic
//! prints.  The goldens under `tests/offline/goldens/` were written by real
//! Alembic (`tests/offline/generate.py`, one command regenerates them all);
//! each holds the command line, Alembic's exit code, for a Python exception
//! its last stderr line, and its stdout.  retort runs the same command on the
//! same project (the fixture of `tests/offline/cases.txt`, with the case's
//! URL and env.py) and must agree on all of them, stdout compared after
//! whitespace normalisation.  The URLs name hosts that don't exist: offline
//! mode opens no connection and needs no driver.

mod dbsupport;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use dbsupport::{retort_bin, run_tool_with};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct CaseLine {
    name: String,
    fixture: String,
    url: String,
    env: String,
}

fn read_cases() -> Vec<CaseLine> {
    let text = fs::read_to_string(root().join("tests/offline/cases.txt")).expect("cases.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(f.len(), 4, "bad line in cases.txt: {l}");
            CaseLine {
                name: f[0].into(),
                fixture: f[1].into(),
                url: f[2].into(),
                env: f[3].into(),
            }
        })
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let dest = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            if entry.file_name() != "__pycache__" {
                copy_tree(&entry.path(), &dest);
            }
        } else {
            fs::copy(entry.path(), dest).expect("copy");
        }
    }
}

/// The same tree `generate.py`'s `make_project` builds.
fn make_project(case: &CaseLine, into: &Path) {
    copy_tree(
        &root().join("tests/fixtures/migrate").join(&case.fixture),
        into,
    );
    let ini = into.join("alembic.ini");
    let text = fs::read_to_string(&ini).expect("alembic.ini");
    let text: String = text
        .split_inclusive('\n')
        .map(|l| {
            if l.starts_with("sqlalchemy.url") {
                format!("sqlalchemy.url = {}\n", case.url)
            } else {
                l.to_string()
            }
        })
        .collect();
    fs::write(&ini, text).expect("write alembic.ini");
    if case.env != "stock" {
        fs::copy(
            root().join(format!("tests/offline/env/{}.py", case.env)),
            into.join("migrations/env.py"),
        )
        .expect("env variant");
    }
    let _ = fs::remove_file(into.join("steps"));
}

struct Golden {
    file: String,
    args: Vec<String>,
    exit: i32,
    error: Option<String>,
    /// Alembic's stdout; several where its order follows the hash seed.
    stdouts: Vec<String>,
}

/// Written by generate.py between the outputs of a step whose version rows
/// Alembic orders by iterating a Python set.
const ALTERNATIVE: &str = "-- alternative output (Alembic orders this step by a Python set):\n";

fn read_golden(path: &Path) -> Golden {
    let text = fs::read_to_string(path).expect("golden");
    let mut rest = text.as_str();
    let mut header = |key: &str| -> Option<String> {
        let prefix = format!("-- {key}: ");
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let value = rest[..line_end].strip_prefix(&prefix)?.to_string();
        rest = &rest[(line_end + 1).min(rest.len())..];
        Some(value)
    };
    let args = header("args").expect("args line");
    let exit = header("exit")
        .expect("exit line")
        .parse()
        .expect("exit code");
    let error = if exit == 1 { header("error") } else { None };
    Golden {
        file: path.file_name().unwrap().to_string_lossy().into_owned(),
        args: args.split(' ').map(str::to_string).collect(),
        exit,
        error,
        stdouts: rest.split(ALTERNATIVE).map(str::to_string).collect(),
    }
}

/// Trailing blanks of each line and blank lines at either end dropped.
fn normalise(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim_matches('\n').to_string()
}

fn last_line(text: &str) -> String {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_string()
}

fn check_case(name: &str) {
    let cases = read_cases();
    let case = cases
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("{name} is not in tests/offline/cases.txt"));
    let dir = root()
        .join("tests/offline/goldens")
        .join(dbsupport::host_sqlalchemy_line())
        .join(name);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("no goldens for {name} ({e}); run tests/offline/generate.py"))
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no goldens in {}", dir.display());
    let project = tempfile::tempdir().expect("temp dir");
    make_project(case, project.path());
    let ini = project.path().join("alembic.ini");
    let mut failures = Vec::new();
    for path in files {
        let golden = read_golden(&path);
        // A hash seed among the generator's: where Alembic's output follows
        // it (a set's order), retort's is then one of the outputs recorded.
        let seed = [("PYTHONHASHSEED".to_string(), "0".to_string())];
        let out = run_tool_with(
            &retort_bin(),
            project.path(),
            &ini,
            &golden.args,
            &seed,
            Duration::from_secs(60),
        );
        let what = format!("{name}/{} `{}`", golden.file, golden.args.join(" "));
        if let Some(e) = out.harness_error {
            failures.push(format!("{what}: {e}"));
            continue;
        }
        let mut problems = Vec::new();
        if out.code != Some(golden.exit) {
            problems.push(format!(
                "exit {:?}, Alembic {}\nstderr:\n{}",
                out.code, golden.exit, out.stderr
            ));
        }
        if let Some(error) = &golden.error {
            let ours = last_line(&out.stderr);
            if &ours != error {
                problems.push(format!(
                    "last stderr line\n  ours:    {ours}\n  Alembic: {error}"
                ));
            }
        }
        let ours = normalise(&out.stdout);
        if !golden.stdouts.iter().any(|s| normalise(s) == ours) {
            problems.push(format!(
                "stdout differs:\n{}",
                first_difference(&normalise(&golden.stdouts[0]), &ours)
            ));
        }
        if !problems.is_empty() {
            failures.push(format!("{what}: {}", problems.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} command(s) differ from Alembic:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn first_difference(alembic: &str, ours: &str) -> String {
    let a: Vec<&str> = alembic.lines().collect();
    let o: Vec<&str> = ours.lines().collect();
    let at = a.iter().zip(&o).take_while(|(x, y)| x == y).count();
    let show = |v: &[&str]| {
        v.iter()
            .skip(at)
            .take(6)
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "  from line {}:\n  Alembic:\n{}\n  retort:\n{}",
        at + 1,
        show(&a),
        show(&o)
    )
}

macro_rules! golden_tests {
    ($($test:ident: $name:literal;)*) => {
        $(
            #[test]
            fn $test() {
                check_case($name);
            }
        )*

        /// Every case of cases.txt has a test above, and every test a case.
        #[test]
        fn every_case_is_tested() {
            let mut listed: Vec<String> = read_cases().into_iter().map(|c| c.name).collect();
            let mut tested: Vec<String> = vec![$($name.to_string()),*];
            listed.sort();
            tested.sort();
            assert_eq!(listed, tested);
        }
    };
}

golden_tests! {
    core_ops_postgresql: "core_ops-postgresql";
    core_ops_mysql: "core_ops-mysql";
    core_ops_sqlite: "core_ops-sqlite";
    data_ops_postgresql: "data_ops-postgresql";
    data_ops_mysql: "data_ops-mysql";
    data_ops_sqlite: "data_ops-sqlite";
    branches_postgresql: "branches-postgresql";
    branches_mysql: "branches-mysql";
    branches_sqlite: "branches-sqlite";
    pg_only_postgresql: "pg_only-postgresql";
    mysql_only_mysql: "mysql_only-mysql";
    mysql_only_mariadb: "mysql_only-mariadb";
    sqlite_batch_sqlite: "sqlite_batch-sqlite";
    core_ops_postgresql_tuned: "core_ops-postgresql-tuned";
    core_ops_mysql_tuned: "core_ops-mysql-tuned";
    core_ops_sqlite_tuned: "core_ops-sqlite-tuned";
    branches_postgresql_tuned: "branches-postgresql-tuned";
    data_ops_mysql_tuned: "data_ops-mysql-tuned";
}
