//! `CREATE INDEX`: the index name in the schema, the table without it, and
//! a partial index's WHERE.

use crate::ddl::ir::*;
use crate::ddl::render::R;

/// `SQLiteDDLCompiler.visit_create_index`.
pub(super) fn create_index(
    r: &R,
    idx: &Index,
    name: &str,
    table: &TableRef,
    ine: &str,
    unique: &str,
) -> String {
    let name = r.in_schema(name, table);
    let exprs: Vec<String> = idx.expressions.iter().map(|e| r.index_expr(e)).collect();
    let mut t = format!(
        "CREATE {unique}INDEX {ine}{name} ON {} ({})",
        r.q(&table.name),
        exprs.join(", ")
    );
    if let Some(w) = &idx.options.where_ {
        t.push_str(&format!(" WHERE {w}"));
    }
    t
}
