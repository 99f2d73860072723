//! Around `CREATE TABLE`: the primary key written inline for
//! `sqlite_autoincrement`, `WITHOUT ROWID` and `STRICT` after it.

use crate::ddl::ir::*;
use crate::ddl::render::kw_true;

/// `sqlite_autoincrement=True` with one INTEGER primary key column: the
/// key is in the column's specification (`PRIMARY KEY AUTOINCREMENT`).
pub(super) fn primary_key_inline(table: &Table) -> bool {
    let Some(pk) = &table.primary_key else {
        return false;
    };
    kw_true(table.kw("sqlite_autoincrement"))
        && pk.columns.len() == 1
        && table
            .columns
            .iter()
            .find(|c| c.name == pk.columns[0])
            .is_some_and(|c| c.affinity == "integer" && c.foreign_keys == 0)
}

/// `SQLiteDDLCompiler.post_create_table`.
pub(super) fn post_create_table(table: &Table) -> String {
    let mut opts = Vec::new();
    if table.kw("sqlite_with_rowid") == Some(&serde_json::Value::Bool(false)) {
        opts.push("WITHOUT ROWID");
    }
    if kw_true(table.kw("sqlite_strict")) {
        opts.push("STRICT");
    }
    if opts.is_empty() {
        String::new()
    } else {
        format!("\n {}", opts.join(",\n "))
    }
}
