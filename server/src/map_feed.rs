//! The live map's stream: `/events` (server-sent events, public) carries the free seats of the
//! kindergartens whose seats changed, never anything about a child.
//!
//! One task per server, not one per listener: whenever this server's engine commits a change
//! (a posting, a claim, a decline, an expiry...) or another server says it did, the task waits a
//! moment for more, reads the city's seat table once, compares it with its last reading and
//! broadcasts the difference to every open map through one channel. With several servers on
//! one PostgreSQL, each server tells the others through `NOTIFY kezek_seats` (at most a few
//! times a second, outside the changes' transactions) and listens for theirs.
//!
//! Each stream starts with `hello`: the page reads the map then (and again after a
//! reconnection), so nothing between its first reading and the stream is missed.

use app::domain::map::SeatCounts;
use app::state::AppState;
use app::store::map::{seat_changes, SeatTable};
use app::store::Db;
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch, Notify};

/// How long the task waits after a change for more before it reads (a storm of claims is
/// read a few times a second, not once per claim).
const GATHER: Duration = Duration::from_millis(150);
/// The PostgreSQL channel between servers.
const CHANNEL: &str = "kezek_seats";
/// The event that carries seat counts (`data`: a JSON list of `SeatCounts`).
pub const SEATS_EVENT: &str = "seats";

pub fn routes(state: &AppState) -> Router<AppState> {
    let (tx, _) = broadcast::channel::<Arc<str>>(256);
    tokio::spawn(watch_seats(
        state.db.clone(),
        state.engine.writes(),
        tx.clone(),
    ));
    Router::new().route(
        "/events",
        get(move || {
            let rx = tx.subscribe();
            async move { stream(rx) }
        }),
    )
}

/// This server among the others on one database (its own NOTIFYs are not news to it).
fn instance_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{}-{nanos}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

async fn watch_seats(db: Db, mut writes: watch::Receiver<u64>, tx: broadcast::Sender<Arc<str>>) {
    let me = instance_id();
    let others = Arc::new(Notify::new());
    let pool = db.postgres_pool().cloned();
    if let Some(pool) = &pool {
        tokio::spawn(listen(pool.clone(), me.clone(), others.clone()));
    }
    let mut last: Option<SeatTable> = None;
    loop {
        let ours = tokio::select! {
            changed = writes.changed() => {
                if changed.is_err() {
                    return; // the engine is gone
                }
                true
            }
            _ = others.notified() => false,
        };
        tokio::time::sleep(GATHER).await;
        writes.borrow_and_update();
        if ours {
            if let Some(pool) = &pool {
                let told = sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(&me)
                    .execute(pool)
                    .await;
                if let Err(e) = told {
                    tracing::warn!(error = %e, "cannot tell the other servers of a seat change");
                }
            }
        }
        if tx.receiver_count() == 0 {
            // Nobody watches: the next listener's page reads the map itself.
            last = None;
            continue;
        }
        let now = match db.seat_table().await {
            Ok(now) => now,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the seats for the live map");
                continue;
            }
        };
        let changes = match &last {
            Some(before) => seat_changes(before, &now),
            // No reading to compare with: every kindergarten (pages apply counts as they are).
            None => seat_changes(&SeatTable::new(), &now),
        };
        last = Some(now);
        if !changes.is_empty() {
            let _ = tx.send(encode(&changes).into());
        }
    }
}

fn encode(changes: &[SeatCounts]) -> String {
    serde_json::to_string(changes).unwrap_or_else(|_| "[]".into())
}

/// PostgreSQL: wakes the watcher when another server changed seats, for as long as the server
/// runs (listening again after a lost connection, and then reading once in case).
async fn listen(pool: sqlx::PgPool, me: String, others: Arc<Notify>) {
    loop {
        let listening = async {
            let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await?;
            listener.listen(CHANNEL).await?;
            others.notify_one();
            loop {
                let note = listener.recv().await?;
                if note.payload() != me {
                    others.notify_one();
                }
            }
            #[allow(unreachable_code)]
            Ok::<(), sqlx::Error>(())
        }
        .await;
        if let Err(e) = listening {
            tracing::warn!(error = %e, "seat listener lost; listening again");
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// One open map's stream: `hello`, then every broadcast. A map that falls behind by more than
/// the channel holds is sent `hello` again (it reads the map afresh).
fn stream(rx: broadcast::Receiver<Arc<str>>) -> Response {
    let hello = futures::stream::once(async { Ok(Event::default().event("hello").data("1")) });
    let updates = futures::stream::unfold(rx, |mut rx| async move {
        let event = match rx.recv().await {
            Ok(data) => Event::default().event(SEATS_EVENT).data(&*data),
            Err(broadcast::error::RecvError::Lagged(_)) => {
                Event::default().event("hello").data("1")
            }
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok::<_, std::convert::Infallible>(event), rx))
    });
    use futures::StreamExt;
    (
        [(header::CACHE_CONTROL, "no-store")],
        Sse::new(hello.chain(updates))
            .keep_alive(KeepAlive::new().interval(Duration::from_secs(20))),
    )
        .into_response()
}
