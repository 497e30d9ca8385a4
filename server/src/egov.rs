//! Sign-in with eGov mobile over HTTP (see `app::auth::mobile` for the steps).
//!
//! The page's routes, under `/auth/egov/` (JSON; the page's waiting token in the
//! `kezek_egov` cookie, never in an address):
//! - `POST start` (`role`, `next`): a new code: `mobileSign:` and the address for the QR code,
//!   the app link for a phone, the QR code as SVG, the seconds left;
//! - `POST wait`: where it stands (`waiting`, `opened`, `signed` with the session cookie and
//!   where to go, `expired`, `cancelled`, `failed` with the reason, `none`);
//! - `POST cancel`.
//!
//! The app's routes (the protocol eGov mobile speaks), answers in the app's language:
//! - `GET /egov/sign-in/{address}` (API 1): description, expiry, organisation, and the
//!   document's address with its token (`auth_type: Token`);
//! - `GET /egov/sign-in/{address}/document` (API 2, `Authorization: Bearer`): one
//!   `CMS_SIGN_ONLY` document, the sign-in challenge, named in kk/ru/en;
//! - `PUT` the same, the document sent back with its signature in place of its data.
//!
//! Refusals are `{"message": …}` with 400, 401, 403, 404, 410 or 503.

use crate::auth::{local_next, locale, no_store, percent, refusal};
use app::auth::mobile::{Refusal, Started, Waiting, ADDRESS_PATH};
use app::auth::sign_in::Role;
use app::error::{AppError, Invalid};
use app::i18n::{t, Locale, Msg};
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use serde_json::{json, Value};

/// The cookie that holds a page's waiting token.
pub const WAIT_COOKIE: &str = "kezek_egov";

/// eGov mobile's app link (Firebase dynamic link) for a phone: it opens the app with the
/// address, or its store page when it is not installed.
const APP_LINK: &str = "https://mgovsign.page.link/?link=";
const APP_LINK_TAIL: &str = "&isi=1476128386&ibi=kz.egov.mobile&apn=kz.mobile.mgov";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/egov/start", post(start))
        .route("/auth/egov/wait", post(wait))
        .route("/auth/egov/cancel", post(cancel))
        .route("/egov/sign-in/{address}", get(describe))
        .route(
            "/egov/sign-in/{address}/document",
            get(document).put(signed),
        )
}

fn now(state: &AppState) -> i64 {
    state.engine.ctx().now
}

/// The site's own address as the app must reach it: `KEZEK_PUBLIC_URL`, else the address the
/// page was asked at.
fn site(state: &AppState, headers: &HeaderMap) -> String {
    if let Ok(url) = std::env::var("KEZEK_PUBLIC_URL") {
        if !url.trim().is_empty() {
            return url.trim().trim_end_matches('/').to_string();
        }
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1");
    let scheme = if state.auth.https { "https" } else { "http" };
    format!("{scheme}://{host}")
}

use app::i18n::escape_html as escape;

/// What the page needs to show a code: the QR code's text and the app link, and the block
/// that shows them, written here in the reader's language (in the browser's code its markup
/// cost the main bundle more than issue 9's budget had left): on a phone the app's button
/// with the QR code folded away for a second phone, on a computer the QR code (the style sheet
/// shows one or the other).
fn code_for(site: &str, address: &str, locale: Locale) -> Value {
    let api1 = format!("{site}{ADDRESS_PATH}{address}");
    let qr = format!("mobileSign:{api1}");
    let link = format!("{APP_LINK}{}{APP_LINK_TAIL}", percent(&api1, false));
    let svg = app::tokens::qr_svg(&qr).unwrap_or_default();
    let say = |m: Msg| escape(t(locale, m));
    let html = format!(
        "<div class=\"for-phone\"><a class=\"button primary wide\" href=\"{link}\" id=\"egov-app\">{}</a>\
         <p class=\"hint\">{}</p><details><summary>{}</summary>\
         <div class=\"qr\" role=\"img\" aria-label=\"{}\">{svg}</div></details></div>\
         <div class=\"for-computer\"><div class=\"qr\" role=\"img\" aria-label=\"{}\" id=\"egov-qr\">{svg}</div>\
         <p class=\"hint\">{}</p></div>",
        say(Msg::EgovOpenApp),
        say(Msg::EgovPhoneHint),
        say(Msg::EgovOtherPhone),
        say(Msg::EgovQrLabel),
        say(Msg::EgovQrLabel),
        say(Msg::EgovScanHint),
    );
    json!({ "html": html, "link": link, "qr": qr })
}

fn wait_cookie(state: &AppState, value: Option<&str>) -> String {
    let secure = if state.auth.https { "; Secure" } else { "" };
    match value {
        Some(v) => format!(
            "{WAIT_COOKIE}={v}; HttpOnly; SameSite=Lax; Path=/auth/egov; Max-Age=420{secure}"
        ),
        None => {
            format!("{WAIT_COOKIE}=; HttpOnly; SameSite=Lax; Path=/auth/egov; Max-Age=0{secure}")
        }
    }
}

/// The page's waiting token, from its cookie.
fn wait_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == WAIT_COOKIE)
        .map(|(_, v)| v.to_string())
}

fn answer(body: Value, cookies: &[String]) -> Response {
    let mut res = no_store(axum::Json(body).into_response());
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

fn seconds_left(state: &AppState, expires_at: i64) -> i64 {
    ((expires_at - now(state)) / 1000).max(0)
}

#[derive(Deserialize)]
struct StartForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    next: String,
}

async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<StartForm>,
) -> Response {
    let Some(role) = Role::parse(&f.role) else {
        return refusal(&headers, AppError::Validation(Invalid::Request));
    };
    // One live code per page: a new one ends the last.
    if let Some(old) = wait_token(&headers) {
        if let Err(e) = state.auth.mobile_cancel(&state.db, &old).await {
            return refusal(&headers, e);
        }
    }
    let next = local_next(&f.next);
    match state
        .auth
        .mobile_start(&state.db, now(&state), role, &next)
        .await
    {
        Ok(Started {
            address,
            wait,
            expires_at,
        }) => {
            let locale = locale(&headers);
            let mut body = code_for(&site(&state, &headers), &address, locale);
            body["state"] = json!("waiting");
            body["message"] = json!(t(locale, Msg::EgovWaiting));
            body["seconds_left"] = json!(seconds_left(&state, expires_at));
            answer(body, &[wait_cookie(&state, Some(&wait))])
        }
        Err(e) => refusal(&headers, e),
    }
}

async fn wait(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = wait_token(&headers) else {
        return answer(json!({ "state": "none" }), &[]);
    };
    let locale = locale(&headers);
    let waiting = match state.auth.mobile_wait(&state.db, now(&state), &token).await {
        Ok(w) => w,
        Err(e) => return refusal(&headers, e),
    };
    let said = |msg: Msg| json!(t(locale, msg));
    match waiting {
        Waiting::None => answer(json!({ "state": "none" }), &[wait_cookie(&state, None)]),
        Waiting::Waiting {
            opened,
            expires_at,
            address,
        } => {
            let mut body = match &address {
                Some(a) => code_for(&site(&state, &headers), a, locale),
                None => json!({}),
            };
            body["state"] = json!(if opened { "opened" } else { "waiting" });
            body["message"] = said(if opened {
                Msg::EgovOpened
            } else {
                Msg::EgovWaiting
            });
            body["seconds_left"] = json!(seconds_left(&state, expires_at));
            answer(body, &[])
        }
        Waiting::SignedIn { token, next } => answer(
            json!({ "state": "signed", "next": local_next(&next), "message": said(Msg::EgovSignedIn) }),
            &[state.auth.cookie(Some(&token)), wait_cookie(&state, None)],
        ),
        Waiting::Expired => answer(
            json!({ "state": "expired", "message": said(Msg::EgovExpired) }),
            &[wait_cookie(&state, None)],
        ),
        Waiting::Cancelled => answer(
            json!({ "state": "cancelled", "message": said(Msg::EgovCancelled) }),
            &[wait_cookie(&state, None)],
        ),
        Waiting::Failed(e) => answer(
            json!({
                "state": "failed",
                "code": e.code(),
                "message": AppError::Validation(Invalid::SignIn(e)).message(locale),
            }),
            &[wait_cookie(&state, None)],
        ),
    }
}

async fn cancel(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = wait_token(&headers) {
        if let Err(e) = state.auth.mobile_cancel(&state.db, &token).await {
            return refusal(&headers, e);
        }
    }
    let message = t(locale(&headers), Msg::EgovCancelled);
    answer(
        json!({ "state": "cancelled", "message": message }),
        &[wait_cookie(&state, None)],
    )
}

/// The app's language: it sends `Accept-Language` (and no cookie of ours).
fn app_locale(headers: &HeaderMap) -> Locale {
    Locale::for_request(
        None,
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

fn refused(headers: &HeaderMap, r: Refusal) -> Response {
    let status = StatusCode::from_u16(r.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let message = t(app_locale(headers), r.msg());
    no_store((status, axum::Json(json!({ "message": message }))).into_response())
}

/// The three names of a message, as the protocol's `nameKz`, `nameRu`, `nameEn`.
fn names(msg: Msg) -> [&'static str; 3] {
    [t(Locale::Kk, msg), t(Locale::Ru, msg), t(Locale::En, msg)]
}

fn almaty_iso(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .map(|t| t.to_offset(app::clock::ALMATY))
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn role_msg(role: Role) -> Msg {
    match role {
        Role::Parent => Msg::RoleParent,
        Role::Head => Msg::RoleHead,
        Role::Admin => Msg::RoleAdmin,
    }
}

/// API 1: what this is, until when, by whom, and where the document is (with its token).
async fn describe(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(address): Path<String>,
) -> Response {
    let opened = match state
        .auth
        .mobile_open(&state.db, now(&state), &address)
        .await
    {
        Ok(o) => o,
        Err(r) => return refused(&headers, r),
    };
    let locale = app_locale(&headers);
    let [kz, ru, en] = names(Msg::EgovOrganisation);
    let body = json!({
        "description": format!("{} ({})", t(locale, Msg::EgovDescription), t(locale, role_msg(opened.role))),
        "expiry_date": almaty_iso(opened.expires_at),
        "organisation": {
            "nameRu": ru,
            "nameKz": kz,
            "nameEn": en,
            "bin": std::env::var("KEZEK_ORG_BIN").unwrap_or_default(),
        },
        "document": {
            "uri": format!("{}{ADDRESS_PATH}{address}/document", site(&state, &headers)),
            "auth_type": "Token",
            "auth_token": opened.token,
        },
    });
    no_store(axum::Json(body).into_response())
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// API 2: the one document to sign, the sign-in challenge.
async fn document(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(address): Path<String>,
) -> Response {
    use base64::Engine as _;
    let Some(token) = bearer(&headers) else {
        return refused(&headers, Refusal::Token);
    };
    let doc = match state
        .auth
        .mobile_document(&state.db, now(&state), &address, &token)
        .await
    {
        Ok(d) => d,
        Err(r) => return refused(&headers, r),
    };
    let locale = app_locale(&headers);
    let [kz, ru, en] = names(Msg::SignInTitle);
    let body = json!({
        "signMethod": "CMS_SIGN_ONLY",
        "version": 1,
        "documentsToSign": [{
            "id": 1,
            "nameKz": kz,
            "nameRu": ru,
            "nameEn": en,
            "meta": [
                { "name": t(locale, Msg::SignInAs), "value": t(locale, role_msg(doc.role)) },
                { "name": t(locale, Msg::EgovSite), "value": site(&state, &headers) },
                { "name": t(locale, Msg::EgovValidUntil), "value": almaty_iso(doc.expires_at) },
            ],
            "document": {
                "file": {
                    "mime": "text/plain",
                    "data": base64::engine::general_purpose::STANDARD.encode(doc.text.as_bytes()),
                }
            }
        }]
    });
    no_store(axum::Json(body).into_response())
}

/// The signature in the document sent back: exactly one document, number 1, its data the CMS.
fn signature_in(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let docs = v.get("documentsToSign")?.as_array()?;
    let [doc] = docs.as_slice() else {
        return None;
    };
    if doc.get("id")?.as_i64()? != 1 {
        return None;
    }
    let data = doc.get("document")?.get("file")?.get("data")?.as_str()?;
    (!data.trim().is_empty()).then(|| data.to_string())
}

/// API 2, back: the document signed.
async fn signed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(address): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let Some(token) = bearer(&headers) else {
        return refused(&headers, Refusal::Token);
    };
    let Some(cms) = signature_in(&body) else {
        return refused(&headers, Refusal::Malformed);
    };
    match state
        .auth
        .mobile_signed(&state.db, now(&state), &address, &token, &cms)
        .await
    {
        Ok(()) => no_store(
            axum::Json(json!({ "message": t(app_locale(&headers), Msg::EgovDone) }))
                .into_response(),
        ),
        Err(r) => refused(&headers, r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_read_from_the_one_document_sent_back() {
        let good = br#"{"signMethod":"CMS_SIGN_ONLY","version":1,"documentsToSign":[{"id":1,"document":{"file":{"mime":"text/plain","data":"MIIB"}}}]}"#;
        assert_eq!(signature_in(good).as_deref(), Some("MIIB"));
        for bad in [
            &b"not json"[..],
            br#"{"documentsToSign":[]}"#,
            br#"{"documentsToSign":[{"id":2,"document":{"file":{"data":"MIIB"}}}]}"#,
            br#"{"documentsToSign":[{"id":1,"document":{"file":{"data":" "}}}]}"#,
            br#"{"documentsToSign":[{"id":1,"document":{"file":{"data":"A"}}},{"id":1,"document":{"file":{"data":"B"}}}]}"#,
        ] {
            assert_eq!(signature_in(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn the_app_link_carries_the_whole_address_encoded() {
        let code = code_for("https://kezek.example", &"a".repeat(64), Locale::Ru);
        let link = code["link"].as_str().unwrap();
        assert!(link.starts_with(
            "https://mgovsign.page.link/?link=https%3A%2F%2Fkezek.example%2Fegov%2Fsign-in%2Faaaa"
        ));
        assert!(link.ends_with("&apn=kz.mobile.mgov"));
        assert_eq!(
            code["qr"],
            format!(
                "mobileSign:https://kezek.example/egov/sign-in/{}",
                "a".repeat(64)
            )
        );
        let html = code["html"].as_str().unwrap();
        assert!(
            html.contains("<svg") && html.contains("Открыть eGov mobile"),
            "{html}"
        );
        assert!(html.contains(&format!("href=\"{link}\"")));
    }
}
