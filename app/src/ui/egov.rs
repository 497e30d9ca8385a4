//! Signing in with eGov mobile: the page asks the server for a code (`/auth/egov/start`) and
//! shows it (the server writes the code's block and the words of each state): on a computer a
//! QR code to scan with the phone, on a phone (narrow screens and touch, by the style sheet) a
//! button that opens the app, the QR code folded away for a second phone. Then it looks every
//! second where the sign-in stands (`/auth/egov/wait`, its token in a cookie of its own): it
//! counts the time left, says when the app has opened the request, and goes on by itself once
//! the signature is checked; an expired, cancelled or refused one is said with a new code
//! offered. A page reloaded meanwhile (a phone's browser often is, after the app) carries on
//! where it was.

use crate::i18n::{t, Locale, Msg};
use crate::ui::common::use_locale;
use leptos::either::Either;
use leptos::prelude::*;

/// The server's answer: where the sign-in stands, and what to show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answer {
    /// `waiting`, `opened`, `signed`, `expired`, `cancelled`, `failed`, `none` (or empty on a
    /// refusal, whose reason is in `error`).
    pub state: String,
    /// The code's block (QR code, app link), written by the server.
    pub html: Option<String>,
    pub seconds_left: Option<i64>,
    pub next: Option<String>,
    pub message: Option<String>,
    pub error: Option<String>,
}

impl Answer {
    /// Read field by field from the JSON (a derived reader cost the browser's bundle 2 KB).
    #[cfg(feature = "hydrate")]
    fn read(v: &serde_json::Value) -> Answer {
        let text = |k: &str| v[k].as_str().map(str::to_string);
        Answer {
            state: text("state").unwrap_or_default(),
            html: text("html"),
            seconds_left: v["seconds_left"].as_i64(),
            next: text("next"),
            message: text("message"),
            error: text("error"),
        }
    }

    fn waiting(&self) -> bool {
        matches!(self.state.as_str(), "waiting" | "opened")
    }
}

fn clock(seconds: i64) -> String {
    let s = seconds.max(0);
    format!("{}:{:02}", s / 60, s % 60)
}

/// The eGov mobile card. A plain function, not a component: an erased component's view, like
/// every `into_any`, costs the main bundle a table of its own.
pub fn egov_mobile(role: RwSignal<String>, next: RwSignal<String>) -> impl IntoView {
    let locale = use_locale();
    let answer = RwSignal::new(None::<Answer>);
    let left = RwSignal::new(0i64);
    // The code's block stays as first shown (a later answer may not repeat it).
    let code = RwSignal::new(String::new());
    let flow = Flow {
        locale,
        answer,
        left,
        code,
        role,
        next,
        #[cfg(feature = "hydrate")]
        timer: StoredValue::new(None),
        #[cfg(feature = "hydrate")]
        busy: StoredValue::new(false),
    };
    #[cfg(feature = "hydrate")]
    {
        // Carry on with a sign-in this page started before it was reloaded.
        leptos::task::spawn_local(flow.look(false));
        on_cleanup(move || flow.stop());
    }
    let start = move |_| flow.start();
    let cancel = move |_| flow.cancel();
    // The block below is rebuilt when this changes, not at every answer. (Few closures, no
    // `into_any` and no test ids: each costs the main bundle its share, which issue 9 keeps
    // under 250 KB.)
    let waiting = Memo::new(move |_| answer.with(|a| a.as_ref().is_some_and(Answer::waiting)));
    let idle = move || {
        let (asked, signed) = answer
            .with_untracked(|a| (a.is_some(), a.as_ref().is_some_and(|a| a.state == "signed")));
        let class = if signed {
            "egov-status"
        } else {
            "egov-status error"
        };
        view! {
            {move || {
                answer.get().and_then(|a| a.message.or(a.error)).map(|m| view! {
                    <p class=class role="alert">{m}</p>
                })
            }}
            {(!signed).then(|| view! {
                <button type="button" class="primary wide" id="egov-start" on:click=start>
                    {t(locale, if asked { Msg::EgovNewCode } else { Msg::SignInEgov })}
                </button>
            })}
        }
    };
    let shown = move || {
        view! {
            <div inner_html=move || code.get()></div>
            <p class="egov-status" role="status" aria-live="polite">
                {move || answer.with(|a| a.as_ref().and_then(|a| a.message.clone()))}
            </p>
            <p class="hint time-left">
                {t(locale, Msg::EgovTimeLeft)} " " <strong>{move || clock(left.get())}</strong>
            </p>
            <button type="button" class="secondary" id="egov-cancel" on:click=cancel>
                {t(locale, Msg::EgovCancel)}
            </button>
        }
    };
    view! {
        <div class="card egov">
            <h2>{t(locale, Msg::EgovHeading)}</h2>
            <p class="hint">{t(locale, Msg::EgovIntro)}</p>
            // Not `<noscript>`: its content is text to a browser with scripts, and hydrating it
            // as elements panics. Hidden by the style sheet once the page is live.
            <p class="hint without-js">{t(locale, Msg::EgovNeedsScript)}</p>
            {move || if waiting.get() { Either::Left(shown()) } else { Either::Right(idle()) }}
        </div>
    }
}

/// The page's side of a sign-in: its signals, the second's timer and whether a look is under
/// way.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Flow {
    locale: Locale,
    answer: RwSignal<Option<Answer>>,
    left: RwSignal<i64>,
    code: RwSignal<String>,
    role: RwSignal<String>,
    next: RwSignal<String>,
    #[cfg(feature = "hydrate")]
    timer: StoredValue<Option<IntervalHandle>>,
    #[cfg(feature = "hydrate")]
    busy: StoredValue<bool>,
}

#[cfg(not(feature = "hydrate"))]
impl Flow {
    fn start(self) {}
    fn cancel(self) {}
}

#[cfg(feature = "hydrate")]
impl Flow {
    /// Shows an answer; a finished sign-in stops the timer, a signed one goes on.
    fn show(self, a: Answer) {
        if let Some(s) = a.seconds_left {
            self.left.set(s);
        }
        if let Some(html) = a.html.clone() {
            self.code.set(html);
        }
        if !a.waiting() {
            self.stop();
        }
        if a.state == "signed" {
            let to = a.next.clone().unwrap_or_else(|| "/".into());
            let _ = window().location().set_href(&to);
        }
        self.answer.set(Some(a));
    }

    /// The answer when the server could not be reached.
    fn unreached(self) -> Answer {
        Answer {
            state: "failed".into(),
            error: Some(t(self.locale, Msg::ErrNetwork).into()),
            ..Answer::default()
        }
    }

    fn stop(self) {
        if let Some(Some(h)) = self.timer.try_get_value() {
            h.clear();
        }
        let _ = self.timer.try_set_value(None);
    }

    fn tick(self) {
        if self.timer.get_value().is_some() {
            return;
        }
        let handle = set_interval_with_handle(
            move || {
                self.left.update(|s| *s = (*s - 1).max(0));
                if !self.busy.get_value() {
                    self.busy.set_value(true);
                    leptos::task::spawn_local(self.look(true));
                }
            },
            std::time::Duration::from_secs(1),
        );
        self.timer.set_value(handle.ok());
    }

    /// Looks where the sign-in stands: every second while `ticking`, else once when the page
    /// opens (to carry on with one it started before a reload).
    async fn look(self, ticking: bool) {
        let a = post("/auth/egov/wait", String::new()).await;
        if ticking {
            self.busy.set_value(false);
        }
        // The network dropped a look: the next second looks again.
        let Some(a) = a else { return };
        if !(ticking || a.waiting() || a.state == "signed") {
            return;
        }
        if ticking && a.state == "none" {
            // Collected by another tab meanwhile: nothing more to wait for.
            self.stop();
            self.answer.set(None);
            return;
        }
        let go_on = !ticking && a.waiting();
        self.show(a);
        if go_on {
            self.tick();
        }
    }

    /// Asks for a new code or cancels: the answer shown, the looks started while it waits.
    async fn ask(self, url: &'static str, body: String) {
        let a = post(url, body).await.unwrap_or_else(|| self.unreached());
        let go_on = a.waiting();
        self.show(a);
        if go_on {
            self.tick();
        }
    }

    fn start(self) {
        self.stop();
        self.code.set(String::new());
        let body = format!(
            "role={}&next={}",
            encode(&self.role.get_untracked()),
            encode(&self.next.get_untracked())
        );
        leptos::task::spawn_local(self.ask("/auth/egov/start", body));
    }

    fn cancel(self) {
        self.stop();
        self.code.set(String::new());
        leptos::task::spawn_local(self.ask("/auth/egov/cancel", String::new()));
    }
}

#[cfg(feature = "hydrate")]
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Posts a form to one of the routes: its answer, or `None` when the server was not reached.
#[cfg(feature = "hydrate")]
async fn post(url: &str, body: String) -> Option<Answer> {
    let res = gloo_net::http::Request::post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .body(body)
        .ok()?
        .send()
        .await
        .ok()?;
    Some(Answer::read(&res.json::<serde_json::Value>().await.ok()?))
}
