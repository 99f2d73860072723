//! One [`Dialect`] per database, as Alembic's `DefaultImpl` and
//! SQLAlchemy's default DDL compiler are subclassed per dialect: the
//! default methods write generic SQL, and a dialect overrides only where it
//! differs.  The methods without a default are what every dialect must say
//! for itself (a new one, SQL Server or Oracle, gets a compile error for
//! each).  The renderer (`render.rs`) lays statements out and asks these
//! methods the dialect's questions.
//!
//! Every dialect's folder holds the same files: `mod.rs` (its `impl
//! Dialect`), `column.rs` (the column specification), `table.rs` (what
//! comes around `CREATE TABLE`), `index.rs` (`CREATE` / `DROP INDEX`),
//! `alter.rs` (`ALTER COLUMN` and constraints after the fact), `reserved.rs`
//! (the identifier preparer's reserved words).

mod mysql;
mod postgresql;
mod sqlite;

use super::batch::Entry;
use super::ir::*;
use super::render::{ColumnCtx, R};
use super::DdlError;
use crate::backend::{self, Backend};

/// The dialect `backend` is rendered with (MariaDB is a flavour of MySQL's).
pub fn of(backend: Backend) -> &'static dyn Dialect {
    match (backend.dialect, backend.mariadb) {
        (backend::Dialect::Postgresql, _) => &postgresql::Postgresql,
        (backend::Dialect::Mysql, false) => &mysql::MYSQL,
        (backend::Dialect::Mysql, true) => &mysql::MARIADB,
        (backend::Dialect::Sqlite, _) => &sqlite::Sqlite,
    }
}

pub trait Dialect {
    // ------------------------------------------------------------ names

    /// SQLAlchemy's dialect name, as messages show it (`mysql` for MariaDB).
    fn name(&self) -> &'static str;

    /// The identifier preparer's reserved words: sorted, lower case.
    fn reserved_words(&self) -> &'static [&'static str];

    /// The identifier preparer's quote character.
    fn quote_char(&self) -> char {
        '"'
    }

    // ------------------------------------------------------------ literals

    /// The default driver's paramstyle is `format` / `pyformat`, so `--sql`
    /// output doubles `%` in literals.
    fn double_percents(&self) -> bool {
        false
    }

    /// Literals double `\` (`online`: the statement goes to the server as
    /// written, rather than into `--sql` output).
    fn backslash_escapes(&self, _online: bool) -> bool {
        false
    }

    // ------------------------------------------------------------ capabilities

    /// `supports_alter`: a `use_alter` constraint is left out of `CREATE
    /// TABLE` (to be added by ALTER).
    fn supports_alter(&self) -> bool {
        true
    }

    /// Comments are `COMMENT ON` statements of their own
    /// (`supports_comments` and not `inline_comments`).
    fn comment_statements(&self) -> bool {
        false
    }

    /// An existing column's identity can be added or dropped by ALTER.
    fn supports_identity_alter(&self) -> bool {
        false
    }

    // ------------------------------------------------------------ columns

    /// `DDLCompiler.get_column_specification`, without the column's inline
    /// constraints.  Every SQLAlchemy dialect has its own.
    fn column_spec(&self, r: &R, col: &Column, ctx: &ColumnCtx) -> Result<String, DdlError>;

    /// A computed column's `GENERATED ALWAYS AS` clause.
    fn computed(&self, c: &Computed) -> Result<String, DdlError> {
        let mut text = format!("GENERATED ALWAYS AS ({})", c.sqltext);
        match c.persisted {
            Some(true) => text.push_str(" STORED"),
            Some(false) => text.push_str(" VIRTUAL"),
            None => {}
        }
        Ok(text)
    }

    // ------------------------------------------------------------ constraints

    /// ` INCLUDE (…)` after a primary key or unique constraint.
    fn define_include(&self, _r: &R, _c: &Constraint) -> String {
        String::new()
    }

    /// `define_unique_constraint_distinct`: `NULLS [NOT] DISTINCT ` before
    /// a unique constraint's columns.
    fn unique_nulls_distinct(&self, _c: &Constraint) -> &'static str {
        ""
    }

    /// What ends a primary key clause (MySQL's `USING`).
    fn primary_key_using(&self, _r: &R, _c: &Constraint) -> String {
        String::new()
    }

    /// The table a foreign key clause refers to; `None` leaves the clause out.
    fn foreign_key_referent(&self, r: &R, _c: &Constraint, remote: &TableRef) -> Option<String> {
        Some(r.table(remote))
    }

    /// `define_constraint_match`.
    fn constraint_match(&self, m: &str) -> Result<String, DdlError> {
        Ok(format!(" MATCH {m}"))
    }

    /// ` NOT VALID` ends a foreign key or CHECK clause.
    fn not_valid(&self, _c: &Constraint) -> bool {
        false
    }

    /// The primary key is written inline in its column's specification,
    /// so `CREATE TABLE` has no clause for it.
    fn primary_key_inline(&self, _table: &Table) -> bool {
        false
    }

    /// `AddConstraint` as Alembic's impl runs it.
    fn add_constraint(&self, r: &R, c: &Constraint, out: &mut Vec<String>) -> Result<(), DdlError> {
        r.alter_table_add(c, out)
    }

    /// A type-bound constraint Alembic does not drop when the type changes.
    fn skips_drop(&self, _c: &Constraint) -> bool {
        false
    }

    /// `DropConstraint` by name (`type_` as `op.drop_constraint` takes it).
    fn drop_constraint(
        &self,
        r: &R,
        name: Option<&str>,
        table: &TableRef,
        _type_: Option<&str>,
        if_exists: bool,
    ) -> Result<String, DdlError> {
        let name = name.ok_or_else(|| {
            DdlError::Compile("Can't emit DROP CONSTRAINT for constraint; it has no name".into())
        })?;
        Ok(format!(
            "ALTER TABLE {} DROP CONSTRAINT {}{}",
            r.table(table),
            if if_exists { "IF EXISTS " } else { "" },
            r.q(name)
        ))
    }

    // ------------------------------------------------------------ tables

    /// Statements SQLAlchemy emits before `CREATE TABLE` (native enum types).
    fn before_create_table(&self, _r: &R, _enums: &[EnumType], _out: &mut Vec<String>) {}

    /// `DDLCompiler.post_create_table`: table options after the `)`.
    fn post_create_table(&self, _r: &R, _table: &Table) -> String {
        String::new()
    }

    /// The new name in Alembic's `RenameTable`.
    fn renamed_table(&self, r: &R, _table: &TableRef, new_name: &str) -> String {
        r.q(new_name)
    }

    /// `SetTableComment` (`None`: `DropTableComment`).
    fn set_table_comment(&self, r: &R, table: &TableRef, comment: Option<&str>) -> String {
        match comment {
            Some(c) => format!("COMMENT ON TABLE {} IS {}", r.table(table), r.lit(c)),
            None => format!("COMMENT ON TABLE {} IS NULL", r.table(table)),
        }
    }

    // ------------------------------------------------------------ alter_column

    /// The impl's `alter_column`.
    fn alter_column(&self, r: &R, a: &AlterColumn, out: &mut Vec<String>) -> Result<(), DdlError> {
        r.generic_alter_column(a, out)
    }

    /// `ColumnName`'s keyword: `ALTER TABLE t <this> old TO new`.
    fn rename_column_keyword(&self) -> &'static str {
        "RENAME"
    }

    // ------------------------------------------------------------ indexes

    /// `visit_create_index`: `name` quoted, `table` the index's, `ine`
    /// `"IF NOT EXISTS "` or empty, `unique` `"UNIQUE "` or empty.  Every
    /// SQLAlchemy dialect has its own.
    fn create_index(
        &self,
        r: &R,
        idx: &Index,
        name: &str,
        table: &TableRef,
        ine: &str,
        unique: &str,
    ) -> String;

    /// `visit_drop_index`: `name` quoted, `ie` `"IF EXISTS "` or empty.
    fn drop_index(&self, r: &R, _idx: &Index, name: &str, table: &TableRef, ie: &str) -> String {
        format!("DROP INDEX {ie}{}", r.in_schema(name, table))
    }

    // ------------------------------------------------------------ batch

    /// Alembic's `requires_recreate_in_batch`: the batch's operations cannot
    /// all run as ALTERs.
    fn requires_recreate_in_batch(&self, _entries: &[Entry<'_>]) -> bool {
        false
    }

    /// retort rebuilds a table by batch mode's move-and-copy (it reflects
    /// only SQLite tables so far).
    fn batch_move_and_copy(&self) -> bool {
        false
    }
}
