//! `merge`: a revision whose parents are the given revisions (`heads`: all heads).

use super::generate::{
    config_spec, generate_revision, opt_text, rev_id_or_new, run_environment, template_args,
    EnvPurpose, Graph, NewRevision,
};
use super::{Failure, Global, Output, Project};
use crate::host::{ExtraArgs, TemplateValue};

/// The command line of `merge`.
#[derive(Debug, Clone, Default)]
pub struct MergeOptions {
    pub revisions: Vec<String>,
    pub message: Option<String>,
    pub branch_label: Option<String>,
    pub rev_id: Option<String>,
    pub splice: bool,
}

pub fn run(global: &Global, out: &mut Output, o: MergeOptions) -> Result<(), Failure> {
    let project = Project::load(global)?;
    let cmd_opts = vec![
        (
            "revisions".into(),
            TemplateValue::List(
                o.revisions
                    .iter()
                    .map(|r| TemplateValue::Str(r.clone()))
                    .collect(),
            ),
        ),
        ("message".into(), opt_text(&o.message)),
        ("branch_label".into(), opt_text(&o.branch_label)),
        ("rev_id".into(), opt_text(&o.rev_id)),
        ("splice".into(), TemplateValue::Bool(o.splice)),
    ];
    let spec = config_spec(project, global, "merge", out.is_quiet(), cmd_opts)?;
    let environment = project.config.asbool_option("revision_environment")?;
    let graph = Graph::load(project)?;
    let extra = if environment {
        template_args(run_environment(
            &graph,
            global,
            out,
            &spec,
            false,
            EnvPurpose::Template { revision: false },
        )?)
    } else {
        ExtraArgs::default()
    };
    let rev_id = rev_id_or_new(o.rev_id.as_deref())?;
    let new = NewRevision {
        rev_id,
        message: o.message,
        heads: o.revisions,
        splice: o.splice,
        branch_label: o.branch_label,
        version_path: None,
        depends_on: Vec::new(),
        extra,
    };
    generate_revision(out, graph, new, &spec)
}
