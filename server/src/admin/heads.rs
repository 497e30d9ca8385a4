//! `POST /admin/heads`: assigns a head of a kindergarten or revokes one, with its reason, then
//! back to `/admin?heads=OUTCOME`.

use super::{department, see_other};
use crate::auth::refusal;
use app::error::AppError;
use app::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

#[derive(serde::Deserialize)]
pub(super) struct HeadsForm {
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
pub(super) async fn change_heads(
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
