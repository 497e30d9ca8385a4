//! What a head's tablet reads: its kindergarten's age groups and latest postings.

use super::error::EngineResult;
use super::rules::almaty_date;
use super::{parents, Ctx};
use crate::domain::queue::{HeadDesk, HeadGroup, HeadReferral, Posting, ReferralView};
use crate::store::sql::Sql;

/// The latest postings shown.
const HISTORY: i64 = 30;
/// The referrals shown (the active ones first).
const REFERRALS: i64 = 100;

type RefLine = (
    String,
    String,
    i32,
    i64,
    i64,
    String,
    Option<String>,
    String,
);

pub async fn desk(c: &mut dyn Sql, ctx: &Ctx, kindergarten_id: i64) -> EngineResult<HeadDesk> {
    let place = parents::place(c, kindergarten_id).await?;
    let groups: Vec<(i32, i64, i64, i64)> = c
        .all(
            "SELECT s.cohort, s.capacity, s.free, \
             (SELECT COUNT(*) FROM referrals r WHERE r.kindergarten_id = s.kindergarten_id \
              AND r.cohort = s.cohort AND r.state = 'active') \
             FROM seats s WHERE s.kindergarten_id = $1 AND (s.capacity > 0 OR EXISTS \
             (SELECT 1 FROM referrals r WHERE r.kindergarten_id = s.kindergarten_id \
              AND r.cohort = s.cohort AND r.state = 'active')) ORDER BY s.cohort",
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
    let referrals: Vec<RefLine> = c
        .all(
            "SELECT r.code, a.public_no, r.cohort, r.issued_at, r.expires_at, r.state, \
             r.staff_order, a.child_name FROM referrals r \
             JOIN applications a ON a.id = r.application_id WHERE r.kindergarten_id = $1 \
             ORDER BY CASE WHEN r.state = 'active' THEN 0 ELSE 1 END, \
             CASE WHEN r.state = 'active' THEN r.expires_at ELSE -r.issued_at END LIMIT $2",
            &[kindergarten_id.into(), REFERRALS.into()],
        )
        .await?;
    Ok(HeadDesk {
        kindergarten_id,
        referrals: referrals
            .into_iter()
            .map(
                |(
                    code,
                    public_no,
                    cohort,
                    issued_at,
                    expires_at,
                    state,
                    staff_order,
                    child_name,
                )| {
                    // The last day it is valid on, and the working days left to it from today.
                    let last = almaty_date(expires_at - 1);
                    let days_left = (state == "active")
                        .then(|| ctx.calendar.working_days_through(ctx.today(), last));
                    HeadReferral {
                        days_left,
                        referral: ReferralView {
                            code,
                            public_no,
                            kindergarten_id,
                            cohort,
                            issued_at,
                            expires_at,
                            state,
                            staff_order,
                        },
                        child_name,
                    }
                },
            )
            .collect(),
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
