//! `heads [-v] [--resolve-dependencies]`

use super::output::{Describe, Short};
use super::{Catch, Failure, Global, Output, Project};
use crate::cli::Format;
use crate::revision::{Resolved, RevArg};

pub fn run(
    global: &Global,
    out: &mut Output,
    verbose: bool,
    resolve_dependencies: bool,
    format: Format,
) -> Result<(), Failure> {
    let project = Project::load(global)?;
    // Alembic reads the plain heads outside its error handler: graph errors crash.
    let catch = Catch {
        uncaught: !resolve_dependencies,
        ..Catch::default()
    };
    let map = project.map(&catch)?;
    let heads: Vec<usize> = if resolve_dependencies {
        map.get_revisions(RevArg::Str("heads"))
            .map_err(|e| Catch::default().failure(e))?
            .into_iter()
            .filter_map(Resolved::rev)
            .collect()
    } else {
        map.heads().to_vec()
    };
    let describe = Describe {
        map,
        scripts: &project.scripts,
    };
    if format == Format::Json {
        out.line(&describe.json_array(heads.into_iter().map(|h| (h, None))));
        return Ok(());
    }
    let short = Short {
        branches: true,
        ..Short::default()
    };
    for h in heads {
        out.line(&describe.cmd_format(h, verbose, short, false));
    }
    Ok(())
}
