//! The education department's pages, `/admin/…` (issue 15), and the public page of the rules,
//! `/rules`. Written whole by the server in the reader's language, plain forms, no script of the
//! bundle (they cost the hydrate bundle nothing and work without JavaScript). Only an admin's
//! session; each change is logged under the admin's pseudonym (`admin #N`) with its reason.
//!
//! * `/admin`: merging the former queues (`import`) and the heads of kindergartens (`heads`);
//! * `/admin/rules`: the rules' parameters and the calendar; `/rules` shows them to everyone
//!   (`rules`);
//! * `/admin/privileges`: the yearly re-check of privileges (`privileges`);
//! * `/admin/kindergartens`: the registry (`registry`).

mod heads;
mod import;
mod privileges;
mod registry;
mod rules;

use crate::auth::{locale, no_store, refusal};
use app::engine::Actor;
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

pub const IMPORT_PATH: &str = "/admin/import";

/// The largest upload (a whole city's queues are some 15 MB).
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// The largest form of the other pages.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// The upload has its own body limit; the other forms a small one.
pub fn routes() -> Router<AppState> {
    let upload = Router::new()
        .route(IMPORT_PATH, post(import::import))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_UPLOAD_BYTES,
        ));
    Router::new()
        .route("/admin", get(page))
        .route("/admin/heads", post(heads::change_heads))
        .route("/admin/rules", get(rules::page).post(rules::save_rules))
        .route("/admin/calendar", post(rules::save_day))
        .route("/rules", get(rules::public))
        .route(
            "/admin/privileges",
            get(privileges::page).post(privileges::confirm),
        )
        .route(
            "/admin/kindergartens",
            get(registry::list).post(registry::save),
        )
        .route("/admin/kindergartens/{number}", get(registry::edit))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_FORM_BYTES,
        ))
        .merge(upload)
}

/// A page the server wrote, not to be kept by caches.
pub(crate) fn html(body: String) -> Response {
    no_store(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response())
}

/// The department's page `here`, or off to sign in as the department and back; `Err` with the
/// answer when it is not to be shown.
async fn signed_in(state: &AppState, headers: &HeaderMap, here: &str) -> Result<String, Response> {
    match department(state, headers).await {
        Ok(by) => Ok(by),
        Err(AppError::Unauthorized | AppError::Forbidden) => Err(see_other(&format!(
            "/sign-in?as=admin&next={}",
            crate::auth::percent(here, false)
        ))),
        Err(e) => Err(refusal(headers, e)),
    }
}

/// Who is asking, if the department: their pseudonym (`admin #N`); otherwise the refusal.
pub(crate) async fn department(state: &AppState, headers: &HeaderMap) -> Result<String, AppError> {
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok());
    let token = app::auth::sessions::token_in(cookies).ok_or(AppError::Unauthorized)?;
    let now = state.engine.ctx().now;
    match app::auth::sessions::actor(&state.db, now, &token).await {
        Ok(Some(Actor::Admin)) => {}
        Ok(Some(_)) => return Err(AppError::Forbidden),
        Ok(None) => return Err(AppError::Unauthorized),
        Err(_) => return Err(AppError::Unavailable),
    }
    match app::auth::sessions::admin_pseudonym(&state.db, &token).await {
        Ok(Some(by)) => Ok(by),
        Ok(None) => Err(AppError::Forbidden),
        Err(_) => Err(AppError::Unavailable),
    }
}

#[derive(serde::Deserialize)]
struct Shown {
    check: Option<String>,
    run: Option<String>,
    /// The outcome of the last change of heads.
    heads: Option<String>,
    /// `missing`: an import was refused for want of a reason.
    reason: Option<String>,
}

/// The page: signed in as the department, or off to sign in as it and back.
async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(shown): Query<Shown>,
) -> Response {
    use app::legacy::words;
    if let Err(answer) = signed_in(&state, &headers, "/admin").await {
        return answer;
    }
    let engine = &state.engine;
    let runs = match engine.legacy_runs(&Actor::Admin).await {
        Ok(runs) => runs,
        Err(e) => return refusal(&headers, e.to_app()),
    };
    let (last, reason) = (shown.heads, shown.reason);
    let shown = match (shown.check, shown.run) {
        (Some(token), _) => match engine.legacy_checked(&Actor::Admin, &token).await {
            Ok(result) => words::Shown::Check(token, result, reason.as_deref() == Some("missing")),
            Err(e) => return refusal(&headers, e.to_app()),
        },
        (None, Some(id)) => match id.parse() {
            Ok(id) => words::Shown::Run(id),
            Err(_) => words::Shown::Nothing,
        },
        (None, None) => words::Shown::Nothing,
    };
    let heads = match app::auth::roles::heads(&state.db).await {
        Ok(heads) => heads,
        Err(_) => return refusal(&headers, AppError::Unavailable),
    };
    let locale = locale(&headers);
    let mut body = words::page(locale, shown, &runs);
    body.push_str(&app::admin::heads::section(locale, &heads, last.as_deref()));
    html(app::admin::document(locale, "/admin", &body))
}

pub(crate) fn see_other(to: &str) -> Response {
    no_store((StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response())
}
