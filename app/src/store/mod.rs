//! Storage: one database handle ([`Db`]) over SQLite (the embedded default) or PostgreSQL
//! (for a city that outgrows one server), chosen from the `DATABASE_URL` scheme.
//!
//! Every query is written once, against the small [`sql::Sql`] interface that each connection
//! implements (`directory.rs` for the public pages; the engine and sign-in for the rest). Only
//! what really differs is written per database: opening, migrations (`migrations/sqlite`,
//! `migrations/postgres`), and bulk loads (`sqlite.rs`, `postgres.rs`).
//!
//! Writes run through [`write_tx!`]: on SQLite in the group-commit writer (`writer.rs`), on
//! PostgreSQL in a transaction of their own, retried on a deadlock or serialization failure.
//! Reads run through [`read_tx!`] on a pooled connection.

mod directory;
pub(crate) use directory::search_text;
pub mod map;
mod postgres;
pub mod protocols;
mod raw;
pub mod sql;
mod sqlite;
pub mod stats;
mod writer;

use crate::domain::{
    Cohort, District, GroupLanguage, Iin, KindergartenKind, LanguageSet, Phone, PriorityClass,
};
use std::sync::Arc;
use time::Date;

/// A kindergarten to load into an empty store (the demo city, or a registry import).
#[derive(Debug, Clone)]
pub struct NewKindergarten {
    pub id: i64,
    pub number: i32,
    pub name_kk: String,
    pub name_ru: String,
    pub district: District,
    pub address_kk: String,
    pub address_ru: String,
    pub lat: f64,
    pub lon: f64,
    pub languages: LanguageSet,
    pub kind: KindergartenKind,
    pub in_queue: bool,
    /// (cohort, capacity, free) per age group.
    pub seats: Vec<(Cohort, i64, i64)>,
}

impl NewKindergarten {
    /// A plain kindergarten of the queue known only by its number (test and benchmark
    /// cities): Almaly district, Kazakh and Russian groups, the given seats.
    pub fn numbered(id: i64, seats: Vec<(Cohort, i64, i64)>) -> NewKindergarten {
        NewKindergarten {
            id,
            number: id as i32,
            name_kk: format!("№{id} балабақша"),
            name_ru: format!("Детский сад №{id}"),
            district: District::Almaly,
            address_kk: "Абай даңғылы".into(),
            address_ru: "проспект Абая".into(),
            lat: 43.25,
            lon: 76.92,
            languages: LanguageSet::from_bits(3),
            kind: KindergartenKind::General,
            in_queue: true,
            seats,
        }
    }
}

/// An application to load into an empty store (legacy queues merged into the city queue).
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub id: i64,
    pub public_no: String,
    pub child_iin: Iin,
    pub child_name: String,
    pub birth_date: Date,
    pub parent_iin: Iin,
    pub priority: PriorityClass,
    pub phone1: Phone,
    pub phone2: Option<Phone>,
    pub email: Option<String>,
    pub district: District,
    pub language: GroupLanguage,
    /// Unix milliseconds.
    pub applied_at: i64,
}

/// A whole city to load at once.
#[derive(Debug, Clone, Default)]
pub struct City {
    pub kindergartens: Vec<NewKindergarten>,
    pub applications: Vec<NewApplication>,
}

/// How far a bulk load has come: rows written so far out of all.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Send + Sync);

/// Storage failures. Driver detail stays inside; callers see the kind.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached or is overloaded (pool timeout, I/O, busy).
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// The SQLite writer stopped or a group commit failed.
    #[error("database unavailable: {0}")]
    Down(&'static str),
    /// A uniqueness or check rule of the database refused the write.
    #[error("constraint violated: {0}")]
    Constraint(#[source] sqlx::Error),
    /// Loading into a store that already holds a city.
    #[error("the store already holds data")]
    NotEmpty,
    #[error("bad configuration: {0}")]
    Config(String),
    #[error("database error: {0}")]
    Other(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match &e {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::WorkerCrashed => StoreError::Unavailable(e),
            sqlx::Error::Database(db) => match db.kind() {
                ErrorKind::UniqueViolation
                | ErrorKind::ForeignKeyViolation
                | ErrorKind::NotNullViolation
                | ErrorKind::CheckViolation => StoreError::Constraint(e),
                _ => StoreError::Other(e),
            },
            _ => StoreError::Other(e),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Config(format!("migration failed: {e}"))
    }
}

impl StoreError {
    /// Whether the database is out of reach (as opposed to a fault in what was asked).
    pub fn is_outage(&self) -> bool {
        matches!(self, StoreError::Unavailable(_) | StoreError::Down(_))
    }

    /// A PostgreSQL deadlock or serialization failure: the transaction may simply be retried.
    pub fn is_retryable(&self) -> bool {
        match self {
            StoreError::Other(sqlx::Error::Database(db)) => {
                matches!(db.code().as_deref(), Some("40001") | Some("40P01"))
            }
            _ => false,
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// An error a transaction body may return: it can carry a storage failure, and says whether
/// the transaction may be retried.
pub trait TxError: From<StoreError> + Send + 'static {
    fn retryable(&self) -> bool;
}

impl TxError for StoreError {
    fn retryable(&self) -> bool {
        self.is_retryable()
    }
}

/// The database connections behind a [`Db`].
pub(crate) enum Backend {
    Sqlite {
        pool: sqlx::SqlitePool,
        writer: writer::Writer,
    },
    Postgres(sqlx::PgPool),
}

/// The database: cheap to clone, shared by the engine, sign-in and the public pages.
#[derive(Clone)]
pub struct Db(Arc<Backend>, Arc<str>, Arc<stats::StatsCache>);

/// Runs `$body` (which may use `$c: &mut dyn Sql`) in one write transaction: on SQLite in the
/// next group commit, on PostgreSQL in its own transaction, retried on a deadlock. All of it
/// commits or none of it. Everything `$body` uses must be owned (it may run on the writer's
/// thread).
macro_rules! write_tx {
    ($db:expr, |$c:ident| $body:expr) => {{
        match $db.backend() {
            $crate::store::Backend::Sqlite { writer, .. } => {
                writer
                    .run(move |$c: &mut dyn $crate::store::sql::Sql| {
                        Box::pin(async move { $body.await })
                    })
                    .await
            }
            $crate::store::Backend::Postgres(pool) => {
                let mut attempt = 0;
                loop {
                    attempt += 1;
                    let mut tx = match pool.begin().await {
                        Ok(tx) => tx,
                        Err(e) => break Err($crate::store::StoreError::from(e).into()),
                    };
                    let result = {
                        let $c: &mut dyn $crate::store::sql::Sql = &mut *tx;
                        $body.await
                    };
                    match result {
                        Ok(v) => match tx.commit().await {
                            Ok(()) => break Ok(v),
                            Err(e) => {
                                let e = $crate::store::StoreError::from(e);
                                if e.is_retryable() && attempt < 8 {
                                    continue;
                                }
                                break Err(e.into());
                            }
                        },
                        Err(e) if $crate::store::TxError::retryable(&e) && attempt < 8 => continue,
                        Err(e) => break Err(e),
                    }
                }
            }
        }
    }};
}
pub(crate) use write_tx;

/// Runs `$body` (which may use `$c: &mut dyn Sql`) on a pooled connection, for reading.
macro_rules! read_tx {
    ($db:expr, |$c:ident| $body:expr) => {{
        match $db.backend() {
            $crate::store::Backend::Sqlite { pool, .. } => match pool.acquire().await {
                Ok(mut conn) => {
                    let $c: &mut dyn $crate::store::sql::Sql = &mut *conn;
                    $body.await
                }
                Err(e) => Err($crate::store::StoreError::from(e).into()),
            },
            $crate::store::Backend::Postgres(pool) => match pool.acquire().await {
                Ok(mut conn) => {
                    let $c: &mut dyn $crate::store::sql::Sql = &mut *conn;
                    $body.await
                }
                Err(e) => Err($crate::store::StoreError::from(e).into()),
            },
        }
    }};
}
pub(crate) use read_tx;

impl Db {
    /// Opens the database named by `url` (`sqlite:` path or `postgres://`), applying
    /// migrations; on SQLite also starts the writer thread.
    pub async fn open(url: &str) -> StoreResult<Db> {
        let backend = if url.starts_with("sqlite:") {
            let pool = sqlite::open(url).await?;
            let writer = writer::Writer::start(pool.connect_options().get_filename())?;
            Backend::Sqlite { pool, writer }
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres(postgres::open(url).await?)
        } else {
            return Err(StoreError::Config(
                "DATABASE_URL must start with sqlite: or postgres://".into(),
            ));
        };
        Ok(Db(Arc::new(backend), url.into(), Arc::default()))
    }

    /// The last reading of the public figures.
    fn stats_cache(&self) -> &stats::StatsCache {
        &self.2
    }

    /// The URL the database was opened with (tools and tests that look at the tables on a
    /// connection of their own).
    pub fn url(&self) -> &str {
        &self.1
    }

    pub(crate) fn backend(&self) -> &Backend {
        &self.0
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match *self.0 {
            Backend::Sqlite { .. } => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// The PostgreSQL pool, for what only PostgreSQL has (LISTEN/NOTIFY).
    pub fn postgres_pool(&self) -> Option<&sqlx::PgPool> {
        match &*self.0 {
            Backend::Postgres(pool) => Some(pool),
            Backend::Sqlite { .. } => None,
        }
    }

    /// Loads a whole city into an empty database in one transaction.
    pub async fn load_city(&self, city: &City, progress: Progress<'_>) -> StoreResult<()> {
        match &*self.0 {
            Backend::Sqlite { pool, .. } => sqlite::load_city(pool, city, progress).await,
            Backend::Postgres(pool) => postgres::load_city(pool, city, progress).await,
        }
    }
}

/// `postgres://u:p@h:port/db?x` with `db` replaced (fresh databases for tests and benchmarks).
pub fn replace_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..path_start], db);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// Rows inserted per statement in bulk loads (14 binds each stays well under both databases'
/// parameter limits).
pub(crate) const BATCH: usize = 500;
