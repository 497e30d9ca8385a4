//! A kindergarten's public page: where it is, what groups it has, and its free seats now.

use super::common::*;
use crate::api::directory::get_kindergarten;
use crate::domain::{KindergartenDetail, KindergartenKind};
use crate::error::AppError;
use crate::i18n::{self, fmt_int, t, Msg};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn KindergartenPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let detail = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_kindergarten(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        <section class="page">
            <p class="back">
                <a href="/">"← " {t(locale, Msg::BackToDirectory)}</a>
            </p>
            <Suspense fallback=move || view! { <p class="loading">{t(locale, Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(d) => view! { <Detail d /> }.into_any(),
                        Err(AppError::NotFound) => {
                            set_status(404);
                            view! {
                                <Title text=t(locale, Msg::ErrKindergartenNotFound) />
                                <h1>{t(locale, Msg::ErrKindergartenNotFound)}</h1>
                            }
                            .into_any()
                        }
                        Err(error) => {
                            set_status(error.status());
                            view! { <ErrorBox error /> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Detail(d: KindergartenDetail) -> impl IntoView {
    let locale = use_locale();
    let k = d.card;
    let name = card_name(locale, &k).to_owned();
    let languages: Vec<_> = k
        .languages
        .iter()
        .map(|l| language_name(locale, l))
        .collect();
    let note = match (k.in_queue, k.kind) {
        (true, _) => None,
        (false, KindergartenKind::Specialized) => Some(t(locale, Msg::SpecializedExplained)),
        (false, _) => Some(t(locale, Msg::OutsideQueueExplained)),
    };
    view! {
        <Title text=name.clone() />
        <h1>{name}</h1>
        <p class="subtitle">{i18n::number(locale, k.number)}</p>
        <p class="tags">
            <span class=if k.in_queue { "badge badge-queue" } else { "badge badge-outside" }>
                {t(locale, if k.in_queue { Msg::InQueueBadge } else { Msg::OutsideQueueBadge })}
            </span>
            {(k.free_seats > 0).then(|| view! {
                <span class="badge badge-free">{i18n::free_seats(locale, k.free_seats)}</span>
            })}
        </p>
        {note.map(|n| view! { <p class="note">{n}</p> })}
        <dl class="facts">
            <div>
                <dt>{t(locale, Msg::DistrictLabel)}</dt>
                <dd>{district_name(locale, k.district)}</dd>
            </div>
            <div>
                <dt>{t(locale, Msg::AddressLabel)}</dt>
                <dd>{card_address(locale, &k).to_owned()}</dd>
            </div>
            <div>
                <dt>{t(locale, Msg::KindLabel)}</dt>
                <dd>{kind_name(locale, k.kind)}</dd>
            </div>
            <div>
                <dt>{t(locale, Msg::LanguagesLabel)}</dt>
                <dd>{languages.join(", ")}</dd>
            </div>
            <div>
                <dt>{t(locale, Msg::CoordinatesLabel)}</dt>
                <dd>{format!("{:.5}, {:.5}", k.lat, k.lon)}</dd>
            </div>
        </dl>
        <h2>{t(locale, Msg::SeatsHeading)}</h2>
        // Focusable, so the table can be scrolled sideways from the keyboard on a narrow phone.
        <div class="table-wrap" tabindex="0" role="region" aria-label=t(locale, Msg::SeatsHeading)>
            <table class="seats-table">
                <caption>{t(locale, Msg::SeatsCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(locale, Msg::ColGroup)}</th>
                        <th scope="col">{t(locale, Msg::ColCohort)}</th>
                        <th scope="col" class="num">{t(locale, Msg::ColCapacity)}</th>
                        <th scope="col" class="num">{t(locale, Msg::ColFree)}</th>
                    </tr>
                </thead>
                <tbody>
                    {d.groups
                        .into_iter()
                        .map(|g| view! {
                            <tr class=("has-free", g.free > 0)>
                                <th scope="row">{age_group_name(locale, g.age_group)}</th>
                                <td>{g.cohort.0}</td>
                                <td class="num">{fmt_int(locale, g.capacity)}</td>
                                <td class="num">{fmt_int(locale, g.free)}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
