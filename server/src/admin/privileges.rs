//! The yearly re-check of privileges: the department's page (`/admin/privileges`) and its form
//! (`POST /admin/privileges`: an application's number and the reason), back to the page saying
//! how it went.

use super::rules::posted;
use super::{html, see_other, signed_in};
use crate::auth::{locale, refusal};
use app::engine::{Acting, Actor};
use app::error::{AppError, Conflict, Invalid};
use app::state::AppState;
use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use std::collections::HashMap;

/// How many of the privileges due the page lists.
const LISTED: i64 = 100;

#[derive(serde::Deserialize)]
pub(super) struct Shown {
    done: Option<String>,
}

pub(super) async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(shown): Query<Shown>,
) -> Response {
    if let Err(answer) = signed_in(&state, &headers, "/admin/privileges").await {
        return answer;
    }
    let due = match state.engine.privileges_due(&Actor::Admin, LISTED).await {
        Ok(due) => due,
        Err(e) => return refusal(&headers, e.to_app()),
    };
    let locale = locale(&headers);
    let body = app::admin::privileges::section(locale, &due, shown.done.as_deref());
    html(app::admin::document(locale, "/admin/privileges", &body))
}

pub(super) async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let back = |code: &str| see_other(&format!("/admin/privileges?done={code}#recheck"));
    let (by, reason) = match posted(&state, &headers, &form, || back("no-reason")).await {
        Ok(posted) => posted,
        Err(answer) => return answer,
    };
    let number = form.get("number").map(|n| n.trim()).unwrap_or("");
    let acting = Acting { by: &by, reason };
    match state
        .engine
        .confirm_privilege(&Actor::Admin, acting, number)
        .await
    {
        Ok(()) => {
            tracing::info!(by, "privilege confirmed");
            back("confirmed")
        }
        Err(e) => match e.refusal() {
            Some(AppError::NotFound) => back("not-found"),
            Some(AppError::Conflict(Conflict::NotOpen)) => back("not-open"),
            Some(AppError::Validation(Invalid::Request)) => back("not-privileged"),
            _ => refusal(&headers, e.to_app()),
        },
    }
}
