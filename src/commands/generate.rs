//! Writing a new revision file, as Alembic's `ScriptDirectory.generate_revision`
//! does for `revision` and `merge`: the parents, the version directory, the
//! checks in Alembic's order, `script.py.mako` rendered (in the Python host,
//! by Mako), the post-write hooks, and the new file read back into the map.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{Catch, Failure, Global, Output, Project};
use crate::db::{Backend, VersionTable};
use crate::host::{self, ConfigSpec, ExtraArgs, TemplateValue};
use crate::host::{EnvRun, OptionValue, Session, SessionError, StepSpec};
use crate::python::{python_path_str, python_repr};
use crate::revision::{Resolved, RevArg, Revision, RevisionMap};
use crate::script::{new_rev_id, read_new_script, verify_rev_id};

const MULTIPLE_HEADS: &str = "Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.";

/// What the command asks for.
pub(crate) struct NewRevision {
    pub rev_id: String,
    pub message: Option<String>,
    /// `--head` (one item) or `merge`'s revisions.
    pub heads: Vec<String>,
    pub splice: bool,
    pub branch_label: Option<String>,
    pub version_path: Option<String>,
    pub depends_on: Vec<String>,
    /// Template variables env.py set (`revision_environment`).
    pub extra: ExtraArgs,
}

/// The `config` object templates see, and the host's start-up settings.
pub(crate) fn config_spec(
    project: &Project,
    global: &Global,
    command: &str,
    quiet: bool,
    options: Vec<(String, TemplateValue)>,
) -> Result<ConfigSpec, Failure> {
    let config = &project.config;
    Ok(ConfigSpec {
        command: command.to_string(),
        config_file: config.ini_path.exists().then(|| config.ini_path.clone()),
        toml_file: config.toml_path.exists().then(|| config.toml_path.clone()),
        ini_section: config.section.clone(),
        x: global.x.clone(),
        raiseerr: global.raiseerr,
        quiet,
        prepend_sys_path: config.prepend_sys_path()?.unwrap_or_default(),
        options,
    })
}

/// An optional string option as `config.cmd_opts` holds it.
pub(crate) fn opt_text(v: &Option<String>) -> TemplateValue {
    v.as_ref()
        .map_or(TemplateValue::None, |s| TemplateValue::Str(s.clone()))
}

/// `rev_id or util.rev_id()`: the id given, unless empty, else a fresh one.
pub(crate) fn rev_id_or_new(given: Option<&str>) -> Result<String, Failure> {
    match given {
        Some(id) if !id.is_empty() => Ok(id.to_string()),
        _ => Ok(new_rev_id()?),
    }
}

/// `str(Path(p).absolute())`: the working directory in front of a relative
/// path, normalised as Python prints paths (`..` kept).
pub(crate) fn python_absolute(p: &Path) -> String {
    let s = p.to_string_lossy();
    if s.starts_with('/') {
        return python_path_str(&s);
    }
    let cwd = std::env::current_dir()
        .map(|d| d.to_string_lossy().into_owned())
        .unwrap_or_default();
    python_path_str(&format!("{cwd}/{s}"))
}

/// `ScriptDirectory._ensure_directory`.
pub(crate) fn ensure_directory(out: &mut Output, path: &Path) -> Result<(), Failure> {
    let shown = python_absolute(path);
    if Path::new(&shown).exists() {
        return Ok(());
    }
    out.status(&format!("Creating directory {shown}"), || {
        std::fs::create_dir_all(&shown)
            .map_err(|e| Failure::Crash(format!("cannot create directory {shown}: {e}")))
    })
}

fn assertion(what: &str) -> Failure {
    Failure::Crash(format!(
        "{what} (Alembic fails with an AssertionError here)"
    ))
}

/// `tuple_rev_as_scalar`: nothing → None, one → the value, more → the sequence.
fn scalar(mut items: Vec<TemplateValue>, list: bool) -> TemplateValue {
    match items.len() {
        0 => TemplateValue::None,
        1 => items.remove(0),
        _ if list => TemplateValue::List(items),
        _ => TemplateValue::Tuple(items),
    }
}

fn id_or_none(map: &RevisionMap, head: Option<usize>) -> TemplateValue {
    head.map_or(TemplateValue::None, |i| {
        TemplateValue::Str(map.id(i).to_string())
    })
}

/// The project's graph, and its revisions kept aside for the new file to
/// join them.
pub(crate) struct Graph {
    pub project: &'static Project,
    pub map: &'static RevisionMap,
    revisions: Vec<Revision>,
}

impl Graph {
    pub(crate) fn load(project: &'static mut Project) -> Result<Graph, Failure> {
        let revisions = project.scripts.iter().map(|s| s.revision.clone()).collect();
        let map = project.map(&heads_catch())?;
        Ok(Graph {
            project,
            map,
            revisions,
        })
    }
}

fn heads_catch() -> Catch {
    Catch {
        multiple_heads: Some(MULTIPLE_HEADS.to_string()),
        ..Catch::default()
    }
}

/// Writes the new revision; returns nothing to print beyond the status lines.
pub(crate) fn generate_revision(
    out: &mut Output,
    graph: Graph,
    new: NewRevision,
    spec: &ConfigSpec,
) -> Result<(), Failure> {
    let Graph {
        project,
        map,
        mut revisions,
    } = graph;
    verify_rev_id(&new.rev_id).map_err(Failure::Command)?;
    let catch = heads_catch();

    let mut heads: Vec<Option<usize>> = Vec::new();
    for r in map
        .get_revisions(RevArg::Rows(&new.heads))
        .map_err(|e| catch.failure(e))?
    {
        match r {
            Resolved::Rev(i) => heads.push(Some(i)),
            Resolved::Nothing => heads.push(None),
            Resolved::Base => {
                return Err(assertion(
                    "the head given resolves to the base of the graph, which cannot be a parent",
                ))
            }
        }
    }
    if heads.iter().collect::<HashSet<_>>().len() != heads.len() {
        return Err(Failure::Command(
            "Duplicate head revisions specified".to_string(),
        ));
    }
    if let Some(i) = map.key(&new.rev_id).filter(|&i| map.id(i) == new.rev_id) {
        return Err(Failure::Command(format!(
            "Revision {} is already present in {}; please choose another --rev-id",
            new.rev_id,
            project.scripts[i].path.display()
        )));
    }

    let config = &project.config;
    let date = host::create_date(spec, config.timezone()?.as_deref())?;

    let locations = &project.dir.version_locations;
    let version_path: PathBuf = match &new.version_path {
        Some(v) => PathBuf::from(v),
        None if locations.len() > 1 => match heads.iter().flatten().next() {
            Some(&i) => project.scripts[i]
                .path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
            None => {
                return Err(Failure::Command(
                    "Multiple version locations present, please specify --version-path".to_string(),
                ))
            }
        },
        None => locations.first().cloned().unwrap_or_default(),
    };
    let absolute = std::path::absolute(&version_path).unwrap_or_else(|_| version_path.clone());
    if !locations.contains(&absolute) {
        return Err(Failure::Command(format!(
            "Path {} is not represented in current version locations",
            python_path_str(&version_path.to_string_lossy())
        )));
    }
    if config
        .version_locations()?
        .is_some_and(|list| !list.is_empty())
    {
        ensure_directory(out, &version_path)?;
    }

    let path = host::revision_path(
        spec,
        &date,
        &version_path,
        &config.file_template()?,
        config.truncate_slug_length()?,
        &new.rev_id,
        new.message.as_deref(),
    )?;
    ensure_directory(out, &path.parent)?;

    if !new.splice {
        if let Some(&i) = heads.iter().flatten().find(|&&i| !map.node(i).is_head()) {
            return Err(Failure::Command(format!(
                "Revision {} is not a head revision; please specify --splice to create a new branch from this revision",
                map.id(i)
            )));
        }
    }

    let depends_on = if new.depends_on.is_empty() {
        TemplateValue::None
    } else {
        let mut resolved = Vec::with_capacity(new.depends_on.len());
        let catch = Catch::default();
        for dep in &new.depends_on {
            let Some(i) = map.get_revision(Some(dep)).map_err(|e| catch.failure(e))? else {
                return Err(assertion(&format!(
                    "--depends-on '{dep}' names no revision"
                )));
            };
            // Branch labels are kept as written, partial ids resolved.
            let value = if map.node(i).labels.contains(dep) {
                dep.clone()
            } else {
                map.id(i).to_string()
            };
            resolved.push(TemplateValue::Str(value));
        }
        scalar(resolved, true)
    };

    let args = vec![
        (
            "up_revision".to_string(),
            TemplateValue::Str(new.rev_id.clone()),
        ),
        (
            "down_revision".to_string(),
            scalar(heads.iter().map(|&h| id_or_none(map, h)).collect(), false),
        ),
        (
            "branch_labels".to_string(),
            new.branch_label.as_ref().map_or(TemplateValue::None, |l| {
                TemplateValue::Tuple(vec![TemplateValue::Str(l.clone())])
            }),
        ),
        ("depends_on".to_string(), depends_on),
        (
            "message".to_string(),
            TemplateValue::Str(
                new.message
                    .clone()
                    .unwrap_or_else(|| "empty message".to_string()),
            ),
        ),
    ];
    let template = project.dir.dir.join("script.py.mako");
    let encoding = config.output_encoding()?;
    out.status(
        &format!("Generating {}", path.absolute.display()),
        || -> Result<(), Failure> {
            host::render_template(
                spec, &template, &path.path, &encoding, &args, &date, &new.extra,
            )?;
            Ok(())
        },
    )?;

    run_hooks(out, project, spec, &path.path)?;

    let Some(script) = read_new_script(&path.path)? else {
        return Ok(());
    };
    if let Some(label) = &new.branch_label {
        if script.revision.branch_labels.is_empty() {
            return Err(Failure::Command(format!(
                "Version {} specified branch_labels {label}, however the migration file {} does not have them; have you upgraded your script.py.mako to include the 'branch_labels' section?",
                script.revision.id,
                script.path.display()
            )));
        }
    }
    // `revision_map.add_revision`: the new file must fit the graph.
    revisions.push(script.revision);
    RevisionMap::build(revisions).map_err(|e| Failure::Crash(e.to_string()))?;
    Ok(())
}

/// `write_hooks._run_hooks`: each configured hook on the new file.
fn run_hooks(
    out: &mut Output,
    project: &Project,
    spec: &ConfigSpec,
    path: &Path,
) -> Result<(), Failure> {
    for hook in project.config.post_write_hooks()? {
        if !hook.options.iter().any(|(k, _)| k == "type") {
            return Err(Failure::Command(format!(
                "Key '{}.type' (or 'type' in toml) is required for post write hook {}",
                hook.name,
                python_repr(&hook.name)
            )));
        }
        // Alembic prints these whatever -q says.
        out.begin_status_unquiet(
            &format!("Running post write hook {}", python_repr(&hook.name)),
            true,
        );
        let result = host::run_hook(spec, path, &hook.name, &hook.options);
        out.end_status_unquiet(result.is_ok());
        result?;
    }
    Ok(())
}

/// Why env.py runs for an authoring command, and what it gave back.
pub(crate) enum EnvPurpose {
    /// `revision`/`merge` with `revision_environment`: the template
    /// variables env.py configured.
    Template { revision: bool },
    /// `revision --autogenerate`: the model compared with the database.
    Autogenerate {
        options: Vec<(String, TemplateValue)>,
    },
    /// `check`.
    Check,
}

/// What env.py's run produced for [`EnvPurpose`].
pub(crate) enum EnvResult {
    Template(ExtraArgs),
    Autogenerated(Option<host::Autogenerated>),
    Check(Option<String>),
}

/// env.py's run for an authoring command: no steps; what the command needs
/// is taken while `run_migrations()` runs.
struct EnvironmentSession<'a> {
    project: &'a Project,
    map: &'a RevisionMap,
    out: &'a mut Output,
    purpose: EnvPurpose,
    raiseerr: bool,
    result: Option<EnvResult>,
}

impl EnvironmentSession<'_> {
    /// Alembic's `Target database is not up to date.`: the database's heads
    /// must be the script directory's.
    fn up_to_date(&self, heads: &[String]) -> Result<(), Failure> {
        let catch = Catch::default();
        let mut current = HashSet::new();
        for r in self
            .map
            .get_revisions(RevArg::Rows(heads))
            .map_err(|e| catch.failure(e))?
        {
            if let Resolved::Rev(i) = r {
                current.insert(i);
            }
        }
        let script_heads: HashSet<usize> = self.map.heads().iter().copied().collect();
        if current != script_heads {
            return Err(Failure::Command(
                "Target database is not up to date.".to_string(),
            ));
        }
        Ok(())
    }

    fn take(&mut self, heads: &[String]) -> Result<EnvResult, Failure> {
        Ok(match &self.purpose {
            EnvPurpose::Template { revision } => {
                EnvResult::Template(host::environment_template_args(self.raiseerr, *revision)?)
            }
            EnvPurpose::Autogenerate { options } => {
                self.up_to_date(heads)?;
                EnvResult::Autogenerated(host::autogenerate_template_args(self.raiseerr, options)?)
            }
            EnvPurpose::Check => {
                self.up_to_date(heads)?;
                EnvResult::Check(host::check_message(self.raiseerr)?)
            }
        })
    }
}

impl Session for EnvironmentSession<'_> {
    fn steps(
        &mut self,
        heads: &[String],
        _history: Option<&[crate::db::HistoryRow]>,
        _table: &VersionTable,
        _backend: Backend,
        _url: &str,
    ) -> Result<Vec<StepSpec>, SessionError> {
        let result = self.take(heads).map_err(SessionError::from)?;
        self.result = Some(result);
        Ok(Vec::new())
    }

    fn resolve_start(&mut self, revisions: &[String]) -> Result<Vec<String>, SessionError> {
        super::hosted::resolve_start(self.map, revisions)
    }

    fn print(&mut self, text: &str) {
        self.out.line(text);
    }

    fn script_heads(&mut self) -> Vec<String> {
        super::hosted::script_heads(self.map)
    }

    fn flush(&mut self) {
        self.out.flush();
    }

    fn toml_option(&mut self, name: &str) -> Result<Option<OptionValue>, SessionError> {
        super::hosted::toml_option(self.project, name)
    }
}

/// Runs env.py as Alembic does for an authoring command; returns what it
/// gave for `purpose` (`None`: env.py never called `run_migrations()`).
pub(crate) fn run_environment(
    graph: &Graph,
    global: &Global,
    out: &mut Output,
    spec: &ConfigSpec,
    sql: bool,
    purpose: EnvPurpose,
) -> Result<Option<EnvResult>, Failure> {
    let mut run: EnvRun = super::hosted::env_run(graph.project, global, &spec.command)?;
    run.as_sql = sql;
    run.quiet = spec.quiet;
    run.cmd_opts = spec.options.clone();
    let mut session = EnvironmentSession {
        project: graph.project,
        map: graph.map,
        out,
        purpose,
        raiseerr: global.raiseerr,
        result: None,
    };
    host::run_env(&run, &mut session)?;
    Ok(session.result)
}

/// The template variables of a [`EnvPurpose::Template`] run.
pub(crate) fn template_args(result: Option<EnvResult>) -> ExtraArgs {
    match result {
        Some(EnvResult::Template(extra)) => extra,
        _ => ExtraArgs::default(),
    }
}
