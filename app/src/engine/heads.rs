//! What a head's tablet reads: its kindergarten's age groups and latest postings.

use super::error::EngineResult;
use super::{parents, Ctx};
use crate::domain::queue::{HeadDesk, HeadGroup, Posting};
use crate::store::sql::Sql;

/// The latest postings shown.
const HISTORY: i64 = 30;

pub async fn desk(c: &mut dyn Sql, ctx: &Ctx, kindergarten_id: i64) -> EngineResult<HeadDesk> {
    let place = parents::place(c, kindergarten_id).await?;
    let groups: Vec<(i32, i64, i64, i64)> = c
        .all(
            "SELECT s.cohort, s.capacity, s.free, \
             (SELECT COUNT(*) FROM referrals r WHERE r.kindergarten_id = s.kindergarten_id \
              AND r.cohort = s.cohort AND r.state = 'active') \
             FROM seats s WHERE s.kindergarten_id = $1 ORDER BY s.cohort",
            &[kindergarten_id.into()],
        )
        .await?;
    let history: Vec<(i64, i32, i64, i64)> = c
        .all(
            "SELECT at, cohort, free_before, free_after FROM seat_postings \
             WHERE kindergarten_id = $1 ORDER BY id DESC LIMIT $2",
            &[kindergarten_id.into(), HISTORY.into()],
        )
        .await?;
    Ok(HeadDesk {
        kindergarten_id,
        place,
        groups: groups
            .into_iter()
            .map(|(cohort, capacity, free, pending)| HeadGroup {
                cohort,
                capacity,
                free,
                pending,
            })
            .collect(),
        history: history
            .into_iter()
            .map(|(at, cohort, before, after)| Posting {
                at,
                cohort,
                before,
                after,
            })
            .collect(),
        paused: ctx.rules.posting_paused(ctx.today()),
        today: ctx.today().to_string(),
    })
}
