//! The HTTP surface: the Leptos app and its server functions, `/healthz`, the language switch,
//! static files, compression.

use app::error::AppError;
use app::i18n::{Locale, LOCALE_COOKIE};
use app::state::AppState;
use app::{shell, App};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::collections::HashMap;
use tower_http::compression::CompressionLayer;

/// The app's routes, found once per process. Finding them renders the app with resource loading
/// suppressed by a process-wide flag (leptos_server's `SuppressResourceLoad`): a resource that
/// starts loading anywhere in the process meanwhile waits forever (leptos issue #4773). So a
/// page render must never overlap it: `kezek serve` builds its one router before it listens,
/// and tests that start many servers in one process share this one list.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let options = state.leptos_options.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .route("/.well-known/referral-keys.json", get(referral_keys))
        .route("/lang/{code}", get(set_language))
        .merge(crate::auth::routes())
        .merge(crate::egov::routes())
        .merge(crate::live::routes(&state))
        .merge(crate::map_feed::routes(&state))
        .merge(crate::open_data::routes())
        .leptos_routes(&state, routes, move || shell(options.clone()))
        // The bundle, the style sheet and the map's libraries as compressed at build time
        // (`kezek precompress`).
        .nest_service("/pkg", precompressed(&state, "pkg"))
        .nest_service("/vendor", precompressed(&state, "vendor"))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // No form of this site is near this size: a larger body is refused by its declared
        // length before any of it is read (413). The department's upload has its own.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_BODY_BYTES,
        ))
        .merge(crate::admin::routes())
        .layer(axum::middleware::map_response(error_status))
        .layer(axum::middleware::from_fn(form_bodies_only))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(crate::limits::Limits::from_env()),
            crate::limits::rate_limits,
        ))
        .layer(axum::middleware::from_fn(same_site_only))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(Policy::new(
                state.auth.https,
                crate::config::tile_origin(&state.map_tiles.url).as_deref(),
            )),
            security_headers,
        ))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// A directory of the built site, served with the compressed forms made at build time.
fn precompressed(state: &AppState, dir: &str) -> tower_http::services::ServeDir {
    tower_http::services::ServeDir::new(
        std::path::Path::new(state.leptos_options.site_root.as_ref()).join(dir),
    )
    .precompressed_br()
    .precompressed_gzip()
}

/// Server functions answer every error with 500; this gives each typed error its own status
/// (bad input 400, not found 404, conflict 409, ...) so that only real faults are a 500.
pub async fn error_status(res: Response) -> Response {
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response(),
    };
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(e.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The public keys that sign referrals' QR tokens: anyone can check a printed referral.
async fn referral_keys(State(state): State<AppState>) -> Response {
    (
        [(header::CACHE_CONTROL, "public, max-age=3600")],
        axum::Json(state.referral_keys.published()),
    )
        .into_response()
}

/// 200 when the database answers, 503 otherwise. Never shows driver detail.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store")],
            format!(
                "{{\"status\":\"ok\",\"database\":\"{}\"}}",
                state.db.backend_name()
            ),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CACHE_CONTROL, "no-store")],
                "{\"status\":\"unavailable\"}",
            )
                .into_response()
        }
    }
}

/// Headers on every answer: no sniffing of types, no framing, no referrer to other sites, no
/// powerful browser features; HSTS over HTTPS. Pages get a Content-Security-Policy that allows
/// only scripts carrying this request's fresh nonce (and what they load), the WebAssembly they
/// start and NCALayer's local WebSocket; the nonce goes on the request for the page's scripts
/// (read by `app::ui::shell`).
/// The security headers' settings: HTTPS (strict transport) and the map tiles' origin (the
/// only other place a page may load images from).
pub struct Policy {
    https: bool,
    img_src: String,
}

impl Policy {
    pub fn new(https: bool, tile_origin: Option<&str>) -> Policy {
        let img_src = match tile_origin {
            Some(origin) => format!("'self' data: {origin}"),
            None => "'self' data:".into(),
        };
        Policy { https, img_src }
    }
}

pub async fn security_headers(
    State(policy): State<std::sync::Arc<Policy>>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    // Leptos' own nonce (128 random bits, no file read per request).
    let nonce = leptos::nonce::Nonce::new();
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    // One policy for every answer: it only matters for documents, and whether an answer is
    // one cannot be told from its headers here (a server-rendered page's headers are not
    // always complete when they pass this layer).
    let csp = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src {}; connect-src 'self' wss://127.0.0.1:13579; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        policy.img_src
    );
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    let mut set = |name: &'static str, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set("x-content-type-options", "nosniff");
    set("x-frame-options", "DENY");
    set("referrer-policy", "same-origin");
    // The camera for the head's tablet (reading a referral's QR code), from this site only.
    set(
        "permissions-policy",
        "camera=(self), microphone=(), geolocation=(self), payment=()",
    );
    if policy.https {
        set(
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
    res
}

/// Whether a request that may change something comes from this site's own pages: a browser
/// says so in `Sec-Fetch-Site` (`same-origin`, or `none` when typed or bookmarked) or, when it
/// does not send that, in `Origin` (which must name this host). Requests with neither are not
/// a browser's (scripts, `curl`) and cannot ride on a visitor's cookies, so they pass.
fn from_this_site(req: &axum::extract::Request) -> bool {
    let h = |n: &str| req.headers().get(n).and_then(|v| v.to_str().ok());
    if let Some(site) = h("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = h("origin") else {
        return true;
    };
    let host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    matches!((host, h("host")), (Some(o), Some(own)) if o.eq_ignore_ascii_case(own))
}

/// Refuses, with 403 and the reason, every request but GET and HEAD that another site's page
/// sent (cross-site request forgery): nothing runs, so nothing changes.
pub async fn same_site_only(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::http::Method;
    // eGov mobile's calls carry its own token and none of a visitor's cookies: whatever
    // `Origin` its client sends, they are no forgery.
    let app = req
        .uri()
        .path()
        .starts_with(app::auth::mobile::ADDRESS_PATH);
    if matches!(*req.method(), Method::GET | Method::HEAD) || app || from_this_site(&req) {
        return next.run(req).await;
    }
    let cookie = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok());
    let lang = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let locale = Locale::for_request(cookie, lang);
    let body = serde_json::json!({
        "error": AppError::CrossSite.message(locale),
        "code": AppError::CrossSite,
    });
    (
        StatusCode::FORBIDDEN,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(body),
    )
        .into_response()
}

/// Server functions that change anything are POSTs of a URL-encoded form (what an HTML form
/// sends, with or without JavaScript). Any other body is refused with 415 before it is read,
/// so a body in another encoding is bad input, never a fault or an outage.
pub async fn form_bodies_only(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| {
            t.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if req.method() == axum::http::Method::POST && req.uri().path().starts_with("/api/") && !is_form
    {
        let body = serde_json::to_string(&AppError::Validation(app::error::Invalid::Request))
            .unwrap_or_default();
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::ACCEPT, "application/x-www-form-urlencoded"),
            ],
            body,
        )
            .into_response();
    }
    next.run(req).await
}

/// Remembers the chosen language for a year and goes back to the page the reader was on.
async fn set_language(
    Path(code): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(locale) = Locale::from_code(&code) else {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    };
    let next = query
        .get("next")
        .filter(|n| is_local_path(n))
        .cloned()
        .unwrap_or_else(|| "/".into());
    let cookie = format!(
        "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        locale.code()
    );
    let mut res = StatusCode::SEE_OTHER.into_response();
    let headers = res.headers_mut();
    if let (Ok(loc), Ok(cookie)) = (HeaderValue::from_str(&next), HeaderValue::from_str(&cookie)) {
        headers.insert(header::LOCATION, loc);
        headers.insert(header::SET_COOKIE, cookie);
    }
    res
}

/// Only paths on this site: no scheme, no host, no `//evil.example`, no backslash tricks.
fn is_local_path(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn redirects_stay_on_the_site() {
        assert!(is_local_path("/"));
        assert!(is_local_path("/kindergartens/5?x=1"));
        assert!(!is_local_path("//evil.example/"));
        assert!(!is_local_path("https://evil.example/"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("/a\r\nSet-Cookie: x=1"));
        assert!(!is_local_path(""));
    }
}
