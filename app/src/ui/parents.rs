//! The parent's journey: apply (`/apply`), watch the place in the queue (`/my`), choose a seat
//! when invited (`/choose/{number}`) and the referral (`/referrals/{code}`).
//!
//! Every form posts to its server function as a plain HTML form, so it works without
//! JavaScript (the server answers with a redirect, and a refusal comes back in the address as
//! Leptos' `__err`); with JavaScript the same forms are sent in the background.

use super::common::*;
use crate::api::account::who_am_i;
use crate::api::queue::{
    claimable_seats, my_children, my_invitation, open_referral, today_in_almaty, Apply, ClaimSeat,
    DeclineReferral, UpdateContacts, Withdraw,
};
use crate::domain::application::{check, Field};
use crate::domain::queue::{AppStatus, ApplicationForm, MyChild, PositionChange, ReferralPage};
use crate::domain::{parse_iso_date, Cohort, District, GroupLanguage, Iin};
use crate::error::{invalid_msg, AppError};
use crate::i18n::{self, t, Locale, Msg};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::collections::HashSet;

/// Off to sign in as a parent, and back to `here` after.
fn to_sign_in(here: &str) -> AnyView {
    let to = format!("/sign-in?as=parent&next={}", encode_component(here));
    view! { <Redirect path=to /> }.into_any()
}

/// What a page shows for a refusal of its data: sign-in for nobody, the reason otherwise.
fn refused(error: AppError, here: &str) -> AnyView {
    match error {
        AppError::Unauthorized | AppError::Forbidden => to_sign_in(here),
        error => {
            set_status(error.status());
            view! { <ErrorBox error /> }.into_any()
        }
    }
}

fn loading(locale: Locale) -> impl IntoView {
    view! { <p class="loading">{t(locale, Msg::Loading)}</p> }
}

pub fn status_msg(s: AppStatus) -> Msg {
    match s {
        AppStatus::Waiting => Msg::StatusWaiting,
        AppStatus::Invited => Msg::StatusInvited,
        AppStatus::Referred => Msg::StatusReferred,
        AppStatus::Enrolled => Msg::StatusEnrolled,
        AppStatus::Withdrawn => Msg::StatusWithdrawn,
    }
}

fn referral_state_msg(state: &str) -> Msg {
    match state {
        "enrolled" => Msg::RefEnrolled,
        "declined" => Msg::RefDeclined,
        "expired" => Msg::RefExpired,
        _ => Msg::RefActive,
    }
}

/// The age group of a birth-year cohort today, in words.
fn cohort_words(locale: Locale, cohort: i32, today: Option<time::Date>) -> String {
    let group = today.and_then(|d| Cohort(cohort).age_group(d));
    match group {
        Some(g) => format!(
            "{} ({})",
            age_group_name(locale, Some(g)),
            i18n::born_in(locale, cohort)
        ),
        None => i18n::born_in(locale, cohort),
    }
}

// ---------------------------------------------------------------------------------------
// Apply

#[component]
pub fn ApplyPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let me = Resource::new(|| (), |_| who_am_i());
    let today = Resource::new(|| (), |_| today_in_almaty());
    let siblings = Resource::new(
        move || query.read().get("sibling").is_some(),
        |wanted| async move {
            if wanted {
                Some(my_children().await)
            } else {
                None
            }
        },
    );
    view! {
        <Title text=t(locale, Msg::ApplyTitle) />
        <section class="page narrow apply">
            <p class="back">
                <a href="/my">"← " {t(locale, Msg::BackToMy)}</a>
            </p>
            <h1>{t(locale, Msg::ApplyTitle)}</h1>
            <p class="lead">{t(locale, Msg::ApplyIntro)}</p>
            <Suspense fallback=move || loading(locale)>
                {move || Suspend::new(async move {
                    let sibling = query.read_untracked().get("sibling");
                    match (me.await, today.await) {
                        (Ok(m), Ok(today)) if m.role.as_deref() == Some("parent") => {
                            let today = parse_iso_date(&today)
                                .unwrap_or(time::macros::date!(2026 - 01 - 01));
                            // A brother's or sister's application: the same contacts and
                            // wishes, ready to change.
                            let mut prefill = ApplicationForm::default();
                            if let (Some(no), Some(Ok(children))) = (&sibling, siblings.await) {
                                if let Some(c) = children.iter().find(|c| &c.public_no == no) {
                                    prefill.phone1 = c.contacts.phone1.clone();
                                    prefill.phone2 = c.contacts.phone2.clone();
                                    prefill.email = c.contacts.email.clone();
                                    prefill.district = c.district.clone();
                                    prefill.language = c.language.clone();
                                }
                            }
                            view! { <ApplyForm today sibling prefill /> }.into_any()
                        }
                        (Ok(_), Ok(_)) => {
                            let here = match &sibling {
                                Some(s) => format!("/apply?sibling={s}"),
                                None => "/apply".into(),
                            };
                            to_sign_in(&here)
                        }
                        (Err(e), _) | (_, Err(e)) => refused(e, "/apply"),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ApplyForm(
    today: time::Date,
    sibling: Option<String>,
    prefill: ApplicationForm,
) -> impl IntoView {
    let locale = use_locale();
    let apply = ServerAction::<Apply>::new();
    let form = RwSignal::new(ApplicationForm {
        priority: "general".into(),
        sibling_of: sibling.clone(),
        ..prefill.clone()
    });
    // A field's message shows once the field was left (or the IIN is whole), and every
    // message once the form was sent.
    let touched = RwSignal::new(HashSet::<Field>::new());
    let tried = RwSignal::new(apply.value().with_untracked(|v| v.is_some()));
    let problems = Memo::new(move |_| form.with(|f| check(f, None, today).1));
    let problem = move |f: Field| -> Option<&'static str> {
        if !(tried.get() || touched.with(|t| t.contains(&f))) {
            return None;
        }
        problems.with(|p| {
            p.iter()
                .find(|p| p.0 == f)
                .map(|p| t(locale, invalid_msg(p.1)))
        })
    };
    let touch = move |f: Field| {
        touched.update(|t| {
            t.insert(f);
        })
    };
    let derived = move || {
        form.with(|f| Iin::parse(&f.child_iin).ok()).map(|iin| {
            let born = iin.birth_date();
            (
                format!(
                    "{:02}.{:02}.{}",
                    born.day(),
                    born.month() as u8,
                    born.year()
                ),
                cohort_words(locale, born.year(), Some(today)),
            )
        })
    };
    // The inputs keep what is typed (also before the page's code has arrived); the form's
    // data is read from them on every change and once the page is live.
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let read = move || -> Option<ApplicationForm> {
        #[cfg(feature = "hydrate")]
        {
            use leptos::form::FromFormData;
            let el = form_ref.get_untracked()?;
            let data = web_sys::FormData::new_with_form(&el).ok()?;
            Apply::from_form_data(&data).ok().map(|a| a.form)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            None
        }
    };
    let reread = move || {
        if let Some(f) = read() {
            if f.child_iin.trim().len() >= 12 {
                touch(Field::ChildIin);
            }
            form.set(f);
        }
    };
    Effect::new(reread);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        reread();
        tried.set(true);
        if problems.with_untracked(Vec::is_empty) {
            apply.dispatch(Apply {
                form: form.get_untracked(),
            });
        }
    };
    let server_error = move || apply.value().get().and_then(Result::err);
    let privileged = move || form.with(|f| f.priority != "general");

    // One text field: its label, the input bound to the form, and its message.
    let text_field = move |field: Field,
                           id: &'static str,
                           label: Msg,
                           kind: &'static str,
                           extra: (&'static str, &'static str),
                           value: String| {
        let err_id = format!("{id}-error");
        let described = err_id.clone();
        view! {
            <div class="field" class:invalid=move || problem(field).is_some()>
                <label for=id>{t(locale, label)}</label>
                <input
                    id=id
                    name=format!("form[{id}]")
                    type=kind
                    inputmode=extra.0
                    autocomplete=extra.1
                    value=value
                    on:blur=move |_| touch(field)
                    aria-invalid=move || problem(field).is_some().then_some("true")
                    aria-describedby=described
                />
                <p class="field-error" id=err_id aria-live="polite">{move || problem(field)}</p>
            </div>
        }
    };

    view! {
        {move || server_error().map(|error| view! { <ErrorBox error /> })}
        {move || {
            (tried.get() && !problems.with(Vec::is_empty))
                .then(|| view! { <p class="error" role="alert">{t(locale, Msg::FixBelow)}</p> })
        }}
        <form
            method="post"
            action=Apply::url()
            on:submit=on_submit
            on:input=move |_| reread()
            on:change=move |_| reread()
            node_ref=form_ref
            novalidate
            class="card form"
        >
            {sibling.clone().map(|s| view! {
                <p class="note">{t(locale, Msg::TogetherWith)} " " <strong>{s.clone()}</strong></p>
                <input type="hidden" name="form[sibling_of]" value=s />
            })}
            <fieldset>
                <legend>{t(locale, Msg::ChildSection)}</legend>
                {text_field(Field::ChildIin, "child_iin", Msg::ChildIinLabel, "text", ("numeric", "off"), String::new())}
                <p class="derived" data-testid="derived" aria-live="polite">
                    {move || derived().map(|(born, cohort)| view! {
                        {t(locale, Msg::BornLabel)} ": " <strong>{born}</strong> " · "
                        {t(locale, Msg::CohortLabel)} ": " <strong>{cohort}</strong>
                    })}
                </p>
                {text_field(Field::ChildName, "child_name", Msg::ChildNameLabel, "text", ("text", "off"), String::new())}
            </fieldset>
            <fieldset class="choices">
                <legend>{t(locale, Msg::PrioritySection)}</legend>
                {[("general", Msg::PriorityGeneral), ("primary", Msg::PriorityPrimary), ("extraordinary", Msg::PriorityExtraordinary)]
                    .into_iter()
                    .map(|(code, msg)| view! {
                        <label class="choice">
                            <input type="radio" name="form[priority]" value=code checked=code == "general" />
                            <span>{t(locale, msg)}</span>
                        </label>
                    })
                    .collect_view()}
                // Shown to everyone without JavaScript; with it, only for a privileged class.
                <div class="field" class:invalid=move || problem(Field::PriorityDoc).is_some()
                    class:hidden-when-general=move || !privileged()>
                    <label for="priority_doc">{t(locale, Msg::PriorityDocLabel)}</label>
                    <input
                        id="priority_doc"
                        name="form[priority_doc]"
                        on:blur=move |_| touch(Field::PriorityDoc)
                        aria-invalid=move || problem(Field::PriorityDoc).is_some().then_some("true")
                        aria-describedby="priority_doc-hint priority_doc-error"
                    />
                    <p class="hint" id="priority_doc-hint">{t(locale, Msg::PriorityDocHint)}</p>
                    <p class="field-error" id="priority_doc-error" aria-live="polite">
                        {move || problem(Field::PriorityDoc)}
                    </p>
                </div>
            </fieldset>
            <fieldset>
                <legend>{t(locale, Msg::ContactsSection)}</legend>
                <p class="hint">{t(locale, Msg::ContactsHint)}</p>
                {text_field(Field::Phone1, "phone1", Msg::Phone1Label, "tel", ("tel", "tel"), prefill.phone1.clone())}
                {text_field(Field::Phone2, "phone2", Msg::Phone2Label, "tel", ("tel", "off"), prefill.phone2.clone())}
                {text_field(Field::Email, "email", Msg::EmailLabel, "email", ("email", "email"), prefill.email.clone())}
            </fieldset>
            <fieldset>
                <legend>{t(locale, Msg::WishesSection)}</legend>
                <div class="field" class:invalid=move || problem(Field::District).is_some()>
                    <label for="district">{t(locale, Msg::DistrictWanted)}</label>
                    <select
                        id="district"
                        name="form[district]"
                        on:change=move |_| touch(Field::District)
                        aria-describedby="district-error"
                    >
                        <option value="">{t(locale, Msg::ChooseOption)}</option>
                        {District::ALL.into_iter().map(|d| view! {
                            <option value=d.code() selected=prefill.district == d.code()>
                                {district_name(locale, d)}
                            </option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="district-error">{move || problem(Field::District)}</p>
                </div>
                <div class="field" class:invalid=move || problem(Field::Language).is_some()>
                    <label for="language">{t(locale, Msg::LanguageWanted)}</label>
                    <select
                        id="language"
                        name="form[language]"
                        on:change=move |_| touch(Field::Language)
                        aria-describedby="language-error"
                    >
                        <option value="">{t(locale, Msg::ChooseOption)}</option>
                        {GroupLanguage::ALL.into_iter().map(|l| view! {
                            <option value=l.code() selected=prefill.language == l.code()>
                                {language_name(locale, l)}
                            </option>
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="language-error">{move || problem(Field::Language)}</p>
                </div>
            </fieldset>
            <button type="submit" class="primary wide" disabled=move || apply.pending().get()>
                {t(locale, Msg::ApplySubmit)}
            </button>
        </form>
    }
}

// ---------------------------------------------------------------------------------------
// My children

#[component]
pub fn MyPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let withdraw = ServerAction::<Withdraw>::new();
    let contacts = ServerAction::<UpdateContacts>::new();
    let today = Resource::new(|| (), |_| today_in_almaty());
    let mine = Resource::new(
        move || (withdraw.version().get(), contacts.version().get()),
        |_| my_children(),
    );
    // Live: the server says when a child's place changed, and the list is read again.
    let live = RwSignal::new(false);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        listen(move || mine.refetch(), live);
    });
    let applied = move || query.read().get("applied");
    let saved = move || query.read().get("saved").is_some();
    let action_error = move || {
        withdraw
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| contacts.value().get().and_then(Result::err))
    };
    view! {
        <Title text=t(locale, Msg::NavMy) />
        <section class="page narrow my">
            <div class="title-row">
                <h1>{t(locale, Msg::NavMy)}</h1>
                <a class="refresh" href="/my">{t(locale, Msg::Refresh)}</a>
            </div>
            {move || live.get().then(|| view! { <p class="hint live" data-testid="live">{t(locale, Msg::LiveNote)}</p> })}
            {move || applied().map(|no| view! {
                <div class="notice" role="status" data-testid="applied">
                    <p>{t(locale, Msg::AppliedNotice)} " " <strong class="number">{no.clone()}</strong></p>
                    <p>
                        <a href=format!("/apply?sibling={}", encode_component(&no))>
                            {t(locale, Msg::ApplySibling)}
                        </a>
                    </p>
                </div>
            })}
            {move || saved().then(|| view! { <p class="notice" role="status">{t(locale, Msg::SavedNotice)}</p> })}
            {move || action_error().map(|error| view! { <ErrorBox error /> })}
            <Suspense fallback=move || loading(locale)>
                {move || Suspend::new(async move {
                    let today = today.await.ok().and_then(|d| parse_iso_date(&d));
                    match mine.await {
                        Ok(children) if children.is_empty() => view! {
                            <div class="card">
                                <p>{t(locale, Msg::MyEmpty)}</p>
                                <a class="button primary" href="/apply">{t(locale, Msg::ApplyForChild)}</a>
                            </div>
                        }.into_any(),
                        Ok(children) => view! {
                            {children.into_iter().map(|c| view! { <ChildCard c today withdraw contacts /> }).collect_view()}
                            <p><a class="button secondary" href="/apply">{t(locale, Msg::ApplyForChild)}</a></p>
                        }.into_any(),
                        Err(e) => refused(e, "/my"),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Listens at `/events/my` while the page is open; `changed` calls `on_change`.
#[cfg(feature = "hydrate")]
fn listen(on_change: impl Fn() + 'static, live: RwSignal<bool>) {
    use futures::StreamExt;
    use gloo_net::eventsource::futures::EventSource;
    let Ok(mut source) = EventSource::new("/events/my") else {
        return;
    };
    let Ok(mut changes) = source.subscribe("changed") else {
        return;
    };
    // Closed (and the stream ended) when the page goes.
    let source = StoredValue::new_local(Some(source));
    on_cleanup(move || source.update_value(|s| drop(s.take())));
    live.set(true);
    leptos::task::spawn_local(async move {
        while let Some(Ok(_)) = changes.next().await {
            on_change();
        }
    });
}

#[component]
fn ChildCard(
    c: MyChild,
    today: Option<time::Date>,
    withdraw: ServerAction<Withdraw>,
    contacts: ServerAction<UpdateContacts>,
) -> impl IntoView {
    let locale = use_locale();
    let no = c.public_no.clone();
    let open = c.status.is_open();
    let status_class = format!("badge status-{}", c.status.code());
    view! {
        <article class="card child" data-number=no.clone()>
            <header class="child-head">
                <h2>{c.child_name.clone()}</h2>
                <span class=status_class data-testid="status">{t(locale, status_msg(c.status))}</span>
            </header>
            {c.invitation.clone().map(|inv| view! {
                <div class="banner invited" role="status">
                    <p>{t(locale, Msg::InvitedBanner)} " " <strong>{i18n::through(locale, inv.expires_at)}</strong></p>
                    <a class="button primary" href=format!("/choose/{}", inv.public_no) data-testid="choose">
                        {t(locale, Msg::ChooseNow)}
                    </a>
                </div>
            })}
            {c.referral.clone().map(|(r, place)| view! {
                <div class="banner referred">
                    <p>
                        <strong>{if locale == Locale::Kk { place.name_kk.clone() } else { place.name_ru.clone() }}</strong>
                        " · " {t(locale, Msg::ValidUntilLabel)} " " {i18n::through(locale, r.expires_at)}
                    </p>
                    <a class="button primary" href=format!("/referrals/{}", r.code)>{t(locale, Msg::OpenReferral)}</a>
                </div>
            })}
            <dl class="facts">
                <div>
                    <dt>{t(locale, Msg::AppNumberLabel)}</dt>
                    <dd class="number">{no.clone()}</dd>
                </div>
                <div>
                    <dt>{t(locale, Msg::CohortLabel)}</dt>
                    <dd>{cohort_words(locale, c.cohort, today)}</dd>
                </div>
                {c.position.position.map(|p| view! {
                    <div>
                        <dt>{t(locale, Msg::PositionLabel)}</dt>
                        <dd data-testid="position">
                            {i18n::place_in_queue(locale, p, c.position.waiting_in_cohort, c.cohort)}
                        </dd>
                    </div>
                })}
            </dl>
            <details class="history" open=!c.position.history.is_empty()>
                <summary>{t(locale, Msg::PositionHistory)}</summary>
                <History changes=c.position.history.clone() />
            </details>
            {open.then(|| {
                let no1 = no.clone();
                let no2 = no.clone();
                let k = c.contacts.clone();
                view! {
                    <details class="edit">
                        <summary>{t(locale, Msg::EditContacts)}</summary>
                        <ActionForm action=contacts>
                            <input type="hidden" name="public_no" value=no1 />
                            <label>{t(locale, Msg::Phone1Label)}
                                <input name="contacts[phone1]" type="tel" inputmode="tel" value=k.phone1 />
                            </label>
                            <label>{t(locale, Msg::Phone2Label)}
                                <input name="contacts[phone2]" type="tel" inputmode="tel" value=k.phone2 />
                            </label>
                            <label>{t(locale, Msg::EmailLabel)}
                                <input name="contacts[email]" type="email" inputmode="email" value=k.email />
                            </label>
                            <button type="submit" class="secondary">{t(locale, Msg::Save)}</button>
                        </ActionForm>
                    </details>
                    <details class="danger">
                        <summary>{t(locale, Msg::Withdraw)}</summary>
                        <p>{t(locale, Msg::WithdrawConfirm)}</p>
                        <ActionForm action=withdraw>
                            <input type="hidden" name="public_no" value=no2 />
                            <button type="submit" class="danger">{t(locale, Msg::WithdrawYes)}</button>
                        </ActionForm>
                    </details>
                }
            })}
        </article>
    }
}

/// The place's history: when it moved, from where to where, and why.
#[component]
fn History(changes: Vec<PositionChange>) -> impl IntoView {
    let locale = use_locale();
    if changes.is_empty() {
        return view! { <p class="hint">{t(locale, Msg::NoChangesYet)}</p> }.into_any();
    }
    view! {
        <ol class="changes">
            {changes.into_iter().map(|ch| {
                let moved = match ch.previous {
                    Some(p) => format!("{} → {}", i18n::fmt_int(locale, p), i18n::fmt_int(locale, ch.position)),
                    None => i18n::fmt_int(locale, ch.position),
                };
                view! {
                    <li>
                        <span class="when">{i18n::when(ch.at)}</span>
                        <strong class="moved">{moved}</strong>
                        <ul>
                            {ch.reasons.into_iter().map(|r| view! {
                                <li>{i18n::reason(locale, &r.change, r.privileged, r.n)}</li>
                            }).collect_view()}
                        </ul>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------
// Choosing a seat

#[component]
pub fn ChoosePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let no = move || params.read().get("no").unwrap_or_default();
    let claim = ServerAction::<ClaimSeat>::new();
    let invitation = Resource::new(no, my_invitation);
    // A refused claim (the seat went meanwhile) refreshes the list.
    let seats = Resource::new(
        move || (no(), claim.version().get()),
        |(no, _)| claimable_seats(no),
    );
    let claim_error = move || claim.value().get().and_then(Result::err);
    view! {
        <Title text=t(locale, Msg::ChooseTitle) />
        <section class="page narrow choose">
            <p class="back">
                <a href="/my">"← " {t(locale, Msg::BackToMy)}</a>
            </p>
            <h1>{t(locale, Msg::ChooseTitle)}</h1>
            {move || claim_error().map(|error| view! { <ErrorBox error /> })}
            <Suspense fallback=move || loading(locale)>
                {move || Suspend::new(async move {
                    let here = format!("/choose/{}", no());
                    let inv = match invitation.await {
                        Ok(Some(inv)) => inv,
                        Ok(None) => {
                            return view! {
                                <div class="card">
                                    <p>{t(locale, Msg::NoInvitation)}</p>
                                    <a class="button secondary" href="/my">{t(locale, Msg::BackToMy)}</a>
                                </div>
                            }.into_any();
                        }
                        Err(e) => return refused(e, &here),
                    };
                    let seats = match seats.await {
                        Ok(s) => s,
                        Err(e) => return refused(e, &here),
                    };
                    view! {
                        <p class="lead">{t(locale, Msg::ChooseIntro)}</p>
                        <p class="deadline">
                            {t(locale, Msg::ChooseBy)} " " <strong>{i18n::through(locale, inv.expires_at)}</strong>
                        </p>
                        {if seats.is_empty() {
                            view! { <p class="card">{t(locale, Msg::NoSeatsNow)}</p> }.into_any()
                        } else {
                            view! { <SeatList seats public_no=inv.public_no.clone() claim /> }.into_any()
                        }}
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SeatList(
    seats: Vec<crate::domain::queue::ClaimableSeat>,
    public_no: String,
    claim: ServerAction<ClaimSeat>,
) -> impl IntoView {
    let locale = use_locale();
    // In the server's order: the parent's district and language first.
    view! {
        <ActionForm action=claim>
            <input type="hidden" name="public_no" value=public_no />
            <fieldset class="seats">
                <legend class="visually-hidden">{t(locale, Msg::ChooseTitle)}</legend>
                {seats.into_iter().map(|s| {
                    let (name, address) = match locale {
                        Locale::Kk => (s.name_kk.clone(), s.address_kk.clone()),
                        _ => (s.name_ru.clone(), s.address_ru.clone()),
                    };
                    let langs: Vec<_> = s.languages.iter().map(|l| language_name(locale, l)).collect();
                    view! {
                        <label class="choice seat" data-kindergarten=s.number>
                            <input type="radio" name="kindergarten_id" value=s.kindergarten_id required />
                            <span class="seat-text">
                                <span class="seat-name">{name}</span>
                                <span class="seat-meta">
                                    {district_name(locale, s.district)} " · " {address}
                                </span>
                                <span class="seat-meta">
                                    {langs.join(", ")} " · "
                                    <strong>{i18n::free_seats(locale, s.free)}</strong>
                                </span>
                            </span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="sticky-actions">
                <button type="submit" class="primary wide" disabled=move || claim.pending().get()>
                    {t(locale, Msg::ConfirmChoice)}
                </button>
            </div>
        </ActionForm>
    }
}

// ---------------------------------------------------------------------------------------
// The referral

#[component]
pub fn ReferralSheet() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let decline = ServerAction::<DeclineReferral>::new();
    let page = Resource::new(
        move || (code(), decline.version().get()),
        |(c, _)| open_referral(c),
    );
    view! {
        <Title text=t(locale, Msg::ReferralTitle) />
        <section class="page narrow referral">
            <p class="back no-print">
                <a href="/my">"← " {t(locale, Msg::BackToMy)}</a>
            </p>
            {move || decline.value().get().and_then(Result::err).map(|error| view! { <ErrorBox error /> })}
            <Suspense fallback=move || loading(locale)>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <Sheet p decline /> }.into_any(),
                        Err(e) => refused(e, &format!("/referrals/{}", code())),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Sheet(p: ReferralPage, decline: ServerAction<DeclineReferral>) -> impl IntoView {
    let locale = use_locale();
    let r = p.referral.clone();
    let (name, address) = match locale {
        Locale::Kk => (p.place.name_kk.clone(), p.place.address_kk.clone()),
        _ => (p.place.name_ru.clone(), p.place.address_ru.clone()),
    };
    let active = r.state == "active";
    let code = r.code.clone();
    view! {
        <article class="card sheet">
            <header class="sheet-head">
                <p class="brand-line">{t(locale, Msg::AppName)} " · " {t(locale, Msg::Tagline)}</p>
                <h1>{t(locale, Msg::ReferralTitle)}</h1>
                <p class="badge" data-testid="referral-state">{t(locale, referral_state_msg(&r.state))}</p>
            </header>
            <div class="sheet-body">
                <dl class="facts">
                    <div>
                        <dt>{t(locale, Msg::ChildLabel)}</dt>
                        <dd>{p.child_name.clone()}</dd>
                    </div>
                    <div>
                        <dt>{t(locale, Msg::AppNumberLabel)}</dt>
                        <dd class="number">{r.public_no.clone()}</dd>
                    </div>
                    <div>
                        <dt>{t(locale, Msg::KindergartenNo)}</dt>
                        <dd><strong>{name}</strong> " (" {i18n::number(locale, p.place.number)} ")"</dd>
                    </div>
                    <div>
                        <dt>{t(locale, Msg::AddressLabel)}</dt>
                        <dd>{district_name(locale, p.place.district)} ", " {address}</dd>
                    </div>
                    <div>
                        <dt>{t(locale, Msg::GroupLabel)}</dt>
                        <dd>{i18n::born_in(locale, r.cohort)}</dd>
                    </div>
                    <div>
                        <dt>{t(locale, Msg::IssuedLabel)}</dt>
                        <dd>{i18n::when(r.issued_at)}</dd>
                    </div>
                    <div>
                        <dt>{t(locale, Msg::ValidUntilLabel)}</dt>
                        <dd><strong data-testid="valid-until">{i18n::through(locale, r.expires_at)}</strong></dd>
                    </div>
                </dl>
                <div class="code-block">
                    <p class="code-label">{t(locale, Msg::ReferralCode)}</p>
                    <p class="code" data-testid="code">{r.code.clone()}</p>
                    <figure class="qr" role="img" aria-label=t(locale, Msg::QrLabel) inner_html=p.qr_svg.clone()></figure>
                </div>
            </div>
            <p class="howto">{t(locale, Msg::ReferralHowTo)}</p>
            <p class="token visually-hidden" data-testid="token">{p.token.clone()}</p>
        </article>
        <div class="actions no-print">
            <button type="button" class="primary" on:click=move |_| { let _ = window().print(); }>
                {t(locale, Msg::Print)}
            </button>
            {active.then(|| view! {
                <details class="danger">
                    <summary>{t(locale, Msg::Decline)}</summary>
                    <p>{t(locale, Msg::DeclineConfirm)}</p>
                    <ActionForm action=decline>
                        <input type="hidden" name="code" value=code />
                        <button type="submit" class="danger">{t(locale, Msg::DeclineYes)}</button>
                    </ActionForm>
                </details>
            })}
        </div>
    }
}
