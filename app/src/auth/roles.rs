//! Who holds a role beyond parent: heads (an IIN assigned to a kindergarten) and the
//! education department (an IIN list). Each change is an event in the public log, which names
//! the kindergarten and the assignment's number, never the IIN.

use super::sessions;
use crate::domain::Iin;
use crate::engine::events;
use crate::engine::EngineError;
use crate::store::sql::Sql;
use crate::store::{write_tx, Db};
use serde_json::json;

/// Why a role change was refused.
#[derive(Debug, thiserror::Error)]
pub enum RoleError {
    #[error("there is no kindergarten number {0}")]
    NoKindergarten(i64),
    #[error("this IIN holds no such role")]
    NotHeld,
    #[error(transparent)]
    Engine(#[from] EngineError),
}

impl From<sqlx::Error> for RoleError {
    fn from(e: sqlx::Error) -> Self {
        RoleError::Engine(e.into())
    }
}

impl From<crate::store::StoreError> for RoleError {
    fn from(e: crate::store::StoreError) -> Self {
        RoleError::Engine(EngineError::Store(e))
    }
}

impl crate::store::TxError for RoleError {
    fn retryable(&self) -> bool {
        matches!(self, RoleError::Engine(e) if crate::store::TxError::retryable(e))
    }
}

pub use crate::engine::Acting;

/// An event's body with who acted and why.
fn acted(body: serde_json::Value, acting: Acting) -> serde_json::Value {
    acting.mark(body)
}

/// Assigns `iin` as a head of the kindergarten numbered `number` (moving them from another
/// one if they were assigned there), from the command line.
pub async fn assign_head(db: &Db, now: i64, iin: &Iin, number: i64) -> Result<(), RoleError> {
    assign_head_as(db, now, (iin, number), Acting::COMMAND_LINE).await
}

/// Assigns a head, `acting` as someone for some reason (the department's page).
pub async fn assign_head_as(
    db: &Db,
    now: i64,
    (iin, number): (&Iin, i64),
    acting: Acting<'_>,
) -> Result<(), RoleError> {
    let digits = iin.digits();
    let (by, reason) = (acting.by.to_string(), acting.reason.to_string());
    write_tx!(db, |c| async {
        let c: &mut dyn Sql = c;
        let k: Option<(i64,)> = c
            .first(
                "SELECT id FROM kindergartens WHERE number = $1",
                &[number.into()],
            )
            .await?;
        let Some((k,)) = k else {
            return Err(RoleError::NoKindergarten(number));
        };
        c.exec("DELETE FROM heads WHERE iin = $1", &[(&digits).into()])
            .await?;
        let id: i64 = c
            .scalar(
                "INSERT INTO heads (iin, kindergarten_id, assigned_at) VALUES ($1, $2, $3) \
                 RETURNING id",
                &[(&digits).into(), k.into(), now.into()],
            )
            .await?;
        let acting = Acting {
            by: &by,
            reason: &reason,
        };
        let body = json!({ "assignment": id, "kindergarten_id": k });
        events::append(c, now, "role.head_assigned", acted(body, acting)).await?;
        Ok(())
    })?;
    // A head moved elsewhere signs in again for the new kindergarten.
    sessions::end_role(db, iin, "head").await?;
    Ok(())
}

/// Grants `iin` the education department's role.
pub async fn grant_admin(db: &Db, now: i64, iin: &Iin) -> Result<(), RoleError> {
    let digits = iin.digits();
    write_tx!(db, |c| async {
        let c: &mut dyn Sql = c;
        let held: Option<(i64,)> = c
            .first("SELECT id FROM admins WHERE iin = $1", &[(&digits).into()])
            .await?;
        if held.is_some() {
            return Ok(());
        }
        let id: i64 = c
            .scalar(
                "INSERT INTO admins (iin, granted_at) VALUES ($1, $2) RETURNING id",
                &[(&digits).into(), now.into()],
            )
            .await?;
        let body = acted(json!({ "assignment": id }), Acting::COMMAND_LINE);
        events::append(c, now, "role.admin_granted", body).await?;
        Ok::<(), RoleError>(())
    })
}

/// Takes a role away (`"head"` or `"admin"`) and ends the sessions held in it, from the
/// command line.
pub async fn revoke(db: &Db, now: i64, iin: &Iin, role: &'static str) -> Result<(), RoleError> {
    revoke_as(db, now, (iin, role), Acting::COMMAND_LINE).await
}

/// Takes a role away, `acting` as someone for some reason (the department's page).
pub async fn revoke_as(
    db: &Db,
    now: i64,
    (iin, role): (&Iin, &'static str),
    acting: Acting<'_>,
) -> Result<(), RoleError> {
    let digits = iin.digits();
    let (by, reason) = (acting.by.to_string(), acting.reason.to_string());
    let table = if role == "head" { "heads" } else { "admins" };
    write_tx!(db, |c| async {
        let c: &mut dyn Sql = c;
        let held: Option<(i64,)> = c
            .first(
                &format!("SELECT id FROM {table} WHERE iin = $1"),
                &[(&digits).into()],
            )
            .await?;
        let Some((id,)) = held else {
            return Err(RoleError::NotHeld);
        };
        c.exec(&format!("DELETE FROM {table} WHERE id = $1"), &[id.into()])
            .await?;
        let acting = Acting {
            by: &by,
            reason: &reason,
        };
        let body = acted(json!({ "assignment": id }), acting);
        events::append(c, now, &format!("role.{role}_revoked"), body).await?;
        Ok(())
    })?;
    sessions::end_role(db, iin, role).await?;
    Ok(())
}

/// The heads, by kindergarten number: (assignment, IIN, kindergarten number, its name in
/// Kazakh and Russian, when assigned). For the department's page only.
pub async fn heads(db: &Db) -> Result<Vec<(i64, String, i64, String, String, i64)>, RoleError> {
    crate::store::read_tx!(db, |c| async {
        let c: &mut dyn Sql = c;
        Ok::<_, RoleError>(
            c.all(
                "SELECT h.id, h.iin, k.number, k.name_kk, k.name_ru, h.assigned_at \
                 FROM heads h JOIN kindergartens k ON k.id = h.kindergarten_id \
                 ORDER BY k.number, h.id",
                &[],
            )
            .await?,
        )
    })
}

/// Dev mode: `head` becomes the head of the kindergarten with the lowest number and `admin`
/// joins the education department, unless they already hold those roles.
pub async fn dev_roles(db: &Db, now: i64, head: &Iin, admin: &Iin) -> Result<(), RoleError> {
    let digits = head.digits();
    let (number, held): (Option<i64>, i64) = crate::store::read_tx!(db, |c| async {
        let c: &mut dyn Sql = c;
        Ok::<_, RoleError>(
            c.get(
                "SELECT (SELECT MIN(number) FROM kindergartens), \
                 (SELECT COUNT(*) FROM heads WHERE iin = $1)",
                &[(&digits).into()],
            )
            .await?,
        )
    })?;
    if let (Some(number), 0) = (number, held) {
        assign_head(db, now, head, number).await?;
    }
    grant_admin(db, now, admin).await
}
