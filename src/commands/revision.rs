//! `revision`: a new, empty revision file from the project's `script.py.mako`.

use super::generate::{
    config_spec, generate_revision, opt_text, rev_id_or_new, run_environment, Graph, NewRevision,
};
use super::{Failure, Global, Output, Project};
use crate::host::{ExtraArgs, TemplateValue};

/// The command line of `revision`.
#[derive(Debug, Clone, Default)]
pub struct RevisionOptions {
    pub message: Option<String>,
    pub autogenerate: bool,
    pub sql: bool,
    pub head: Option<String>,
    pub splice: bool,
    pub branch_label: Option<String>,
    pub version_path: Option<String>,
    pub rev_id: Option<String>,
    pub depends_on: Vec<String>,
}

impl RevisionOptions {
    /// `config.cmd_opts` as argparse fills it for `revision`.
    fn cmd_opts(&self) -> Vec<(String, TemplateValue)> {
        let depends_on = if self.depends_on.is_empty() {
            TemplateValue::None
        } else {
            TemplateValue::List(
                self.depends_on
                    .iter()
                    .map(|d| TemplateValue::Str(d.clone()))
                    .collect(),
            )
        };
        vec![
            ("message".into(), opt_text(&self.message)),
            (
                "autogenerate".into(),
                TemplateValue::Bool(self.autogenerate),
            ),
            ("sql".into(), TemplateValue::Bool(self.sql)),
            ("head".into(), opt_text(&self.head)),
            ("splice".into(), TemplateValue::Bool(self.splice)),
            ("branch_label".into(), opt_text(&self.branch_label)),
            ("version_path".into(), opt_text(&self.version_path)),
            ("rev_id".into(), opt_text(&self.rev_id)),
            ("depends_on".into(), depends_on),
        ]
    }
}

pub fn run(global: &Global, out: &mut Output, o: RevisionOptions) -> Result<(), Failure> {
    let project = Project::load(global)?;
    let rev_id = rev_id_or_new(o.rev_id.as_deref())?;
    let environment = project.config.asbool_option("revision_environment")?;
    if o.autogenerate {
        if o.sql {
            return Err(Failure::Command(
                "Using --sql with --autogenerate does not make any sense".to_string(),
            ));
        }
        return Err(Failure::Crash(
            "revision --autogenerate is not available in this build of retort yet".to_string(),
        ));
    }
    if !environment && o.sql {
        return Err(Failure::Command(
            "Using --sql with the revision command when revision_environment is not configured does not make any sense"
                .to_string(),
        ));
    }
    let spec = config_spec(project, global, "revision", out.is_quiet(), o.cmd_opts())?;
    let graph = Graph::load(project)?;
    let extra = if environment {
        run_environment(&graph, global, out, &spec, o.sql)?
    } else {
        ExtraArgs::default()
    };
    let new = NewRevision {
        rev_id,
        message: o.message,
        heads: vec![o.head.unwrap_or_else(|| "head".to_string())],
        splice: o.splice,
        branch_label: o.branch_label,
        // Alembic's MigrationScript takes an empty path as none.
        version_path: o.version_path.filter(|v| !v.is_empty()),
        depends_on: o.depends_on,
        extra,
    };
    generate_revision(out, graph, new, &spec)
}
