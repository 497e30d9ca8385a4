//! `POST /admin/import`: the department's upload of the former queues' CSV files (a multipart
//! form). `action=check` with the files (`files`) makes a dry run and keeps the files with its
//! report under a random token, then back to `/admin?check=TOKEN` to show it; `action=import`
//! with that token (`check`) imports exactly those files, then back to `/admin?run=N` (0:
//! nothing changed).

use super::{department, see_other};
use crate::auth::refusal;
use app::engine::{Acting, Actor};
use app::error::{AppError, Invalid};
use app::legacy::LegacyFile;
use app::state::AppState;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::Response;

pub(super) async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
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
        let acting = Acting {
            by: &by,
            reason: form.reason.trim(),
        };
        return match engine
            .legacy_import_checked(&Actor::Admin, acting, &check)
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
                "/admin?check={}",
                crate::auth::percent(&check, false)
            )),
            Err(e) if e.refusal() == Some(AppError::Validation(Invalid::Reason)) => {
                see_other(&format!(
                    "/admin?check={}&reason=missing",
                    crate::auth::percent(&check, false)
                ))
            }
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

/// What the page's forms send.
pub(super) struct Form {
    files: Vec<LegacyFile>,
    import: bool,
    check: Option<String>,
    reason: String,
}

/// The form's fields; `None` for a body that is not one.
async fn read(mut form: Multipart) -> Option<Form> {
    let mut out = Form {
        files: Vec::new(),
        import: false,
        check: None,
        reason: String::new(),
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
            Some("reason") => out.reason = field.text().await.ok()?,
            _ => {}
        }
    }
    Some(out)
}
