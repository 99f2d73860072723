//! `retort_history`: what retort recorded of each applied script when
//! `checksums = true` (`[retort]` in alembic.ini, `[tool.retort]` in
//! pyproject.toml).  It sits beside the version table (same schema) and is
//! written in the same transaction as each step's version-table change.
//!
//! Autogenerate and `check` must never see it: [`HISTORY_TABLE`] is the one
//! place its name is spelled.

use super::{Backend, Db, DbError, Dialect, VersionTable};
use crate::ddl::quote_identifier;

/// The side table's name.
pub const HISTORY_TABLE: &str = "retort_history";

/// The side table, in the version table's schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryTable {
    pub schema: Option<String>,
}

/// One recorded revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub revision: String,
    /// SHA-256 of the script file, lowercase hex.
    pub checksum: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub applied_at: String,
}

/// A string literal for `backend` (MySQL also reads backslashes as escapes).
fn literal(value: &str, backend: Backend) -> String {
    let mut v = value.replace('\'', "''");
    if backend.dialect == Dialect::Mysql {
        v = v.replace('\\', "\\\\");
    }
    format!("'{v}'")
}

impl HistoryTable {
    pub fn new(schema: Option<String>) -> HistoryTable {
        HistoryTable { schema }
    }

    fn qualified(&self, backend: Backend) -> String {
        VersionTable::new(HISTORY_TABLE, self.schema.clone(), false).qualified_name(backend)
    }

    /// `CREATE TABLE IF NOT EXISTS` (run before the first step of a run).
    pub fn create_sql(&self, backend: impl Into<Backend>) -> String {
        let b = backend.into();
        let col = |name: &str| quote_identifier(name, b);
        format!(
            "CREATE TABLE IF NOT EXISTS {} ({} VARCHAR(255) NOT NULL, {} VARCHAR(64) NOT NULL, \
             {} VARCHAR(32) NOT NULL, {} INTEGER, {} VARCHAR(32) NOT NULL, PRIMARY KEY ({}))",
            self.qualified(b),
            col("revision"),
            col("checksum"),
            col("applied_at"),
            col("duration_ms"),
            col("retort_version"),
            col("revision"),
        )
    }

    pub fn select_sql(&self, backend: impl Into<Backend>) -> String {
        let b = backend.into();
        format!(
            "SELECT revision, checksum, applied_at FROM {} ORDER BY applied_at, revision",
            self.qualified(b)
        )
    }

    /// The row of a revision just applied (`duration_ms` is `None` for a stamp:
    /// nothing ran).  Stamped now, in UTC.
    pub fn insert_sql(
        &self,
        backend: impl Into<Backend>,
        revision: &str,
        checksum: &str,
        duration_ms: Option<u64>,
    ) -> String {
        let b = backend.into();
        format!(
            "INSERT INTO {} (revision, checksum, applied_at, duration_ms, retort_version) \
             VALUES ({}, {}, {}, {}, {})",
            self.qualified(b),
            literal(revision, b),
            literal(checksum, b),
            literal(&utc_now(), b),
            duration_ms.map_or_else(|| "NULL".to_string(), |d| d.to_string()),
            literal(env!("CARGO_PKG_VERSION"), b),
        )
    }

    pub fn delete_sql(&self, backend: impl Into<Backend>, revision: &str) -> String {
        let b = backend.into();
        format!(
            "DELETE FROM {} WHERE revision = {}",
            self.qualified(b),
            literal(revision, b)
        )
    }

    /// Every row, or `None` when the table does not exist.
    pub fn rows(&self, db: &mut Db) -> Result<Option<Vec<HistoryRow>>, DbError> {
        let as_table = VersionTable::new(HISTORY_TABLE, self.schema.clone(), false);
        if !as_table.exists(db)? {
            return Ok(None);
        }
        let rows = db.query_strings(&self.select_sql(db.backend()))?;
        Ok(Some(
            rows.into_iter()
                .map(|row| {
                    let mut cells = row.into_iter().map(Option::unwrap_or_default);
                    HistoryRow {
                        revision: cells.next().unwrap_or_default(),
                        checksum: cells.next().unwrap_or_default(),
                        applied_at: cells.next().unwrap_or_default(),
                    }
                })
                .collect(),
        ))
    }
}

/// The current time in UTC as `YYYY-MM-DDTHH:MM:SSZ`.
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc_timestamp(secs)
}

/// Seconds since the epoch as a UTC timestamp (the proleptic Gregorian
/// calendar, Howard Hinnant's days-to-civil).
fn utc_timestamp(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc_timestamp(1_714_557_845), "2024-05-01T10:04:05Z");
    }

    #[test]
    fn quoting_per_dialect() {
        let t = HistoryTable::new(Some("app".into()));
        let pg = Backend::new(Dialect::Postgresql, false);
        assert_eq!(
            t.delete_sql(pg, "a'b"),
            "DELETE FROM app.retort_history WHERE revision = 'a''b'"
        );
        let my = Backend::new(Dialect::Mysql, false);
        assert!(t.delete_sql(my, "a\\b").ends_with("'a\\\\b'"));
    }
}
