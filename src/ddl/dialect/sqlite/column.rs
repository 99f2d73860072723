//! `SQLiteDDLCompiler.get_column_specification`: parenthesised expression
//! defaults, `ON CONFLICT`, `PRIMARY KEY AUTOINCREMENT`.

use crate::ddl::ir::*;
use crate::ddl::render::{ColumnCtx, R};
use crate::ddl::DdlError;

/// SQLite wants an expression default in parentheses: SQLAlchemy adds them
/// unless the text starts with a quote or a parenthesis, or is a single word.
fn needs_parens(default: &str) -> bool {
    let starts_quoted = matches!(default.trim_start().chars().next(), Some('\'' | '"' | '('));
    let first_line = default.split('\n').next().unwrap_or_default();
    let has_non_word = first_line
        .chars()
        .any(|c| !(c.is_alphanumeric() || c == '_'));
    !starts_quoted && has_non_word
}

/// `SQLiteDDLCompiler.get_column_specification`.
pub(super) fn spec(r: &R, col: &Column, ctx: &ColumnCtx) -> Result<String, DdlError> {
    let mut spec = format!("{} {}", r.q(&col.name), col.type_);
    if let Some(d) = &col.server_default {
        if needs_parens(d) {
            spec.push_str(&format!(" DEFAULT ({d})"));
        } else {
            spec.push_str(&format!(" DEFAULT {d}"));
        }
    }
    if !col.nullable {
        spec.push_str(" NOT NULL");
        if let Some(c) = &col.sqlite_on_conflict_not_null {
            spec.push_str(&format!(" ON CONFLICT {c}"));
        }
    }
    if col.primary_key {
        if col.autoincrement == Autoincrement::Flag(true) && ctx.pk_len != 1 {
            return Err(DdlError::Compile(
                "SQLite does not support autoincrement for composite primary keys".into(),
            ));
        }
        if ctx.sqlite_autoincrement
            && ctx.pk_len == 1
            && col.affinity == "integer"
            && col.foreign_keys == 0
        {
            spec.push_str(" PRIMARY KEY");
            if let Some(c) = &col.sqlite_on_conflict_primary_key {
                spec.push_str(&format!(" ON CONFLICT {c}"));
            }
            spec.push_str(" AUTOINCREMENT");
        }
    }
    if let Some(c) = &col.computed {
        spec.push(' ');
        spec.push_str(&r.d.computed(c)?);
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::needs_parens;

    #[test]
    fn parenthesised_defaults() {
        assert!(!needs_parens("'x'"));
        assert!(!needs_parens("0"));
        assert!(!needs_parens("CURRENT_TIMESTAMP"));
        assert!(needs_parens("datetime('now')"));
        assert!(!needs_parens("(1 + 2)"));
        assert!(needs_parens("-1"));
    }
}
