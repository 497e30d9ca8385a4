//! The referrals to the kindergarten on the head's tablet: one checked by its code or its QR
//! code, the list with enrol and extend, and a staff member's child admitted by the head's
//! order. Every form works without JavaScript (the server answers with `/head` again).

use super::scan::Scanner;
use crate::api::queue::{AdmitStaffChild, CheckReferral, Enrol, ExtendReferral};
use crate::domain::queue::{CheckedReferral, HeadReferral, ReferralView};
use crate::error::{AppError, Conflict};
use crate::i18n::{self, t, Locale, Msg};
use crate::ui::common::*;
use crate::ui::map::group_words;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The page's actions on referrals (they outlive the desk's reloads).
#[derive(Clone, Copy)]
pub struct Acts {
    pub enrol: ServerAction<Enrol>,
    pub extend: ServerAction<ExtendReferral>,
    pub staff: ServerAction<AdmitStaffChild>,
}

/// The referrals section: the check, the list, the staff member's child.
#[component]
pub fn Referrals(
    refs: Vec<HeadReferral>,
    kg: i64,
    today: Option<time::Date>,
    acts: Acts,
) -> impl IntoView {
    let locale = use_locale();
    let Acts { enrol, extend, .. } = acts;
    // A refusal is shown here; a change that never reached the server at the page's foot.
    let refusal = move || {
        enrol
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| extend.value().get().and_then(Result::err))
            .filter(|e| *e != AppError::Unavailable)
    };
    view! {
        <h2 id="referrals">{t(locale, Msg::ReferralsHeading)}</h2>
        <div class="refusal">{move || refusal().map(|error| view! { <ErrorBox error /> })}</div>
        <Check today enrol />
        {if refs.is_empty() {
            view! { <p class="empty">{t(locale, Msg::NoReferrals)}</p> }.into_any()
        } else {
            view! {
                <ul class="cards referrals" data-testid="referrals">
                    {refs
                        .into_iter()
                        .map(|r| {
                            let active = r.referral.state == "active";
                            let code = r.referral.code.clone();
                            let data_code = code.clone();
                            let line = refs_line(locale, &r.referral, Some(r.child_name), today);
                            let left = r.days_left.map(|n| view! {
                                <p class="days-left" data-testid="days-left">{i18n::working_days_left(locale, n)}</p>
                            });
                            view! {
                                <li class="card referral-line" data-code=data_code>
                                    {line}
                                    {left}
                                    {active.then(move || view! { <RefActions code acts /> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }}
        <StaffChild kg acts />
    }
}

/// Checks a referral by its code or its QR code (typed, pasted, read by a scanner or the
/// camera): the signature when it is a QR code's, the state now, the child's name to compare
/// with the documents; an active one can be enrolled from here.
#[component]
fn Check(today: Option<time::Date>, enrol: ServerAction<Enrol>) -> impl IntoView {
    let locale = use_locale();
    let check = ServerAction::<CheckReferral>::new();
    let read = Callback::new(move |code: String| {
        check.dispatch(CheckReferral { code });
    });
    view! {
        <div class="check">
            <ActionForm action=check attr:class="check-referral">
                <label for="check-code">{t(locale, Msg::CheckReferralLabel)}</label>
                <p class="hint" id="check-hint">{t(locale, Msg::CheckReferralHint)}</p>
                <input id="check-code" name="code" autocomplete="off" required aria-describedby="check-hint" />
                <button type="submit">{t(locale, Msg::CheckReferral)}</button>
            </ActionForm>
            <Scanner on_read=read />
            <div class="check-result" aria-live="polite">
                {move || check.value().get().map(|r| match r {
                    Ok(c) => view! { <Checked c today enrol /> }.into_any(),
                    Err(error) => view! { <Refusal error not_found=Msg::ErrNoSuchReferral /> }.into_any(),
                })}
            </div>
        </div>
    }
}

/// The referral a check found.
#[component]
fn Checked(
    c: CheckedReferral,
    today: Option<time::Date>,
    enrol: ServerAction<Enrol>,
) -> impl IntoView {
    let locale = use_locale();
    let CheckedReferral {
        referral,
        child_name,
        signed,
    } = c;
    let active = referral.state == "active";
    let code = referral.code.clone();
    let line = refs_line(locale, &referral, Some(child_name), today);
    view! {
        <div class="card checked" data-testid="checked">
            {signed.then(|| view! {
                <p class="badge signed" data-testid="signed">"✓ " {t(locale, Msg::SignatureValid)}</p>
            })}
            {line}
            {active.then(move || view! {
                <div class="actions">
                    <ActionForm action=enrol>
                        <input type="hidden" name="code" value=code />
                        <button type="submit" class="primary" data-testid="enrol-checked">
                            {t(locale, Msg::EnrolChild)}
                        </button>
                    </ActionForm>
                </div>
            })}
        </div>
    }
}

/// Enrol and extend, for an active referral of the list.
#[component]
fn RefActions(code: String, acts: Acts) -> impl IntoView {
    let locale = use_locale();
    let (until_id, reason_id) = (format!("until-{code}"), format!("reason-{code}"));
    let (until_for, reason_for) = (until_id.clone(), reason_id.clone());
    let extend_code = code.clone();
    view! {
        <div class="actions">
            <ActionForm action=acts.enrol>
                <input type="hidden" name="code" value=code />
                <button type="submit" class="primary" data-testid="enrol">
                    {t(locale, Msg::EnrolChild)}
                </button>
            </ActionForm>
        </div>
        <details class="extend">
            <summary>{t(locale, Msg::ExtendReferral)}</summary>
            <ActionForm action=acts.extend attr:class="extend-form">
                <input type="hidden" name="code" value=extend_code />
                <label for=until_for>{t(locale, Msg::ExtendUntilLabel)}</label>
                <input id=until_id type="date" name="until" required />
                <label for=reason_for>{t(locale, Msg::ExtendReasonLabel)}</label>
                <input id=reason_id name="reason" maxlength="500" required />
                <button type="submit" data-testid="extend">{t(locale, Msg::ExtendReferral)}</button>
            </ActionForm>
        </details>
    }
}

/// A staff member's child admitted by the head's order: the child's application number, the
/// order's number and its reason. The referral is flagged in the public record.
#[component]
fn StaffChild(kg: i64, acts: Acts) -> impl IntoView {
    let locale = use_locale();
    let staff = acts.staff;
    let refusal = move || {
        staff
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| *e != AppError::Unavailable)
    };
    view! {
        <details class="card staff-child" data-testid="staff-child">
            <summary>{t(locale, Msg::StaffHeading)}</summary>
            <p class="hint">{t(locale, Msg::StaffIntro)}</p>
            <div class="refusal">
                {move || refusal().map(|error| view! { <Refusal error not_found=Msg::ErrNoSuchApplication /> })}
            </div>
            <ActionForm action=staff attr:class="staff-form">
                <input type="hidden" name="kindergarten_id" value=kg />
                <label for="staff-no">{t(locale, Msg::StaffAppLabel)}</label>
                <input id="staff-no" name="public_no" autocomplete="off" required
                    placeholder="ALM-2026-000000" />
                <label for="staff-order">{t(locale, Msg::StaffOrderLabel)}</label>
                <input id="staff-order" name="order" maxlength="100" autocomplete="off" required />
                <label for="staff-reason">{t(locale, Msg::ExtendReasonLabel)}</label>
                <textarea id="staff-reason" name="reason" maxlength="500" rows="2" required></textarea>
                <button type="submit" class="primary" data-testid="admit">{t(locale, Msg::StaffAdmit)}</button>
            </ActionForm>
        </details>
    }
}

/// A refusal in the head's words: what was not found (`not_found`), and that an order needs a
/// seat the head posted (not the parents' "someone took the last seat").
#[component]
fn Refusal(error: AppError, not_found: Msg) -> impl IntoView {
    let locale = use_locale();
    let text = match error {
        AppError::NotFound => t(locale, not_found),
        AppError::Conflict(Conflict::SeatGone) => t(locale, Msg::ErrStaffNoSeat),
        other => other.message(locale),
    };
    view! { <div class="alert" role="alert"><p>{text}</p></div> }
}

/// A referral in one block: its code, the child, the group, its state and its last day.
fn refs_line(
    locale: Locale,
    r: &ReferralView,
    child: Option<String>,
    today: Option<time::Date>,
) -> impl IntoView {
    let state = t(locale, crate::ui::parents::referral_state_msg(&r.state));
    let state_class = format!("badge ref-{}", r.state);
    view! {
        <p class="ref-head">
            <strong class="code">{r.code.clone()}</strong>
            " "
            <span class=state_class data-testid="ref-state">{state}</span>
        </p>
        {child.map(|c| view! { <p class="ref-child">{c}</p> })}
        <p class="meta">
            {group_words(locale, r.cohort, today)} " · " {t(locale, Msg::ValidUntilLabel)} ": "
            <strong>{i18n::through(locale, r.expires_at)}</strong>
        </p>
        {r.staff_order.clone().map(|o| view! {
            <p class="note">{t(locale, Msg::StaffChildFlag)} " " {o}</p>
        })}
    }
}
