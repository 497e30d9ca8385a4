//! The background jobs every server runs: lapse invitations and expire referrals whose time has
//! passed (their seats go to the next children), then fill every cohort's free seats, then
//! queue the reminders and weekly summaries that are due (`notices`).
//!
//! Several servers may run them at once on one PostgreSQL: one at a time holds the jobs' lock
//! (a transaction-level advisory lock; the others skip that run), and every state change is
//! guarded by the state it leaves, so nothing is lapsed, expired or announced twice.

use super::error::{EngineError, EngineResult};
use super::events::announce;
use super::positions::queue_change;
use super::rows::{referrals_where, AppRow, APP_COLUMNS};
use super::rules::add_days_ms;
use super::{groups, invitations, notices, positions, privileges, referrals, Ctx};
use crate::error::{AppError, Conflict};
use crate::store::sql::{Backend, Sql};
use serde_json::json;

/// What one run of the background jobs did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    pub lapsed_invitations: u32,
    pub expired_referrals: u32,
    pub invited: u32,
    /// Referral reminders and weekly summaries queued for the parents.
    pub reminders: u32,
    pub summaries: u32,
    /// Privileges dropped by the yearly re-check.
    pub privileges_dropped: u32,
    /// Kindergartens whose age groups moved up (August), and whose leaving groups' seats were
    /// freed (after the pause).
    pub groups_moved: u32,
    pub groups_freed: u32,
}

/// Advisory lock keys of the jobs (PostgreSQL).
const TICK_LOCK: i64 = 0x6b65_7a65_6b01;
const POSITIONS_LOCK: i64 = 0x6b65_7a65_6b02;

/// Whether this transaction may run the job `key`: always on SQLite (one writer), on
/// PostgreSQL when no other server's transaction holds the job's lock.
async fn job_lock(c: &mut dyn Sql, key: i64) -> EngineResult<bool> {
    if c.backend() != Backend::Postgres {
        return Ok(true);
    }
    Ok(
        c.scalar("SELECT pg_try_advisory_xact_lock($1)", &[key.into()])
            .await?,
    )
}

/// A refusal that means another run got there first.
fn already_done(e: &EngineError) -> bool {
    matches!(
        e,
        EngineError::Refused(AppError::Conflict(
            Conflict::ReferralNotActive | Conflict::Changed
        ))
    )
}

pub async fn tick(c: &mut dyn Sql, ctx: &Ctx) -> EngineResult<TickReport> {
    let mut report = TickReport::default();
    if !job_lock(c, TICK_LOCK).await? {
        return Ok(report);
    }
    let lapsed = c
        .all::<AppRow>(
            &format!(
                "SELECT {APP_COLUMNS} FROM invitations i JOIN applications a \
                 ON a.id = i.application_id WHERE i.state = 'open' AND i.expires_at <= $1 \
                 ORDER BY i.id"
            ),
            &[ctx.now.into()],
        )
        .await?;
    for a in &lapsed {
        if !invitations::close(c, ctx, a.id, "lapsed").await? {
            continue;
        }
        let stop_until = add_days_ms(ctx.now, ctx.rules.stop_days);
        c.exec(
            "UPDATE applications SET status = 'waiting', stop_until = $2 \
             WHERE id = $1 AND status = 'invited'",
            &[a.id.into(), stop_until.into()],
        )
        .await?;
        queue_change(c, ctx.now, a, "returned").await?;
        announce(
            c,
            ctx.now,
            a.id,
            (
                "invitation.lapsed",
                json!({ "public_no": a.public_no, "cohort": a.cohort, "stop_until": stop_until }),
            ),
            (
                "invitation_lapsed",
                json!({ "public_no": a.public_no, "stop_until": stop_until }),
            ),
        )
        .await?;
        report.lapsed_invitations += 1;
    }
    let expired = referrals_where(
        c,
        "r.state = 'active' AND r.expires_at <= $1 ORDER BY r.id",
        &[ctx.now.into()],
    )
    .await?;
    for r in &expired {
        match referrals::release(c, ctx, r, "expired").await {
            Ok(()) => report.expired_referrals += 1,
            Err(e) if already_done(&e) => {}
            Err(e) => return Err(e),
        }
    }
    // The yearly steps come before the invitations, which then follow them.
    report.privileges_dropped = privileges::recheck(c, ctx).await?;
    report.groups_moved = groups::move_up(c, ctx).await?;
    report.groups_freed = groups::free(c, ctx).await?;
    let cohorts: Vec<(i32,)> = c
        .all(
            "SELECT DISTINCT s.cohort FROM seats s JOIN kindergartens k \
             ON k.id = s.kindergarten_id WHERE s.free > 0 AND k.in_queue ORDER BY s.cohort",
            &[],
        )
        .await?;
    for (cohort,) in cohorts {
        report.invited += invitations::fill(c, ctx, cohort).await?;
    }
    report.reminders = notices::remind(c, ctx).await?;
    report.summaries = notices::summarise(c, ctx).await?;
    Ok(report)
}

/// The years for which the yearly step `name` is still to do, up to `year` (then marked done:
/// the caller does them in the same transaction; several only after a server was off for
/// years). The first time ever, none: the step is marked done for `year` without doing it, as
/// Kezek started after it was due.
pub async fn years_due(
    c: &mut dyn Sql,
    name: &str,
    year: i32,
) -> EngineResult<std::ops::RangeInclusive<i32>> {
    let done: Option<(i64,)> = c
        .first(
            "SELECT value FROM job_marks WHERE name = $1",
            &[name.into()],
        )
        .await?;
    let from = match done {
        Some((y,)) if y >= i64::from(year) => return Ok(year + 1..=year),
        Some((y,)) => y as i32 + 1,
        None => year + 1,
    };
    c.exec(
        "INSERT INTO job_marks (name, value) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        &[name.into(), i64::from(year).into()],
    )
    .await?;
    Ok(from..=year)
}

/// Records every position that changed since the last run (one server at a time).
pub async fn record_positions(c: &mut dyn Sql, ctx: &Ctx) -> EngineResult<u64> {
    if !job_lock(c, POSITIONS_LOCK).await? {
        return Ok(0);
    }
    positions::record(c, ctx).await
}
