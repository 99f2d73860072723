//! `retort::ddl` renders what real Alembic emits.  `tests/ddl/gen.py` runs
//! every scenario of `tests/ddl/scenarios.py` through Alembic in offline
//! mode (the expected statements) and through `retort.ops` with a fake
//! runtime (the IR), for PostgreSQL, MySQL, MariaDB and SQLite; this test
//! renders the IR and compares, statement by statement, after collapsing
//! whitespace.  Nothing expected is written by hand.

use std::path::{Path, PathBuf};
use std::process::Command;

use retort::db::{Backend, Dialect};
use serde_json::Value;

fn python() -> Option<PathBuf> {
    let bin = std::env::var_os("RETORT_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"));
    if bin.exists() {
        return Some(bin);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the Python with real Alembic is missing at {}",
        bin.display()
    );
    eprintln!(
        "\n!!! SKIPPED ddl_render: no Python at {} !!!\n",
        bin.display()
    );
    None
}

fn backend(name: &str) -> Backend {
    match name {
        "postgresql" => Dialect::Postgresql.into(),
        "mysql" => Dialect::Mysql.into(),
        "mariadb" => Backend::new(Dialect::Mysql, true),
        "sqlite" => Dialect::Sqlite.into(),
        other => panic!("unknown dialect {other}"),
    }
}

fn normalise(sql: &str) -> String {
    let collapsed = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.trim_end_matches(';').trim_end().to_string()
}

/// The statements retort produces for one case, or the first error.
fn render_case(case: &Value, backend: Backend) -> Result<Vec<String>, String> {
    if let Some(err) = case["retort_error"].as_str() {
        return Err(format!("python: {err}"));
    }
    let mut out = Vec::new();
    for step in case["steps"].as_array().expect("steps") {
        if let Some(sql) = step["sql"].as_str() {
            out.push(sql.to_string());
        } else {
            let ir = serde_json::to_string(&step["ir"]).expect("ir");
            let stmts = retort::ddl::render_json(&ir, backend)
                .map_err(|e| format!("render: {e}\n  ir: {ir}"))?;
            out.extend(stmts);
        }
    }
    Ok(out)
}

#[test]
fn rendered_sql_matches_alembic() {
    let Some(python) = python() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(&python)
        .arg(root.join("tests/ddl/gen.py"))
        .current_dir(std::env::temp_dir())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run tests/ddl/gen.py");
    assert!(
        output.status.success(),
        "gen.py failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let cases: Vec<Value> = serde_json::from_slice(&output.stdout).expect("gen.py JSON");
    let mut failures = Vec::new();
    let (mut compared, mut statements, mut both_refuse) = (0, 0, 0);
    for case in &cases {
        let label = format!(
            "{} [{}]",
            case["name"].as_str().unwrap_or("?"),
            case["dialect"]
        );
        let backend = backend(case["dialect"].as_str().expect("dialect"));
        let ours = render_case(case, backend);
        if let Some(err) = case["alembic_error"].as_str() {
            // Alembic refuses: retort must refuse too (in Python or here).
            match ours {
                Err(_) => both_refuse += 1,
                Ok(got) => failures.push(format!(
                    "{label}: Alembic fails ({err}) but retort renders:\n    {}",
                    got.join("\n    ")
                )),
            }
            continue;
        }
        let expected: Vec<String> = case["expected"]
            .as_array()
            .expect("expected")
            .iter()
            .map(|s| normalise(s.as_str().expect("statement")))
            .collect();
        match ours {
            Err(e) => failures.push(format!("{label}: {e}")),
            Ok(got) => {
                let got: Vec<String> = got.iter().map(|s| normalise(s)).collect();
                if got != expected {
                    failures.push(format!(
                        "{label}:\n  alembic:\n    {}\n  retort:\n    {}",
                        expected.join("\n    "),
                        got.join("\n    ")
                    ));
                } else {
                    compared += 1;
                    statements += expected.len();
                }
            }
        }
    }
    eprintln!(
        "ddl_render: {} cases, {compared} identical ({statements} statements), \
         {both_refuse} refused by both",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}
