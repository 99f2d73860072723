//! `ALTER COLUMN` as one `CHANGE` / `MODIFY` carrying the whole column,
//! and each constraint kind dropped its own way.

use super::Mysql;
use crate::ddl::ir::*;
use crate::ddl::render::R;
use crate::ddl::DdlError;

/// Alembic's `_mysql_drop_constraint`: MySQL drops each kind its own way.
pub(super) fn drop_constraint(
    d: &Mysql,
    r: &R,
    name: Option<&str>,
    table: &TableRef,
    type_: Option<&str>,
) -> Result<String, DdlError> {
    let table = r.table(table);
    let named = || {
        name.map(|n| r.q(n)).ok_or_else(|| {
            DdlError::Compile("Can't emit DROP CONSTRAINT for constraint; it has no name".into())
        })
    };
    Ok(match type_ {
        Some("foreignkey") => format!("ALTER TABLE {table} DROP FOREIGN KEY {}", named()?),
        Some("primary") => format!("ALTER TABLE {table} DROP PRIMARY KEY"),
        Some("unique") => format!("ALTER TABLE {table} DROP INDEX {}", named()?),
        Some("check") if d.mariadb => {
            format!("ALTER TABLE {table} DROP CONSTRAINT {}", named()?)
        }
        Some("check") => format!("ALTER TABLE {table} DROP CHECK {}", named()?),
        _ => {
            return Err(DdlError::Unsupported(
                "No generic 'DROP CONSTRAINT' in MySQL - please specify constraint type".into(),
            ))
        }
    })
}

/// `MySQLImpl.alter_column`: one `CHANGE`, `MODIFY` or `ALTER COLUMN …
/// DEFAULT` carrying the whole column.
pub(super) fn alter_column(r: &R, a: &AlterColumn, out: &mut Vec<String>) -> Result<(), DdlError> {
    let special = |d: &Option<DefaultChange>| {
        matches!(
            d,
            Some(DefaultChange::Identity { .. } | DefaultChange::Computed { .. })
        )
    };
    if special(&a.server_default) || special(&a.existing_server_default) {
        return Err(DdlError::Unsupported(
            "Individual alter column constructs not supported by MySQL".into(),
        ));
    }
    for c in &a.drop_constraints {
        r.drop_constraint_object(c, out)?;
    }
    let table = r.alembic_table(&a.table);
    let col = r.q(&a.column);
    let default_not_none = !matches!(a.server_default, Some(DefaultChange::Sql { sql: None }));
    let change = a.new_name.is_some() || (a.effective_type_is_datetime && default_not_none);
    let modify = a.nullable.is_some()
        || a.type_.is_some()
        || a.autoincrement.is_some()
        || a.comment.is_some();
    if change || modify {
        let spec = colspec(r, a)?;
        if change {
            let new = r.q(a.new_name.as_deref().unwrap_or(&a.column));
            out.push(format!("ALTER TABLE {table} CHANGE {col} {new} {spec}"));
        } else {
            out.push(format!("ALTER TABLE {table} MODIFY {col} {spec}"));
        }
    } else if let Some(DefaultChange::Sql { sql }) = &a.server_default {
        out.push(match sql {
            Some(s) => format!("ALTER TABLE {table} ALTER COLUMN {col} SET DEFAULT {s}"),
            None => format!("ALTER TABLE {table} ALTER COLUMN {col} DROP DEFAULT"),
        });
    }
    for c in &a.add_constraints {
        r.add_constraint(c, out)?;
    }
    Ok(())
}

/// Alembic's `_mysql_colspec`: the column after the change, completed
/// from the `existing_*` arguments.
fn colspec(r: &R, a: &AlterColumn) -> Result<String, DdlError> {
    let type_ = a
        .type_
        .as_ref()
        .or(a.existing_type.as_ref())
        .ok_or_else(|| {
            DdlError::Unsupported(
                "All MySQL CHANGE/MODIFY COLUMN operations require the existing type.".into(),
            )
        })?;
    let nullable = a.nullable.or(a.existing_nullable).unwrap_or(true);
    let mut spec = format!("{type_} {}", if nullable { "NULL" } else { "NOT NULL" });
    if a.autoincrement
        .or(a.existing_autoincrement)
        .unwrap_or(false)
    {
        spec.push_str(" AUTO_INCREMENT");
    }
    let default = match &a.server_default {
        Some(d) => Some(d),
        None => a.existing_server_default.as_ref(),
    };
    if let Some(DefaultChange::Sql { sql: Some(s) }) = default {
        spec.push_str(&format!(" DEFAULT {s}"));
    }
    let comment = match &a.comment {
        Some(c) => c.text.as_deref(),
        None => a.existing_comment.as_deref(),
    };
    if let Some(c) = comment.filter(|c| !c.is_empty()) {
        spec.push_str(&format!(" COMMENT {}", r.lit(c)));
    }
    Ok(spec)
}
