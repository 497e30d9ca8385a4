//! Pages per user and the components they share.

mod account;
mod common;
mod directory;
mod kindergarten;
mod parents;

pub use common::use_locale;

use crate::i18n::{t, Locale, Msg};
use account::{AccountPage, SignInPage};
use common::{request_locale, set_status, LanguageSwitcher};
use directory::DirectoryPage;
use kindergarten::KindergartenPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, SsrMode};
use parents::{ApplyPage, ChoosePage, MyPage, ReferralSheet};

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = request_locale();
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b6e4f" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href="/pkg/kezek.css" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Gives Leptos this request's script nonce, which the server's security-headers middleware
/// made, named in the `Content-Security-Policy` it sends, and put on the request; Leptos puts
/// it on the hydration scripts.
fn content_security_policy() {
    #[cfg(feature = "ssr")]
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<leptos::nonce::Nonce>().cloned())
    {
        provide_context(nonce);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = request_locale();
    provide_context(locale);
    // Effects run only in the browser, after hydration: mark the page as live, for people's
    // tools and for the browser tests.
    Effect::new(|| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Title formatter=move |page: String| {
            if page.is_empty() {
                t(locale, Msg::AppName).to_owned()
            } else {
                format!("{page} · {}", t(locale, Msg::AppName))
            }
        } />
        <Router>
            <a class="skip" href="#main">
                {t(locale, Msg::SkipToContent)}
            </a>
            <header class="top">
                <div class="top-inner">
                    <A href="/" attr:class="brand">
                        <span class="brand-mark" aria-hidden="true">"К"</span>
                        <span class="brand-text">
                            <span class="brand-name">{t(locale, Msg::AppName)}</span>
                            <span class="brand-tag">{t(locale, Msg::Tagline)}</span>
                        </span>
                    </A>
                    <nav aria-label=t(locale, Msg::MainNavigation) class="main-nav">
                        <A href="/">{t(locale, Msg::NavDirectory)}</A>
                        <A href="/my">{t(locale, Msg::NavMy)}</A>
                        <A href="/account">{t(locale, Msg::NavAccount)}</A>
                    </nav>
                    <LanguageSwitcher />
                </div>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    // Async: the page is sent once its data is in, so it reads whole without
                    // JavaScript and carries the right status (404, 400) in its headers.
                    <Route path=path!("/") view=DirectoryPage ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/apply") view=ApplyPage ssr=SsrMode::Async />
                    <Route path=path!("/my") view=MyPage ssr=SsrMode::Async />
                    <Route path=path!("/choose/:no") view=ChoosePage ssr=SsrMode::Async />
                    <Route path=path!("/referrals/:code") view=ReferralSheet ssr=SsrMode::Async />
                    <Route
                        path=path!("/kindergartens/:id")
                        view=KindergartenPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <footer class="bottom">
                <p>{t(locale, Msg::FooterNote)}</p>
            </footer>
        </Router>
    }
}

/// The page for an address that does not exist.
#[component]
fn NotFound() -> impl IntoView {
    let locale: Locale = use_locale();
    set_status(404);
    view! {
        <Title text=t(locale, Msg::ErrNotFound) />
        <section class="page narrow">
            <h1>{t(locale, Msg::ErrNotFound)}</h1>
            <p>
                <a href="/">{t(locale, Msg::GoHome)}</a>
            </p>
        </section>
    }
}
