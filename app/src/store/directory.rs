//! What the public pages read (the directory, a kindergarten, the city's figures), written once
//! for both databases against [`Sql`].

use super::sql::{Col, FromRow, Row, Sql, Val};
use super::{read_tx, Db, StoreError, StoreResult};
use crate::domain::{
    CitySummary, Cohort, DirectoryFilter, DirectoryPage, District, GroupSeats, KindergartenCard,
    KindergartenDetail, KindergartenKind, LanguageSet,
};

/// The columns every kindergarten query selects, in this order.
const CARD_COLUMNS: &str = "k.id, k.number, k.name_kk, k.name_ru, k.district, \
    k.address_kk, k.address_ru, k.lat, k.lon, k.languages, k.kind, k.in_queue, \
    CAST(COALESCE((SELECT SUM(s.capacity) FROM seats s WHERE s.kindergarten_id = k.id), 0) AS BIGINT) AS capacity, \
    CAST(COALESCE((SELECT SUM(s.free) FROM seats s WHERE s.kindergarten_id = k.id), 0) AS BIGINT) AS free_seats";

impl FromRow for KindergartenCard {
    fn from_row(r: &Row) -> Result<Self, sqlx::Error> {
        let bad = |what: &str, v: &str| {
            sqlx::Error::Decode(format!("unknown {what} {v:?} in kindergartens").into())
        };
        let district: String = r.get(4)?;
        let kind: String = r.get(10)?;
        Ok(KindergartenCard {
            id: r.get(0)?,
            number: r.get(1)?,
            name_kk: r.get(2)?,
            name_ru: r.get(3)?,
            district: District::from_code(&district).ok_or_else(|| bad("district", &district))?,
            address_kk: r.get(5)?,
            address_ru: r.get(6)?,
            lat: r.get(7)?,
            lon: r.get(8)?,
            languages: LanguageSet::from_bits(r.get::<i32>(9)? as u8),
            kind: KindergartenKind::from_code(&kind).ok_or_else(|| bad("kind", &kind))?,
            in_queue: r.get(11)?,
            capacity: r.get(12)?,
            free_seats: r.get(13)?,
        })
    }
}

impl Col for Cohort {
    fn col(r: &Row, i: usize) -> Result<Self, sqlx::Error> {
        r.int32(i).map(Cohort)
    }
}

/// `%text%` for LIKE, with the LIKE wildcards escaped by `\`.
fn like_pattern(text: &str) -> String {
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
pub(crate) fn search_text(number: i32, name_kk: &str, name_ru: &str) -> String {
    crate::domain::kindergarten::normalise_search(&format!("{number} {name_kk} {name_ru}"))
}

/// The `WHERE` clause of a directory filter and its arguments (`$1`...).
fn directory_where(f: &DirectoryFilter) -> (String, Vec<Val<'static>>) {
    let mut sql = String::from(" FROM kindergartens k WHERE 1 = 1");
    let mut args: Vec<Val<'static>> = Vec::new();
    if !f.text.is_empty() {
        args.push(like_pattern(&f.text).into());
        sql += &format!(" AND k.search_text LIKE ${} ESCAPE '\\'", args.len());
    }
    if let Some(d) = f.district {
        args.push(d.code().into());
        sql += &format!(" AND k.district = ${}", args.len());
    }
    if let Some(l) = f.language {
        args.push(i32::from(l.bit()).into());
        sql += &format!(" AND (k.languages & ${}) != 0", args.len());
    }
    if f.free_only {
        sql += " AND k.in_queue AND EXISTS (SELECT 1 FROM seats s \
                WHERE s.kindergarten_id = k.id AND s.free > 0)";
    }
    (sql, args)
}

async fn directory_page(c: &mut dyn Sql, f: &DirectoryFilter) -> StoreResult<DirectoryPage> {
    let (filter, mut args) = directory_where(f);
    let total: i64 = c.scalar(&format!("SELECT COUNT(*){filter}"), &args).await?;
    let size = i64::from(DirectoryFilter::PAGE_SIZE);
    args.push(size.into());
    args.push((i64::from(f.page) * size).into());
    let n = args.len();
    let items = c
        .all::<KindergartenCard>(
            &format!(
                "SELECT {CARD_COLUMNS}{filter} ORDER BY k.in_queue DESC, k.number \
                 LIMIT ${} OFFSET ${n}",
                n - 1
            ),
            &args,
        )
        .await?;
    Ok(DirectoryPage {
        items,
        total,
        page: f.page,
        page_size: DirectoryFilter::PAGE_SIZE,
    })
}

async fn kindergarten_detail(c: &mut dyn Sql, id: i64) -> StoreResult<Option<KindergartenDetail>> {
    let card = c
        .first::<KindergartenCard>(
            &format!("SELECT {CARD_COLUMNS} FROM kindergartens k WHERE k.id = $1"),
            &[id.into()],
        )
        .await?;
    let Some(card) = card else { return Ok(None) };
    let groups = c
        .all::<(Cohort, i64, i64)>(
            "SELECT cohort, capacity, free FROM seats WHERE kindergarten_id = $1 \
             AND capacity > 0 ORDER BY cohort DESC",
            &[id.into()],
        )
        .await?
        .into_iter()
        .map(|(cohort, capacity, free)| GroupSeats {
            cohort,
            age_group: None,
            capacity,
            free,
        })
        .collect();
    Ok(Some(KindergartenDetail { card, groups }))
}

async fn summary(c: &mut dyn Sql) -> StoreResult<CitySummary> {
    let (organisations, in_queue, waiting_children, free_seats) = c
        .get::<(i64, i64, i64, i64)>(
            "SELECT (SELECT COUNT(*) FROM kindergartens), \
                    (SELECT COUNT(*) FROM kindergartens WHERE in_queue), \
                    (SELECT COUNT(*) FROM applications WHERE status = 'waiting') + \
                    (SELECT COUNT(*) FROM invitations WHERE state = 'open'), \
                    CAST((SELECT COALESCE(SUM(s.free), 0) FROM seats s \
                       JOIN kindergartens k ON k.id = s.kindergarten_id WHERE k.in_queue) AS BIGINT)",
            &[],
        )
        .await?;
    Ok(CitySummary {
        organisations,
        in_queue,
        waiting_children,
        free_seats,
    })
}

impl Db {
    /// A cheap round trip, for `/healthz`.
    pub async fn ping(&self) -> StoreResult<()> {
        read_tx!(self, |c| async {
            c.scalar::<i64>("SELECT 1", &[]).await?;
            Ok::<(), StoreError>(())
        })
    }

    /// Whether no kindergarten has been loaded yet.
    pub async fn is_empty(&self) -> StoreResult<bool> {
        read_tx!(self, |c| async {
            let any: bool = c
                .scalar("SELECT EXISTS (SELECT 1 FROM kindergartens)", &[])
                .await?;
            Ok::<bool, StoreError>(!any)
        })
    }

    /// One page of the public directory.
    pub async fn directory(&self, filter: &DirectoryFilter) -> StoreResult<DirectoryPage> {
        read_tx!(self, |c| directory_page(c, filter))
    }

    /// A kindergarten with its age groups, or `None`.
    pub async fn kindergarten(&self, id: i64) -> StoreResult<Option<KindergartenDetail>> {
        read_tx!(self, |c| kindergarten_detail(c, id))
    }

    /// Figures for public pages.
    pub async fn city_summary(&self) -> StoreResult<CitySummary> {
        read_tx!(self, |c| summary(c))
    }

    /// The birth-year cohorts of waiting children with their counts, oldest first.
    pub async fn waiting_by_cohort(&self) -> StoreResult<Vec<(Cohort, i64)>> {
        read_tx!(self, |c| async {
            Ok::<_, StoreError>(
                c.all::<(Cohort, i64)>(
                    "SELECT cohort, COUNT(*) FROM applications WHERE status = 'waiting' \
                     GROUP BY cohort ORDER BY cohort",
                    &[],
                )
                .await?,
            )
        })
    }
}
