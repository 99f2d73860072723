//! `MySQLDDLCompiler.get_column_specification`: AUTO_INCREMENT, inline
//! comments, explicit NULL for TIMESTAMP.

use super::Mysql;
use crate::ddl::ir::*;
use crate::ddl::render::{ColumnCtx, R};

/// `MySQLDDLCompiler.get_column_specification`.
pub(super) fn spec(d: &Mysql, r: &R, col: &Column, ctx: &ColumnCtx) -> String {
    let nullable =
        col.nullable || (d.mariadb && col.computed.is_some() && col.nullable_unspecified);
    let mut spec = vec![r.q(&col.name), col.type_.clone()];
    if let Some(c) = &col.computed {
        // MySQL accepts VIRTUAL, so this cannot fail.
        if let Ok(text) = r.d.computed(c) {
            spec.push(text);
        }
    }
    if !nullable {
        spec.push("NOT NULL".into());
    } else if col.is_timestamp {
        spec.push("NULL".into());
    }
    if let Some(c) = &col.comment {
        spec.push(format!("COMMENT {}", r.lit(c)));
    }
    // `supports_sequences` is off until a MariaDB server says otherwise,
    // so a sequence default never stops AUTO_INCREMENT here.
    if ctx.autoinc && !col.has_server_default {
        spec.push("AUTO_INCREMENT".into());
    } else if let Some(d) = &col.server_default {
        spec.push(format!("DEFAULT {d}"));
    }
    spec.join(" ")
}
