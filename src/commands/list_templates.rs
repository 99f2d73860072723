//! `list_templates`: retort's own `init` templates, in Alembic's layout.

use super::{Failure, Output};
use crate::script::TEMPLATES;

pub fn run(out: &mut Output) -> Result<(), Failure> {
    out.line("Available templates:\n");
    for t in TEMPLATES {
        out.line(&format!("{} - {}", t.name, t.synopsis()));
    }
    out.line("\nTemplates are used via the 'init' command, e.g.:");
    out.line("\n  alembic init --template generic ./scripts");
    Ok(())
}
