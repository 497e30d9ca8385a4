//! The embedded default: one SQLite file in WAL mode.
//!
//! Every write transaction starts with `BEGIN IMMEDIATE`, so a writer takes the write lock
//! up front instead of failing half-way when another writer got there first; the busy timeout
//! makes the others wait for it.

use super::row::{like_pattern, search_text, CardRow, CARD_COLUMNS};
use super::{City, Progress, Store, StoreError, StoreResult, BATCH};
use crate::domain::{
    CitySummary, Cohort, DirectoryFilter, DirectoryPage, GroupSeats, KindergartenDetail,
};
use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite};
use std::str::FromStr;
use std::time::Duration;

pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file named by a `sqlite:` URL and migrates it.
    pub async fn open(url: &str) -> StoreResult<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("bad SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Nothing acknowledged is ever lost: every commit reaches the disk.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-32000");
        if let Some(dir) = options.get_filename().parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    StoreError::Config(format!("cannot create {}: {e}", dir.display()))
                })?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(SqliteStore { pool })
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn pools(&self) -> super::Pools {
        super::Pools::Sqlite(self.pool.clone())
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kindergartens")
            .fetch_one(&self.pool)
            .await?;
        Ok(n == 0)
    }

    async fn load_city(&self, city: &City, progress: Progress<'_>) -> StoreResult<()> {
        let total = (city.kindergartens.len() + city.applications.len()) as u64;
        let mut done = 0u64;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kindergartens")
            .fetch_one(&mut *tx)
            .await?;
        if n > 0 {
            return Err(StoreError::NotEmpty);
        }
        for chunk in city.kindergartens.chunks(BATCH) {
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO kindergartens (id, number, name_kk, name_ru, search_text, district, \
                 address_kk, address_ru, lat, lon, languages, kind, in_queue) ",
            );
            q.push_values(chunk, |mut b, k| {
                b.push_bind(k.id)
                    .push_bind(k.number)
                    .push_bind(&k.name_kk)
                    .push_bind(&k.name_ru)
                    .push_bind(search_text(k.number, &k.name_kk, &k.name_ru))
                    .push_bind(k.district.code())
                    .push_bind(&k.address_kk)
                    .push_bind(&k.address_ru)
                    .push_bind(k.lat)
                    .push_bind(k.lon)
                    .push_bind(i32::from(k.languages.bits()))
                    .push_bind(k.kind.code())
                    .push_bind(k.in_queue);
            });
            q.build().execute(&mut *tx).await?;
            let seats: Vec<_> = chunk
                .iter()
                .flat_map(|k| k.seats.iter().map(move |s| (k.id, *s)))
                .collect();
            for seat_chunk in seats.chunks(BATCH) {
                let mut q = QueryBuilder::<Sqlite>::new(
                    "INSERT INTO seats (kindergarten_id, cohort, capacity, free) ",
                );
                q.push_values(seat_chunk, |mut b, (id, (cohort, cap, free))| {
                    b.push_bind(*id)
                        .push_bind(cohort.0)
                        .push_bind(*cap)
                        .push_bind(*free);
                });
                q.build().execute(&mut *tx).await?;
            }
            done += chunk.len() as u64;
            progress(done, total);
        }
        // One prepared statement, reused per row: SQLite is fastest this way (sqlx binds many
        // parameters of one statement slowly, so multi-row VALUES lose here).
        for (i, a) in city.applications.iter().enumerate() {
            sqlx::query(
                "INSERT INTO applications (id, public_no, child_iin, child_name, birth_date, \
                 cohort, parent_iin, priority, phone1, phone2, email, district, language, \
                 applied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(a.id)
            .bind(&a.public_no)
            .bind(a.child_iin.digits())
            .bind(&a.child_name)
            .bind(a.birth_date.to_string())
            .bind(a.birth_date.year())
            .bind(a.parent_iin.digits())
            .bind(a.priority as i32)
            .bind(a.phone1.e164())
            .bind(a.phone2.map(|p| p.e164()))
            .bind(&a.email)
            .bind(a.district.code())
            .bind(a.language.code())
            .bind(a.applied_at)
            .execute(&mut *tx)
            .await?;
            done += 1;
            if (i + 1) % BATCH == 0 || i + 1 == city.applications.len() {
                progress(done, total);
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn directory(&self, f: &DirectoryFilter) -> StoreResult<DirectoryPage> {
        let filtered = |q: &mut QueryBuilder<'_, Sqlite>| {
            q.push(" FROM kindergartens k WHERE 1 = 1");
            if !f.text.is_empty() {
                q.push(" AND k.search_text LIKE ")
                    .push_bind(like_pattern(&f.text))
                    .push(" ESCAPE '\\'");
            }
            if let Some(d) = f.district {
                q.push(" AND k.district = ").push_bind(d.code());
            }
            if let Some(l) = f.language {
                q.push(" AND (k.languages & ")
                    .push_bind(i32::from(l.bit()))
                    .push(") != 0");
            }
            if f.free_only {
                q.push(
                    " AND k.in_queue AND EXISTS (SELECT 1 FROM seats s \
                     WHERE s.kindergarten_id = k.id AND s.free > 0)",
                );
            }
        };
        let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*)");
        filtered(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&self.pool).await?;

        let mut q = QueryBuilder::<Sqlite>::new(format!("SELECT {CARD_COLUMNS}"));
        filtered(&mut q);
        q.push(" ORDER BY k.in_queue DESC, k.number LIMIT ")
            .push_bind(i64::from(DirectoryFilter::PAGE_SIZE))
            .push(" OFFSET ")
            .push_bind(i64::from(f.page) * i64::from(DirectoryFilter::PAGE_SIZE));
        let rows: Vec<CardRow> = q.build_query_as().fetch_all(&self.pool).await?;
        let items = rows
            .into_iter()
            .map(CardRow::into_card)
            .collect::<Result<_, _>>()?;
        Ok(DirectoryPage {
            items,
            total,
            page: f.page,
            page_size: DirectoryFilter::PAGE_SIZE,
        })
    }

    async fn kindergarten(&self, id: i64) -> StoreResult<Option<KindergartenDetail>> {
        let row: Option<CardRow> = sqlx::query_as(&format!(
            "SELECT {CARD_COLUMNS} FROM kindergartens k WHERE k.id = ?"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let groups = sqlx::query(
            "SELECT cohort, capacity, free FROM seats WHERE kindergarten_id = ? ORDER BY cohort DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| GroupSeats {
            cohort: Cohort(r.get("cohort")),
            age_group: None,
            capacity: r.get("capacity"),
            free: r.get("free"),
        })
        .collect();
        Ok(Some(KindergartenDetail {
            card: row.into_card()?,
            groups,
        }))
    }

    async fn city_summary(&self) -> StoreResult<CitySummary> {
        let r = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM kindergartens) AS organisations, \
                    (SELECT COUNT(*) FROM kindergartens WHERE in_queue) AS in_queue, \
                    (SELECT COUNT(*) FROM applications WHERE status = 'waiting') + \
                    (SELECT COUNT(*) FROM invitations WHERE state = 'open') AS waiting, \
                    (SELECT COALESCE(SUM(s.free), 0) FROM seats s \
                       JOIN kindergartens k ON k.id = s.kindergarten_id WHERE k.in_queue) AS free",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(CitySummary {
            organisations: r.get("organisations"),
            in_queue: r.get("in_queue"),
            waiting_children: r.get("waiting"),
            free_seats: r.get("free"),
        })
    }

    async fn waiting_by_cohort(&self) -> StoreResult<Vec<(Cohort, i64)>> {
        let rows = sqlx::query(
            "SELECT cohort, COUNT(*) AS n FROM applications WHERE status = 'waiting' \
             GROUP BY cohort ORDER BY cohort",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| (Cohort(r.get("cohort")), r.get("n")))
            .collect())
    }
}
