//! What a parent sees of their own applications: "My children".

use super::error::EngineResult;
use super::rows::{referral_of_app, AppRow, APP_COLUMNS};
use super::{invitations, positions, Ctx};
use crate::domain::queue::{ContactsForm, MyChild, Notice, NoticeDelivery, ReferralPlace};
use crate::domain::{District, Iin};
use crate::store::sql::{FromRow, Row, Sql};

/// The most applications one parent's page lists (a family's children, and their history).
const MOST: i64 = 30;

struct Mine {
    app: AppRow,
    child_name: String,
    contacts: ContactsForm,
    district: String,
    language: String,
}

impl FromRow for Mine {
    fn from_row(r: &Row) -> Result<Self, sqlx::Error> {
        // The application's eleven columns, then the parent's own details.
        Ok(Mine {
            app: AppRow::from_row(r)?,
            child_name: r.get(11)?,
            contacts: ContactsForm {
                phone1: r.get(12)?,
                phone2: r.get::<Option<String>>(13)?.unwrap_or_default(),
                email: r.get::<Option<String>>(14)?.unwrap_or_default(),
            },
            district: r.get(15)?,
            language: r.get(16)?,
        })
    }
}

/// The parent's wish for the weekly summary of the place (a preference, not a public event).
pub async fn set_weekly_summary(
    c: &mut dyn Sql,
    application_id: i64,
    on: bool,
) -> EngineResult<()> {
    c.exec(
        "UPDATE applications SET weekly_summary = $2 WHERE id = $1",
        &[application_id.into(), i64::from(on).into()],
    )
    .await?;
    Ok(())
}

/// The latest notifications of an application (newest first, at most four) with where each
/// message went, recipients masked.
async fn notices(c: &mut dyn Sql, application_id: i64) -> EngineResult<Vec<Notice>> {
    let rows: Vec<(i64, String, i64, String, String, String, i64)> = c
        .all(
            "SELECT o.id, o.template, o.created_at, d.channel, d.recipient, d.state, \
             COALESCE(d.sent_at, d.next_at) FROM deliveries d JOIN outbox o ON o.id = d.outbox_id \
             WHERE d.application_id = $1 ORDER BY o.id DESC, d.id LIMIT 12",
            &[application_id.into()],
        )
        .await?;
    let mut out: Vec<(i64, Notice)> = Vec::new();
    for (outbox, template, created, channel, to, state, at) in rows {
        let to = if channel == "sms" {
            crate::notify::mask_phone(&to)
        } else {
            crate::notify::mask_email(&to)
        };
        let delivery = NoticeDelivery {
            channel,
            to,
            state,
            at,
            line: String::new(),
        };
        match out.last_mut() {
            Some((id, n)) if *id == outbox => n.deliveries.push(delivery),
            _ => out.push((
                outbox,
                Notice {
                    template,
                    at: created,
                    about: String::new(),
                    deliveries: vec![delivery],
                },
            )),
        }
    }
    Ok(out.into_iter().take(4).map(|(_, n)| n).collect())
}

/// The columns of a [`ReferralPlace`], in order, of `kindergartens k`.
pub const PLACE_COLUMNS: &str = "k.number, k.name_kk, k.name_ru, k.district, k.address_kk, \
    k.address_ru";

/// A [`ReferralPlace`] from [`PLACE_COLUMNS`] starting at column `at`.
pub fn place_at(r: &Row, at: usize) -> Result<ReferralPlace, sqlx::Error> {
    let district: String = r.get(at + 3)?;
    Ok(ReferralPlace {
        number: r.get(at)?,
        name_kk: r.get(at + 1)?,
        name_ru: r.get(at + 2)?,
        district: District::from_code(&district)
            .ok_or_else(|| sqlx::Error::Decode(format!("district {district}").into()))?,
        address_kk: r.get(at + 4)?,
        address_ru: r.get(at + 5)?,
    })
}

struct Place(ReferralPlace);

impl FromRow for Place {
    fn from_row(r: &Row) -> Result<Self, sqlx::Error> {
        place_at(r, 0).map(Place)
    }
}

/// Where a kindergarten is, for a referral.
pub async fn place(c: &mut dyn Sql, kindergarten_id: i64) -> EngineResult<ReferralPlace> {
    let p = c
        .first::<Place>(
            &format!("SELECT {PLACE_COLUMNS} FROM kindergartens k WHERE k.id = $1"),
            &[kindergarten_id.into()],
        )
        .await?
        .ok_or(super::error::refused(crate::error::AppError::NotFound))?;
    Ok(p.0)
}

/// The parent's applications, newest first, each with its place, invitation and referral.
pub async fn my_children(c: &mut dyn Sql, ctx: &Ctx, parent: &Iin) -> EngineResult<Vec<MyChild>> {
    let sql = format!(
        "SELECT {APP_COLUMNS}, a.child_name, a.phone1, a.phone2, a.email, a.district, a.language \
         FROM applications a \
         WHERE a.parent_iin = $1 ORDER BY a.applied_at DESC, a.id DESC LIMIT {MOST}"
    );
    let rows = c.all::<Mine>(&sql, &[parent.digits().into()]).await?;
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let position = positions::view(c, ctx, &m.app.public_no).await?;
        let invitation = invitations::view(c, &m.app).await?;
        let referral = match referral_of_app(c, m.app.id).await {
            Ok(r) => Some((r.view(), place(c, r.kindergarten_id).await?)),
            Err(e) if e.refusal() == Some(crate::error::AppError::NotFound) => None,
            Err(e) => return Err(e),
        };
        out.push(MyChild {
            public_no: m.app.public_no.clone(),
            child_name: m.child_name,
            cohort: m.app.cohort,
            status: m.app.status,
            applied_at: m.app.applied_at,
            position,
            invitation,
            referral,
            contacts: m.contacts,
            district: m.district,
            language: m.language,
            weekly_summary: c
                .scalar::<i64>(
                    "SELECT CAST(weekly_summary AS BIGINT) FROM applications WHERE id = $1",
                    &[m.app.id.into()],
                )
                .await?
                == 1,
            notices: notices(c, m.app.id).await?,
            notices_text: Default::default(),
        });
    }
    Ok(out)
}
