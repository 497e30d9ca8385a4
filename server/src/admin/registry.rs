//! The kindergarten registry: the list (`/admin/kindergartens?q=…`), a kindergarten's form
//! (`/admin/kindergartens/N`, `/admin/kindergartens/new`) and its history, and the form's post
//! (`POST /admin/kindergartens`): saved, back to the kindergarten's page; refused, the same form
//! again with the values sent and what is wrong (422), nothing saved.

use super::{department, html, see_other, signed_in};
use crate::auth::{locale, refusal};
use app::admin::registry::{blank, form, list as listing, parse, FormView};
use app::engine::registry::{Entry, Problem};
use app::engine::{Acting, Actor};
use app::error::AppError;
use app::i18n::Locale;
use app::state::AppState;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use leptos::nonce::Nonce;
use std::collections::HashMap;

#[derive(serde::Deserialize)]
pub(super) struct Search {
    q: Option<String>,
}

pub(super) async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(search): Query<Search>,
) -> Response {
    if let Err(answer) = signed_in(&state, &headers, "/admin/kindergartens").await {
        return answer;
    }
    let q = search.q.unwrap_or_default();
    let filter = app::domain::DirectoryFilter::parse(&q, "", "", "", "").unwrap_or_default();
    let found = match state.db.directory(&filter).await {
        Ok(found) => found,
        Err(_) => return refusal(&headers, AppError::Unavailable),
    };
    let locale = locale(&headers);
    let body = listing(locale, &q, &found);
    html(app::admin::document(locale, "/admin/kindergartens", &body))
}

#[derive(serde::Deserialize)]
pub(super) struct Saved {
    saved: Option<String>,
}

/// The form of kindergarten `number` (or `new`).
pub(super) async fn edit(
    State(state): State<AppState>,
    Extension(nonce): Extension<Nonce>,
    headers: HeaderMap,
    Path(number): Path<String>,
    Query(saved): Query<Saved>,
) -> Response {
    let here = format!(
        "/admin/kindergartens/{}",
        crate::auth::percent(&number, false)
    );
    if let Err(answer) = signed_in(&state, &headers, &here).await {
        return answer;
    }
    let locale = locale(&headers);
    if number == "new" {
        return page(
            &state,
            &nonce,
            locale,
            &here,
            (None, &blank()),
            (&[], ""),
            false,
        )
        .await;
    }
    let found = match number.parse::<i32>() {
        Ok(n) => state.engine.kindergarten_entry(&Actor::Admin, n).await,
        Err(_) => Ok(None),
    };
    match found {
        Ok(Some((id, entry))) => {
            page(
                &state,
                &nonce,
                locale,
                &here,
                (Some(id), &entry),
                (&[], ""),
                saved.saved.is_some(),
            )
            .await
        }
        Ok(None) => refusal(&headers, AppError::NotFound),
        Err(e) => refusal(&headers, e.to_app()),
    }
}

/// The form page, with its history when the kindergarten exists.
async fn page(
    state: &AppState,
    nonce: &Nonce,
    locale: Locale,
    here: &str,
    (id, entry): (Option<i64>, &Entry),
    (problems, reason): (&[Problem], &str),
    saved: bool,
) -> Response {
    let history = match id {
        Some(id) => state
            .engine
            .kindergarten_history(id)
            .await
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let groups_day = {
        let ctx = state.engine.ctx();
        app::engine::registry::groups_day(&ctx)
    };
    let nonce = nonce.to_string();
    let view = FormView {
        nonce: &nonce,
        reason,
        id,
        problems,
        saved,
        groups_day,
        history: &history,
        tiles: (&state.map_tiles.url, &state.map_tiles.attribution),
    };
    let body = form(locale, entry, &view);
    html(app::admin::document(locale, here, &body))
}

pub(super) async fn save(
    State(state): State<AppState>,
    Extension(nonce): Extension<Nonce>,
    headers: HeaderMap,
    Form(sent): Form<HashMap<String, String>>,
) -> Response {
    let by = match department(&state, &headers).await {
        Ok(by) => by,
        Err(e) => return refusal(&headers, e),
    };
    let entry = parse(&sent);
    let id = sent.get("id").and_then(|id| id.trim().parse::<i64>().ok());
    let reason = sent.get("reason").map(|r| r.trim()).unwrap_or("");
    let acting = Acting { by: &by, reason };
    match state
        .engine
        .save_kindergarten(&Actor::Admin, acting, id, &entry)
        .await
    {
        Ok(Ok(_)) => {
            tracing::info!(by, number = entry.number, "registry changed");
            see_other(&format!("/admin/kindergartens/{}?saved=1", entry.number))
        }
        Ok(Err(problems)) => {
            let locale = locale(&headers);
            let here = match id {
                Some(_) => format!("/admin/kindergartens/{}", entry.number),
                None => "/admin/kindergartens/new".into(),
            };
            let mut answer = page(
                &state,
                &nonce,
                locale,
                &here,
                (id, &entry),
                (&problems, reason),
                false,
            )
            .await;
            *answer.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            answer
        }
        Err(e) => refusal(&headers, e.to_app()),
    }
}
