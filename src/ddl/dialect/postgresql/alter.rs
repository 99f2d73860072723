//! `PostgresqlImpl.alter_column`: the type (with USING) first, then the rest.

use crate::ddl::ir::*;
use crate::ddl::render::R;
use crate::ddl::DdlError;

/// `PostgresqlImpl.alter_column`.
pub(super) fn alter_column(r: &R, a: &AlterColumn, out: &mut Vec<String>) -> Result<(), DdlError> {
    if a.postgresql_using.is_some() && a.type_.is_none() {
        return Err(DdlError::Unsupported(
            "postgresql_using must be used with the type_ parameter".into(),
        ));
    }
    for c in &a.drop_constraints {
        r.drop_constraint_object(c, out)?;
    }
    if let Some(t) = &a.type_ {
        let mut s = format!(
            "ALTER TABLE {} ALTER COLUMN {} TYPE {t}",
            r.alembic_table(&a.table),
            r.q(&a.column)
        );
        if let Some(u) = &a.postgresql_using {
            s.push_str(&format!(" USING {u}"));
        }
        out.push(s);
    }
    r.alter_column_steps(a, false, out)?;
    for c in &a.add_constraints {
        r.add_constraint(c, out)?;
    }
    Ok(())
}
