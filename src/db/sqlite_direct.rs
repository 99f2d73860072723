//! SQLite statements run on the calling thread.
//!
//! sqlx runs each SQLite connection on a worker thread of its own, and every
//! statement is a round trip to it (a channel send, a wake-up, a reply): some
//! 15 µs, more than most migration statements take to run.  A batch
//! migration issues thousands of them (reflection pragmas, rebuilds, rows).
//! So once sqlx has opened the connection, [`DirectSqlite`] locks its handle
//! out of the worker for the connection's whole life — sqlx's `lock_handle`,
//! its own way to make direct SQLite calls — and runs statements through
//! SQLite's C API here.  sqlx still opens the connection with its options and
//! closes it.  Results match what sqlx's `raw_sql` gave (see `outcome.rs`).

use std::ffi::{c_char, c_int, CStr};
use std::ptr::{self, NonNull};

use libsqlite3_sys as ffi;
use sqlx::sqlite::{LockedSqliteHandle, SqliteConnection};

use super::outcome::{Cell, Outcome};

/// An SQLite error: the extended result code and SQLite's message, as sqlx
/// reports them.
#[derive(Debug)]
pub(super) struct LiteError {
    pub code: c_int,
    pub message: String,
}

/// A sqlx SQLite connection whose handle this thread holds.
pub(super) struct DirectSqlite {
    /// Borrows `*conn`: dropped (handing the handle back to sqlx's worker)
    /// before `conn` is used or freed again.
    handle: Option<LockedSqliteHandle<'static>>,
    /// The boxed connection, owned; only touched once `handle` is gone.
    conn: NonNull<SqliteConnection>,
}

// SAFETY: sqlx opens SQLite connections in multi-thread mode, where one
// connection may be used from any thread as long as no two threads use it at
// once; `DirectSqlite` is used through `&mut self` only.
unsafe impl Send for DirectSqlite {}

impl DirectSqlite {
    /// Take `conn`'s handle from its worker thread.
    pub(super) async fn lock(conn: SqliteConnection) -> Result<DirectSqlite, sqlx::Error> {
        let conn = NonNull::from(Box::leak(Box::new(conn)));
        // SAFETY: `conn` stays allocated until `release`, which drops the
        // guard first; nothing else touches the connection meanwhile.
        let borrowed: &'static mut SqliteConnection = unsafe { &mut *conn.as_ptr() };
        match borrowed.lock_handle().await {
            Ok(handle) => Ok(DirectSqlite {
                handle: Some(handle),
                conn,
            }),
            Err(e) => {
                // SAFETY: the borrow above ended with the failed lock.
                drop(unsafe { Box::from_raw(conn.as_ptr()) });
                Err(e)
            }
        }
    }

    /// Hand the handle back to sqlx and return the connection (to close it).
    pub(super) fn release(mut self) -> SqliteConnection {
        self.handle = None;
        // SAFETY: the only borrow of `*conn` (the guard) is gone; `self` is
        // forgotten so that `Drop` does not free the box a second time.
        let conn = unsafe { Box::from_raw(self.conn.as_ptr()) };
        std::mem::forget(self);
        *conn
    }

    fn db(&mut self) -> *mut ffi::sqlite3 {
        match self.handle.as_mut() {
            Some(h) => h.as_raw_handle().as_ptr(),
            None => ptr::null_mut(),
        }
    }

    /// Run each statement of `sql` in turn, calling `on_statement` with each
    /// prepared statement (bound with `binds`, `?` placeholders) until it is
    /// done.  Stops at the first error.
    fn each_statement(
        &mut self,
        sql: &str,
        binds: &[Cell],
        mut on_statement: impl FnMut(&mut Stepper) -> Result<(), LiteError>,
    ) -> Result<(), LiteError> {
        let db = self.db();
        let mut offset = 0usize;
        while offset < sql.len() {
            let stmt = prepare_at(db, sql, &mut offset)?;
            if stmt.is_null() {
                // Only whitespace or comments were left.
                continue;
            }
            let mut stepper = Stepper { db, stmt };
            let result = stepper
                .bind(binds)
                .and_then(|()| on_statement(&mut stepper));
            // SAFETY: `stmt` came from prepare and is finalized once.
            unsafe { ffi::sqlite3_finalize(stmt) };
            result?;
        }
        Ok(())
    }

    /// What sqlx's `raw_sql(sql).fetch_many` gave: every statement's rows,
    /// the columns of the first row, each statement's `changes()` summed and
    /// the last insert rowid.
    pub(super) fn run(&mut self, sql: &str) -> Result<Outcome, LiteError> {
        let mut out = Outcome::default();
        let mut first_columns = None;
        self.each_statement(sql, &[], |st| {
            if first_columns.is_none() && st.column_count() > 0 {
                first_columns = Some(st.columns());
            }
            st.collect_into(&mut out)
        })?;
        if out.columns.is_none() {
            out.columns = first_columns;
        }
        Ok(out)
    }

    /// `sql`, one statement with `?` placeholders, run once per parameter
    /// set with the values bound (Python's sqlite3 `execute` and
    /// `executemany`): prepared once, the rows of every run returned, the
    /// counts summed.  `None`, with nothing run, when the text holds more
    /// or less than one statement or a set's length differs from the
    /// statement's placeholder count: the caller then goes its own way.
    pub(super) fn run_bound(
        &mut self,
        sql: &str,
        sets: &[Vec<Cell>],
    ) -> Result<Option<Outcome>, LiteError> {
        let db = self.db();
        let Some(stmt) = self.prepare_one(sql)? else {
            return Ok(None);
        };
        let mut stepper = Stepper { db, stmt };
        let expected = stepper.bind_count();
        let mut run_all = || {
            if sets.iter().any(|set| set.len() != expected) {
                return Ok(None);
            }
            let mut out = Outcome::default();
            for set in sets {
                stepper.bind(set)?;
                stepper.collect_into(&mut out)?;
                stepper.reset();
            }
            // Described when it has columns, rows or not (Python's sqlite3).
            if out.columns.is_none() && stepper.column_count() > 0 {
                out.columns = Some(stepper.columns());
            }
            Ok(Some(out))
        };
        let result = run_all();
        // SAFETY: `stmt` came from prepare and is finalized once.
        unsafe { ffi::sqlite3_finalize(stmt) };
        result
    }

    /// The one statement of `sql`, prepared; `None` when it holds none or
    /// several (anything but whitespace and comments after the first).
    fn prepare_one(&mut self, sql: &str) -> Result<Option<*mut ffi::sqlite3_stmt>, LiteError> {
        let db = self.db();
        let mut first = None;
        let mut offset = 0usize;
        while offset < sql.len() {
            let stmt = match (prepare_at(db, sql, &mut offset), first) {
                (Ok(stmt), _) => stmt,
                (Err(e), None) => return Err(e),
                // A second statement that may need the first to run.
                (Err(_), Some(s)) => {
                    // SAFETY: prepared below, finalized once.
                    unsafe { ffi::sqlite3_finalize(s) };
                    return Ok(None);
                }
            };
            if stmt.is_null() {
                continue;
            }
            if let Some(s) = first {
                // A second statement: not ours to bind.
                // SAFETY: both prepared above, each finalized once.
                unsafe {
                    ffi::sqlite3_finalize(s);
                    ffi::sqlite3_finalize(stmt);
                }
                return Ok(None);
            }
            first = Some(stmt);
        }
        Ok(first)
    }

    /// Rows affected by `sql` (see `Db::execute`).
    pub(super) fn execute(&mut self, sql: &str) -> Result<u64, LiteError> {
        let db = self.db();
        // SAFETY: `db` is an open connection.
        let before = unsafe { ffi::sqlite3_total_changes64(db) };
        let mut sum = 0u64;
        self.each_statement(sql, &[], |st| {
            while st.step()? {}
            sum += st.changes();
            Ok(())
        })?;
        // SAFETY: as above.
        let after = unsafe { ffi::sqlite3_total_changes64(db) };
        // total_changes() also counts rows changed by triggers, the
        // per-statement count may be stale after DDL: the smaller is right.
        let delta = u64::try_from(after.saturating_sub(before)).unwrap_or(0);
        Ok(sum.min(delta))
    }

    /// Every row of `sql`, each value as text.
    pub(super) fn query_strings(
        &mut self,
        sql: &str,
    ) -> Result<Vec<Vec<Option<String>>>, LiteError> {
        let mut rows = Vec::new();
        self.each_statement(sql, &[], |st| {
            while st.step()? {
                rows.push(st.strings());
            }
            Ok(())
        })?;
        Ok(rows)
    }

    /// The number of rows `sql` (one statement, `?` text parameters) gives.
    pub(super) fn count_rows(&mut self, sql: &str, binds: &[&str]) -> Result<usize, LiteError> {
        let binds: Vec<Cell> = binds.iter().map(|b| Cell::Text(b.to_string())).collect();
        let mut n = 0;
        self.each_statement(sql, &binds, |st| {
            while st.step()? {
                n += 1;
            }
            Ok(())
        })?;
        Ok(n)
    }
}

impl Drop for DirectSqlite {
    fn drop(&mut self) {
        self.handle = None;
        // SAFETY: the guard borrowing the connection is gone.
        drop(unsafe { Box::from_raw(self.conn.as_ptr()) });
    }
}

/// One prepared statement being stepped.
struct Stepper {
    db: *mut ffi::sqlite3,
    stmt: *mut ffi::sqlite3_stmt,
}

impl Stepper {
    /// How many parameters the statement takes.
    fn bind_count(&self) -> usize {
        // SAFETY: `stmt` is live.
        usize::try_from(unsafe { ffi::sqlite3_bind_parameter_count(self.stmt) }).unwrap_or(0)
    }

    /// Bind `values` to parameters 1..=n, each in its storage class.
    fn bind(&mut self, values: &[Cell]) -> Result<(), LiteError> {
        for (i, value) in values.iter().enumerate() {
            let index = c_int::try_from(i + 1).unwrap_or(c_int::MAX);
            // SAFETY: `stmt` is live and reset; SQLite copies text and
            // blobs (SQLITE_TRANSIENT) before returning.
            let rc = unsafe {
                match value {
                    Cell::Null => ffi::sqlite3_bind_null(self.stmt, index),
                    Cell::Int(v) => ffi::sqlite3_bind_int64(self.stmt, index, *v),
                    Cell::Float(v) => ffi::sqlite3_bind_double(self.stmt, index, *v),
                    Cell::Text(v) => ffi::sqlite3_bind_text64(
                        self.stmt,
                        index,
                        v.as_ptr().cast(),
                        v.len() as u64,
                        ffi::SQLITE_TRANSIENT(),
                        ffi::SQLITE_UTF8 as u8,
                    ),
                    Cell::Bytes(v) => ffi::sqlite3_bind_blob64(
                        self.stmt,
                        index,
                        v.as_ptr().cast(),
                        v.len() as u64,
                        ffi::SQLITE_TRANSIENT(),
                    ),
                }
            };
            if rc != ffi::SQLITE_OK {
                return Err(last_error(self.db));
            }
        }
        Ok(())
    }

    /// Ready the statement for its next run.
    fn reset(&mut self) {
        // SAFETY: `stmt` is live; a failed step's error was taken already.
        unsafe {
            ffi::sqlite3_reset(self.stmt);
            ffi::sqlite3_clear_bindings(self.stmt);
        }
    }

    /// Step to the end, adding the rows (and, at the first row, their
    /// columns), `changes()` and the last insert rowid to `out`.
    fn collect_into(&mut self, out: &mut Outcome) -> Result<(), LiteError> {
        while self.step()? {
            if out.rows.is_empty() {
                out.columns = Some(self.columns());
            }
            out.rows.push(self.cells());
        }
        out.rows_affected += self.changes();
        out.last_insert_id = Some(self.last_insert_rowid());
        Ok(())
    }

    /// Step once: `true` when a row is ready.
    fn step(&mut self) -> Result<bool, LiteError> {
        // SAFETY: `stmt` is a live prepared statement.
        match unsafe { ffi::sqlite3_step(self.stmt) } {
            ffi::SQLITE_ROW => Ok(true),
            ffi::SQLITE_DONE => Ok(false),
            _ => Err(last_error(self.db)),
        }
    }

    fn column_count(&self) -> usize {
        // SAFETY: `stmt` is live.
        usize::try_from(unsafe { ffi::sqlite3_column_count(self.stmt) }).unwrap_or(0)
    }

    /// The connection's `changes()` now: sqlx's per-statement count (the
    /// last INSERT/UPDATE/DELETE's, also after other statements).
    fn changes(&self) -> u64 {
        // SAFETY: `db` is open.
        u64::try_from(unsafe { ffi::sqlite3_changes64(self.db) }).unwrap_or(0)
    }

    fn last_insert_rowid(&self) -> i64 {
        // SAFETY: `db` is open.
        unsafe { ffi::sqlite3_last_insert_rowid(self.db) }
    }

    /// (name, declared type's affinity) of each column.
    fn columns(&self) -> Vec<(String, String)> {
        (0..self.column_count())
            .map(|i| {
                let i = c_int::try_from(i).unwrap_or(c_int::MAX);
                // SAFETY: `i` is a column of the live statement; both strings
                // are owned by SQLite and copied at once.
                unsafe {
                    (
                        c_text(ffi::sqlite3_column_name(self.stmt, i)).unwrap_or_default(),
                        affinity_name(
                            c_text(ffi::sqlite3_column_decltype(self.stmt, i)).as_deref(),
                        )
                        .to_string(),
                    )
                }
            })
            .collect()
    }

    /// The current row, each value in its storage class.
    fn cells(&self) -> Vec<Cell> {
        (0..self.column_count())
            .map(|i| {
                let i = c_int::try_from(i).unwrap_or(c_int::MAX);
                // SAFETY: a row is ready and `i` is one of its columns.
                unsafe {
                    match ffi::sqlite3_column_type(self.stmt, i) {
                        ffi::SQLITE_NULL => Cell::Null,
                        ffi::SQLITE_INTEGER => Cell::Int(ffi::sqlite3_column_int64(self.stmt, i)),
                        ffi::SQLITE_FLOAT => Cell::Float(ffi::sqlite3_column_double(self.stmt, i)),
                        ffi::SQLITE_BLOB => Cell::Bytes(self.blob(i).to_vec()),
                        _ => Cell::Text(self.text(i)),
                    }
                }
            })
            .collect()
    }

    /// The current row, each value as text (`None` for NULL).
    fn strings(&self) -> Vec<Option<String>> {
        (0..self.column_count())
            .map(|i| {
                let i = c_int::try_from(i).unwrap_or(c_int::MAX);
                // SAFETY: a row is ready and `i` is one of its columns.
                unsafe {
                    (ffi::sqlite3_column_type(self.stmt, i) != ffi::SQLITE_NULL)
                        .then(|| self.text(i))
                }
            })
            .collect()
    }

    /// Column `i` of the current row as UTF-8 text (SQLite converts numbers;
    /// invalid UTF-8 is replaced).
    unsafe fn text(&self, i: c_int) -> String {
        let p = ffi::sqlite3_column_text(self.stmt, i);
        let n = usize::try_from(ffi::sqlite3_column_bytes(self.stmt, i)).unwrap_or(0);
        if p.is_null() {
            return String::new();
        }
        String::from_utf8_lossy(std::slice::from_raw_parts(p, n)).into_owned()
    }

    unsafe fn blob(&self, i: c_int) -> &[u8] {
        let p = ffi::sqlite3_column_blob(self.stmt, i);
        let n = usize::try_from(ffi::sqlite3_column_bytes(self.stmt, i)).unwrap_or(0);
        if p.is_null() {
            return &[];
        }
        std::slice::from_raw_parts(p.cast(), n)
    }
}

/// Prepare the statement of `sql` that starts at `*offset` and move
/// `*offset` past it: null when only whitespace or comments were left.
fn prepare_at(
    db: *mut ffi::sqlite3,
    sql: &str,
    offset: &mut usize,
) -> Result<*mut ffi::sqlite3_stmt, LiteError> {
    let rest = &sql.as_bytes()[*offset..];
    if *offset == 0 && rest.contains(&0) {
        // SQLite reads text only up to a NUL, so what follows could never
        // be prepared (Python's sqlite3 refuses such text too).  Checked
        // before the first statement, so nothing runs.
        return Err(LiteError {
            code: ffi::SQLITE_MISUSE,
            message: "the query contains a null character".to_string(),
        });
    }
    let len = c_int::try_from(rest.len()).map_err(|_| too_big())?;
    let mut stmt: *mut ffi::sqlite3_stmt = ptr::null_mut();
    let mut tail: *const c_char = ptr::null();
    // SAFETY: `rest` is valid for `len` bytes; SQLite sets `tail` within it
    // (or to its end).
    let rc =
        unsafe { ffi::sqlite3_prepare_v2(db, rest.as_ptr().cast(), len, &mut stmt, &mut tail) };
    if rc != ffi::SQLITE_OK {
        return Err(last_error(db));
    }
    *offset += if tail.is_null() {
        rest.len()
    } else {
        (tail as usize).saturating_sub(rest.as_ptr() as usize)
    };
    Ok(stmt)
}

fn too_big() -> LiteError {
    LiteError {
        code: ffi::SQLITE_TOOBIG,
        message: "statement too long".to_string(),
    }
}

/// The connection's last error, as sqlx reports it.
fn last_error(db: *mut ffi::sqlite3) -> LiteError {
    // SAFETY: `db` is an open connection; the message is a NUL-terminated
    // string owned by SQLite, copied at once.
    unsafe {
        LiteError {
            code: ffi::sqlite3_extended_errcode(db),
            message: c_text(ffi::sqlite3_errmsg(db)).unwrap_or_default(),
        }
    }
}

/// A NUL-terminated string owned by SQLite, copied.
unsafe fn c_text(p: *const c_char) -> Option<String> {
    (!p.is_null()).then(|| CStr::from_ptr(p).to_string_lossy().into_owned())
}

/// The type name sqlx gives a column: its declared type's affinity
/// (<https://www.sqlite.org/datatype3.html>, 3.1), `NULL` for expressions.
fn affinity_name(decltype: Option<&str>) -> &'static str {
    let Some(decl) = decltype else {
        return "NULL";
    };
    let decl = decl.to_ascii_uppercase();
    if decl.contains("INT") {
        "INTEGER"
    } else if decl.contains("CHAR") || decl.contains("CLOB") || decl.contains("TEXT") {
        "TEXT"
    } else if decl.contains("BLOB") || decl.is_empty() {
        "BLOB"
    } else if decl.contains("REAL") || decl.contains("FLOA") || decl.contains("DOUB") {
        "REAL"
    } else {
        "NUMERIC"
    }
}

#[cfg(test)]
mod tests {
    use crate::db::{Cell, Db, DbError};

    #[test]
    fn runs_every_statement_of_the_text_and_sums_their_counts() {
        let mut db = Db::sqlite_memory();
        let out = db
            .run(
                "CREATE TABLE t (a INTEGER, b TEXT);\n\
                 INSERT INTO t VALUES (1, 'x');\n;\n\
                 INSERT INTO t VALUES (2, 'y'), (3, 'z') -- a trailing comment\n;\n  ",
            )
            .expect("run");
        assert_eq!(out.rows_affected, 3);
        assert_eq!(out.last_insert_id, Some(3));
        assert!(out.columns.is_none());
        assert_eq!(
            db.query_strings("SELECT a, b FROM t ORDER BY a")
                .expect("select"),
            [
                [Some("1".to_string()), Some("x".to_string())],
                [Some("2".to_string()), Some("y".to_string())],
                [Some("3".to_string()), Some("z".to_string())],
            ]
        );
        // DDL changes no rows, although SQLite's changes() still holds the
        // last INSERT's count.
        assert_eq!(db.execute("CREATE TABLE u (a)").expect("ddl"), 0);
        assert_eq!(
            db.execute("UPDATE t SET b = 'w' WHERE a > 1").expect("dml"),
            2
        );
        assert_eq!(
            db.count_rows("SELECT 1 FROM t WHERE b = ?", &["w"])
                .expect("count"),
            2
        );
    }

    #[test]
    fn values_keep_their_storage_class() {
        let mut db = Db::sqlite_memory();
        let out = db
            .run("SELECT 7 AS i, 1.5 AS f, 'é' AS s, x'00ff' AS b, NULL AS n")
            .expect("select");
        let names: Vec<&str> = out
            .columns
            .as_ref()
            .expect("columns")
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(names, ["i", "f", "s", "b", "n"]);
        assert_eq!(
            out.rows,
            [vec![
                Cell::Int(7),
                Cell::Float(1.5),
                Cell::Text("é".to_string()),
                Cell::Bytes(vec![0, 255]),
                Cell::Null,
            ]]
        );
        // A query that returns no rows still describes its columns.
        db.execute("CREATE TABLE t (a INTEGER)").expect("ddl");
        let empty = db.run("SELECT a FROM t").expect("select");
        assert!(empty.rows.is_empty());
        assert_eq!(
            empty.columns,
            Some(vec![("a".to_string(), "INTEGER".to_string())])
        );
    }

    #[test]
    fn an_error_names_sqlites_extended_code_and_stops_the_text() {
        let mut db = Db::sqlite_memory();
        db.execute("CREATE TABLE t (a INTEGER UNIQUE)")
            .expect("ddl");
        let err = db
            .run("INSERT INTO t VALUES (1); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)")
            .expect_err("duplicate");
        match err {
            DbError::Statement { code, message, .. } => {
                // SQLITE_CONSTRAINT_UNIQUE
                assert_eq!(code.as_deref(), Some("2067"));
                assert_eq!(message, "UNIQUE constraint failed: t.a");
            }
            other => panic!("unexpected error {other:?}"),
        }
        assert_eq!(
            db.query_strings("SELECT a FROM t").expect("select"),
            [[Some("1".to_string())]]
        );
        let err = db.run("SELEC 1").expect_err("syntax");
        assert!(
            err.to_string().contains("near \"SELEC\": syntax error"),
            "{err}"
        );
    }

    #[test]
    fn bound_sets_run_one_prepared_statement_each_value_in_its_class() {
        let mut db = Db::sqlite_memory();
        db.execute("CREATE TABLE t (a INTEGER, b TEXT, c REAL, d BLOB, e)")
            .expect("ddl");
        let row = |i: i64| {
            vec![
                Cell::Int(i),
                Cell::Text(format!("it's {i}")),
                Cell::Float(i as f64 / 4.0),
                Cell::Bytes(vec![0, u8::try_from(i).unwrap_or(0)]),
                Cell::Null,
            ]
        };
        let out = db
            .run_bound(
                "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                &[row(1), row(2), row(3)],
            )
            .expect("insert")
            .expect("bound");
        assert_eq!(out.rows_affected, 3);
        assert_eq!(out.last_insert_id, Some(3));
        assert!(out.columns.is_none());
        let back = db
            .run_bound(
                "SELECT * FROM t WHERE a >= ? ORDER BY a",
                &[vec![Cell::Int(2)]],
            )
            .expect("select")
            .expect("bound");
        assert_eq!(back.rows, [row(2), row(3)]);
        // Text bound where the column has INTEGER affinity is converted, as
        // a literal would be.
        db.run_bound(
            "INSERT INTO t (a) VALUES (?)",
            &[vec![Cell::Text("42".into())]],
        )
        .expect("insert")
        .expect("bound");
        assert_eq!(
            db.run("SELECT typeof(a) FROM t WHERE a = 42")
                .expect("select")
                .rows,
            [[Cell::Text("integer".to_string())]]
        );
    }

    #[test]
    fn bound_run_declines_what_it_cannot_bind_without_running_anything() {
        let mut db = Db::sqlite_memory();
        db.execute("CREATE TABLE t (a INTEGER)").expect("ddl");
        let one = vec![Cell::Int(1)];
        // Two statements, none, or a set of the wrong length: nothing runs.
        for (sql, sets) in [
            (
                "INSERT INTO t VALUES (?); INSERT INTO t VALUES (2)",
                vec![one.clone()],
            ),
            (
                "CREATE TABLE u (a); INSERT INTO u VALUES (?)",
                vec![one.clone()],
            ),
            ("  -- nothing\n", vec![one.clone()]),
            (
                "INSERT INTO t VALUES (?)",
                vec![one.clone(), vec![Cell::Int(1), Cell::Int(2)]],
            ),
        ] {
            assert!(
                db.run_bound(sql, &sets).expect("declined").is_none(),
                "{sql}"
            );
        }
        assert!(db.run("SELECT a FROM t").expect("select").rows.is_empty());
        // Text holding a NUL stops with an error (SQLite cannot read past
        // it), it does not spin.
        for sql in ["SELECT ?\0x", "INSERT INTO t VALUES (?); \0"] {
            let err = db
                .run_bound(sql, std::slice::from_ref(&one))
                .expect_err("nul");
            assert!(err.to_string().contains("null character"), "{err}");
        }
        assert!(db.run("SELECT 1\0x").is_err());
        // A statement with columns describes them with no rows too, after
        // a leading comment as well.
        let empty = db
            .run_bound(
                "-- note\nSELECT a FROM t WHERE a = ?",
                &[vec![Cell::Int(99)]],
            )
            .expect("select")
            .expect("bound");
        assert_eq!(
            empty.columns,
            Some(vec![("a".to_string(), "INTEGER".to_string())])
        );
        let empty = db
            .run("/* x */ SELECT a FROM t WHERE a = 99")
            .expect("select");
        assert_eq!(
            empty.columns,
            Some(vec![("a".to_string(), "INTEGER".to_string())])
        );
        // A trailing semicolon and comment are still one statement.
        assert!(db
            .run_bound("INSERT INTO t VALUES (?); -- done\n", &[one])
            .expect("insert")
            .is_some());
        // An error stops at the failing set: the earlier ones stay.
        db.execute("CREATE UNIQUE INDEX u ON t (a)").expect("ddl");
        let err = db
            .run_bound(
                "INSERT INTO t VALUES (?)",
                &[vec![Cell::Int(5)], vec![Cell::Int(1)], vec![Cell::Int(6)]],
            )
            .expect_err("duplicate");
        assert!(
            err.to_string().contains("UNIQUE constraint failed: t.a"),
            "{err}"
        );
        assert_eq!(
            db.query_strings("SELECT a FROM t ORDER BY a")
                .expect("select"),
            [[Some("1".to_string())], [Some("5".to_string())]]
        );
    }
}
