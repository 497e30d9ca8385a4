//! Seats: a head posts the free seats of an age group (public, logged, invitations follow at
//! once), and a claim takes one with a guarded update that never goes below zero.

use super::error::{refused, EngineResult};
use super::{events, invitations, Ctx};
use crate::error::{AppError, Conflict, Invalid};
use crate::store::sql::{Sql, Val};
use serde_json::json;

/// Sets the free seats of one age group; `by` is `head` or `admin`. Returns how many children
/// were invited. From a head's tablet, `seen` is the number it showed and the key names this
/// one change: a change made on top of a different number is refused (another tablet changed it
/// meanwhile: nothing is overwritten unseen), and the same change sent again (its key already
/// posted: a retry after a lost answer) changes nothing.
pub async fn post(
    c: &mut dyn Sql,
    ctx: &Ctx,
    by: &str,
    (kindergarten_id, cohort): (i64, i32),
    free: i64,
    seen: Option<(i64, &str)>,
) -> EngineResult<u32> {
    if ctx.rules.posting_paused(ctx.today()) {
        return Err(Conflict::PostingPaused.into());
    }
    let lock = c.for_update();
    let seat: Option<(i64, i64)> = c
        .first(
            &format!(
                "SELECT capacity, free FROM seats WHERE kindergarten_id = $1 AND cohort = $2{lock}"
            ),
            &[kindergarten_id.into(), cohort.into()],
        )
        .await?;
    let Some((capacity, before)) = seat else {
        return Err(refused(AppError::NotFound));
    };
    if let Some((seen, key)) = seen {
        let done: bool = c
            .scalar(
                "SELECT EXISTS (SELECT 1 FROM seat_postings WHERE kindergarten_id = $1 \
                 AND cohort = $2 AND request_key = $3)",
                &[kindergarten_id.into(), cohort.into(), key.into()],
            )
            .await?;
        if done {
            return Ok(0);
        }
        if before != seen {
            return Err(Conflict::Changed.into());
        }
    }
    let held: i64 = c
        .scalar(
            "SELECT COUNT(*) FROM referrals WHERE kindergarten_id = $1 AND cohort = $2 \
             AND state = 'active'",
            &[kindergarten_id.into(), cohort.into()],
        )
        .await?;
    if free < 0 || free > capacity - held {
        return Err(refused(AppError::Validation(Invalid::SeatCount)));
    }
    c.exec(
        "UPDATE seats SET free = $3 WHERE kindergarten_id = $1 AND cohort = $2",
        &[kindergarten_id.into(), cohort.into(), free.into()],
    )
    .await?;
    let key = seen.map(|(_, key)| key);
    posted(c, ctx, (kindergarten_id, cohort), (before, free), (by, key)).await?;
    invitations::fill(c, ctx, cohort).await
}

/// Records a change of an age group's free seats, `before` to `after`, in the public protocol of
/// vacant places and the log: `by` is `head`, `admin`, `move-up` or `registry`; `key` names a
/// tablet's change.
pub async fn posted(
    c: &mut dyn Sql,
    ctx: &Ctx,
    (kindergarten_id, cohort): (i64, i32),
    (before, after): (i64, i64),
    (by, key): (&str, Option<&str>),
) -> EngineResult<()> {
    c.exec(
        "INSERT INTO seat_postings (at, kindergarten_id, cohort, free_before, free_after, \
         request_key) VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            ctx.now.into(),
            kindergarten_id.into(),
            cohort.into(),
            before.into(),
            after.into(),
            key.map_or(Val::NullText, Val::from),
        ],
    )
    .await?;
    events::append(
        c,
        ctx.now,
        "seats.posted",
        json!({
            "kindergarten_id": kindergarten_id,
            "cohort": cohort,
            "free_before": before,
            "free_after": after,
            "by": by,
        }),
    )
    .await?;
    Ok(())
}

/// Takes one seat of (kindergarten, cohort) if one is free. Never below zero: the update
/// itself is guarded, so two claimers can never both take the last seat.
pub async fn take(c: &mut dyn Sql, kindergarten_id: i64, cohort: i32) -> EngineResult<bool> {
    let n = c
        .exec(
            "UPDATE seats SET free = free - 1 WHERE kindergarten_id = $1 AND cohort = $2 \
             AND free > 0 AND EXISTS (SELECT 1 FROM kindergartens k WHERE k.id = $1 AND k.in_queue)",
            &[kindergarten_id.into(), cohort.into()],
        )
        .await?;
    Ok(n == 1)
}

/// Gives a seat back (a referral ended unused).
pub async fn give_back(c: &mut dyn Sql, kindergarten_id: i64, cohort: i32) -> EngineResult<()> {
    c.exec(
        "UPDATE seats SET free = free + 1 WHERE kindergarten_id = $1 AND cohort = $2 \
         AND free < capacity",
        &[kindergarten_id.into(), cohort.into()],
    )
    .await?;
    Ok(())
}
