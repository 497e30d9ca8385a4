//! The yearly re-check of privileges (issue 15, point 9). A privilege counts as confirmed by the
//! application that gave its document, or by the department confirming it again (after seeing a
//! new document); one merged from a kindergarten's former queue counts as never confirmed. The
//! day after the due date (30 June by default), every open application whose privilege was not
//! confirmed since the previous re-check returns to the general list at its original date: its
//! class changes, nothing else, and the child is told why, in its position history and by a
//! notification.

use super::error::{refused, EngineResult};
use super::events::{self, announce};
use super::jobs::years_due;
use super::positions::queue_change;
use super::rows::{app_for_update, AppRow, APP_COLUMNS};
use super::rules::{day_in, start_of_day_ms};
use super::{Acting, Ctx};
use crate::domain::queue::AppStatus;
use crate::domain::PriorityClass;
use crate::error::{AppError, Conflict, Invalid};
use crate::store::sql::Sql;
use serde_json::json;

/// The job's mark: the year of the last re-check done.
const MARK: &str = "privilege_recheck";

/// The open privileged applications whose privilege was not confirmed since `since` (Unix ms).
const UNCONFIRMED: &str = "FROM applications a WHERE a.priority < 2 \
     AND a.status IN ('waiting', 'invited', 'referred') \
     AND COALESCE(a.privilege_confirmed_at, a.applied_at) < $1";

/// A privilege the next re-check drops unless the department confirms it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivilegeDue {
    pub public_no: String,
    pub cohort: i32,
    pub priority: PriorityClass,
    pub applied_at: i64,
    /// The document the application named.
    pub document: String,
    /// Never confirmed (merged from a former queue).
    pub never: bool,
}

/// What the department's page shows: the due date of the next re-check, how many privileges it
/// would drop, and the first of them (oldest application first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivilegesDue {
    pub due: time::Date,
    pub total: i64,
    pub first: Vec<PrivilegeDue>,
}

/// Runs the re-check once a year, the first time the background jobs run after the due date.
/// Returns how many privileges were dropped.
pub async fn recheck(c: &mut dyn Sql, ctx: &Ctx) -> EngineResult<u32> {
    let year = ctx.rules.recheck_year(ctx.today());
    if years_due(c, MARK, year).await?.is_empty() {
        return Ok(0);
    }
    let since = ctx.rules.recheck_window(year);
    let due_day = day_in(year, ctx.rules.recheck_due);
    let due = due_day.to_string();
    let apps: Vec<AppRow> = c
        .all(
            &format!("SELECT {APP_COLUMNS} {UNCONFIRMED} ORDER BY a.id"),
            &[since.into()],
        )
        .await?;
    for a in &apps {
        c.exec(
            "UPDATE applications SET priority = 2 WHERE id = $1",
            &[a.id.into()],
        )
        .await?;
        let now_general = AppRow {
            priority: PriorityClass::General,
            ..a.clone()
        };
        // Its new place is a change of the queue for whoever waits behind it (and for itself).
        if a.status == AppStatus::Waiting {
            queue_change(c, ctx.now, &now_general, "privilege_dropped").await?;
        }
        announce(
            c,
            ctx.now,
            a.id,
            (
                "privilege.dropped",
                json!({ "public_no": a.public_no, "cohort": a.cohort,
                        "was": a.priority.code(), "applied_at": a.applied_at, "due": due }),
            ),
            (
                "privilege_dropped",
                json!({ "public_no": a.public_no, "due": start_of_day_ms(due_day) }),
            ),
        )
        .await?;
    }
    events::append(
        c,
        ctx.now,
        "privileges.rechecked",
        json!({ "year": year, "due": due, "confirmed_since": since, "dropped": apps.len() }),
    )
    .await?;
    Ok(apps.len() as u32)
}

/// The department confirms a child's privilege (it has seen this year's document).
pub async fn confirm(
    c: &mut dyn Sql,
    ctx: &Ctx,
    acting: Acting<'_>,
    public_no: &str,
) -> EngineResult<()> {
    let a = app_for_update(c, &crate::domain::queue::normalise_number(public_no)).await?;
    if !matches!(
        a.status,
        AppStatus::Waiting | AppStatus::Invited | AppStatus::Referred
    ) {
        return Err(Conflict::NotOpen.into());
    }
    if !a.priority.is_privileged() {
        return Err(refused(AppError::Validation(Invalid::Request)));
    }
    c.exec(
        "UPDATE applications SET privilege_confirmed_at = $2 WHERE id = $1",
        &[a.id.into(), ctx.now.into()],
    )
    .await?;
    events::append(
        c,
        ctx.now,
        "privilege.confirmed",
        acting.mark(json!({ "public_no": a.public_no, "class": a.priority.code() })),
    )
    .await?;
    Ok(())
}

/// The privileges the next re-check drops as things stand, oldest application first (`limit`
/// of them).
pub async fn due(c: &mut dyn Sql, ctx: &Ctx, limit: i64) -> EngineResult<PrivilegesDue> {
    let next = ctx.rules.recheck_year(ctx.today()) + 1;
    let since = ctx.rules.recheck_window(next);
    let total: i64 = c
        .scalar(&format!("SELECT COUNT(*) {UNCONFIRMED}"), &[since.into()])
        .await?;
    let rows: Vec<(String, i32, PriorityClass, i64, String, Option<i64>)> = c
        .all(
            &format!(
                "SELECT a.public_no, a.cohort, CAST(a.priority AS INTEGER), a.applied_at, \
                 a.priority_doc, a.privilege_confirmed_at {UNCONFIRMED} \
                 ORDER BY a.applied_at, a.id LIMIT $2"
            ),
            &[since.into(), limit.into()],
        )
        .await?;
    Ok(PrivilegesDue {
        due: day_in(next, ctx.rules.recheck_due),
        total,
        first: rows
            .into_iter()
            .map(
                |(public_no, cohort, priority, applied_at, document, confirmed)| PrivilegeDue {
                    public_no,
                    cohort,
                    priority,
                    applied_at,
                    document,
                    never: confirmed == Some(0),
                },
            )
            .collect(),
    })
}
