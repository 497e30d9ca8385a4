//! The kindergarten registry (issue 15, point 6): the department creates and edits
//! kindergartens (names, address and point on the map, district, languages, kind, in or out of
//! the unified queue, the capacity of each age group), each change with its reason. The public
//! log keeps the history: `kindergarten.created` with everything, `kindergarten.changed` with
//! each changed field's value before and after; the kindergarten's page reads it back.

use super::error::EngineResult;
use super::events;
use super::{seats, Acting, Ctx};
use crate::domain::{AgeGroup, Cohort, District, KindergartenKind, LanguageSet};
use crate::store::sql::{FromRow, Row, Sql};
use serde_json::{json, Map, Value};
use time::{Date, Month};

/// A kindergarten as the department enters it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
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
    /// The capacity of each age group (nursery first) in the school year of [`groups_day`].
    pub capacities: [i64; 5],
}

/// What is wrong with an entry; nothing is saved while there is any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The number is not 1 to 99999.
    Number,
    /// Another kindergarten has this number.
    NumberTaken,
    /// A name is empty or longer than 200 characters.
    Name,
    Address,
    /// The point is not in Almaty.
    Point,
    /// No language of groups.
    Languages,
    /// Only a general state kindergarten takes children from the queue.
    QueueKind,
    /// A capacity is below zero or above 1,000.
    Capacity,
    /// A group's capacity is below its referrals not yet used.
    BelowPending(AgeGroup),
    /// No reason given for the change.
    Reason,
}

/// The bounds of the city on the map (latitude, longitude).
const CITY: ((f64, f64), (f64, f64)) = ((43.0, 76.6), (43.5, 77.2));

impl Entry {
    /// What is wrong with it, as far as can be told without the database.
    pub fn problems(&self) -> Vec<Problem> {
        let mut p = Vec::new();
        let text = |s: &str| !s.trim().is_empty() && s.chars().count() <= 200;
        if !(1..=99_999).contains(&self.number) {
            p.push(Problem::Number);
        }
        if !text(&self.name_kk) || !text(&self.name_ru) {
            p.push(Problem::Name);
        }
        if !text(&self.address_kk) || !text(&self.address_ru) {
            p.push(Problem::Address);
        }
        let ((south, west), (north, east)) = CITY;
        if !(south..=north).contains(&self.lat) || !(west..=east).contains(&self.lon) {
            p.push(Problem::Point);
        }
        if self.languages.bits() == 0 || self.languages.bits() > 7 {
            p.push(Problem::Languages);
        }
        if self.in_queue && self.kind != KindergartenKind::General {
            p.push(Problem::QueueKind);
        }
        if self.capacities.iter().any(|c| !(0..=1000).contains(c)) {
            p.push(Problem::Capacity);
        }
        p
    }
}

/// The day whose school year the registry's age groups are of: once the groups have moved up in
/// August, the coming one.
pub fn groups_day(ctx: &Ctx) -> Date {
    let year = ctx.rules.move_year(ctx.today());
    Date::from_calendar_date(year, Month::September, 1).expect("1 September")
}

/// The cohort of each age group, nursery first.
fn cohorts(day: Date) -> [i32; 5] {
    AgeGroup::ALL.map(|g| Cohort::in_group(g, day).0)
}

const COLUMNS: &str = "id, number, name_kk, name_ru, district, address_kk, address_ru, lat, lon, \
     languages, kind, in_queue";

impl FromRow for (i64, Entry) {
    fn from_row(r: &Row) -> Result<Self, sqlx::Error> {
        let district: String = r.get(4)?;
        let kind: String = r.get(10)?;
        let languages: i32 = r.get(9)?;
        Ok((
            r.get(0)?,
            Entry {
                number: r.get(1)?,
                name_kk: r.get(2)?,
                name_ru: r.get(3)?,
                district: District::from_code(&district)
                    .ok_or_else(|| sqlx::Error::Decode("unknown district".into()))?,
                address_kk: r.get(5)?,
                address_ru: r.get(6)?,
                lat: r.get(7)?,
                lon: r.get(8)?,
                languages: LanguageSet::from_bits(languages as u8),
                kind: KindergartenKind::from_code(&kind)
                    .ok_or_else(|| sqlx::Error::Decode("unknown kind".into()))?,
                in_queue: r.get(11)?,
                capacities: [0; 5],
            },
        ))
    }
}

/// The kindergarten numbered `number` with its id, as the form shows it.
pub async fn entry(c: &mut dyn Sql, ctx: &Ctx, number: i32) -> EngineResult<Option<(i64, Entry)>> {
    load(c, ctx, ("number", i64::from(number)), "").await
}

/// The kindergarten whose `column` (`id` or `number`) is `value`, with its id and the capacity
/// of each age group; `lock` is appended to its query.
async fn load(
    c: &mut dyn Sql,
    ctx: &Ctx,
    (column, value): (&str, i64),
    lock: &str,
) -> EngineResult<Option<(i64, Entry)>> {
    let found: Option<(i64, Entry)> = c
        .first(
            &format!("SELECT {COLUMNS} FROM kindergartens WHERE {column} = $1{lock}"),
            &[value.into()],
        )
        .await?;
    let Some((id, mut e)) = found else {
        return Ok(None);
    };
    let groups: Vec<(i32, i64)> = c
        .all(
            "SELECT cohort, capacity FROM seats WHERE kindergarten_id = $1",
            &[id.into()],
        )
        .await?;
    for (i, cohort) in cohorts(groups_day(ctx)).into_iter().enumerate() {
        e.capacities[i] = groups.iter().find(|g| g.0 == cohort).map_or(0, |g| g.1);
    }
    Ok(Some((id, e)))
}

/// The entry's fields as the log writes them.
fn fields(e: &Entry, day: Date) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("name_kk".into(), json!(e.name_kk.trim()));
    m.insert("name_ru".into(), json!(e.name_ru.trim()));
    m.insert("district".into(), json!(e.district.code()));
    m.insert("address_kk".into(), json!(e.address_kk.trim()));
    m.insert("address_ru".into(), json!(e.address_ru.trim()));
    m.insert("lat".into(), json!(e.lat));
    m.insert("lon".into(), json!(e.lon));
    let languages: Vec<&str> = e.languages.iter().map(|l| l.code()).collect();
    m.insert("languages".into(), json!(languages));
    m.insert("kind".into(), json!(e.kind.code()));
    m.insert("in_queue".into(), json!(e.in_queue));
    for (cohort, capacity) in cohorts(day).into_iter().zip(e.capacities) {
        m.insert(format!("capacity_{cohort}"), json!(capacity));
    }
    m
}

/// Creates (`id` `None`) or changes a kindergarten. Returns its id, or what is wrong (then
/// nothing changed). A change that changes nothing writes nothing.
pub async fn save(
    c: &mut dyn Sql,
    ctx: &Ctx,
    acting: Acting<'_>,
    id: Option<i64>,
    e: &Entry,
) -> EngineResult<Result<i64, Vec<Problem>>> {
    let mut problems = e.problems();
    if acting.reasoned().is_err() {
        problems.push(Problem::Reason);
    }
    let day = groups_day(ctx);
    let lock = c.for_update();
    let before = match id {
        Some(id) => match load(c, ctx, ("id", id), lock).await? {
            Some((_, before)) => Some(before),
            None => return Err(super::error::refused(crate::error::AppError::NotFound)),
        },
        None => None,
    };
    let number = before.as_ref().map_or(e.number, |b| b.number);
    let taken: Option<(i64,)> = c
        .first(
            "SELECT id FROM kindergartens WHERE number = $1",
            &[number.into()],
        )
        .await?;
    if taken.is_some_and(|(other,)| Some(other) != id) {
        problems.push(Problem::NumberTaken);
    }
    let id = match id {
        Some(id) => id,
        None => {
            c.scalar::<i64>(
                "SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) FROM kindergartens",
                &[],
            )
            .await?
        }
    };
    for (group, cohort) in AgeGroup::ALL.into_iter().zip(cohorts(day)) {
        let i = group.age() as usize - 1;
        let pending = pending(c, id, cohort).await?;
        if (0..pending).contains(&e.capacities[i]) {
            problems.push(Problem::BelowPending(group));
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let after = fields(e, day);
    let (kind, body) = match &before {
        None => {
            insert(c, id, number, e).await?;
            let mut body = after.clone();
            body.insert("kindergarten_id".into(), json!(id));
            body.insert("number".into(), json!(number));
            ("kindergarten.created", Value::Object(body))
        }
        Some(b) => {
            let was = fields(b, day);
            let changes: Map<String, Value> = after
                .iter()
                .filter(|(k, v)| was.get(*k) != Some(*v))
                .map(|(k, v)| (k.clone(), json!([was.get(k), v])))
                .collect();
            if changes.is_empty() {
                return Ok(Ok(id));
            }
            update(c, id, number, e).await?;
            (
                "kindergarten.changed",
                json!({ "kindergarten_id": id, "number": number, "changes": changes }),
            )
        }
    };
    for (cohort, capacity) in cohorts(day).into_iter().zip(e.capacities) {
        set_capacity(c, ctx, id, cohort, capacity).await?;
    }
    events::append(c, ctx.now, kind, acting.mark(body)).await?;
    Ok(Ok(id))
}

async fn pending(c: &mut dyn Sql, id: i64, cohort: i32) -> EngineResult<i64> {
    Ok(c.scalar(
        "SELECT COUNT(*) FROM referrals WHERE kindergarten_id = $1 AND cohort = $2 \
         AND state = 'active'",
        &[id.into(), cohort.into()],
    )
    .await?)
}

fn truth(b: bool) -> &'static str {
    if b {
        "TRUE"
    } else {
        "FALSE"
    }
}

/// The row's values as both statements take them: `$1` id, `$2` number, then the fields.
fn values(id: i64, number: i32, e: &Entry) -> Vec<crate::store::sql::Val<'_>> {
    let (kk, ru) = (e.name_kk.trim(), e.name_ru.trim());
    vec![
        id.into(),
        number.into(),
        kk.into(),
        ru.into(),
        crate::store::search_text(number, kk, ru).into(),
        e.district.code().into(),
        e.address_kk.trim().into(),
        e.address_ru.trim().into(),
        e.lat.into(),
        e.lon.into(),
        i64::from(e.languages.bits()).into(),
        e.kind.code().into(),
    ]
}

async fn insert(c: &mut dyn Sql, id: i64, number: i32, e: &Entry) -> EngineResult<()> {
    c.exec(
        &format!(
            "INSERT INTO kindergartens (id, number, name_kk, name_ru, search_text, district, \
             address_kk, address_ru, lat, lon, languages, kind, in_queue) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, {})",
            truth(e.in_queue)
        ),
        &values(id, number, e),
    )
    .await?;
    Ok(())
}

/// (The number never changes: it names the row with the id.)
async fn update(c: &mut dyn Sql, id: i64, number: i32, e: &Entry) -> EngineResult<()> {
    c.exec(
        &format!(
            "UPDATE kindergartens SET name_kk = $3, name_ru = $4, search_text = $5, \
             district = $6, address_kk = $7, address_ru = $8, lat = $9, lon = $10, \
             languages = $11, kind = $12, in_queue = {} WHERE id = $1 AND number = $2",
            truth(e.in_queue)
        ),
        &values(id, number, e),
    )
    .await?;
    Ok(())
}

/// Sets a group's capacity. Its free seats stay, unless the new capacity leaves fewer: then
/// they shrink, as a public posting of the registry.
async fn set_capacity(
    c: &mut dyn Sql,
    ctx: &Ctx,
    id: i64,
    cohort: i32,
    capacity: i64,
) -> EngineResult<()> {
    let row: Option<(i64, i64)> = c
        .first(
            &format!(
                "SELECT capacity, free FROM seats WHERE kindergarten_id = $1 AND cohort = $2{}",
                c.for_update()
            ),
            &[id.into(), cohort.into()],
        )
        .await?;
    let Some((was, free)) = row else {
        if capacity > 0 {
            c.exec(
                "INSERT INTO seats (kindergarten_id, cohort, capacity, free) VALUES ($1, $2, $3, 0)",
                &[id.into(), cohort.into(), capacity.into()],
            )
            .await?;
        }
        return Ok(());
    };
    if was == capacity {
        return Ok(());
    }
    let room = capacity - pending(c, id, cohort).await?;
    let after = free.min(room).max(0);
    c.exec(
        "UPDATE seats SET capacity = $3, free = $4 WHERE kindergarten_id = $1 AND cohort = $2",
        &[id.into(), cohort.into(), capacity.into(), after.into()],
    )
    .await?;
    if after != free {
        seats::posted(c, ctx, (id, cohort), (free, after), ("registry", None)).await?;
    }
    Ok(())
}
