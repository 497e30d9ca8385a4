//! Birth-year groups move up in August (issue 15, point 10). Seats are kept per birth-year
//! cohort, so a group moving up (the nursery group becoming the junior group, and so on) keeps
//! its row, its capacity and its free seats: the cohort's age group follows from the date. What
//! the move changes is the leaving pre-school group: on the first day of the pause its children
//! go to school, its capacity goes to the kindergarten's youngest group (the group of the cohort
//! after its youngest one: a full kindergarten's new nursery group), and the day after the pause
//! those seats are freed and posted, so that invitations follow in September.

use super::error::EngineResult;
use super::jobs::years_due;
use super::Ctx;
use super::{events, seats};
use crate::domain::AgeGroup;
use crate::store::sql::Sql;
use serde_json::json;

/// The job's mark: the school year whose groups moved last.
const MARK: &str = "groups_moved";

/// Moves the groups up once a year, on the first run of the jobs in the August pause. Returns
/// how many kindergartens had a group leaving.
pub async fn move_up(c: &mut dyn Sql, ctx: &Ctx) -> EngineResult<u32> {
    let year = ctx.rules.move_year(ctx.today());
    let mut moved = 0;
    for y in years_due(c, MARK, year).await? {
        moved += move_year(c, ctx, y).await?;
    }
    Ok(moved)
}

/// The move into school year `year` (the one starting in September of `year`).
async fn move_year(c: &mut dyn Sql, ctx: &Ctx, year: i32) -> EngineResult<u32> {
    // The cohorts past the pre-school group in that school year go to school.
    let leaving = year - AgeGroup::Preschool.age() - 1;
    let kindergartens: Vec<(i64, i64, i32)> = c
        .all(
            "SELECT kindergarten_id, \
             CAST(SUM(CASE WHEN cohort <= $1 THEN capacity ELSE 0 END) AS BIGINT), MAX(cohort) \
             FROM seats WHERE capacity > 0 GROUP BY kindergarten_id \
             HAVING SUM(CASE WHEN cohort <= $1 THEN capacity ELSE 0 END) > 0 \
             ORDER BY kindergarten_id",
            &[leaving.into()],
        )
        .await?;
    let mut moves = Vec::with_capacity(kindergartens.len());
    for (kindergarten, seats, youngest) in &kindergartens {
        // The youngest group's age is the one nobody fills after the move: the new cohort of
        // that age takes the leaving group's seats (never younger than the nursery group).
        let cohort = (*youngest + 1).min(year - AgeGroup::Nursery.age());
        c.exec(
            "UPDATE seats SET capacity = 0, free = 0 WHERE kindergarten_id = $1 AND cohort <= $2",
            &[(*kindergarten).into(), leaving.into()],
        )
        .await?;
        c.exec(
            "INSERT INTO seats (kindergarten_id, cohort, capacity, free) VALUES ($1, $2, $3, 0) \
             ON CONFLICT (kindergarten_id, cohort) DO UPDATE \
             SET capacity = seats.capacity + excluded.capacity",
            &[(*kindergarten).into(), cohort.into(), (*seats).into()],
        )
        .await?;
        c.exec(
            "INSERT INTO group_moves (school_year, kindergarten_id, cohort, seats) \
             VALUES ($1, $2, $3, $4)",
            &[
                year.into(),
                (*kindergarten).into(),
                cohort.into(),
                (*seats).into(),
            ],
        )
        .await?;
        moves.push(json!({ "kindergarten_id": kindergarten, "cohort": cohort, "seats": seats }));
    }
    let seats: i64 = kindergartens.iter().map(|k| k.1).sum();
    events::append(
        c,
        ctx.now,
        "groups.moved_up",
        json!({ "school_year": year, "leaving": leaving, "kindergartens": moves.len(),
                "seats": seats, "moves": moves }),
    )
    .await?;
    Ok(kindergartens.len() as u32)
}

/// After the pause, frees the seats moved in August: each is posted (public, in the protocol of
/// vacant places) and invitations follow. Returns how many kindergartens' seats were freed.
pub async fn free(c: &mut dyn Sql, ctx: &Ctx) -> EngineResult<u32> {
    if ctx.rules.posting_paused(ctx.today()) {
        return Ok(0);
    }
    let moves: Vec<(i32, i64, i32, i64)> = c
        .all(
            "SELECT school_year, kindergarten_id, cohort, seats FROM group_moves \
             WHERE NOT freed ORDER BY school_year, kindergarten_id",
            &[],
        )
        .await?;
    let lock = c.for_update();
    for (year, kindergarten, cohort, seats) in &moves {
        let (capacity, before): (i64, i64) = c
            .first(
                &format!(
                    "SELECT capacity, free FROM seats WHERE kindergarten_id = $1 \
                     AND cohort = $2{lock}"
                ),
                &[(*kindergarten).into(), (*cohort).into()],
            )
            .await?
            .unwrap_or((0, 0));
        let held: i64 = c
            .scalar(
                "SELECT COUNT(*) FROM referrals WHERE kindergarten_id = $1 AND cohort = $2 \
                 AND state = 'active'",
                &[(*kindergarten).into(), (*cohort).into()],
            )
            .await?;
        let after = (before + seats).min(capacity - held).max(before);
        c.exec(
            "UPDATE group_moves SET freed = TRUE WHERE school_year = $1 AND kindergarten_id = $2",
            &[(*year).into(), (*kindergarten).into()],
        )
        .await?;
        if after == before {
            continue;
        }
        c.exec(
            "UPDATE seats SET free = $3 WHERE kindergarten_id = $1 AND cohort = $2",
            &[(*kindergarten).into(), (*cohort).into(), after.into()],
        )
        .await?;
        seats::posted(
            c,
            ctx,
            (*kindergarten, *cohort),
            (before, after),
            ("move-up", None),
        )
        .await?;
    }
    Ok(moves.len() as u32)
}
