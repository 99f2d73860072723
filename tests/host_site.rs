//! The Python environment retort runs env.py in is the one the virtualenv's
//! own python gives: the same `sys.path` (with and without
//! `include-system-site-packages`, the virtualenv's `.pth` files applied)
//! and the builtins `site` adds (`exit`, `help`, …).
//!
//! retort skips the base interpreter's `site` processing when the
//! virtualenv does not include the system site-packages (to start faster);
//! this checks that nothing a script can see changes with it.  Each
//! virtualenv is made by the test Python's `python -m venv`, and a `.pth`
//! file in it points at the SQLAlchemy-only virtualenv's site-packages,
//! since retort needs SQLAlchemy to start.

mod dbsupport;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use dbsupport::{alembic_bin, host_venv, retort_bin, skip};

/// What a script sees of its environment, as one line of JSON.
const PROBE: &str = "import builtins, json, sys\n\
print('PROBE ' + json.dumps([sys.path, sorted(n for n in ('exit', 'quit', 'help', 'copyright', 'credits', 'license') if hasattr(builtins, n))]))\n";

fn run(cmd: &mut Command) -> Output {
    let out = cmd.stdin(Stdio::null()).output().expect("run a command");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The line the probe printed.
fn probe_line(out: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("PROBE "))
        .unwrap_or_else(|| panic!("no probe output in:\n{stdout}"));
    serde_json::from_str(line).expect("probe JSON")
}

fn site_packages(venv: &Path) -> PathBuf {
    let lib = venv.join("lib");
    let version = std::fs::read_dir(&lib)
        .expect("venv lib")
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("python"))
        })
        .expect("lib/pythonX.Y");
    version.join("site-packages")
}

fn same_environment_as_the_venv_python(system_site_packages: bool) {
    let Some(alembic) = alembic_bin() else {
        skip("real Alembic (RETORT_ALEMBIC) for its Python");
        return;
    };
    let python = alembic.with_file_name("python");
    let tmp = tempfile::tempdir().expect("tempdir");
    let venv = tmp.path().join("venv");
    let mut make = Command::new(&python);
    make.args(["-m", "venv", "--without-pip"]);
    if system_site_packages {
        make.arg("--system-site-packages");
    }
    run(make.arg(&venv));
    let sa_site = site_packages(&host_venv());
    std::fs::write(
        site_packages(&venv).join("retort_test_sqlalchemy.pth"),
        format!("{}\n", sa_site.display()),
    )
    .expect("write .pth");

    let project = tmp.path().join("project");
    std::fs::create_dir_all(project.join("migrations/versions")).expect("project dirs");
    std::fs::write(project.join("migrations/env.py"), PROBE).expect("env.py");
    std::fs::write(
        project.join("alembic.ini"),
        "[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = sqlite://\n",
    )
    .expect("alembic.ini");

    let ours = run(Command::new(retort_bin())
        .arg("upgrade")
        .arg("head")
        .current_dir(&project)
        .env("VIRTUAL_ENV", &venv));
    let theirs = run(Command::new(venv.join("bin/python"))
        .args(["-c", PROBE])
        .current_dir(&project)
        .env_remove("PYTHONPATH"));
    let mut expected = probe_line(&theirs);
    // python -c puts '' (the current directory) first; env.py has no such entry.
    let path = expected[0].as_array_mut().expect("sys.path list");
    assert_eq!(path.first().and_then(|p| p.as_str()), Some(""));
    path.remove(0);
    assert_eq!(
        probe_line(&ours),
        expected,
        "retort's sys.path and site builtins differ from the virtualenv's python \
         (include-system-site-packages = {system_site_packages})"
    );
}

#[test]
fn sys_path_as_in_a_plain_virtualenv() {
    same_environment_as_the_venv_python(false);
}

#[test]
fn sys_path_as_in_a_virtualenv_with_system_site_packages() {
    same_environment_as_the_venv_python(true);
}
