//! The open data on the server: the hourly checkpoint and the daily export, the files at
//! `/open-data/…`, and `kezek audit replay`, which checks an export from a directory or a URL.

use app::engine::Engine;
use app::opendata::checkpoints::Checkpoint;
use app::opendata::export::OpenData;
use app::opendata::verify::{check, Files};
use app::opendata::FILES;
use app::state::AppState;
use app::store::Db;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::sync::Arc;
use std::time::Duration;

/// Daily exports kept.
const KEEP_DAYS: usize = 14;

/// Every hour a checkpoint of the chain head; each Almaty day's export (made at the first look
/// of a day without one: just after midnight, or at the start), the oldest beyond two weeks
/// removed.
pub async fn every_hour(db: Db, open: Arc<OpenData>, engine: Arc<Engine>) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_hour = None;
    loop {
        tick.tick().await;
        let now = engine.ctx().now;
        let hour = now / 3_600_000;
        if last_hour != Some(hour) {
            match open.checkpoint(&db, now).await {
                Ok(cp) => {
                    last_hour = Some(hour);
                    tracing::info!(seq = cp.seq, "checkpoint of the event log");
                }
                Err(e) => tracing::warn!(error = %e, "checkpoint failed; retrying"),
            }
        }
        let name = app::engine::rules::almaty_date(now).to_string();
        if open.manifest(&name).is_none() {
            match open.export(&db, &name, now).await {
                Ok(m) => {
                    open.prune(KEEP_DAYS);
                    tracing::info!(name = %m.name, events = m.events, queue = m.queue, "daily open data export");
                }
                Err(e) => tracing::warn!(error = %e, "daily export failed; retrying"),
            }
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/open-data/checkpoint-key.json", get(key))
        .route("/open-data/checkpoints.json", get(checkpoints))
        .route("/open-data/{name}/{file}", get(file))
}

async fn key(State(state): State<AppState>) -> Response {
    Json(state.open_data.published_key()).into_response()
}

async fn checkpoints(State(state): State<AppState>) -> Response {
    match state.open_data.checkpoints(&state.db, 1_000).await {
        Ok(list) => ([(header::CACHE_CONTROL, "no-cache")], Json(list)).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "reading checkpoints failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn file(
    State(state): State<AppState>,
    Path((name, file)): Path<(String, String)>,
    request: axum::extract::Request,
) -> Response {
    use tower::ServiceExt as _;
    let Some(path) = state.open_data.file(&name, &file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let kind = if file.ends_with(".csv") {
        "text/csv; charset=utf-8"
    } else if file.ends_with(".json") {
        "application/json"
    } else {
        "text/plain; charset=utf-8"
    };
    let cache = if name == "now" {
        "no-cache"
    } else {
        "public, max-age=3600"
    };
    // The file, or its gzip where the reader accepts it (with ranges and Last-Modified).
    let Ok(response) = tower_http::services::ServeFile::new(path)
        .precompressed_gzip()
        .oneshot(request)
        .await;
    if response.status() == StatusCode::NOT_FOUND {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut response = response.map(axum::body::Body::new);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static(kind));
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static(cache),
    );
    response
}

/// Reads an export's files from a directory or from a URL.
async fn load(source: &str) -> Result<Files, String> {
    let names = FILES.iter().copied().chain(["SHA256SUMS"]);
    let mut files = Files::new();
    if source.starts_with("http://") || source.starts_with("https://") {
        let base = if source.ends_with('/') {
            source.to_string()
        } else {
            format!("{source}/")
        };
        let client = reqwest::Client::new();
        for name in names {
            let url = format!("{base}{name}");
            let resp = client
                .get(&url)
                .send()
                .await
                .map_err(|e| format!("{url}: {e}"))?;
            if resp.status().is_success() {
                let bytes = resp.bytes().await.map_err(|e| format!("{url}: {e}"))?;
                files.insert(name.to_string(), bytes.to_vec());
            }
        }
    } else {
        let dir = std::path::Path::new(source);
        if !dir.is_dir() {
            return Err(format!("{source}: not a directory or an http(s) URL"));
        }
        for name in names {
            if let Ok(bytes) = std::fs::read(dir.join(name)) {
                files.insert(name.to_string(), bytes);
            }
        }
    }
    Ok(files)
}

fn kept(paths: &[std::path::PathBuf]) -> Result<Vec<Checkpoint>, String> {
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
        let v: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))?;
        let list = if v.is_array() {
            v
        } else {
            serde_json::Value::Array(vec![v])
        };
        let cps: Vec<Checkpoint> = serde_json::from_value(list)
            .map_err(|e| format!("{}: not a checkpoint: {e}", p.display()))?;
        out.extend(cps);
    }
    Ok(out)
}

/// `kezek audit replay`: prints what it checked and every difference; an error (exit 1) on any.
pub async fn replay(source: &str, checkpoints: &[std::path::PathBuf]) -> Result<(), String> {
    let kept = kept(checkpoints)?;
    let files = load(source).await?;
    let r = check(&files, &kept);
    let c = &r.counts;
    println!(
        "replayed {} events: {} applications, {} invitations, {} referrals ({} by staff order); \
         chain head {} {}",
        c.events, c.applications, c.invitations, c.referrals, c.staff_orders, r.head.0, r.head.1
    );
    println!(
        "checked {} published and {} kept checkpoints, {} positions; {} children passed over \
         in the month of the age cutoff (undecided by the birth month)",
        r.checkpoints, r.kept_checkpoints, r.positions, c.undecided_age
    );
    for f in &r.findings {
        if f.seq > 0 {
            println!("DIFFERENCE at event {}: {}", f.seq, f.what);
        } else {
            println!("DIFFERENCE: {}", f.what);
        }
    }
    if r.findings.is_empty() {
        println!("no differences: the export agrees with itself and with the rules");
        Ok(())
    } else {
        Err(format!("{} differences", r.findings.len()))
    }
}
