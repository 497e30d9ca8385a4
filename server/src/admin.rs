//! The education department's page, `/admin` (issue 15, point 5): merging the kindergartens'
//! former queues. Written whole by the server in the reader's language, plain forms, no script
//! (so it costs the hydrate bundle nothing and works without JavaScript). `POST /admin/import`,
//! a multipart form: `action=check` with the CSV files (`files`) makes a dry run and keeps the
//! files with its report under a random token, then back to `/admin?check=TOKEN` to show it;
//! `action=import` with that token (`check`) imports exactly those files, then back to
//! `/admin?run=N` (0: nothing changed). `POST /admin/heads` assigns or revokes a head of a
//! kindergarten, with its reason, then back to `/admin?heads=OUTCOME`.
//! Only an admin's session; the run is logged under the admin's pseudonym (`admin #N`).

use crate::auth::{locale, no_store, refusal};
use app::engine::Actor;
use app::error::{AppError, Invalid};
use app::legacy::LegacyFile;
use app::state::AppState;
use axum::extract::{Multipart, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

pub const IMPORT_PATH: &str = "/admin/import";

/// The largest upload (a whole city's queues are some 15 MB).
pub const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

/// Its own body limit: the site's other forms stay at theirs.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(page))
        .route(IMPORT_PATH, post(import))
        .route("/admin/heads", post(change_heads))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_UPLOAD_BYTES,
        ))
}

/// Who is asking, if the department: their pseudonym (`admin #N`); otherwise the refusal.
async fn department(state: &AppState, headers: &HeaderMap) -> Result<String, AppError> {
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
}

/// The page: signed in as the department, or off to sign in as it and back.
async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(shown): Query<Shown>,
) -> Response {
    use app::legacy::words;
    match department(&state, &headers).await {
        Ok(_) => {}
        Err(AppError::Unauthorized | AppError::Forbidden) => {
            return see_other("/sign-in?as=admin&next=%2Fadmin")
        }
        Err(e) => return refusal(&headers, e),
    }
    let engine = &state.engine;
    let runs = match engine.legacy_runs(&Actor::Admin).await {
        Ok(runs) => runs,
        Err(e) => return refusal(&headers, e.to_app()),
    };
    let last = shown.heads;
    let shown = match (shown.check, shown.run) {
        (Some(token), _) => match engine.legacy_checked(&Actor::Admin, &token).await {
            Ok(result) => words::Shown::Check(token, result),
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
    let body = app::admin::document(locale, &body);
    no_store(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response())
}

fn see_other(to: &str) -> Response {
    no_store((StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response())
}

async fn import(State(state): State<AppState>, headers: HeaderMap, form: Multipart) -> Response {
    let by = match department(&state, &headers).await {
        Ok(by) => by,
        Err(e) => return refusal(&headers, e),
    };
    let Some(form) = read(form).await else {
        return refusal(&headers, AppError::Validation(Invalid::Request));
    };
    let engine = &state.engine;
    if form.import {
        let check = form.check.unwrap_or_default();
        return match engine
            .legacy_import_checked(&Actor::Admin, &by, &check)
            .await
        {
            Ok(Some(Ok(report))) => {
                tracing::info!(
                    by,
                    imported = report.imported,
                    moved_earlier = report.moved_earlier,
                    rows_refused = report.rows_refused,
                    "legacy queues imported"
                );
                see_other(&format!("/admin?run={}", report.import_id.unwrap_or(0)))
            }
            // Gone (imported already, or a day old), or unreadable after all: the page says so.
            Ok(_) => see_other(&format!(
                "/account?check={}",
                crate::auth::percent(&check, false)
            )),
            Err(e) => refusal(&headers, e.to_app()),
        };
    }
    if form.files.is_empty() {
        return see_other("/admin");
    }
    match engine.legacy_check(&Actor::Admin, &by, form.files).await {
        Ok(check) => see_other(&format!("/admin?check={check}")),
        Err(e) => refusal(&headers, e.to_app()),
    }
}

#[derive(serde::Deserialize)]
struct HeadsForm {
    action: String,
    #[serde(default)]
    iin: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    assignment: String,
    #[serde(default)]
    reason: String,
}

/// Assigns a head (`action=assign`: `iin`, `number`, `reason`) or revokes one
/// (`action=revoke`: `assignment`, `reason`), then back to the page saying how it went.
async fn change_heads(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<HeadsForm>,
) -> Response {
    use app::auth::roles::{self, Acting, RoleError};
    let by = match department(&state, &headers).await {
        Ok(by) => by,
        Err(e) => return refusal(&headers, e),
    };
    let back = |code: &str| see_other(&format!("/admin?heads={code}#heads"));
    let reason = f.reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return back("no-reason");
    }
    let acting = Acting { by: &by, reason };
    let now = state.engine.ctx().now;
    let done = if f.action == "revoke" {
        let heads = match roles::heads(&state.db).await {
            Ok(heads) => heads,
            Err(_) => return refusal(&headers, AppError::Unavailable),
        };
        let held = heads
            .into_iter()
            .find(|h| f.assignment.trim().parse() == Ok(h.0))
            .and_then(|h| app::domain::Iin::parse(&h.1).ok());
        let Some(iin) = held else {
            return back("not-held");
        };
        roles::revoke_as(&state.db, now, (&iin, "head"), acting)
            .await
            .map(|()| "revoked")
    } else {
        let Ok(iin) = app::domain::Iin::parse(&f.iin) else {
            return back("bad-iin");
        };
        let Ok(number) = f.number.trim().trim_start_matches('№').parse::<i64>() else {
            return back("no-kindergarten");
        };
        roles::assign_head_as(&state.db, now, (&iin, number), acting)
            .await
            .map(|()| "assigned")
    };
    match done {
        Ok(code) => {
            tracing::info!(by, code, "heads changed");
            back(code)
        }
        Err(RoleError::NoKindergarten(_)) => back("no-kindergarten"),
        Err(RoleError::NotHeld) => back("not-held"),
        Err(RoleError::Engine(e)) => refusal(&headers, e.to_app()),
    }
}

/// What the page's forms send.
struct Form {
    files: Vec<LegacyFile>,
    import: bool,
    check: Option<String>,
}

/// The form's fields; `None` for a body that is not one.
async fn read(mut form: Multipart) -> Option<Form> {
    let mut out = Form {
        files: Vec::new(),
        import: false,
        check: None,
    };
    while let Some(field) = form.next_field().await.ok()? {
        match field.name() {
            Some("files") => {
                let name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.ok()?;
                // A form sent with no file chosen carries one empty part without a name.
                if !(bytes.is_empty() && name.is_empty()) {
                    out.files.push(LegacyFile {
                        name,
                        bytes: bytes.to_vec(),
                    });
                }
            }
            Some("action") => out.import = field.text().await.ok()? == "import",
            Some("check") => out.check = Some(field.text().await.ok()?),
            _ => {}
        }
    }
    Some(out)
}
