//! SQLite: no ALTER of constraints (batch mode rebuilds the table instead),
//! parenthesised expression defaults, `PRIMARY KEY AUTOINCREMENT`, index
//! names in the schema, `RENAME COLUMN`.

mod alter;
mod column;
mod index;
mod reserved;
mod table;

use super::Dialect;
use crate::ddl::batch::Entry;
use crate::ddl::ir::*;
use crate::ddl::render::{ColumnCtx, R};
use crate::ddl::DdlError;

pub struct Sqlite;

impl Dialect for Sqlite {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn reserved_words(&self) -> &'static [&'static str] {
        reserved::RESERVED_WORDS
    }

    fn supports_alter(&self) -> bool {
        false
    }

    fn column_spec(&self, r: &R, col: &Column, ctx: &ColumnCtx) -> Result<String, DdlError> {
        column::spec(r, col, ctx)
    }

    /// A constraint on another schema's table is left out: SQLite cannot
    /// refer across schemas, and names the table without its schema.
    fn foreign_key_referent(&self, r: &R, c: &Constraint, remote: &TableRef) -> Option<String> {
        if c.local_schema != remote.schema {
            return None;
        }
        Some(r.q(&remote.name))
    }

    fn primary_key_inline(&self, t: &Table) -> bool {
        table::primary_key_inline(t)
    }

    fn add_constraint(
        &self,
        _r: &R,
        c: &Constraint,
        _out: &mut Vec<String>,
    ) -> Result<(), DdlError> {
        alter::add_constraint(c)
    }

    /// Type-bound constraints go with the table rebuild.
    fn skips_drop(&self, c: &Constraint) -> bool {
        c.implicit
    }

    fn drop_constraint(
        &self,
        _r: &R,
        _name: Option<&str>,
        _table: &TableRef,
        _type_: Option<&str>,
        _if_exists: bool,
    ) -> Result<String, DdlError> {
        Err(alter::no_alter())
    }

    fn post_create_table(&self, _r: &R, t: &Table) -> String {
        table::post_create_table(t)
    }

    fn rename_column_keyword(&self) -> &'static str {
        "RENAME COLUMN"
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

    fn requires_recreate_in_batch(&self, entries: &[Entry<'_>]) -> bool {
        alter::requires_recreate_in_batch(entries)
    }

    fn batch_move_and_copy(&self) -> bool {
        true
    }
}
