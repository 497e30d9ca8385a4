//! The sign-in routes: a challenge, sign-in with its signature, dev sign-in, sign-out.
//!
//! Each answers JSON: `{"ok": true, "next": "/…"}` with the session cookie, or
//! `{"error": "…"}` (translated for the reader) with a 4xx, or 503 when storage is down.

use app::auth::sessions;
use app::auth::sign_in::Role;
use app::error::{AppError, Invalid};
use app::i18n::Locale;
use app::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use serde_json::json;

/// The routes under `/auth`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/challenge", get(challenge))
        .route("/auth/sign-in", post(sign_in))
        .route("/auth/dev/sign-in", post(dev_sign_in))
        .route("/auth/dev/sign", post(dev_sign))
        .route("/auth/sign-out", post(sign_out))
        .route("/auth/sign-out-everywhere", post(sign_out_everywhere))
}

fn now(state: &AppState) -> i64 {
    state.engine.ctx().now
}

pub(crate) fn locale(headers: &HeaderMap) -> Locale {
    let h = |n: header::HeaderName| headers.get(n).and_then(|v| v.to_str().ok());
    Locale::for_request(h(header::COOKIE), h(header::ACCEPT_LANGUAGE))
}

/// Where to go after signing in: a path of this site only (never `//host` or a URL).
pub(crate) fn local_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    if ok {
        next.to_string()
    } else {
        "/".into()
    }
}

pub(crate) fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().expect("header"));
    res
}

/// A plain form post from a page (no JavaScript): answered with a redirect, not JSON.
fn from_a_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// The short name of a refusal, for the sign-in page.
fn code(e: AppError) -> String {
    match e {
        AppError::Validation(Invalid::SignIn(s)) => s.code(),
        AppError::Validation(Invalid::Iin(_)) => "iin".into(),
        AppError::Unavailable | AppError::Internal => "unavailable".into(),
        _ => "request".into(),
    }
}

/// `s` percent-encoded for a URL's query, every byte but the unreserved ones (and `/` when
/// `keep_slash`, for a path).
pub(crate) fn percent(s: &str, keep_slash: bool) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b'/' if keep_slash => "/".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn see_other(to: &str, cookie: Option<String>) -> Response {
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response();
    if let Some(c) = cookie.and_then(|c| c.parse().ok()) {
        res.headers_mut().insert(header::SET_COOKIE, c);
    }
    no_store(res)
}

pub(crate) fn refusal(headers: &HeaderMap, e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    no_store(
        (
            status,
            axum::Json(json!({ "error": e.message(locale(headers)), "code": code(e) })),
        )
            .into_response(),
    )
}

/// A refused sign-in: JSON for scripts, back to the sign-in page (with the reason) for forms.
fn refused_sign_in(headers: &HeaderMap, e: AppError, next: &str) -> Response {
    if from_a_form(headers) {
        let to = format!(
            "/sign-in?error={}&next={}",
            code(e),
            percent(&local_next(next), true)
        );
        return see_other(&to, None);
    }
    refusal(headers, e)
}

/// Where a sign-in with no page to go back to lands: the department on its own page (served
/// by the server, outside the app's pages), everyone else on the directory.
pub(crate) fn landing(role: Role, next: &str) -> &str {
    if role == Role::Admin && matches!(next.trim(), "" | "/") {
        "/admin"
    } else {
        next
    }
}

fn signed_in(state: &AppState, headers: &HeaderMap, token: &str, next: &str) -> Response {
    let cookie = state.auth.cookie(Some(token));
    if from_a_form(headers) {
        return see_other(&local_next(next), Some(cookie));
    }
    no_store(
        (
            [(header::SET_COOKIE, cookie)],
            axum::Json(json!({ "ok": true, "next": local_next(next) })),
        )
            .into_response(),
    )
}

async fn challenge(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match state.auth.challenge(&state.db, now(&state)).await {
        Ok(c) => no_store(axum::Json(json!({ "challenge": c })).into_response()),
        Err(e) => refusal(&headers, e),
    }
}

#[derive(Deserialize)]
struct SignInForm {
    challenge: String,
    cms: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    next: String,
}

async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<SignInForm>,
) -> Response {
    let Some(role) = Role::parse(&f.role) else {
        return refused_sign_in(&headers, AppError::Validation(Invalid::Request), &f.next);
    };
    match state
        .auth
        .sign_in(&state.db, now(&state), &f.challenge, &f.cms, role)
        .await
    {
        Ok(token) => signed_in(&state, &headers, &token, landing(role, &f.next)),
        Err(e) => refused_sign_in(&headers, e, &f.next),
    }
}

#[derive(Deserialize)]
struct DevForm {
    iin: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    next: String,
}

async fn dev_sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<DevForm>,
) -> Response {
    let Some(role) = Role::parse(&f.role) else {
        return refused_sign_in(&headers, AppError::Validation(Invalid::Request), &f.next);
    };
    match state
        .auth
        .dev_sign_in(&state.db, now(&state), &f.iin, role)
        .await
    {
        Ok(token) => signed_in(&state, &headers, &token, landing(role, &f.next)),
        Err(e) => refused_sign_in(&headers, e, &f.next),
    }
}

#[derive(Deserialize)]
struct DevSignForm {
    iin: String,
    /// `auth` (the default) or `sign`: which of the person's two keys.
    #[serde(default)]
    usage: String,
    /// What to sign, base64 (as NCALayer is given it).
    data: String,
}

/// Dev mode only: signs `data` as NCALayer would for `iin` with the dev CA, and answers
/// `{"cms": …}`: the browser tests' stand-in for NCALayer signs through it.
async fn dev_sign(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<DevSignForm>,
) -> Response {
    use app::auth::dev_ca::Usage;
    use base64::Engine as _;
    let usage = match f.usage.as_str() {
        "" | "auth" => Usage::Auth,
        "sign" => Usage::Sign,
        _ => return refusal(&headers, AppError::Validation(Invalid::Request)),
    };
    let Ok(data) = base64::engine::general_purpose::STANDARD.decode(f.data.trim()) else {
        return refusal(&headers, AppError::Validation(Invalid::Request));
    };
    match state.auth.dev_sign(now(&state), &f.iin, usage, &data) {
        Ok(cms) => no_store(axum::Json(json!({ "cms": cms })).into_response()),
        Err(e) => refusal(&headers, e),
    }
}

/// The session token the request carries, if any.
fn token(headers: &HeaderMap) -> Option<String> {
    sessions::token_in(
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok()),
    )
}

async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    end(state, headers, false).await
}

async fn sign_out_everywhere(State(state): State<AppState>, headers: HeaderMap) -> Response {
    end(state, headers, true).await
}

async fn end(state: AppState, headers: HeaderMap, everywhere: bool) -> Response {
    if let Some(t) = token(&headers) {
        let done = if everywhere {
            sessions::end_all(&state.db, &t).await.map(|_| ())
        } else {
            sessions::end(&state.db, &t).await.map(|_| ())
        };
        if let Err(e) = done {
            tracing::error!(error = %e, "sign-out");
            return refusal(&headers, AppError::Unavailable);
        }
    }
    let cookie = state.auth.cookie(None);
    if from_a_form(&headers) {
        return see_other("/", Some(cookie));
    }
    no_store(
        (
            [(header::SET_COOKIE, cookie)],
            axum::Json(json!({ "ok": true, "next": "/" })),
        )
            .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::local_next;

    #[test]
    fn only_paths_of_this_site_are_followed_after_sign_in() {
        assert_eq!(local_next("/head?x=1"), "/head?x=1");
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil",
            "",
            "head",
            "/a\nb",
        ] {
            assert_eq!(local_next(bad), "/", "{bad:?}");
        }
    }
}
