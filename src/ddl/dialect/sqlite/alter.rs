//! No ALTER of constraints: Alembic refuses it and points to batch mode,
//! which rebuilds the table when its operations need more than SQLite's
//! `ADD COLUMN`.

use crate::ddl::batch::Entry;
use crate::ddl::ir::*;
use crate::ddl::DdlError;

pub(super) fn no_alter() -> DdlError {
    DdlError::Unsupported(
        "No support for ALTER of constraints in SQLite dialect. Please refer to the batch mode \
         feature which allows for SQLite migrations using a copy-and-move strategy."
            .into(),
    )
}

/// `SQLiteImpl.add_constraint`.
pub(super) fn add_constraint(c: &Constraint) -> Result<(), DdlError> {
    if c.implicit {
        // Alembic warns "Skipping unsupported ALTER for creation of
        // implicit constraint" and goes on.
        return Ok(());
    }
    Err(no_alter())
}

/// `SQLiteImpl.requires_recreate_in_batch`: anything but adding columns
/// (without an expression default or a stored computed value) and indexes.
pub(super) fn requires_recreate_in_batch(entries: &[Entry<'_>]) -> bool {
    entries.iter().any(|e| match e {
        Entry::AddColumn { add, extras } => {
            extras.default_is_expression
                || add
                    .column
                    .computed
                    .as_ref()
                    .is_some_and(|c| c.persisted == Some(true))
        }
        other => !other.is_column_or_index(),
    })
}
