//! Rate limits: sign-in attempts per client address and claims per session, each a token
//! bucket kept in memory (per server). Over the limit: 429 with `Retry-After` and the reason in
//! the reader's language; nothing runs.

use app::error::AppError;
use app::i18n::{t, Locale, Msg};
use axum::extract::{ConnectInfo, Request};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A bucket of `burst` requests refilled at one per `every`.
pub struct Limiter {
    burst: f64,
    every: Duration,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Limiter {
    pub fn new(burst: u32, every: Duration) -> Limiter {
        Limiter {
            burst: burst as f64,
            every,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request for `key`: `Ok` or how long until the next is allowed.
    pub fn take(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut all = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if all.len() > 100_000 {
            // Forget full buckets rather than grow without bound.
            let burst = self.burst;
            let every = self.every;
            all.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() / every.as_secs_f64() < burst
            });
        }
        let (tokens, at) = all.entry(key.to_string()).or_insert((self.burst, now));
        let refill = now.duration_since(*at).as_secs_f64() / self.every.as_secs_f64();
        *tokens = (*tokens + refill).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(self.every.mul_f64(1.0 - *tokens))
        }
    }
}

/// The limits of one server.
pub struct Limits {
    /// Sign-in attempts and challenges per client address: 20 at once, then one per 3 s.
    pub sign_in: Limiter,
    /// Claims per session: 5 at once, then one per 12 s (a parent claims once; retries after
    /// a seat went are a handful).
    pub claims: Limiter,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            sign_in: Limiter::new(20, Duration::from_secs(3)),
            claims: Limiter::new(5, Duration::from_secs(12)),
        }
    }
}

impl Limits {
    /// The defaults, or what `KEZEK_RATE_SIGN_IN` and `KEZEK_RATE_CLAIMS` say, each
    /// `BURST/SECONDS` (`20/3`: twenty at once, then one per three seconds). The browser tests
    /// sign in hundreds of times from one address and raise the first.
    pub fn from_env() -> Limits {
        let mut l = Limits::default();
        for (name, limiter) in [
            ("KEZEK_RATE_SIGN_IN", &mut l.sign_in),
            ("KEZEK_RATE_CLAIMS", &mut l.claims),
        ] {
            let Ok(v) = std::env::var(name) else { continue };
            match parse_rate(&v) {
                Some((burst, every)) => *limiter = Limiter::new(burst, every),
                None => tracing::error!(%name, value = %v, "not BURST/SECONDS; the default stays"),
            }
        }
        l
    }
}

fn parse_rate(v: &str) -> Option<(u32, Duration)> {
    let (burst, secs) = v.trim().split_once('/')?;
    let burst: u32 = burst.trim().parse().ok().filter(|b| *b > 0)?;
    let secs: f64 = secs
        .trim()
        .parse()
        .ok()
        .filter(|s: &f64| s.is_finite() && *s > 0.0)?;
    Some((burst, Duration::from_secs_f64(secs)))
}

fn too_many(req: &Request, wait: Duration) -> Response {
    let h = |n: header::HeaderName| req.headers().get(n).and_then(|v| v.to_str().ok());
    let locale = Locale::for_request(h(header::COOKIE), h(header::ACCEPT_LANGUAGE));
    let secs = wait.as_secs().max(1);
    let body = serde_json::json!({
        "error": t(locale, Msg::ErrTooMany),
        "code": AppError::Unavailable,
        "retry_after": secs,
    });
    (
        StatusCode::TOO_MANY_REQUESTS,
        [
            (header::RETRY_AFTER, secs.to_string()),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        axum::Json(body),
    )
        .into_response()
}

/// Applies the sign-in limit to the sign-in routes (by client address) and the claims limit to
/// the claim server function (by session).
pub async fn rate_limits(
    axum::extract::State(limits): axum::extract::State<std::sync::Arc<Limits>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    // A page waiting for eGov mobile looks every second: only its new codes count.
    let waiting = matches!(path, "/auth/sign-out" | "/auth/egov/wait");
    let (limiter, key) = if path.starts_with("/auth/") && !waiting {
        let ip = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        (&limits.sign_in, format!("ip:{ip}"))
    } else if path == "/api/queue/claim" {
        let cookies = req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok());
        let Some(token) = app::auth::sessions::token_in(cookies) else {
            return next.run(req).await;
        };
        (&limits.claims, format!("session:{token}"))
    } else {
        return next.run(req).await;
    };
    match limiter.take(&key, Instant::now()) {
        Ok(()) => next.run(req).await,
        Err(wait) => too_many(&req, wait),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_read_as_burst_per_seconds() {
        assert_eq!(parse_rate("20/3"), Some((20, Duration::from_secs(3))));
        assert_eq!(
            parse_rate(" 5 / 0.5 "),
            Some((5, Duration::from_millis(500)))
        );
        for bad in ["", "20", "0/3", "20/0", "20/-1", "a/b", "20/inf"] {
            assert_eq!(parse_rate(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_bucket_allows_its_burst_then_one_per_period() {
        let l = Limiter::new(3, Duration::from_secs(10));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(l.take("a", t0).is_ok());
        }
        let wait = l.take("a", t0).unwrap_err();
        assert!(wait > Duration::from_secs(9) && wait <= Duration::from_secs(10));
        // Another key has its own bucket.
        assert!(l.take("b", t0).is_ok());
        assert!(l.take("a", t0 + Duration::from_secs(10)).is_ok());
        assert!(l.take("a", t0 + Duration::from_secs(11)).is_err());
    }
}
