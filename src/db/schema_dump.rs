//! A whole database read into one normalised, ordered value — every table
//! (the version table included) with its columns, keys, indexes, constraints
//! and sorted rows, PostgreSQL enum types, views and sequences — so that two
//! databases migrated by different tools can be compared with `==` and their
//! first difference named.  Catalog queries only: `pg_catalog` on PostgreSQL,
//! `information_schema` on MySQL/MariaDB, `sqlite_master` and the PRAGMAs
//! (through [`Db::reflect_sqlite_table_as_is`]) on SQLite.
//!
//! Nothing that names the database itself is kept (MySQL's schema name, a
//! SQLite file path), so twins on one server compare equal; counters
//! (sequence values, `AUTO_INCREMENT`) are left out as the parity suite's
//! snapshot leaves them out.

use std::collections::BTreeMap;

use super::sqlite_reflect::ReflectError;
use super::{Db, DbError, Dialect};
use crate::ddl::force_quote;

/// One database's schema and data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaDump {
    /// By name (`schema.name` outside PostgreSQL's `public`).
    pub tables: BTreeMap<String, TableDump>,
    /// Objects outside tables, by a description (`enum type "mood"`,
    /// `view "v"`, `sequence "s"`), each with its definition.
    pub objects: BTreeMap<String, String>,
}

/// One table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableDump {
    /// In table order.
    pub columns: Vec<ColumnDump>,
    /// Everything else the table declares, by a description (`primary key`,
    /// `index "ix_a"`, `unique constraint "uq"`, `check constraint "ck"`,
    /// `foreign key "fk"`, `comment`, `options`), each with its definition.
    pub parts: BTreeMap<String, String>,
    /// SQLite: the `CREATE TABLE` text it keeps ([`canonical_sqlite_ddl`]),
    /// which says what the PRAGMAs leave out (a CHECK's wording).
    pub text: Option<String>,
    /// Every row, each value as text (`None` for NULL), sorted.
    pub rows: Vec<Vec<Option<String>>>,
}

/// One column: what `information_schema.columns` would say, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnDump {
    pub name: String,
    /// The type, nullability, default and extras as one line
    /// (`VARCHAR(50) NOT NULL DEFAULT 'x'`).
    pub definition: String,
}

/// Adds ` <label> <value>` when the value is present and not empty.
fn push_opt(text: &mut String, label: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        text.push(' ');
        text.push_str(label);
        text.push(' ');
        text.push_str(v);
    }
}

fn column_definition(type_: &str, nullable: bool, default: Option<&str>) -> String {
    let mut text = type_.to_string();
    if !nullable {
        text.push_str(" NOT NULL");
    }
    push_opt(&mut text, "DEFAULT", default);
    text
}

/// The cell at `i` of a row from [`Db::query_strings`].
fn cell(row: &[Option<String>], i: usize) -> Option<&str> {
    row.get(i).and_then(|v| v.as_deref())
}

fn text(row: &[Option<String>], i: usize) -> String {
    cell(row, i).unwrap_or_default().to_string()
}

impl Db {
    /// Reads the whole database this connection is on.
    pub fn dump_schema(&mut self) -> Result<SchemaDump, ReflectError> {
        let mut dump = match self.dialect() {
            Dialect::Postgresql => self.dump_postgresql()?,
            Dialect::Mysql => self.dump_mysql()?,
            Dialect::Sqlite => self.dump_sqlite()?,
        };
        let dialect = self.dialect();
        for (key, table) in dump.tables.iter_mut() {
            let from = match key.split_once('.') {
                Some((schema, name)) if dialect == Dialect::Postgresql => format!(
                    "{}.{}",
                    force_quote(schema, dialect),
                    force_quote(name, dialect)
                ),
                _ => force_quote(key, dialect),
            };
            // SQLite's quote() keeps the storage class visible (1 vs '1').
            let select = if dialect == Dialect::Sqlite {
                table
                    .columns
                    .iter()
                    .map(|c| format!("quote({})", force_quote(&c.name, dialect)))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                "*".to_string()
            };
            if select.is_empty() {
                continue;
            }
            let mut rows = self.query_strings(&format!("SELECT {select} FROM {from}"))?;
            rows.sort();
            table.rows = rows;
        }
        Ok(dump)
    }

    fn dump_postgresql(&mut self) -> Result<SchemaDump, DbError> {
        // Tables of every user schema; `public` ones by bare name.
        const TABLES: &str = "SELECT c.oid FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'p') AND n.nspname !~ '^pg_' \
             AND n.nspname <> 'information_schema'";
        let mut dump = SchemaDump::default();
        let mut by_oid: BTreeMap<String, String> = BTreeMap::new();
        let tables = self.query_strings(&format!(
            "SELECT c.oid::text, n.nspname, c.relname, obj_description(c.oid, 'pg_class') \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.oid IN ({TABLES})"
        ))?;
        for row in &tables {
            let (schema, name) = (text(row, 1), text(row, 2));
            let key = if schema == "public" {
                name
            } else {
                format!("{schema}.{name}")
            };
            let mut table = TableDump::default();
            if let Some(comment) = cell(row, 3) {
                table.parts.insert("comment".into(), comment.to_string());
            }
            by_oid.insert(text(row, 0), key.clone());
            dump.tables.insert(key, table);
        }
        let columns = self.query_strings(&format!(
            "SELECT a.attrelid::text, a.attname, format_type(a.atttypid, a.atttypmod), \
             a.attnotnull::text, pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, \
             a.attgenerated::text, col_description(a.attrelid, a.attnum) \
             FROM pg_attribute a LEFT JOIN pg_attrdef d \
             ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE a.attrelid IN ({TABLES}) AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY a.attrelid, a.attnum"
        ))?;
        for row in &columns {
            let Some(table) = by_oid
                .get(&text(row, 0))
                .and_then(|k| dump.tables.get_mut(k))
            else {
                continue;
            };
            let generated = cell(row, 6).filter(|g| !g.is_empty());
            let default = if generated.is_some() {
                None
            } else {
                cell(row, 4)
            };
            let not_null = matches!(cell(row, 3), Some("t" | "true"));
            let mut definition = column_definition(&text(row, 2), !not_null, default);
            match cell(row, 5) {
                Some("a") => definition.push_str(" GENERATED ALWAYS AS IDENTITY"),
                Some("d") => definition.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
                _ => {}
            }
            if generated.is_some() {
                push_opt(&mut definition, "GENERATED ALWAYS AS", cell(row, 4));
            }
            push_opt(&mut definition, "COMMENT", cell(row, 7));
            table.columns.push(ColumnDump {
                name: text(row, 1),
                definition,
            });
        }
        let constraints = self.query_strings(&format!(
            "SELECT conrelid::text, conname, contype::text, pg_get_constraintdef(oid, true) \
             FROM pg_constraint WHERE conrelid IN ({TABLES})"
        ))?;
        for row in &constraints {
            let Some(table) = by_oid
                .get(&text(row, 0))
                .and_then(|k| dump.tables.get_mut(k))
            else {
                continue;
            };
            let kind = match cell(row, 2) {
                Some("p") => "primary key",
                Some("u") => "unique constraint",
                Some("c") => "check constraint",
                Some("f") => "foreign key",
                Some("x") => "exclusion constraint",
                _ => "constraint",
            };
            table
                .parts
                .insert(format!("{kind} \"{}\"", text(row, 1)), text(row, 3));
        }
        let indexes = self.query_strings(&format!(
            "SELECT x.indrelid::text, i.relname, pg_get_indexdef(x.indexrelid) \
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
             WHERE x.indrelid IN ({TABLES})"
        ))?;
        for row in &indexes {
            if let Some(table) = by_oid
                .get(&text(row, 0))
                .and_then(|k| dump.tables.get_mut(k))
            {
                table
                    .parts
                    .insert(format!("index \"{}\"", text(row, 1)), text(row, 2));
            }
        }
        let enums = self.query_strings(
            "SELECT n.nspname, t.typname, \
             string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) \
             FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid \
             JOIN pg_namespace n ON n.oid = t.typnamespace GROUP BY 1, 2",
        )?;
        let views = self.query_strings(
            "SELECT schemaname, viewname, definition FROM pg_views \
             WHERE schemaname !~ '^pg_' AND schemaname <> 'information_schema'",
        )?;
        let sequences = self.query_strings(
            "SELECT schemaname, sequencename, data_type::text || ' START ' || start_value \
             || ' INCREMENT ' || increment_by FROM pg_sequences",
        )?;
        for (kind, rows) in [
            ("enum type", &enums),
            ("view", &views),
            ("sequence", &sequences),
        ] {
            for row in rows {
                let schema = text(row, 0);
                let name = text(row, 1);
                let name = if schema == "public" {
                    name
                } else {
                    format!("{schema}.{name}")
                };
                dump.objects
                    .insert(format!("{kind} \"{name}\""), text(row, 2));
            }
        }
        Ok(dump)
    }

    fn dump_mysql(&mut self) -> Result<SchemaDump, DbError> {
        let mariadb = self.backend().mariadb;
        let mut dump = SchemaDump::default();
        let tables = self.query_strings(
            "SELECT TABLE_NAME, ENGINE, TABLE_COLLATION, TABLE_COMMENT, CREATE_OPTIONS \
             FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
        )?;
        for row in &tables {
            let mut table = TableDump::default();
            let options = format!(
                "ENGINE={} COLLATE={} {}",
                text(row, 1),
                text(row, 2),
                text(row, 4)
            );
            table.parts.insert("options".into(), options.trim().into());
            if let Some(comment) = cell(row, 3).filter(|c| !c.is_empty()) {
                table.parts.insert("comment".into(), comment.to_string());
            }
            dump.tables.insert(text(row, 0), table);
        }
        let columns = self.query_strings(
            "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, \
             COLLATION_NAME, GENERATION_EXPRESSION, COLUMN_COMMENT \
             FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
             ORDER BY TABLE_NAME, ORDINAL_POSITION",
        )?;
        for row in &columns {
            let Some(table) = dump.tables.get_mut(&text(row, 0)) else {
                continue;
            };
            let mut definition =
                column_definition(&text(row, 2), text(row, 3) == "YES", cell(row, 4));
            if let Some(extra) = cell(row, 5).filter(|e| !e.is_empty()) {
                definition.push(' ');
                definition.push_str(&extra.to_uppercase());
            }
            push_opt(&mut definition, "COLLATE", cell(row, 6));
            push_opt(&mut definition, "AS", cell(row, 7));
            push_opt(&mut definition, "COMMENT", cell(row, 8));
            table.columns.push(ColumnDump {
                name: text(row, 1),
                definition,
            });
        }
        // One row per indexed column, in index order.
        let index_columns = self.query_strings(
            "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, INDEX_TYPE \
             FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
             ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
        )?;
        let mut indexes: BTreeMap<(String, String), (String, Vec<String>)> = BTreeMap::new();
        for row in &index_columns {
            let kind = if text(row, 2) == "0" { "UNIQUE " } else { "" };
            let entry = indexes
                .entry((text(row, 0), text(row, 1)))
                .or_insert_with(|| (format!("{kind}{}", text(row, 5)), Vec::new()));
            let mut column = text(row, 3);
            if let Some(len) = cell(row, 4) {
                column.push_str(&format!("({len})"));
            }
            entry.1.push(column);
        }
        for ((table, name), (kind, cols)) in indexes {
            if let Some(t) = dump.tables.get_mut(&table) {
                t.parts.insert(
                    format!("index \"{name}\""),
                    format!("{kind} ({})", cols.join(", ")),
                );
            }
        }
        let constraints = self.query_strings(
            "SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE \
             FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
        )?;
        for row in &constraints {
            if let Some(t) = dump.tables.get_mut(&text(row, 0)) {
                t.parts
                    .insert(format!("constraint \"{}\"", text(row, 1)), text(row, 2));
            }
        }
        let fk_columns = self.query_strings(
            "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, \
             k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE \
             FROM information_schema.KEY_COLUMN_USAGE k \
             JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
             ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA \
             AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME \
             WHERE k.CONSTRAINT_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL \
             ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
        )?;
        type FkParts = (Vec<String>, String, Vec<String>, String);
        let mut fks: BTreeMap<(String, String), FkParts> = BTreeMap::new();
        for row in &fk_columns {
            let entry = fks.entry((text(row, 0), text(row, 1))).or_insert_with(|| {
                (
                    Vec::new(),
                    text(row, 3),
                    Vec::new(),
                    format!("ON UPDATE {} ON DELETE {}", text(row, 5), text(row, 6)),
                )
            });
            entry.0.push(text(row, 2));
            entry.2.push(text(row, 4));
        }
        for ((table, name), (cols, referred, referred_cols, rules)) in fks {
            if let Some(t) = dump.tables.get_mut(&table) {
                t.parts.insert(
                    format!("foreign key \"{name}\""),
                    format!(
                        "({}) REFERENCES {referred} ({}) {rules}",
                        cols.join(", "),
                        referred_cols.join(", ")
                    ),
                );
            }
        }
        // MySQL's CHECK_CONSTRAINTS has no table name; MariaDB's has (and
        // names column-level checks after their column, so one name may
        // repeat across tables).
        let checks = self.query_strings(if mariadb {
            "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE \
             FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()"
        } else {
            "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE \
             FROM information_schema.CHECK_CONSTRAINTS cc \
             JOIN information_schema.TABLE_CONSTRAINTS tc \
             ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA \
             AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK' \
             WHERE cc.CONSTRAINT_SCHEMA = DATABASE()"
        })?;
        for row in &checks {
            if let Some(t) = dump.tables.get_mut(&text(row, 0)) {
                t.parts.insert(
                    format!("check constraint \"{}\"", text(row, 1)),
                    text(row, 2),
                );
            }
        }
        let views = self.query_strings(
            "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS \
             WHERE TABLE_SCHEMA = DATABASE()",
        )?;
        for row in &views {
            dump.objects
                .insert(format!("view \"{}\"", text(row, 0)), text(row, 1));
        }
        Ok(dump)
    }

    fn dump_sqlite(&mut self) -> Result<SchemaDump, ReflectError> {
        let mut dump = SchemaDump::default();
        let entries = self.query_strings(
            "SELECT type, name, tbl_name, sql FROM sqlite_master \
             WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )?;
        for row in &entries {
            let (kind, name) = (text(row, 0), text(row, 1));
            if kind != "table" {
                // Indexes (expression ones too), views and triggers, as
                // SQLite keeps their text.
                if let Some(sql) = cell(row, 3) {
                    dump.objects.insert(
                        format!("{kind} \"{name}\" on \"{}\"", text(row, 2)),
                        sql.to_string(),
                    );
                }
                continue;
            }
            let reflected = self.reflect_sqlite_table_as_is(&name, None)?;
            let mut table = TableDump {
                text: cell(row, 3).map(canonical_sqlite_ddl),
                ..TableDump::default()
            };
            for c in &reflected.columns {
                let mut definition = column_definition(&c.type_, c.nullable, c.default.as_deref());
                if let Some((sqltext, stored)) = &c.computed {
                    definition.push_str(&format!(
                        " GENERATED ALWAYS AS ({sqltext}){}",
                        if *stored { " STORED" } else { "" }
                    ));
                }
                table.columns.push(ColumnDump {
                    name: c.name.clone(),
                    definition,
                });
            }
            let pk = &reflected.primary_key;
            if !pk.columns.is_empty() {
                table.parts.insert(
                    "primary key".into(),
                    format!(
                        "{}({})",
                        pk.name
                            .as_deref()
                            .map(|n| format!("\"{n}\" "))
                            .unwrap_or_default(),
                        pk.columns.join(", ")
                    ),
                );
            }
            for fk in &reflected.foreign_keys {
                let mut def = format!(
                    "({}) REFERENCES {} ({})",
                    fk.columns.join(", "),
                    fk.referred_table,
                    fk.referred_columns.join(", ")
                );
                push_opt(&mut def, "ON DELETE", fk.ondelete.as_deref());
                push_opt(&mut def, "ON UPDATE", fk.onupdate.as_deref());
                if fk.deferrable == Some(true) {
                    def.push_str(" DEFERRABLE");
                }
                push_opt(&mut def, "INITIALLY", fk.initially.as_deref());
                table
                    .parts
                    .insert(unnamed_key("foreign key", fk.name.as_deref(), &def), def);
            }
            for ix in &reflected.indexes {
                let mut def = format!(
                    "{}({})",
                    if ix.unique { "UNIQUE " } else { "" },
                    ix.columns.join(", ")
                );
                push_opt(&mut def, "WHERE", ix.where_.as_deref());
                table.parts.insert(format!("index \"{}\"", ix.name), def);
            }
            for uq in &reflected.unique_constraints {
                let def = format!("({})", uq.columns.join(", "));
                table.parts.insert(
                    unnamed_key("unique constraint", uq.name.as_deref(), &def),
                    def,
                );
            }
            for ck in &reflected.check_constraints {
                table.parts.insert(
                    unnamed_key("check constraint", ck.name.as_deref(), &ck.sqltext),
                    ck.sqltext.clone(),
                );
            }
            let o = &reflected.options;
            if o.without_rowid || o.strict {
                table.parts.insert(
                    "options".into(),
                    format!("without_rowid={} strict={}", o.without_rowid, o.strict),
                );
            }
            dump.tables.insert(name, table);
        }
        Ok(dump)
    }
}

/// A `CREATE TABLE` text as SQLite keeps it, with its constraint lines
/// sorted in place (a batch rebuild under Alembic takes them from a set, so
/// their order is left to chance) and trailing whitespace dropped (sqlx trims
/// statements; SQLite keeps it after `WITHOUT ROWID`).
pub fn canonical_sqlite_ddl(sql: &str) -> String {
    const STARTS: [&str; 5] = [
        "CONSTRAINT ",
        "PRIMARY KEY",
        "UNIQUE",
        "CHECK",
        "FOREIGN KEY",
    ];
    let mut lines: Vec<String> = sql
        .trim_end()
        .lines()
        .map(|l| l.trim_end().trim_end_matches(',').to_string())
        .collect();
    let is_constraint = |l: &str| {
        l.strip_prefix('\t')
            .is_some_and(|rest| STARTS.iter().any(|s| rest.starts_with(s)))
    };
    let slots: Vec<usize> = (0..lines.len())
        .filter(|&i| is_constraint(&lines[i]))
        .collect();
    let mut sorted: Vec<String> = slots.iter().map(|&i| lines[i].clone()).collect();
    sorted.sort();
    for (slot, line) in slots.into_iter().zip(sorted) {
        lines[slot] = line;
    }
    lines.join("\n")
}

/// The key of a constraint that may have no name: its name, or, unnamed, its
/// definition (two unnamed ones are told apart by what they say).
fn unnamed_key(kind: &str, name: Option<&str>, definition: &str) -> String {
    match name {
        Some(n) => format!("{kind} \"{n}\""),
        None => format!("unnamed {kind} {definition}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::db::Db;

    #[test]
    fn sqlite_ddl_constraint_lines_come_in_one_order() {
        let a = "CREATE TABLE t (\n\tid INTEGER, \n\tCONSTRAINT b CHECK (id > 0), \n\tCONSTRAINT a UNIQUE (id)\n) ";
        let b = "CREATE TABLE t (\n\tid INTEGER, \n\tCONSTRAINT a UNIQUE (id), \n\tCONSTRAINT b CHECK (id > 0)\n)";
        assert_eq!(
            super::canonical_sqlite_ddl(a),
            super::canonical_sqlite_ddl(b)
        );
        assert!(super::canonical_sqlite_ddl(a).starts_with("CREATE TABLE t (\n\tid INTEGER\n"));
    }

    #[test]
    fn sqlite_dump_sees_schema_and_rows() {
        let mut db = Db::sqlite_memory();
        db.execute(
            "CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, x VARCHAR(5) DEFAULT 'a', \
             CONSTRAINT ck_x CHECK (x <> ''))",
        )
        .expect("create");
        db.execute("CREATE INDEX ix_x ON t (x)").expect("index");
        db.execute("INSERT INTO t VALUES (2, 'b'), (1, '1')")
            .expect("insert");
        let dump = db.dump_schema().expect("dump");
        let t = &dump.tables["t"];
        assert_eq!(t.columns[1].definition, "VARCHAR(5) DEFAULT 'a'");
        assert_eq!(t.columns[0].definition, "INTEGER NOT NULL");
        assert_eq!(t.parts["primary key"], "(id)");
        assert_eq!(t.parts["index \"ix_x\""], "(x)");
        assert_eq!(t.parts["check constraint \"ck_x\""], "x <> ''");
        // Sorted, storage class visible.
        assert_eq!(
            t.rows,
            [
                vec![Some("1".to_string()), Some("'1'".to_string())],
                vec![Some("2".to_string()), Some("'b'".to_string())]
            ]
        );
        let before = dump.clone();
        db.execute("UPDATE t SET x = 'c' WHERE id = 1")
            .expect("update");
        assert_ne!(db.dump_schema().expect("dump"), before);
    }
}
