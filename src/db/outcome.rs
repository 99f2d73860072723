//! What one `execute()` of arbitrary SQL text returns to a driver shim:
//! columns, rows as wire values, counts.  PostgreSQL and MySQL values come in
//! their text form (the simple/text protocol), converted by the caller per
//! column type, as psycopg2 and PyMySQL convert; SQLite values keep their
//! storage class.

use futures_util::TryStreamExt;
use sqlx::{AssertSqlSafe, Column, Either, Executor, Row, Statement, TypeInfo, ValueRef};

use super::conn::{read_limited, Conn, Db, Failure};
use super::DbError;

/// One value of a result row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    /// PostgreSQL/MySQL: the value's text-protocol bytes; SQLite: a BLOB.
    Bytes(Vec<u8>),
}

/// The result of running SQL text.
#[derive(Debug, Default)]
pub struct Outcome {
    /// (name, database type name) of each column, `None` when the (last)
    /// statement returns no rows.
    pub columns: Option<Vec<(String, String)>>,
    pub rows: Vec<Vec<Cell>>,
    pub rows_affected: u64,
    /// SQLite `last_insert_rowid()`, MySQL `LAST_INSERT_ID()`.
    pub last_insert_id: Option<i64>,
}

/// Statements whose result has columns even when it has no rows.
fn returns_rows(sql: &str) -> bool {
    let head = sql.split_whitespace().next().unwrap_or("");
    let head = head.to_ascii_uppercase();
    matches!(
        head.as_str(),
        "SELECT"
            | "WITH"
            | "SHOW"
            | "VALUES"
            | "PRAGMA"
            | "EXPLAIN"
            | "TABLE"
            | "DESCRIBE"
            | "DESC"
    ) || sql.to_ascii_uppercase().contains("RETURNING")
}

fn columns_of<R: Row>(row: &R) -> Vec<(String, String)>
where
    <R::Database as sqlx::Database>::TypeInfo: DriverTypeName,
{
    row.columns()
        .iter()
        .map(|c| (c.name().to_string(), c.type_info().driver_type_name()))
        .collect()
}

/// The type name the shim's result converters go by.
trait DriverTypeName {
    fn driver_type_name(&self) -> String;
}

impl DriverTypeName for sqlx::postgres::PgTypeInfo {
    fn driver_type_name(&self) -> String {
        self.name().to_string()
    }
}

impl DriverTypeName for sqlx::mysql::MySqlTypeInfo {
    /// sqlx calls a string column binary when its BINARY flag is set, which
    /// `_bin` collations set too; PyMySQL returns bytes only for the binary
    /// character set (63), and text otherwise.  So the name follows the
    /// collation, as PyMySQL's choice does.
    fn driver_type_name(&self) -> String {
        let name = self.name();
        let Some(binary_charset) = mysql_collation(self).map(|c| c == 63) else {
            return name.to_string();
        };
        const PAIRS: [(&str, &str); 6] = [
            ("BINARY", "CHAR"),
            ("VARBINARY", "VARCHAR"),
            ("TINYBLOB", "TINYTEXT"),
            ("BLOB", "TEXT"),
            ("MEDIUMBLOB", "MEDIUMTEXT"),
            ("LONGBLOB", "LONGTEXT"),
        ];
        for (binary, text) in PAIRS {
            if name == binary && !binary_charset {
                return text.to_string();
            }
            if name == text && binary_charset {
                return binary.to_string();
            }
        }
        name.to_string()
    }
}

/// The collation id of a MySQL column.  sqlx keeps it private; its derived
/// `Debug` shows it (`collation: Collation(46)`).
fn mysql_collation(info: &sqlx::mysql::MySqlTypeInfo) -> Option<u16> {
    let text = format!("{info:?}");
    let start = text.find("collation: Collation(")? + "collation: Collation(".len();
    let digits: String = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn text_cells<R>(row: &R) -> Result<Vec<Cell>, sqlx::Error>
where
    R: Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> &'r [u8]: sqlx::Decode<'r, R::Database>,
{
    (0..row.len())
        .map(|i| {
            row.try_get_unchecked::<Option<&[u8]>, _>(i)
                .map(|v| v.map_or(Cell::Null, |b| Cell::Bytes(b.to_vec())))
        })
        .collect()
}

/// PostgreSQL's simple protocol sends every value as text.
fn pg_cells(row: &sqlx::postgres::PgRow) -> Result<Vec<Cell>, sqlx::Error> {
    (0..row.len())
        .map(|i| {
            let raw = row.try_get_raw(i)?;
            if raw.is_null() {
                return Ok(Cell::Null);
            }
            raw.as_bytes()
                .map(|b| Cell::Bytes(b.to_vec()))
                .map_err(|e| sqlx::Error::ColumnDecode {
                    index: i.to_string(),
                    source: e,
                })
        })
        .collect()
}

/// Columns of a statement that returned no rows, asked by preparing it
/// (`None` when it cannot be prepared, e.g. several statements).
async fn prepared_columns<'c, DB, E>(conn: E, sql: &str) -> Option<Vec<(String, String)>>
where
    DB: sqlx::Database,
    DB::TypeInfo: DriverTypeName,
    E: Executor<'c, Database = DB>,
{
    let st = conn
        .prepare(sqlx::SqlSafeStr::into_sql_str(AssertSqlSafe(
            sql.to_string(),
        )))
        .await
        .ok()?;
    let cols: Vec<_> = st
        .columns()
        .iter()
        .map(|col| (col.name().to_string(), col.type_info().driver_type_name()))
        .collect();
    (!cols.is_empty()).then_some(cols)
}

/// Runs `sql`, collecting rows with `cells` and each result's counts.
async fn run_on<'c, DB, C>(
    conn: &'c mut C,
    sql: &str,
    cells: fn(&DB::Row) -> Result<Vec<Cell>, sqlx::Error>,
    last_id: fn(&DB::QueryResult) -> Option<i64>,
) -> Result<Outcome, sqlx::Error>
where
    DB: sqlx::Database,
    for<'e> &'e mut C: Executor<'e, Database = DB>,
    DB::QueryResult: RowsAffected,
    DB::TypeInfo: DriverTypeName,
{
    let mut out = Outcome::default();
    {
        let mut stream = sqlx::raw_sql(AssertSqlSafe(sql)).fetch_many(&mut *conn);
        while let Some(item) = stream.try_next().await? {
            match item {
                Either::Left(done) => {
                    out.rows_affected += done.count();
                    if let Some(id) = last_id(&done) {
                        out.last_insert_id = Some(id);
                    }
                }
                Either::Right(row) => {
                    if out.rows.is_empty() {
                        out.columns = Some(columns_of(&row));
                    }
                    out.rows.push(cells(&row)?);
                }
            }
        }
    }
    if out.columns.is_none() && returns_rows(sql) {
        out.columns = prepared_columns(&mut *conn, sql).await;
    }
    Ok(out)
}

/// The affected-row count of each backend's result type.
trait RowsAffected {
    fn count(&self) -> u64;
}

impl RowsAffected for sqlx::postgres::PgQueryResult {
    fn count(&self) -> u64 {
        self.rows_affected()
    }
}

impl RowsAffected for sqlx::mysql::MySqlQueryResult {
    fn count(&self) -> u64 {
        self.rows_affected()
    }
}

impl Db {
    /// Run SQL text (one or more statements, parameters already inlined) and
    /// return the last statement's rows and columns, and the summed counts.
    pub fn run(&mut self, sql: &str) -> Result<Outcome, DbError> {
        let rt = &self.rt;
        let result = match self.conn.as_mut() {
            Some(Conn::Pg(c)) => rt
                .block_on(run_on(c, sql, pg_cells, |_| None))
                .map_err(Failure::Sqlx),
            Some(Conn::My(c)) => rt
                .block_on(read_limited(
                    self.read_timeout,
                    run_on(c, sql, text_cells, |done| {
                        let id = done.last_insert_id();
                        (id != 0).then(|| i64::try_from(id).unwrap_or(i64::MAX))
                    }),
                ))
                .map_err(Failure::Sqlx),
            Some(Conn::Lite(d)) => d.run(sql).map_err(Failure::Lite),
            None => Err(Failure::Sqlx(sqlx::Error::PoolClosed)),
        };
        result.map_err(|e| self.failed(sql, &e))
    }

    /// SQLite: `sql` (one statement, `?` placeholders) run once per
    /// parameter set with the values bound, as Python's sqlite3 runs
    /// `execute`/`executemany` (see `DirectSqlite::run_bound`).  `None`
    /// when it does not apply (another database, not exactly one statement,
    /// a set of the wrong length): nothing was run.
    pub fn run_bound(&mut self, sql: &str, sets: &[Vec<Cell>]) -> Result<Option<Outcome>, DbError> {
        match self.conn.as_mut() {
            Some(Conn::Lite(d)) => d
                .run_bound(sql, sets)
                .map_err(|e| self.statement_error(sql, &Failure::Lite(e))),
            _ => Ok(None),
        }
    }
}
