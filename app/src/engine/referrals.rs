//! The referral's life after it is issued: the head confirms enrolment or extends it (with a
//! reason), the parent declines it, or it expires; a head's order admits a staff member's
//! child outside queue order (flagged in public).

use super::claims::issue_referral;
use super::error::{refused, EngineResult};
use super::events::announce;
use super::positions::queue_change;
use super::rows::{referral_of_app, set_status, AppRow, RefRow};
use super::rules::{add_days_ms, start_of_day_ms};
use super::{invitations, seats, Ctx};
use crate::domain::queue::{AppStatus, ReferralView};
use crate::error::{AppError, Conflict, Invalid};
use crate::store::sql::Sql;
use serde_json::json;
use time::Date;

const DAY_MS: i64 = 86_400_000;

/// Ends an active referral that was not used (`declined` or `expired`): the seat returns, the
/// child returns to the queue at its original place, not invited again for the stop days.
/// Refuses (changing nothing) if the referral is no longer active, so two servers never both
/// end it.
pub async fn release(c: &mut dyn Sql, ctx: &Ctx, r: &RefRow, state: &str) -> EngineResult<()> {
    let n = c
        .exec(
            "UPDATE referrals SET state = $2, closed_at = $3 WHERE id = $1 AND state = 'active'",
            &[r.id.into(), state.into(), ctx.now.into()],
        )
        .await?;
    if n != 1 {
        return Err(Conflict::ReferralNotActive.into());
    }
    seats::give_back(c, r.kindergarten_id, r.app.cohort).await?;
    let stop_until = add_days_ms(ctx.now, ctx.rules.stop_days);
    c.exec(
        "UPDATE applications SET status = 'waiting', stop_until = $2 WHERE id = $1",
        &[r.app.id.into(), stop_until.into()],
    )
    .await?;
    queue_change(c, ctx.now, &r.app, "returned").await?;
    announce(
        c,
        ctx.now,
        r.app.id,
        (
            &format!("referral.{state}"),
            json!({ "code": r.code, "public_no": r.app.public_no,
                "kindergarten_id": r.kindergarten_id, "cohort": r.app.cohort,
                "stop_until": stop_until }),
        ),
        (
            &format!("referral_{state}"),
            json!({ "code": r.code, "stop_until": stop_until }),
        ),
    )
    .await
}

/// The parent gives the referral back: the seat goes to the next child.
pub async fn decline(c: &mut dyn Sql, ctx: &Ctx, r: &RefRow) -> EngineResult<()> {
    if !r.is_active() {
        return Err(Conflict::ReferralNotActive.into());
    }
    release(c, ctx, r, "declined").await?;
    invitations::fill(c, ctx, r.app.cohort).await?;
    Ok(())
}

/// The head confirms enrolment: the child leaves the queue. Confirming it again (a retry after
/// a lost answer) answers as the first time did and changes nothing.
pub async fn enrol(c: &mut dyn Sql, ctx: &Ctx, r: &RefRow) -> EngineResult<ReferralView> {
    if r.state == "enrolled" {
        return Ok(r.view());
    }
    if !r.is_active() || r.expires_at <= ctx.now {
        return Err(Conflict::ReferralNotActive.into());
    }
    let n = c
        .exec(
            "UPDATE referrals SET state = 'enrolled', closed_at = $2 \
             WHERE id = $1 AND state = 'active'",
            &[r.id.into(), ctx.now.into()],
        )
        .await?;
    if n != 1 {
        return Err(Conflict::ReferralNotActive.into());
    }
    set_status(c, r.app.id, AppStatus::Referred, AppStatus::Enrolled).await?;
    announce(
        c,
        ctx.now,
        r.app.id,
        (
            "referral.enrolled",
            json!({ "code": r.code, "public_no": r.app.public_no,
                "kindergarten_id": r.kindergarten_id }),
        ),
        ("enrolled", json!({ "code": r.code })),
    )
    .await?;
    let mut v = r.view();
    v.state = "enrolled".into();
    Ok(v)
}

/// Extends a referral up to `until` (inclusive, Almaty date) with a reason; `by` is `head` or
/// `admin`. The same extension again (a retry after a lost answer) answers as the first time did
/// and changes nothing.
pub async fn extend(
    c: &mut dyn Sql,
    ctx: &Ctx,
    by: &str,
    r: &RefRow,
    until: Date,
    reason: &str,
) -> EngineResult<ReferralView> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(refused(AppError::Validation(Invalid::Reason)));
    }
    if !r.is_active() || r.expires_at <= ctx.now {
        return Err(Conflict::ReferralNotActive.into());
    }
    let Some(after) = until.next_day() else {
        return Err(refused(AppError::Validation(Invalid::ExtensionDate)));
    };
    let expires_at = start_of_day_ms(after);
    if expires_at == r.expires_at {
        let done: Option<String> = c
            .scalar(
                "SELECT extension_reason FROM referrals WHERE id = $1",
                &[r.id.into()],
            )
            .await?;
        if done.as_deref() == Some(reason) {
            return Ok(r.view());
        }
    }
    let longest = r.issued_at + i64::from(ctx.rules.max_extension_days) * DAY_MS;
    if expires_at <= r.expires_at || expires_at > longest {
        return Err(refused(AppError::Validation(Invalid::ExtensionDate)));
    }
    c.exec(
        "UPDATE referrals SET expires_at = $2, extension_reason = $3, reminded_at = NULL WHERE id = $1",
        &[r.id.into(), expires_at.into(), reason.into()],
    )
    .await?;
    announce(
        c,
        ctx.now,
        r.app.id,
        (
            "referral.extended",
            json!({ "code": r.code, "expires_at": expires_at, "reason": reason, "by": by }),
        ),
        (
            "referral_extended",
            json!({ "code": r.code, "expires_at": expires_at }),
        ),
    )
    .await?;
    let mut v = r.view();
    v.expires_at = expires_at;
    Ok(v)
}

/// A head's order admits a staff member's child: a flagged referral, outside queue order. The
/// order's number goes into the public log; its reason stays with the referral, for the
/// department. The same order for a child it already admitted here answers with that referral
/// again (a retry after a lost answer), changing nothing.
pub async fn admit_staff_child(
    c: &mut dyn Sql,
    ctx: &Ctx,
    kindergarten_id: i64,
    a: &AppRow,
    (order, reason): (&str, &str),
) -> EngineResult<ReferralView> {
    let (order, reason) = (order.trim(), reason.trim());
    if order.is_empty() || order.chars().count() > 100 {
        return Err(refused(AppError::Validation(Invalid::StaffOrder)));
    }
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(refused(AppError::Validation(Invalid::Reason)));
    }
    let from = match a.status {
        AppStatus::Waiting | AppStatus::Invited => a.status,
        AppStatus::Referred => {
            let r = referral_of_app(c, a.id).await?;
            if r.kindergarten_id == kindergarten_id && r.staff_order.as_deref() == Some(order) {
                return Ok(r.view());
            }
            return Err(Conflict::AlreadyReferred.into());
        }
        AppStatus::Enrolled | AppStatus::Withdrawn => return Err(Conflict::NotOpen.into()),
    };
    if !seats::take(c, kindergarten_id, a.cohort).await? {
        return Err(Conflict::SeatGone.into());
    }
    if from == AppStatus::Invited {
        invitations::close(c, ctx, a.id, "used").await?;
    } else {
        queue_change(c, ctx.now, a, "admitted").await?;
    }
    let view = issue_referral(c, ctx, a, from, kindergarten_id, Some(order)).await?;
    c.exec(
        "UPDATE referrals SET staff_reason = $2 WHERE code = $1",
        &[view.code.as_str().into(), reason.into()],
    )
    .await?;
    Ok(view)
}
