//! Signing in and the account page.
//!
//! Sign-in works as a plain form where it can (the dev people, sign-out) and with JavaScript
//! where it must: with eGov mobile (`super::egov`: a QR code on a computer, a button that opens
//! the app on a phone; the page waits and signs in by itself), or with NCALayer on a computer
//! (the EDS button asks the server for a challenge, has NCALayer sign it, `ncalayer` below,
//! over its local WebSocket, and posts the signature).

use super::common::use_locale;
use crate::api::account::who_am_i;
use crate::error::{invalid_msg, Invalid, SignInError};
use crate::i18n::{t, Locale, Msg};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

/// Only paths of this site are followed after sign-in (the server checks again).
fn local(next: Option<String>, default: &str) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n,
        _ => default.to_string(),
    }
}

fn role_msg(role: &str) -> Msg {
    match role {
        "head" => Msg::RoleHead,
        "admin" => Msg::RoleAdmin,
        _ => Msg::RoleParent,
    }
}

/// The message for an error code the sign-in routes put in `?error=`.
fn error_text(locale: Locale, code: &str) -> &'static str {
    let msg = match code {
        "too_many" => Msg::ErrTooMany,
        "unavailable" => Msg::ErrUnavailable,
        "ncalayer" => Msg::ErrNcaLayerDown,
        "cancelled" => Msg::ErrNcaLayerCancelled,
        "ncalayer_failed" => Msg::ErrNcaLayerFailed,
        // Dev sign-in with a mistyped IIN (the form itself asks for twelve digits).
        "iin" => Msg::ErrIinChecksum,
        other => SignInError::from_code(other)
            .map(|e| invalid_msg(Invalid::SignIn(e)))
            .unwrap_or(Msg::ErrBadRequest),
    };
    t(locale, msg)
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let next = move || local(query.read().get("next"), "/account");
    let wanted = move || query.read().get("as").unwrap_or_else(|| "parent".into());
    let me = Resource::new(|| (), |_| who_am_i());
    let (status, set_status) = signal(None::<String>);
    let server_error = move || query.read().get("error").map(|c| error_text(locale, &c));
    let role = RwSignal::new(String::new());
    Effect::new(move || role.set(wanted()));
    // eGov mobile's sign-in reads where to go once, when it asks for a code.
    let after = RwSignal::new(local(query.read_untracked().get("next"), "/account"));
    let sign = move |_| {
        set_status.set(Some(t(locale, Msg::SignInWorking).to_string()));
        #[cfg(feature = "hydrate")]
        {
            let (role, next) = (role.get_untracked(), next());
            leptos::task::spawn_local(async move {
                match ncalayer::sign_in(locale, &role, &next).await {
                    Ok(to) => {
                        let _ = window().location().set_href(&to);
                    }
                    Err(code) => set_status.set(Some(error_text(locale, &code).to_string())),
                }
            });
        }
    };
    view! {
        <Title text=t(locale, Msg::SignInTitle) />
        <section class="page narrow sign-in">
            <h1>{t(locale, Msg::SignInTitle)}</h1>
            <p class="lead">{t(locale, Msg::SignInIntro)}</p>
            {move || server_error().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="card">
                <fieldset class="roles">
                    <legend>{t(locale, Msg::SignInAs)}</legend>
                    {["parent", "head", "admin"]
                        .into_iter()
                        .map(|r| {
                            view! {
                                <label class="role">
                                    <input
                                        type="radio"
                                        name="role"
                                        value=r
                                        prop:checked=move || role.get() == r || (role.get().is_empty() && wanted() == r)
                                        on:change=move |_| role.set(r.to_string())
                                    />
                                    <span>{t(locale, role_msg(r))}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
            </div>
            {super::egov::egov_mobile(role, after)}
            <div class="card sign-in-card ncalayer">
                <h2>{t(locale, Msg::NcaLayerHeading)}</h2>
                <button type="button" class="primary wide" id="eds-sign-in" on:click=sign>
                    {t(locale, Msg::SignInEds)}
                </button>
                <p class="hint">{t(locale, Msg::SignInHint)}</p>
                <p class="status" role="status" aria-live="polite">{move || status.get()}</p>
            </div>
            <Suspense>
                {move || {
                    me.get()
                        .and_then(Result::ok)
                        .filter(|m| m.dev)
                        .map(|_| {
                            view! {
                                <div class="card dev" data-testid="dev-sign-in">
                                    <h2>{t(locale, Msg::DevSignInTitle)}</h2>
                                    <p>{t(locale, Msg::DevSignInNote)}</p>
                                    {DEV_PEOPLE
                                        .into_iter()
                                        .map(|(who, iin, msg)| {
                                            view! {
                                                <form method="post" action="/auth/dev/sign-in">
                                                    <input type="hidden" name="iin" value=iin />
                                                    <input type="hidden" name="role" value=who />
                                                    <input type="hidden" name="next" value=next />
                                                    <button type="submit" class="secondary wide" data-role=who>
                                                        {t(locale, msg)}
                                                    </button>
                                                </form>
                                            }
                                        })
                                        .collect_view()}
                                    <form method="post" action="/auth/dev/sign-in" class="dev-any">
                                        <label for="dev-iin">{t(locale, Msg::DevAnyIin)}</label>
                                        <input
                                            id="dev-iin"
                                            name="iin"
                                            inputmode="numeric"
                                            autocomplete="off"
                                            maxlength="12"
                                            pattern="[0-9]{12}"
                                            required
                                        />
                                        <input type="hidden" name="role" value="parent" />
                                        <input type="hidden" name="next" value=next />
                                        <button type="submit" class="secondary">{t(locale, Msg::NavSignIn)}</button>
                                    </form>
                                </div>
                            }
                        })
                }}
            </Suspense>
        </section>
    }
}

/// The dev people (fictional IINs; `server::seed::dev_people` gives them their roles).
const DEV_PEOPLE: [(&str, &str, Msg); 3] = [
    ("parent", "900101470014", Msg::DevAsParent),
    ("head", "800101370027", Msg::DevAsHead),
    ("admin", "700101470032", Msg::DevAsAdmin),
];

/// Who is signed in, and sign-out. Nobody signed in: off to sign-in, and back here after.
#[component]
pub fn AccountPage() -> impl IntoView {
    let locale = use_locale();
    let me = Resource::new(|| (), |_| who_am_i());
    view! {
        <Title text=t(locale, Msg::AccountTitle) />
        <section class="page narrow account">
            <h1>{t(locale, Msg::AccountTitle)}</h1>
            <Suspense>
                {move || {
                    me.get()
                        .map(|r| match r.ok().and_then(|m| m.role.clone().map(|role| (role, m))) {
                            None => {
                                view! { <Redirect path="/sign-in?next=/account" /> }.into_any()
                            }
                            Some((role, m)) => {
                                view! {
                                    <div class="card">
                                        <p>
                                            {t(locale, Msg::SignedInAs)} " "
                                            <strong data-testid="role">{t(locale, role_msg(&role))}</strong>
                                        </p>
                                        {m.kindergarten_id.map(|k| view! {
                                            <p>
                                                <a href=format!("/kindergartens/{k}")>{t(locale, Msg::KindergartenNo)} " " {k}</a>
                                            </p>
                                            <p>
                                                <a class="button primary" href="/head" data-testid="to-tablet">{t(locale, Msg::NavHead)}</a>
                                            </p>
                                        })}
                                        <form method="post" action="/auth/sign-out">
                                            <button type="submit" class="primary wide">{t(locale, Msg::SignOut)}</button>
                                        </form>
                                        <form method="post" action="/auth/sign-out-everywhere">
                                            <button type="submit" class="secondary wide">{t(locale, Msg::SignOutEverywhere)}</button>
                                        </form>
                                    </div>
                                }
                                    .into_any()
                            }
                        })
                }}
            </Suspense>
        </section>
    }
}

/// NCALayer: the signing app on the person's computer, at `wss://127.0.0.1:13579`.
#[cfg(feature = "hydrate")]
mod ncalayer {
    use crate::i18n::Locale;
    use futures::{SinkExt, StreamExt};
    use gloo_net::websocket::{futures::WebSocket, Message};

    /// Gets a challenge, has NCALayer sign it with the authentication key, posts it; returns
    /// where to go, or an error code for the page.
    pub async fn sign_in(locale: Locale, role: &str, next: &str) -> Result<String, String> {
        let challenge: serde_json::Value = gloo_net::http::Request::get("/auth/challenge")
            .send()
            .await
            .map_err(|_| "unavailable".to_string())?
            .json()
            .await
            .map_err(|_| "unavailable".to_string())?;
        let challenge = challenge["challenge"]
            .as_str()
            .ok_or_else(|| "too_many".to_string())?
            .to_string();
        let cms = sign(locale, &challenge).await?;
        let body = format!(
            "challenge={challenge}&cms={}&role={role}&next={}",
            js_sys_encode(&cms),
            js_sys_encode(next)
        );
        let res = gloo_net::http::Request::post("/auth/sign-in")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body)
            .map_err(|_| "unavailable".to_string())?
            .send()
            .await
            .map_err(|_| "unavailable".to_string())?;
        let v: serde_json::Value = res.json().await.map_err(|_| "unavailable".to_string())?;
        match v["next"].as_str() {
            Some(to) => Ok(to.to_string()),
            None => Err(v["code"].as_str().unwrap_or("garbage").to_string()),
        }
    }

    fn js_sys_encode(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    /// Asks NCALayer for a detached CMS over `challenge` with the authentication key.
    async fn sign(locale: Locale, challenge: &str) -> Result<String, String> {
        use base64::Engine as _;
        let mut ws =
            WebSocket::open("wss://127.0.0.1:13579/").map_err(|_| "ncalayer".to_string())?;
        let request = serde_json::json!({
            "module": "kz.gov.pki.knca.basics",
            "method": "sign",
            "args": {
                "allowedStorages": null,
                "format": "cms",
                "data": base64::engine::general_purpose::STANDARD.encode(challenge),
                "signingParams": { "decode": true, "encapsulate": false, "digested": false },
                "signerParams": { "extKeyUsageOids": ["1.3.6.1.5.5.7.3.2"], "chain": [] },
                "locale": locale.code(),
            }
        });
        ws.send(Message::Text(request.to_string()))
            .await
            .map_err(|_| "ncalayer".to_string())?;
        while let Some(msg) = ws.next().await {
            let Ok(Message::Text(text)) = msg else {
                return Err("ncalayer".into());
            };
            let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            if v.get("status").is_none() {
                continue; // NCALayer's greeting (its version)
            }
            if v["status"] != serde_json::Value::Bool(true) {
                // Running, but it could not sign (no key found, a wrong password…).
                return Err("ncalayer_failed".into());
            }
            // The signature (alone, or first of a list); none when the person cancelled.
            let result = &v["body"]["result"];
            let cms = result
                .as_str()
                .or_else(|| result.as_array()?.first()?.as_str());
            return match cms {
                Some(cms) if !cms.is_empty() => Ok(cms.to_string()),
                _ => Err("cancelled".into()),
            };
        }
        Err("ncalayer".into())
    }
}
