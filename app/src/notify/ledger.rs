//! The deliveries as the department and the parent see them: counts by state (`kezek outbox
//! stats`), the dead (`kezek outbox dead`) and their re-queueing, an application's latest, and
//! notifications queued outside any change (the benchmark's load).

use super::{mask_email, mask_phone};
use crate::store::{read_tx, write_tx, Db, StoreError};
use serde::{Deserialize, Serialize};

/// A storage failure as the worker and the command line report it.
pub(super) fn err(e: StoreError) -> String {
    e.to_string()
}

/// A delivery as listed: id, template, channel, recipient, state, attempts, when, error.
type NoteRow = (
    i64,
    String,
    String,
    String,
    String,
    i64,
    i64,
    Option<String>,
);

/// Counts of the deliveries by state (`kezek outbox stats`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Notifications not yet made into deliveries.
    pub queued: i64,
    pub pending: i64,
    pub sending: i64,
    pub retrying: i64,
    pub sent: i64,
    pub dead: i64,
    /// Milliseconds the oldest delivery not yet sent (nor dead) has waited.
    pub oldest_wait_ms: i64,
}

/// A delivery as the parent and the department see it: masked recipient, no text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryNote {
    pub id: i64,
    pub template: String,
    pub channel: String,
    pub to: String,
    pub state: String,
    pub attempts: i64,
    /// When it was sent, or is next tried.
    pub at: i64,
    pub error: Option<String>,
}

/// The counts by state.
pub async fn stats(db: &Db, now: i64) -> Result<Stats, String> {
    let r: Result<Stats, StoreError> = read_tx!(db, |c| async move {
        let queued: i64 = c
            .scalar("SELECT COUNT(*) FROM outbox WHERE expanded_at IS NULL", &[])
            .await?;
        let by: Vec<(String, i64)> = c
            .all("SELECT state, COUNT(*) FROM deliveries GROUP BY state", &[])
            .await?;
        let oldest: Option<(i64,)> = c
            .first(
                "SELECT o.created_at FROM deliveries d JOIN outbox o ON o.id = d.outbox_id \
                 WHERE d.state IN ('pending', 'sending', 'retry') ORDER BY d.id LIMIT 1",
                &[],
            )
            .await?;
        let mut s = Stats {
            queued,
            oldest_wait_ms: oldest.map_or(0, |(t,)| (now - t).max(0)),
            ..Stats::default()
        };
        for (state, n) in by {
            match state.as_str() {
                "pending" => s.pending = n,
                "sending" => s.sending = n,
                "retry" => s.retrying = n,
                "sent" => s.sent = n,
                _ => s.dead = n,
            }
        }
        Ok(s)
    });
    r.map_err(err)
}

const NOTE_COLUMNS: &str = "d.id, o.template, d.channel, d.recipient, d.state, d.attempts, \
     COALESCE(d.sent_at, d.next_at), d.error";

fn notes(rows: Vec<NoteRow>) -> Vec<DeliveryNote> {
    rows.into_iter()
        .map(
            |(id, template, channel, to, state, attempts, at, error)| DeliveryNote {
                to: if channel == "sms" {
                    mask_phone(&to)
                } else {
                    mask_email(&to)
                },
                id,
                template,
                channel,
                state,
                attempts,
                at,
                error,
            },
        )
        .collect()
}

/// The dead deliveries, oldest first.
pub async fn dead(db: &Db) -> Result<Vec<DeliveryNote>, String> {
    let r: Result<Vec<DeliveryNote>, StoreError> = read_tx!(db, |c| async move {
        let rows = c
            .all(
                &format!(
                    "SELECT {NOTE_COLUMNS} FROM deliveries d JOIN outbox o ON o.id = d.outbox_id \
                     WHERE d.state = 'dead' ORDER BY d.id"
                ),
                &[],
            )
            .await?;
        Ok(notes(rows))
    });
    r.map_err(err)
}

/// The latest deliveries of one application (its notifications to the parent), newest first.
pub async fn of_application(db: &Db, application_id: i64) -> Result<Vec<DeliveryNote>, String> {
    let r: Result<Vec<DeliveryNote>, StoreError> = read_tx!(db, |c| async {
        let rows = c
            .all(
                &format!(
                    "SELECT {NOTE_COLUMNS} FROM deliveries d JOIN outbox o ON o.id = d.outbox_id \
                     WHERE d.application_id = $1 ORDER BY d.id DESC LIMIT 6"
                ),
                &[application_id.into()],
            )
            .await?;
        Ok(notes(rows))
    });
    r.map_err(err)
}

/// Queues one notification `template` with `params` for each application named (outside any
/// change: the benchmark's load, an operator's test message).
pub async fn enqueue(
    db: &Db,
    application_ids: &[i64],
    template: &str,
    params: &serde_json::Value,
    now: i64,
) -> Result<(), String> {
    let params = params.to_string();
    for chunk in application_ids.chunks(500) {
        let (chunk, template, params) = (chunk.to_vec(), template.to_string(), params.clone());
        let r: Result<(), StoreError> = write_tx!(db, |c| async {
            for &id in &chunk {
                c.exec(
                    crate::engine::events::OUTBOX_INSERT,
                    &crate::engine::events::notification(now, id, &template, &params),
                )
                .await?;
            }
            Ok(())
        });
        r.map_err(err)?;
    }
    Ok(())
}

/// Puts dead deliveries back in the queue (all of them, or those named), with fresh attempts.
pub async fn requeue(db: &Db, ids: &[i64], now: i64) -> Result<u64, String> {
    let ids = ids.to_vec();
    let r: Result<u64, StoreError> = write_tx!(db, |c| async {
        const SET: &str = "UPDATE deliveries SET state = 'pending', attempts = 0, next_at = $1, \
                           error = NULL, worker = NULL WHERE state = 'dead'";
        if ids.is_empty() {
            return Ok(c.exec(SET, &[now.into()]).await?);
        }
        let mut n = 0;
        for &id in &ids {
            n += c
                .exec(&format!("{SET} AND id = $2"), &[now.into(), id.into()])
                .await?;
        }
        Ok(n)
    });
    r.map_err(err)
}
