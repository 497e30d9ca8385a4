//! The embedded default: one SQLite file in WAL mode.
//!
//! Every write transaction starts with `BEGIN IMMEDIATE`, so a writer takes the write lock
//! up front instead of failing half-way when another writer got there first; the busy timeout
//! makes the others wait for it.

use super::directory::search_text;
use super::{City, Progress, StoreError, StoreResult, BATCH};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Sqlite};
use std::str::FromStr;
use std::time::Duration;

/// Opens (creating if needed) the database file named by a `sqlite:` URL and migrates it.
pub async fn open(url: &str) -> StoreResult<SqlitePool> {
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
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Config(format!("cannot create {}: {e}", dir.display())))?;
        }
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    Ok(pool)
}

/// Loads a whole city into an empty database in one transaction.
pub async fn load_city(pool: &SqlitePool, city: &City, progress: Progress<'_>) -> StoreResult<()> {
    let total = (city.kindergartens.len() + city.applications.len()) as u64;
    let mut done = 0u64;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
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
    // The loaded applications enter the public log, so that a replay of it knows them.
    let head: (i64, String) = sqlx::query_as("SELECT seq, hash FROM chain_head WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    let events = crate::engine::events::imported(head, &city.applications);
    for e in &events {
        sqlx::query(
            "INSERT INTO events (seq, at, kind, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(e.seq)
        .bind(e.at)
        .bind(&e.kind)
        .bind(&e.body)
        .bind(&e.prev_hash)
        .bind(&e.hash)
        .execute(&mut *tx)
        .await?;
    }
    if let Some(last) = events.last() {
        sqlx::query("UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1")
            .bind(last.seq)
            .bind(&last.hash)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
