//! `CREATE INDEX` with a prefix, prefix lengths, `WITH PARSER` and `USING`.

use crate::ddl::ir::*;
use crate::ddl::render::R;

/// `MySQLDDLCompiler.visit_create_index`.
pub(super) fn create_index(
    r: &R,
    idx: &Index,
    name: &str,
    table: &TableRef,
    ine: &str,
    unique: &str,
) -> String {
    let o = &idx.options;
    let mut text = format!("CREATE {unique}");
    if let Some(p) = &o.prefix {
        text.push_str(p);
        text.push(' ');
    }
    text.push_str(&format!("INDEX {ine}{name} ON {} ", r.table(table)));
    let cols: Vec<String> = idx
        .expressions
        .iter()
        .map(|e| {
            let rendered = r.index_expr(e);
            match &o.length {
                Some(IndexLength::All(n)) => format!("{rendered}({n})"),
                Some(IndexLength::PerColumn(map)) => {
                    let by_name = match e {
                        IndexExpr::Column { column } => map.get(column),
                        IndexExpr::Sql { .. } => None,
                    };
                    match by_name.or_else(|| map.get(&rendered)) {
                        Some(n) => format!("{rendered}({n})"),
                        None => rendered,
                    }
                }
                None => rendered,
            }
        })
        .collect();
    text.push_str(&format!("({})", cols.join(", ")));
    if let Some(p) = &o.with_parser {
        text.push_str(&format!(" WITH PARSER {p}"));
    }
    if let Some(u) = &o.using {
        text.push_str(&format!(" USING {}", r.q(u)));
    }
    text
}
