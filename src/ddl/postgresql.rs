//! PostgreSQL: SERIAL columns, identity, `CREATE TYPE … AS ENUM`, table
//! options, `ALTER COLUMN … TYPE … USING`.

use super::ir::*;
use super::render::{ColumnCtx, R};
use super::DdlError;

impl R {
    /// `PGDDLCompiler.get_column_specification`.
    pub(super) fn pg_column_spec(&self, col: &Column, ctx: &ColumnCtx) -> Result<String, DdlError> {
        let mut spec = self.q(&col.name);
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
            spec.push_str(&self.computed(c)?);
        }
        if let Some(i) = &col.identity {
            spec.push(' ');
            spec.push_str(&self.identity(i));
        }
        if !col.nullable && !has_identity {
            spec.push_str(" NOT NULL");
        } else if col.nullable && has_identity {
            spec.push_str(" NULL");
        }
        Ok(spec)
    }

    /// `CREATE TYPE` for a native enum, as SQLAlchemy emits it before the table.
    pub(super) fn pg_create_enum(&self, e: &EnumType) -> String {
        let name = match e.schema.as_deref() {
            Some(s) if !s.is_empty() => format!("{}.{}", self.q(s), self.q(&e.name)),
            _ => self.q(&e.name),
        };
        let values: Vec<String> = e.values.iter().map(|v| self.lit(v)).collect();
        format!("CREATE TYPE {name} AS ENUM ({})", values.join(", "))
    }

    /// `PGDDLCompiler.post_create_table`: INHERITS, PARTITION BY, USING,
    /// WITH[OUT] OIDS, ON COMMIT, TABLESPACE.
    pub(super) fn pg_post_create_table(&self, table: &Table) -> String {
        let s = |k: &str| {
            table.kw(k).and_then(|v| match v {
                serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
                _ => None,
            })
        };
        let mut opts = String::new();
        match table.kw("postgresql_inherits") {
            Some(serde_json::Value::String(s)) => {
                opts.push_str(&format!("\n INHERITS ( {} )", self.q(s)))
            }
            Some(serde_json::Value::Array(a)) => {
                let names: Vec<String> = a
                    .iter()
                    .filter_map(|v| v.as_str())
                    .map(|n| self.q(n))
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
            opts.push_str(&format!("\n TABLESPACE {}", self.q(&t)));
        }
        opts
    }

    /// `PostgresqlImpl.alter_column`: the type (with USING) first, then the rest.
    pub(super) fn pg_alter_column(
        &self,
        a: &AlterColumn,
        out: &mut Vec<String>,
    ) -> Result<(), DdlError> {
        if a.postgresql_using.is_some() && a.type_.is_none() {
            return Err(DdlError::Unsupported(
                "postgresql_using must be used with the type_ parameter".into(),
            ));
        }
        for c in &a.drop_constraints {
            self.drop_constraint_object(c, out)?;
        }
        if let Some(t) = &a.type_ {
            let mut s = format!(
                "ALTER TABLE {} ALTER COLUMN {} TYPE {t}",
                self.alembic_table(&a.table),
                self.q(&a.column)
            );
            if let Some(u) = &a.postgresql_using {
                s.push_str(&format!(" USING {u}"));
            }
            out.push(s);
        }
        self.alter_column_steps(a, false, out)?;
        for c in &a.add_constraints {
            self.add_constraint(c, out)?;
        }
        Ok(())
    }
}
