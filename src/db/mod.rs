//! The database layer: SQLAlchemy URLs, one connection per database through
//! sqlx behind a blocking facade, Alembic's version table, and the reflection
//! of a SQLite table for batch mode (`sqlite_reflect.rs`, `sqlite_sql.rs`),
//! and a whole database read for comparison (`schema_dump.rs`, for `verify`).
//!
//! This is the only module that names `sqlx`.  Everything above it sees
//! [`DbUrl`], [`Db`], [`VersionTable`] and [`DbError`].
//!
//! TLS is not compiled in (it would add rustls and ring to the build):
//! `sslmode=require`/`verify-*` (PostgreSQL) and `ssl_*` / `ssl_mode=REQUIRED`
//! (MySQL) are rejected with [`DbError::UnsupportedOption`]; the default
//! `prefer` quietly connects without TLS, as libpq does against a server
//! without it.

mod audit;
mod conn;
mod error;
mod lock;
mod outcome;
mod quote;
mod reserved;
mod schema_dump;
mod sqlite_direct;
mod sqlite_reflect;
mod sqlite_sql;
mod url;
mod version_table;

pub use audit::{HistoryRow, HistoryTable, HISTORY_TABLE};
pub use conn::Db;
pub use error::DbError;
pub use lock::{waiting_notice, MigrationLock};
pub use outcome::{Cell, Outcome};
pub use quote::{quote_identifier, requires_quotes};
pub use schema_dump::{canonical_sqlite_ddl, ColumnDump, SchemaDump, TableDump};
pub use sqlite_reflect::{
    ReflectError, ReflectedColumn, ReflectedForeignKey, ReflectedIndex, ReflectedPrimaryKey,
    ReflectedUnique, SqliteTable,
};
pub use sqlite_sql::{ParsedCheck, TableOptions};
pub use url::{Backend, ConnectOptions, DbUrl, Dialect};
pub use version_table::VersionTable;

#[cfg(test)]
mod sqla_diff_tests;
