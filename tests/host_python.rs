//! Which Python runs env.py: `--python`, then `RETORT_PYTHON`, then the
//! active virtualenv, then the one retort is installed in, then `python3` on
//! `PATH`; and the one-paragraph errors when it is missing or too old.
//! Every case runs the bundled example's own env.py on a scratch SQLite
//! file, so "it ran" means the migrations really ran in that interpreter.

mod dbsupport;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use dbsupport::{host_venv, retort_bin, skip};

struct Example {
    _tmp: tempfile::TempDir,
    project: PathBuf,
    db: String,
}

fn example() -> Example {
    let tmp = tempfile::tempdir().expect("tempdir");
    let project = tmp.path().join("backend");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/homegpu/backend"),
        &project,
    );
    let db = format!("sqlite:///{}", tmp.path().join("example.db").display());
    Example {
        _tmp: tmp,
        project,
        db,
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).expect("copy");
        }
    }
}

/// `retort ARGS` in the example with only the given environment variables
/// about Python (`VIRTUAL_ENV`, `RETORT_PYTHON`, `PATH`) set.
fn retort(ex: &Example, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(retort_bin());
    cmd.args(args)
        .current_dir(&ex.project)
        .env_remove("VIRTUAL_ENV")
        .env_remove("RETORT_PYTHON")
        .env_remove("PYTHONPATH")
        .env("DATABASE_URL", &ex.db)
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run retort")
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The interpreter env.py ran in: `upgrade head` then `current` must show
/// the head (the migrations ran), and env.py's log names no other Python.
fn migrates_with(ex: &Example, args_before: &[&str], env: &[(&str, &str)]) {
    let mut up = args_before.to_vec();
    up.extend(["upgrade", "head"]);
    let out = retort(ex, &up, env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let mut cur = args_before.to_vec();
    cur.push("current");
    let out = retort(ex, &cur, env);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("0003_node_labels (head)"),
        "{}",
        text(&out)
    );
}

fn sa_python() -> String {
    host_venv().join("bin/python").display().to_string()
}

#[test]
fn the_active_virtualenv_runs_env_py() {
    let ex = example();
    let venv = host_venv().display().to_string();
    migrates_with(&ex, &[], &[("VIRTUAL_ENV", &venv)]);
}

#[test]
fn retort_python_comes_before_the_virtualenv() {
    let ex = example();
    let py = sa_python();
    migrates_with(
        &ex,
        &[],
        &[("VIRTUAL_ENV", "/nonexistent"), ("RETORT_PYTHON", &py)],
    );
}

#[test]
fn the_python_option_comes_before_everything() {
    let ex = example();
    let py = sa_python();
    migrates_with(
        &ex,
        &["--python", &py],
        &[
            ("VIRTUAL_ENV", "/nonexistent"),
            ("RETORT_PYTHON", "/nonexistent/python"),
        ],
    );
}

#[test]
fn python3_on_path_is_the_last_resort() {
    let ex = example();
    let bin = host_venv().join("bin").display().to_string();
    migrates_with(&ex, &[], &[("PATH", &format!("{bin}:/usr/bin:/bin"))]);
}

#[test]
fn a_missing_interpreter_is_named() {
    let ex = example();
    let out = retort(
        &ex,
        &["--python", "/nonexistent/bin/python", "upgrade", "head"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/nonexistent/bin/python") && err.contains("--python"),
        "{}",
        text(&out)
    );
    assert_eq!(err.trim_end().lines().count(), 1, "one paragraph: {err}");
}

#[test]
fn no_python_at_all_is_explained() {
    let ex = example();
    let out = retort(&ex, &["upgrade", "head"], &[("PATH", "/nonexistent")]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("found no Python") && err.contains("RETORT_PYTHON"),
        "{}",
        text(&out)
    );
    // Graph commands need no Python at all.
    let heads = retort(&ex, &["heads"], &[("PATH", "/nonexistent")]);
    assert_eq!(heads.status.code(), Some(0), "{}", text(&heads));
}

/// An interpreter older than 3.9 (pyenv keeps some on this machine).
#[test]
fn an_old_interpreter_is_refused_by_version() {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let old = ["2.7", "3.6", "3.7", "3.8"].iter().find_map(|v| {
        std::fs::read_dir(home.join(".pyenv/versions"))
            .ok()?
            .flatten()
            .map(|e| e.path().join("bin/python"))
            .find(|p| {
                p.parent()
                    .and_then(Path::parent)
                    .and_then(Path::file_name)
                    .is_some_and(|n| n.to_string_lossy().starts_with(&format!("{v}.")))
                    && p.is_file()
            })
    });
    let Some(old) = old else {
        skip("no Python older than 3.9 under ~/.pyenv/versions");
        return;
    };
    let ex = example();
    let old_s = old.display().to_string();
    let out = retort(&ex, &["--python", &old_s, "upgrade", "head"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&old_s) && err.contains("older than 3.9"),
        "{}",
        text(&out)
    );
}

/// The version real Alembic reports in `venv` (run outside the repository,
/// whose `alembic/` is retort's shim).
fn real_alembic_version(venv: &Path) -> String {
    let out = Command::new(venv.join("bin/python"))
        .args(["-c", "import alembic; print(alembic.__version__)"])
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run python");
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// What `alembic.__version__` says inside env.py under retort, with `python`:
/// a project of its own whose env.py prints it (`upgrade head --sql`, so
/// nothing but SQLAlchemy is needed).
fn version_seen_by_env_py(python: &Path) -> String {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("migrations/versions")).expect("mkdir");
    std::fs::write(
        dir.join("alembic.ini"),
        "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite://\n",
    )
    .expect("write ini");
    std::fs::write(
        dir.join("migrations/env.py"),
        "import alembic\nfrom alembic import context\n\
         print('ALEMBIC_VERSION', alembic.__version__)\n\
         context.configure(url='sqlite://', literal_binds=True)\n\
         with context.begin_transaction():\n    context.run_migrations()\n",
    )
    .expect("write env.py");
    let out = Command::new(retort_bin())
        .args([
            "--python",
            &python.to_string_lossy(),
            "upgrade",
            "head",
            "--sql",
        ])
        .current_dir(dir)
        .env_remove("VIRTUAL_ENV")
        .env_remove("RETORT_PYTHON")
        .stdin(Stdio::null())
        .output()
        .expect("run retort");
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("ALEMBIC_VERSION "))
        .unwrap_or_else(|| panic!("env.py printed no version\n{}", text(&out)))
        .to_string()
}

#[test]
fn alembic_version_is_the_installed_alembics_else_the_emulated_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (with_alembic, newest) = (root.join(".venv-sa14"), root.join(".venv"));
    if !with_alembic.join("bin/alembic").is_file() || !newest.join("bin/alembic").is_file() {
        skip("alembic.__version__: .venv-sa14 or .venv missing (run scripts/dev-env.sh)");
        return;
    }
    // An environment with Alembic installed: its version.
    assert_eq!(
        version_seen_by_env_py(&with_alembic.join("bin/python")),
        real_alembic_version(&with_alembic)
    );
    // SQLAlchemy only (the host virtualenv): the newest Alembic retort is
    // tested against, i.e. the one the parity tests pin.
    assert_eq!(
        version_seen_by_env_py(&host_venv().join("bin/python")),
        real_alembic_version(&newest)
    );
}
