//! `/statistics`: the queue's figures for anyone, server-rendered: children waiting by year of
//! birth, district and queue category; free seats; referrals per day and week; enrolments;
//! how long children waited for a referral. Every chart is SVG drawn on the server, with its
//! table.

use super::chart::{Bar, BarChart, TimeChart};
use crate::api::public::get_statistics;
use crate::domain::stats::{Count, Statistics};
use crate::domain::{parse_iso_date, District, PriorityClass};
use crate::i18n::{self, fmt_int, t, Locale, Msg};
use crate::ui::common::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StatisticsPage() -> impl IntoView {
    let locale = use_locale();
    let stats = Resource::new(|| (), |_| get_statistics());
    view! {
        <Title text=t(locale, Msg::StatsTitle) />
        <section class="page statistics">
            <h1>{t(locale, Msg::StatsTitle)}</h1>
            <p class="lead">{t(locale, Msg::StatsIntro)}</p>
            <Suspense fallback=move || view! { <p class="loading">{t(locale, Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    or_error(stats.await, |s| view! { <Figures s /> }.into_any())
                })}
            </Suspense>
        </section>
    }
}

/// `2026-11-23` as `23.11.2026`.
pub(super) fn dotted(iso: &str) -> String {
    parse_iso_date(iso)
        .map(|d| format!("{:02}.{:02}.{}", d.day(), d.month() as u8, d.year()))
        .unwrap_or_else(|| iso.to_string())
}

fn bars(counts: &[Count], name: impl Fn(&str) -> String) -> Vec<Bar> {
    counts.iter().map(|(k, n)| (name(k), *n)).collect()
}

fn class_name(locale: Locale, code: &str) -> String {
    let msg = match PriorityClass::from_code(code) {
        Some(PriorityClass::Extraordinary) => Msg::ClassExtraordinary,
        Some(PriorityClass::Primary) => Msg::ClassPrimary,
        _ => Msg::ClassGeneral,
    };
    t(locale, msg).to_string()
}

#[component]
fn Figures(s: Statistics) -> impl IntoView {
    let locale = use_locale();
    let born = move |k: &str| {
        k.parse()
            .map_or(k.to_string(), |y| i18n::born_in(locale, y))
    };
    let district = move |k: &str| {
        District::from_code(k).map_or(k.to_string(), |d| district_name(locale, d).to_string())
    };
    let waits = s.waits.clone();
    view! {
        <dl class="summary" data-testid="totals">
            <div>
                <dt>{t(locale, Msg::StatsWaiting)}</dt>
                <dd data-testid="waiting">{fmt_int(locale, s.waiting)}</dd>
            </div>
            <div>
                <dt>{t(locale, Msg::StatsFree)}</dt>
                <dd data-testid="free">{fmt_int(locale, s.free)}</dd>
            </div>
            <div>
                <dt>{t(locale, Msg::StatsEnrolled)}</dt>
                <dd data-testid="enrolled">{fmt_int(locale, s.enrolled)}</dd>
            </div>
        </dl>
        <p class="hint">{t(locale, Msg::StatsAsOf)} ": " {i18n::when(s.at)}</p>
        <div class="charts">
            <BarChart id="by-cohort" title=Msg::StatsByCohort label=Msg::CohortLabel bars=bars(&s.by_cohort, born) />
            <BarChart id="by-district" title=Msg::StatsByDistrict label=Msg::ColDistrict bars=bars(&s.by_district, district) />
            <BarChart id="by-class" title=Msg::StatsByClass label=Msg::PrioritySection
                bars=bars(&s.by_class, |k| class_name(locale, k)) />
            <BarChart id="free-by-cohort" title=Msg::StatsFreeByCohort label=Msg::CohortLabel bars=bars(&s.free_by_cohort, born) />
            <TimeChart id="daily" title=Msg::StatsDaily label=Msg::ColDay bars=bars(&s.referrals_daily, dotted) />
            <TimeChart id="weekly" title=Msg::StatsWeekly label=Msg::ColWeekOf bars=bars(&s.referrals_weekly, dotted) />
            <TimeChart id="enrolments" title=Msg::StatsEnrolWeekly label=Msg::ColWeekOf bars=bars(&s.enrolments_weekly, dotted) />
        </div>
        <h2>{t(locale, Msg::StatsWaits)}</h2>
        {if waits.is_empty() {
            view! { <p class="empty">{t(locale, Msg::NoReferralsYet)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=t(locale, Msg::StatsWaits)>
                    <table class="waits" data-testid="waits">
                        <thead>
                            <tr>
                                <th scope="col">{t(locale, Msg::CohortLabel)}</th>
                                <th scope="col" class="num">{t(locale, Msg::ColReferrals)}</th>
                                <th scope="col" class="num">{t(locale, Msg::ColMedian)}</th>
                                <th scope="col" class="num">{t(locale, Msg::ColP90)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {waits
                                .into_iter()
                                .map(|w| view! {
                                    <tr>
                                        <th scope="row">{i18n::born_in(locale, w.cohort)}</th>
                                        <td class="num">{fmt_int(locale, w.referrals)}</td>
                                        <td class="num">{format!("{:.0}", w.median_days)}</td>
                                        <td class="num">{format!("{:.0}", w.p90_days)}</td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
    }
}
