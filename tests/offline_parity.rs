//! `stamp --sql` and `ensure_version --sql` print exactly what real Alembic prints,
//! on every dialect, for projects made by Alembic's own `init` (stock env.py).
//! Offline mode opens no connection, so the URLs name hosts that do not exist.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn alembic() -> Option<PathBuf> {
    let bin = std::env::var_os("RETORT_ALEMBIC")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/alembic"));
    if bin.exists() {
        return Some(bin);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "real Alembic is missing at {}",
        bin.display()
    );
    eprintln!(
        "\n!!! SKIPPED offline parity: no Alembic at {} !!!\n",
        bin.display()
    );
    None
}

fn run(program: &Path, cwd: &Path, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env_remove("ALEMBIC_CONFIG")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()))
}

/// A project from `alembic init` with a fixture's versions and the given URL.
fn project(alembic: &Path, fixture: &str, url: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let init = run(alembic, dir.path(), &["init", "mig"]);
    assert!(init.status.success(), "alembic init failed: {init:?}");
    let versions = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/projects")
        .join(fixture)
        .join("versions");
    for entry in std::fs::read_dir(&versions).expect("fixture versions") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "py") {
            let name = path.file_name().expect("file name");
            std::fs::copy(&path, dir.path().join("mig/versions").join(name)).expect("copy");
        }
    }
    let ini = dir.path().join("alembic.ini");
    let text = std::fs::read_to_string(&ini).expect("alembic.ini");
    let text: String = text
        .lines()
        .map(|l| {
            if l.starts_with("sqlalchemy.url") {
                format!("sqlalchemy.url = {url}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&ini, text).expect("write alembic.ini");
    dir
}

#[test]
fn stamp_and_ensure_version_sql_match_alembic() {
    let Some(alembic) = alembic() else { return };
    let retort = PathBuf::from(env!("CARGO_BIN_EXE_retort"));
    let urls = [
        "sqlite:///never-opened.db",
        "postgresql://user:secret@db.invalid/app",
        "mysql+pymysql://user:secret@db.invalid/app",
        "mariadb://user:secret@db.invalid/app",
    ];
    // merge: 5c2f3d4e6071 branches into 6d304e5f7182 -> 7e415f608293 and
    // 8f5260718394 -> 9063718294a5, merged by a1748293a5b6 -> b285930ab6c7.
    let cases: &[&[&str]] = &[
        &["stamp", "--sql", "heads"],
        &["stamp", "--sql", "6d30"],
        &["stamp", "--sql", "6d30:a174"],
        &["stamp", "--sql", "7e41:base"],
        &["stamp", "--sql", "5c2f:7e41", "5c2f:9063"],
        &["stamp", "--sql", "a1748293a5b6:5c2f"],
        &["stamp", "--sql", "base:heads"],
        &["stamp", "--sql", "a:b", "c:d"],
        &["stamp", "--sql", "--purge", "heads"],
        &["stamp", "--sql", "nosuch"],
        &["ensure_version", "--sql"],
    ];
    let mut failures = Vec::new();
    for url in urls {
        let dir = project(&alembic, "merge", url);
        for args in cases {
            let a = run(&alembic, dir.path(), args);
            let r = run(&retort, dir.path(), args);
            if a.stdout != r.stdout || a.status.code() != r.status.code() {
                failures.push(format!(
                    "{url} {}: alembic exit {:?}\n{}\nretort exit {:?}\n{}\n{}",
                    args.join(" "),
                    a.status.code(),
                    String::from_utf8_lossy(&a.stdout),
                    r.status.code(),
                    String::from_utf8_lossy(&r.stdout),
                    String::from_utf8_lossy(&r.stderr)
                ));
            }
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&r.stdout),
                String::from_utf8_lossy(&r.stderr)
            );
            assert!(!all.contains("secret"), "retort printed a password: {all}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n----\n")
    );
}
