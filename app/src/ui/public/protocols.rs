//! `/protocols/seats` and `/protocols/referrals`: every seat posting and every referral issued,
//! newest first, by district, kindergarten number and day, fifty lines a page. A GET form: the
//! address holds the whole query (it works without JavaScript and can be shared). A staff
//! member's child admitted outside the queue stands out.

use crate::api::public::{referral_protocol, seat_protocol};
use crate::domain::protocol::{PostingLine, Protocol, ProtocolPlace, ReferralLine};
use crate::domain::District;
use crate::i18n::{self, fmt_int, t, Locale, Msg};
use crate::ui::common::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// Which protocol a page shows.
#[derive(Clone, Copy, PartialEq)]
pub enum Kind {
    Seats,
    Referrals,
}

impl Kind {
    fn path(self) -> &'static str {
        match self {
            Kind::Seats => "/protocols/seats",
            Kind::Referrals => "/protocols/referrals",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
struct Query {
    district: String,
    kindergarten: String,
    day: String,
    page: String,
}

/// A protocol's lines, whichever it is.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
enum Lines {
    Seats(Protocol<PostingLine>),
    Referrals(Protocol<ReferralLine>),
}

#[component]
pub fn ProtocolPage(kind: Kind) -> impl IntoView {
    let locale = use_locale();
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let m = query_map.read();
        let get = |k: &str| m.get(k).unwrap_or_default();
        Query {
            district: get("district"),
            kindergarten: get("kindergarten"),
            day: get("day"),
            page: get("page"),
        }
    });
    let lines = Resource::new(
        move || query.get(),
        move |q| async move {
            match kind {
                Kind::Seats => seat_protocol(q.district, q.kindergarten, q.day, q.page)
                    .await
                    .map(Lines::Seats),
                Kind::Referrals => referral_protocol(q.district, q.kindergarten, q.day, q.page)
                    .await
                    .map(Lines::Referrals),
            }
        },
    );
    let (title, intro) = match kind {
        Kind::Seats => (Msg::SeatProtocolTitle, Msg::SeatProtocolIntro),
        Kind::Referrals => (Msg::ReferralProtocolTitle, Msg::ReferralProtocolIntro),
    };
    let district_chosen = move |v: &str| query.read().district == v;
    view! {
        <Title text=t(locale, title) />
        <section class="page protocol">
            <h1>{t(locale, title)}</h1>
            <p class="lead">{t(locale, intro)}</p>
            <Form method="GET" action=kind.path() attr:class="filters protocol-filters">
                <fieldset>
                    <legend class="visually-hidden">{t(locale, Msg::FilterLegend)}</legend>
                    {filter_select(
                        locale,
                        ("f-district", "district"),
                        (Msg::ColDistrict, Msg::AnyDistrict),
                        district_options(locale),
                        district_chosen,
                    )}
                    <div class="field">
                        <label for="f-kindergarten">{t(locale, Msg::KindergartenNumberLabel)}</label>
                        <input id="f-kindergarten" name="kindergarten" inputmode="numeric" autocomplete="off"
                            prop:value=move || query.read().kindergarten.clone() />
                    </div>
                    <div class="field">
                        <label for="f-day">{t(locale, Msg::DayLabel)}</label>
                        <input id="f-day" name="day" type="date" prop:value=move || query.read().day.clone() />
                    </div>
                    <button type="submit">{t(locale, Msg::ShowLines)}</button>
                </fieldset>
            </Form>
            <Transition fallback=move || view! { <p class="loading">{t(locale, Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let q = query.get_untracked();
                    or_error(lines.await, move |l| match l {
                        Lines::Seats(p) => view! { <Seats p q kind /> }.into_any(),
                        Lines::Referrals(p) => view! { <Referrals p q kind /> }.into_any(),
                    })
                })}
            </Transition>
        </section>
    }
}

fn place_name(locale: Locale, p: &ProtocolPlace) -> String {
    // The name carries the kindergarten's number.
    if locale == Locale::Kk {
        p.name_kk.clone()
    } else {
        p.name_ru.clone()
    }
}

fn district_of(locale: Locale, p: &ProtocolPlace) -> String {
    District::from_code(&p.district)
        .map_or(p.district.clone(), |d| district_name(locale, d).to_string())
}

/// How many lines, and the pages.
#[component]
fn Pager(total: i64, page: u32, pages: u32, q: Query, kind: Kind) -> impl IntoView {
    let locale = use_locale();
    let current = page + 1;
    let link = move |to: u32| {
        let to = to.to_string();
        with_query(
            kind.path(),
            &[
                ("district", &q.district),
                ("kindergarten", &q.kindergarten),
                ("day", &q.day),
                ("page", if to == "1" { "" } else { &to }),
            ],
        )
    };
    view! {
        <p class="count" role="status" data-testid="total">{t(locale, Msg::LinesFound)} ": " {fmt_int(locale, total)}</p>
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label=t(locale, Msg::Pagination)>
                {(current > 1).then(|| view! { <a href=link(current - 1) rel="prev">{t(locale, Msg::PrevPage)}</a> })}
                <span>{i18n::page_of(locale, current, pages)}</span>
                {(current < pages).then(|| view! { <a href=link(current + 1) rel="next">{t(locale, Msg::NextPage)}</a> })}
            </nav>
        })}
    }
}

/// A protocol's page: how many lines and the pages, then its table (`heads`: the columns,
/// the last one numeric when `num_last`), or that nothing matches.
#[component]
fn LinesTable(
    total: i64,
    /// The page shown (zero-based) and how many there are.
    at: (u32, u32),
    q: Query,
    kind: Kind,
    heads: Vec<Msg>,
    num_last: bool,
    rows: Vec<AnyView>,
) -> impl IntoView {
    let locale = use_locale();
    let title = match kind {
        Kind::Seats => Msg::SeatProtocolTitle,
        Kind::Referrals => Msg::ReferralProtocolTitle,
    };
    let last = heads.len().saturating_sub(1);
    let (page, pages) = at;
    view! {
        <Pager total page pages q kind />
        {if rows.is_empty() {
            view! { <p class="empty">{t(locale, Msg::NoLines)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=t(locale, title)>
                    <table class="protocol-table" data-testid="lines">
                        <thead>
                            <tr>
                                {heads.into_iter().enumerate().map(|(i, h)| {
                                    let class = (num_last && i == last).then_some("num");
                                    view! { <th scope="col" class=class>{t(locale, h)}</th> }
                                }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
    .into_any()
}

#[component]
fn Seats(p: Protocol<PostingLine>, q: Query, kind: Kind) -> impl IntoView {
    let locale = use_locale();
    let (total, pages) = (p.total, (p.page, p.pages()));
    let rows: Vec<AnyView> = p
        .lines
        .into_iter()
        .map(|l| {
            view! {
                <tr data-kindergarten=l.place.number>
                    <td>{i18n::when(l.at)}</td>
                    <td><a href=format!("/kindergartens/{}", l.place.id)>{place_name(locale, &l.place)}</a></td>
                    <td>{district_of(locale, &l.place)}</td>
                    <td>{i18n::born_in(locale, l.cohort)}</td>
                    <td class="num">{format!("{} → {}", l.before, l.after)}</td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let heads = vec![
        Msg::ColWhen,
        Msg::ColKindergarten,
        Msg::ColDistrict,
        Msg::ColGroup,
        Msg::ColChange,
    ];
    view! { <LinesTable total at=pages q kind heads num_last=true rows /> }
}

#[component]
fn Referrals(p: Protocol<ReferralLine>, q: Query, kind: Kind) -> impl IntoView {
    let locale = use_locale();
    let (total, pages) = (p.total, (p.page, p.pages()));
    let rows: Vec<AnyView> = p
        .lines
        .into_iter()
        .map(|l| {
            let class = if l.staff_order.is_some() { "staff-line" } else { "" };
            let state = t(locale, crate::ui::parents::referral_state_msg(&l.state));
            view! {
                <tr class=class data-code=l.code.clone()>
                    <td>{i18n::when(l.issued_at)}</td>
                    <td><span class="code">{l.code.clone()}</span> " " <span class="badge">{state}</span></td>
                    <td>
                        <a href=format!("/kindergartens/{}", l.place.id)>{place_name(locale, &l.place)}</a>
                        <span class="meta">" · " {district_of(locale, &l.place)}</span>
                    </td>
                    <td>{i18n::born_in(locale, l.cohort)}</td>
                    <td class="flags">
                        {l.staff_order.map(|o| view! {
                            <p class="flag staff" data-testid="flag-staff">
                                <strong>{t(locale, Msg::FlagStaff)}</strong>
                                {format!(" · {o}")}
                                {l.staff_reason.map(|r| format!(" · {r}"))}
                            </p>
                        })}
                        {l.extension_reason.map(|r| view! {
                            <p class="flag extended" data-testid="flag-extended">
                                <strong>{t(locale, Msg::FlagExtended)}</strong>
                                {format!(" {} · {r}", i18n::through(locale, l.expires_at))}
                            </p>
                        })}
                    </td>
                </tr>
            }
            .into_any()
        })
        .collect();
    let heads = vec![
        Msg::ColWhen,
        Msg::ColReferral,
        Msg::ColKindergarten,
        Msg::ColGroup,
        Msg::ColFlags,
    ];
    view! { <LinesTable total at=pages q kind heads num_last=false rows /> }
}
