//! Applications: a parent applies for a child (checked here, numbered at random), changes the
//! contacts, or withdraws.

use super::error::{refused, unique_as, EngineError, EngineResult};
use super::events::announce;
use super::positions::queue_change;
use super::rows::{app_for_update, referral_of_app, set_status, AppRow};
use super::{invitations, referrals, Ctx};
use crate::domain::queue::{application_number, AppStatus, ApplicationForm, ContactsForm};
use crate::domain::{Cohort, District, GroupLanguage, Iin, Phone, PriorityClass};
use crate::error::{AppError, Conflict, Invalid};
use crate::store::sql::Sql;
use serde_json::json;
use time::Date;

/// A checked application.
pub struct ValidApplication {
    pub child_iin: Iin,
    pub child_name: String,
    pub birth_date: Date,
    pub cohort: Cohort,
    pub parent_iin: Iin,
    pub priority: PriorityClass,
    pub contacts: ValidContacts,
    pub district: District,
    pub language: GroupLanguage,
    pub sibling_of: Option<String>,
}

pub struct ValidContacts {
    pub phone1: Phone,
    pub phone2: Phone,
    pub email: String,
}

fn invalid(i: Invalid) -> EngineError {
    EngineError::Refused(AppError::Validation(i))
}

/// A plain e-mail check: one `@`, something before it, a dotted domain after, no spaces.
pub fn email_ok(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

pub fn validate_contacts(form: &ContactsForm) -> Result<ValidContacts, EngineError> {
    let phone1 = Phone::parse(&form.phone1).map_err(AppError::from)?;
    let phone2 = Phone::parse(&form.phone2).map_err(AppError::from)?;
    if phone1 == phone2 {
        return Err(invalid(Invalid::SamePhones));
    }
    let email = form.email.trim().to_string();
    if !email_ok(&email) {
        return Err(invalid(Invalid::Email));
    }
    Ok(ValidContacts {
        phone1,
        phone2,
        email,
    })
}

pub fn validate_application(
    parent: Iin,
    form: &ApplicationForm,
    today: Date,
) -> Result<ValidApplication, EngineError> {
    let child_iin = Iin::parse(&form.child_iin).map_err(AppError::from)?;
    if child_iin == parent {
        return Err(invalid(Invalid::ChildIsParent));
    }
    let name = form.child_name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(invalid(Invalid::Name));
    }
    let birth_date =
        crate::domain::parse_iso_date(form.birth_date.trim()).ok_or(invalid(Invalid::BirthDate))?;
    if birth_date != child_iin.birth_date() || birth_date > today {
        return Err(invalid(Invalid::BirthDate));
    }
    if birth_date <= super::rules::months_before(today, 72) {
        return Err(invalid(Invalid::ChildTooOld));
    }
    let priority =
        PriorityClass::from_code(form.priority.trim()).ok_or(invalid(Invalid::Request))?;
    let district = District::from_code(form.district.trim()).ok_or(invalid(Invalid::Request))?;
    let language =
        GroupLanguage::from_code(form.language.trim()).ok_or(invalid(Invalid::Request))?;
    let contacts = validate_contacts(&ContactsForm {
        phone1: form.phone1.clone(),
        phone2: form.phone2.clone(),
        email: form.email.clone(),
    })?;
    let sibling_of = form
        .sibling_of
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    Ok(ValidApplication {
        child_iin,
        child_name: name.to_string(),
        birth_date,
        cohort: Cohort::of(birth_date),
        parent_iin: parent,
        priority,
        contacts,
        district,
        language,
        sibling_of,
    })
}

/// A public number nobody holds yet, drawn from the operation's randomness.
async fn fresh_number(c: &mut dyn Sql, ctx: &Ctx) -> EngineResult<String> {
    let year = ctx.today().year();
    loop {
        let random = ctx.entropy.next_u64().map_err(|e| {
            tracing::error!(error = %e, "no randomness for a public number");
            refused(AppError::Unavailable)
        })?;
        let no = application_number(year, random);
        let taken: Option<(i64,)> = c
            .first(
                "SELECT id FROM applications WHERE public_no = $1",
                &[(&no).into()],
            )
            .await?;
        if taken.is_none() {
            return Ok(no);
        }
    }
}

pub async fn create(c: &mut dyn Sql, ctx: &Ctx, v: &ValidApplication) -> EngineResult<String> {
    let open: Option<(i64,)> = c
        .first(
            "SELECT id FROM applications WHERE child_iin = $1 \
             AND status IN ('waiting', 'invited', 'referred')",
            &[v.child_iin.digits().into()],
        )
        .await?;
    if open.is_some() {
        return Err(Conflict::AlreadyApplied.into());
    }
    let mut group = None;
    if let Some(no) = &v.sibling_of {
        let sib = app_for_update(c, &crate::domain::queue::normalise_number(no)).await?;
        if sib.parent_iin != v.parent_iin.digits() {
            return Err(refused(AppError::NotFound));
        }
        if !matches!(sib.status, AppStatus::Waiting | AppStatus::Invited) {
            return Err(Conflict::NotOpen.into());
        }
        let g = sib.sibling_group.unwrap_or(sib.id);
        c.exec(
            "UPDATE applications SET sibling_group = $1 WHERE id = $2",
            &[g.into(), sib.id.into()],
        )
        .await?;
        group = Some(g);
    }
    let public_no = fresh_number(c, ctx).await?;
    let id: i64 = c
        .scalar(
            "INSERT INTO applications (public_no, child_iin, child_name, birth_date, cohort, \
             parent_iin, priority, phone1, phone2, email, district, language, applied_at, \
             sibling_group) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             RETURNING id",
            &[
                (&public_no).into(),
                (v.child_iin.digits()).into(),
                (&v.child_name).into(),
                (v.birth_date.to_string()).into(),
                v.cohort.0.into(),
                (v.parent_iin.digits()).into(),
                (v.priority as i32).into(),
                (v.contacts.phone1.e164()).into(),
                (v.contacts.phone2.e164()).into(),
                (&v.contacts.email).into(),
                (v.district.code()).into(),
                (v.language.code()).into(),
                ctx.now.into(),
                group.into(),
            ],
        )
        .await
        .map_err(|e| unique_as(e, Conflict::AlreadyApplied))?;
    let row = AppRow {
        id,
        public_no: public_no.clone(),
        child_iin: v.child_iin.digits(),
        parent_iin: v.parent_iin.digits(),
        cohort: v.cohort.0,
        priority: v.priority,
        applied_at: ctx.now,
        status: AppStatus::Waiting,
        sibling_group: group,
        birth_date: v.birth_date.to_string(),
        stop_until: 0,
    };
    queue_change(c, ctx.now, &row, "applied").await?;
    announce(
        c,
        ctx.now,
        id,
        (
            "application.created",
            json!({
                "public_no": public_no,
                "cohort": v.cohort.0,
                "priority": v.priority.code(),
                "applied_at": ctx.now,
                "sibling_group": group.is_some(),
            }),
        ),
        ("application_created", json!({ "public_no": public_no })),
    )
    .await?;
    invitations::fill(c, ctx, v.cohort.0).await?;
    Ok(public_no)
}

/// The parent changes the phones and e-mail of an open application (checked by the caller).
pub async fn update_contacts(
    c: &mut dyn Sql,
    ctx: &Ctx,
    a: &AppRow,
    v: &ValidContacts,
) -> EngineResult<()> {
    if !matches!(
        a.status,
        AppStatus::Waiting | AppStatus::Invited | AppStatus::Referred
    ) {
        return Err(Conflict::NotOpen.into());
    }
    c.exec(
        "UPDATE applications SET phone1 = $2, phone2 = $3, email = $4 WHERE id = $1",
        &[
            a.id.into(),
            (v.phone1.e164()).into(),
            (v.phone2.e164()).into(),
            (&v.email).into(),
        ],
    )
    .await?;
    announce(
        c,
        ctx.now,
        a.id,
        (
            "application.contacts_changed",
            json!({ "public_no": a.public_no }),
        ),
        ("contacts_changed", json!({ "public_no": a.public_no })),
    )
    .await
}

/// The parent withdraws an application (a held referral is declined first).
pub async fn withdraw(c: &mut dyn Sql, ctx: &Ctx, a: &AppRow) -> EngineResult<()> {
    let from = match a.status {
        AppStatus::Waiting => {
            queue_change(c, ctx.now, a, "withdrawn").await?;
            AppStatus::Waiting
        }
        // An invited child already left the waiting list when invited.
        AppStatus::Invited => {
            invitations::close(c, ctx, a.id, "cancelled").await?;
            AppStatus::Invited
        }
        AppStatus::Referred => {
            // The seat returns first (the child goes back to waiting), then the child leaves.
            let r = referral_of_app(c, a.id).await?;
            referrals::release(c, ctx, &r, "declined").await?;
            queue_change(c, ctx.now, a, "withdrawn").await?;
            AppStatus::Waiting
        }
        AppStatus::Enrolled | AppStatus::Withdrawn => return Err(Conflict::NotOpen.into()),
    };
    set_status(c, a.id, from, AppStatus::Withdrawn).await?;
    announce(
        c,
        ctx.now,
        a.id,
        ("application.withdrawn", json!({ "public_no": a.public_no })),
        ("withdrawn", json!({ "public_no": a.public_no })),
    )
    .await?;
    invitations::fill(c, ctx, a.cohort).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails() {
        for ok in ["ana@mail.kz", "a.b+c@x.y.kz"] {
            assert!(email_ok(ok), "{ok}");
        }
        for bad in [
            "",
            "ana",
            "@mail.kz",
            "ana@",
            "ana@kz",
            "a b@mail.kz",
            "a@b@c.kz",
            "a@.kz",
        ] {
            assert!(!email_ok(bad), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn validation_never_panics(iin in "\\PC{0,14}", date in "\\PC{0,12}", mail in "\\PC{0,30}") {
            let form = ApplicationForm {
                child_iin: iin,
                child_name: "Әлия".into(),
                birth_date: date,
                priority: "general".into(),
                phone1: "+7 701 000 00 01".into(),
                phone2: "+7 701 000 00 02".into(),
                email: mail,
                district: "almaly".into(),
                language: "kk".into(),
                sibling_of: None,
            };
            let parent = (0..20)
                .find_map(|n| Iin::compose(time::macros::date!(1990 - 01 - 01), crate::domain::Sex::Female, n))
                .expect("a valid parent IIN");
            // Bad input is refused, never a panic; anything accepted matches its IIN.
            if let Ok(v) = validate_application(parent, &form, time::macros::date!(2026 - 11 - 25)) {
                prop_assert_eq!(v.birth_date, v.child_iin.birth_date());
                prop_assert!(email_ok(&v.contacts.email));
            }
        }
    }
}
