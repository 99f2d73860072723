//! `check`: whether `revision --autogenerate` would find operations to
//! write (Alembic's `No new upgrade operations detected.`, or a failure
//! listing them).

use super::generate::{config_spec, run_environment, EnvPurpose, EnvResult, Graph};
use super::{Failure, Global, Output, Project};
use crate::host::TemplateValue;

/// `config.cmd_opts` for `check`: the revision options Alembic fills in.
fn cmd_opts() -> Vec<(String, TemplateValue)> {
    let none = |k: &str| (k.to_string(), TemplateValue::None);
    vec![
        none("message"),
        ("autogenerate".into(), TemplateValue::Bool(true)),
        ("sql".into(), TemplateValue::Bool(false)),
        ("head".into(), TemplateValue::Str("head".into())),
        ("splice".into(), TemplateValue::Bool(false)),
        none("branch_label"),
        none("version_path"),
        none("rev_id"),
        none("depends_on"),
    ]
}

pub fn run(global: &Global, out: &mut Output) -> Result<(), Failure> {
    let project = Project::load(global)?;
    let spec = config_spec(project, global, "check", out.is_quiet(), cmd_opts())?;
    let graph = Graph::load(project)?;
    match run_environment(&graph, global, out, &spec, false, EnvPurpose::Check)? {
        Some(EnvResult::Check(Some(message))) => Err(Failure::Command(message)),
        // Alembic then fails looking for the comparison env.py never made.
        None => Err(Failure::Crash(
            "env.py did not call context.run_migrations(), so nothing was compared".to_string(),
        )),
        Some(_) => {
            out.line("No new upgrade operations detected.");
            Ok(())
        }
    }
}
