//! `/position`: where an application stands, by its public number, for anyone and without
//! signing in: the age group, the place, the status, when the place last changed and why, and
//! its whole history. Nothing personal and no priority class (a class can tell a family's
//! situation). A GET form: the number is the address, so a result can be bookmarked.

use crate::api::queue::queue_position;
use crate::domain::parse_iso_date;
use crate::domain::queue::PositionView;
use crate::error::AppError;
use crate::i18n::{self, t, Msg};
use crate::ui::common::*;
use crate::ui::parents::{cohort_words, status_msg, History};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PositionPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let no = Memo::new(move |_| query.read().get("no").unwrap_or_default());
    let found = Resource::new(
        move || no.get(),
        |no| async move {
            if no.trim().is_empty() {
                Ok(None)
            } else {
                // One request: the answer carries the day its age group is named by.
                queue_position(no).await.map(Some)
            }
        },
    );
    view! {
        <Title text=t(locale, Msg::PositionTitle) />
        <section class="page narrow position-page">
            <h1>{t(locale, Msg::PositionTitle)}</h1>
            <p class="lead">{t(locale, Msg::PositionIntro)}</p>
            <Form method="GET" action="/position" attr:class="position-form">
                <label for="p-no">{t(locale, Msg::AppNumberLabel)}</label>
                <input id="p-no" name="no" autocomplete="off" required placeholder="ALM-2026-0000-0000"
                    prop:value=move || no.get() />
                <button type="submit">{t(locale, Msg::PositionLookUp)}</button>
            </Form>
            <Transition fallback=move || view! { <p class="loading">{t(locale, Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(None) => ().into_any(),
                        Ok(Some(p)) => {
                            let today = parse_iso_date(&p.today);
                            view! { <Found p today /> }.into_any()
                        }
                        Err(AppError::NotFound) => {
                            set_status(404);
                            view! {
                                <div class="alert" role="alert" data-testid="no-such">
                                    <p>{t(locale, Msg::ErrNoSuchApplication)}</p>
                                </div>
                            }
                            .into_any()
                        }
                        Err(error) => {
                            set_status(error.status());
                            view! { <ErrorBox error /> }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// An application found: its facts, the last change with its reasons, the history.
#[component]
fn Found(p: PositionView, today: Option<time::Date>) -> impl IntoView {
    let locale = use_locale();
    let status_class = format!("badge status-{}", p.status.code());
    let last = p.history.first().cloned();
    view! {
        <article class="card position-card" data-testid="found">
            <header class="child-head">
                <h2 class="number">{p.public_no.clone()}</h2>
                <span class=status_class data-testid="status">{t(locale, status_msg(p.status))}</span>
            </header>
            <dl class="facts">
                <div>
                    <dt>{t(locale, Msg::CohortLabel)}</dt>
                    <dd>{cohort_words(locale, p.cohort, today)}</dd>
                </div>
                {p.position.map(|n| view! {
                    <div>
                        <dt>{t(locale, Msg::PositionLabel)}</dt>
                        <dd data-testid="position">
                            {i18n::place_in_queue(locale, n, p.waiting_in_cohort, p.cohort)}
                        </dd>
                    </div>
                })}
                {last.map(|ch| view! {
                    <div>
                        <dt>{t(locale, Msg::LastChangeLabel)}</dt>
                        <dd data-testid="last-change">
                            {i18n::when(ch.at)}
                            <ul class="reasons">
                                {ch.reasons.into_iter().map(|r| view! {
                                    <li>{r.text.clone()}</li>
                                }).collect_view()}
                            </ul>
                        </dd>
                    </div>
                })}
            </dl>
            <details class="history">
                <summary>{t(locale, Msg::PositionHistory)}</summary>
                <History changes=p.history />
            </details>
        </article>
    }
}
