//! What `revision` and `merge` ask of Python (`python/retort/authoring.py`):
//! the creation date, the file name from `file_template`, `script.py.mako`
//! rendered by Mako, and post-write hooks. Each call starts the interpreter
//! if it is not running yet.

use std::path::{Path, PathBuf};

use super::child::{self, Reply};
use super::session::HostError;
use super::wire::Value;

/// A value handed to the template, shaped as Alembic shapes it (`repr` of
/// a tuple and of a list differ in the generated file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateValue {
    None,
    Str(String),
    Bool(bool),
    Tuple(Vec<TemplateValue>),
    List(Vec<TemplateValue>),
}

impl TemplateValue {
    pub(super) fn to_value(&self) -> Value {
        match self {
            TemplateValue::None => Value::None,
            TemplateValue::Str(s) => Value::str(s),
            TemplateValue::Bool(b) => Value::Bool(*b),
            TemplateValue::Tuple(items) => Value::Tuple(items.iter().map(Self::to_value).collect()),
            TemplateValue::List(items) => Value::List(items.iter().map(Self::to_value).collect()),
        }
    }
}

/// Where the `config` object of the template reads its settings, and the
/// command's options (`config.cmd_opts`).
#[derive(Debug, Clone, Default)]
pub struct ConfigSpec {
    pub command: String,
    pub config_file: Option<PathBuf>,
    pub toml_file: Option<PathBuf>,
    pub ini_section: String,
    pub x: Vec<String>,
    pub raiseerr: bool,
    pub quiet: bool,
    pub prepend_sys_path: Vec<String>,
    pub options: Vec<(String, TemplateValue)>,
}

/// The creation date of a new revision (a Python `datetime` the child
/// keeps, handed back to the template as it is): its id there.
pub struct CreateDate(i64);

/// The new file's path: as Alembic holds it, absolute, and its directory.
#[derive(Debug, Clone)]
pub struct RevisionPath {
    pub path: PathBuf,
    pub absolute: PathBuf,
    pub parent: PathBuf,
}

/// Calls `retort.authoring.<name>(*args)` in the child and turns how it
/// ended into a value or a [`HostError`].
fn call(raiseerr: bool, name: &str, args: Vec<Value>) -> Result<Value, HostError> {
    let mut all = vec![Value::Bool(raiseerr), Value::str(name)];
    all.extend(args);
    let unexpected = || HostError::Setup(format!("unexpected answer from retort.authoring.{name}"));
    let pair = match child::call("retort.authoring.call", all)? {
        Reply::Ok(v) => v.into_items().ok_or_else(unexpected)?,
        Reply::Err(message) => return Err(HostError::Setup(message)),
    };
    let [kind, value]: [Value; 2] = pair.try_into().map_err(|_| unexpected())?;
    let message = || value.as_str().unwrap_or_default().to_string();
    match kind.as_str() {
        Some("ok") => Ok(value),
        Some("command") => Err(HostError::Command(message())),
        Some("setup") => Err(HostError::Setup(message())),
        _ => Err(HostError::Python(message())),
    }
}

fn kept(value: &Value, name: &str) -> Result<i64, HostError> {
    value
        .as_int()
        .ok_or_else(|| HostError::Setup(format!("retort.authoring.{name} kept no object")))
}

fn started(spec: &ConfigSpec) -> Result<(), HostError> {
    child::start(&spec.prepend_sys_path)
}

fn path_str(p: &Path) -> Value {
    Value::str(p.display().to_string())
}

/// Alembic's `_generate_create_date`: local time, or now in `timezone`.
pub fn create_date(spec: &ConfigSpec, timezone: Option<&str>) -> Result<CreateDate, HostError> {
    started(spec)?;
    let id = call(spec.raiseerr, "create_date", vec![Value::opt_str(timezone)])?;
    kept(&id, "create_date").map(CreateDate)
}

/// Alembic's `_rev_path`: `file_template` filled in under `version_path`.
pub fn revision_path(
    spec: &ConfigSpec,
    date: &CreateDate,
    version_path: &Path,
    file_template: &str,
    truncate_slug_length: usize,
    rev_id: &str,
    message: Option<&str>,
) -> Result<RevisionPath, HostError> {
    started(spec)?;
    let args = vec![
        path_str(version_path),
        Value::str(file_template),
        Value::Int(i64::try_from(truncate_slug_length).unwrap_or(i64::MAX)),
        Value::str(rev_id),
        Value::opt_str(message),
        Value::Int(date.0),
    ];
    let value = call(spec.raiseerr, "revision_path", args)?;
    let paths: Option<Vec<String>> = value.items().and_then(|items| {
        items
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect()
    });
    match paths.as_deref() {
        Some([path, absolute, parent]) => Ok(RevisionPath {
            path: path.into(),
            absolute: absolute.into(),
            parent: parent.into(),
        }),
        _ => Err(HostError::Setup(
            "unexpected answer from retort.authoring.revision_path".into(),
        )),
    }
}

fn dict_of(items: &[(String, TemplateValue)]) -> Value {
    Value::dict(items.iter().map(|(k, v)| (k.clone(), v.to_value())))
}

fn command_dict(spec: &ConfigSpec) -> Value {
    let path = |p: &Option<PathBuf>| Value::opt_str(p.as_ref().map(|p| p.display().to_string()));
    Value::dict([
        ("name", Value::str(&spec.command)),
        ("config_file", path(&spec.config_file)),
        ("toml_file", path(&spec.toml_file)),
        ("ini_section", Value::str(&spec.ini_section)),
        ("x", Value::str_list(&spec.x)),
        ("raiseerr", Value::Bool(spec.raiseerr)),
        ("quiet", Value::Bool(spec.quiet)),
    ])
}

/// Extra template variables the child keeps as Python objects (what env.py
/// set through `configure(template_args=…)`), by id; none by default.
#[derive(Default)]
pub struct ExtraArgs(Option<i64>);

/// `template_to_file`: `template` rendered by Mako with `args` (plus
/// `create_date`, `comma`, `refresh` and `config`) and written to `dest`.
pub fn render_template(
    spec: &ConfigSpec,
    template: &Path,
    dest: &Path,
    encoding: &str,
    args: &[(String, TemplateValue)],
    date: &CreateDate,
    extra: &ExtraArgs,
) -> Result<(), HostError> {
    started(spec)?;
    let call_args = vec![
        path_str(template),
        path_str(dest),
        Value::str(encoding),
        dict_of(args),
        Value::Int(date.0),
        command_dict(spec),
        dict_of(&spec.options),
        extra.0.map_or(Value::None, Value::Int),
    ];
    call(spec.raiseerr, "render", call_args).map(drop)
}

/// Runs one post-write hook on `path`; `options` are its settings (with
/// `type`), `name` its name.
pub fn run_hook(
    spec: &ConfigSpec,
    path: &Path,
    name: &str,
    options: &[(String, String)],
) -> Result<(), HostError> {
    started(spec)?;
    let settings = Value::dict(
        options
            .iter()
            .map(|(k, v)| (k.clone(), Value::str(v)))
            .chain([("_hook_name".to_string(), Value::str(name))]),
    );
    call(spec.raiseerr, "run_hook", vec![path_str(path), settings]).map(drop)
}

/// While env.py runs for `revision`/`merge` (`revision_environment`): the
/// template variables it configured (plus, for `revision`, the empty
/// operation bodies Alembic renders then).
pub fn environment_template_args(raiseerr: bool, revision: bool) -> Result<ExtraArgs, HostError> {
    let id = call(raiseerr, "environment_args", vec![Value::Bool(revision)])?;
    Ok(ExtraArgs(Some(kept(&id, "environment_args")?)))
}

/// What `revision --autogenerate` writes: the template variables (the
/// compared operation bodies and their imports) and the revision id and
/// message after env.py's `process_revision_directives`.
pub struct Autogenerated {
    pub extra: ExtraArgs,
    pub rev_id: Option<String>,
    pub message: Option<String>,
}

/// While env.py runs for `revision --autogenerate`: the model compared with
/// the database; `None` when `process_revision_directives` dropped the
/// revision.  `options` are the command's (`rev_id`, `message`, …).
pub fn autogenerate_template_args(
    raiseerr: bool,
    options: &[(String, TemplateValue)],
) -> Result<Option<Autogenerated>, HostError> {
    let value = call(raiseerr, "autogenerate_args", vec![dict_of(options)])?;
    if value.is_none() {
        return Ok(None);
    }
    match value.items() {
        Some([extra, rev_id, message]) => Ok(Some(Autogenerated {
            extra: ExtraArgs(Some(kept(extra, "autogenerate_args")?)),
            rev_id: rev_id.as_str().map(str::to_string),
            message: message.as_str().map(str::to_string),
        })),
        _ => Err(HostError::Setup(
            "unexpected answer from retort.authoring.autogenerate_args".into(),
        )),
    }
}

/// While env.py runs for `check`: Alembic's message when there are
/// operations to generate, `None` when the database matches the model.
pub fn check_message(raiseerr: bool) -> Result<Option<String>, HostError> {
    let value = call(raiseerr, "check_message", vec![])?;
    Ok(value.as_str().map(str::to_string))
}
