//! Pages per user and the components they share.

mod account;
pub(crate) mod common;
mod directory;
mod egov;
mod head;
mod kindergarten;
pub(crate) mod map;
pub(crate) mod parents;
mod public;
#[cfg(feature = "hydrate")]
mod vendor;

pub use common::use_locale;

use crate::i18n::{t, Locale, Msg};
use account::{AccountPage, SignInPage};
use common::{request_locale, set_status, LanguageSwitcher};
use directory::DirectoryPage;
use head::HeadPage;
use kindergarten::KindergartenPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};
use map::MapPage;
use parents::{ApplyPage, ChoosePage, MyPage, ReferralSheet};
use public::PublicPages;

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
                // The page's texts for the browser (its bundle carries none).
                <script
                    id=crate::i18n::TEXTS_ELEMENT
                    type="application/json"
                    inner_html=crate::i18n::texts_json(locale)
                ></script>
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
                        <A href="/map">{t(locale, Msg::NavMap)}</A>
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
                    <Route
                        path=path!("/")
                        view=|| view! { <DirectoryPage /> <Hydrated /> }
                        ssr=SsrMode::Async
                    />
                    // The other pages' code is loaded when one is first opened (split from the
                    // main bundle at build time): the directory, where most visits start, stays
                    // small.
                    <Route path=path!("/sign-in") view={Lazy::<SignInRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("/kindergartens/:id")
                        view={Lazy::<KindergartenRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/head") view={Lazy::<HeadRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/map") view={Lazy::<MapRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/apply") view={Lazy::<ApplyRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/my") view={Lazy::<MyRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/choose/:no") view={Lazy::<ChooseRoute>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("/referrals/:code")
                        view={Lazy::<ReferralRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/statistics") view={Lazy::<PublicRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/position") view={Lazy::<PublicRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/protocols/seats") view={Lazy::<PublicRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/protocols/referrals") view={Lazy::<PublicRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/open-data") view={Lazy::<PublicRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
            <footer class="bottom">
                <nav aria-label=t(locale, Msg::FooterOpenQueue) class="open-queue">
                    <A href="/statistics">{t(locale, Msg::NavStatistics)}</A>
                    <A href="/position">{t(locale, Msg::NavPosition)}</A>
                    <A href="/protocols/seats">{t(locale, Msg::NavSeatProtocol)}</A>
                    <A href="/protocols/referrals">{t(locale, Msg::NavReferralProtocol)}</A>
                    <A href="/open-data">{t(locale, Msg::NavOpenData)}</A>
                    // Written by the server, not a page of this router.
                    <a href="/rules" rel="external">{t(locale, Msg::NavRules)}</a>
                </nav>
                <p>{t(locale, Msg::FooterNote)}</p>
            </footer>
        </Router>
    }
}

/// Marks the page as live once its own view is hydrated (effects run only in the browser,
/// after hydration; a lazy page's after its code arrived), for people's tools and the browser
/// tests.
#[component]
fn Hydrated() -> impl IntoView {
    Effect::new(|| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// Pages whose code is loaded on first use: each route's view in its own chunk of the bundle.
macro_rules! lazy_pages {
    ($($route:ident => $page:ident,)*) => {$(
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page /> <Hydrated /> }.into_any()
            }
        }
    )*};
}

lazy_pages! {
    SignInRoute => SignInPage,
    AccountRoute => AccountPage,
    KindergartenRoute => KindergartenPage,
    MapRoute => MapPage,
    HeadRoute => HeadPage,
    ApplyRoute => ApplyPage,
    MyRoute => MyPage,
    ChooseRoute => ChoosePage,
    ReferralRoute => ReferralSheet,
    PublicRoute => PublicPages,
}

/// The page for an address that does not exist.
#[component]
fn NotFound() -> impl IntoView {
    let locale: Locale = use_locale();
    set_status(404);
    view! {
        <Hydrated />
        <Title text=t(locale, Msg::ErrNotFound) />
        <section class="page narrow">
            <h1>{t(locale, Msg::ErrNotFound)}</h1>
            <p>
                <a href="/">{t(locale, Msg::GoHome)}</a>
            </p>
        </section>
    }
}
