//! Live pages: "My children" listens at `/events/my` (server-sent events) and re-reads itself
//! when one of the parent's children moved in the queue, was invited or got a referral.
//!
//! One task per server watches a cheap mark of the whole city (`Engine::change_mark`, once a
//! second); a parent's stream re-reads that parent's children only when the mark moved, at most
//! every few seconds, and sends `changed` only when what the parent sees is different.

use app::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::watch;

/// How often the city's mark is read, and how often one parent's children at most.
const MARK_EVERY: Duration = Duration::from_secs(1);
const PARENT_AT_MOST_EVERY: Duration = Duration::from_secs(3);

pub fn routes(state: &AppState) -> Router<AppState> {
    let marks = Arc::new(Marks {
        engine: state.engine.clone(),
        rx: OnceLock::new(),
    });
    Router::new().route(
        "/events/my",
        get(move |s: State<AppState>, h: HeaderMap| {
            let marks = marks.clone();
            async move { my_events(s, h, marks.receiver()).await }
        }),
    )
}

/// The city's change mark, read once a second by one task, started by the first listener.
struct Marks {
    engine: Arc<app::engine::Engine>,
    rx: OnceLock<watch::Receiver<i64>>,
}

impl Marks {
    fn receiver(&self) -> watch::Receiver<i64> {
        self.rx
            .get_or_init(|| {
                let (tx, rx) = watch::channel(0);
                let engine = self.engine.clone();
                tokio::spawn(async move {
                    loop {
                        // Only while a page listens (the receiver kept here is not one).
                        if tx.receiver_count() > 1 {
                            if let Ok(mark) = engine.change_mark().await {
                                tx.send_if_modified(|m| std::mem::replace(m, mark) != mark);
                            }
                        }
                        tokio::time::sleep(MARK_EVERY).await;
                    }
                });
                rx
            })
            .clone()
    }
}

/// What the parent sees of their children, in short: when it changes, the page re-reads.
fn fingerprint(children: &[app::domain::queue::MyChild]) -> String {
    children
        .iter()
        .map(|c| {
            format!(
                "{}:{}:{:?}:{}:{}",
                c.public_no,
                c.status.code(),
                c.position.position,
                c.invitation.as_ref().map_or(0, |i| i.expires_at),
                c.referral.as_ref().map_or("", |r| r.0.state.as_str()),
            )
        })
        .collect::<Vec<_>>()
        .join("|")
}

async fn my_events(
    State(state): State<AppState>,
    headers: HeaderMap,
    marks: watch::Receiver<i64>,
) -> Response {
    let token = app::auth::sessions::token_in(
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok()),
    );
    let now = state.engine.ctx().now;
    let actor = match token {
        Some(t) => app::auth::sessions::actor(&state.db, now, &t)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let Some(actor @ app::engine::Actor::Parent(_)) = actor else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let engine = state.engine.clone();
    let first = engine
        .my_children(&actor)
        .await
        .map(|c| fingerprint(&c))
        .unwrap_or_default();
    let stream = futures::stream::unfold(
        (engine, actor, marks, first, false),
        |(engine, actor, mut marks, mut last, sent)| async move {
            if sent {
                // At most one re-read of this parent's children every few seconds.
                tokio::time::sleep(PARENT_AT_MOST_EVERY).await;
            }
            loop {
                // Wait for the city to change; the server shutting down ends the stream.
                marks.changed().await.ok()?;
                let Ok(children) = engine.my_children(&actor).await else {
                    continue;
                };
                let now = fingerprint(&children);
                if now != last {
                    last = now;
                    let event = Event::default().event("changed").data("1");
                    return Some((
                        Ok::<_, std::convert::Infallible>(event),
                        (engine, actor, marks, last, true),
                    ));
                }
            }
        },
    );
    (
        [(header::CACHE_CONTROL, "no-store")],
        Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))),
    )
        .into_response()
}
