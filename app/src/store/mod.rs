//! Storage: one interface, one implementation per database (SQLite, the embedded default, and
//! PostgreSQL, for a city that outgrows one server), chosen from the `DATABASE_URL` scheme.
//!
//! Each implementation owns its SQL and its `migrations/` directory, applied at start-up. The
//! same test bodies (`tests/store.rs`) run against both.

mod postgres;
mod sqlite;

use crate::domain::{
    CitySummary, Cohort, DirectoryFilter, DirectoryPage, District, GroupLanguage, Iin,
    KindergartenDetail, KindergartenKind, LanguageSet, Phone, PriorityClass,
};
use async_trait::async_trait;
use std::sync::Arc;
use time::Date;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

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

pub type StoreResult<T> = Result<T, StoreError>;

/// The connection pools behind a store, for the engine (which owns its own SQL, compiled for
/// each database).
#[derive(Clone)]
pub enum Pools {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// Everything Kezek keeps.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// The pools, for the engine.
    fn pools(&self) -> Pools;

    /// A cheap round trip, for `/healthz`.
    async fn ping(&self) -> StoreResult<()>;

    /// Whether no kindergarten has been loaded yet.
    async fn is_empty(&self) -> StoreResult<bool>;

    /// Loads a whole city into an empty store in one transaction.
    async fn load_city(&self, city: &City, progress: Progress<'_>) -> StoreResult<()>;

    /// One page of the public directory.
    async fn directory(&self, filter: &DirectoryFilter) -> StoreResult<DirectoryPage>;

    /// A kindergarten with its age groups, or `None`.
    async fn kindergarten(&self, id: i64) -> StoreResult<Option<KindergartenDetail>>;

    /// Figures for public pages.
    async fn city_summary(&self) -> StoreResult<CitySummary>;

    /// The birth-year cohorts of waiting children with their counts, oldest first.
    async fn waiting_by_cohort(&self) -> StoreResult<Vec<(Cohort, i64)>>;
}

/// Shared handle to the store.
pub type DynStore = Arc<dyn Store>;

/// Opens the store named by `url` (`sqlite:` path or `postgres://`), applying migrations.
pub async fn open(url: &str) -> StoreResult<DynStore> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::open(url).await?))
    } else {
        Err(StoreError::Config(
            "DATABASE_URL must start with sqlite: or postgres://".into(),
        ))
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

/// Shared row decoding helpers.
pub(crate) mod row {
    use crate::domain::{District, KindergartenCard, KindergartenKind, LanguageSet};

    /// The columns every kindergarten query selects, in this order.
    pub const CARD_COLUMNS: &str = "k.id, k.number, k.name_kk, k.name_ru, k.district, \
        k.address_kk, k.address_ru, k.lat, k.lon, k.languages, k.kind, k.in_queue, \
        CAST(COALESCE((SELECT SUM(s.capacity) FROM seats s WHERE s.kindergarten_id = k.id), 0) AS BIGINT) AS capacity, \
        CAST(COALESCE((SELECT SUM(s.free) FROM seats s WHERE s.kindergarten_id = k.id), 0) AS BIGINT) AS free_seats";

    /// A kindergarten row as both databases return it.
    #[derive(sqlx::FromRow)]
    pub struct CardRow {
        pub id: i64,
        pub number: i32,
        pub name_kk: String,
        pub name_ru: String,
        pub district: String,
        pub address_kk: String,
        pub address_ru: String,
        pub lat: f64,
        pub lon: f64,
        pub languages: i32,
        pub kind: String,
        pub in_queue: bool,
        pub capacity: i64,
        pub free_seats: i64,
    }

    impl CardRow {
        pub fn into_card(self) -> Result<KindergartenCard, sqlx::Error> {
            let bad = |what: &str, v: &str| {
                sqlx::Error::Decode(format!("unknown {what} {v:?} in kindergartens").into())
            };
            Ok(KindergartenCard {
                id: self.id,
                number: self.number,
                district: District::from_code(&self.district)
                    .ok_or_else(|| bad("district", &self.district))?,
                kind: KindergartenKind::from_code(&self.kind)
                    .ok_or_else(|| bad("kind", &self.kind))?,
                name_kk: self.name_kk,
                name_ru: self.name_ru,
                address_kk: self.address_kk,
                address_ru: self.address_ru,
                lat: self.lat,
                lon: self.lon,
                languages: LanguageSet::from_bits(self.languages as u8),
                in_queue: self.in_queue,
                capacity: self.capacity,
                free_seats: self.free_seats,
            })
        }
    }

    /// `%text%` for LIKE, with the LIKE wildcards escaped by `\`.
    pub fn like_pattern(text: &str) -> String {
        let mut p = String::with_capacity(text.len() + 2);
        p.push('%');
        for ch in text.chars() {
            if matches!(ch, '%' | '_' | '\\') {
                p.push('\\');
            }
            p.push(ch);
        }
        p.push('%');
        p
    }

    /// The text the directory search looks in.
    pub fn search_text(number: i32, name_kk: &str, name_ru: &str) -> String {
        crate::domain::kindergarten::normalise_search(&format!("{number} {name_kk} {name_ru}"))
    }
}
