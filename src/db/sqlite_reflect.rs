//! Reflection of one SQLite table, as SQLAlchemy's SQLite inspector reports
//! it (`get_columns`, `get_pk_constraint`, `get_foreign_keys`,
//! `get_indexes`, `get_unique_constraints`, `get_check_constraints`,
//! `get_table_options`): the same PRAGMAs and `sqlite_master` queries, run on
//! the connection the migration runs on, so a batch rebuild sees the table
//! as the migration left it so far.  Names and options that only the
//! `CREATE TABLE` text holds are read by [`super::sqlite_sql`].
//!
//! What the reflected table becomes (types, defaults, naming conventions) is
//! decided by the DDL layer; this module only reports.

use super::conn::Db;
use super::outcome::Cell;
use super::sqlite_sql;
use super::DbError;
use crate::ddl::{
    ReflectedColumn, ReflectedForeignKey, ReflectedIndex, ReflectedPrimaryKey, ReflectedUnique,
    SqliteTable,
};

/// Why a table could not be reflected.
#[derive(Debug, thiserror::Error)]
pub enum ReflectError {
    /// SQLAlchemy's `NoSuchTableError` (the table, or a table one of its
    /// foreign keys refers to): the message is the name.
    #[error("{0}")]
    NoSuchTable(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

fn text(cell: Option<&Cell>) -> Option<String> {
    match cell? {
        Cell::Text(s) => Some(s.clone()),
        Cell::Int(i) => Some(i.to_string()),
        Cell::Float(f) => Some(f.to_string()),
        Cell::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Cell::Null => None,
    }
}

fn int(cell: Option<&Cell>) -> i64 {
    match cell {
        Some(Cell::Int(i)) => *i,
        Some(Cell::Text(s)) => s.trim().parse().unwrap_or(0),
        _ => 0,
    }
}

/// `quote_identifier`: always quoted.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// Removes `word` case-insensitively (`re.sub(word, "", text, flags=re.I)`).
fn remove_word(text: &str, word: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::new();
    let mut i = 0;
    while let Some(pos) = lower[i..].find(word) {
        out.push_str(&text[i..i + pos]);
        i += pos + word.len();
    }
    out.push_str(&text[i..]);
    out
}

struct Reflector<'a> {
    db: &'a mut Db,
    schema: Option<&'a str>,
}

impl Reflector<'_> {
    fn rows(&mut self, sql: &str) -> Result<Vec<Vec<Cell>>, DbError> {
        Ok(self.db.run(sql)?.rows)
    }

    /// `_get_table_pragma`: `main` then `temp` unless a schema is given.
    fn pragma(&mut self, pragma: &str, table: &str) -> Result<Vec<Vec<Cell>>, DbError> {
        let prefixes = match self.schema {
            Some(s) => vec![format!("PRAGMA {}.", quoted(s))],
            None => vec!["PRAGMA main.".to_string(), "PRAGMA temp.".to_string()],
        };
        for prefix in prefixes {
            let rows = self.rows(&format!("{prefix}{pragma}({})", quoted(table)))?;
            if !rows.is_empty() {
                return Ok(rows);
            }
        }
        Ok(Vec::new())
    }

    fn schema_prefix(&self) -> String {
        self.schema
            .map(|s| format!("{}.", quoted(s)))
            .unwrap_or_default()
    }

    /// `_get_table_sql`: the `CREATE TABLE` text, `None` if no such table.
    fn table_sql(&mut self, table: &str) -> Result<Option<String>, DbError> {
        let s = self.schema_prefix();
        let union = format!(
            "SELECT sql FROM  (SELECT * FROM {s}sqlite_master UNION ALL   SELECT * FROM \
             {s}sqlite_temp_master) WHERE name = {} AND type in ('table', 'view')",
            literal(table)
        );
        let rows = match self.rows(&union) {
            Ok(rows) => rows,
            Err(_) => self.rows(&format!(
                "SELECT sql FROM {s}sqlite_master WHERE name = {} AND type in ('table', 'view')",
                literal(table)
            ))?,
        };
        Ok(rows.first().and_then(|r| text(r.first())))
    }

    fn no_such_table(&self, table: &str) -> ReflectError {
        ReflectError::NoSuchTable(match self.schema {
            Some(s) => format!("{s}.{table}"),
            None => table.to_string(),
        })
    }

    fn columns(
        &mut self,
        table: &str,
        table_sql: Option<&str>,
    ) -> Result<Vec<ReflectedColumn>, DbError> {
        let mut out = Vec::new();
        for row in self.pragma("table_xinfo", table)? {
            let hidden = int(row.get(6));
            // 1: a hidden column of a virtual table; 2 and 3: computed.
            if hidden == 1 {
                continue;
            }
            let generated = hidden != 0;
            let mut type_ = text(row.get(2)).unwrap_or_default().to_uppercase();
            if generated {
                type_ = remove_word(&remove_word(&type_, "generated"), "always")
                    .trim()
                    .to_string();
            }
            let name = text(row.get(1)).unwrap_or_default();
            let computed = generated.then(|| {
                let body = table_sql.map(table_body).unwrap_or_default();
                (sqlite_sql::computed_sqltext(&body, &name), hidden == 3)
            });
            out.push(ReflectedColumn {
                name,
                type_,
                nullable: int(row.get(3)) == 0,
                default: text(row.get(4)),
                primary_key: int(row.get(5)),
                computed,
            });
        }
        Ok(out)
    }

    /// The primary key columns of `table` (`[]` when it does not exist), as
    /// `get_pk_constraint` gives them for a foreign key without columns.
    fn pk_columns(&mut self, table: &str) -> Result<Vec<String>, DbError> {
        let mut cols: Vec<(i64, String)> = self
            .pragma("table_xinfo", table)?
            .iter()
            .filter(|row| int(row.get(6)) != 1 && int(row.get(5)) > 0)
            .map(|row| (int(row.get(5)), text(row.get(1)).unwrap_or_default()))
            .collect();
        cols.sort_by_key(|(pos, _)| *pos);
        Ok(cols.into_iter().map(|(_, name)| name).collect())
    }

    fn foreign_keys(
        &mut self,
        table: &str,
        table_sql: Option<&str>,
    ) -> Result<Vec<ReflectedForeignKey>, DbError> {
        // PRAGMA rows grouped by constraint id, in id order of appearance.
        let mut by_id: Vec<(i64, ReflectedForeignKey)> = Vec::new();
        for row in self.pragma("foreign_key_list", table)? {
            let id = int(row.first());
            let referred = text(row.get(2)).unwrap_or_default();
            let local = text(row.get(3)).unwrap_or_default();
            let remote = text(row.get(4));
            let pos = match by_id.iter().position(|(i, _)| *i == id) {
                Some(pos) => pos,
                None => {
                    // No referred column: the referred table's primary key.
                    let referred_columns = match &remote {
                        None => self.pk_columns(&referred)?,
                        Some(_) => Vec::new(),
                    };
                    by_id.push((
                        id,
                        ReflectedForeignKey {
                            name: None,
                            columns: Vec::new(),
                            referred_schema: self.schema.map(str::to_string),
                            referred_table: referred,
                            referred_columns,
                            ondelete: None,
                            onupdate: None,
                            deferrable: None,
                            initially: None,
                        },
                    ));
                    by_id.len() - 1
                }
            };
            let fk = &mut by_id[pos].1;
            fk.columns.push(local);
            if let Some(r) = remote {
                fk.referred_columns.push(r);
            }
        }
        // By signature, a later constraint with the same one replacing an
        // earlier (a Python dict keeps the first key's position).
        type Signature = (Vec<String>, String, Vec<String>);
        let sig = |cols: &[String], table: &str, refs: &[String]| -> Signature {
            (cols.to_vec(), table.to_string(), refs.to_vec())
        };
        let mut by_sig: Vec<(Signature, ReflectedForeignKey)> = Vec::new();
        for (_, fk) in by_id {
            let key = sig(&fk.columns, &fk.referred_table, &fk.referred_columns);
            match by_sig.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = fk,
                None => by_sig.push((key, fk)),
            }
        }
        let mut out = Vec::new();
        for parsed in table_sql.map(sqlite_sql::foreign_keys).unwrap_or_default() {
            let key = sig(
                &parsed.columns,
                &parsed.referred_table,
                &parsed.referred_columns,
            );
            let Some(pos) = by_sig.iter().position(|(k, _)| *k == key) else {
                continue;
            };
            let (_, mut fk) = by_sig.remove(pos);
            fk.name = parsed.name;
            fk.ondelete = parsed.ondelete;
            fk.onupdate = parsed.onupdate;
            fk.deferrable = parsed.deferrable;
            fk.initially = parsed.initially;
            out.push(fk);
        }
        out.extend(by_sig.into_iter().map(|(_, fk)| fk));
        Ok(out)
    }

    /// `get_indexes`, with SQLite's automatic indexes when asked.
    fn indexes(&mut self, table: &str, automatic: bool) -> Result<Vec<ReflectedIndex>, DbError> {
        let mut out = Vec::new();
        for row in self.pragma("index_list", table)? {
            let name = text(row.get(1)).unwrap_or_default();
            if !automatic && name.starts_with("sqlite_autoindex") {
                continue;
            }
            let where_ = if int(row.get(4)) != 0 {
                let sql = format!(
                    "SELECT sql FROM {}sqlite_master WHERE name = {} AND type = 'index'",
                    self.schema_prefix(),
                    literal(&name)
                );
                let rows = self.rows(&sql)?;
                rows.first()
                    .and_then(|r| text(r.first()))
                    .and_then(|s| sqlite_sql::partial_index_predicate(&s))
            } else {
                None
            };
            let mut columns = Vec::new();
            let mut expression = false;
            for col in self.pragma("index_info", &name)? {
                match text(col.get(2)) {
                    Some(c) => columns.push(c),
                    None => {
                        expression = true;
                        break;
                    }
                }
            }
            if !expression {
                out.push(ReflectedIndex {
                    name,
                    columns,
                    unique: int(row.get(2)) != 0,
                    where_,
                });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// `get_unique_constraints`: parsed UNIQUE clauses that SQLite backs with
    /// an automatic index of the same columns.
    fn unique_constraints(
        &mut self,
        table: &str,
        table_sql: Option<&str>,
    ) -> Result<Vec<ReflectedUnique>, DbError> {
        let mut automatic: Vec<Vec<String>> = Vec::new();
        for idx in self.indexes(table, true)? {
            if idx.name.starts_with("sqlite_autoindex") && !automatic.contains(&idx.columns) {
                automatic.push(idx.columns);
            }
        }
        let mut out = Vec::new();
        for parsed in table_sql
            .map(sqlite_sql::unique_constraints)
            .unwrap_or_default()
        {
            if let Some(pos) = automatic.iter().position(|c| *c == parsed.columns) {
                automatic.remove(pos);
                out.push(ReflectedUnique {
                    name: parsed.name,
                    columns: parsed.columns,
                });
            }
        }
        Ok(out)
    }
}

/// The text between `CREATE TABLE … (` and the closing parenthesis.
fn table_body(sql: &str) -> String {
    let sql = sql.trim();
    match (sql.find('('), sql.rfind(')')) {
        (Some(open), Some(close)) if close > open => sql[open + 1..close].trim().to_string(),
        _ => String::new(),
    }
}

impl Db {
    /// Reflects `table` as SQLAlchemy's SQLite inspector would, including
    /// the check that every table its foreign keys refer to exists (SQLAlchemy
    /// reflects those too, and fails on a missing one).
    pub fn reflect_sqlite_table(
        &mut self,
        table: &str,
        schema: Option<&str>,
    ) -> Result<SqliteTable, ReflectError> {
        let reflected = self.reflect_sqlite_table_as_is(table, schema)?;
        let mut r = Reflector { db: self, schema };
        for fk in &reflected.foreign_keys {
            if fk.referred_table != table && r.table_sql(&fk.referred_table)?.is_none() {
                return Err(r.no_such_table(&fk.referred_table));
            }
        }
        Ok(reflected)
    }

    /// [`Db::reflect_sqlite_table`] without the check that the tables its
    /// foreign keys refer to exist (SQLite allows dangling references).
    pub fn reflect_sqlite_table_as_is(
        &mut self,
        table: &str,
        schema: Option<&str>,
    ) -> Result<SqliteTable, ReflectError> {
        let mut r = Reflector { db: self, schema };
        let table_sql = r.table_sql(table)?;
        let columns = r.columns(table, table_sql.as_deref())?;
        if columns.is_empty() {
            return Err(r.no_such_table(table));
        }
        let mut pk: Vec<&ReflectedColumn> = columns.iter().filter(|c| c.primary_key > 0).collect();
        pk.sort_by_key(|c| c.primary_key);
        let primary_key = ReflectedPrimaryKey {
            name: table_sql.as_deref().and_then(sqlite_sql::primary_key_name),
            columns: pk.iter().map(|c| c.name.clone()).collect(),
        };
        let foreign_keys = r.foreign_keys(table, table_sql.as_deref())?;
        let indexes = r.indexes(table, false)?;
        let unique_constraints = r.unique_constraints(table, table_sql.as_deref())?;
        let sql = table_sql.unwrap_or_default();
        Ok(SqliteTable {
            name: table.to_string(),
            schema: schema.map(str::to_string),
            columns,
            primary_key,
            foreign_keys,
            indexes,
            unique_constraints,
            check_constraints: sqlite_sql::check_constraints(&sql),
            options: sqlite_sql::table_options(&sql),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflects_what_the_inspector_reports() {
        let mut db = Db::sqlite_memory();
        db.execute("CREATE TABLE p (id INTEGER PRIMARY KEY, k INT, UNIQUE (id, k))")
            .expect("p");
        db.execute(
            "CREATE TABLE t (id INTEGER NOT NULL, x varchar(10) DEFAULT 'a', n INT DEFAULT 10, \
             pid INT, pk INT, CONSTRAINT pk_t PRIMARY KEY (id), CONSTRAINT uq_x UNIQUE (x), \
             CONSTRAINT ck1 CHECK (n > 0), CHECK (n < 100), \
             CONSTRAINT fk_p FOREIGN KEY(pid, pk) REFERENCES p (id, k) ON DELETE CASCADE, \
             FOREIGN KEY(pid) REFERENCES p)",
        )
        .expect("t");
        db.execute("CREATE INDEX ix_n ON t (n) WHERE n > 1")
            .expect("ix");
        db.execute("CREATE INDEX ix_expr ON t (lower(x))")
            .expect("ix");
        let t = db.reflect_sqlite_table("t", None).expect("reflect");
        assert_eq!(t.columns[1].type_, "VARCHAR(10)");
        assert_eq!(t.columns[1].default.as_deref(), Some("'a'"));
        assert!(!t.columns[0].nullable);
        assert_eq!(
            t.primary_key,
            ReflectedPrimaryKey {
                name: Some("pk_t".into()),
                columns: vec!["id".into()]
            }
        );
        assert_eq!(t.foreign_keys.len(), 2);
        assert_eq!(t.foreign_keys[0].name.as_deref(), Some("fk_p"));
        assert_eq!(t.foreign_keys[0].ondelete.as_deref(), Some("CASCADE"));
        assert_eq!(t.foreign_keys[1].name, None);
        assert_eq!(t.foreign_keys[1].referred_columns, ["id"]);
        assert_eq!(t.indexes.len(), 1);
        assert_eq!(t.indexes[0].where_.as_deref(), Some("n > 1"));
        assert_eq!(
            t.unique_constraints,
            [ReflectedUnique {
                name: Some("uq_x".into()),
                columns: vec!["x".into()]
            }]
        );
        assert_eq!(t.check_constraints.len(), 2);
        assert!(matches!(
            db.reflect_sqlite_table("nope", None),
            Err(ReflectError::NoSuchTable(n)) if n == "nope"
        ));
    }
}
