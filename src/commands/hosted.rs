//! Commands that run the project's env.py in the Python host: the command's
//! work (`fn(heads, context)` in Alembic) is a [`Plan`] answered from Rust
//! when env.py's migration context asks for its steps.

use super::{Catch, Failure, Global, Locking, Output, Project};
use crate::config::TomlValue;
use crate::db::{Backend, HistoryRow, VersionTable};
use crate::host::{self, EnvRun, HostError, OptionValue, Session, SessionError, StepSpec};
use crate::revision::{RevArg, RevisionMap};
use crate::runtime::{stamp_steps, Heads, Step, VersionOp};

/// What the command does with the heads env.py's context read.
pub(crate) enum Plan {
    /// `upgrade` / `downgrade` (online).
    Migrate {
        target: String,
        upgrade: bool,
        tag: Option<String>,
        locking: Locking,
        /// `upgrade --strict`: edited or missing applied scripts stop the run.
        strict: bool,
    },
    /// `current [-v] [--check-heads]`: prints, runs nothing.
    Current {
        verbose: bool,
        check_heads: bool,
        format: crate::cli::Format,
    },
    /// `stamp REV...`: version-table steps only.
    Stamp {
        revisions: Vec<String>,
        purge: bool,
        locking: Locking,
    },
    /// `ensure_version`: the context creates the version table it was
    /// configured with when it finds no rows; there is nothing to run.
    EnsureVersion,
    /// `history` when it reads the database (`-i`, a `current` bound,
    /// `revision_environment`): prints, runs nothing.
    History(super::history::Listing),
    /// `show current`: prints, runs nothing.
    ShowCurrent,
    /// `status`: prints, runs nothing.
    Status(crate::cli::Format),
}

struct HostedSession<'a> {
    project: &'a Project,
    map: &'static RevisionMap,
    plan: Plan,
    catch: Catch,
    out: &'a mut Output,
    /// `--sql`: statements are printed, not run.
    offline: bool,
    /// `checksums = true`: steps record themselves in `retort_history`.
    checksums: bool,
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
    offline: bool,
    ops: Vec<VersionOp>,
) -> Vec<(String, Option<u64>, String)> {
    let name = percent_safe(&table.name);
    ops.into_iter()
        .map(|op| match op {
            VersionOp::Insert(v) if offline => (
                table.offline_insert_sql(backend, &v, crate::host::sqlalchemy_line()),
                None,
                String::new(),
            ),
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
    /// One step as the shim runs it, moving `rows` past it.
    fn spec(
        &self,
        rows: &mut Heads,
        step: Step,
        table: &VersionTable,
        backend: Backend,
    ) -> Result<StepSpec, SessionError> {
        let (revision, script, upgrade) = match step {
            Step::Revision { rev, upgrade } => (
                self.map.id(rev).to_string(),
                Some(&self.project.scripts[rev]),
                upgrade,
            ),
            Step::Stamp { .. } => (String::new(), None, true),
        };
        let running = |line: String| match line.strip_prefix("Running ") {
            Some(rest) => rest.to_string(),
            None => line,
        };
        let log = running(step.log_line(self.map, script.map(|s| s.doc())));
        let comment = running(step.log_line(self.map, None));
        let applied_before = self
            .checksums
            .then(|| super::status::applied_set(self.map, rows.rows()));
        let ops = rows.apply(self.map, &step).map_err(|e| SessionError {
            command: false,
            message: e.to_string(),
        })?;
        let audit = match applied_before {
            Some(before) => {
                super::status::history_changes(self.project, self.map, &before, rows.rows(), &step)
            }
            None => Vec::new(),
        };
        Ok(StepSpec {
            revision,
            path: script.map(|s| s.path.clone()),
            upgrade,
            log,
            comment,
            version_sql: version_statements(table, backend, self.offline, ops),
            heads_after: rows.rows().to_vec(),
            audit,
        })
    }
}

impl Session for HostedSession<'_> {
    fn steps(
        &mut self,
        heads: &[String],
        history: Option<&[HistoryRow]>,
        table: &VersionTable,
        backend: Backend,
        url: &str,
    ) -> Result<Vec<StepSpec>, SessionError> {
        let steps = match &self.plan {
            Plan::Current {
                verbose,
                check_heads,
                format,
            } => {
                super::current::report(
                    self.project,
                    self.map,
                    heads,
                    url,
                    *verbose,
                    *check_heads,
                    *format,
                    self.out,
                )?;
                Vec::new()
            }
            Plan::Stamp { revisions, .. } => {
                stamp_steps(self.map, heads, revisions).map_err(|e| self.catch.failure(e))?
            }
            Plan::EnsureVersion => Vec::new(),
            Plan::History(listing) => {
                listing.report(self.project, self.map, Some(heads), self.out)?;
                Vec::new()
            }
            Plan::ShowCurrent => {
                super::show::report(
                    self.project,
                    self.map,
                    RevArg::Rows(heads),
                    "current",
                    self.out,
                )?;
                Vec::new()
            }
            Plan::Status(format) => {
                super::status::report(self.project, self.map, heads, history, *format, self.out)?;
                Vec::new()
            }
            Plan::Migrate {
                target,
                upgrade,
                strict,
                ..
            } => {
                if let (true, Some(history)) = (*upgrade, history) {
                    super::status::check_before_upgrade(
                        self.project,
                        self.map,
                        heads,
                        history,
                        *strict,
                    )?;
                }
                let mut warnings = Vec::new();
                let revs = if *upgrade {
                    self.map.upgrade_plan(heads, target, &mut warnings)
                } else {
                    self.map.downgrade_plan(heads, target, &mut warnings)
                };
                super::emit_warnings(warnings);
                let revs = revs.map_err(|e| self.catch.failure(e))?;
                revs.into_iter()
                    .map(|rev| Step::Revision {
                        rev,
                        upgrade: *upgrade,
                    })
                    .collect()
            }
        };
        let mut rows = Heads::new(heads);
        steps
            .into_iter()
            .map(|step| self.spec(&mut rows, step, table, backend))
            .collect()
    }

    fn resolve_start(&mut self, revisions: &[String]) -> Result<Vec<String>, SessionError> {
        resolve_start(self.map, revisions)
    }

    fn print(&mut self, text: &str) {
        self.out.line(text);
    }

    fn flush(&mut self) {
        self.out.flush();
    }

    fn script_heads(&mut self) -> Vec<String> {
        script_heads(self.map)
    }

    fn toml_option(&mut self, name: &str) -> Result<Option<OptionValue>, SessionError> {
        toml_option(self.project, name)
    }
}

// What every command's session answers alike.

/// `[tool.alembic]` option `name` as env.py's Config reads it.
pub(crate) fn toml_option(
    project: &Project,
    name: &str,
) -> Result<Option<OptionValue>, SessionError> {
    let value = project.config.toml_value(name).map_err(|e| SessionError {
        command: e.is_command_error(),
        message: e.to_string(),
    })?;
    Ok(value.map(|v| match v {
        TomlValue::Str(s) => OptionValue::Str(s),
        TomlValue::Int(i) => OptionValue::Int(i),
        TomlValue::Bool(b) => OptionValue::Bool(b),
        TomlValue::List(items) => OptionValue::List(items),
        TomlValue::Table(pairs) => OptionValue::Dict(pairs),
        TomlValue::Tables(tables) => OptionValue::Dicts(tables),
    }))
}

/// Offline `starting_rev` entries as full ids (`base` dropped).
pub(crate) fn resolve_start(
    map: &RevisionMap,
    revisions: &[String],
) -> Result<Vec<String>, SessionError> {
    let mut ids = Vec::with_capacity(revisions.len());
    for r in revisions.iter().filter(|r| r.as_str() != "base") {
        let rev = map
            .get_revision(Some(r))
            .map_err(|e| Catch::default().failure(e))?;
        ids.extend(rev.map(|k| map.id(k).to_string()));
    }
    Ok(ids)
}

/// The script directory's heads, as `context.get_head_revisions()` gives them.
pub(crate) fn script_heads(map: &RevisionMap) -> Vec<String> {
    map.heads().iter().map(|&h| map.id(h).to_string()).collect()
}

/// The command line as env.py sees it.
pub(crate) fn env_run(
    project: &Project,
    global: &Global,
    command: &str,
) -> Result<EnvRun, Failure> {
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

/// An `upgrade` / `downgrade` command line.
pub(crate) struct Migrate<'a> {
    pub revision: &'a str,
    pub upgrade: bool,
    pub sql: bool,
    pub tag: Option<&'a str>,
    pub locking: Locking,
    pub strict: bool,
}

/// `upgrade` / `downgrade`: env.py runs, the plan answers its steps.
pub(crate) fn migrate(global: &Global, out: &mut Output, args: Migrate<'_>) -> Result<(), Failure> {
    let Migrate {
        revision,
        upgrade,
        sql,
        tag,
        locking,
        strict,
    } = args;
    let project = Project::load(global)?;
    if revision.contains(':') && !sql {
        return Err(Failure::Command("Range revision not allowed".into()));
    }
    if sql && !upgrade && !revision.contains(':') {
        return Err(Failure::Command(
            "downgrade with --sql requires <fromrev>:<torev>".into(),
        ));
    }
    let (start, target) = match super::split_range(revision)? {
        Some((start, end)) => (Some(start.to_string()), end),
        None => (None, revision),
    };
    let catch = Catch {
        ancestor: Some(format!(
            "Destination {{end}} is not a valid {} target from current head(s)",
            if upgrade { "upgrade" } else { "downgrade" }
        )),
        end: Some(target.to_string()),
        ..Catch::default()
    };
    let plan = Plan::Migrate {
        target: target.to_string(),
        upgrade,
        tag: tag.map(str::to_string),
        locking,
        strict,
    };
    if sql {
        run_plan_offline(project, global, out, plan, catch, start)
    } else {
        run_plan(project, global, out, plan, catch)
    }
}

/// Runs `plan` through the project's own env.py.
pub(crate) fn run_plan(
    project: &'static mut Project,
    global: &Global,
    out: &mut Output,
    plan: Plan,
    catch: Catch,
) -> Result<(), Failure> {
    run_env_py(project, global, out, plan, catch, None)
}

/// Runs `plan` through env.py's offline branch (`--sql`): `start` (the part
/// before `:`) is the whole current state; no database is read.
pub(crate) fn run_plan_offline(
    project: &'static mut Project,
    global: &Global,
    out: &mut Output,
    plan: Plan,
    catch: Catch,
    start: Option<String>,
) -> Result<(), Failure> {
    run_env_py(project, global, out, plan, catch, Some(start))
}

/// The lock as the host takes it (offline runs never lock: see environment.py).
fn lock_request(locking: Locking) -> Option<Option<f64>> {
    match locking {
        Locking::Off => None,
        Locking::Wait(limit) => Some(limit.map(|d| d.as_secs_f64())),
    }
}

fn run_env_py(
    project: &'static mut Project,
    global: &Global,
    out: &mut Output,
    plan: Plan,
    catch: Catch,
    offline: Option<Option<String>>,
) -> Result<(), Failure> {
    let map = project.map(&Catch::default())?;
    let project: &Project = project;
    let command = match &plan {
        Plan::Migrate { upgrade: true, .. } => "upgrade",
        Plan::Migrate { upgrade: false, .. } => "downgrade",
        Plan::Current { .. } => "current",
        Plan::Stamp { .. } => "stamp",
        Plan::EnsureVersion => "ensure_version",
        Plan::History(_) => "history",
        Plan::ShowCurrent => "show",
        Plan::Status(_) => "status",
    };
    let mut run = env_run(project, global, command)?;
    if let Some(start) = &offline {
        run.as_sql = true;
        run.starting_rev = start.clone();
    }
    match &plan {
        Plan::Migrate {
            target,
            tag,
            locking,
            ..
        } => {
            run.destination_rev = Some(target.clone());
            run.tag = tag.clone();
            run.lock = lock_request(*locking);
        }
        Plan::Current { .. } | Plan::Status(_) => run.dont_mutate = true,
        Plan::Stamp {
            revisions,
            purge,
            locking,
        } => {
            run.destination_rev = revisions.first().cloned();
            run.purge = *purge;
            run.lock = lock_request(*locking);
        }
        Plan::EnsureVersion | Plan::History(_) | Plan::ShowCurrent => {}
    }
    run.checksums = project.config.checksums()?;
    let mut session = HostedSession {
        project,
        map,
        plan,
        catch,
        out,
        offline: offline.is_some(),
        checksums: run.checksums,
    };
    host::run_env(&run, &mut session).map_err(Failure::from)
}
