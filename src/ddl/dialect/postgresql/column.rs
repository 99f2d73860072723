//! `PGDDLCompiler.get_column_specification`: SERIAL for the autoincrement
//! column, identity, stored computed columns.

use crate::ddl::ir::*;
use crate::ddl::render::{ColumnCtx, R};
use crate::ddl::DdlError;

/// `PGDDLCompiler.get_column_specification`.
pub(super) fn spec(r: &R, col: &Column, ctx: &ColumnCtx) -> Result<String, DdlError> {
    let mut spec = r.q(&col.name);
    let has_identity = col.identity.is_some();
    let default_ok = matches!(col.default.as_deref(), None | Some("optional_sequence"));
    if col.primary_key && ctx.autoinc && !has_identity && default_ok {
        spec.push_str(match col.int_kind.as_str() {
            "big" => " BIGSERIAL",
            "small" => " SMALLSERIAL",
            _ => " SERIAL",
        });
    } else {
        spec.push(' ');
        spec.push_str(&col.type_);
        if let Some(d) = &col.server_default {
            spec.push_str(" DEFAULT ");
            spec.push_str(d);
        }
    }
    if let Some(c) = &col.computed {
        spec.push(' ');
        spec.push_str(&computed(c)?);
    }
    if let Some(i) = &col.identity {
        spec.push(' ');
        spec.push_str(&r.identity(i));
    }
    if !col.nullable && !has_identity {
        spec.push_str(" NOT NULL");
    } else if col.nullable && has_identity {
        spec.push_str(" NULL");
    }
    Ok(spec)
}

/// PostgreSQL's generated columns are always STORED; VIRTUAL is refused
/// (with SQLAlchemy's spelling of the message).
pub(super) fn computed(c: &Computed) -> Result<String, DdlError> {
    if c.persisted == Some(false) {
        return Err(DdlError::Compile(
            "PostrgreSQL computed columns do not support 'virtual' persistence; set the \
             'persisted' flag to None or True for PostgreSQL support."
                .into(),
        ));
    }
    Ok(format!("GENERATED ALWAYS AS ({}) STORED", c.sqltext))
}
