//! `op.batch_alter_table(...)`: Alembic's `BatchOperationsImpl.flush`.
//!
//! The block's operations either run one by one as ALTERs (PostgreSQL and
//! MySQL always unless `recreate="always"`; SQLite when the block only adds
//! columns and indexes, or with `recreate="never"`), or the table is rebuilt
//! by move-and-copy (`batch_table.rs`): a new `_alembic_tmp_<name>` table,
//! the rows copied over, the old table dropped, the new one renamed, its
//! indexes created again.
//!
//! The result is a [`BatchPlan`] rather than a list of statements, because
//! Alembic's rebuild is not a straight line: a failed copy drops the new
//! table before the error goes on, and some errors (an index on an unknown
//! column) only come after the table has been rebuilt.

use super::batch_table::ApplyBatch;
use super::dialect::{self, Dialect};
use super::ir::*;
use super::reflected::SqliteTable;
use super::render::R;
use super::sqlite_reflected::reflected_table;
use super::{DdlError, RenderOptions};
use crate::backend::Backend;

/// The Python exception a batch raises (Alembic's, or SQLAlchemy's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchErrorKind {
    Value,
    Key,
    Index,
    Attribute,
    /// Alembic's `CommandError`.
    Command,
    NotImplemented,
    /// SQLAlchemy's `CompileError`.
    Compile,
    /// SQLAlchemy's `InvalidRequestError`.
    InvalidRequest,
    /// SQLAlchemy's `NoSuchTableError`.
    NoSuchTable,
    /// SQLAlchemy's `CircularDependencyError`.
    CircularDependency,
}

impl BatchErrorKind {
    /// The name the Python side raises it by.
    pub fn python_name(self) -> &'static str {
        match self {
            BatchErrorKind::Value => "ValueError",
            BatchErrorKind::Key => "KeyError",
            BatchErrorKind::Index => "IndexError",
            BatchErrorKind::Attribute => "AttributeError",
            BatchErrorKind::Command => "CommandError",
            BatchErrorKind::NotImplemented => "NotImplementedError",
            BatchErrorKind::Compile => "CompileError",
            BatchErrorKind::InvalidRequest => "InvalidRequestError",
            BatchErrorKind::NoSuchTable => "NoSuchTableError",
            BatchErrorKind::CircularDependency => "CircularDependencyError",
        }
    }
}

/// An error of a batch, with the exception it stands for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct BatchError {
    pub kind: BatchErrorKind,
    pub message: String,
}

impl BatchError {
    pub fn new(kind: BatchErrorKind, message: impl Into<String>) -> BatchError {
        BatchError {
            kind,
            message: message.into(),
        }
    }
}

impl From<DdlError> for BatchError {
    fn from(e: DdlError) -> BatchError {
        let kind = match e {
            DdlError::Unsupported(_) => BatchErrorKind::NotImplemented,
            DdlError::Compile(_) | DdlError::Ir(_) => BatchErrorKind::Compile,
        };
        BatchError::new(kind, e.to_string())
    }
}

/// The statements of a batch, in the order and under the rules Alembic
/// runs them: `before`; then `guarded`, and if one of those fails,
/// `on_error` before the failure goes on; then `after`; then `error`, if
/// any, is raised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchPlan {
    pub before: Vec<String>,
    pub guarded: Vec<String>,
    pub on_error: Vec<String>,
    pub after: Vec<String>,
    pub error: Option<BatchError>,
}

impl BatchPlan {
    fn failed(error: BatchError) -> BatchPlan {
        BatchPlan {
            error: Some(error),
            ..BatchPlan::default()
        }
    }

    /// Every statement in order (what `--sql` prints), or the error.
    pub fn into_statements(self) -> Result<Vec<String>, BatchError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let mut out = self.before;
        out.extend(self.guarded);
        out.extend(self.after);
        Ok(out)
    }
}

/// One entry of Alembic's batch list: what `toimpl` hands the batch impl
/// for each operation (an `add_column` also queues its constraints and
/// indexes; an `alter_column` the CHECKs of the old and new type).
pub(super) enum Entry<'a> {
    AddColumn {
        add: &'a AddColumn,
        extras: &'a BatchExtras,
    },
    AlterColumn {
        alter: &'a AlterColumn,
        extras: &'a BatchExtras,
    },
    DropColumn {
        column: &'a str,
        extras: &'a BatchExtras,
    },
    AddConstraint {
        constraint: &'a Constraint,
        /// The column a type-bound CHECK template is written for.
        type_column: Option<&'a str>,
    },
    DropConstraint {
        name: Option<&'a str>,
        type_bound: bool,
    },
    CreateIndex(&'a Index),
    DropIndex(Option<&'a str>),
    /// Table comments: nothing to do in a rebuild.
    Comment,
}

impl Entry<'_> {
    pub(super) fn is_column_or_index(&self) -> bool {
        matches!(
            self,
            Entry::AddColumn { .. } | Entry::CreateIndex(_) | Entry::DropIndex(_)
        )
    }
}

fn entries(steps: &[BatchStep]) -> Result<Vec<Entry<'_>>, BatchError> {
    let mut out = Vec::new();
    for step in steps {
        let extras = &step.extras;
        match &step.op {
            Operation::AddColumn(add) => {
                out.push(Entry::AddColumn { add, extras });
                let inline_fk =
                    add.inline_references.unwrap_or(false) && add.column.foreign_keys == 1;
                for c in &add.constraints {
                    if inline_fk && c.kind == ConstraintKind::ForeignKey && c.columns.len() == 1 {
                        continue;
                    }
                    out.push(Entry::AddConstraint {
                        constraint: c,
                        type_column: Some(&add.column.name),
                    });
                }
                out.extend(add.indexes.iter().map(Entry::CreateIndex));
            }
            Operation::AlterColumn(alter) => {
                for c in &alter.drop_constraints {
                    out.push(Entry::DropConstraint {
                        name: c.name.as_deref(),
                        type_bound: true,
                    });
                }
                out.push(Entry::AlterColumn { alter, extras });
                for c in &alter.add_constraints {
                    out.push(Entry::AddConstraint {
                        constraint: c,
                        type_column: Some(&alter.column),
                    });
                }
            }
            Operation::DropColumn { column, .. } => out.push(Entry::DropColumn { column, extras }),
            Operation::AddConstraint { constraint } => out.push(Entry::AddConstraint {
                constraint,
                type_column: None,
            }),
            Operation::DropConstraint { name, .. } => out.push(Entry::DropConstraint {
                name: name.as_deref(),
                type_bound: false,
            }),
            Operation::CreateIndex { index, .. } => out.push(Entry::CreateIndex(index)),
            Operation::DropIndex { index, .. } => out.push(Entry::DropIndex(index.name.as_deref())),
            Operation::CreateTableComment { .. } | Operation::DropTableComment { .. } => {
                out.push(Entry::Comment)
            }
            Operation::CreateTable { .. } => {
                return Err(BatchError::new(
                    BatchErrorKind::NotImplemented,
                    "Can't create table in batch mode",
                ))
            }
            Operation::DropTable { .. } => {
                return Err(BatchError::new(
                    BatchErrorKind::NotImplemented,
                    "Can't drop table in batch mode",
                ))
            }
            Operation::RenameTable { .. } | Operation::Batch(_) => {
                return Err(BatchError::new(BatchErrorKind::NotImplemented, "TODO"))
            }
        }
    }
    Ok(out)
}

fn should_recreate(batch: &Batch, d: &dyn Dialect, entries: &[Entry<'_>]) -> bool {
    match batch.recreate {
        Recreate::Auto => d.requires_recreate_in_batch(entries),
        Recreate::Always => true,
        Recreate::Never => false,
    }
}

/// Whether the batch rebuilds the table from a reflection of it (it will
/// be rebuilt and no `copy_from` table was given).
pub fn batch_needs_reflection(batch: &Batch, backend: Backend) -> bool {
    if batch.copy_from.is_some() {
        return false;
    }
    match entries(&batch.ops) {
        Ok(list) => should_recreate(batch, dialect::of(backend), &list),
        Err(_) => false,
    }
}

/// Alembic's refusal to reflect in `--sql` mode.
fn offline_reflection_error(batch: &Batch, d: &dyn Dialect) -> BatchError {
    BatchError::new(
        BatchErrorKind::Command,
        format!(
            "This operation cannot proceed in --sql mode; batch mode with dialect {} requires a \
             live database connection with which to reflect the table \"{}\". To generate a \
             batch SQL migration script using table \"move and copy\", a complete Table object \
             should be passed to the \"copy_from\" argument of the batch_alter_table() method so \
             that table reflection can be skipped.",
            d.name(),
            batch.table.name
        ),
    )
}

/// The statements of a batch.  `reflected` is the table as the database
/// has it, when [`batch_needs_reflection`] said so (`None` offline).
pub fn plan_batch(
    batch: &Batch,
    reflected: Option<&SqliteTable>,
    backend: Backend,
    opts: RenderOptions,
) -> BatchPlan {
    plan(batch, reflected, &R::new(backend, opts))
}

fn plan(batch: &Batch, reflected: Option<&SqliteTable>, r: &R) -> BatchPlan {
    let list = match entries(&batch.ops) {
        Ok(list) => list,
        Err(e) => return BatchPlan::failed(e),
    };
    // `add_column(insert_before=/insert_after=)` is refused when the batch
    // so far would run as ALTERs (Alembic checks as the call is made).
    for (i, entry) in list.iter().enumerate() {
        if let Entry::AddColumn { extras, .. } = entry {
            let placed = extras.insert_before.is_some() || extras.insert_after.is_some();
            if placed && !should_recreate(batch, r.d, &list[..i]) {
                return BatchPlan::failed(BatchError::new(
                    BatchErrorKind::Command,
                    "Can't specify insert_before or insert_after when using ALTER; please \
                     specify recreate='always'",
                ));
            }
        }
    }
    if !should_recreate(batch, r.d, &list) {
        return plan_alters(batch, r);
    }
    if !r.d.batch_move_and_copy() {
        return BatchPlan::failed(BatchError::new(
            BatchErrorKind::NotImplemented,
            format!(
                "retort cannot rebuild a table with batch mode's move-and-copy on {} yet \
                 (recreate=\"always\"); it does so on SQLite",
                r.d.name()
            ),
        ));
    }
    let (table, reflected) = match (&batch.copy_from, reflected) {
        (Some(t), _) => (t.clone(), false),
        (None, Some(r)) => {
            match reflected_table(r, &batch.naming_convention, &batch.reflect_columns) {
                Ok(t) => (t, true),
                Err(e) => return BatchPlan::failed(e),
            }
        }
        (None, None) => return BatchPlan::failed(offline_reflection_error(batch, r.d)),
    };
    let mut apply = ApplyBatch::new(r, table, batch, reflected);
    for entry in &list {
        if let Err(e) = apply.apply(entry) {
            return BatchPlan::failed(e);
        }
    }
    apply.create()
}

/// The batch run as ALTERs, one operation after the other; an operation
/// that cannot be rendered stops the batch there, after the statements
/// Alembic would have run before raising.
fn plan_alters(batch: &Batch, r: &R) -> BatchPlan {
    let mut plan = BatchPlan::default();
    for step in &batch.ops {
        match r.render(&step.op) {
            Ok(statements) => plan.before.extend(statements),
            Err(e) => {
                // An added column goes in before its constraints are refused.
                if let Operation::AddColumn(add) = &step.op {
                    let mut bare = (**add).clone();
                    bare.constraints.clear();
                    bare.indexes.clear();
                    if let Ok(statements) = r.render(&Operation::AddColumn(Box::new(bare))) {
                        plan.before.extend(statements);
                    }
                }
                plan.error = Some(e.into());
                return plan;
            }
        }
    }
    plan
}

/// `render` of a batch operation: the plan flattened, reflection refused
/// (an offline run has no table to reflect; `copy_from` stands in for it).
pub(super) fn render_batch(batch: &Batch, r: &R) -> Result<Vec<String>, DdlError> {
    plan(batch, None, r)
        .into_statements()
        .map_err(|e| DdlError::Compile(e.message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Dialect;

    fn batch(json: &str) -> Batch {
        match serde_json::from_str::<Operation>(json).expect("batch IR") {
            Operation::Batch(b) => *b,
            other => panic!("not a batch: {other:?}"),
        }
    }

    fn plan(json: &str, dialect: Dialect) -> BatchPlan {
        let backend: Backend = dialect.into();
        plan_batch(&batch(json), None, backend, RenderOptions::offline(backend))
    }

    const COPY_FROM: &str = r#""copy_from": {"name": "t", "columns": [
        {"name": "id", "type": "INTEGER", "nullable": false, "primary_key": true,
         "affinity": "integer", "type_affinity": "Integer"},
        {"name": "c", "type": "VARCHAR(5)", "type_affinity": "String"}],
        "primary_key": {"kind": "primary_key", "columns": ["id"]}}"#;

    #[test]
    fn a_rebuild_runs_as_alembic_create_does() {
        let p = plan(
            &format!(
                r#"{{"op": "batch", "table": {{"name": "t"}}, {COPY_FROM}, "ops": [
                {{"op": "alter_column", "table": {{"name": "t"}}, "column": "c", "type": "INTEGER",
                  "batch": {{"type_affinity": "Integer"}}}}]}}"#
            ),
            Dialect::Sqlite,
        );
        assert_eq!(p.error, None);
        assert_eq!(p.before.len(), 1);
        assert!(p.before[0].starts_with("CREATE TABLE _alembic_tmp_t ("));
        assert_eq!(
            p.guarded,
            [
                "INSERT INTO _alembic_tmp_t (id, c) SELECT t.id, CAST(t.c AS INTEGER) AS c \nFROM t",
                "DROP TABLE t"
            ]
        );
        assert_eq!(p.on_error, ["DROP TABLE _alembic_tmp_t"]);
        assert_eq!(p.after, ["ALTER TABLE _alembic_tmp_t RENAME TO t"]);
    }

    #[test]
    fn refusals_come_with_their_exception() {
        let placed = plan(
            r#"{"op": "batch", "table": {"name": "t"}, "ops": [
                {"op": "add_column", "table": {"name": "t"}, "column": {"name": "n", "type": "INTEGER"},
                 "batch": {"insert_after": "c"}}]}"#,
            Dialect::Sqlite,
        );
        assert_eq!(placed.error.map(|e| e.kind), Some(BatchErrorKind::Command));
        let elsewhere = plan(
            r#"{"op": "batch", "table": {"name": "t"}, "recreate": "always", "ops": []}"#,
            Dialect::Postgresql,
        );
        assert_eq!(
            elsewhere.error.map(|e| e.kind),
            Some(BatchErrorKind::NotImplemented)
        );
        let offline = plan(
            r#"{"op": "batch", "table": {"name": "t"}, "recreate": "always", "ops": []}"#,
            Dialect::Sqlite,
        );
        assert_eq!(offline.error.map(|e| e.kind), Some(BatchErrorKind::Command));
        let unnamed = plan(
            &format!(
                r#"{{"op": "batch", "table": {{"name": "t"}}, {COPY_FROM}, "ops": [
                {{"op": "drop_constraint", "name": null, "table": {{"name": "t"}}}}]}}"#
            ),
            Dialect::Sqlite,
        );
        assert_eq!(
            unnamed.error,
            Some(BatchError::new(
                BatchErrorKind::Value,
                "Constraint must have a name"
            ))
        );
        assert!(unnamed.before.is_empty());
    }

    #[test]
    fn alters_stop_after_what_alembic_ran() {
        // recreate="never": the column is added, then SQLite's ALTER of a
        // constraint is refused.
        let p = plan(
            r#"{"op": "batch", "table": {"name": "t"}, "recreate": "never", "ops": [
                {"op": "add_column", "table": {"name": "t"}, "column": {"name": "n", "type": "INTEGER"},
                 "constraints": [{"kind": "foreign_key", "name": "fk", "table": {"name": "t"},
                   "columns": ["n"], "ref_table": {"name": "p"}, "ref_columns": ["id"]}]},
                {"op": "create_index", "index": {"name": "ix", "table": {"name": "t"},
                   "expressions": [{"column": "n"}]}}]}"#,
            Dialect::Sqlite,
        );
        assert_eq!(p.before, ["ALTER TABLE t ADD COLUMN n INTEGER"]);
        assert_eq!(
            p.error.map(|e| e.kind),
            Some(BatchErrorKind::NotImplemented)
        );
        assert!(batch_needs_reflection(
            &batch(
                r#"{"op": "batch", "table": {"name": "t"}, "ops": [
                {"op": "drop_column", "table": {"name": "t"}, "column": "c"}]}"#
            ),
            Dialect::Sqlite.into()
        ));
    }
}
