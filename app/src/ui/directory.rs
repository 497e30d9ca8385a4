//! The public directory: search and filters over all preschool organisations of the city.
//!
//! The filter form is a GET form: without JavaScript the browser submits it and the server
//! renders the result; with JavaScript the router intercepts it and only the list changes. The
//! URL holds the whole query, so any result can be bookmarked or shared.

use super::common::*;
use crate::api::directory::{get_city_summary, list_kindergartens};
use crate::domain::{DirectoryPage, KindergartenCard};
use crate::i18n::{self, fmt_int, t, Msg};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// The directory's query as it stands in the URL.
#[derive(Clone, Debug, PartialEq, Default)]
struct Query {
    q: String,
    district: String,
    lang: String,
    free: String,
    page: String,
}

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let locale = use_locale();
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let m = query_map.read();
        let get = |k: &str| m.get(k).unwrap_or_default();
        Query {
            q: get("q"),
            district: get("district"),
            lang: get("lang"),
            free: get("free"),
            page: get("page"),
        }
    });
    let results = Resource::new(
        move || query.get(),
        |q| list_kindergartens(q.q, q.district, q.lang, q.free, q.page),
    );
    let summary = Resource::new(|| (), |_| get_city_summary());

    view! {
        <Title text=t(locale, Msg::DirectoryTitle) />
        <section class="page">
            <h1>{t(locale, Msg::DirectoryTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    summary.await.ok().map(|s| view! {
                        <dl class="summary">
                            <div>
                                <dt>{t(locale, Msg::SummaryWaiting)}</dt>
                                <dd>{fmt_int(locale, s.waiting_children)}</dd>
                            </div>
                            <div>
                                <dt>{t(locale, Msg::SummaryInQueue)}</dt>
                                <dd>{fmt_int(locale, s.in_queue)}</dd>
                            </div>
                            <div>
                                <dt>{t(locale, Msg::SummaryFreeSeats)}</dt>
                                <dd>{fmt_int(locale, s.free_seats)}</dd>
                            </div>
                        </dl>
                    })
                })}
            </Suspense>
            <p class="lead">{t(locale, Msg::DirectoryIntro)}</p>
            <Form method="GET" action="/" attr:class="filters" on:change=submit_on_change>
                <fieldset>
                    <legend class="visually-hidden">{t(locale, Msg::FilterLegend)}</legend>
                    <div class="field field-search">
                        <label for="f-q">{t(locale, Msg::SearchLabel)}</label>
                        <input
                            id="f-q"
                            type="search"
                            name="q"
                            maxlength="80"
                            autocomplete="off"
                            placeholder=t(locale, Msg::SearchPlaceholder)
                            prop:value=move || query.get().q
                        />
                    </div>
                    {filter_select(locale, ("f-district", "district"), (Msg::DistrictLabel, Msg::AnyDistrict),
                        district_options(locale), move |v| query.get().district == v)}
                    {filter_select(locale, ("f-lang", "lang"), (Msg::GroupLanguageLabel, Msg::AnyLanguage),
                        language_options(locale), move |v| query.get().lang == v)}
                    <div class="field field-check">
                        <input
                            id="f-free"
                            type="checkbox"
                            name="free"
                            value="1"
                            prop:checked=move || !query.get().free.is_empty()
                        />
                        <label for="f-free">{t(locale, Msg::FreeOnlyLabel)}</label>
                    </div>
                    <div class="actions">
                        <button type="submit">{t(locale, Msg::ApplyFilters)}</button>
                        <a href="/" class="reset">{t(locale, Msg::ResetFilters)}</a>
                    </div>
                </fieldset>
            </Form>
            <Transition fallback=move || view! { <p class="loading">{t(locale, Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    or_error(results.await, |page| {
                        view! { <Results page query=query.get_untracked() /> }.into_any()
                    })
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Results(page: DirectoryPage, query: Query) -> impl IntoView {
    let locale = use_locale();
    let pages = page.page_count();
    let current = page.page + 1;
    let link = move |to: u32| {
        let to = to.to_string();
        with_query(
            "/",
            &[
                ("q", &query.q),
                ("district", &query.district),
                ("lang", &query.lang),
                ("free", &query.free),
                ("page", if to == "1" { "" } else { &to }),
            ],
        )
    };
    let empty = page.items.is_empty();
    view! {
        <p class="count" role="status">{i18n::found(locale, page.total)}</p>
        {empty.then(|| view! { <p class="empty">{t(locale, Msg::NoResults)}</p> })}
        <ul class="cards" data-testid="results">
            {page.items.into_iter().map(|k| view! { <Card k /> }).collect_view()}
        </ul>
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label=t(locale, Msg::Pagination)>
                {(current > 1).then(|| view! {
                    <a href=link(current - 1) rel="prev">{t(locale, Msg::PrevPage)}</a>
                })}
                <span>{i18n::page_of(locale, current, pages)}</span>
                {(current < pages).then(|| view! {
                    <a href=link(current + 1) rel="next">{t(locale, Msg::NextPage)}</a>
                })}
            </nav>
        })}
    }
}

#[component]
fn Card(k: KindergartenCard) -> impl IntoView {
    let locale = use_locale();
    let href = format!("/kindergartens/{}", k.id);
    let languages: Vec<_> = k
        .languages
        .iter()
        .map(|l| language_name(locale, l))
        .collect();
    let seats = if k.free_seats > 0 {
        view! { <p class="seats seats-free">{i18n::free_seats(locale, k.free_seats)}</p> }
            .into_any()
    } else if k.in_queue {
        view! { <p class="seats">{t(locale, Msg::NoFreeSeats)}</p> }.into_any()
    } else {
        ().into_any()
    };
    view! {
        <li class="card">
            <h2>
                <a href=href>{card_name(locale, &k).to_owned()}</a>
            </h2>
            <p class="meta">
                {district_name(locale, k.district)} " · " {card_address(locale, &k).to_owned()}
            </p>
            <p class="tags">
                <span class=if k.in_queue { "badge badge-queue" } else { "badge badge-outside" }>
                    {t(locale, if k.in_queue { Msg::InQueueBadge } else { Msg::OutsideQueueBadge })}
                </span>
                <span class="badge">{kind_name(locale, k.kind)}</span>
                <span class="langs">{languages.join(", ")}</span>
            </p>
            {seats}
        </li>
    }
}
