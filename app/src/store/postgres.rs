//! PostgreSQL, for a city that outgrows one server: several stateless Kezek servers share it.
//!
//! Bulk loads send whole columns as arrays and insert them with `UNNEST`, one round trip per
//! few thousand rows.

use super::directory::search_text;
use super::{City, Progress, StoreError, StoreResult};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// Rows per `UNNEST` insert.
const ARRAY_BATCH: usize = 8_000;

/// Connects to the database named by a `postgres://` URL and migrates it.
pub async fn open(url: &str) -> StoreResult<PgPool> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::Config(format!("bad PostgreSQL URL: {e}")))?;
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations/postgres").run(&pool).await?;
    Ok(pool)
}

/// Loads a whole city into an empty database in one transaction.
pub async fn load_city(pool: &PgPool, city: &City, progress: Progress<'_>) -> StoreResult<()> {
    let total = (city.kindergartens.len() + city.applications.len()) as u64;
    let mut done = 0u64;
    let mut tx = pool.begin().await?;
    // Two loads at once must not interleave: the second waits, then finds data and stops.
    sqlx::query("LOCK TABLE kindergartens IN EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM kindergartens)")
        .fetch_one(&mut *tx)
        .await?;
    if any {
        return Err(StoreError::NotEmpty);
    }
    for chunk in city.kindergartens.chunks(ARRAY_BATCH) {
        let col = |f: &dyn Fn(&super::NewKindergarten) -> String| -> Vec<String> {
            chunk.iter().map(f).collect()
        };
        sqlx::query(
            "INSERT INTO kindergartens (id, number, name_kk, name_ru, search_text, district, \
                 address_kk, address_ru, lat, lon, languages, kind, in_queue) \
                 SELECT * FROM UNNEST($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], \
                 $6::text[], $7::text[], $8::text[], $9::float8[], $10::float8[], $11::int[], \
                 $12::text[], $13::bool[])",
        )
        .bind(chunk.iter().map(|k| k.id).collect::<Vec<_>>())
        .bind(chunk.iter().map(|k| k.number).collect::<Vec<_>>())
        .bind(col(&|k| k.name_kk.clone()))
        .bind(col(&|k| k.name_ru.clone()))
        .bind(col(&|k| search_text(k.number, &k.name_kk, &k.name_ru)))
        .bind(col(&|k| k.district.code().to_owned()))
        .bind(col(&|k| k.address_kk.clone()))
        .bind(col(&|k| k.address_ru.clone()))
        .bind(chunk.iter().map(|k| k.lat).collect::<Vec<_>>())
        .bind(chunk.iter().map(|k| k.lon).collect::<Vec<_>>())
        .bind(
            chunk
                .iter()
                .map(|k| i32::from(k.languages.bits()))
                .collect::<Vec<_>>(),
        )
        .bind(col(&|k| k.kind.code().to_owned()))
        .bind(chunk.iter().map(|k| k.in_queue).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
        let seats: Vec<_> = chunk
            .iter()
            .flat_map(|k| k.seats.iter().map(move |s| (k.id, *s)))
            .collect();
        sqlx::query(
            "INSERT INTO seats (kindergarten_id, cohort, capacity, free) \
                 SELECT * FROM UNNEST($1::bigint[], $2::int[], $3::bigint[], $4::bigint[])",
        )
        .bind(seats.iter().map(|(id, _)| *id).collect::<Vec<_>>())
        .bind(seats.iter().map(|(_, (c, _, _))| c.0).collect::<Vec<_>>())
        .bind(
            seats
                .iter()
                .map(|(_, (_, cap, _))| *cap)
                .collect::<Vec<_>>(),
        )
        .bind(
            seats
                .iter()
                .map(|(_, (_, _, free))| *free)
                .collect::<Vec<_>>(),
        )
        .execute(&mut *tx)
        .await?;
        done += chunk.len() as u64;
        progress(done, total);
    }
    for chunk in city.applications.chunks(ARRAY_BATCH) {
        let col = |f: &dyn Fn(&super::NewApplication) -> String| -> Vec<String> {
            chunk.iter().map(f).collect()
        };
        sqlx::query(
                "INSERT INTO applications (id, public_no, child_iin, child_name, birth_date, \
                 cohort, parent_iin, priority, phone1, phone2, email, district, language, \
                 applied_at) \
                 SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], \
                 $6::int[], $7::text[], $8::smallint[], $9::text[], $10::text[], $11::text[], \
                 $12::text[], $13::text[], $14::bigint[])",
            )
            .bind(chunk.iter().map(|a| a.id).collect::<Vec<_>>())
            .bind(col(&|a| a.public_no.clone()))
            .bind(col(&|a| a.child_iin.digits()))
            .bind(col(&|a| a.child_name.clone()))
            .bind(col(&|a| a.birth_date.to_string()))
            .bind(chunk.iter().map(|a| a.birth_date.year()).collect::<Vec<_>>())
            .bind(col(&|a| a.parent_iin.digits()))
            .bind(chunk.iter().map(|a| a.priority as i16).collect::<Vec<_>>())
            .bind(col(&|a| a.phone1.e164()))
            .bind(chunk.iter().map(|a| a.phone2.map(|p| p.e164())).collect::<Vec<_>>())
            .bind(chunk.iter().map(|a| a.email.clone()).collect::<Vec<_>>())
            .bind(col(&|a| a.district.code().to_owned()))
            .bind(col(&|a| a.language.code().to_owned()))
            .bind(chunk.iter().map(|a| a.applied_at).collect::<Vec<_>>())
            .execute(&mut *tx)
            .await?;
        done += chunk.len() as u64;
        progress(done, total);
    }
    // The loaded applications enter the public log, so that a replay of it knows them.
    let head: (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM chain_head WHERE id = 1 FOR UPDATE")
            .fetch_one(&mut *tx)
            .await?;
    let events = crate::engine::events::imported(head, &city.applications);
    for chunk in events.chunks(ARRAY_BATCH) {
        let col = |f: &dyn Fn(&crate::engine::chain::StoredEvent) -> String| -> Vec<String> {
            chunk.iter().map(f).collect()
        };
        sqlx::query(
            "INSERT INTO events (seq, at, kind, body, prev_hash, hash) \
             SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], \
             $5::text[], $6::text[])",
        )
        .bind(chunk.iter().map(|e| e.seq).collect::<Vec<_>>())
        .bind(chunk.iter().map(|e| e.at).collect::<Vec<_>>())
        .bind(col(&|e| e.kind.clone()))
        .bind(col(&|e| e.body.clone()))
        .bind(col(&|e| e.prev_hash.clone()))
        .bind(col(&|e| e.hash.clone()))
        .execute(&mut *tx)
        .await?;
    }
    if let Some(last) = events.last() {
        sqlx::query("UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(last.seq)
            .bind(&last.hash)
            .execute(&mut *tx)
            .await?;
    }
    // Applications created later are numbered after the loaded ones.
    sqlx::query(
        "SELECT setval('applications_id_seq', GREATEST((SELECT MAX(id) FROM applications), 1))",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
