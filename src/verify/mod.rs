//! `retort verify`: the project run through real Alembic and through retort on
//! twin scratch databases, one step at a time up to the heads and back to
//! base, the two databases compared (schema, rows, version table) after every
//! step.  With `roundtrip`, each upgrade is also undone and redone, and each
//! database must come back to what it was.
//!
//! `steps` picks the commands from the revision graph, `scratch` makes the
//! databases, `config_copy` points the tools at them, `tools` runs them,
//! `diff` words the first difference; the reading of a database is
//! [`crate::db::SchemaDump`].

mod config_copy;
mod diff;
mod scratch;
mod steps;
mod tools;

use std::path::PathBuf;

use crate::db::{DbError, ReflectError, SchemaDump};
use crate::revision::{RevisionError, RevisionMap};

pub use config_copy::{with_url, ConfigFiles};
use diff::Sides;
use scratch::{Scratch, TOOLS};
use steps::Step;
use tools::{Ran, Tool};

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Reflect(#[from] ReflectError),
    #[error(transparent)]
    Revision(#[from] RevisionError),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    /// verify will not (or cannot) run as asked.
    #[error("{0}")]
    Refused(String),
    /// Both tools failed the same step: nothing to compare.
    #[error("{step} failed under both tools; alembic said ({status}):\n{output}")]
    BothFailed {
        step: String,
        status: String,
        output: String,
    },
}

/// What to run and how.
pub struct Options {
    pub alembic: PathBuf,
    pub retort: PathBuf,
    pub config: ConfigFiles,
    /// Where the tools run (the user's working directory).
    pub cwd: PathBuf,
    pub x: Vec<String>,
    pub scratch_url: Option<String>,
    pub roundtrip: bool,
}

/// The step where the twins first differ, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// `after upgrade 1a2b -> 3c4d`, `roundtrip of upgrade …: after downgrade …`.
    pub step: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Commands run on both twins and compared.
    pub steps_checked: usize,
    pub first_difference: Option<Difference>,
}

/// The walk in progress.
struct Run<'a> {
    map: &'a RevisionMap,
    opts: &'a Options,
    scratch: Scratch,
    tools: Vec<Tool>,
    steps_checked: usize,
    progress: &'a mut dyn FnMut(&str),
}

/// What a step's run came to.
enum Outcome {
    /// Both ran; the two databases now.
    Dumps([SchemaDump; 2]),
    Differ(Difference),
}

pub fn verify(
    map: &RevisionMap,
    opts: &Options,
    progress: &mut dyn FnMut(&str),
) -> Result<Report, VerifyError> {
    let scratch = Scratch::create(opts.scratch_url.as_deref())?;
    let copies = config_copy::ConfigCopies::write(&opts.config, &TOOLS, &scratch.urls)?;
    let programs = [opts.alembic.clone(), opts.retort.clone()];
    let tools = TOOLS
        .iter()
        .zip(programs)
        .zip(&copies.args)
        .map(|((name, program), args)| Tool {
            name,
            program,
            config_args: args.clone(),
            x: opts.x.clone(),
        })
        .collect();
    let mut run = Run {
        map,
        opts,
        scratch,
        tools,
        steps_checked: 0,
        progress,
    };
    run.check_pointed()?;
    let first_difference = run.walk()?;
    drop(copies);
    Ok(Report {
        steps_checked: run.steps_checked,
        first_difference,
    })
}

impl Run<'_> {
    /// `current -v` names the database each tool reaches: refuse unless it is
    /// the scratch one (an env.py that ignores `sqlalchemy.url` would
    /// otherwise migrate the user's real database).
    fn check_pointed(&mut self) -> Result<(), VerifyError> {
        let ran = tools::run_all(
            &self.tools,
            &self.opts.cwd,
            &["current".into(), "-v".into()],
        )?;
        for ((tool, r), name) in self.tools.iter().zip(&ran).zip(&self.scratch.names) {
            if !r.success {
                return Err(VerifyError::Refused(format!(
                    "{} current failed ({}):\n{}",
                    tool.name,
                    r.status(),
                    r.tail()
                )));
            }
            let header = r.stdout.lines().next().unwrap_or("");
            if !header.contains(name.as_str()) {
                return Err(VerifyError::Refused(format!(
                    "env.py does not connect to the sqlalchemy.url verify gives it ({} reported \"{header}\"); \
                     verify would migrate that database instead of a scratch one",
                    tool.name
                )));
            }
        }
        Ok(())
    }

    fn dumps(&self) -> Result<[SchemaDump; 2], VerifyError> {
        let a = self.scratch.connect(0)?.dump_schema()?;
        let r = self.scratch.connect(1)?.dump_schema()?;
        Ok([a, r])
    }

    /// Runs `step` on both twins and compares them.
    fn step(&mut self, step: &Step, context: &str) -> Result<Outcome, VerifyError> {
        let at = format!("{context}{}", step.label);
        (self.progress)(&at);
        let ran = tools::run_all(&self.tools, &self.opts.cwd, &step.args)?;
        self.steps_checked += 1;
        if let Some(d) = compare_runs(&ran, &at) {
            return d;
        }
        let dumps = self.dumps()?;
        let sides = Sides {
            left: TOOLS[0],
            right: TOOLS[1],
        };
        Ok(match diff::first_difference(sides, &dumps[0], &dumps[1]) {
            Some(detail) => Outcome::Differ(Difference {
                step: format!("after {at}"),
                detail,
            }),
            None => Outcome::Dumps(dumps),
        })
    }

    fn walk(&mut self) -> Result<Option<Difference>, VerifyError> {
        let mut now = self.dumps()?;
        while let Some(step) = steps::next_upgrade(self.map, &version_rows(&now[0]))? {
            let before = now;
            now = match self.step(&step, "")? {
                Outcome::Dumps(d) => d,
                Outcome::Differ(d) => return Ok(Some(d)),
            };
            if self.opts.roundtrip {
                if let Some(d) = self.roundtrip(&step, &before, &now)? {
                    return Ok(Some(d));
                }
            }
        }
        while let Some(step) = steps::next_downgrade(self.map, &version_rows(&now[0]))? {
            now = match self.step(&step, "")? {
                Outcome::Dumps(d) => d,
                Outcome::Differ(d) => return Ok(Some(d)),
            };
        }
        Ok(None)
    }

    /// Undo `step` and redo it: each database must be back to `before`, then
    /// to `after`.
    fn roundtrip(
        &mut self,
        step: &Step,
        before: &[SchemaDump; 2],
        after: &[SchemaDump; 2],
    ) -> Result<Option<Difference>, VerifyError> {
        let Some(&last) = step.revisions.last() else {
            return Ok(None);
        };
        let context = format!("roundtrip of {}: ", step.label);
        let undo = steps::undo(self.map, &version_rows(&after[0]), last)?;
        for (redo, expected, moment) in [
            (&undo, before, ("before the upgrade", "after the downgrade")),
            (
                step,
                after,
                ("after the first upgrade", "after the upgrade again"),
            ),
        ] {
            let dumps = match self.step(redo, &context)? {
                Outcome::Dumps(d) => d,
                Outcome::Differ(d) => return Ok(Some(d)),
            };
            for (i, tool) in TOOLS.iter().enumerate() {
                let sides = Sides {
                    left: moment.0,
                    right: moment.1,
                };
                let (expected, now) = (
                    without_empty_version_table(&expected[i]),
                    without_empty_version_table(&dumps[i]),
                );
                if let Some(detail) = diff::first_difference(sides, &expected, &now) {
                    return Ok(Some(Difference {
                        step: format!("{context}after {}", redo.label),
                        detail: format!("{tool}'s database {detail}"),
                    }));
                }
            }
        }
        Ok(None)
    }
}

/// A difference when one tool failed and the other did not; an error when
/// both failed.
fn compare_runs(ran: &[Ran], at: &str) -> Option<Result<Outcome, VerifyError>> {
    match (ran[0].success, ran[1].success) {
        (true, true) => None,
        (false, false) => Some(Err(VerifyError::BothFailed {
            step: at.to_string(),
            status: ran[0].status(),
            output: ran[0].tail(),
        })),
        (a, _) => {
            let (ok, failed) = if a { (0, 1) } else { (1, 0) };
            Some(Ok(Outcome::Differ(Difference {
                step: format!("after {at}"),
                detail: format!(
                    "{} succeeded, {} failed ({}):\n{}",
                    TOOLS[ok],
                    TOOLS[failed],
                    ran[failed].status(),
                    ran[failed].tail()
                ),
            })))
        }
    }
}

/// The version table's name: `alembic_version`, else the one table whose
/// only column is `version_num` (a custom `version_table`).
fn version_table(dump: &SchemaDump) -> Option<&String> {
    dump.tables
        .get_key_value("alembic_version")
        .or_else(|| {
            dump.tables
                .iter()
                .find(|(_, t)| t.columns.len() == 1 && t.columns[0].name == "version_num")
        })
        .map(|(name, _)| name)
}

/// `dump` without an empty version table: downgrading to base leaves the
/// table the first upgrade made, which is no trace of a migration.
fn without_empty_version_table(dump: &SchemaDump) -> SchemaDump {
    let mut dump = dump.clone();
    if let Some(name) = version_table(&dump).cloned() {
        if dump.tables[&name].rows.is_empty() {
            dump.tables.remove(&name);
        }
    }
    dump
}

/// The version table's rows.
fn version_rows(dump: &SchemaDump) -> Vec<String> {
    let table = version_table(dump).map(|name| &dump.tables[name]);
    let mut rows: Vec<String> = table
        .map(|t| {
            t.rows
                .iter()
                .filter_map(|r| r.first().cloned().flatten())
                .collect()
        })
        .unwrap_or_default();
    // SQLite's quote() wraps text in quotes.
    for r in &mut rows {
        if let Some(inner) = r.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
            *r = inner.to_string();
        }
    }
    rows
}
