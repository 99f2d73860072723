//! The Python host: CPython embedded with pyo3, started only by commands that
//! must run env.py or a migration script.  This is the only module that names
//! pyo3.
//!
//! - `interpreter`: which Python environment (the user's virtualenv) and the
//!   embedded shim (`alembic/`, `python/retort/`) served from memory.
//! - `bridge`: the `_retort` native module the shim calls: sqlx connections
//!   for its DBAPI driver, the command's steps, DDL rendering, output.
//! - `session`: what a command hands the host for one run of env.py.
//! - `authoring`: what `revision` and `merge` ask of Python (the creation
//!   date, the file name, `script.py.mako` rendered by Mako, write hooks).

mod authoring;
mod bridge;
mod interpreter;
mod session;

pub use authoring::{
    create_date, environment_template_args, render_template, revision_path, run_hook, ConfigSpec,
    CreateDate, ExtraArgs, RevisionPath, TemplateValue,
};
pub use bridge::logging_configured;
pub use session::{run_env, EnvRun, HostError, OptionValue, Session, SessionError, StepSpec};
