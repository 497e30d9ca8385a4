//! The public protocols read from the tables: seat postings and referrals, newest first, by
//! district, kindergarten and day, a page at a time.

use super::sql::{FromRow, Row, Val};
use super::{read_tx, Db, StoreResult};
use crate::domain::protocol::{PostingLine, Protocol, ProtocolFilter, ProtocolPlace, ReferralLine};
use crate::engine::rules::start_of_day_ms;

const DAY_MS: i64 = 86_400_000;

/// A posting line's columns (read as [`PostingLine`]) and the tables they come from.
pub(crate) const POSTINGS: (&str, &str) = (
    "p.at, p.cohort, p.free_before, p.free_after, k.id, k.number, k.name_kk, k.name_ru, k.district",
    "FROM seat_postings p JOIN kindergartens k ON k.id = p.kindergarten_id",
);

/// A referral line's columns (read as [`ReferralLine`]) and the tables they come from.
pub(crate) const REFERRALS: (&str, &str) = (
    "r.code, r.issued_at, r.cohort, r.state, r.expires_at, r.staff_order, r.staff_reason, \
     r.extension_reason, k.id, k.number, k.name_kk, k.name_ru, k.district",
    "FROM referrals r JOIN kindergartens k ON k.id = r.kindergarten_id",
);

fn place(r: &Row, at: usize) -> Result<ProtocolPlace, sqlx::Error> {
    Ok(ProtocolPlace {
        id: r.get(at)?,
        number: r.get(at + 1)?,
        name_kk: r.get(at + 2)?,
        name_ru: r.get(at + 3)?,
        district: r.get(at + 4)?,
    })
}

impl FromRow for PostingLine {
    fn from_row(r: &Row) -> Result<Self, sqlx::Error> {
        Ok(PostingLine {
            at: r.get(0)?,
            cohort: r.get(1)?,
            before: r.get(2)?,
            after: r.get(3)?,
            place: place(r, 4)?,
        })
    }
}

impl FromRow for ReferralLine {
    fn from_row(r: &Row) -> Result<Self, sqlx::Error> {
        Ok(ReferralLine {
            code: r.get(0)?,
            issued_at: r.get(1)?,
            cohort: r.get(2)?,
            state: r.get(3)?,
            expires_at: r.get(4)?,
            staff_order: r.get(5)?,
            staff_reason: r.get(6)?,
            extension_reason: r.get(7)?,
            place: place(r, 8)?,
        })
    }
}

/// The filter as SQL on `k` (the kindergarten) and the line's time column `at`, and its values.
fn condition(f: &ProtocolFilter, at: &str) -> (String, Vec<Val<'static>>) {
    let mut sql = String::from("TRUE");
    let mut args: Vec<Val<'static>> = Vec::new();
    let mut arg = |sql: &mut String, text: String, v: Val<'static>| {
        args.push(v);
        sql.push_str(&text.replace('?', &format!("${}", args.len())));
    };
    if let Some(d) = f.district {
        arg(&mut sql, " AND k.district = ?".into(), d.code().into());
    }
    if let Some(n) = f.kindergarten {
        arg(&mut sql, " AND k.number = ?".into(), n.into());
    }
    if let Some(day) = f.day {
        let from = start_of_day_ms(day);
        arg(&mut sql, format!(" AND {at} >= ?"), from.into());
        arg(&mut sql, format!(" AND {at} < ?"), (from + DAY_MS).into());
    }
    (sql, args)
}

impl Db {
    /// One page of the seat postings matching `f`, newest first.
    pub async fn seat_protocol(&self, f: &ProtocolFilter) -> StoreResult<Protocol<PostingLine>> {
        let (cond, args) = condition(f, "p.at");
        let (columns, from) = POSTINGS;
        let lines = format!(
            "SELECT {columns} {from} WHERE {cond} \
             ORDER BY p.id DESC LIMIT {} OFFSET {}",
            ProtocolFilter::PAGE_SIZE,
            i64::from(f.page) * i64::from(ProtocolFilter::PAGE_SIZE)
        );
        let count = format!("SELECT COUNT(*) {from} WHERE {cond}");
        let page = f.page;
        read_tx!(self, |c| async {
            let lines: Vec<PostingLine> = c.all(&lines, &args).await?;
            let total: i64 = c.scalar(&count, &args).await?;
            Ok(Protocol { lines, total, page })
        })
    }

    /// One page of the referrals issued matching `f`, newest first.
    pub async fn referral_protocol(
        &self,
        f: &ProtocolFilter,
    ) -> StoreResult<Protocol<ReferralLine>> {
        let (cond, args) = condition(f, "r.issued_at");
        let (columns, from) = REFERRALS;
        let lines = format!(
            "SELECT {columns} {from} WHERE {cond} \
             ORDER BY r.id DESC LIMIT {} OFFSET {}",
            ProtocolFilter::PAGE_SIZE,
            i64::from(f.page) * i64::from(ProtocolFilter::PAGE_SIZE)
        );
        let count = format!("SELECT COUNT(*) {from} WHERE {cond}");
        let page = f.page;
        read_tx!(self, |c| async {
            let lines: Vec<ReferralLine> = c.all(&lines, &args).await?;
            let total: i64 = c.scalar(&count, &args).await?;
            Ok(Protocol { lines, total, page })
        })
    }
}
