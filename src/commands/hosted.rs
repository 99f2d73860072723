//! Commands that run the project's env.py in the Python host: the command's
//! work (`fn(heads, context)` in Alembic) is a [`Plan`] answered from Rust
//! when env.py's migration context asks for its steps.

use super::{Catch, Failure, Global, Output, Project};
use crate::db::{Backend, VersionTable};
use crate::host::{self, EnvRun, HostError, Session, SessionError, StepSpec};
use crate::revision::RevisionMap;
use crate::runtime::{stamp_steps, Heads, Step, VersionOp};

/// What the command does with the heads env.py's context read.
pub(crate) enum Plan {
    Upgrade {
        target: String,
    },
    Downgrade {
        target: String,
    },
    /// `current [-v] [--check-heads]`: prints, runs nothing.
    Current {
        verbose: bool,
        check_heads: bool,
    },
    /// `stamp REV...`: version-table steps only.
    Stamp {
        revisions: Vec<String>,
        purge: bool,
    },
}

struct HostedSession<'a> {
    project: &'a Project,
    map: &'static RevisionMap,
    plan: Plan,
    catch: Catch,
    out: &'a mut Output,
}

impl From<Failure> for SessionError {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Command(message) => SessionError {
                command: true,
                message,
            },
            Failure::Crash(message) => SessionError {
                command: false,
                message,
            },
        }
    }
}

/// `%` doubled, for a message completed with Python's `%` operator.
fn percent_safe(s: &str) -> String {
    s.replace('%', "%%")
}

/// The statements of one step's version-table change, each with the row
/// count Alembic checks online and the message when it differs.
pub(crate) fn version_statements(
    table: &VersionTable,
    backend: Backend,
    ops: Vec<VersionOp>,
) -> Vec<(String, Option<u64>, String)> {
    let name = percent_safe(&table.name);
    ops.into_iter()
        .map(|op| match op {
            VersionOp::Insert(v) => (table.insert_sql(backend, &v), None, String::new()),
            VersionOp::Update { from, to } => (
                table.update_sql(backend, &from, &to),
                Some(1),
                format!(
                    "Online migration expected to match one row when updating '{}' to '{}' in '{name}'; %d found",
                    percent_safe(&from),
                    percent_safe(&to)
                ),
            ),
            VersionOp::Delete(v) => (
                table.delete_sql(backend, &v),
                Some(1),
                format!(
                    "Online migration expected to match one row when deleting '{}' in '{name}'; %d found",
                    percent_safe(&v)
                ),
            ),
        })
        .collect()
}

impl HostedSession<'_> {
    fn revisions(&self, heads: &[String]) -> Result<(Vec<usize>, bool), Failure> {
        let mut warnings = Vec::new();
        let result = match &self.plan {
            Plan::Current { .. } | Plan::Stamp { .. } => Ok((Vec::new(), true)),
            Plan::Upgrade { target } => self
                .map
                .upgrade_plan(heads, target, &mut warnings)
                .map(|r| (r, true)),
            Plan::Downgrade { target } => self
                .map
                .downgrade_plan(heads, target, &mut warnings)
                .map(|r| (r, false)),
        };
        super::emit_warnings(warnings);
        result.map_err(|e| self.catch.failure(e))
    }
}

impl HostedSession<'_> {
    fn stamp(
        &self,
        heads: &[String],
        revisions: &[String],
        table: &VersionTable,
        backend: Backend,
    ) -> Result<Vec<StepSpec>, SessionError> {
        let steps = stamp_steps(self.map, heads, revisions).map_err(|e| self.catch.failure(e))?;
        let mut rows = Heads::new(heads);
        let mut specs = Vec::with_capacity(steps.len());
        for step in steps {
            let log = step.log_line(self.map, None);
            let ops = rows.apply(self.map, &step).map_err(|e| SessionError {
                command: false,
                message: e.to_string(),
            })?;
            specs.push(StepSpec {
                revision: String::new(),
                path: None,
                upgrade: true,
                log: log.strip_prefix("Running ").unwrap_or(&log).to_string(),
                version_sql: version_statements(table, backend, ops),
                heads_after: rows.rows().to_vec(),
            });
        }
        Ok(specs)
    }
}

impl Session for HostedSession<'_> {
    fn steps(
        &mut self,
        heads: &[String],
        table: &VersionTable,
        backend: Backend,
        url: &str,
    ) -> Result<Vec<StepSpec>, SessionError> {
        match &self.plan {
            Plan::Current {
                verbose,
                check_heads,
            } => {
                super::current::report(
                    self.project,
                    self.map,
                    heads,
                    url,
                    *verbose,
                    *check_heads,
                    self.out,
                )?;
                return Ok(Vec::new());
            }
            Plan::Stamp { revisions, .. } => return self.stamp(heads, revisions, table, backend),
            Plan::Upgrade { .. } | Plan::Downgrade { .. } => {}
        }
        let (revs, upgrade) = self.revisions(heads)?;
        let mut rows = Heads::new(heads);
        let mut specs = Vec::with_capacity(revs.len());
        for rev in revs {
            let step = Step::Revision { rev, upgrade };
            let script = &self.project.scripts[rev];
            let log = step.log_line(self.map, Some(script.doc()));
            let ops = rows.apply(self.map, &step).map_err(|e| SessionError {
                command: false,
                message: e.to_string(),
            })?;
            specs.push(StepSpec {
                revision: self.map.id(rev).to_string(),
                path: Some(script.path.clone()),
                upgrade,
                log: log.strip_prefix("Running ").unwrap_or(&log).to_string(),
                version_sql: version_statements(table, backend, ops),
                heads_after: rows.rows().to_vec(),
            });
        }
        Ok(specs)
    }

    fn print(&mut self, text: &str) {
        self.out.line(text);
    }

    fn script_heads(&mut self) -> Vec<String> {
        self.map
            .heads()
            .iter()
            .map(|&h| self.map.id(h).to_string())
            .collect()
    }
}

/// The command line as env.py sees it.
fn env_run(project: &Project, global: &Global, command: &str) -> Result<EnvRun, Failure> {
    let config = &project.config;
    Ok(EnvRun {
        command: command.to_string(),
        env_py: project.dir.dir.join("env.py"),
        config_file: config.ini_path.exists().then(|| config.ini_path.clone()),
        toml_file: config.toml_path.exists().then(|| config.toml_path.clone()),
        ini_section: config.section.clone(),
        x: global.x.clone(),
        raiseerr: global.raiseerr,
        prepend_sys_path: config.prepend_sys_path()?.unwrap_or_default(),
        ..EnvRun::default()
    })
}

impl From<HostError> for Failure {
    fn from(e: HostError) -> Self {
        match e {
            HostError::Command(m) => Failure::Command(m),
            HostError::Python(m) | HostError::Setup(m) => Failure::Crash(m),
        }
    }
}

/// `upgrade` / `downgrade` (online): env.py runs, the plan answers its steps.
pub fn migrate(
    global: &Global,
    out: &mut Output,
    revision: &str,
    upgrade: bool,
    sql: bool,
    tag: Option<&str>,
) -> Result<(), Failure> {
    let project = Project::load(global)?;
    let mut destination = revision.to_string();
    let mut starting = None;
    if let Some((start, end)) = revision.split_once(':') {
        if !sql {
            return Err(Failure::Command("Range revision not allowed".into()));
        }
        starting = Some(start.to_string());
        destination = end.split(':').next().unwrap_or(end).to_string();
    } else if sql && !upgrade {
        return Err(Failure::Command(
            "downgrade with --sql requires <fromrev>:<torev>".into(),
        ));
    }
    if sql {
        return Err(Failure::Crash(
            "offline (--sql) upgrade and downgrade are not available in this build of retort yet"
                .into(),
        ));
    }
    let catch = Catch {
        ancestor: Some(format!(
            "Destination {{end}} is not a valid {} target from current head(s)",
            if upgrade { "upgrade" } else { "downgrade" }
        )),
        end: Some(destination.clone()),
        ..Catch::default()
    };
    let map = project.map(&Catch::default())?;
    let mut run = env_run(
        project,
        global,
        if upgrade { "upgrade" } else { "downgrade" },
    )?;
    run.destination_rev = Some(destination.clone());
    run.starting_rev = starting;
    run.tag = tag.map(str::to_string);
    run.as_sql = sql;
    let plan = if upgrade {
        Plan::Upgrade {
            target: destination,
        }
    } else {
        Plan::Downgrade {
            target: destination,
        }
    };
    let mut session = HostedSession {
        project,
        map,
        plan,
        catch,
        out,
    };
    host::run_env(&run, &mut session).map_err(Failure::from)
}

/// Runs `plan` through the project's own env.py (a non-stock env.py).
pub(crate) fn run_plan(
    project: &'static mut Project,
    global: &Global,
    out: &mut Output,
    command: &str,
    plan: Plan,
    catch: Catch,
) -> Result<(), Failure> {
    let map = project.map(&Catch::default())?;
    let project: &Project = project;
    let mut run = env_run(project, global, command)?;
    match &plan {
        Plan::Current { .. } => run.dont_mutate = true,
        Plan::Stamp { revisions, purge } => {
            run.destination_rev = revisions.first().cloned();
            run.purge = *purge;
        }
        _ => {}
    }
    let mut session = HostedSession {
        project,
        map,
        plan,
        catch,
        out,
    };
    host::run_env(&run, &mut session).map_err(Failure::from)
}
