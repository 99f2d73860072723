//! Running a plan: the steps of an upgrade, downgrade or stamp and how each one
//! moves the version table. (Execution against a database comes with `db`/`host`.)

mod steps;

pub use steps::{stamp_steps, Heads, Step, VersionOp};

use crate::revision::RevisionError;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RuntimeError {
    #[error(transparent)]
    Revision(#[from] RevisionError),
    /// The version table would stop holding one row per head.
    #[error("{0}")]
    VersionTable(String),
}

#[cfg(test)]
mod tests;
