//! Rolling invitations: while a cohort has more free seats than open invitations, its next
//! children are invited (whom: `select.rs`); an invitation is closed when used, lapsed or
//! cancelled. Also what an invited parent reads: the invitation and where seats are free.

use super::error::{unique_as, EngineResult};
use super::events::announce;
use super::parents::{place_at, PLACE_COLUMNS};
use super::positions::queue_change;
use super::rows::{app_to_read, set_status, AppRow, APP_COLUMNS};
use super::select::{select, Candidate, Situation};
use super::Ctx;
use crate::domain::queue::{AppStatus, ClaimableSeat, InvitationView};
use crate::error::Conflict;
use crate::store::sql::{FromRow, Row, Sql, Val};
use serde_json::json;

impl AppRow {
    fn candidate(&self) -> Result<Candidate, sqlx::Error> {
        Ok(Candidate {
            id: self.id,
            key: self.key(),
            cohort: self.cohort,
            status: self.status,
            birth_date: crate::domain::parse_iso_date(&self.birth_date).ok_or_else(|| {
                sqlx::Error::Decode(format!("bad birth date {:?}", self.birth_date).into())
            })?,
            stop_until: self.stop_until,
            sibling_group: self.sibling_group,
        })
    }
}

/// Invites the cohort's next children until open invitations equal the cohort's free seats.
/// Returns how many children of the cohort were invited.
pub async fn fill(c: &mut dyn Sql, ctx: &Ctx, cohort: i32) -> EngineResult<u32> {
    // One filler per cohort at a time (PostgreSQL: the cadence row lock).
    c.exec(
        "INSERT INTO cadence (cohort, turn) VALUES ($1, 0) ON CONFLICT (cohort) DO NOTHING",
        &[cohort.into()],
    )
    .await?;
    let lock = c.for_update();
    let turn: i64 = c
        .scalar(
            &format!("SELECT turn FROM cadence WHERE cohort = $1{lock}"),
            &[cohort.into()],
        )
        .await?;
    let free = cohort_free(c, cohort).await?;
    let open: i64 = c
        .scalar(
            "SELECT COUNT(*) FROM invitations WHERE cohort = $1 AND state = 'open'",
            &[cohort.into()],
        )
        .await?;
    let want = free - open;
    if want <= 0 {
        return Ok(0);
    }
    // Read only the heads of the two lists; the SQL narrows by the same cutoff and stop-list
    // that `select` applies (`Rules::age_cutoff`), so that it reads dozens of rows, not all.
    let cutoff = ctx.rules.age_cutoff(ctx.today()).to_string();
    let mut candidates: Vec<AppRow> = Vec::new();
    for privileged in ["< 2", "= 2"] {
        let sql = format!(
            "SELECT {APP_COLUMNS} FROM applications a WHERE a.status = 'waiting' \
             AND a.cohort = $1 AND a.priority {privileged} AND a.stop_until <= $2 \
             AND a.birth_date <= $3 ORDER BY a.priority, a.applied_at, a.id LIMIT $4"
        );
        let args = [
            cohort.into(),
            ctx.now.into(),
            (&cutoff).into(),
            (want + 16).into(),
        ];
        candidates.extend(c.all::<AppRow>(&sql, &args).await?);
    }
    let groups: Vec<i64> = candidates.iter().filter_map(|a| a.sibling_group).collect();
    let (siblings, free_seats) = if groups.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let marks: Vec<String> = (1..=groups.len()).map(|i| format!("${i}")).collect();
        let args: Vec<Val> = groups.iter().map(|g| (*g).into()).collect();
        let siblings = c
            .all::<AppRow>(
                &format!(
                    "SELECT {APP_COLUMNS} FROM applications a WHERE a.status = 'waiting' \
                     AND a.sibling_group IN ({})",
                    marks.join(", ")
                ),
                &args,
            )
            .await?;
        let free_seats = c
            .all::<(i64, i32, i64)>(
                "SELECT s.kindergarten_id, s.cohort, s.free FROM seats s \
                 JOIN kindergartens k ON k.id = s.kindergarten_id \
                 WHERE s.free > 0 AND k.in_queue",
                &[],
            )
            .await?;
        (siblings, free_seats)
    };
    let as_candidates = |rows: &[AppRow]| -> Result<Vec<Candidate>, sqlx::Error> {
        rows.iter().map(AppRow::candidate).collect()
    };
    let chosen = select(
        &as_candidates(&candidates)?,
        &as_candidates(&siblings)?,
        &Situation {
            cohort,
            want: want as u64,
            turn: turn as u64,
            rules: &ctx.rules,
            today: ctx.today(),
            now: ctx.now,
            free: &free_seats,
        },
    );
    let mut invited = 0;
    let row = |id: i64| {
        candidates
            .iter()
            .chain(&siblings)
            .find(|a| a.id == id)
            .expect("select invites only the children it was given")
    };
    for (id, (head, after)) in chosen.invite.iter().zip(&chosen.steps) {
        let a = row(*id);
        let with = (head != id).then(|| row(*head).public_no.as_str());
        invite(
            c,
            ctx,
            a,
            Step {
                cohort,
                after: *after,
                with,
            },
        )
        .await?;
        if a.cohort == cohort {
            invited += 1;
        }
    }
    c.exec(
        "UPDATE cadence SET turn = $2 WHERE cohort = $1",
        &[cohort.into(), (chosen.turn as i64).into()],
    )
    .await?;
    Ok(invited)
}

/// Free seats of a cohort in kindergartens that take part in the queue.
async fn cohort_free(c: &mut dyn Sql, cohort: i32) -> EngineResult<i64> {
    Ok(c.scalar(
        "SELECT CAST(COALESCE(SUM(s.free), 0) AS BIGINT) FROM seats s \
         JOIN kindergartens k ON k.id = s.kindergarten_id WHERE s.cohort = $1 AND k.in_queue",
        &[cohort.into()],
    )
    .await?)
}

/// Which turn invited a child: the cohort whose seats were filled, that cohort's seat turn after
/// the step, and the sibling whose turn it was when it was not the child's own. All three go into
/// the public event, so that a replay of the log keeps every cohort's turn (and with it every
/// position) as the site does, and can check each turn against the ratio.
struct Step<'a> {
    cohort: i32,
    after: u64,
    with: Option<&'a str>,
}

/// Invites one child at `step`.
async fn invite(c: &mut dyn Sql, ctx: &Ctx, a: &AppRow, step: Step<'_>) -> EngineResult<()> {
    let expires_at = ctx.calendar.deadline(ctx.now, ctx.rules.invitation_days);
    set_status(c, a.id, AppStatus::Waiting, AppStatus::Invited).await?;
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
            json!({ "public_no": a.public_no, "cohort": a.cohort, "expires_at": expires_at,
                "filling": step.cohort, "turn": step.after, "with": step.with }),
        ),
        (
            "invited",
            json!({ "public_no": a.public_no, "expires_at": expires_at }),
        ),
    )
    .await
}

/// Closes the open invitation of an application (`used`, `lapsed` or `cancelled`); returns
/// whether there was one.
pub async fn close(
    c: &mut dyn Sql,
    ctx: &Ctx,
    application_id: i64,
    state: &str,
) -> EngineResult<bool> {
    let n = c
        .exec(
            "UPDATE invitations SET state = $2, closed_at = $3 \
             WHERE application_id = $1 AND state = 'open'",
            &[application_id.into(), state.into(), ctx.now.into()],
        )
        .await?;
    Ok(n == 1)
}

/// The open invitation of an application (the caller checked who asks).
pub async fn view(c: &mut dyn Sql, a: &AppRow) -> EngineResult<Option<InvitationView>> {
    let row = c
        .first::<(i32, i64, i64)>(
            "SELECT cohort, issued_at, expires_at FROM invitations \
             WHERE application_id = $1 AND state = 'open'",
            &[a.id.into()],
        )
        .await?;
    Ok(row.map(|(cohort, issued_at, expires_at)| InvitationView {
        public_no: a.public_no.clone(),
        cohort,
        issued_at,
        expires_at,
    }))
}

/// Where an application's child may claim a seat now: its cohort's free seats.
pub async fn claimable(c: &mut dyn Sql, public_no: &str) -> EngineResult<Vec<ClaimableSeat>> {
    let a = app_to_read(c, public_no).await?;
    // The parent's wishes first: the district asked for, then a group in the language asked
    // for; then the rest by district and number.
    let (district, language): (String, String) = c
        .get(
            "SELECT district, language FROM applications WHERE id = $1",
            &[a.id.into()],
        )
        .await?;
    let language = crate::domain::GroupLanguage::from_code(&language).map_or(0, |l| {
        i32::from(crate::domain::LanguageSet::default().with(l).bits())
    });
    let rows = c
        .all::<ClaimRow>(
            &format!(
                "SELECT k.id, {PLACE_COLUMNS}, k.languages, k.lat, k.lon, s.free FROM seats s \
                 JOIN kindergartens k ON k.id = s.kindergarten_id \
                 WHERE s.cohort = $1 AND s.free > 0 AND k.in_queue \
                 ORDER BY CASE WHEN k.district = $2 THEN 0 ELSE 1 END, \
                 CASE WHEN (k.languages & $3) != 0 THEN 0 ELSE 1 END, k.district, k.number"
            ),
            &[a.cohort.into(), (&district).into(), language.into()],
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

struct ClaimRow(ClaimableSeat);

impl FromRow for ClaimRow {
    fn from_row(r: &Row) -> Result<Self, sqlx::Error> {
        Ok(ClaimRow(ClaimableSeat {
            kindergarten_id: r.get(0)?,
            place: place_at(r, 1)?,
            languages: crate::domain::LanguageSet::from_bits(r.get::<i32>(7)? as u8),
            lat: r.get(8)?,
            lon: r.get(9)?,
            free: r.get(10)?,
        }))
    }
}
