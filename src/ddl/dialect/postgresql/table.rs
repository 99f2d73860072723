//! Around `CREATE TABLE`: native enum types before it, table options after.

use crate::ddl::ir::*;
use crate::ddl::render::R;

/// `CREATE TYPE` for a native enum, as SQLAlchemy emits it before the table.
pub(super) fn create_enum(r: &R, e: &EnumType) -> String {
    let name = match e.schema.as_deref() {
        Some(s) if !s.is_empty() => format!("{}.{}", r.q(s), r.q(&e.name)),
        _ => r.q(&e.name),
    };
    let values: Vec<String> = e.values.iter().map(|v| r.lit(v)).collect();
    format!("CREATE TYPE {name} AS ENUM ({})", values.join(", "))
}

/// `PGDDLCompiler.post_create_table`: INHERITS, PARTITION BY, USING,
/// WITH[OUT] OIDS, ON COMMIT, TABLESPACE.
pub(super) fn post_create_table(r: &R, table: &Table) -> String {
    let s = |k: &str| {
        table.kw(k).and_then(|v| match v {
            serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
            _ => None,
        })
    };
    let mut opts = String::new();
    match table.kw("postgresql_inherits") {
        Some(serde_json::Value::String(s)) => opts.push_str(&format!("\n INHERITS ( {} )", r.q(s))),
        Some(serde_json::Value::Array(a)) => {
            let names: Vec<String> = a
                .iter()
                .filter_map(|v| v.as_str())
                .map(|n| r.q(n))
                .collect();
            opts.push_str(&format!("\n INHERITS ( {} )", names.join(", ")));
        }
        _ => {}
    }
    if let Some(p) = s("postgresql_partition_by") {
        opts.push_str(&format!("\n PARTITION BY {p}"));
    }
    if let Some(u) = s("postgresql_using") {
        opts.push_str(&format!("\n USING {u}"));
    }
    match table.kw("postgresql_with_oids") {
        Some(serde_json::Value::Bool(true)) => opts.push_str("\n WITH OIDS"),
        Some(serde_json::Value::Bool(false)) => opts.push_str("\n WITHOUT OIDS"),
        _ => {}
    }
    if let Some(c) = s("postgresql_on_commit") {
        opts.push_str(&format!(
            "\n ON COMMIT {}",
            c.replace('_', " ").to_uppercase()
        ));
    }
    if let Some(t) = s("postgresql_tablespace") {
        opts.push_str(&format!("\n TABLESPACE {}", r.q(&t)));
    }
    opts
}
