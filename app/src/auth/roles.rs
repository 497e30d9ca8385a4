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

/// Assigns `iin` as a head of the kindergarten numbered `number` (moving them from another
/// one if they were assigned there).
pub async fn assign_head(db: &Db, now: i64, iin: &Iin, number: i64) -> Result<(), RoleError> {
    let digits = iin.digits();
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
        events::append(
            c,
            now,
            "role.head_assigned",
            json!({ "assignment": id, "kindergarten_id": k }),
        )
        .await?;
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
        events::append(c, now, "role.admin_granted", json!({ "assignment": id })).await?;
        Ok::<(), RoleError>(())
    })
}

/// Takes a role away (`"head"` or `"admin"`) and ends the sessions held in it.
pub async fn revoke(db: &Db, now: i64, iin: &Iin, role: &'static str) -> Result<(), RoleError> {
    let digits = iin.digits();
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
        events::append(
            c,
            now,
            &format!("role.{role}_revoked"),
            json!({ "assignment": id }),
        )
        .await?;
        Ok(())
    })?;
    sessions::end_role(db, iin, role).await?;
    Ok(())
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
