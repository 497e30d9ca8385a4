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
    DeclineReferral, SetWeeklySummary, UpdateContacts, Withdraw,
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

mod apply;
mod choose;
mod my;
mod referral;

pub use apply::ApplyPage;
pub use choose::ChoosePage;
pub(crate) use my::History;
pub use my::MyPage;
pub use referral::ReferralSheet;

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

pub(crate) fn referral_state_msg(state: &str) -> Msg {
    match state {
        "enrolled" => Msg::RefEnrolled,
        "declined" => Msg::RefDeclined,
        "expired" => Msg::RefExpired,
        _ => Msg::RefActive,
    }
}

/// The age group of a birth-year cohort today, in words.
pub(crate) fn cohort_words(locale: Locale, cohort: i32, today: Option<time::Date>) -> String {
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
