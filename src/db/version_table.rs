//! Alembic's version table (`alembic_version`): its DDL and row statements
//! exactly as Alembic has SQLAlchemy compile them, and running them.
//!
//! Alembic builds the table in `DefaultImpl.version_table_impl`:
//! `Table(name, MetaData(), Column("version_num", String(32), nullable=False),
//! schema=schema)` plus `PrimaryKeyConstraint("version_num", name=f"{name}_pkc")`
//! when `version_table_pk` is set.  Row values are literal, unescaped
//! (`literal_column("'%s'" % version)`), as in `HeadMaintainer`.

use super::{Backend, Db, DbError, Dialect};
use crate::ddl::{force_quote, quote_identifier};

/// The version table as configured by `context.configure(version_table=…,
/// version_table_schema=…, version_table_pk=…)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionTable {
    pub name: String,
    pub schema: Option<String>,
    /// Whether `create` adds the `<name>_pkc` primary key.
    pub pk: bool,
}

impl Default for VersionTable {
    fn default() -> VersionTable {
        VersionTable {
            name: "alembic_version".to_string(),
            schema: None,
            pk: true,
        }
    }
}

impl VersionTable {
    pub fn new(name: impl Into<String>, schema: Option<String>, pk: bool) -> VersionTable {
        VersionTable {
            name: name.into(),
            schema,
            pk,
        }
    }

    /// `[schema.]name`, each part quoted as SQLAlchemy's `format_table` does.
    pub fn qualified_name(&self, backend: impl Into<Backend>) -> String {
        let b = backend.into();
        match &self.schema {
            Some(schema) => format!(
                "{}.{}",
                quote_identifier(schema, b),
                quote_identifier(&self.name, b)
            ),
            None => quote_identifier(&self.name, b),
        }
    }

    /// `CREATE TABLE …` as SQLAlchemy compiles it (tab-indented, the column
    /// line ending in `, ` when a constraint follows).  Fails like
    /// SQLAlchemy when the constraint name is longer than the dialect allows.
    pub fn create_sql(&self, backend: impl Into<Backend>) -> Result<String, DbError> {
        let b = backend.into();
        let mut sql = format!(
            "\nCREATE TABLE {} (\n\tversion_num VARCHAR(32) NOT NULL",
            self.qualified_name(b)
        );
        if self.pk {
            let constraint = format!("{}_pkc", self.name);
            let max = match b.dialect {
                Dialect::Postgresql => 63,
                Dialect::Mysql => 255,
                Dialect::Sqlite => 9999,
            };
            if constraint.chars().count() > max {
                return Err(DbError::IdentifierTooLong {
                    name: constraint,
                    max,
                });
            }
            sql += &format!(
                ", \n\tCONSTRAINT {} PRIMARY KEY (version_num)",
                quote_identifier(&constraint, b)
            );
        }
        sql += "\n)\n\n";
        Ok(sql)
    }

    /// `SELECT <table>.version_num \nFROM <table>` (no ORDER BY).
    pub fn select_sql(&self, backend: impl Into<Backend>) -> String {
        let t = self.qualified_name(backend);
        format!("SELECT {t}.version_num \nFROM {t}")
    }

    /// `INSERT INTO <table> (version_num) VALUES ('<v>')`, with the
    /// `RETURNING` that SQLAlchemy adds for the primary key on PostgreSQL,
    /// MariaDB and SQLite.
    pub fn insert_sql(&self, backend: impl Into<Backend>, version: &str) -> String {
        let b = backend.into();
        let t = self.qualified_name(b);
        let mut sql = format!("INSERT INTO {t} (version_num) VALUES ('{version}')");
        if self.pk {
            match (b.dialect, b.mariadb) {
                (Dialect::Postgresql, _) | (Dialect::Mysql, true) => {
                    sql += &format!(" RETURNING {t}.version_num")
                }
                (Dialect::Sqlite, _) => sql += " RETURNING version_num",
                (Dialect::Mysql, false) => {}
            }
        }
        sql
    }

    /// The INSERT as `--sql` writes it with SQLAlchemy release `line`
    /// (`(major, minor)`): offline the dialect knows no server, so whether it
    /// adds RETURNING is that release's assumption (SQLite from 2.0, MariaDB
    /// from 2.1; PostgreSQL always, MySQL never).
    pub fn offline_insert_sql(
        &self,
        backend: impl Into<Backend>,
        version: &str,
        line: (u32, u32),
    ) -> String {
        let b = backend.into();
        let returning = match (b.dialect, b.mariadb) {
            (Dialect::Postgresql, _) => true,
            (Dialect::Sqlite, _) => line >= (2, 0),
            (Dialect::Mysql, true) => line >= (2, 1),
            (Dialect::Mysql, false) => false,
        };
        if returning {
            self.insert_sql(b, version)
        } else {
            let t = self.qualified_name(b);
            format!("INSERT INTO {t} (version_num) VALUES ('{version}')")
        }
    }

    /// `UPDATE <table> SET version_num='<new>' WHERE <table>.version_num = '<old>'`.
    pub fn update_sql(&self, backend: impl Into<Backend>, old: &str, new: &str) -> String {
        let t = self.qualified_name(backend);
        format!("UPDATE {t} SET version_num='{new}' WHERE {t}.version_num = '{old}'")
    }

    /// `DELETE FROM <table> WHERE <table>.version_num = '<v>'`.
    pub fn delete_sql(&self, backend: impl Into<Backend>, version: &str) -> String {
        let t = self.qualified_name(backend);
        format!("DELETE FROM {t} WHERE {t}.version_num = '{version}'")
    }

    /// `DELETE FROM <table>` (`stamp --purge`).
    pub fn delete_all_sql(&self, backend: impl Into<Backend>) -> String {
        format!("DELETE FROM {}", self.qualified_name(backend))
    }

    /// Whether the table exists, asked the way SQLAlchemy's `has_table` asks:
    /// PostgreSQL's catalog (tables, views, … visible on the search path, or
    /// in the schema), MySQL's `DESCRIBE`, SQLite's `PRAGMA table_info` in
    /// `main` then `temp` (or the attached schema).
    pub fn exists(&self, db: &mut Db) -> Result<bool, DbError> {
        match db.dialect() {
            Dialect::Postgresql => {
                let base = "SELECT pg_catalog.pg_class.relname \
                     FROM pg_catalog.pg_class JOIN pg_catalog.pg_namespace \
                     ON pg_catalog.pg_namespace.oid = pg_catalog.pg_class.relnamespace \
                     WHERE pg_catalog.pg_class.relname = $1 \
                     AND pg_catalog.pg_class.relkind = ANY (ARRAY['r', 'p', 'f', 'v', 'm'])";
                let n = match &self.schema {
                    None => db.count_rows(
                        &format!(
                            "{base} AND pg_catalog.pg_table_is_visible(pg_catalog.pg_class.oid) \
                             AND pg_catalog.pg_namespace.nspname != 'pg_catalog'"
                        ),
                        &[&self.name],
                    )?,
                    Some(schema) => db.count_rows(
                        &format!("{base} AND pg_catalog.pg_namespace.nspname = $2"),
                        &[&self.name, schema],
                    )?,
                };
                Ok(n > 0)
            }
            Dialect::Mysql => {
                let mut name = force_quote(&self.name, Dialect::Mysql);
                if let Some(schema) = &self.schema {
                    name = format!("{}.{name}", force_quote(schema, Dialect::Mysql));
                }
                match db.query_strings(&format!("DESCRIBE {name}")) {
                    Ok(rows) => Ok(!rows.is_empty()),
                    // 1146 no such table, 1049 unknown database, 1051 unknown table
                    Err(e) if matches!(e.code(), Some("1146" | "1049" | "1051")) => Ok(false),
                    Err(e) => Err(e),
                }
            }
            Dialect::Sqlite => {
                let table = force_quote(&self.name, Dialect::Sqlite);
                let schemas: Vec<String> = match &self.schema {
                    Some(schema) => {
                        let attached = db.query_strings("PRAGMA database_list")?;
                        let known = attached.iter().any(|row| {
                            row.get(1).and_then(|v| v.as_deref()) == Some(schema.as_str())
                                && schema != "temp"
                        });
                        if !known {
                            return Ok(false);
                        }
                        vec![force_quote(schema, Dialect::Sqlite)]
                    }
                    None => vec!["main".to_string(), "temp".to_string()],
                };
                for schema in schemas {
                    let rows = db.query_strings(&format!("PRAGMA {schema}.table_info({table})"))?;
                    if !rows.is_empty() {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        }
    }

    /// `CREATE TABLE` (no existence check).
    pub fn create(&self, db: &mut Db) -> Result<(), DbError> {
        let sql = self.create_sql(db.backend())?;
        db.execute(&sql)?;
        Ok(())
    }

    /// Create the table if it is missing (`_ensure_version_table`); returns
    /// whether it was created.  Outside a transaction this runs in its own,
    /// committed one, as SQLAlchemy's `_ensure_scope_for_ddl` does.
    pub fn ensure(&self, db: &mut Db) -> Result<bool, DbError> {
        in_scope(db, |db| {
            if self.exists(db)? {
                Ok(false)
            } else {
                self.create(db)?;
                Ok(true)
            }
        })
    }

    /// The current rows (`get_current_heads`): none if the table is missing,
    /// otherwise every `version_num` in the order the database returns them.
    pub fn rows(&self, db: &mut Db) -> Result<Vec<String>, DbError> {
        if !self.exists(db)? {
            return Ok(Vec::new());
        }
        let rows = db.query_strings(&self.select_sql(db.backend()))?;
        Ok(rows
            .into_iter()
            .filter_map(|row| row.into_iter().next().flatten())
            .collect())
    }

    /// Add a row (a new branch head).
    pub fn insert(&self, db: &mut Db, version: &str) -> Result<(), DbError> {
        db.execute(&self.insert_sql(db.backend(), version))?;
        Ok(())
    }

    /// Move one row from `old` to `new`; exactly one row must match.
    pub fn update(&self, db: &mut Db, old: &str, new: &str) -> Result<(), DbError> {
        let n = db.execute(&self.update_sql(db.backend(), old, new))?;
        if n != 1 {
            return Err(DbError::UnexpectedRowCount {
                action: format!("updating '{old}' to '{new}'"),
                table: self.name.clone(),
                found: n,
            });
        }
        Ok(())
    }

    /// Remove one row; exactly one row must match.
    pub fn delete(&self, db: &mut Db, version: &str) -> Result<(), DbError> {
        let n = db.execute(&self.delete_sql(db.backend(), version))?;
        if n != 1 {
            return Err(DbError::UnexpectedRowCount {
                action: format!("deleting '{version}'"),
                table: self.name.clone(),
                found: n,
            });
        }
        Ok(())
    }

    /// Remove every row (`stamp --purge`); returns how many there were.
    pub fn delete_all(&self, db: &mut Db) -> Result<u64, DbError> {
        db.execute(&self.delete_all_sql(db.backend()))
    }
}

/// Run `f` in a transaction of its own unless one is already open.
fn in_scope<T>(db: &mut Db, f: impl FnOnce(&mut Db) -> Result<T, DbError>) -> Result<T, DbError> {
    if db.in_transaction() {
        return f(db);
    }
    db.begin()?;
    match f(db) {
        Ok(v) => {
            db.commit()?;
            Ok(v)
        }
        Err(e) => {
            let _ = db.rollback();
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PG: Dialect = Dialect::Postgresql;

    #[test]
    fn default_table_statements() {
        let t = VersionTable::default();
        assert_eq!(
            t.create_sql(PG).unwrap(),
            "\nCREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\t\
             CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)\n\n"
        );
        assert_eq!(
            t.insert_sql(PG, "a1"),
            "INSERT INTO alembic_version (version_num) VALUES ('a1') RETURNING alembic_version.version_num"
        );
        assert_eq!(
            t.insert_sql(Dialect::Sqlite, "a1"),
            "INSERT INTO alembic_version (version_num) VALUES ('a1') RETURNING version_num"
        );
        assert_eq!(
            t.insert_sql(Dialect::Mysql, "a1"),
            "INSERT INTO alembic_version (version_num) VALUES ('a1')"
        );
        assert_eq!(
            t.insert_sql(Backend::new(Dialect::Mysql, true), "a1"),
            "INSERT INTO alembic_version (version_num) VALUES ('a1') RETURNING alembic_version.version_num"
        );
        assert_eq!(
            t.update_sql(PG, "a1", "b2"),
            "UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1'"
        );
        assert_eq!(
            t.delete_sql(PG, "a1"),
            "DELETE FROM alembic_version WHERE alembic_version.version_num = 'a1'"
        );
        assert_eq!(t.delete_all_sql(PG), "DELETE FROM alembic_version");
        assert_eq!(
            t.select_sql(PG),
            "SELECT alembic_version.version_num \nFROM alembic_version"
        );
    }

    #[test]
    fn no_pk_no_constraint_no_returning() {
        let t = VersionTable::new("alembic_version", None, false);
        assert_eq!(
            t.create_sql(PG).unwrap(),
            "\nCREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL\n)\n\n"
        );
        assert_eq!(
            t.insert_sql(PG, "x"),
            "INSERT INTO alembic_version (version_num) VALUES ('x')"
        );
    }

    #[test]
    fn quoted_names_and_schema() {
        let t = VersionTable::new("MyVersions", Some("Other Schema".into()), true);
        assert_eq!(
            t.create_sql(Dialect::Mysql).unwrap(),
            "\nCREATE TABLE `Other Schema`.`MyVersions` (\n\tversion_num VARCHAR(32) NOT NULL, \n\t\
             CONSTRAINT `MyVersions_pkc` PRIMARY KEY (version_num)\n)\n\n"
        );
        let t = VersionTable::new("select", Some("public".into()), true);
        assert_eq!(
            t.update_sql(PG, "a", "b"),
            "UPDATE public.\"select\" SET version_num='b' WHERE public.\"select\".version_num = 'a'"
        );
    }

    #[test]
    fn overlong_constraint_name_is_refused_like_sqlalchemy() {
        let t = VersionTable::new("x".repeat(60), None, true);
        let e = t.create_sql(PG).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "Identifier '{}_pkc' exceeds maximum length of 63 characters",
                "x".repeat(60)
            )
        );
        assert!(t.create_sql(Dialect::Sqlite).is_ok());
        assert!(VersionTable::new("x".repeat(60), None, false)
            .create_sql(PG)
            .is_ok());
    }

    #[test]
    fn row_count_messages_are_alembics() {
        let e = DbError::UnexpectedRowCount {
            action: "updating 'a' to 'b'".into(),
            table: "alembic_version".into(),
            found: 0,
        };
        assert_eq!(
            e.to_string(),
            "Online migration expected to match one row when updating 'a' to 'b' in 'alembic_version'; 0 found"
        );
    }
}
