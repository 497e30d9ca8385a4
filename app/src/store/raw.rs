//! The SQLite writer's own connection, driven directly through SQLite's C interface (the same
//! library sqlx links). One thread owns it; statements are prepared once and reused.
//!
//! Every `unsafe` block here calls SQLite as its documentation requires: a statement is used
//! only by the thread that owns the connection, parameters are bound before stepping, column
//! values are read before the next step or reset, and everything is finalized before the
//! connection is closed.

use super::sql::{Cell, Row, Sql, Val};
use async_trait::async_trait;
use libsqlite3_sys as ffi;
use std::borrow::Cow;
use std::ffi::{c_int, CStr, CString};
use std::ptr;

/// An error reported by SQLite, shaped as sqlx's database errors so that the engine reads
/// constraint failures the same way on every connection.
#[derive(Debug)]
pub struct RawError {
    code: c_int,
    message: String,
}

impl std::fmt::Display for RawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sqlite error {}: {}", self.code, self.message)
    }
}

impl std::error::Error for RawError {}

impl sqlx::error::DatabaseError for RawError {
    fn message(&self) -> &str {
        &self.message
    }
    fn code(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.code.to_string()))
    }
    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }
    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }
    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }
    fn kind(&self) -> sqlx::error::ErrorKind {
        use sqlx::error::ErrorKind;
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

struct Stmt {
    handle: *mut ffi::sqlite3_stmt,
    /// For each parameter slot (1-based in SQLite), the index into the arguments.
    slots: Vec<usize>,
}

/// Pages in the write-ahead log after which a commit checkpoints it itself (SQLite's default
/// is 1,000: under a storm of claims, every second commit stopped to copy pages into the
/// database file). The writer's checkpoint thread copies them long before (`writer.rs`).
pub const WAL_PAGES: u32 = 16_000;

/// One SQLite connection with a cache of prepared statements.
pub struct RawSqlite {
    db: *mut ffi::sqlite3,
    /// Keyed by the statement's text with a cheap hash: a claim looks up a dozen statements of
    /// a few hundred bytes each, and SipHash over them cost more than some of the statements.
    cache: rustc_hash::FxHashMap<String, Stmt>,
}

// The connection and its statements are only ever used by one thread at a time: the writer
// thread that owns them (SQLite is built thread-safe; this moves ownership, never shares).
unsafe impl Send for RawSqlite {}

impl RawSqlite {
    /// Opens the database file with Kezek's settings: WAL, `synchronous=FULL` (every commit
    /// reaches the disk), foreign keys on, a 10 s busy timeout.
    pub fn open(path: &std::path::Path) -> Result<RawSqlite, sqlx::Error> {
        let c_path = CString::new(path.to_string_lossy().as_bytes())
            .map_err(|_| sqlx::Error::Configuration("database path contains NUL".into()))?;
        let mut db = ptr::null_mut();
        let flags = ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE | ffi::SQLITE_OPEN_NOMUTEX;
        // SAFETY: c_path is a valid C string; db receives the handle (closed in Drop even on
        // failure, as SQLite requires).
        let rc = unsafe { ffi::sqlite3_open_v2(c_path.as_ptr(), &mut db, flags, ptr::null()) };
        let mut conn = RawSqlite {
            db,
            cache: Default::default(),
        };
        if rc != ffi::SQLITE_OK {
            return Err(conn.error(rc));
        }
        // SAFETY: db is open.
        unsafe {
            ffi::sqlite3_extended_result_codes(db, 1);
            ffi::sqlite3_busy_timeout(db, 10_000);
        }
        conn.batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
             PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32000;",
        )?;
        conn.batch(&format!("PRAGMA wal_autocheckpoint = {WAL_PAGES}"))?;
        Ok(conn)
    }

    /// Runs one statement without parameters and without rows through the statement cache
    /// (transaction control and savepoints, run for every operation by the writer).
    pub fn control(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        self.run(sql, &[], |_| {}).map(|_| ())
    }

    /// Runs statements without parameters, parsed each time (pragmas, set-up).
    pub fn batch(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        let c_sql = CString::new(sql).map_err(|_| sqlx::Error::Protocol("NUL in SQL".into()))?;
        // SAFETY: db is open and c_sql is a valid C string; no callback.
        let rc = unsafe {
            ffi::sqlite3_exec(
                self.db,
                c_sql.as_ptr(),
                None,
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.error(rc))
        }
    }

    fn error(&self, rc: c_int) -> sqlx::Error {
        let message = if self.db.is_null() {
            "cannot open the database".to_string()
        } else {
            // SAFETY: db is a handle SQLite gave us; the message is copied at once.
            unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.db)) }
                .to_string_lossy()
                .into_owned()
        };
        let code = if self.db.is_null() {
            rc
        } else {
            // SAFETY: as above.
            unsafe { ffi::sqlite3_extended_errcode(self.db) }
        };
        sqlx::Error::Database(Box::new(RawError { code, message }))
    }

    fn prepare(&mut self, sql: &str) -> Result<*mut ffi::sqlite3_stmt, sqlx::Error> {
        if let Some(s) = self.cache.get(sql) {
            return Ok(s.handle);
        }
        let mut handle = ptr::null_mut();
        // SAFETY: db is open; sql's bytes and length are passed together; handle receives the
        // statement.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                self.db,
                sql.as_ptr().cast(),
                sql.len() as c_int,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut handle,
                ptr::null_mut(),
            )
        };
        if rc != ffi::SQLITE_OK {
            return Err(self.error(rc));
        }
        // SAFETY: handle is a prepared statement.
        let count = unsafe { ffi::sqlite3_bind_parameter_count(handle) };
        let mut slots = Vec::with_capacity(count as usize);
        for i in 1..=count {
            // SAFETY: i is within 1..=count.
            let name = unsafe { ffi::sqlite3_bind_parameter_name(handle, i) };
            let n = if name.is_null() {
                i as usize
            } else {
                // SAFETY: SQLite returns a NUL-terminated UTF-8 name.
                let name = unsafe { CStr::from_ptr(name) }.to_string_lossy();
                name.trim_start_matches(['$', '?'])
                    .parse::<usize>()
                    .map_err(|_| sqlx::Error::Protocol(format!("unsupported parameter {name}")))?
            };
            slots.push(n - 1);
        }
        self.cache.insert(sql.to_string(), Stmt { handle, slots });
        Ok(handle)
    }

    /// Prepares (or reuses), binds and steps through a statement, collecting rows.
    fn run(
        &mut self,
        sql: &str,
        args: &[Val<'_>],
        mut on_row: impl FnMut(*mut ffi::sqlite3_stmt),
    ) -> Result<u64, sqlx::Error> {
        let handle = self.prepare(sql)?;
        let slots = &self.cache[sql].slots;
        let mut result = Ok(());
        for (i, &a) in slots.iter().enumerate() {
            let slot = i as c_int + 1;
            let Some(v) = args.get(a) else {
                result = Err(sqlx::Error::Protocol(format!(
                    "missing argument ${}",
                    a + 1
                )));
                break;
            };
            // SAFETY: handle is a live statement; SQLITE_TRANSIENT makes SQLite copy text.
            let rc = unsafe {
                match v {
                    Val::Int(x) => ffi::sqlite3_bind_int64(handle, slot, *x),
                    Val::Real(x) => ffi::sqlite3_bind_double(handle, slot, *x),
                    Val::Text(s) => ffi::sqlite3_bind_text(
                        handle,
                        slot,
                        s.as_ptr().cast(),
                        s.len() as c_int,
                        ffi::SQLITE_TRANSIENT(),
                    ),
                    Val::NullInt | Val::NullText => ffi::sqlite3_bind_null(handle, slot),
                }
            };
            if rc != ffi::SQLITE_OK {
                result = Err(self.error(rc));
                break;
            }
        }
        if result.is_ok() {
            loop {
                // SAFETY: handle is bound and live.
                let rc = unsafe { ffi::sqlite3_step(handle) };
                match rc {
                    ffi::SQLITE_ROW => on_row(handle),
                    ffi::SQLITE_DONE => break,
                    _ => {
                        result = Err(self.error(rc));
                        break;
                    }
                }
            }
        }
        // SAFETY: reset and clear for the next use (errors were read above).
        unsafe {
            ffi::sqlite3_reset(handle);
            ffi::sqlite3_clear_bindings(handle);
        }
        result?;
        // SAFETY: db is open.
        Ok(unsafe { ffi::sqlite3_changes64(self.db) } as u64)
    }
}

fn read_row(handle: *mut ffi::sqlite3_stmt) -> Row {
    // SAFETY: called only while `handle` is positioned on a row (SQLITE_ROW); text is copied
    // before the next step.
    unsafe {
        let n = ffi::sqlite3_column_count(handle);
        Row((0..n)
            .map(|i| match ffi::sqlite3_column_type(handle, i) {
                ffi::SQLITE_INTEGER => Cell::Int(ffi::sqlite3_column_int64(handle, i)),
                ffi::SQLITE_FLOAT => Cell::Real(ffi::sqlite3_column_double(handle, i)),
                ffi::SQLITE_NULL => Cell::Null,
                _ => {
                    let p = ffi::sqlite3_column_text(handle, i);
                    let len = ffi::sqlite3_column_bytes(handle, i) as usize;
                    if p.is_null() {
                        Cell::Text(String::new())
                    } else {
                        let bytes = std::slice::from_raw_parts(p, len);
                        Cell::Text(String::from_utf8_lossy(bytes).into_owned())
                    }
                }
            })
            .collect())
    }
}

impl Drop for RawSqlite {
    fn drop(&mut self) {
        // SAFETY: every statement belongs to this connection and is finalized once, before
        // the connection is closed.
        unsafe {
            for (_, s) in self.cache.drain() {
                ffi::sqlite3_finalize(s.handle);
            }
            ffi::sqlite3_close(self.db);
        }
    }
}

#[async_trait]
impl Sql for RawSqlite {
    fn backend(&self) -> super::sql::Backend {
        super::sql::Backend::Sqlite
    }

    fn for_update(&self) -> &'static str {
        ""
    }

    async fn exec(&mut self, sql: &str, args: &[Val<'_>]) -> Result<u64, sqlx::Error> {
        self.run(sql, args, |_| {})
    }

    async fn rows(&mut self, sql: &str, args: &[Val<'_>]) -> Result<Vec<Row>, sqlx::Error> {
        let mut out = Vec::new();
        self.run(sql, args, |h| out.push(read_row(h)))?;
        Ok(out)
    }
}
