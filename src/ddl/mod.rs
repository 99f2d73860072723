//! The operation IR handed over by the Python side (serde types) and one SQL
//! renderer per dialect.  No I/O: statements out, execution is the runtime's.
//!
//! `python/retort/ops.py` turns each `op.*` call into one [`Operation`]
//! (JSON); [`render_json`] turns it into the statements Alembic would run,
//! in order, without trailing `;`.  Python compiles what only SQLAlchemy
//! knows (types, default and CHECK / index expressions, names after naming
//! conventions); the layout of each statement, identifier quoting,
//! SERIAL / AUTO_INCREMENT, per-dialect ALTER syntax, constraint clauses and
//! PostgreSQL `CREATE TYPE` are decided here (`render.rs` for what the
//! dialects share, the `Dialect` trait in `dialect/` for what differs, one
//! folder under `dialect/` per dialect).
//!
//! `batch_alter_table` is planned by `batch.rs`: ALTERs, or SQLite's
//! move-and-copy rebuild (`batch_table.rs`) of a table given as
//! `copy_from` or reflected by `db` into a [`SqliteTable`]
//! (`sqlite_reflected.rs` turns that into the table SQLAlchemy would build,
//! `naming.rs` names what has no name).
//!
//! Nothing here imports `db`: `db` takes quoting ([`quote_identifier`]) and
//! the shape of a reflected table from here.

mod batch;
mod batch_table;
mod dialect;
mod ir;
mod naming;
mod quote;
mod reflected;
mod render;
mod sqlite_reflected;

pub use batch::{batch_needs_reflection, plan_batch, BatchError, BatchErrorKind, BatchPlan};
pub use ir::*;
pub use quote::{force_quote, quote_identifier, requires_quotes, reserved_words};
pub use reflected::{
    ParsedCheck, ReflectedColumn, ReflectedForeignKey, ReflectedIndex, ReflectedPrimaryKey,
    ReflectedUnique, SqliteTable, TableOptions,
};
pub use render::{render, string_literal, RenderOptions};

use crate::backend::Backend;

/// Why an operation cannot be rendered.  The messages are Alembic's or
/// SQLAlchemy's where they have one.
#[derive(Debug, thiserror::Error)]
pub enum DdlError {
    #[error("invalid operation IR: {0}")]
    Ir(#[from] serde_json::Error),
    #[error("{0}")]
    Unsupported(String),
    #[error("{0}")]
    Compile(String),
}

/// Renders one operation (the JSON of an [`Operation`]) for `backend`: the
/// statements in execution order, each without a trailing `;`, exactly as
/// Alembic prints them with `--sql`.
pub fn render_json(ir_json: &str, backend: Backend) -> Result<Vec<String>, DdlError> {
    render_json_with(ir_json, backend, RenderOptions::offline(backend))
}

/// [`render_json`] with explicit options (online: a `mysql://` URL on a
/// MariaDB server, see [`RenderOptions::mariadb_options`]).
pub fn render_json_with(
    ir_json: &str,
    backend: Backend,
    opts: RenderOptions,
) -> Result<Vec<String>, DdlError> {
    let op: Operation = serde_json::from_str(ir_json)?;
    render(&op, backend, opts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Dialect;

    fn all() -> [Backend; 4] {
        [
            Dialect::Postgresql.into(),
            Dialect::Mysql.into(),
            Backend::new(Dialect::Mysql, true),
            Dialect::Sqlite.into(),
        ]
    }

    #[test]
    fn create_table_layout_per_dialect() {
        let ir = r#"{"op": "create_table", "table": {"name": "user", "schema": null,
            "columns": [{"name": "id", "type": "INTEGER", "nullable": false, "primary_key": true,
                         "affinity": "integer", "int_kind": "int"},
                        {"name": "Name", "type": "VARCHAR(5)"}],
            "primary_key": {"kind": "primary_key", "columns": ["id"], "implicit_generated": true}}}"#;
        let got: Vec<String> = all()
            .iter()
            .map(|b| render_json(ir, *b).unwrap().join(";"))
            .collect();
        assert_eq!(
            got,
            [
                "CREATE TABLE \"user\" (\n\tid SERIAL NOT NULL, \n\t\"Name\" VARCHAR(5), \n\tPRIMARY KEY (id)\n)",
                "CREATE TABLE user (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\t`Name` VARCHAR(5), \n\tPRIMARY KEY (id)\n)",
                "CREATE TABLE user (\n\tid INTEGER NOT NULL AUTO_INCREMENT, \n\t`Name` VARCHAR(5), \n\tPRIMARY KEY (id)\n)",
                "CREATE TABLE user (\n\tid INTEGER NOT NULL, \n\t\"Name\" VARCHAR(5), \n\tPRIMARY KEY (id)\n)",
            ]
        );
    }

    #[test]
    fn alter_column_per_dialect() {
        let ir = r#"{"op": "alter_column", "table": {"name": "t", "schema": "a.b"}, "column": "c",
            "nullable": false, "existing_type": "INTEGER", "new_name": "order"}"#;
        let pg = render_json(ir, Dialect::Postgresql.into()).unwrap();
        assert_eq!(
            pg,
            [
                "ALTER TABLE a.b.t ALTER COLUMN c SET NOT NULL",
                "ALTER TABLE a.b.t RENAME c TO \"order\""
            ]
        );
        let my = render_json(ir, Dialect::Mysql.into()).unwrap();
        assert_eq!(my, ["ALTER TABLE a.b.t CHANGE c `order` INTEGER NOT NULL"]);
    }

    #[test]
    fn refusals_are_errors() {
        let ir = r#"{"op": "drop_constraint", "name": "x", "table": {"name": "t"}, "type": null}"#;
        assert!(render_json(ir, Dialect::Sqlite.into()).is_err());
        assert!(render_json(ir, Dialect::Mysql.into()).is_err());
        assert_eq!(
            render_json(ir, Dialect::Postgresql.into()).unwrap(),
            ["ALTER TABLE t DROP CONSTRAINT x"]
        );
        assert!(matches!(
            render_json("{\"op\": \"nope\"}", Dialect::Sqlite.into()),
            Err(DdlError::Ir(_))
        ));
    }

    #[test]
    fn literals_offline_and_online() {
        let pg: Backend = Dialect::Postgresql.into();
        assert_eq!(
            string_literal("it's 50% \\", RenderOptions::offline(pg)),
            "'it''s 50%% \\\\'"
        );
        assert_eq!(
            string_literal("it's 50% \\", RenderOptions::online(pg)),
            "'it''s 50% \\'"
        );
    }
}
