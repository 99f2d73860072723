//! `history [-r RANGE] [-v] [-i]`

use super::branches::history_walk;
use super::hosted::{self, Plan};
use super::output::{Describe, Short};
use super::{emit_warnings, Catch, Failure, Global, Output, Project};
use crate::cli::Format;
use crate::revision::{RevArg, RevisionMap};

/// What one `history` run lists: the range's bounds as given (`None` for
/// an empty side) and how.
pub(crate) struct Listing {
    base: Option<String>,
    head: Option<String>,
    verbose: bool,
    indicate_current: bool,
    format: Format,
}

pub fn run(
    global: &Global,
    out: &mut Output,
    rev_range: Option<&str>,
    verbose: bool,
    indicate_current: bool,
    format: Format,
) -> Result<(), Failure> {
    let project = Project::load(global)?;
    let (base, head) = match rev_range {
        None => (None, None),
        Some(r) => {
            if !r.contains(':') {
                return Err(Failure::Command(
                    "History range requires [start]:[end], [start]:, or :[end]".to_string(),
                ));
            }
            let parts: Vec<&str> = r.trim().split(':').collect();
            match parts.as_slice() {
                [b, h] => (Some(*b).filter(|s| !s.is_empty()), Some(*h).filter(|s| !s.is_empty())),
                _ => {
                    return Err(Failure::Crash(format!(
                        "history range '{r}' has more than one ':' (Alembic fails with ValueError: too many values to unpack)"
                    )))
                }
            }
        }
    };
    let listing = Listing {
        base: base.map(str::to_string),
        head: head.map(str::to_string),
        verbose,
        indicate_current,
        format,
    };
    // `-i`, `current` as a bound and `revision_environment` run env.py, which
    // reads the version table (creating it, as every command but `current`
    // does when it runs the migration context).
    let environment = indicate_current
        || base == Some("current")
        || head == Some("current")
        || project.config.asbool_option("revision_environment")?;
    if !environment {
        let map = project.map(&listing.catch())?;
        return listing.report(project, map, None, out);
    }
    if !project.uses_stock_env() {
        return hosted::run_plan(
            project,
            global,
            out,
            Plan::History(listing),
            Catch::default(),
        );
    }
    let mut conn = project.connect()?;
    let rows = conn.rows_creating_table()?;
    let map = project.map(&listing.catch())?;
    listing.report(project, map, Some(&rows), out)
}

impl Listing {
    fn catch(&self) -> Catch {
        Catch::range(
            self.base.as_deref().unwrap_or("base"),
            self.head.as_deref().unwrap_or("heads"),
        )
    }

    /// Prints the listing; `rows` are the version table's when env.py ran.
    pub(crate) fn report(
        &self,
        project: &Project,
        map: &RevisionMap,
        rows: Option<&[String]>,
        out: &mut Output,
    ) -> Result<(), Failure> {
        let (base, head) = (self.base.as_deref(), self.head.as_deref());
        let base_text = base.unwrap_or("base");
        let head_text = head.unwrap_or("heads");
        let catch = self.catch();
        let current_rows = rows.unwrap_or_default();
        // A `current` bound is the rows themselves; no rows as a bound is the
        // default bound (Alembic passes the empty tuple, which is falsy).
        let lower = match base {
            Some("current") if !current_rows.is_empty() => RevArg::Rows(current_rows),
            Some("current") | None => RevArg::Str("base"),
            Some(b) => RevArg::Str(b),
        };
        let upper = match head {
            Some("current") if !current_rows.is_empty() => RevArg::Rows(current_rows),
            Some("current") | None => RevArg::Str("heads"),
            Some(h) => RevArg::Str(h),
        };
        let mut warnings = Vec::new();
        let order = map
            .iterate_revisions(upper, lower, history_walk(), &mut warnings)
            .map_err(|e| match catch.failure(e) {
                // Alembic crashes with a bare AssertionError here; name the range.
                Failure::Crash(m) => Failure::Crash(format!(
                    "cannot list history for the range {base_text}:{head_text}: {m}"
                )),
                f => f,
            })?;
        emit_warnings(warnings);
        let describe = Describe {
            map,
            scripts: &project.scripts,
        };
        let is_current = |i: usize| current_rows.iter().any(|r| r == map.id(i));
        if self.format == Format::Json {
            let flags = order
                .into_iter()
                .map(|i| (i, self.indicate_current.then(|| is_current(i))));
            out.line(&describe.json_array(flags));
            return Ok(());
        }
        let short = Short {
            branches: true,
            doc: true,
            parents: true,
            tree: true,
        };
        for i in order {
            let current = self.indicate_current && is_current(i);
            out.line(&describe.cmd_format(i, self.verbose, short, current));
        }
        Ok(())
    }
}
