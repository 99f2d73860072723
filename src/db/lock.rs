//! The migration lock: one writer at a time per database and version table.
//!
//! Alembic takes no lock, so two deploys running `upgrade head` at once both
//! read the same heads and both run the same scripts.  retort serialises the
//! commands that write (upgrade, downgrade, stamp) before the heads are read:
//!
//! * PostgreSQL: a session advisory lock (`pg_try_advisory_lock`), whose key
//!   hashes the version table's schema and name (advisory locks are already
//!   per database);
//! * MySQL/MariaDB: a named lock (`GET_LOCK`), named after a hash of the
//!   database, schema and version table (named locks are server-wide);
//! * SQLite: an exclusive advisory lock on a file in the temporary
//!   directory named after a hash of the database file's canonical path and
//!   the version table (SQLite's own locks last one transaction, and Alembic
//!   commits once per migration there).  Not beside the database: the
//!   project's tree stays exactly as Alembic leaves it.
//!
//! Both server locks belong to the session, not to a transaction, so they
//! survive the commits of a run — MySQL's implicit ones after DDL included —
//! and the server drops them if the process dies.  The lock is polled, so
//! `--lock-timeout` works the same on every dialect.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::{Db, DbError, Dialect, VersionTable};

/// A held migration lock; give it back with [`Db::unlock_migrations`] (or
/// let the connection close, which releases it too).
#[derive(Debug)]
pub struct MigrationLock {
    held: Held,
    /// `database 'x', version table s.alembic_version`, for messages.
    pub target: String,
}

#[derive(Debug)]
enum Held {
    Advisory(i64),
    Named(String),
    /// The open lock file; closing it releases the lock.
    File(File),
    /// An in-memory SQLite database: nothing else can reach it.
    Nothing,
}

/// How long to wait between attempts: short at first, for a run that is
/// about to finish, then a few times a second.
const FIRST_POLL: Duration = Duration::from_millis(20);
const MAX_POLL: Duration = Duration::from_millis(250);

impl Db {
    /// Take the migration lock of `table`, waiting up to `timeout` (forever
    /// when `None`); `waiting` is called once if another run holds it.
    pub fn lock_migrations(
        &mut self,
        table: &VersionTable,
        timeout: Option<Duration>,
        waiting: &mut dyn FnMut(&str),
    ) -> Result<MigrationLock, DbError> {
        let (mut attempt, target) = self.lock_attempt(table)?;
        let started = Instant::now();
        let mut pause = FIRST_POLL;
        let mut told = false;
        loop {
            if let Some(held) = attempt(self)? {
                return Ok(MigrationLock { held, target });
            }
            let waited = started.elapsed();
            if timeout.is_some_and(|limit| waited >= limit) {
                return Err(DbError::LockTimeout {
                    target,
                    waited: waited.as_secs_f64(),
                });
            }
            if !told {
                waiting(&target);
                told = true;
            }
            let left = timeout.map_or(pause, |limit| limit.saturating_sub(waited));
            std::thread::sleep(pause.min(left));
            pause = (pause * 2).min(MAX_POLL);
        }
    }

    /// Give the lock back (PostgreSQL and MySQL: on this connection).
    pub fn unlock_migrations(&mut self, lock: MigrationLock) -> Result<(), DbError> {
        match lock.held {
            Held::Advisory(key) => {
                self.query_strings(&format!("SELECT pg_advisory_unlock({key})"))?;
            }
            Held::Named(name) => {
                self.query_strings(&format!("SELECT RELEASE_LOCK('{name}')"))?;
            }
            Held::File(file) => drop(file),
            Held::Nothing => {}
        }
        Ok(())
    }

    /// One non-blocking attempt for this dialect, and what it locks.
    fn lock_attempt(&mut self, table: &VersionTable) -> Result<(Attempt, String), DbError> {
        let qualified = |schema: &str| format!("{schema}.{}", table.name);
        match self.dialect() {
            Dialect::Postgresql => {
                let row = self.single_row(
                    "SELECT current_database(), coalesce(current_schema(), 'public')",
                )?;
                let schema = table.schema.clone().unwrap_or_else(|| row[1].clone());
                let key = advisory_key(&[&schema, &table.name]);
                let target = format!(
                    "PostgreSQL database '{}', version table {} (advisory lock {key})",
                    row[0],
                    qualified(&schema)
                );
                let sql =
                    format!("SELECT CASE WHEN pg_try_advisory_lock({key}) THEN 'y' ELSE 'n' END");
                let attempt: Attempt = Box::new(move |db| {
                    Ok((db.single_row(&sql)?[0] == "y").then_some(Held::Advisory(key)))
                });
                Ok((attempt, target))
            }
            Dialect::Mysql => {
                let database = self
                    .single_row("SELECT coalesce(DATABASE(), '')")?
                    .remove(0);
                let schema = table.schema.clone().unwrap_or_else(|| database.clone());
                // Named locks are server-wide and at most 64 characters.
                let name = format!(
                    "retort:{:016x}",
                    advisory_key(&[&database, &schema, &table.name])
                );
                let target = format!(
                    "MySQL database '{database}', version table {} (GET_LOCK '{name}')",
                    qualified(&schema)
                );
                let sql = format!("SELECT coalesce(GET_LOCK('{name}', 0), 0)");
                let attempt: Attempt = Box::new(move |db| {
                    Ok((db.single_row(&sql)?[0] == "1").then(|| Held::Named(name.clone())))
                });
                Ok((attempt, target))
            }
            Dialect::Sqlite => {
                let Some(path) = self.sqlite_main_file(table)? else {
                    let target = "an in-memory SQLite database".to_string();
                    return Ok((Box::new(|_| Ok(Some(Held::Nothing))), target));
                };
                let lock_path = lock_file_path(&path, table);
                let target = format!(
                    "SQLite database {}, version table {} (lock file {})",
                    path.display(),
                    table.name,
                    lock_path.display()
                );
                let file = open_lock_file(&lock_path).map_err(|e| DbError::LockFile {
                    path: lock_path.display().to_string(),
                    reason: e.to_string(),
                })?;
                let mut file = Some(file);
                let shown = lock_path.display().to_string();
                let attempt: Attempt = Box::new(move |_| {
                    let Some(f) = file.as_ref() else {
                        return Ok(None);
                    };
                    match f.try_lock() {
                        Ok(()) => Ok(file.take().map(Held::File)),
                        Err(TryLockError::WouldBlock) => Ok(None),
                        Err(TryLockError::Error(e)) => Err(DbError::LockFile {
                            path: shown.clone(),
                            reason: e.to_string(),
                        }),
                    }
                });
                Ok((attempt, target))
            }
        }
    }

    fn single_row(&mut self, sql: &str) -> Result<Vec<String>, DbError> {
        let row = self
            .query_strings(sql)?
            .into_iter()
            .next()
            .unwrap_or_default();
        Ok(row.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// The file of the schema holding the version table (`None` in memory).
    fn sqlite_main_file(&mut self, table: &VersionTable) -> Result<Option<PathBuf>, DbError> {
        let schema = table.schema.as_deref().unwrap_or("main");
        let rows = self.query_strings("PRAGMA database_list")?;
        Ok(rows
            .into_iter()
            .find(|row| row.get(1).and_then(|v| v.as_deref()) == Some(schema))
            .and_then(|row| row.get(2).cloned().flatten())
            .filter(|file| !file.is_empty())
            .map(PathBuf::from))
    }
}

/// The line a run prints when it starts waiting for `target`'s lock.
pub fn waiting_notice(target: &str) -> String {
    format!("retort: waiting for the migration lock of {target}, which another run holds")
}

type Attempt = Box<dyn FnMut(&mut Db) -> Result<Option<Held>, DbError>>;

/// A stable signed 64-bit key from the parts (the first 8 bytes of SHA-256).
fn advisory_key(parts: &[&str]) -> i64 {
    let mut hash = Sha256::new();
    hash.update(b"retort migration lock");
    for p in parts {
        hash.update([0u8]);
        hash.update(p.as_bytes());
    }
    let digest = hash.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// `<temp dir>/retort-lock-<hash>.lock`, the hash of the database file's
/// canonical path (so every spelling of it meets the same lock) and the
/// version table's schema and name.
fn lock_file_path(db_file: &Path, table: &VersionTable) -> PathBuf {
    let canonical = std::fs::canonicalize(db_file).unwrap_or_else(|_| db_file.to_path_buf());
    let key = advisory_key(&[
        &canonical.to_string_lossy(),
        table.schema.as_deref().unwrap_or(""),
        &table.name,
    ]);
    std::env::temp_dir().join(format!("retort-lock-{key:016x}.lock"))
}

/// The lock file, created if need be; read-only when another user made it
/// (an advisory lock needs no write access).
fn open_lock_file(path: &Path) -> std::io::Result<File> {
    match OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
    {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => File::open(path),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_distinct() {
        let a = advisory_key(&["public", "alembic_version"]);
        assert_eq!(a, advisory_key(&["public", "alembic_version"]));
        assert_ne!(a, advisory_key(&["public", "other_version"]));
        // The separator keeps ("ab", "c") apart from ("a", "bc").
        assert_ne!(advisory_key(&["ab", "c"]), advisory_key(&["a", "bc"]));
    }

    #[test]
    fn lock_file_per_database_and_table() {
        let dir = std::env::temp_dir().join(format!("retort-lock-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let db = dir.join("app.db");
        std::fs::write(&db, b"").expect("scratch db");
        let t = VersionTable::new("my version", None, true);
        let path = lock_file_path(&db, &t);
        assert_eq!(path.parent(), Some(std::env::temp_dir().as_path()));
        // Another spelling of the same file meets the same lock.
        assert_eq!(path, lock_file_path(&dir.join(".").join("app.db"), &t));
        assert_ne!(path, lock_file_path(&dir.join("other.db"), &t));
        let other = VersionTable::new("other_version", None, true);
        assert_ne!(path, lock_file_path(&db, &other));
        std::fs::remove_dir_all(&dir).expect("remove scratch dir");
    }
}
