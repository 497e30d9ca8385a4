//! The queue's server functions: applications, positions, invitations, claims, referrals and
//! seat postings. Each one finds who is asking (the session cookie), calls the engine, and
//! maps its answer; every rule lives in the engine. IINs travel only in request bodies (POST),
//! never in a URL.

use crate::domain::queue::{
    ApplicationForm, CheckedReferral, ClaimableSeat, ContactsForm, InvitationView, MyChild,
    PositionView, ReferralPage, ReferralView,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Where an application stands, by its public number (anyone may look).
#[server(input = GetUrl, endpoint = "queue/position")]
pub async fn queue_position(public_no: String) -> Result<PositionView, AppError> {
    use super::server::*;
    let mut view = engine()?.position(&public_no).await.map_err(engine_error)?;
    crate::i18n::write_reasons(crate::ui::common::request_locale(), &mut view);
    Ok(view)
}

/// A signed-in parent applies for a child; answers the public number.
#[server(endpoint = "queue/apply")]
pub async fn apply(form: ApplicationForm) -> Result<String, AppError> {
    use super::server::*;
    let actor = actor().await?;
    let no = engine()?.apply(&actor, &form).await.map_err(engine_error)?;
    leptos_axum::redirect(&format!("/my?applied={no}"));
    Ok(no)
}

/// The parent changes phones and e-mail.
#[server(endpoint = "queue/contacts")]
pub async fn update_contacts(public_no: String, contacts: ContactsForm) -> Result<(), AppError> {
    use super::server::*;
    let actor = actor().await?;
    engine()?
        .update_contacts(&actor, &public_no, &contacts)
        .await
        .map_err(engine_error)?;
    leptos_axum::redirect(&format!("/my?saved={}", public_no.trim()));
    Ok(())
}

/// The parent asks for (`on = true`) or stops the weekly summary of the child's place.
#[server(endpoint = "queue/weekly-summary")]
pub async fn set_weekly_summary(public_no: String, on: bool) -> Result<(), AppError> {
    use super::server::*;
    let actor = actor().await?;
    engine()?
        .set_weekly_summary(&actor, &public_no, on)
        .await
        .map_err(engine_error)?;
    leptos_axum::redirect(if on {
        "/my?weekly=on"
    } else {
        "/my?weekly=off"
    });
    Ok(())
}

/// The parent withdraws the application.
#[server(endpoint = "queue/withdraw")]
pub async fn withdraw(public_no: String) -> Result<(), AppError> {
    use super::server::*;
    let actor = actor().await?;
    engine()?
        .withdraw(&actor, &public_no)
        .await
        .map_err(engine_error)?;
    leptos_axum::redirect("/my");
    Ok(())
}

/// The parent's open invitation, if any.
#[server(endpoint = "queue/invitation")]
pub async fn my_invitation(public_no: String) -> Result<Option<InvitationView>, AppError> {
    use super::server::*;
    let actor = actor().await?;
    engine()?
        .invitation(&actor, &public_no)
        .await
        .map_err(engine_error)
}

/// Kindergartens with a free seat for this application's age group, right now.
#[server(input = GetUrl, endpoint = "queue/claimable")]
pub async fn claimable_seats(public_no: String) -> Result<Vec<ClaimableSeat>, AppError> {
    use super::server::*;
    engine()?.claimable(&public_no).await.map_err(engine_error)
}

/// The invited parent takes a seat: the referral is issued at once.
#[server(endpoint = "queue/claim")]
pub async fn claim_seat(
    public_no: String,
    kindergarten_id: i64,
) -> Result<Vec<ReferralView>, AppError> {
    use super::server::*;
    let actor = actor().await?;
    let referrals = engine()?
        .claim(&actor, &public_no, kindergarten_id)
        .await
        .map_err(engine_error)?;
    if let Some(r) = referrals.first() {
        leptos_axum::redirect(&format!("/referrals/{}", r.code));
    }
    Ok(referrals)
}

/// The parent declines a referral: the seat returns, the child keeps its place.
#[server(endpoint = "queue/decline")]
pub async fn decline_referral(code: String) -> Result<(), AppError> {
    use super::server::*;
    let actor = actor().await?;
    engine()?
        .decline(&actor, &code)
        .await
        .map_err(engine_error)?;
    leptos_axum::redirect("/my");
    Ok(())
}

/// The signed-in parent's applications ("My children").
#[server(endpoint = "queue/mine")]
pub async fn my_children() -> Result<Vec<MyChild>, AppError> {
    use super::server::*;
    let actor = actor().await?;
    let mut children = engine()?.my_children(&actor).await.map_err(engine_error)?;
    // The notifications box in the reader's language.
    let locale = crate::ui::common::request_locale();
    for c in &mut children {
        crate::i18n::notices::write(locale, c);
        crate::i18n::write_reasons(locale, &mut c.position);
    }
    Ok(children)
}

/// A referral's page: where it sends the child, and its signed token as a QR code (for its
/// parent and the head of its kindergarten).
#[server(endpoint = "queue/referral-page")]
pub async fn open_referral(code: String) -> Result<ReferralPage, AppError> {
    use super::server::*;
    use crate::tokens::{qr_svg, ReferralClaims};
    let actor = actor().await?;
    let (referral, place, child_name) = engine()?
        .referral_page(&actor, &code)
        .await
        .map_err(engine_error)?;
    let token = state()?.referral_keys.sign(&ReferralClaims {
        kid: String::new(),
        code: referral.code.clone(),
        kindergarten: place.number,
        cohort: referral.cohort,
        child: referral.public_no.clone(),
        exp: referral.expires_at,
    });
    let qr_svg = qr_svg(&token).ok_or(AppError::Internal)?;
    Ok(ReferralPage {
        referral,
        place,
        child_name,
        token,
        qr_svg,
    })
}

/// What the application form's checks need to know in the browser: today in Almaty (ISO).
#[server(input = GetUrl, endpoint = "queue/today")]
pub async fn today_in_almaty() -> Result<String, AppError> {
    use super::server::*;
    Ok(engine()?.ctx().today().to_string())
}

/// A referral by its code, for its parent or the head of its kindergarten.
#[server(endpoint = "queue/referral")]
pub async fn get_referral(code: String) -> Result<ReferralView, AppError> {
    use super::server::*;
    let actor = actor().await?;
    engine()?
        .referral(&actor, &code)
        .await
        .map_err(engine_error)
}

/// A head posts the free seats of one age group. From a head's tablet, `seen` is the number it
/// showed and `key` names the change: a change on top of another number is refused
/// (`Conflict::Changed`), the same change sent again changes nothing. A form sent without
/// JavaScript comes back to `/head`.
#[server(endpoint = "head/seats")]
pub async fn post_seats(
    kindergarten_id: i64,
    cohort: i32,
    free: i64,
    seen: Option<i64>,
    key: Option<String>,
) -> Result<u32, AppError> {
    use super::server::*;
    let actor = actor().await?;
    let engine = engine()?;
    let invited = match seen {
        Some(seen) => {
            let key = key.unwrap_or_default();
            engine
                .post_seats_seen(&actor, (kindergarten_id, cohort), free, (seen, key.trim()))
                .await
        }
        None => {
            engine
                .post_seats(&actor, kindergarten_id, cohort, free)
                .await
        }
    }
    .map_err(engine_error)?;
    if seen.is_some() {
        leptos_axum::redirect("/head");
    }
    Ok(invited)
}

/// The head's tablet: the kindergarten's age groups and latest postings.
#[server(endpoint = "head/desk")]
pub async fn head_desk() -> Result<crate::domain::queue::HeadDesk, AppError> {
    use super::server::*;
    let actor = actor().await?;
    let crate::engine::Actor::Head { kindergarten_id } = actor else {
        return Err(AppError::Forbidden);
    };
    engine()?
        .head_desk(&actor, kindergarten_id)
        .await
        .map_err(engine_error)
}

/// The head confirms enrolment.
#[server(endpoint = "head/enrol")]
pub async fn enrol(code: String) -> Result<ReferralView, AppError> {
    use super::server::*;
    let actor = actor().await?;
    let view = engine()?.enrol(&actor, &code).await.map_err(engine_error)?;
    leptos_axum::redirect("/head");
    Ok(view)
}

/// The head or the department extends a referral to `until` (ISO date), with a reason.
#[server(endpoint = "head/extend")]
pub async fn extend_referral(
    code: String,
    until: String,
    reason: String,
) -> Result<ReferralView, AppError> {
    use super::server::*;
    use crate::error::Invalid;
    let actor = actor().await?;
    let until = crate::domain::parse_iso_date(until.trim())
        .ok_or(AppError::Validation(Invalid::ExtensionDate))?;
    let view = engine()?
        .extend(&actor, &code, until, &reason)
        .await
        .map_err(engine_error)?;
    leptos_axum::redirect("/head");
    Ok(view)
}

/// The head's order admits a staff member's child (a flagged referral): the child's
/// application number, the order's number and its reason. A form sent without JavaScript comes
/// back to `/head`.
#[server(endpoint = "head/staff-child")]
pub async fn admit_staff_child(
    kindergarten_id: i64,
    public_no: String,
    order: String,
    reason: String,
) -> Result<ReferralView, AppError> {
    use super::server::*;
    let actor = actor().await?;
    let view = engine()?
        .admit_staff_child(&actor, (kindergarten_id, &public_no), (&order, &reason))
        .await
        .map_err(engine_error)?;
    leptos_axum::redirect("/head");
    Ok(view)
}

/// A head checks a referral the parent brought: by its code as typed, or by the signed token its
/// QR code holds (`kezek1.…`, as the tablet's camera or a scanner reads it). A token is checked
/// against Kezek's key and must agree with the referral it names; the answer is the referral's
/// state now.
#[server(endpoint = "head/check")]
pub async fn check_referral(code: String) -> Result<CheckedReferral, AppError> {
    use super::server::*;
    use crate::error::Invalid;
    let actor = actor().await?;
    let text = code.trim();
    let claims = if text.starts_with("kezek1.") {
        let keys = state()?.referral_keys.published();
        Some(crate::tokens::verify(text, &keys).map_err(|_| AppError::Validation(Invalid::Token))?)
    } else {
        None
    };
    let code = claims.as_ref().map_or(text, |c| c.code.as_str());
    let (referral, place, child_name) = engine()?
        .referral_page(&actor, code)
        .await
        .map_err(engine_error)?;
    if let Some(c) = &claims {
        if c.kindergarten != place.number || c.cohort != referral.cohort {
            return Err(AppError::Validation(Invalid::Token));
        }
    }
    Ok(CheckedReferral {
        referral,
        child_name,
        signed: claims.is_some(),
    })
}
