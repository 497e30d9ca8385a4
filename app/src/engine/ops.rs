//! Every database step of the engine, written once against [`Sql`] and run on SQLite and
//! PostgreSQL alike. The SQL is the common dialect of both (`$n` parameters, `RETURNING`,
//! `ON CONFLICT`, row values); where they differ the connection says how
//! (`Sql::for_update`).
//!
//! Writing operations take a connection that is already inside a transaction and never commit:
//! the caller commits all of it or none of it.

use super::sql::{Backend, Row, Sql};
use crate::domain::queue::{
    AppStatus, ClaimableSeat, InvitationView, PositionChange, PositionReason, PositionView,
    ReferralView,
};
use crate::engine::chain::{event_hash, StoredEvent};
use crate::engine::ops_common::{ValidApplication, ValidContacts};
use crate::engine::rules::{
    add_days_ms, almaty_date, months_before, start_of_day_ms, List, QueueKey, Rules,
};
use crate::engine::{Actor, Ctx, EngineError, EngineResult, TickReport};
use crate::error::{AppError, Conflict, Invalid};
use serde_json::json;
use std::collections::BTreeMap;
use time::Date;

const DAY_MS: i64 = 86_400_000;

fn refused(e: AppError) -> EngineError {
    EngineError::Refused(e)
}

/// A unique-index refusal as the typed conflict it means; anything else as is.
fn unique_as(e: sqlx::Error, c: Conflict) -> EngineError {
    if let sqlx::Error::Database(db) = &e {
        if db.kind() == sqlx::error::ErrorKind::UniqueViolation {
            return c.into();
        }
    }
    e.into()
}

// ----- settings ---------------------------------------------------------------------------

/// The stored rules (defaults when none) and the holiday calendar (the built-in one the first
/// time).
pub async fn load_settings(c: &mut dyn Sql) -> EngineResult<(Rules, Vec<Date>)> {
    let stored: Option<String> = c
        .opt("SELECT value FROM settings WHERE key = 'rules'", &[])
        .await
        .and_then(|o| o.map(|r| r.text(0)).transpose())?;
    let rules = stored
        .and_then(|s| serde_json::from_str::<Rules>(&s).ok())
        .filter(Rules::is_valid)
        .unwrap_or_default();
    let n: i64 = c
        .one("SELECT COUNT(*) FROM holidays", &[])
        .await
        .and_then(|r| r.int(0))?;
    if n == 0 {
        for (day, name) in crate::engine::rules::default_holidays() {
            c.exec(
                "INSERT INTO holidays (day, name) VALUES ($1, $2)",
                &[(day.to_string()).into(), name.into()],
            )
            .await?;
        }
    }
    let days: Vec<String> = c
        .rows("SELECT day FROM holidays", &[])
        .await
        .and_then(|v| v.iter().map(|r| r.text(0)).collect::<Result<Vec<_>, _>>())?;
    let holidays = days
        .iter()
        .filter_map(|d| crate::domain::parse_iso_date(d))
        .collect();
    Ok((rules, holidays))
}

pub async fn save_rules(c: &mut dyn Sql, ctx: &Ctx, rules: &Rules) -> EngineResult<()> {
    let value = serde_json::to_string(rules).expect("rules serialize");
    c.exec(
        "INSERT INTO settings (key, value) VALUES ('rules', $1) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[(&value).into()],
    )
    .await?;
    append_event(
        c,
        ctx.now,
        "rules.changed",
        json!({ "rules": serde_json::to_value(rules).expect("rules serialize") }),
    )
    .await?;
    Ok(())
}

// ----- shared steps -----------------------------------------------------------------------

/// Appends one event to the log in the caller's transaction.
///
/// Where one writer commits everything (SQLite) the event is chained at once: the chain head
/// is read, the event's hash computed and stored. Where many transactions commit side by side
/// (PostgreSQL), a chain head locked until each commit would queue every claim of the city
/// behind one row; there the event enters the log's intake (`event_queue`) with the rest of
/// the transaction, and [`chain_pending`] links it into the chain moments later, in one
/// writer's order. Either way an acknowledged change always has its event.
pub async fn append_event(
    c: &mut dyn Sql,
    at: i64,
    kind: &str,
    body: serde_json::Value,
) -> EngineResult<()> {
    let body = body.to_string();
    if c.backend() == Backend::Postgres {
        c.exec(
            "INSERT INTO event_queue (at, kind, body) VALUES ($1, $2, $3)",
            &[at.into(), kind.into(), (&body).into()],
        )
        .await?;
        return Ok(());
    }
    chain_one(c, at, kind, &body).await
}

/// Links one event to the end of the chain (the head row is locked until commit).
async fn chain_one(c: &mut dyn Sql, at: i64, kind: &str, body: &str) -> EngineResult<()> {
    let head = format!(
        "SELECT seq, hash FROM chain_head WHERE id = 1{}",
        c.for_update()
    );
    let r = c.one(&head, &[]).await?;
    let (last, prev) = (r.int(0)?, r.text(1)?);
    let seq = last + 1;
    let hash = event_hash(&prev, seq, at, kind, body);
    c.exec(
        "INSERT INTO events (seq, at, kind, body, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            seq.into(),
            at.into(),
            kind.into(),
            body.into(),
            (&prev).into(),
            (&hash).into(),
        ],
    )
    .await?;
    c.exec(
        "UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1",
        &[seq.into(), (&hash).into()],
    )
    .await?;
    Ok(())
}

/// Links up to `limit` events waiting in the intake into the chain, oldest first; returns how
/// many. One chainer at a time (the chain head lock); an intake row is deleted in the same
/// transaction that chains it, so none is chained twice or lost.
pub async fn chain_pending(c: &mut dyn Sql, limit: i64) -> EngineResult<u64> {
    if c.backend() != Backend::Postgres {
        return Ok(0);
    }
    let head = format!("SELECT seq FROM chain_head WHERE id = 1{}", c.for_update());
    c.one(&head, &[]).await?;
    let rows = c
        .rows(
            "SELECT id, at, kind, body FROM event_queue ORDER BY id LIMIT $1",
            &[limit.into()],
        )
        .await?;
    for r in &rows {
        chain_one(c, r.int(1)?, &r.text(2)?, &r.text(3)?).await?;
        c.exec("DELETE FROM event_queue WHERE id = $1", &[r.int(0)?.into()])
            .await?;
    }
    Ok(rows.len() as u64)
}

/// Appends the public event of a change to an application and queues its notification.
async fn announce(
    c: &mut dyn Sql,
    at: i64,
    application_id: i64,
    (kind, body): (&str, serde_json::Value),
    (template, params): (&str, serde_json::Value),
) -> EngineResult<()> {
    append_event(c, at, kind, body).await?;
    notify(c, at, application_id, template, params).await
}

/// Queues a notification (SMS to both numbers and e-mail) for the sender.
async fn notify(
    c: &mut dyn Sql,
    at: i64,
    application_id: i64,
    template: &str,
    params: serde_json::Value,
) -> EngineResult<()> {
    c.exec(
        "INSERT INTO outbox (created_at, application_id, template, params) VALUES ($1, $2, $3, $4)",
        &[
            at.into(),
            application_id.into(),
            template.into(),
            (params.to_string()).into(),
        ],
    )
    .await?;
    Ok(())
}

/// Records a child entering or leaving its cohort's waiting list.
async fn queue_change(c: &mut dyn Sql, at: i64, a: &AppRow, change: &str) -> EngineResult<()> {
    c.exec(
        "INSERT INTO queue_changes (at, cohort, priority, applied_at, application_id, change) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            at.into(),
            a.cohort.into(),
            a.priority.into(),
            a.applied_at.into(),
            a.id.into(),
            change.into(),
        ],
    )
    .await?;
    Ok(())
}

/// The next number of a public series (`ALM-2026`, `REF-2026`). A series of application
/// numbers continues after the numbers already loaded.
async fn next_number(c: &mut dyn Sql, prefix: &str) -> EngineResult<i64> {
    let bumped: Option<i64> = c
        .opt(
            "UPDATE public_numbers SET last = last + 1 WHERE prefix = $1 RETURNING last",
            &[prefix.into()],
        )
        .await
        .and_then(|o| o.map(|r| r.int(0)).transpose())?;
    if let Some(n) = bumped {
        return Ok(n);
    }
    let start: i64 = c
        .one(
            "SELECT CAST(COALESCE(MAX(CAST(SUBSTR(public_no, 10) AS BIGINT)), 0) AS BIGINT) \
         FROM applications WHERE public_no LIKE $1",
            &[(format!("{prefix}-%")).into()],
        )
        .await
        .and_then(|r| r.int(0))?;
    let n: i64 = c
        .one(
            "INSERT INTO public_numbers (prefix, last) VALUES ($1, $2) \
         ON CONFLICT (prefix) DO UPDATE SET last = public_numbers.last + 1 RETURNING last",
            &[prefix.into(), (start + 1).into()],
        )
        .await
        .and_then(|r| r.int(0))?;
    Ok(n)
}

fn year_of(ms: i64) -> i32 {
    almaty_date(ms).year()
}

#[derive(Clone)]
struct AppRow {
    id: i64,
    public_no: String,
    child_iin: String,
    parent_iin: String,
    cohort: i32,
    priority: i32,
    applied_at: i64,
    status: String,
    sibling_group: Option<i64>,
}

const APP_COLUMNS: &str = "id, public_no, child_iin, parent_iin, cohort, \
    CAST(priority AS INTEGER) AS priority, applied_at, status, sibling_group";
/// The same columns of `applications a` in a join.
const APP_COLUMNS_A: &str = "a.id, a.public_no, a.child_iin, a.parent_iin, a.cohort, \
    CAST(a.priority AS INTEGER) AS priority, a.applied_at, a.status, a.sibling_group";

impl AppRow {
    /// From the columns of `APP_COLUMNS`, in order.
    fn from_row(r: &Row) -> Result<AppRow, sqlx::Error> {
        Ok(AppRow {
            id: r.int(0)?,
            public_no: r.text(1)?,
            child_iin: r.text(2)?,
            parent_iin: r.text(3)?,
            cohort: r.int32(4)?,
            priority: r.int32(5)?,
            applied_at: r.int(6)?,
            status: r.text(7)?,
            sibling_group: r.opt_int(8)?,
        })
    }

    fn privileged(&self) -> bool {
        self.priority < 2
    }
    fn status(&self) -> AppStatus {
        AppStatus::from_code(&self.status).unwrap_or(AppStatus::Withdrawn)
    }
}

/// The application with this public number, locked until commit where rows are locked.
async fn app_by_no(c: &mut dyn Sql, public_no: &str) -> EngineResult<AppRow> {
    let lock = c.for_update();
    find_app(c, public_no, lock).await
}

/// The application with this public number, for reading only.
async fn app_to_read(c: &mut dyn Sql, public_no: &str) -> EngineResult<AppRow> {
    find_app(c, public_no, "").await
}

async fn find_app(c: &mut dyn Sql, public_no: &str, lock: &str) -> EngineResult<AppRow> {
    let sql = format!("SELECT {APP_COLUMNS} FROM applications WHERE public_no = $1{lock}");
    let row = c.opt(&sql, &[public_no.trim().into()]).await?;
    row.map(|r| AppRow::from_row(&r))
        .transpose()?
        .ok_or(refused(AppError::NotFound))
}

/// Only the parent of the application may act on it.
fn parent_only(actor: &Actor, a: &AppRow) -> EngineResult<()> {
    match actor {
        Actor::Parent(iin) if iin.digits() == a.parent_iin => Ok(()),
        Actor::Parent(_) => Err(refused(AppError::NotFound)),
        _ => Err(refused(AppError::Forbidden)),
    }
}

async fn set_status(c: &mut dyn Sql, id: i64, from: &str, to: &str) -> EngineResult<()> {
    let n = c
        .exec(
            "UPDATE applications SET status = $3 WHERE id = $1 AND status = $2",
            &[id.into(), from.into(), to.into()],
        )
        .await?;
    if n != 1 {
        return Err(Conflict::Changed.into());
    }
    Ok(())
}

// ----- applications -----------------------------------------------------------------------

pub async fn create_application(
    c: &mut dyn Sql,
    ctx: &Ctx,
    v: &ValidApplication,
) -> EngineResult<String> {
    let open: Option<i64> = c
        .opt(
            "SELECT id FROM applications WHERE child_iin = $1 \
         AND status IN ('waiting', 'invited', 'referred')",
            &[(v.child_iin.digits()).into()],
        )
        .await
        .and_then(|o| o.map(|r| r.int(0)).transpose())?;
    if open.is_some() {
        return Err(Conflict::AlreadyApplied.into());
    }
    let mut group = None;
    if let Some(no) = &v.sibling_of {
        let sib = app_by_no(c, no).await?;
        if sib.parent_iin != v.parent_iin.digits() {
            return Err(refused(AppError::NotFound));
        }
        if !matches!(sib.status(), AppStatus::Waiting | AppStatus::Invited) {
            return Err(Conflict::NotOpen.into());
        }
        let g = sib.sibling_group.unwrap_or(sib.id);
        c.exec(
            "UPDATE applications SET sibling_group = $1 WHERE id = $2",
            &[g.into(), sib.id.into()],
        )
        .await?;
        group = Some(g);
    }
    let year = year_of(ctx.now);
    let n = next_number(c, &format!("ALM-{year}")).await?;
    let public_no = format!("ALM-{year}-{n:06}");
    let id: i64 = c
        .one(
            "INSERT INTO applications (public_no, child_iin, child_name, birth_date, cohort, \
         parent_iin, priority, phone1, phone2, email, district, language, applied_at, \
         sibling_group) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         RETURNING id",
            &[
                (&public_no).into(),
                (v.child_iin.digits()).into(),
                (&v.child_name).into(),
                (v.birth_date.to_string()).into(),
                v.cohort.0.into(),
                (v.parent_iin.digits()).into(),
                (v.priority as i32).into(),
                (v.contacts.phone1.e164()).into(),
                (v.contacts.phone2.e164()).into(),
                (&v.contacts.email).into(),
                (v.district.code()).into(),
                (v.language.code()).into(),
                ctx.now.into(),
                group.into(),
            ],
        )
        .await
        .and_then(|r| r.int(0))
        .map_err(|e| unique_as(e, Conflict::AlreadyApplied))?;
    let row = AppRow {
        id,
        public_no: public_no.clone(),
        child_iin: v.child_iin.digits(),
        parent_iin: v.parent_iin.digits(),
        cohort: v.cohort.0,
        priority: v.priority as i32,
        applied_at: ctx.now,
        status: "waiting".into(),
        sibling_group: group,
    };
    queue_change(c, ctx.now, &row, "applied").await?;
    announce(
        c,
        ctx.now,
        id,
        (
            "application.created",
            json!({
                "public_no": public_no,
                "cohort": v.cohort.0,
                "priority": v.priority.code(),
                "applied_at": ctx.now,
                "sibling_group": group.is_some(),
            }),
        ),
        ("application_created", json!({ "public_no": public_no })),
    )
    .await?;
    fill_invitations(c, ctx, v.cohort.0).await?;
    Ok(public_no)
}

pub async fn update_contacts(
    c: &mut dyn Sql,
    ctx: &Ctx,
    actor: &Actor,
    public_no: &str,
    v: &ValidContacts,
) -> EngineResult<()> {
    let a = app_by_no(c, public_no).await?;
    parent_only(actor, &a)?;
    if !matches!(
        a.status(),
        AppStatus::Waiting | AppStatus::Invited | AppStatus::Referred
    ) {
        return Err(Conflict::NotOpen.into());
    }
    c.exec(
        "UPDATE applications SET phone1 = $2, phone2 = $3, email = $4 WHERE id = $1",
        &[
            a.id.into(),
            (v.phone1.e164()).into(),
            (v.phone2.e164()).into(),
            (&v.email).into(),
        ],
    )
    .await?;
    announce(
        c,
        ctx.now,
        a.id,
        (
            "application.contacts_changed",
            json!({ "public_no": a.public_no }),
        ),
        ("contacts_changed", json!({ "public_no": a.public_no })),
    )
    .await?;
    Ok(())
}

pub async fn withdraw(
    c: &mut dyn Sql,
    ctx: &Ctx,
    actor: &Actor,
    public_no: &str,
) -> EngineResult<()> {
    let a = app_by_no(c, public_no).await?;
    parent_only(actor, &a)?;
    let from = match a.status() {
        AppStatus::Waiting => {
            queue_change(c, ctx.now, &a, "withdrawn").await?;
            "waiting"
        }
        // An invited child already left the waiting list when invited.
        AppStatus::Invited => {
            close_invitation(c, ctx, a.id, "cancelled").await?;
            "invited"
        }
        AppStatus::Referred => {
            // The seat returns first (the child goes back to waiting), then the child leaves.
            let r = referral_of_app(c, a.id).await?;
            release_referral(c, ctx, &r, "declined").await?;
            queue_change(c, ctx.now, &a, "withdrawn").await?;
            "waiting"
        }
        AppStatus::Enrolled | AppStatus::Withdrawn => return Err(Conflict::NotOpen.into()),
    };
    set_status(c, a.id, from, "withdrawn").await?;
    announce(
        c,
        ctx.now,
        a.id,
        ("application.withdrawn", json!({ "public_no": a.public_no })),
        ("withdrawn", json!({ "public_no": a.public_no })),
    )
    .await?;
    fill_invitations(c, ctx, a.cohort).await?;
    Ok(())
}

// ----- seats and invitations --------------------------------------------------------------

pub async fn post_seats(
    c: &mut dyn Sql,
    ctx: &Ctx,
    actor: &Actor,
    kindergarten_id: i64,
    cohort: i32,
    free: i64,
) -> EngineResult<u32> {
    match actor {
        Actor::Head { kindergarten_id: k } if *k == kindergarten_id => {}
        Actor::Admin | Actor::System => {}
        _ => return Err(refused(AppError::Forbidden)),
    }
    if ctx.rules.posting_paused(ctx.today()) {
        return Err(Conflict::PostingPaused.into());
    }
    let seat: Option<(i64, i64)> = c
        .opt(
            &format!(
                "SELECT capacity, free FROM seats WHERE kindergarten_id = $1 AND cohort = $2{}",
                c.for_update()
            ),
            &[kindergarten_id.into(), cohort.into()],
        )
        .await
        .and_then(|o| {
            o.map(|r| Ok::<_, sqlx::Error>((r.int(0)?, r.int(1)?)))
                .transpose()
        })?;
    let Some((capacity, before)) = seat else {
        return Err(refused(AppError::NotFound));
    };
    let held: i64 = c
        .one(
            "SELECT COUNT(*) FROM referrals WHERE kindergarten_id = $1 AND cohort = $2 \
         AND state = 'active'",
            &[kindergarten_id.into(), cohort.into()],
        )
        .await
        .and_then(|r| r.int(0))?;
    if free < 0 || free > capacity - held {
        return Err(refused(AppError::Validation(Invalid::SeatCount)));
    }
    c.exec(
        "UPDATE seats SET free = $3 WHERE kindergarten_id = $1 AND cohort = $2",
        &[kindergarten_id.into(), cohort.into(), free.into()],
    )
    .await?;
    c.exec(
        "INSERT INTO seat_postings (at, kindergarten_id, cohort, free_before, free_after) \
         VALUES ($1, $2, $3, $4, $5)",
        &[
            ctx.now.into(),
            kindergarten_id.into(),
            cohort.into(),
            before.into(),
            free.into(),
        ],
    )
    .await?;
    append_event(
        c,
        ctx.now,
        "seats.posted",
        json!({
            "kindergarten_id": kindergarten_id,
            "cohort": cohort,
            "free_before": before,
            "free_after": free,
            "by": if matches!(actor, Actor::Head { .. }) { "head" } else { "admin" },
        }),
    )
    .await?;
    fill_invitations(c, ctx, cohort).await
}

/// A child who may be invited.
type Candidate = AppRow;

/// Invites the cohort's next children in queue order until open invitations equal the
/// cohort's free seats. Children on the stop-list or under the age threshold keep their
/// place but are passed over; siblings who applied together are invited together, only when
/// one kindergarten has seats for all of them. Returns how many were invited.
pub async fn fill_invitations(c: &mut dyn Sql, ctx: &Ctx, cohort: i32) -> EngineResult<u32> {
    // One filler per cohort at a time (PostgreSQL: the cadence row lock).
    c.exec(
        "INSERT INTO cadence (cohort, turn) VALUES ($1, 0) ON CONFLICT (cohort) DO NOTHING",
        &[cohort.into()],
    )
    .await?;
    let turn: i64 = c
        .one(
            &format!(
                "SELECT turn FROM cadence WHERE cohort = $1{}",
                c.for_update()
            ),
            &[cohort.into()],
        )
        .await
        .and_then(|r| r.int(0))?;
    let free = cohort_free(c, cohort).await?;
    let open: i64 = c
        .one(
            "SELECT COUNT(*) FROM invitations WHERE cohort = $1 AND state = 'open'",
            &[cohort.into()],
        )
        .await
        .and_then(|r| r.int(0))?;
    let want = free - open;
    if want <= 0 {
        return Ok(0);
    }
    let cutoff = months_before(ctx.today(), ctx.rules.min_age_months).to_string();
    let pick = |privileged: bool| {
        format!(
            "SELECT {APP_COLUMNS} FROM applications WHERE status = 'waiting' AND cohort = $1 \
             AND priority {} AND stop_until <= $2 AND birth_date <= $3 \
             ORDER BY priority, applied_at, id LIMIT $4",
            if privileged { "< 2" } else { "= 2" }
        )
    };
    let mut lists: [Vec<Candidate>; 2] = [Vec::new(), Vec::new()];
    for (i, privileged) in [true, false].into_iter().enumerate() {
        lists[i] = c
            .rows(
                &pick(privileged),
                &[
                    cohort.into(),
                    ctx.now.into(),
                    (&cutoff).into(),
                    (want + 16).into(),
                ],
            )
            .await
            .and_then(|v| {
                v.iter()
                    .map(Candidate::from_row)
                    .collect::<Result<Vec<_>, _>>()
            })?;
    }
    let mut next = [0usize, 0usize];
    let mut turn = turn as u64;
    let mut invited = 0i64;
    let mut done: Vec<i64> = Vec::new();
    while invited < want {
        // Drop candidates already invited (as someone's sibling) from the heads of the lists.
        for i in 0..2 {
            while next[i] < lists[i].len() && done.contains(&lists[i][next[i]].id) {
                next[i] += 1;
            }
        }
        let has = |i: usize| next[i] < lists[i].len();
        let Some((list, after)) = ctx.rules.next_list(turn, has(0), has(1)) else {
            break;
        };
        let i = if list == List::Privileged { 0 } else { 1 };
        let cand = lists[i][next[i]].clone();
        next[i] += 1;
        let members = match cand.sibling_group {
            Some(g) => {
                let all = c
                    .rows(
                        &format!(
                            "SELECT {APP_COLUMNS} FROM applications WHERE sibling_group = $1 \
                     AND status = 'waiting' AND stop_until <= $2 ORDER BY id"
                        ),
                        &[g.into(), ctx.now.into()],
                    )
                    .await
                    .and_then(|v| {
                        v.iter()
                            .map(Candidate::from_row)
                            .collect::<Result<Vec<_>, _>>()
                    })?;
                if all.len() > 1 && !siblings_fit(c, &all).await? {
                    // They keep their place; the turn goes to the next child of the list.
                    continue;
                }
                all
            }
            None => vec![cand],
        };
        let here = members.iter().filter(|m| m.cohort == cohort).count() as i64;
        if here > want - invited {
            continue;
        }
        for m in members {
            invite(c, ctx, &m).await?;
            done.push(m.id);
            if m.cohort == cohort {
                invited += 1;
            }
        }
        turn = after;
    }
    c.exec(
        "UPDATE cadence SET turn = $2 WHERE cohort = $1",
        &[cohort.into(), (turn as i64).into()],
    )
    .await?;
    Ok(invited as u32)
}

/// Free seats of a cohort in kindergartens that take part in the queue.
async fn cohort_free(c: &mut dyn Sql, cohort: i32) -> EngineResult<i64> {
    Ok(c.one(
        "SELECT CAST(COALESCE(SUM(s.free), 0) AS BIGINT) FROM seats s \
         JOIN kindergartens k ON k.id = s.kindergarten_id WHERE s.cohort = $1 AND k.in_queue",
        &[cohort.into()],
    )
    .await
    .and_then(|r| r.int(0))?)
}

/// Whether one kindergarten has free seats for every sibling of the group.
async fn siblings_fit(c: &mut dyn Sql, members: &[Candidate]) -> EngineResult<bool> {
    let mut needs: BTreeMap<i32, i64> = BTreeMap::new();
    for m in members {
        *needs.entry(m.cohort).or_default() += 1;
    }
    let mut free = Vec::new();
    for cohort in needs.keys() {
        let rows = c
            .rows(
                "SELECT s.kindergarten_id, s.cohort, s.free FROM seats s \
             JOIN kindergartens k ON k.id = s.kindergarten_id \
             WHERE s.cohort = $1 AND s.free > 0 AND k.in_queue",
                &[(*cohort).into()],
            )
            .await
            .and_then(|v| {
                v.iter()
                    .map(|r| Ok::<_, sqlx::Error>((r.int(0)?, r.int32(1)?, r.int(2)?)))
                    .collect::<Result<Vec<_>, _>>()
            })?;
        free.extend(rows);
    }
    Ok(!crate::engine::rules::where_siblings_fit(&needs, &free).is_empty())
}

async fn invite(c: &mut dyn Sql, ctx: &Ctx, a: &AppRow) -> EngineResult<()> {
    let expires_at = ctx.calendar.deadline(ctx.now, ctx.rules.invitation_days);
    set_status(c, a.id, "waiting", "invited").await?;
    c.exec(
        "INSERT INTO invitations (application_id, cohort, issued_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
        &[
            a.id.into(),
            a.cohort.into(),
            ctx.now.into(),
            expires_at.into(),
        ],
    )
    .await
    .map_err(|e| unique_as(e, Conflict::Changed))?;
    queue_change(c, ctx.now, a, "invited").await?;
    announce(
        c,
        ctx.now,
        a.id,
        (
            "invitation.issued",
            json!({ "public_no": a.public_no, "cohort": a.cohort, "expires_at": expires_at }),
        ),
        (
            "invited",
            json!({ "public_no": a.public_no, "expires_at": expires_at }),
        ),
    )
    .await?;
    Ok(())
}

/// Closes the open invitation of an application (`used`, `lapsed` or `cancelled`).
async fn close_invitation(
    c: &mut dyn Sql,
    ctx: &Ctx,
    application_id: i64,
    state: &str,
) -> EngineResult<()> {
    c.exec(
        "UPDATE invitations SET state = $2, closed_at = $3 \
         WHERE application_id = $1 AND state = 'open'",
        &[application_id.into(), state.into(), ctx.now.into()],
    )
    .await?;
    Ok(())
}

// ----- claims and referrals ---------------------------------------------------------------

/// Takes one seat of (kindergarten, cohort) if one is free. Never below zero: the update
/// itself is guarded, so two claimers can never both take the last seat.
/// Alone in its own transaction it is also the benchmark's one-statement claim (PostgreSQL
/// baseline).
pub async fn take_seat(c: &mut dyn Sql, kindergarten_id: i64, cohort: i32) -> EngineResult<bool> {
    let n = c
        .exec(
            "UPDATE seats SET free = free - 1 WHERE kindergarten_id = $1 AND cohort = $2 \
         AND free > 0 AND EXISTS (SELECT 1 FROM kindergartens k WHERE k.id = $1 AND k.in_queue)",
            &[kindergarten_id.into(), cohort.into()],
        )
        .await?;
    Ok(n == 1)
}

struct RefRow {
    id: i64,
    code: String,
    application_id: i64,
    kindergarten_id: i64,
    cohort: i32,
    issued_at: i64,
    expires_at: i64,
    state: String,
    staff_order: Option<String>,
    public_no: String,
    parent_iin: String,
    priority: i32,
    applied_at: i64,
    child_iin: String,
}

const REF_COLUMNS: &str = "r.id, r.code, r.application_id, r.kindergarten_id, r.cohort, \
    r.issued_at, r.expires_at, r.state, r.staff_order, a.public_no, a.parent_iin, \
    CAST(a.priority AS INTEGER) AS priority, a.applied_at, a.child_iin";

impl RefRow {
    /// From the columns of `REF_COLUMNS`, in order.
    fn from_row(r: &Row) -> Result<RefRow, sqlx::Error> {
        Ok(RefRow {
            id: r.int(0)?,
            code: r.text(1)?,
            application_id: r.int(2)?,
            kindergarten_id: r.int(3)?,
            cohort: r.int32(4)?,
            issued_at: r.int(5)?,
            expires_at: r.int(6)?,
            state: r.text(7)?,
            staff_order: r.opt_text(8)?,
            public_no: r.text(9)?,
            parent_iin: r.text(10)?,
            priority: r.int32(11)?,
            applied_at: r.int(12)?,
            child_iin: r.text(13)?,
        })
    }

    fn view(&self) -> ReferralView {
        ReferralView {
            code: self.code.clone(),
            public_no: self.public_no.clone(),
            kindergarten_id: self.kindergarten_id,
            cohort: self.cohort,
            issued_at: self.issued_at,
            expires_at: self.expires_at,
            state: self.state.clone(),
            staff_order: self.staff_order.clone(),
        }
    }
    fn app(&self) -> AppRow {
        AppRow {
            id: self.application_id,
            public_no: self.public_no.clone(),
            child_iin: self.child_iin.clone(),
            parent_iin: self.parent_iin.clone(),
            cohort: self.cohort,
            priority: self.priority,
            applied_at: self.applied_at,
            status: "referred".into(),
            sibling_group: None,
        }
    }
}

async fn referral_by_code(c: &mut dyn Sql, code: &str) -> EngineResult<RefRow> {
    c.opt(
        &format!(
            "SELECT {REF_COLUMNS} FROM referrals r JOIN applications a ON a.id = r.application_id \
         WHERE r.code = $1"
        ),
        &[(code.trim()).into()],
    )
    .await
    .and_then(|o| o.map(|r| RefRow::from_row(&r)).transpose())?
    .ok_or(refused(AppError::NotFound))
}

async fn referral_of_app(c: &mut dyn Sql, application_id: i64) -> EngineResult<RefRow> {
    c.opt(
        &format!(
            "SELECT {REF_COLUMNS} FROM referrals r JOIN applications a ON a.id = r.application_id \
         WHERE r.application_id = $1 AND r.state = 'active'"
        ),
        &[application_id.into()],
    )
    .await
    .and_then(|o| o.map(|r| RefRow::from_row(&r)).transpose())?
    .ok_or(refused(AppError::NotFound))
}

/// Inserts a referral for a child whose seat is already taken.
async fn issue_referral(
    c: &mut dyn Sql,
    ctx: &Ctx,
    a: &AppRow,
    kindergarten_id: i64,
    staff_order: Option<&str>,
) -> EngineResult<ReferralView> {
    let year = year_of(ctx.now);
    // On PostgreSQL a counter row would queue every claim behind it: a sequence does not.
    let n = if c.backend() == Backend::Postgres {
        c.one("SELECT nextval('referral_numbers')", &[])
            .await?
            .int(0)?
    } else {
        next_number(c, &format!("REF-{year}")).await?
    };
    let code = format!("REF-{year}-{n:06}");
    let expires_at = ctx.calendar.deadline(ctx.now, ctx.rules.referral_days);
    c.exec(
        "INSERT INTO referrals (code, application_id, child_iin, kindergarten_id, cohort, \
         issued_at, expires_at, staff_order) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[
            (&code).into(),
            a.id.into(),
            (&a.child_iin).into(),
            kindergarten_id.into(),
            a.cohort.into(),
            ctx.now.into(),
            expires_at.into(),
            staff_order.into(),
        ],
    )
    .await
    .map_err(|e| unique_as(e, Conflict::AlreadyReferred))?;
    notify(
        c,
        ctx.now,
        a.id,
        "referral_issued",
        json!({ "code": code, "kindergarten_id": kindergarten_id, "expires_at": expires_at }),
    )
    .await?;
    let kind = if staff_order.is_some() {
        "referral.staff_order"
    } else {
        "referral.issued"
    };
    append_event(
        c,
        ctx.now,
        kind,
        json!({
            "code": code,
            "public_no": a.public_no,
            "kindergarten_id": kindergarten_id,
            "cohort": a.cohort,
            "expires_at": expires_at,
            "staff_order": staff_order,
        }),
    )
    .await?;
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

pub async fn claim(
    c: &mut dyn Sql,
    ctx: &Ctx,
    actor: &Actor,
    public_no: &str,
    kindergarten_id: i64,
) -> EngineResult<Vec<ReferralView>> {
    let a = app_by_no(c, public_no).await?;
    parent_only(actor, &a)?;
    match a.status() {
        AppStatus::Invited => {}
        AppStatus::Waiting => return Err(Conflict::NotInvited.into()),
        AppStatus::Referred => return Err(Conflict::AlreadyReferred.into()),
        AppStatus::Enrolled | AppStatus::Withdrawn => return Err(Conflict::NotOpen.into()),
    }
    let mut members = vec![a.clone()];
    if let Some(g) = a.sibling_group {
        let others = c
            .rows(
                &format!(
                    "SELECT {APP_COLUMNS} FROM applications WHERE sibling_group = $1 AND id <> $2 \
             AND status = 'invited' ORDER BY cohort, id{}",
                    c.for_update()
                ),
                &[g.into(), a.id.into()],
            )
            .await
            .and_then(|v| {
                v.iter()
                    .map(AppRow::from_row)
                    .collect::<Result<Vec<_>, _>>()
            })?;
        members.extend(others);
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
            let lapsed: Option<i64> = c
                .opt(
                    "SELECT id FROM invitations WHERE application_id = $1 AND state = 'open'",
                    &[m.id.into()],
                )
                .await
                .and_then(|o| o.map(|r| r.int(0)).transpose())?;
            return Err(if lapsed.is_some() {
                Conflict::InvitationLapsed
            } else {
                Conflict::AlreadyReferred
            }
            .into());
        }
        if !take_seat(c, kindergarten_id, m.cohort).await? {
            return Err(if together {
                Conflict::SiblingsDoNotFit
            } else {
                Conflict::SeatGone
            }
            .into());
        }
        set_status(c, m.id, "invited", "referred").await?;
        // Last, the event: on PostgreSQL the chain head stays locked until commit.
        out.push(issue_referral(c, ctx, m, kindergarten_id, None).await?);
    }
    Ok(out)
}

/// Ends an active referral that was not used (`declined` or `expired`): the seat returns,
/// the child returns to the queue at its original place, not invited again for the stop
/// days.
async fn release_referral(c: &mut dyn Sql, ctx: &Ctx, r: &RefRow, state: &str) -> EngineResult<()> {
    let n = c
        .exec(
            "UPDATE referrals SET state = $2, closed_at = $3 WHERE id = $1 AND state = 'active'",
            &[r.id.into(), state.into(), ctx.now.into()],
        )
        .await?;
    if n != 1 {
        return Err(Conflict::ReferralNotActive.into());
    }
    c.exec(
        "UPDATE seats SET free = free + 1 WHERE kindergarten_id = $1 AND cohort = $2 \
         AND free < capacity",
        &[r.kindergarten_id.into(), r.cohort.into()],
    )
    .await?;
    let stop_until = add_days_ms(ctx.now, ctx.rules.stop_days);
    c.exec(
        "UPDATE applications SET status = 'waiting', stop_until = $2 WHERE id = $1",
        &[r.application_id.into(), stop_until.into()],
    )
    .await?;
    queue_change(c, ctx.now, &r.app(), "returned").await?;
    announce(
        c,
        ctx.now,
        r.application_id,
        (
            &format!("referral.{state}"),
            json!({ "code": r.code, "public_no": r.public_no, "kindergarten_id": r.kindergarten_id,
                "cohort": r.cohort, "stop_until": stop_until }),
        ),
        (
            &format!("referral_{state}"),
            json!({ "code": r.code, "stop_until": stop_until }),
        ),
    )
    .await?;
    Ok(())
}

pub async fn decline(c: &mut dyn Sql, ctx: &Ctx, actor: &Actor, code: &str) -> EngineResult<()> {
    let r = referral_by_code(c, code).await?;
    parent_only(actor, &r.app())?;
    if r.state != "active" {
        return Err(Conflict::ReferralNotActive.into());
    }
    release_referral(c, ctx, &r, "declined").await?;
    fill_invitations(c, ctx, r.cohort).await?;
    Ok(())
}

/// Heads act on referrals to their own kindergarten; the department on any.
fn head_of(actor: &Actor, kindergarten_id: i64) -> EngineResult<()> {
    match actor {
        Actor::Head { kindergarten_id: k } if *k == kindergarten_id => Ok(()),
        Actor::Admin => Ok(()),
        _ => Err(refused(AppError::Forbidden)),
    }
}

pub async fn enrol(
    c: &mut dyn Sql,
    ctx: &Ctx,
    actor: &Actor,
    code: &str,
) -> EngineResult<ReferralView> {
    let r = referral_by_code(c, code).await?;
    head_of(actor, r.kindergarten_id)?;
    if r.state != "active" || r.expires_at <= ctx.now {
        return Err(Conflict::ReferralNotActive.into());
    }
    c.exec(
        "UPDATE referrals SET state = 'enrolled', closed_at = $2 WHERE id = $1",
        &[r.id.into(), ctx.now.into()],
    )
    .await?;
    set_status(c, r.application_id, "referred", "enrolled").await?;
    announce(
        c,
        ctx.now,
        r.application_id,
        ("referral.enrolled", json!({ "code": r.code, "public_no": r.public_no, "kindergarten_id": r.kindergarten_id })),
        ("enrolled", json!({ "code": r.code })),
    )
    .await?;
    let mut v = r.view();
    v.state = "enrolled".into();
    Ok(v)
}

pub async fn extend(
    c: &mut dyn Sql,
    ctx: &Ctx,
    actor: &Actor,
    code: &str,
    until: Date,
    reason: &str,
) -> EngineResult<ReferralView> {
    let r = referral_by_code(c, code).await?;
    head_of(actor, r.kindergarten_id)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(refused(AppError::Validation(Invalid::Reason)));
    }
    if r.state != "active" || r.expires_at <= ctx.now {
        return Err(Conflict::ReferralNotActive.into());
    }
    let Some(after) = until.next_day() else {
        return Err(refused(AppError::Validation(Invalid::ExtensionDate)));
    };
    let expires_at = start_of_day_ms(after);
    let longest = r.issued_at + i64::from(ctx.rules.max_extension_days) * DAY_MS;
    if expires_at <= r.expires_at || expires_at > longest {
        return Err(refused(AppError::Validation(Invalid::ExtensionDate)));
    }
    c.exec(
        "UPDATE referrals SET expires_at = $2, extension_reason = $3 WHERE id = $1",
        &[r.id.into(), expires_at.into(), reason.into()],
    )
    .await?;
    announce(
        c,
        ctx.now,
        r.application_id,
        (
            "referral.extended",
            json!({ "code": r.code, "expires_at": expires_at, "reason": reason,
                "by": if matches!(actor, Actor::Admin) { "admin" } else { "head" } }),
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

pub async fn admit_staff_child(
    c: &mut dyn Sql,
    ctx: &Ctx,
    actor: &Actor,
    kindergarten_id: i64,
    public_no: &str,
    order: &str,
) -> EngineResult<ReferralView> {
    match actor {
        Actor::Head { kindergarten_id: k } if *k == kindergarten_id => {}
        _ => return Err(refused(AppError::Forbidden)),
    }
    let order = order.trim();
    if order.is_empty() || order.chars().count() > 100 {
        return Err(refused(AppError::Validation(Invalid::Reason)));
    }
    let a = app_by_no(c, public_no).await?;
    let from = match a.status() {
        AppStatus::Waiting => "waiting",
        AppStatus::Invited => "invited",
        AppStatus::Referred => return Err(Conflict::AlreadyReferred.into()),
        AppStatus::Enrolled | AppStatus::Withdrawn => return Err(Conflict::NotOpen.into()),
    };
    if !take_seat(c, kindergarten_id, a.cohort).await? {
        return Err(Conflict::SeatGone.into());
    }
    if from == "invited" {
        close_invitation(c, ctx, a.id, "used").await?;
    } else {
        queue_change(c, ctx.now, &a, "admitted").await?;
    }
    let v = issue_referral(c, ctx, &a, kindergarten_id, Some(order)).await?;
    set_status(c, a.id, from, "referred").await?;
    Ok(v)
}

// ----- background jobs --------------------------------------------------------------------

pub async fn tick(c: &mut dyn Sql, ctx: &Ctx) -> EngineResult<TickReport> {
    let mut report = TickReport::default();
    let lapsed = c
        .rows(
            &format!(
        "SELECT {APP_COLUMNS_A} FROM invitations i JOIN applications a ON a.id = i.application_id \
         WHERE i.state = 'open' AND i.expires_at <= $1 ORDER BY i.id"
    ),
            &[ctx.now.into()],
        )
        .await
        .and_then(|v| {
            v.iter()
                .map(AppRow::from_row)
                .collect::<Result<Vec<_>, _>>()
        })?;
    for a in &lapsed {
        close_invitation(c, ctx, a.id, "lapsed").await?;
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
    let expired = c
        .rows(
            &format!(
        "SELECT {REF_COLUMNS} FROM referrals r JOIN applications a ON a.id = r.application_id \
         WHERE r.state = 'active' AND r.expires_at <= $1 ORDER BY r.id"
    ),
            &[ctx.now.into()],
        )
        .await
        .and_then(|v| {
            v.iter()
                .map(RefRow::from_row)
                .collect::<Result<Vec<_>, _>>()
        })?;
    for r in &expired {
        release_referral(c, ctx, r, "expired").await?;
        report.expired_referrals += 1;
    }
    let cohorts: Vec<i32> = c.rows("SELECT DISTINCT s.cohort FROM seats s JOIN kindergartens k ON k.id = s.kindergarten_id \
         WHERE s.free > 0 AND k.in_queue ORDER BY s.cohort", &[]).await.and_then(|v| v.iter().map(|r| r.int32(0)).collect::<Result<Vec<_>, _>>())?;
    for cohort in cohorts {
        report.invited += fill_invitations(c, ctx, cohort).await?;
    }
    Ok(report)
}

pub async fn record_positions(c: &mut dyn Sql, ctx: &Ctx) -> EngineResult<u64> {
    let mark: i64 = c
        .opt("SELECT value FROM job_marks WHERE name = 'positions'", &[])
        .await
        .and_then(|o| o.map(|r| r.int(0)).transpose())?
        .unwrap_or(0);
    let last_change: i64 = c
        .one(
            "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM queue_changes",
            &[],
        )
        .await
        .and_then(|r| r.int(0))?;
    let cohorts: Vec<i32> = c
        .rows(
            "SELECT DISTINCT cohort FROM applications WHERE status = 'waiting' ORDER BY cohort",
            &[],
        )
        .await
        .and_then(|v| v.iter().map(|r| r.int32(0)).collect::<Result<Vec<_>, _>>())?;
    let mut recorded = 0u64;
    let mut pending = Vec::with_capacity(POSITION_BATCH);
    for cohort in cohorts {
        let turn = cadence_turn(c, cohort).await?;
        let rows = c
            .rows(
                "SELECT id, CAST(priority AS INTEGER), applied_at, position FROM applications \
             WHERE status = 'waiting' AND cohort = $1 ORDER BY priority, applied_at, id",
                &[cohort.into()],
            )
            .await
            .and_then(|v| {
                v.iter()
                    .map(|r| {
                        Ok::<_, sqlx::Error>((r.int(0)?, r.int32(1)?, r.int(2)?, r.opt_int(3)?))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })?;
        let changes = c
            .rows(
                "SELECT CAST(priority AS INTEGER), applied_at, application_id, change \
             FROM queue_changes WHERE cohort = $1 AND id > $2 AND id <= $3",
                &[cohort.into(), mark.into(), last_change.into()],
            )
            .await
            .and_then(|v| {
                v.iter()
                    .map(|r| Ok::<_, sqlx::Error>((r.int32(0)?, r.int(1)?, r.int(2)?, r.text(3)?)))
                    .collect::<Result<Vec<_>, _>>()
            })?;
        let mut changes: Vec<(QueueKey, String)> = changes
            .into_iter()
            .map(|(priority, applied_at, id, ch)| {
                (
                    QueueKey {
                        priority,
                        applied_at,
                        id,
                    },
                    ch,
                )
            })
            .collect();
        changes.sort();
        let privileged = rows.iter().filter(|r| r.1 < 2).count() as u64;
        let general = rows.len() as u64 - privileged;
        let (mut rank_p, mut rank_g) = (0u64, 0u64);
        let mut ahead: BTreeMap<(String, bool), i64> = BTreeMap::new();
        let mut ci = 0;
        for (id, priority, applied_at, old) in rows {
            let key = QueueKey {
                priority,
                applied_at,
                id,
            };
            while ci < changes.len() && changes[ci].0 < key {
                let (k, ch) = &changes[ci];
                *ahead
                    .entry((ch.clone(), k.list() == List::Privileged))
                    .or_default() += 1;
                ci += 1;
            }
            let list = key.list();
            let rank = if list == List::Privileged {
                rank_p += 1;
                rank_p
            } else {
                rank_g += 1;
                rank_g
            };
            let position = ctx.rules.position(list, rank, turn, privileged, general) as i64;
            if old == Some(position) {
                continue;
            }
            let reasons: Vec<PositionReason> = ahead
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|((change, privileged), n)| PositionReason {
                    change: change.clone(),
                    privileged: *privileged,
                    n: *n,
                })
                .collect();
            let reasons = serde_json::to_string(&reasons).expect("reasons serialize");
            pending.push((id, position, old, reasons));
            if pending.len() == POSITION_BATCH {
                recorded += write_positions(c, ctx.now, &mut pending).await?;
            }
        }
    }
    recorded += write_positions(c, ctx.now, &mut pending).await?;
    c.exec(
        "INSERT INTO job_marks (name, value) VALUES ('positions', $1) \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        &[last_change.into()],
    )
    .await?;
    Ok(recorded)
}

/// Position changes written per statement.
const POSITION_BATCH: usize = 400;

/// Writes position changes `(application, position, previous, reasons)` to the history and
/// the applications, a batch per statement (one round trip for hundreds of children).
async fn write_positions(
    c: &mut dyn Sql,
    at: i64,
    pending: &mut Vec<(i64, i64, Option<i64>, String)>,
) -> EngineResult<u64> {
    if pending.is_empty() {
        return Ok(0);
    }
    let rows = |width: usize| {
        (0..pending.len())
            .map(|i| {
                let cols: Vec<String> =
                    (1..=width).map(|k| format!("${}", i * width + k)).collect();
                format!("({})", cols.join(", "))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut args = Vec::with_capacity(pending.len() * 5);
    for (id, position, old, reasons) in pending.iter() {
        args.extend([
            (*id).into(),
            at.into(),
            (*position).into(),
            (*old).into(),
            reasons.as_str().into(),
        ]);
    }
    c.exec(
        &format!(
            "INSERT INTO position_history (application_id, at, position, previous, reasons) \
             VALUES {}",
            rows(5)
        ),
        &args,
    )
    .await?;
    let mut args = Vec::with_capacity(pending.len() * 2);
    for (id, position, _, _) in pending.iter() {
        args.extend([(*id).into(), (*position).into()]);
    }
    c.exec(
        &format!(
            "WITH v (id, position) AS (VALUES {}) \
             UPDATE applications SET position = v.position FROM v WHERE applications.id = v.id",
            rows(2)
        ),
        &args,
    )
    .await?;
    let n = pending.len() as u64;
    pending.clear();
    Ok(n)
}

async fn cadence_turn(c: &mut dyn Sql, cohort: i32) -> EngineResult<u64> {
    let turn: Option<i64> = c
        .opt(
            "SELECT turn FROM cadence WHERE cohort = $1",
            &[cohort.into()],
        )
        .await
        .and_then(|o| o.map(|r| r.int(0)).transpose())?;
    Ok(turn.unwrap_or(0) as u64)
}

// ----- reads ------------------------------------------------------------------------------

/// The counts behind a position: children waiting in the cohort's privileged and general
/// lists, and those ahead of a child (key `$2, $3, $4` = priority, time, id) in its list.
/// Each is a range of the `applications_queue` index (tests check the plans).
pub const POSITION_QUERIES: [&str; 4] = [
    "SELECT COUNT(*) FROM applications WHERE status = 'waiting' AND cohort = $1 AND priority < 2",
    "SELECT COUNT(*) FROM applications WHERE status = 'waiting' AND cohort = $1 AND priority = 2",
    "SELECT COUNT(*) FROM applications WHERE status = 'waiting' AND cohort = $1 \
     AND priority < 2 AND (priority, applied_at, id) < ($2, $3, $4)",
    "SELECT COUNT(*) FROM applications WHERE status = 'waiting' AND cohort = $1 \
     AND priority = $2 AND (applied_at, id) < ($3, $4)",
];

/// Where an application stands, computed from index range counts (no scan of the queue).
pub async fn position_view(
    c: &mut dyn Sql,
    ctx: &Ctx,
    public_no: &str,
) -> EngineResult<PositionView> {
    let a = app_to_read(c, public_no).await?;
    let [waiting_p, waiting_g, ahead_p, ahead_g] = POSITION_QUERIES;
    let privileged = c.one(waiting_p, &[a.cohort.into()]).await?.int(0)?;
    let general = c.one(waiting_g, &[a.cohort.into()]).await?.int(0)?;
    let position = if a.status() == AppStatus::Waiting {
        let ahead = if a.privileged() { ahead_p } else { ahead_g };
        let key = [
            a.cohort.into(),
            a.priority.into(),
            a.applied_at.into(),
            a.id.into(),
        ];
        let ahead = c.one(ahead, &key).await?.int(0)?;
        let turn = cadence_turn(c, a.cohort).await?;
        let list = if a.privileged() {
            List::Privileged
        } else {
            List::General
        };
        Some(ctx.rules.position(
            list,
            ahead as u64 + 1,
            turn,
            privileged as u64,
            general as u64,
        ) as i64)
    } else {
        None
    };
    let history = c
        .rows(
            "SELECT at, position, previous, reasons FROM position_history \
         WHERE application_id = $1 ORDER BY id DESC LIMIT 50",
            &[a.id.into()],
        )
        .await
        .and_then(|v| {
            v.iter()
                .map(|r| Ok::<_, sqlx::Error>((r.int(0)?, r.int(1)?, r.opt_int(2)?, r.text(3)?)))
                .collect::<Result<Vec<_>, _>>()
        })?
        .into_iter()
        .map(|(at, position, previous, reasons)| PositionChange {
            at,
            previous,
            position,
            reasons: serde_json::from_str(&reasons).unwrap_or_default(),
        })
        .collect();
    Ok(PositionView {
        public_no: a.public_no.clone(),
        cohort: a.cohort,
        privileged: a.privileged(),
        status: a.status(),
        position,
        waiting_in_cohort: privileged + general,
        history,
    })
}

pub async fn invitation_view(
    c: &mut dyn Sql,
    actor: &Actor,
    public_no: &str,
) -> EngineResult<Option<InvitationView>> {
    let a = app_to_read(c, public_no).await?;
    parent_only(actor, &a)?;
    let row = c
        .opt(
            "SELECT cohort, issued_at, expires_at FROM invitations \
         WHERE application_id = $1 AND state = 'open'",
            &[a.id.into()],
        )
        .await
        .and_then(|o| {
            o.map(|r| Ok::<_, sqlx::Error>((r.int32(0)?, r.int(1)?, r.int(2)?)))
                .transpose()
        })?;
    Ok(row.map(|(cohort, issued_at, expires_at)| InvitationView {
        public_no: a.public_no.clone(),
        cohort,
        issued_at,
        expires_at,
    }))
}

pub async fn claimable(c: &mut dyn Sql, public_no: &str) -> EngineResult<Vec<ClaimableSeat>> {
    let cohort: i32 = c
        .opt(
            "SELECT cohort FROM applications WHERE public_no = $1",
            &[(public_no.trim()).into()],
        )
        .await
        .and_then(|o| o.map(|r| r.int32(0)).transpose())?
        .ok_or(refused(AppError::NotFound))?;
    let rows = c
        .rows(
            "SELECT k.id, k.number, k.name_kk, k.name_ru, k.lat, k.lon, s.free FROM seats s \
         JOIN kindergartens k ON k.id = s.kindergarten_id \
         WHERE s.cohort = $1 AND s.free > 0 AND k.in_queue ORDER BY k.number",
            &[cohort.into()],
        )
        .await
        .and_then(|v| {
            v.iter()
                .map(|r| {
                    Ok::<_, sqlx::Error>((
                        r.int(0)?,
                        r.int32(1)?,
                        r.text(2)?,
                        r.text(3)?,
                        r.real(4)?,
                        r.real(5)?,
                        r.int(6)?,
                    ))
                })
                .collect::<Result<Vec<_>, _>>()
        })?;
    Ok(rows
        .into_iter()
        .map(
            |(kindergarten_id, number, name_kk, name_ru, lat, lon, free)| ClaimableSeat {
                kindergarten_id,
                number,
                name_kk,
                name_ru,
                lat,
                lon,
                free,
            },
        )
        .collect())
}

pub async fn referral_view(
    c: &mut dyn Sql,
    actor: &Actor,
    code: &str,
) -> EngineResult<ReferralView> {
    let r = referral_by_code(c, code).await?;
    match actor {
        Actor::Parent(iin) if iin.digits() == r.parent_iin => {}
        Actor::Head { kindergarten_id } if *kindergarten_id == r.kindergarten_id => {}
        Actor::Admin | Actor::System => {}
        _ => return Err(refused(AppError::NotFound)),
    }
    Ok(r.view())
}

pub async fn events_after(
    c: &mut dyn Sql,
    after: i64,
    limit: i64,
) -> EngineResult<Vec<StoredEvent>> {
    let rows = c.rows("SELECT seq, at, kind, body, prev_hash, hash FROM events WHERE seq > $1 ORDER BY seq LIMIT $2", &[after.into(), limit.into()]).await.and_then(|v| v.iter().map(|r| Ok::<_, sqlx::Error>((r.int(0)?, r.int(1)?, r.text(2)?, r.text(3)?, r.text(4)?, r.text(5)?))).collect::<Result<Vec<_>, _>>())?;
    Ok(rows
        .into_iter()
        .map(|(seq, at, kind, body, prev_hash, hash)| StoredEvent {
            seq,
            at,
            kind,
            body,
            prev_hash,
            hash,
        })
        .collect())
}

pub async fn chain_head(c: &mut dyn Sql) -> EngineResult<(i64, String)> {
    Ok(c.one("SELECT seq, hash FROM chain_head WHERE id = 1", &[])
        .await
        .and_then(|r| Ok::<_, sqlx::Error>((r.int(0)?, r.text(1)?)))?)
}

// ----- sessions ---------------------------------------------------------------------------

pub async fn create_session(
    c: &mut dyn Sql,
    ctx: &Ctx,
    actor: &Actor,
    token_hash: &str,
    ttl_ms: i64,
) -> EngineResult<()> {
    let (role, iin, kindergarten) = match actor {
        Actor::Parent(iin) => ("parent", Some(iin.digits()), None),
        Actor::Head { kindergarten_id } => ("head", None, Some(*kindergarten_id)),
        Actor::Admin => ("admin", None, None),
        Actor::System => return Err(refused(AppError::Forbidden)),
    };
    c.exec(
        "INSERT INTO sessions (token_hash, role, parent_iin, kindergarten_id, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            token_hash.into(),
            role.into(),
            iin.into(),
            kindergarten.into(),
            ctx.now.into(),
            (ctx.now + ttl_ms).into(),
        ],
    )
    .await?;
    Ok(())
}

pub async fn session_actor(
    c: &mut dyn Sql,
    ctx: &Ctx,
    token_hash: &str,
) -> EngineResult<Option<Actor>> {
    let row = c
        .opt(
            "SELECT role, parent_iin, kindergarten_id FROM sessions \
         WHERE token_hash = $1 AND expires_at > $2",
            &[token_hash.into(), ctx.now.into()],
        )
        .await
        .and_then(|o| {
            o.map(|r| Ok::<_, sqlx::Error>((r.text(0)?, r.opt_text(1)?, r.opt_int(2)?)))
                .transpose()
        })?;
    Ok(
        row.and_then(|(role, iin, k)| match (role.as_str(), iin, k) {
            ("parent", Some(iin), _) => crate::domain::Iin::parse(&iin).ok().map(Actor::Parent),
            ("head", _, Some(k)) => Some(Actor::Head { kindergarten_id: k }),
            ("admin", _, _) => Some(Actor::Admin),
            _ => None,
        }),
    )
}

// ----- the calendar -----------------------------------------------------------------------

/// Adds (or renames) a non-working day, or with `name` `None` removes one; returns the whole
/// calendar as stored.
pub async fn set_holiday(
    c: &mut dyn Sql,
    ctx: &Ctx,
    day: Date,
    name: Option<&str>,
) -> EngineResult<Vec<Date>> {
    let iso = day.to_string();
    match name {
        Some(name) => {
            c.exec(
                "INSERT INTO holidays (day, name) VALUES ($1, $2) \
                 ON CONFLICT (day) DO UPDATE SET name = excluded.name",
                &[(&iso).into(), name.into()],
            )
            .await?;
        }
        None => {
            c.exec("DELETE FROM holidays WHERE day = $1", &[(&iso).into()])
                .await?;
        }
    }
    append_event(
        c,
        ctx.now,
        "calendar.changed",
        json!({ "day": iso, "holiday": name }),
    )
    .await?;
    Ok(c.rows("SELECT day FROM holidays", &[])
        .await?
        .iter()
        .filter_map(|r| r.text(0).ok())
        .filter_map(|d| crate::domain::parse_iso_date(&d))
        .collect())
}
