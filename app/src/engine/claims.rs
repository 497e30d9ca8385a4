//! A claim: an invited parent takes a seat and the referral is issued at once, in one
//! transaction (invitation used, seat taken, application referred, referral, notification,
//! event), for every sibling invited together. Also the referral a head's order issues.

use super::error::{unique_as, EngineResult};
use super::events;
use super::rows::{AppRow, APP_COLUMNS};
use super::{seats, Ctx};
use crate::domain::queue::{AppStatus, ReferralView};
use crate::error::Conflict;
use crate::store::sql::{Backend, Sql, Val};
use serde_json::json;

/// The next number of a public series (`REF-2026`).
async fn next_number(c: &mut dyn Sql, prefix: &str) -> EngineResult<i64> {
    Ok(c.scalar(
        "INSERT INTO public_numbers (prefix, last) VALUES ($1, 1) \
         ON CONFLICT (prefix) DO UPDATE SET last = public_numbers.last + 1 RETURNING last",
        &[prefix.into()],
    )
    .await?)
}

/// The referral numbers this server hands out (PostgreSQL): a block of
/// [`NumberBlock::SIZE`] taken from the sequence `referral_numbers` at a time (its increment,
/// migration 0003), so that a claim rarely spends a round trip on its number.
#[derive(Default)]
pub struct NumberBlock(std::sync::Mutex<(i64, i64)>);

impl NumberBlock {
    pub const SIZE: i64 = 100;

    async fn next(&self, c: &mut dyn Sql) -> EngineResult<i64> {
        if let Some(n) = self.take() {
            return Ok(n);
        }
        let first: i64 = c.scalar("SELECT nextval('referral_numbers')", &[]).await?;
        let mut block = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *block = (first + 1, first + Self::SIZE);
        Ok(first)
    }

    fn take(&self) -> Option<i64> {
        let mut block = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (next, end) = *block;
        (next < end).then(|| {
            block.0 += 1;
            next
        })
    }
}

const REFERRED: &str = "UPDATE applications SET status = 'referred' WHERE id = $1 AND status = $2";

const REFERRAL_INSERT: &str = "INSERT INTO referrals (code, application_id, child_iin, \
     kindergarten_id, cohort, issued_at, expires_at, staff_order) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Issues a referral for a child whose seat is already taken, and moves the application from
/// `from` to referred. The caller has read the application locked for this change (the row
/// lock, or SQLite's one writer) and seen it in `from`, so the move cannot miss; it runs with
/// the inserts of the referral, its notification and its event, in one round trip on
/// PostgreSQL.
pub async fn issue_referral(
    c: &mut dyn Sql,
    ctx: &Ctx,
    a: &AppRow,
    from: AppStatus,
    kindergarten_id: i64,
    staff_order: Option<&str>,
) -> EngineResult<ReferralView> {
    let year = ctx.today().year();
    // On PostgreSQL a counter row would queue every claim behind it: a sequence does not.
    let n: i64 = if c.backend() == Backend::Postgres {
        ctx.numbers.next(c).await?
    } else {
        next_number(c, &format!("REF-{year}")).await?
    };
    let code = format!("REF-{year}-{n:06}");
    let expires_at = ctx.calendar.deadline(ctx.now, ctx.rules.referral_days);
    let referral: &[Val] = &[
        (&code).into(),
        a.id.into(),
        (&a.child_iin).into(),
        kindergarten_id.into(),
        a.cohort.into(),
        ctx.now.into(),
        expires_at.into(),
        staff_order.into(),
    ];
    let params =
        json!({ "code": code, "kindergarten_id": kindergarten_id, "expires_at": expires_at })
            .to_string();
    let note = events::notification(ctx.now, a.id, "referral_issued", &params);
    let kind = if staff_order.is_some() {
        "referral.staff_order"
    } else {
        "referral.issued"
    };
    let event = json!({
        "code": code,
        "public_no": a.public_no,
        "kindergarten_id": kindergarten_id,
        "cohort": a.cohort,
        "expires_at": expires_at,
        "staff_order": staff_order,
    });
    let status: &[Val] = &[a.id.into(), from.code().into()];
    events::append_with(
        c,
        ctx.now,
        kind,
        event,
        &[
            (REFERRED, status),
            (REFERRAL_INSERT, referral),
            (events::OUTBOX_INSERT, &note),
        ],
    )
    .await
    .map_err(|e| unique_as(e, Conflict::AlreadyReferred))?;
    Ok(ReferralView {
        code,
        public_no: a.public_no.clone(),
        kindergarten_id,
        cohort: a.cohort,
        issued_at: ctx.now,
        expires_at,
        state: "active".into(),
        staff_order: staff_order.map(str::to_string),
    })
}

/// The invited parent of `a` (checked by the caller) takes seats in one kindergarten, for the
/// child and every sibling invited together: all of them or none.
pub async fn claim(
    c: &mut dyn Sql,
    ctx: &Ctx,
    a: &AppRow,
    kindergarten_id: i64,
) -> EngineResult<Vec<ReferralView>> {
    match a.status {
        AppStatus::Invited => {}
        AppStatus::Waiting => return Err(Conflict::NotInvited.into()),
        AppStatus::Referred => return Err(Conflict::AlreadyReferred.into()),
        AppStatus::Enrolled | AppStatus::Withdrawn => return Err(Conflict::NotOpen.into()),
    }
    let mut members = vec![a.clone()];
    if let Some(g) = a.sibling_group {
        let lock = c.for_update();
        members.extend(
            c.all::<AppRow>(
                &format!(
                    "SELECT {APP_COLUMNS} FROM applications a WHERE a.sibling_group = $1 \
                     AND a.id <> $2 AND a.status = 'invited' ORDER BY a.cohort, a.id{lock}"
                ),
                &[g.into(), a.id.into()],
            )
            .await?,
        );
    }
    let together = members.len() > 1;
    let mut out = Vec::with_capacity(members.len());
    for m in &members {
        // The invitation first: it is what a second claim for the same child waits on.
        let used = c
            .exec(
                "UPDATE invitations SET state = 'used', closed_at = $2 \
                 WHERE application_id = $1 AND state = 'open' AND expires_at > $2",
                &[m.id.into(), ctx.now.into()],
            )
            .await?;
        if used != 1 {
            let lapsed: Option<(i64,)> = c
                .first(
                    "SELECT id FROM invitations WHERE application_id = $1 AND state = 'open'",
                    &[m.id.into()],
                )
                .await?;
            return Err(if lapsed.is_some() {
                Conflict::InvitationLapsed
            } else {
                Conflict::AlreadyReferred
            }
            .into());
        }
        if !seats::take(c, kindergarten_id, m.cohort).await? {
            return Err(if together {
                Conflict::SiblingsDoNotFit
            } else {
                Conflict::SeatGone
            }
            .into());
        }
        out.push(issue_referral(c, ctx, m, AppStatus::Invited, kindergarten_id, None).await?);
    }
    Ok(out)
}
