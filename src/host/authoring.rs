//! What `revision` and `merge` ask of Python (`python/retort/authoring.py`):
//! the creation date, the file name from `file_template`, `script.py.mako`
//! rendered by Mako, and post-write hooks. Each call starts the interpreter
//! if it is not running yet.

use std::path::{Path, PathBuf};

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString, PyTuple};

use super::interpreter;
use super::session::HostError;

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
    pub(super) fn to_python<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(match self {
            TemplateValue::None => py.None().into_bound(py),
            TemplateValue::Str(s) => text(py, s),
            TemplateValue::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
            TemplateValue::Tuple(items) => {
                let items: Vec<_> = items
                    .iter()
                    .map(|v| v.to_python(py))
                    .collect::<PyResult<_>>()?;
                PyTuple::new(py, items)?.into_any()
            }
            TemplateValue::List(items) => {
                let items: Vec<_> = items
                    .iter()
                    .map(|v| v.to_python(py))
                    .collect::<PyResult<_>>()?;
                PyList::new(py, items)?.into_any()
            }
        })
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

/// The creation date of a new revision (a Python `datetime`, handed back to
/// the template as it is).
pub struct CreateDate(Py<PyAny>);

/// The new file's path: as Alembic holds it, absolute, and its directory.
#[derive(Debug, Clone)]
pub struct RevisionPath {
    pub path: PathBuf,
    pub absolute: PathBuf,
    pub parent: PathBuf,
}

/// Calls `retort.authoring.<name>(*args)` and turns how it ended into a
/// value or a [`HostError`].
fn call<'py, T>(
    py: Python<'py>,
    raiseerr: bool,
    name: &str,
    args: Vec<Bound<'py, PyAny>>,
    extract: impl FnOnce(Bound<'py, PyAny>) -> PyResult<T>,
) -> Result<T, HostError> {
    let module = py
        .import("retort.authoring")
        .map_err(|e| HostError::Setup(interpreter::describe(py, &e)))?;
    let mut all = vec![
        PyBool::new(py, raiseerr).to_owned().into_any(),
        text(py, name),
    ];
    all.extend(args);
    let args = PyTuple::new(py, all).map_err(|e| HostError::Setup(e.to_string()))?;
    let result = module
        .call_method1("call", args)
        .map_err(|e| HostError::Setup(interpreter::describe(py, &e)))?;
    let (kind, value): (String, Bound<'py, PyAny>) = result
        .extract()
        .map_err(|e: PyErr| HostError::Setup(e.to_string()))?;
    let message = || value.str().map(|s| s.to_string()).unwrap_or_default();
    match kind.as_str() {
        "ok" => extract(value.clone()).map_err(|e| HostError::Setup(e.to_string())),
        "command" => Err(HostError::Command(message())),
        "setup" => Err(HostError::Setup(message())),
        _ => Err(HostError::Python(message())),
    }
}

fn started(spec: &ConfigSpec) -> Result<(), HostError> {
    interpreter::start(&spec.prepend_sys_path)
}

fn py_err(e: PyErr) -> HostError {
    HostError::Setup(e.to_string())
}

fn text<'py>(py: Python<'py>, s: &str) -> Bound<'py, PyAny> {
    PyString::new(py, s).into_any()
}

fn optional<'py>(py: Python<'py>, s: Option<&str>) -> Bound<'py, PyAny> {
    match s {
        Some(s) => text(py, s),
        None => py.None().into_bound(py),
    }
}

fn path_str(p: &Path) -> String {
    p.display().to_string()
}

/// Alembic's `_generate_create_date`: local time, or now in `timezone`.
pub fn create_date(spec: &ConfigSpec, timezone: Option<&str>) -> Result<CreateDate, HostError> {
    started(spec)?;
    Python::attach(|py| {
        let tz = optional(py, timezone);
        call(py, spec.raiseerr, "create_date", vec![tz], |v| {
            Ok(CreateDate(v.unbind()))
        })
    })
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
    Python::attach(|py| {
        let Ok(truncate) = truncate_slug_length.into_pyobject(py);
        let args = vec![
            text(py, &path_str(version_path)),
            text(py, file_template),
            truncate.into_any(),
            text(py, rev_id),
            optional(py, message),
            date.0.bind(py).clone(),
        ];
        call(py, spec.raiseerr, "revision_path", args, |v| {
            let (path, absolute, parent): (String, String, String) = v.extract()?;
            Ok(RevisionPath {
                path: path.into(),
                absolute: absolute.into(),
                parent: parent.into(),
            })
        })
    })
}

fn dict_of<'py>(
    py: Python<'py>,
    items: &[(String, TemplateValue)],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in items {
        d.set_item(k, v.to_python(py)?)?;
    }
    Ok(d)
}

fn command_dict<'py>(py: Python<'py>, spec: &ConfigSpec) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let path = |p: &Option<PathBuf>| p.as_ref().map(|p| path_str(p));
    d.set_item("name", &spec.command)?;
    d.set_item("config_file", path(&spec.config_file))?;
    d.set_item("toml_file", path(&spec.toml_file))?;
    d.set_item("ini_section", &spec.ini_section)?;
    d.set_item("x", PyList::new(py, &spec.x)?)?;
    d.set_item("raiseerr", spec.raiseerr)?;
    d.set_item("quiet", spec.quiet)?;
    Ok(d)
}

/// Extra template variables handed over as Python objects (what env.py set
/// through `configure(template_args=…)`); none by default.
#[derive(Default)]
pub struct ExtraArgs(Option<Py<PyAny>>);

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
    Python::attach(|py| {
        let call_args = vec![
            text(py, &path_str(template)),
            text(py, &path_str(dest)),
            text(py, encoding),
            dict_of(py, args).map_err(py_err)?.into_any(),
            date.0.bind(py).clone(),
            command_dict(py, spec).map_err(py_err)?.into_any(),
            dict_of(py, &spec.options).map_err(py_err)?.into_any(),
            match &extra.0 {
                Some(e) => e.bind(py).clone(),
                None => py.None().into_bound(py),
            },
        ];
        call(py, spec.raiseerr, "render", call_args, |_| Ok(()))
    })
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
    Python::attach(|py| {
        let d = PyDict::new(py);
        for (k, v) in options {
            d.set_item(k, v).map_err(py_err)?;
        }
        d.set_item("_hook_name", name).map_err(py_err)?;
        let args = vec![text(py, &path_str(path)), d.into_any()];
        call(py, spec.raiseerr, "run_hook", args, |_| Ok(()))
    })
}

/// While env.py runs for `revision`/`merge` (`revision_environment`): the
/// template variables it configured (plus, for `revision`, the empty
/// operation bodies Alembic renders then).
pub fn environment_template_args(raiseerr: bool, revision: bool) -> Result<ExtraArgs, HostError> {
    Python::attach(|py| {
        let flag = PyBool::new(py, revision).to_owned().into_any();
        call(py, raiseerr, "environment_args", vec![flag], |v| {
            Ok(ExtraArgs(Some(v.unbind())))
        })
    })
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
    Python::attach(|py| {
        let command = dict_of(py, options).map_err(py_err)?.into_any();
        call(py, raiseerr, "autogenerate_args", vec![command], |v| {
            if v.is_none() {
                return Ok(None);
            }
            let (extra, rev_id, message): (Bound<'_, PyAny>, Option<String>, Option<String>) =
                v.extract()?;
            Ok(Some(Autogenerated {
                extra: ExtraArgs(Some(extra.unbind())),
                rev_id,
                message,
            }))
        })
    })
}

/// While env.py runs for `check`: Alembic's message when there are
/// operations to generate, `None` when the database matches the model.
pub fn check_message(raiseerr: bool) -> Result<Option<String>, HostError> {
    Python::attach(|py| call(py, raiseerr, "check_message", vec![], |v| v.extract()))
}
