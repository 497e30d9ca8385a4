//! `/head`: the kindergarten's tablet. Per age group the capacity, the referrals pending and
//! the free seats, with one seat fewer, one more, or a number set; every change is sent with
//! the number the tablet showed, so a second tablet never overwrites the first unseen: it is
//! told the number now and may apply its change on top. The latest postings below.
//!
//! Each change is a plain form (it works without JavaScript: the server answers with the page
//! again); with JavaScript it is sent in the background, and a change that could not reach the
//! server is said so and can be sent again, counted once.

mod referrals;
mod scan;

use super::common::*;
use super::map::group_words;
use crate::api::queue::{head_desk, AdmitStaffChild, Enrol, ExtendReferral, PostSeats};
use crate::domain::parse_iso_date;
use crate::domain::queue::{HeadDesk, HeadGroup};
use crate::error::{AppError, Conflict};
use crate::i18n::{self, fmt_int, t, Msg};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use referrals::{Acts, Referrals};

/// The change a tablet asked for: the group, the number it showed and the number it wanted.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Asked {
    cohort: i32,
    seen: i64,
    wanted: i64,
}

/// A fresh name for one change (random: two tablets never share one).
fn change_key() -> String {
    #[cfg(feature = "ssr")]
    {
        use rand_core::RngCore;
        format!("{:016x}", rand_core::OsRng.next_u64())
    }
    #[cfg(not(feature = "ssr"))]
    {
        let (a, b) = (js_sys::Math::random(), js_sys::Math::random());
        format!(
            "{:08x}{:08x}",
            (a * 4294967295.0) as u32,
            (b * 4294967295.0) as u32
        )
    }
}

/// How many answers of `action` the desk reloads after: every answer, or (`refusals: false`)
/// only the changes made, so that a refused form stays open as it was typed, with its refusal.
/// A send that never reached the server is no answer: the desk keeps its numbers.
fn answers<S>(action: ServerAction<S>, refusals: bool) -> Memo<usize>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Memo::new(move |before: Option<&usize>| {
        let counts = match action.value().get() {
            None | Some(Ok(_)) => true,
            Some(Err(AppError::Unavailable)) => false,
            Some(Err(_)) => refusals,
        };
        if counts {
            action.version().get()
        } else {
            before.copied().unwrap_or(0)
        }
    })
}

#[component]
pub fn HeadPage() -> impl IntoView {
    let locale = use_locale();
    let post = ServerAction::<PostSeats>::new();
    let enrol = ServerAction::<Enrol>::new();
    let extend = ServerAction::<ExtendReferral>::new();
    let staff = ServerAction::<AdmitStaffChild>::new();
    let acts = Acts {
        enrol,
        extend,
        staff,
    };
    let answered = (
        // A refused posting reloads: the conflict shows the number now.
        answers(post, true),
        answers(enrol, false),
        answers(extend, false),
        answers(staff, false),
    );
    let desk = Resource::new(
        move || {
            (
                answered.0.get(),
                answered.1.get(),
                answered.2.get(),
                answered.3.get(),
            )
        },
        |_| head_desk(),
    );
    let asked = RwSignal::new(None::<Asked>);
    let unreached = view! {
        <div class="unreached-bar">
            <Unreached action=post />
            <Unreached action=enrol />
            <Unreached action=extend />
            <Unreached action=staff />
        </div>
    }
    .into_any();
    view! {
        <Title text=t(locale, Msg::HeadTitle) />
        <section class="page head">
            <Transition fallback=move || view! { <p class="loading">{t(locale, Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match desk.await {
                        Err(AppError::Unauthorized | AppError::Forbidden) => {
                            view! { <Redirect path="/sign-in?as=head&next=%2Fhead" /> }.into_any()
                        }
                        result => or_error(result, |d| {
                            let refs = d.referrals.clone();
                            let kg = d.kindergarten_id;
                            let today = parse_iso_date(&d.today);
                            view! {
                                <Desk d post asked />
                                <Referrals refs kg today acts />
                            }
                            .into_any()
                        }),
                    }
                })}
            </Transition>
            // Outside the desk, which reloads after every answer: what could not be sent stays.
            {unreached}
        </section>
    }
}

#[component]
fn Desk(
    d: HeadDesk,
    post: ServerAction<PostSeats>,
    asked: RwSignal<Option<Asked>>,
) -> impl IntoView {
    let locale = use_locale();
    let today = parse_iso_date(&d.today);
    let kg = d.kindergarten_id;
    let paused = d.paused;
    // A refusal of the last change: the conflict is shown at its group, anything else on top.
    let refusal = move || post.value().get().and_then(Result::err);
    let other_error = move || {
        refusal().filter(|e| {
            !matches!(
                e,
                AppError::Conflict(Conflict::Changed) | AppError::Unavailable
            )
        })
    };
    let groups = d.groups.clone();
    let history = d.history.clone();
    view! {
        <h1>{d.place.name(locale).to_owned()}</h1>
        <p class="subtitle">{i18n::number(locale, d.place.number)} " · " {t(locale, Msg::HeadTitle)}</p>
        <p class="lead">{t(locale, Msg::HeadIntro)}</p>
        {paused.then(|| view! { <p class="banner paused" role="status">{t(locale, Msg::ErrPostingPaused)}</p> })}
        {move || other_error().map(|error| view! { <ErrorBox error /> })}
        <div class="head-groups">
            {groups
                .into_iter()
                .map(|g| view! { <GroupCard g kg today paused post asked /> })
                .collect_view()}
        </div>
        <h2>{t(locale, Msg::HistoryHeading)}</h2>
        {if history.is_empty() {
            view! { <p class="empty">{t(locale, Msg::NoPostings)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=t(locale, Msg::HistoryHeading)>
                    <table class="history" data-testid="history">
                        <thead>
                            <tr>
                                <th scope="col">{t(locale, Msg::ColWhen)}</th>
                                <th scope="col">{t(locale, Msg::ColGroup)}</th>
                                <th scope="col" class="num">{t(locale, Msg::ColChange)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {history
                                .into_iter()
                                .map(|p| view! {
                                    <tr>
                                        <td>{i18n::when(p.at)}</td>
                                        <td>{group_words(locale, p.cohort, today)}</td>
                                        <td class="num">{format!("{} → {}", p.before, p.after)}</td>
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

/// One age group: the numbers, one fewer / one more, a number set; its conflict if any.
#[component]
fn GroupCard(
    g: HeadGroup,
    kg: i64,
    today: Option<time::Date>,
    paused: bool,
    post: ServerAction<PostSeats>,
    asked: RwSignal<Option<Asked>>,
) -> impl IntoView {
    let locale = use_locale();
    let HeadGroup {
        cohort,
        capacity,
        free,
        pending,
    } = g;
    let most = (capacity - pending).max(0);
    let send = move |wanted: i64, seen: i64| {
        asked.set(Some(Asked {
            cohort,
            seen,
            wanted,
        }));
        post.dispatch(PostSeats {
            kindergarten_id: kg,
            cohort,
            free: wanted,
            seen: Some(seen),
            key: Some(change_key()),
        });
    };
    let step = move |ev: leptos::ev::MouseEvent, wanted: i64| {
        ev.prevent_default();
        send(wanted, free);
    };
    let set_input = NodeRef::<leptos::html::Input>::new();
    let on_set = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(n) = set_input
            .get_untracked()
            .and_then(|i| i.value().trim().parse::<i64>().ok())
        {
            send(n, free);
        }
    };
    // Refused because another tablet changed this group: the number now, and the change again.
    let conflict = move || {
        let refused =
            post.value().get().and_then(Result::err) == Some(AppError::Conflict(Conflict::Changed));
        asked.get().filter(|a| refused && a.cohort == cohort)
    };
    let hidden = move || {
        view! {
            <input type="hidden" name="kindergarten_id" value=kg />
            <input type="hidden" name="cohort" value=cohort />
            <input type="hidden" name="seen" value=free />
            <input type="hidden" name="key" value=change_key() />
        }
    };
    let name = group_words(locale, cohort, today);
    view! {
        <article class="card head-group" data-cohort=cohort>
            <h2>{name}</h2>
            <p class="meta">
                {t(locale, Msg::CapacityLabel)} ": " <strong>{fmt_int(locale, capacity)}</strong> " · "
                {t(locale, Msg::PendingLabel)} ": " <strong>{fmt_int(locale, pending)}</strong>
            </p>
            {move || conflict().map(|a| {
                let on_top = (free + (a.wanted - a.seen)).clamp(0, most);
                view! {
                    <div class="banner conflict" role="alert" data-testid="conflict">
                        <p>{t(locale, Msg::SeatsConflict)} " " <strong>{i18n::free_seats(locale, free)}</strong></p>
                        <div class="actions">
                            <button type="button" class="primary" data-testid="on-top"
                                on:click=move |_| send(on_top, free)>
                                {t(locale, Msg::ApplyOnTop)} {format!(" ({free} → {on_top})")}
                            </button>
                            <button type="button" class="secondary" on:click=move |_| asked.set(None)>
                                {t(locale, Msg::KeepCurrent)}
                            </button>
                        </div>
                    </div>
                }
            })}
            <form method="post" action=PostSeats::url() class="stepper">
                {hidden()}
                <button type="submit" name="free" value={free - 1} class="step"
                    aria-label=t(locale, Msg::OneSeatLess) disabled={paused || free <= 0}
                    on:click=move |ev| step(ev, free - 1)>"−"</button>
                <p class="free-now">
                    <span class="visually-hidden">{t(locale, Msg::FreeNowLabel)} ": "</span>
                    <strong data-testid="free">{free}</strong>
                </p>
                <button type="submit" name="free" value={free + 1} class="step"
                    aria-label=t(locale, Msg::OneSeatMore) disabled={paused || free >= most}
                    on:click=move |ev| step(ev, free + 1)>"+"</button>
            </form>
            <form method="post" action=PostSeats::url() class="set-seats" on:submit=on_set>
                {hidden()}
                <label for=format!("set-{cohort}")>{t(locale, Msg::SetSeatsLabel)}</label>
                <input id=format!("set-{cohort}") name="free" type="number" inputmode="numeric"
                    min="0" max=most value=free node_ref=set_input disabled=paused />
                <button type="submit" disabled=paused>{t(locale, Msg::SetSeats)}</button>
            </form>
        </article>
    }
}
