//! The revision graph: built from any source of revisions, it owns validation,
//! target resolution and the order of steps. No I/O, no Python.

mod error;
mod map;
mod plan;
mod resolve;

pub use error::{CycleKind, RevisionError};
pub use map::{Edges, Node, Revision, RevisionMap};
pub use plan::IterateOptions;
pub use resolve::{match_relative, Resolved, RevArg};
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;
