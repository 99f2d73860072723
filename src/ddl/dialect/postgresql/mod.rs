//! PostgreSQL: SERIAL columns, identity, `CREATE TYPE … AS ENUM`, table
//! options, `ALTER COLUMN … TYPE … USING`, `COMMENT ON`, `INCLUDE`,
//! `NULLS [NOT] DISTINCT`, `NOT VALID`, `CREATE INDEX CONCURRENTLY`.

mod alter;
mod column;
mod index;
mod reserved;
mod table;

use super::Dialect;
use crate::ddl::ir::*;
use crate::ddl::render::{ColumnCtx, R};
use crate::ddl::DdlError;

pub struct Postgresql;

impl Dialect for Postgresql {
    fn name(&self) -> &'static str {
        "postgresql"
    }

    fn reserved_words(&self) -> &'static [&'static str] {
        reserved::RESERVED_WORDS
    }

    /// psycopg2's `pyformat`.
    fn double_percents(&self) -> bool {
        true
    }

    /// Offline SQLAlchemy cannot know `standard_conforming_strings` and
    /// escapes; online the server has it on.
    fn backslash_escapes(&self, online: bool) -> bool {
        !online
    }

    fn comment_statements(&self) -> bool {
        true
    }

    fn supports_identity_alter(&self) -> bool {
        true
    }

    fn column_spec(&self, r: &R, col: &Column, ctx: &ColumnCtx) -> Result<String, DdlError> {
        column::spec(r, col, ctx)
    }

    fn computed(&self, c: &Computed) -> Result<String, DdlError> {
        column::computed(c)
    }

    fn define_include(&self, r: &R, c: &Constraint) -> String {
        if c.include.is_empty() {
            return String::new();
        }
        format!(" INCLUDE ({})", r.cols(&c.include))
    }

    fn unique_nulls_distinct(&self, c: &Constraint) -> &'static str {
        match c.nulls_not_distinct {
            Some(true) => "NULLS NOT DISTINCT ",
            Some(false) => "NULLS DISTINCT ",
            None => "",
        }
    }

    /// A column-level CHECK is never `NOT VALID`.
    fn not_valid(&self, c: &Constraint) -> bool {
        c.not_valid && !(c.kind == ConstraintKind::Check && c.column_level)
    }

    fn before_create_table(&self, r: &R, enums: &[EnumType], out: &mut Vec<String>) {
        for e in enums {
            out.push(table::create_enum(r, e));
        }
    }

    fn post_create_table(&self, r: &R, t: &Table) -> String {
        table::post_create_table(r, t)
    }

    fn alter_column(&self, r: &R, a: &AlterColumn, out: &mut Vec<String>) -> Result<(), DdlError> {
        alter::alter_column(r, a, out)
    }

    fn create_index(
        &self,
        r: &R,
        idx: &Index,
        name: &str,
        table: &TableRef,
        ine: &str,
        unique: &str,
    ) -> String {
        index::create_index(r, idx, name, table, ine, unique)
    }

    fn drop_index(&self, r: &R, idx: &Index, name: &str, table: &TableRef, ie: &str) -> String {
        index::drop_index(r, idx, name, table, ie)
    }
}
