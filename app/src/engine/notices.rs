//! Notifications no change announces, queued by the background jobs: the reminder one working
//! day before a referral's deadline, and the weekly summary of the child's place for parents
//! who asked for it. Both go into the outbox like every other notification; neither is a
//! public event (nothing in the queue changed).

use super::error::EngineResult;
use super::events::{notification, OUTBOX_INSERT};
use super::rows::referrals_where;
use super::rules::almaty_date;
use super::{positions, Ctx};
use crate::clock::ALMATY;
use crate::store::sql::Sql;
use serde_json::json;
use std::collections::BTreeSet;
use time::{OffsetDateTime, Weekday};

/// Hours (Almaty) at which the jobs may write to parents: not at night.
const POLITE_HOURS: std::ops::Range<u8> = 9..21;
/// Summaries queued in one run at most; the next run goes on.
const SUMMARY_BATCH: i64 = 500;
const WEEK_MS: i64 = 7 * 24 * 3_600_000;

fn local(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(ALMATY)
}

/// Queues the reminder of each active referral whose deadline falls on the next working day
/// (or sooner), once, during polite hours. An extension clears the mark, so the new deadline
/// is reminded too.
pub async fn remind(c: &mut dyn Sql, ctx: &Ctx) -> EngineResult<u32> {
    if !POLITE_HOURS.contains(&local(ctx.now).hour()) {
        return Ok(0);
    }
    let next = ctx.calendar.add_working_days(ctx.today(), 1);
    let due = referrals_where(
        c,
        "r.state = 'active' AND r.reminded_at IS NULL AND r.expires_at > $1 \
         AND r.expires_at <= $2 ORDER BY r.id",
        &[ctx.now.into(), (ctx.now + 2 * WEEK_MS).into()],
    )
    .await?;
    let mut n = 0;
    for r in due {
        // The deadline is the end of its day's working hours: the day it falls on.
        if almaty_date(r.expires_at - 1) > next {
            continue;
        }
        let marked = c
            .exec(
                "UPDATE referrals SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL",
                &[r.id.into(), ctx.now.into()],
            )
            .await?;
        if marked == 1 {
            let params = json!({ "code": r.code, "kindergarten_id": r.kindergarten_id,
                "expires_at": r.expires_at })
            .to_string();
            c.exec(
                OUTBOX_INSERT,
                &notification(ctx.now, r.app.id, "referral_reminder", &params),
            )
            .await?;
            n += 1;
        }
    }
    Ok(n)
}

/// On Mondays from 10:00 (Almaty), queues the weekly summary for each waiting child whose
/// parent asked for one and who had none in the last six days: the place, the place a week
/// ago (as the last summary said), and why it moved.
pub async fn summarise(c: &mut dyn Sql, ctx: &Ctx) -> EngineResult<u32> {
    let t = local(ctx.now);
    if t.weekday() != Weekday::Monday || t.hour() < 10 || !POLITE_HOURS.contains(&t.hour()) {
        return Ok(0);
    }
    let since = ctx.now - WEEK_MS + 24 * 3_600_000;
    let due: Vec<(i64, String)> = c
        .all(
            "SELECT a.id, a.public_no FROM applications a WHERE a.weekly_summary = 1 \
             AND a.status = 'waiting' AND NOT EXISTS (SELECT 1 FROM outbox o \
             WHERE o.application_id = a.id AND o.template = 'weekly_position' AND o.created_at > $1) \
             ORDER BY a.id LIMIT $2",
            &[since.into(), SUMMARY_BATCH.into()],
        )
        .await?;
    let mut n = 0;
    for (id, public_no) in due {
        let view = positions::view(c, ctx, &public_no).await?;
        let Some(position) = view.position else {
            continue;
        };
        let last: Option<(String,)> = c
            .first(
                "SELECT params FROM outbox WHERE application_id = $1 \
                 AND template = 'weekly_position' ORDER BY id DESC LIMIT 1",
                &[id.into()],
            )
            .await?;
        let was = last
            .and_then(|(p,)| serde_json::from_str::<serde_json::Value>(&p).ok())
            .and_then(|p| p.get("position").and_then(|v| v.as_i64()));
        let reasons: BTreeSet<String> = view
            .history
            .iter()
            .filter(|h| h.at > ctx.now - WEEK_MS)
            .flat_map(|h| h.reasons.iter().map(|r| r.change.clone()))
            .collect();
        let params = json!({ "position": position, "was": was, "reasons": reasons }).to_string();
        c.exec(
            OUTBOX_INSERT,
            &notification(ctx.now, id, "weekly_position", &params),
        )
        .await?;
        n += 1;
    }
    Ok(n)
}
