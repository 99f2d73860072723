//! MySQL and MariaDB (one dialect, `mariadb` set for a MariaDB server):
//! backquotes, AUTO_INCREMENT, inline comments, table options, `CHANGE` /
//! `MODIFY`, typed `DROP` of constraints, prefix lengths in indexes.

mod alter;
mod column;
mod index;
mod reserved;
mod table;

use super::Dialect;
use crate::ddl::ir::*;
use crate::ddl::render::{ColumnCtx, R};
use crate::ddl::DdlError;

pub struct Mysql {
    /// The server is MariaDB: its reserved words, its `DROP CONSTRAINT`
    /// for CHECK, its nullability of computed columns.
    pub mariadb: bool,
}

pub static MYSQL: Mysql = Mysql { mariadb: false };
pub static MARIADB: Mysql = Mysql { mariadb: true };

impl Dialect for Mysql {
    fn name(&self) -> &'static str {
        "mysql"
    }

    fn reserved_words(&self) -> &'static [&'static str] {
        if self.mariadb {
            reserved::MARIADB
        } else {
            reserved::MYSQL
        }
    }

    fn quote_char(&self) -> char {
        '`'
    }

    /// mysqlclient's and PyMySQL's `format`.
    fn double_percents(&self) -> bool {
        true
    }

    /// MySQL reads `\` as an escape unless `NO_BACKSLASH_ESCAPES` is set.
    fn backslash_escapes(&self, _online: bool) -> bool {
        true
    }

    fn column_spec(&self, r: &R, col: &Column, ctx: &ColumnCtx) -> Result<String, DdlError> {
        Ok(column::spec(self, r, col, ctx))
    }

    fn primary_key_using(&self, r: &R, c: &Constraint) -> String {
        match &c.using {
            Some(u) => format!(" USING {}", r.q(u)),
            None => String::new(),
        }
    }

    fn constraint_match(&self, _m: &str) -> Result<String, DdlError> {
        Err(DdlError::Compile(
            "MySQL ignores the 'MATCH' keyword while at the same time causes \
             ON UPDATE/ON DELETE clauses to be ignored."
                .into(),
        ))
    }

    /// Alembic's MySQL impl skips CHECK constraints bound to a type.
    fn skips_drop(&self, c: &Constraint) -> bool {
        c.implicit && c.kind == ConstraintKind::Check
    }

    fn drop_constraint(
        &self,
        r: &R,
        name: Option<&str>,
        table: &TableRef,
        type_: Option<&str>,
        _if_exists: bool,
    ) -> Result<String, DdlError> {
        alter::drop_constraint(self, r, name, table, type_)
    }

    fn post_create_table(&self, r: &R, t: &Table) -> String {
        table::post_create_table(r, t)
    }

    /// Alembic's MySQL `RenameTable` keeps the schema on the new name.
    fn renamed_table(&self, r: &R, table: &TableRef, new_name: &str) -> String {
        r.alembic_table(&TableRef {
            name: new_name.to_string(),
            schema: table.schema.clone(),
        })
    }

    fn set_table_comment(&self, r: &R, t: &TableRef, comment: Option<&str>) -> String {
        table::set_table_comment(r, t, comment)
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

    fn drop_index(&self, r: &R, _idx: &Index, name: &str, table: &TableRef, ie: &str) -> String {
        format!("DROP INDEX {ie}{name} ON {}", r.table(table))
    }
}
