//! MySQL and MariaDB: AUTO_INCREMENT, inline comments, table options,
//! `CHANGE` / `MODIFY`, typed `DROP` of constraints.

use super::ir::*;
use super::render::{ColumnCtx, R};
use super::DdlError;

/// Orders option names the way SQLAlchemy's `topological.sort` does: in
/// rounds, each round taking (in the given order) every name whose
/// predecessors are all placed.
fn layered(items: Vec<String>, edges: &[(&str, &str)]) -> Vec<String> {
    let mut todo = items;
    let mut out = Vec::new();
    while !todo.is_empty() {
        let round: Vec<String> = todo
            .iter()
            .filter(|n| {
                !edges
                    .iter()
                    .any(|(parent, child)| child == n && todo.iter().any(|t| t == parent))
            })
            .cloned()
            .collect();
        if round.is_empty() {
            out.append(&mut todo);
            break;
        }
        todo.retain(|t| !round.contains(t));
        out.extend(round);
    }
    out
}

const PARTITION_OPTIONS: [&str; 4] = [
    "PARTITION_BY",
    "PARTITIONS",
    "SUBPARTITIONS",
    "SUBPARTITION_BY",
];

impl R {
    fn mysql_prefix(&self) -> &'static str {
        if self.o.mariadb_options {
            "mariadb_"
        } else {
            "mysql_"
        }
    }

    /// `MySQLDDLCompiler.get_column_specification`.
    pub(super) fn mysql_column_spec(&self, col: &Column, ctx: &ColumnCtx) -> String {
        let nullable =
            col.nullable || (self.b.mariadb && col.computed.is_some() && col.nullable_unspecified);
        let mut spec = vec![self.q(&col.name), col.type_.clone()];
        if let Some(c) = &col.computed {
            // MySQL accepts VIRTUAL, so this cannot fail.
            if let Ok(text) = self.computed(c) {
                spec.push(text);
            }
        }
        if !nullable {
            spec.push("NOT NULL".into());
        } else if col.is_timestamp {
            spec.push("NULL".into());
        }
        if let Some(c) = &col.comment {
            spec.push(format!("COMMENT {}", self.lit(c)));
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

    /// `MySQLDDLCompiler.post_create_table`: ENGINE=…, CHARSET=…, COMMENT='…'.
    pub(super) fn mysql_post_create_table(&self, table: &Table) -> String {
        let prefix = self.mysql_prefix();
        let mut opts: Vec<(String, String)> = Vec::new();
        let mut set = |k: String, v: String| match opts.iter_mut().find(|(o, _)| *o == k) {
            Some(slot) => slot.1 = v,
            None => opts.push((k, v)),
        };
        for (k, v) in &table.kwargs {
            if let Some(rest) = k.strip_prefix(prefix) {
                let value = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                set(rest.to_uppercase(), value);
            }
        }
        if let Some(c) = &table.comment {
            set("COMMENT".into(), c.clone());
        }
        let value_of = |k: &str| {
            opts.iter()
                .find(|(o, _)| o == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let (part, nonpart): (Vec<String>, Vec<String>) = opts
            .iter()
            .map(|(k, _)| k.clone())
            .partition(|k| PARTITION_OPTIONS.contains(&k.as_str()));
        let mut rendered = Vec::new();
        let charset_first = [
            ("DEFAULT_CHARSET", "COLLATE"),
            ("DEFAULT_CHARACTER_SET", "COLLATE"),
            ("CHARSET", "COLLATE"),
            ("CHARACTER_SET", "COLLATE"),
        ];
        for opt in layered(nonpart, &charset_first) {
            let mut arg = value_of(&opt);
            if matches!(opt.as_str(), "COMMENT" | "PASSWORD" | "CONNECTION") {
                arg = self.lit(&arg);
            }
            let name = if matches!(
                opt.as_str(),
                "DATA_DIRECTORY"
                    | "INDEX_DIRECTORY"
                    | "DEFAULT_CHARACTER_SET"
                    | "CHARACTER_SET"
                    | "DEFAULT_CHARSET"
                    | "DEFAULT_COLLATE"
            ) {
                opt.replace('_', " ")
            } else {
                opt.clone()
            };
            let joiner = if matches!(
                name.as_str(),
                "TABLESPACE" | "DEFAULT CHARACTER SET" | "CHARACTER SET" | "COLLATE"
            ) {
                " "
            } else {
                "="
            };
            rendered.push(format!("{name}{joiner}{arg}"));
        }
        let partition_order = [
            ("PARTITION_BY", "PARTITIONS"),
            ("PARTITION_BY", "SUBPARTITION_BY"),
            ("PARTITION_BY", "SUBPARTITIONS"),
            ("PARTITIONS", "SUBPARTITIONS"),
            ("PARTITIONS", "SUBPARTITION_BY"),
            ("SUBPARTITION_BY", "SUBPARTITIONS"),
        ];
        for opt in layered(part, &partition_order) {
            let arg = value_of(&opt);
            rendered.push(format!("{} {arg}", opt.replace('_', " ")));
        }
        rendered.join(" ")
    }

    /// `MySQLDDLCompiler.visit_create_index`.
    pub(super) fn mysql_create_index(
        &self,
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
        text.push_str(&format!("INDEX {ine}{name} ON {} ", self.table(table)));
        let cols: Vec<String> = idx
            .expressions
            .iter()
            .map(|e| {
                let rendered = self.index_expr(e);
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
            text.push_str(&format!(" USING {}", self.q(u)));
        }
        text
    }

    /// Alembic's `_mysql_drop_constraint`: MySQL drops each kind its own way.
    pub(super) fn mysql_drop_constraint(
        &self,
        name: Option<&str>,
        table: &TableRef,
        type_: Option<&str>,
    ) -> Result<String, DdlError> {
        let table = self.table(table);
        let named = || {
            name.map(|n| self.q(n)).ok_or_else(|| {
                DdlError::Compile(
                    "Can't emit DROP CONSTRAINT for constraint; it has no name".into(),
                )
            })
        };
        Ok(match type_ {
            Some("foreignkey") => format!("ALTER TABLE {table} DROP FOREIGN KEY {}", named()?),
            Some("primary") => format!("ALTER TABLE {table} DROP PRIMARY KEY"),
            Some("unique") => format!("ALTER TABLE {table} DROP INDEX {}", named()?),
            Some("check") if self.b.mariadb => {
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
    pub(super) fn mysql_alter_column(
        &self,
        a: &AlterColumn,
        out: &mut Vec<String>,
    ) -> Result<(), DdlError> {
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
            self.drop_constraint_object(c, out)?;
        }
        let table = self.alembic_table(&a.table);
        let col = self.q(&a.column);
        let default_not_none = !matches!(a.server_default, Some(DefaultChange::Sql { sql: None }));
        let change = a.new_name.is_some() || (a.effective_type_is_datetime && default_not_none);
        let modify = a.nullable.is_some()
            || a.type_.is_some()
            || a.autoincrement.is_some()
            || a.comment.is_some();
        if change || modify {
            let spec = self.mysql_colspec(a)?;
            if change {
                let new = self.q(a.new_name.as_deref().unwrap_or(&a.column));
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
            self.add_constraint(c, out)?;
        }
        Ok(())
    }

    /// Alembic's `_mysql_colspec`: the column after the change, completed
    /// from the `existing_*` arguments.
    fn mysql_colspec(&self, a: &AlterColumn) -> Result<String, DdlError> {
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
            spec.push_str(&format!(" COMMENT {}", self.lit(c)));
        }
        Ok(spec)
    }
}

#[cfg(test)]
mod tests {
    use super::layered;

    #[test]
    fn collate_follows_charset() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let edges = [("CHARSET", "COLLATE")];
        assert_eq!(
            layered(v(&["ENGINE", "COLLATE", "CHARSET", "COMMENT"]), &edges),
            v(&["ENGINE", "CHARSET", "COMMENT", "COLLATE"])
        );
        assert_eq!(
            layered(v(&["COLLATE", "KEY_BLOCK_SIZE"]), &edges),
            v(&["COLLATE", "KEY_BLOCK_SIZE"])
        );
    }
}
