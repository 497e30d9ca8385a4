//! The public event log, hash-chained, and the outbox of notifications: both written inside the
//! transaction of the change they describe, so an acknowledged change always has its event and
//! its notification, and a refused one has neither.

use super::chain::{event_hash, StoredEvent};
use super::error::EngineResult;
use crate::store::sql::{Backend, Sql, Val};

/// The public event of an application entering the queue (`application.created`, or
/// `application.imported` for a loaded city): what a replay of the log needs to order it (class,
/// time, the id that breaks ties) and to judge whether it was old enough when passed over (the
/// birth month: the year is the cohort). Never a name or an IIN.
pub fn application_body(
    (public_no, id): (&str, i64),
    cohort: i32,
    priority: crate::domain::PriorityClass,
    applied_at: i64,
    birth: time::Date,
    sibling: bool,
) -> serde_json::Value {
    serde_json::json!({
        "public_no": public_no,
        "id": id,
        "cohort": cohort,
        "priority": priority.code(),
        "applied_at": applied_at,
        "born": format!("{:04}-{:02}", birth.year(), u8::from(birth.month())),
        "sibling_group": sibling,
    })
}

/// The events of a city's applications loaded into an empty store (`application.imported`,
/// in id order), chained after `head`; dated at the last application's time.
pub fn imported(head: (i64, String), apps: &[crate::store::NewApplication]) -> Vec<StoredEvent> {
    let at = apps.iter().map(|a| a.applied_at).max().unwrap_or(0);
    let mut sorted: Vec<&crate::store::NewApplication> = apps.iter().collect();
    sorted.sort_by_key(|a| a.id);
    let (mut seq, mut prev) = head;
    sorted
        .into_iter()
        .map(|a| {
            seq += 1;
            let body = application_body(
                (&a.public_no, a.id),
                a.birth_date.year(),
                a.priority,
                a.applied_at,
                a.birth_date,
                false,
            )
            .to_string();
            let kind = "application.imported";
            let hash = event_hash(&prev, seq, at, kind, &body);
            StoredEvent {
                seq,
                at,
                kind: kind.into(),
                body,
                prev_hash: std::mem::replace(&mut prev, hash.clone()),
                hash,
            }
        })
        .collect()
}

/// Appends one event to the log in the caller's transaction.
///
/// Where one writer commits everything (SQLite) the event is chained at once: the chain head
/// is read, the event's hash computed and stored. Where many transactions commit side by side
/// (PostgreSQL), a chain head locked until each commit would queue every claim of the city
/// behind one row; there the event enters the log's intake (`event_queue`) with the rest of
/// the transaction, and [`chain_pending`] links it into the chain moments later, in one
/// writer's order. Either way an acknowledged change always has its event.
pub async fn append(
    c: &mut dyn Sql,
    at: i64,
    kind: &str,
    body: serde_json::Value,
) -> EngineResult<()> {
    Ok(append_with(c, at, kind, body, &[]).await?)
}

/// Runs `with` (inserts of the same change: its referral, its notification), then appends its
/// event; on PostgreSQL all of it in one round trip ([`Sql::exec_together`]).
pub async fn append_with(
    c: &mut dyn Sql,
    at: i64,
    kind: &str,
    body: serde_json::Value,
    with: &[(&str, &[Val<'_>])],
) -> Result<(), sqlx::Error> {
    let body = body.to_string();
    if c.backend() == Backend::Postgres {
        let event: &[Val] = &[at.into(), kind.into(), (&body).into()];
        let mut all = with.to_vec();
        all.push((
            "INSERT INTO event_queue (at, kind, body) VALUES ($1, $2, $3)",
            event,
        ));
        return c.exec_together(&all).await;
    }
    c.exec_together(with).await?;
    chain_one(c, at, kind, &body).await
}

/// `($1, $2, $3), ($4, $5, $6)`: `rows` groups of `columns` numbered parameters (a
/// statement that writes many rows at once).
pub fn placeholders(rows: usize, columns: usize) -> String {
    let row = |r: usize| {
        let cells: Vec<String> = (1..=columns)
            .map(|k| format!("${}", r * columns + k))
            .collect();
        format!("({})", cells.join(", "))
    };
    (0..rows).map(row).collect::<Vec<_>>().join(", ")
}

/// Appends many events of one change together: on SQLite chained here (the head read once,
/// one statement for all), on PostgreSQL into the intake in one statement.
pub async fn append_many(
    c: &mut dyn Sql,
    at: i64,
    events: &[(&str, serde_json::Value)],
) -> Result<(), sqlx::Error> {
    if events.is_empty() {
        return Ok(());
    }
    let bodies: Vec<String> = events.iter().map(|e| e.1.to_string()).collect();
    if c.backend() == Backend::Postgres {
        let mut args: Vec<Val> = Vec::with_capacity(events.len() * 3);
        for ((kind, _), body) in events.iter().zip(&bodies) {
            args.extend([at.into(), (*kind).into(), body.as_str().into()]);
        }
        let sql = format!(
            "INSERT INTO event_queue (at, kind, body) VALUES {}",
            placeholders(events.len(), 3)
        );
        c.exec(&sql, &args).await?;
        return Ok(());
    }
    let events: Vec<(i64, &str, &str)> = events
        .iter()
        .zip(&bodies)
        .map(|((kind, _), body)| (at, *kind, body.as_str()))
        .collect();
    chain_here(c, &events).await
}

/// Links one event to the end of the chain (the head row is locked until commit).
async fn chain_one(c: &mut dyn Sql, at: i64, kind: &str, body: &str) -> Result<(), sqlx::Error> {
    chain_here(c, &[(at, kind, body)]).await
}

/// Links events, in order, to the end of the chain: the head read once (and locked until
/// commit), one statement for all of them, the head moved once.
async fn chain_here(c: &mut dyn Sql, events: &[(i64, &str, &str)]) -> Result<(), sqlx::Error> {
    let head = format!(
        "SELECT seq, hash FROM chain_head WHERE id = 1{}",
        c.for_update()
    );
    let (mut seq, mut prev): (i64, String) = c.get(&head, &[]).await?;
    let mut args: Vec<Val> = Vec::with_capacity(events.len() * 6);
    for (at, kind, body) in events {
        seq += 1;
        let hash = event_hash(&prev, seq, *at, kind, body);
        let prev_hash = std::mem::replace(&mut prev, hash.clone());
        args.extend([
            seq.into(),
            (*at).into(),
            (*kind).into(),
            (*body).into(),
            prev_hash.into(),
            hash.into(),
        ]);
    }
    let sql = format!(
        "INSERT INTO events (seq, at, kind, body, prev_hash, hash) VALUES {}",
        placeholders(events.len(), 6)
    );
    c.exec(&sql, &args).await?;
    c.exec(
        "UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1",
        &[seq.into(), (&prev).into()],
    )
    .await?;
    Ok(())
}

/// Links up to `limit` events waiting in the intake into the chain, oldest first; returns how
/// many. One chainer at a time (the chain head lock); an intake row is deleted in the same
/// transaction that chains it, so none is chained twice or lost, however many servers chain.
pub async fn chain_pending(c: &mut dyn Sql, limit: i64) -> EngineResult<u64> {
    if c.backend() != Backend::Postgres {
        return Ok(0);
    }
    let head = format!("SELECT seq FROM chain_head WHERE id = 1{}", c.for_update());
    c.scalar::<i64>(&head, &[]).await?;
    let rows = c
        .all::<(i64, i64, String, String)>(
            "SELECT id, at, kind, body FROM event_queue ORDER BY id LIMIT $1",
            &[limit.into()],
        )
        .await?;
    for (id, at, kind, body) in &rows {
        chain_one(c, *at, kind, body).await?;
        c.exec("DELETE FROM event_queue WHERE id = $1", &[(*id).into()])
            .await?;
    }
    Ok(rows.len() as u64)
}

/// Appends the public event of a change to an application and queues its notification.
pub async fn announce(
    c: &mut dyn Sql,
    at: i64,
    application_id: i64,
    (kind, body): (&str, serde_json::Value),
    (template, params): (&str, serde_json::Value),
) -> EngineResult<()> {
    let params = params.to_string();
    let note = notification(at, application_id, template, &params);
    Ok(append_with(c, at, kind, body, &[(OUTBOX_INSERT, &note)]).await?)
}

/// Queues a notification (SMS to both numbers and e-mail) for the sender: the statement
/// [`OUTBOX_INSERT`] with these arguments, run with the event of the change.
pub fn notification<'a>(
    at: i64,
    application_id: i64,
    template: &'a str,
    params: &'a str,
) -> [Val<'a>; 4] {
    [
        at.into(),
        application_id.into(),
        template.into(),
        params.into(),
    ]
}

pub const OUTBOX_INSERT: &str =
    "INSERT INTO outbox (created_at, application_id, template, params) VALUES ($1, $2, $3, $4)";

impl crate::store::sql::FromRow for StoredEvent {
    fn from_row(r: &crate::store::sql::Row) -> Result<Self, sqlx::Error> {
        Ok(StoredEvent {
            seq: r.get(0)?,
            at: r.get(1)?,
            kind: r.get(2)?,
            body: r.get(3)?,
            prev_hash: r.get(4)?,
            hash: r.get(5)?,
        })
    }
}

/// Up to `limit` chained events after sequence number `after`.
pub async fn after(c: &mut dyn Sql, after: i64, limit: i64) -> EngineResult<Vec<StoredEvent>> {
    Ok(c.all::<StoredEvent>(
        "SELECT seq, at, kind, body, prev_hash, hash FROM events WHERE seq > $1 \
         ORDER BY seq LIMIT $2",
        &[after.into(), limit.into()],
    )
    .await?)
}

/// The chain's last sequence number and hash.
pub async fn head(c: &mut dyn Sql) -> EngineResult<(i64, String)> {
    Ok(c.get("SELECT seq, hash FROM chain_head WHERE id = 1", &[])
        .await?)
}

impl super::Engine {
    /// Links every event waiting in the intake into the chain now (PostgreSQL; SQLite chains
    /// each event as it is written). Returns how many were linked.
    pub async fn flush_events(&self) -> EngineResult<u64> {
        let mut total = 0;
        loop {
            let n: u64 = crate::store::write_tx!(self.db, |c| chain_pending(c, 1_000))?;
            total += n;
            if n == 0 {
                return Ok(total);
            }
        }
    }

    /// Recomputes the whole event chain. Returns the number of events and the head hash, or
    /// the first bad row.
    pub async fn verify_chain(
        &self,
    ) -> EngineResult<Result<(i64, String), super::chain::ChainError>> {
        self.flush_events().await?;
        let mut last = (0i64, super::chain::GENESIS.to_string());
        loop {
            let from = last.0;
            let batch: Vec<StoredEvent> = read!(self, |c, _ctx| after(c, from, 5_000))?;
            if batch.is_empty() {
                break;
            }
            match super::chain::verify(last.clone(), &batch) {
                Ok(l) => last = l,
                Err(e) => return Ok(Err(e)),
            }
        }
        let (head_seq, head_hash) = read!(self, |c, _ctx| head(c))?;
        if head_seq != last.0 || head_hash != last.1 {
            return Ok(Err(super::chain::ChainError::Head {
                head_seq,
                last_seq: last.0,
            }));
        }
        Ok(Ok(last))
    }
}
