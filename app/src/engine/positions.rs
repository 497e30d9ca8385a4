//! Positions: every entry into and exit from a cohort's waiting list is recorded
//! (`queue_changes`), and a job turns those into each child's position history with its
//! reasons. The public answer for an application number is computed from index range counts.

use super::error::EngineResult;
use super::rows::{app_to_read, AppRow};
use super::rules::{List, QueueKey};
use super::Ctx;
use crate::domain::queue::{AppStatus, PositionChange, PositionReason, PositionView};
use crate::domain::PriorityClass;
use crate::store::sql::Sql;
use std::collections::BTreeMap;

/// Records a child entering or leaving its cohort's waiting list.
pub async fn queue_change(c: &mut dyn Sql, at: i64, a: &AppRow, change: &str) -> EngineResult<()> {
    c.exec(
        "INSERT INTO queue_changes (at, cohort, priority, applied_at, application_id, change) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            at.into(),
            a.cohort.into(),
            (a.priority as i32).into(),
            a.applied_at.into(),
            a.id.into(),
            change.into(),
        ],
    )
    .await?;
    Ok(())
}

/// The cohort's next seat turn of the interleave.
pub async fn cadence_turn(c: &mut dyn Sql, cohort: i32) -> EngineResult<u64> {
    let turn: Option<i64> = c
        .first::<(i64,)>(
            "SELECT turn FROM cadence WHERE cohort = $1",
            &[cohort.into()],
        )
        .await?
        .map(|(t,)| t);
    Ok(turn.unwrap_or(0) as u64)
}

/// Records every position that changed since the last run, with its reasons.
pub async fn record(c: &mut dyn Sql, ctx: &Ctx) -> EngineResult<u64> {
    let mark: i64 = c
        .first::<(i64,)>("SELECT value FROM job_marks WHERE name = 'positions'", &[])
        .await?
        .map_or(0, |(v,)| v);
    let last_change: i64 = c
        .scalar(
            "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM queue_changes",
            &[],
        )
        .await?;
    let cohorts: Vec<(i32,)> = c
        .all(
            "SELECT DISTINCT cohort FROM applications WHERE status = 'waiting' ORDER BY cohort",
            &[],
        )
        .await?;
    let mut recorded = 0u64;
    let mut pending = Vec::with_capacity(POSITION_BATCH);
    for (cohort,) in cohorts {
        let turn = cadence_turn(c, cohort).await?;
        let rows: Vec<(i64, PriorityClass, i64, Option<i64>)> = c
            .all(
                "SELECT id, CAST(priority AS INTEGER), applied_at, position FROM applications \
                 WHERE status = 'waiting' AND cohort = $1 ORDER BY priority, applied_at, id",
                &[cohort.into()],
            )
            .await?;
        let changes: Vec<(PriorityClass, i64, i64, String)> = c
            .all(
                "SELECT CAST(priority AS INTEGER), applied_at, application_id, change \
                 FROM queue_changes WHERE cohort = $1 AND id > $2 AND id <= $3",
                &[cohort.into(), mark.into(), last_change.into()],
            )
            .await?;
        let mut changes: Vec<(QueueKey, String)> = changes
            .into_iter()
            .map(|(priority, applied_at, id, ch)| {
                let key = QueueKey {
                    priority,
                    applied_at,
                    id,
                };
                (key, ch)
            })
            .collect();
        changes.sort();
        // Children whose own class changed (a privilege dropped): told so even where the number
        // of their place happens to stay.
        let own: std::collections::HashSet<i64> = changes
            .iter()
            .filter(|(_, ch)| ch == "privilege_dropped")
            .map(|(k, _)| k.id)
            .collect();
        let privileged = rows.iter().filter(|r| r.1.is_privileged()).count() as u64;
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
            let mine = own.contains(&id);
            if old == Some(position) && !mine {
                continue;
            }
            let yours = mine.then(|| PositionReason {
                change: "privilege_dropped".into(),
                privileged: false,
                n: 0,
                text: String::new(),
            });
            let reasons: Vec<PositionReason> =
                yours
                    .into_iter()
                    .chain(ahead.iter().filter(|(_, n)| **n > 0).map(
                        |((change, privileged), n)| PositionReason {
                            change: change.clone(),
                            privileged: *privileged,
                            n: *n,
                            text: String::new(),
                        },
                    ))
                    .collect();
            let reasons = serde_json::to_string(&reasons).expect("reasons serialize");
            pending.push((id, position, old, reasons));
            if pending.len() == POSITION_BATCH {
                recorded += write(c, ctx.now, &mut pending).await?;
            }
        }
    }
    recorded += write(c, ctx.now, &mut pending).await?;
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
async fn write(
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

/// Where an application stands, computed from index range counts (no scan of the queue). The
/// answer is public: it names no priority class and no person.
pub async fn view(c: &mut dyn Sql, ctx: &Ctx, public_no: &str) -> EngineResult<PositionView> {
    let a = app_to_read(c, public_no).await?;
    let [waiting_p, waiting_g, ahead_p, ahead_g] = POSITION_QUERIES;
    let privileged: i64 = c.scalar(waiting_p, &[a.cohort.into()]).await?;
    let general: i64 = c.scalar(waiting_g, &[a.cohort.into()]).await?;
    let position = if a.status == AppStatus::Waiting {
        let list = a.list();
        let ahead = if list == List::Privileged {
            ahead_p
        } else {
            ahead_g
        };
        let key = [
            a.cohort.into(),
            (a.priority as i32).into(),
            a.applied_at.into(),
            a.id.into(),
        ];
        let ahead: i64 = c.scalar(ahead, &key).await?;
        let turn = cadence_turn(c, a.cohort).await?;
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
        .all::<(i64, i64, Option<i64>, String)>(
            "SELECT at, position, previous, reasons FROM position_history \
             WHERE application_id = $1 ORDER BY id DESC LIMIT 50",
            &[a.id.into()],
        )
        .await?
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
        status: a.status,
        position,
        waiting_in_cohort: privileged + general,
        history,
        today: ctx.today().to_string(),
    })
}
