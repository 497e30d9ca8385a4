//! Test harness: run one test body against a fresh SQLite file and a fresh PostgreSQL database.
//!
//! PostgreSQL comes from `KEZEK_TEST_POSTGRES_URL` (a role allowed to create databases; the
//! test command sets it). Without it the PostgreSQL half is skipped with a message, unless
//! `CI` or `KEZEK_REQUIRE_POSTGRES` is set, in which case the test fails: CI must never
//! pass by skipping a database.

#![allow(dead_code)]

pub mod city;
pub mod gateway;

use app::store::{self, Db};
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh SQLite store in its own temporary directory (kept alive by the returned guard).
pub async fn sqlite() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("kezek.db").display());
    (Db::open(&url).await.expect("open sqlite"), dir)
}

/// A fresh PostgreSQL database, dropped again by `PgGuard`.
pub struct PgGuard {
    admin_url: String,
    name: String,
}

impl Drop for PgGuard {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop on a separate runtime: the test's runtime may be shutting down.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                use sqlx::Connection;
                if let Ok(mut c) = sqlx::PgConnection::connect(&admin_url).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut c)
                        .await;
                }
            });
        })
        .join();
    }
}

pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("KEZEK_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            let required = std::env::var_os("CI").is_some()
                || std::env::var_os("KEZEK_REQUIRE_POSTGRES").is_some();
            assert!(
                !required,
                "KEZEK_TEST_POSTGRES_URL is not set but PostgreSQL tests are required"
            );
            eprintln!("KEZEK_TEST_POSTGRES_URL not set: skipping the PostgreSQL half");
            None
        }
    }
}

pub async fn postgres() -> Option<(Db, PgGuard)> {
    use sqlx::Connection;
    let admin_url = postgres_admin_url()?;
    let name = format!(
        "kezek_t_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .expect("connect to KEZEK_TEST_POSTGRES_URL");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .expect("drop old test database");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create test database");
    let guard = PgGuard {
        admin_url: admin_url.clone(),
        name: name.clone(),
    };
    let url = store::replace_database(&admin_url, &name);
    let store = Db::open(&url).await.expect("open postgres");
    Some((store, guard))
}

/// Runs `body` once on SQLite and once on PostgreSQL, each with a fresh store.
pub async fn on_both<F, Fut>(body: F)
where
    F: Fn(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    let (store, _dir) = sqlite().await;
    body(store).await;
    if let Some((store, _guard)) = postgres().await {
        body(store).await;
    }
}

/// A connection pool of the test's own, to look at (and tamper with) the tables directly.
#[derive(Clone)]
pub enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Raw {
    pub async fn connect(db: &Db) -> Raw {
        let url = db.url();
        if url.starts_with("sqlite:") {
            Raw::Sqlite(
                sqlx::SqlitePool::connect(url)
                    .await
                    .expect("inspect sqlite"),
            )
        } else {
            Raw::Postgres(sqlx::PgPool::connect(url).await.expect("inspect postgres"))
        }
    }

    /// One integer.
    pub async fn int(&self, sql: &str) -> i64 {
        match self {
            Raw::Sqlite(p) => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await,
            Raw::Postgres(p) => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await,
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// One text column.
    pub async fn strings(&self, sql: &str) -> Vec<String> {
        match self {
            Raw::Sqlite(p) => sqlx::query_scalar::<_, String>(sql).fetch_all(p).await,
            Raw::Postgres(p) => sqlx::query_scalar::<_, String>(sql).fetch_all(p).await,
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs a statement, returning whether the database accepted it.
    pub async fn exec(&self, sql: &str) -> Result<u64, sqlx::Error> {
        match self {
            Raw::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
            Raw::Postgres(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
        }
    }
}
