//! `CREATE INDEX` with CONCURRENTLY, USING, operator classes, INCLUDE,
//! NULLS [NOT] DISTINCT, WITH, TABLESPACE and WHERE; `DROP INDEX
//! CONCURRENTLY`.

use crate::ddl::ir::*;
use crate::ddl::render::R;

/// `PGDDLCompiler.visit_create_index`.
pub(super) fn create_index(
    r: &R,
    idx: &Index,
    name: &str,
    table: &TableRef,
    ine: &str,
    unique: &str,
) -> String {
    let o = &idx.options;
    let mut t = format!("CREATE {unique}INDEX ");
    if o.concurrently {
        t.push_str("CONCURRENTLY ");
    }
    t.push_str(&format!("{ine}{name} ON {} ", r.table(table)));
    if let Some(u) = &o.using {
        t.push_str(&format!("USING {} ", u.to_lowercase()));
    }
    let exprs: Vec<String> = idx
        .expressions
        .iter()
        .map(|e| {
            let (text, key) = match e {
                IndexExpr::Column { column } => (r.q(column), Some(column)),
                IndexExpr::Sql { sql, key } => (sql.clone(), key.as_ref()),
            };
            match key.and_then(|k| o.ops.get(k)) {
                Some(op) => format!("{text} {op}"),
                None => text,
            }
        })
        .collect();
    t.push_str(&format!("({})", exprs.join(", ")));
    if !o.include.is_empty() {
        t.push_str(&format!(" INCLUDE ({})", r.cols(&o.include)));
    }
    match o.nulls_not_distinct {
        Some(true) => t.push_str(" NULLS NOT DISTINCT"),
        Some(false) => t.push_str(" NULLS DISTINCT"),
        None => {}
    }
    if !o.with.is_empty() {
        let params: Vec<String> = o.with.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        t.push_str(&format!(" WITH ({})", params.join(", ")));
    }
    if let Some(ts) = &o.tablespace {
        t.push_str(&format!(" TABLESPACE {}", r.q(ts)));
    }
    if let Some(w) = &o.where_ {
        t.push_str(&format!(" WHERE {w}"));
    }
    t
}

/// `PGDDLCompiler.visit_drop_index`: the generic statement, CONCURRENTLY
/// when the index says so.
pub(super) fn drop_index(r: &R, idx: &Index, name: &str, table: &TableRef, ie: &str) -> String {
    let concurrently = if idx.options.concurrently {
        "CONCURRENTLY "
    } else {
        ""
    };
    format!("DROP INDEX {concurrently}{ie}{}", r.in_schema(name, table))
}
