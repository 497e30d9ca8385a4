//! The figures of `/statistics`, read in one pass over the tables and kept for a short while:
//! every reader of the page within [`FRESH`] gets the same reading.

use super::{read_tx, Db, StoreResult};
use crate::domain::stats::{percentile, Count, Statistics, WaitTimes};
use crate::domain::PriorityClass;
use crate::engine::rules::{almaty_date, start_of_day_ms};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use time::Date;

/// How long one reading is shown.
pub const FRESH: Duration = Duration::from_secs(15);

const DAY_MS: i64 = 86_400_000;
const DAYS: i64 = 30;
const WEEKS: i64 = 12;

/// The last reading, for [`Db::statistics`], and whether a new one is being read.
#[derive(Default)]
pub struct StatsCache {
    last: std::sync::Mutex<Option<(Instant, Statistics)>>,
    reading: std::sync::atomic::AtomicBool,
    /// Held by the first reader while it reads: the others wait for its reading.
    first: tokio::sync::Mutex<()>,
}

impl Db {
    /// The public figures at `now` (Unix milliseconds). A reading younger than [`FRESH`] is
    /// shared; an older one is still answered at once while one reader reads anew in the
    /// background (a crowd at the moment it ages never reads the tables all at once). Only the
    /// very first reader waits for the tables.
    pub async fn statistics(&self, now: i64) -> StoreResult<Statistics> {
        use std::sync::atomic::Ordering;
        let cache = self.stats_cache();
        let last = cache.last.lock().ok().and_then(|c| c.clone());
        match last {
            Some((at, s)) if at.elapsed() < FRESH => Ok(s),
            Some((_, s)) => {
                if !cache.reading.swap(true, Ordering::AcqRel) {
                    let db = self.clone();
                    tokio::spawn(async move {
                        let _ = db.read_statistics(now).await;
                        db.stats_cache().reading.store(false, Ordering::Release);
                    });
                }
                Ok(s)
            }
            None => {
                let _first = cache.first.lock().await;
                match cache.last.lock().ok().and_then(|c| c.clone()) {
                    Some((_, s)) => Ok(s),
                    None => self.read_statistics(now).await,
                }
            }
        }
    }

    async fn read_statistics(&self, now: i64) -> StoreResult<Statistics> {
        let s = read_tx!(self, |c| read(c, now))?;
        if let Ok(mut last) = self.stats_cache().last.lock() {
            *last = Some((Instant::now(), s.clone()));
        }
        Ok(s)
    }
}

/// The Monday of `day`'s week.
fn monday(day: Date) -> Date {
    day - time::Duration::days(i64::from(day.weekday().number_days_from_monday()))
}

/// Counts of `times` (Unix milliseconds) per day over the `n` days ending `today`, or per week
/// over the `n` weeks ending `today`'s, oldest first; empty ones are zero.
fn buckets(times: &[i64], today: Date, n: i64, weekly: bool) -> Vec<Count> {
    let step = if weekly { 7 } else { 1 };
    let last = if weekly { monday(today) } else { today };
    let first = last - time::Duration::days((n - 1) * step);
    let mut counts: BTreeMap<Date, i64> = (0..n)
        .map(|i| (first + time::Duration::days(i * step), 0))
        .collect();
    for &t in times {
        let day = almaty_date(t);
        let key = if weekly { monday(day) } else { day };
        if let Some(c) = counts.get_mut(&key) {
            *c += 1;
        }
    }
    counts
        .into_iter()
        .map(|(d, c)| (d.to_string(), c))
        .collect()
}

async fn read(c: &mut dyn super::sql::Sql, now: i64) -> StoreResult<Statistics> {
    let today = almaty_date(now);
    let waiting: Vec<(i32, String, i64, i64)> = c
        .all(
            "SELECT cohort, district, priority, COUNT(*) FROM applications \
             WHERE status IN ('waiting', 'invited') GROUP BY cohort, district, priority",
            &[],
        )
        .await?;
    let mut by_cohort: BTreeMap<i32, i64> = BTreeMap::new();
    let mut by_district: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_class: BTreeMap<usize, i64> = BTreeMap::new();
    for (cohort, district, class, n) in &waiting {
        *by_cohort.entry(*cohort).or_default() += n;
        *by_district.entry(district.clone()).or_default() += n;
        *by_class.entry(*class as usize).or_default() += n;
    }
    let free: Vec<(i32, i64)> = c
        .all(
            "SELECT s.cohort, CAST(SUM(s.free) AS BIGINT) FROM seats s \
             JOIN kindergartens k ON k.id = s.kindergarten_id WHERE k.in_queue \
             GROUP BY s.cohort ORDER BY s.cohort",
            &[],
        )
        .await?;
    // From the first day shown of either chart (12 weeks reach further back than 30 days).
    let since = start_of_day_ms(monday(today) - time::Duration::days((WEEKS - 1) * 7))
        .min(start_of_day_ms(today) - (DAYS - 1) * DAY_MS);
    let issued: Vec<(i64,)> = c
        .all(
            "SELECT issued_at FROM referrals WHERE issued_at >= $1",
            &[since.into()],
        )
        .await?;
    let issued: Vec<i64> = issued.into_iter().map(|(t,)| t).collect();
    let enrolled_at: Vec<(i64,)> = c
        .all(
            "SELECT closed_at FROM referrals WHERE state = 'enrolled' AND closed_at >= $1",
            &[since.into()],
        )
        .await?;
    let enrolled_at: Vec<i64> = enrolled_at.into_iter().map(|(t,)| t).collect();
    let enrolled: i64 = c
        .scalar(
            "SELECT COUNT(*) FROM referrals WHERE state = 'enrolled'",
            &[],
        )
        .await?;
    let waited: Vec<(i32, i64)> = c
        .all(
            "SELECT a.cohort, r.issued_at - a.applied_at FROM referrals r \
             JOIN applications a ON a.id = r.application_id WHERE r.staff_order IS NULL",
            &[],
        )
        .await?;
    let mut waits: BTreeMap<i32, Vec<f64>> = BTreeMap::new();
    for (cohort, ms) in waited {
        waits
            .entry(cohort)
            .or_default()
            .push(ms.max(0) as f64 / DAY_MS as f64);
    }
    let classes = |i: usize| PriorityClass::ALL.get(i).map_or("general", |p| p.code());
    Ok(Statistics {
        at: now,
        today: today.to_string(),
        waiting: by_cohort.values().sum(),
        by_cohort: by_cohort
            .into_iter()
            .map(|(k, n)| (k.to_string(), n))
            .collect(),
        by_district: by_district.into_iter().collect(),
        by_class: by_class
            .into_iter()
            .map(|(k, n)| (classes(k).to_string(), n))
            .collect(),
        free: free.iter().map(|(_, n)| n).sum(),
        free_by_cohort: free.into_iter().map(|(k, n)| (k.to_string(), n)).collect(),
        referrals_daily: buckets(&issued, today, DAYS, false),
        referrals_weekly: buckets(&issued, today, WEEKS, true),
        enrolments_weekly: buckets(&enrolled_at, today, WEEKS, true),
        enrolled,
        waits: waits
            .into_iter()
            .map(|(cohort, mut days)| {
                days.sort_by(f64::total_cmp);
                WaitTimes {
                    cohort,
                    referrals: days.len() as i64,
                    median_days: percentile(&days, 0.5).unwrap_or(0.0),
                    p90_days: percentile(&days, 0.9).unwrap_or(0.0),
                }
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn days_and_weeks_are_counted_in_almaty_time_with_empty_ones_zero() {
        let t = |d: time::OffsetDateTime| d.unix_timestamp() * 1000;
        let today = date!(2026 - 11 - 26); // a Thursday
        let times = [
            t(datetime!(2026-11-26 00:30 +5)),
            t(datetime!(2026-11-25 23:30 +5)),
            // 20:00 UTC on the 25th is the 26th in Almaty.
            t(datetime!(2026-11-25 20:00 UTC)),
            t(datetime!(2026-11-23 09:00 +5)),
            t(datetime!(2026-11-22 09:00 +5)),
            t(datetime!(2025-01-01 09:00 +5)),
        ];
        let days = buckets(&times, today, 5, false);
        assert_eq!(
            days,
            [
                ("2026-11-22".to_string(), 1),
                ("2026-11-23".to_string(), 1),
                ("2026-11-24".to_string(), 0),
                ("2026-11-25".to_string(), 1),
                ("2026-11-26".to_string(), 2),
            ]
        );
        let weeks = buckets(&times, today, 2, true);
        assert_eq!(
            weeks,
            [("2026-11-16".to_string(), 1), ("2026-11-23".to_string(), 4)]
        );
    }
}
