//! `verify [--alembic PATH] [--scratch-url URL] [--roundtrip] [--single-head]
//! [--format json]`: the CLI edge of [`crate::verify`].

use std::path::{Path, PathBuf};

use super::{Catch, Failure, Global, Output, Project};
use crate::cli::{Format, VerifyArgs};
use crate::verify::{self, ConfigFiles, Options, Report, VerifyError};

impl From<VerifyError> for Failure {
    fn from(e: VerifyError) -> Self {
        Failure::Crash(format!("verify: {e}"))
    }
}

pub fn run(global: &Global, out: &mut Output, args: VerifyArgs) -> Result<(), Failure> {
    let project = Project::load(global)?;
    let map = project.map(&Catch::default())?;
    let heads = map.heads();
    if args.single_head && heads.len() > 1 {
        let ids: Vec<&str> = heads.iter().map(|&h| map.id(h)).collect();
        return Err(Failure::Crash(format!(
            "verify: the project has {} heads ({}); --single-head wants one",
            ids.len(),
            ids.join(", ")
        )));
    }
    let alembic = match args.alembic {
        Some(path) => path,
        None => find_alembic().ok_or_else(|| {
            Failure::Crash(
                "verify: no alembic command found next to the active virtualenv's python or on PATH; name it with --alembic PATH".into(),
            )
        })?,
    };
    let retort = std::env::current_exe()
        .map_err(|e| Failure::Crash(format!("verify: can't find retort itself: {e}")))?;
    let cwd = std::env::current_dir()
        .map_err(|e| Failure::Crash(format!("verify: no working directory: {e}")))?;
    let toml = &project.config.toml_path;
    let opts = Options {
        alembic,
        retort,
        config: ConfigFiles {
            ini: project.config.ini_path.clone(),
            toml: toml.is_file().then(|| toml.clone()),
            section: project.config.section.clone(),
        },
        cwd,
        x: global.x.clone(),
        scratch_url: args.scratch_url,
        roundtrip: args.roundtrip,
    };
    let text = args.format == Format::Text;
    let mut progress = |step: &str| {
        if text && !out.is_quiet() {
            eprintln!("verify: {step}");
        }
    };
    let report = verify::verify(map, &opts, &mut progress)?;
    match args.format {
        Format::Text => print_text(out, &report),
        Format::Json => out.line(&json(&report).to_string()),
    }
    match report.first_difference {
        None => Ok(()),
        Some(_) => Err(Failure::Crash("verify: alembic and retort differ".into())),
    }
}

fn print_text(out: &mut Output, report: &Report) {
    match &report.first_difference {
        None => out.line(&format!(
            "verify: OK, {} steps checked: alembic and retort agree after every step",
            report.steps_checked
        )),
        Some(d) => {
            out.line(&format!("verify: {}: {}", d.step, d.detail));
            out.line(&format!(
                "verify: FAILED after {} steps checked",
                report.steps_checked
            ));
        }
    }
}

fn json(report: &Report) -> serde_json::Value {
    serde_json::json!({
        "ok": report.first_difference.is_none(),
        "steps_checked": report.steps_checked,
        "first_difference": report.first_difference.as_ref().map(|d| serde_json::json!({
            "step": d.step,
            "detail": d.detail,
        })),
    })
}

/// `alembic` next to the active virtualenv's python, else on `PATH`.
fn find_alembic() -> Option<PathBuf> {
    let venv = std::env::var_os("VIRTUAL_ENV").map(|v| Path::new(&v).join("bin"));
    let path = std::env::var_os("PATH");
    venv.into_iter()
        .chain(path.iter().flat_map(std::env::split_paths))
        .map(|dir| dir.join("alembic"))
        .find(|candidate| candidate.is_file())
}
