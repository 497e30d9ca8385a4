//! Applications: a parent applies for a child (checked here, numbered at random), changes the
//! contacts, or withdraws.

use super::error::{refused, unique_as, EngineError, EngineResult};
use super::events::announce;
use super::positions::queue_change;
use super::rows::{app_for_update, referral_of_app, set_status, AppRow};
use super::{invitations, referrals, Ctx};
use crate::domain::application::{check, check_contacts, Checked, Field};
use crate::domain::queue::{application_number, AppStatus, ApplicationForm, ContactsForm};
use crate::domain::{Iin, Phone};
use crate::error::{AppError, Conflict, Invalid};
use crate::store::sql::Sql;
use serde_json::json;
use time::Date;

/// A checked application: the form's checks (shared with the browser) and who applies.
pub struct ValidApplication {
    pub form: Checked,
    pub parent_iin: Iin,
}

pub struct ValidContacts {
    pub phone1: Phone,
    pub phone2: Phone,
    pub email: String,
}

fn first_problem(problems: Vec<(Field, Invalid)>) -> EngineError {
    let why = problems
        .into_iter()
        .next()
        .map_or(Invalid::Request, |p| p.1);
    EngineError::Refused(AppError::Validation(why))
}

pub fn validate_contacts(form: &ContactsForm) -> Result<ValidContacts, EngineError> {
    match check_contacts(&form.phone1, &form.phone2, &form.email) {
        (Some((phone1, phone2, email)), _) => Ok(ValidContacts {
            phone1,
            phone2,
            email,
        }),
        (None, problems) => Err(first_problem(problems)),
    }
}

pub fn validate_application(
    parent: Iin,
    form: &ApplicationForm,
    today: Date,
) -> Result<ValidApplication, EngineError> {
    match check(form, Some(parent), today) {
        (Some(form), _) => Ok(ValidApplication {
            form,
            parent_iin: parent,
        }),
        (None, problems) => Err(first_problem(problems)),
    }
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
            &[v.form.child_iin.digits().into()],
        )
        .await?;
    if open.is_some() {
        return Err(Conflict::AlreadyApplied.into());
    }
    let mut group = None;
    let mut sibling_of = None;
    if let Some(no) = &v.form.sibling_of {
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
        sibling_of = Some(sib.public_no);
    }
    let public_no = fresh_number(c, ctx).await?;
    let id: i64 = c
        .scalar(
            "INSERT INTO applications (public_no, child_iin, child_name, birth_date, cohort, \
             parent_iin, priority, phone1, phone2, email, district, language, applied_at, \
             sibling_group, priority_doc) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            &[
                (&public_no).into(),
                (v.form.child_iin.digits()).into(),
                (&v.form.child_name).into(),
                (v.form.birth_date.to_string()).into(),
                v.form.cohort.0.into(),
                (v.parent_iin.digits()).into(),
                (v.form.priority as i32).into(),
                (v.form.phone1.e164()).into(),
                (v.form.phone2.e164()).into(),
                (&v.form.email).into(),
                (v.form.district.code()).into(),
                (v.form.language.code()).into(),
                ctx.now.into(),
                group.into(),
                (&v.form.priority_doc).into(),
            ],
        )
        .await
        .map_err(|e| unique_as(e, Conflict::AlreadyApplied))?;
    let row = AppRow {
        id,
        public_no: public_no.clone(),
        child_iin: v.form.child_iin.digits(),
        parent_iin: v.parent_iin.digits(),
        cohort: v.form.cohort.0,
        priority: v.form.priority,
        applied_at: ctx.now,
        status: AppStatus::Waiting,
        sibling_group: group,
        birth_date: v.form.birth_date.to_string(),
        stop_until: 0,
    };
    queue_change(c, ctx.now, &row, "applied").await?;
    announce(
        c,
        ctx.now,
        id,
        ("application.created", {
            let mut body = super::events::application_body(
                (&public_no, id),
                row.cohort,
                row.priority,
                row.applied_at,
                v.form.birth_date,
                group.is_some(),
            );
            body["sibling_of"] = json!(sibling_of);
            body
        }),
        ("application_created", json!({ "public_no": public_no })),
    )
    .await?;
    invitations::fill(c, ctx, v.form.cohort.0).await?;
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
    use crate::domain::application::email_ok;
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
                priority_doc: String::new(),
            };
            let parent = (0..20)
                .find_map(|n| Iin::compose(time::macros::date!(1990 - 01 - 01), crate::domain::Sex::Female, n))
                .expect("a valid parent IIN");
            // Bad input is refused, never a panic; anything accepted matches its IIN.
            if let Ok(v) = validate_application(parent, &form, time::macros::date!(2026 - 11 - 25)) {
                prop_assert_eq!(v.form.birth_date, v.form.child_iin.birth_date());
                prop_assert!(email_ok(&v.form.email));
            }
        }
    }
}
