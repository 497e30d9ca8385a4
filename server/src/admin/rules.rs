//! The rules' parameters and the calendar: the department's page (`/admin/rules`), its forms
//! (`POST /admin/rules`, `POST /admin/calendar`, each back to the page saying how it went), and
//! the public page (`/rules`) that shows the rules in force, the calendar and every change.

use super::{department, html, see_other, signed_in};
use crate::auth::{locale, refusal};
use app::admin::rules::{calendar, changes, parse, rules_form, rules_list};
use app::engine::{Acting, Actor, DayKind};
use app::error::{AppError, Invalid};
use app::state::AppState;
use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use std::collections::HashMap;

/// The log's kinds the pages list as changes.
const CHANGES: [&str; 2] = ["rules.changed", "calendar.changed"];

#[derive(serde::Deserialize)]
pub(super) struct Shown {
    year: Option<String>,
    rules: Option<String>,
    calendar: Option<String>,
}

/// The year asked for (this one if none or not a year).
fn year(state: &AppState, asked: Option<&str>) -> i32 {
    asked
        .and_then(|y| y.parse().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| state.engine.ctx().today().year())
}

/// The calendar's days and the latest changes, or the answer that says they cannot be read.
async fn read(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<
    (
        Vec<(time::Date, String, bool)>,
        Vec<(i64, String, serde_json::Value)>,
    ),
    Response,
> {
    let days = state
        .engine
        .calendar_days()
        .await
        .map_err(|e| refusal(headers, e.to_app()))?;
    let log = state
        .engine
        .latest_events(&CHANGES, 40)
        .await
        .map_err(|e| refusal(headers, e.to_app()))?;
    Ok((days, log))
}

pub(super) async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(shown): Query<Shown>,
) -> Response {
    if let Err(answer) = signed_in(&state, &headers, "/admin/rules").await {
        return answer;
    }
    let (days, log) = match read(&state, &headers).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let locale = locale(&headers);
    let year = year(&state, shown.year.as_deref());
    let mut body = rules_form(locale, &state.engine.rules(), shown.rules.as_deref());
    body.push_str(&calendar(
        locale,
        year,
        &days,
        Some(shown.calendar.as_deref()),
    ));
    body.push_str(&changes(locale, &log));
    html(app::admin::document(locale, "/admin/rules", &body))
}

/// The public page: the rules in force, the calendar, every change (when, by whom, why).
pub(super) async fn public(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(shown): Query<Shown>,
) -> Response {
    let (days, log) = match read(&state, &headers).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let locale = locale(&headers);
    let title = locale.pick(["Кезек ережелері", "Правила очереди", "Queue rules"]);
    let mut body = format!(
        "<h1>{title}</h1><p>{}</p>",
        locale.pick([
            "Білім басқармасы бекіткен ережелер мен күнтізбе. Әрбір өзгеріс ашық журналда: кім, қашан, неге.",
            "Правила и календарь, установленные управлением образования. Каждое изменение — в открытом журнале: кто, когда и почему.",
            "The rules and the calendar set by the education department. Every change is in the public log: who, when and why.",
        ])
    );
    body.push_str(&rules_list(locale, &state.engine.rules()));
    body.push_str(&calendar(
        locale,
        year(&state, shown.year.as_deref()),
        &days,
        None,
    ));
    body.push_str(&changes(locale, &log));
    html(app::admin::frame(locale, "/rules", title, &body))
}

/// A department's form: who posts it (the pseudonym) and the reason it gives (200 characters
/// at most). `Err` with the answer: the refusal when not the department, `no_reason` when none.
pub(super) async fn posted<'f>(
    state: &AppState,
    headers: &HeaderMap,
    form: &'f HashMap<String, String>,
    no_reason: impl FnOnce() -> Response,
) -> Result<(String, &'f str), Response> {
    let by = department(state, headers)
        .await
        .map_err(|e| refusal(headers, e))?;
    let r = form.get("reason").map(|r| r.trim()).unwrap_or("");
    if r.is_empty() || r.chars().count() > 200 {
        return Err(no_reason());
    }
    Ok((by, r))
}

pub(super) async fn save_rules(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let back = |code: &str| see_other(&format!("/admin/rules?rules={code}#rules"));
    let (by, reason) = match posted(&state, &headers, &form, || back("no-reason")).await {
        Ok(posted) => posted,
        Err(answer) => return answer,
    };
    let Some(rules) = parse(&form) else {
        return back("invalid");
    };
    let acting = Acting { by: &by, reason };
    match state.engine.set_rules(&Actor::Admin, acting, rules).await {
        Ok(()) => {
            tracing::info!(by, "rules changed");
            back("saved")
        }
        Err(e) if e.refusal() == Some(AppError::Validation(Invalid::Rules)) => back("invalid"),
        Err(e) => refusal(&headers, e.to_app()),
    }
}

pub(super) async fn save_day(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| form.get(k).map(|v| v.trim()).unwrap_or("");
    let day = app::domain::parse_iso_date(get("day"));
    let shown = day.map_or_else(|| state.engine.ctx().today().year(), |d| d.year());
    let back = |code: &str| {
        see_other(&format!(
            "/admin/rules?year={shown}&calendar={code}#calendar"
        ))
    };
    let (by, reason) = match posted(&state, &headers, &form, || back("no-reason")).await {
        Ok(posted) => posted,
        Err(answer) => return answer,
    };
    let Some(day) = day else {
        return back("bad-date");
    };
    let name = get("name").to_string();
    let named = !name.is_empty() && name.chars().count() <= 200;
    let kind = match get("kind") {
        "ordinary" => DayKind::Ordinary,
        _ if !named => return back("no-name"),
        "worked" if !app::engine::rules::is_weekend(day) => return back("weekday"),
        "worked" => DayKind::Worked(name),
        _ => DayKind::Off(name),
    };
    let removed = kind == DayKind::Ordinary;
    let acting = Acting { by: &by, reason };
    match state.engine.set_day(&Actor::Admin, acting, day, kind).await {
        Ok(()) => {
            tracing::info!(by, "calendar changed");
            back(if removed { "removed" } else { "saved" })
        }
        Err(e) => refusal(&headers, e.to_app()),
    }
}
