//! The database layer: SQLAlchemy URLs, one connection per database through
//! sqlx behind a blocking facade, Alembic's version table, and the reflection
//! of a SQLite table for batch mode (`sqlite_reflect.rs`, `sqlite_sql.rs`),
//! and a whole database read for comparison (`schema_dump.rs`, for `verify`).
//!
//! This is the only module that names `sqlx`.  Everything above it sees
//! [`DbUrl`], [`Db`], [`VersionTable`] and [`DbError`].
//!
//! TLS is rustls (no OpenSSL) through sqlx, with the platform's roots;
//! `tls.rs` decides what each driver would do — libpq's `sslmode` rules for
//! PostgreSQL (psycopg2, asyncpg's `ssl=`), PyMySQL's `ssl_*` options and
//! `ssl` dict for MySQL/MariaDB — from the URL query, `connect_args` (handed
//! over from Python in the URL, see [`CONNECT_ARGS_KEY`]) and libpq's
//! `PGSSL*` environment variables.  libpq's `allow` and `prefer` fallbacks
//! are a second attempt in `conn.rs`.  Options sqlx cannot honour are
//! refused by name with [`DbError::UnsupportedOption`].

mod audit;
mod conn;
mod error;
mod lock;
mod outcome;
mod schema_dump;
mod sqlite_direct;
mod sqlite_reflect;
mod sqlite_sql;
mod tls;
mod url;
mod version_table;

pub use crate::backend::{Backend, Dialect};
pub use audit::{HistoryRow, HistoryTable, HISTORY_TABLE};
pub use conn::Db;
pub use error::DbError;
pub use lock::{waiting_notice, MigrationLock};
pub use outcome::{Cell, Outcome};
pub use schema_dump::{canonical_sqlite_ddl, ColumnDump, SchemaDump, TableDump};
pub use sqlite_reflect::ReflectError;
pub use url::{seconds, set_sqlalchemy_line, ConnectOptions, DbUrl, CONNECT_ARGS_KEY};
pub use version_table::VersionTable;

#[cfg(test)]
mod sqla_diff_tests;
