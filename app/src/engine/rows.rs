//! The engine's rows as types: an application and a referral, read in one place each, and the
//! look-ups and guarded state changes every area shares.

use super::error::{refused, EngineResult};
use crate::domain::queue::{AppStatus, ReferralView};
use crate::domain::PriorityClass;
use crate::engine::rules::{List, QueueKey};
use crate::error::{AppError, Conflict};
use crate::store::sql::{Col, FromRow, Row, Sql, Val};

impl Col for AppStatus {
    fn col(r: &Row, i: usize) -> Result<Self, sqlx::Error> {
        let code = r.text(i)?;
        AppStatus::from_code(&code).ok_or_else(|| {
            sqlx::Error::Decode(format!("unknown application status {code:?}").into())
        })
    }
}

impl Col for PriorityClass {
    fn col(r: &Row, i: usize) -> Result<Self, sqlx::Error> {
        match r.int(i)? {
            0 => Ok(PriorityClass::Extraordinary),
            1 => Ok(PriorityClass::Primary),
            2 => Ok(PriorityClass::General),
            n => Err(sqlx::Error::Decode(
                format!("unknown priority class {n}").into(),
            )),
        }
    }
}

/// An application as the engine works with it.
#[derive(Debug, Clone)]
pub struct AppRow {
    pub id: i64,
    pub public_no: String,
    pub child_iin: String,
    pub parent_iin: String,
    pub cohort: i32,
    pub priority: PriorityClass,
    pub applied_at: i64,
    pub status: AppStatus,
    pub sibling_group: Option<i64>,
    /// ISO date.
    pub birth_date: String,
    /// Not invited again before this time (Unix ms).
    pub stop_until: i64,
}

/// The columns of [`AppRow`], in order, of `applications a`.
pub const APP_COLUMNS: &str = "a.id, a.public_no, a.child_iin, a.parent_iin, a.cohort, \
    CAST(a.priority AS INTEGER) AS priority, a.applied_at, a.status, a.sibling_group, \
    a.birth_date, a.stop_until";

impl FromRow for AppRow {
    fn from_row(r: &Row) -> Result<Self, sqlx::Error> {
        Ok(AppRow {
            id: r.get(0)?,
            public_no: r.get(1)?,
            child_iin: r.get(2)?,
            parent_iin: r.get(3)?,
            cohort: r.get(4)?,
            priority: r.get(5)?,
            applied_at: r.get(6)?,
            status: r.get(7)?,
            sibling_group: r.get(8)?,
            birth_date: r.get(9)?,
            stop_until: r.get(10)?,
        })
    }
}

impl AppRow {
    pub fn key(&self) -> QueueKey {
        QueueKey {
            priority: self.priority,
            applied_at: self.applied_at,
            id: self.id,
        }
    }
    pub fn list(&self) -> List {
        self.key().list()
    }
}

/// The application with this public number, locked until commit where rows are locked.
pub async fn app_for_update(c: &mut dyn Sql, public_no: &str) -> EngineResult<AppRow> {
    let lock = c.for_update();
    find_app(c, public_no, lock).await
}

/// The application with this public number, for reading only.
pub async fn app_to_read(c: &mut dyn Sql, public_no: &str) -> EngineResult<AppRow> {
    find_app(c, public_no, "").await
}

async fn find_app(c: &mut dyn Sql, public_no: &str, lock: &str) -> EngineResult<AppRow> {
    let sql = format!("SELECT {APP_COLUMNS} FROM applications a WHERE a.public_no = $1{lock}");
    c.first::<AppRow>(&sql, &[public_no.trim().into()])
        .await?
        .ok_or(refused(AppError::NotFound))
}

/// Moves an application from one status to another; refuses if it was no longer `from`.
pub async fn set_status(
    c: &mut dyn Sql,
    id: i64,
    from: AppStatus,
    to: AppStatus,
) -> EngineResult<()> {
    // `closed` is assigned only when openness changes: an UPDATE that assigns it rewrites the
    // one-open-application-per-child index entry (migration 0003).
    let (sql, closed) = if from.is_open() == to.is_open() {
        (
            "UPDATE applications SET status = $3 WHERE id = $1 AND status = $2",
            None,
        )
    } else {
        (
            "UPDATE applications SET status = $3, closed = $4 WHERE id = $1 AND status = $2",
            Some(i64::from(!to.is_open())),
        )
    };
    let mut args = vec![id.into(), from.code().into(), to.code().into()];
    args.extend(closed.map(Val::from));
    let n = c.exec(sql, &args).await?;
    if n != 1 {
        return Err(Conflict::Changed.into());
    }
    Ok(())
}

/// A referral with what the engine needs of its application.
pub struct RefRow {
    pub id: i64,
    pub code: String,
    pub kindergarten_id: i64,
    pub issued_at: i64,
    pub expires_at: i64,
    pub state: String,
    pub staff_order: Option<String>,
    pub app: AppRow,
}

const REF_COLUMNS: &str = "r.id, r.code, r.kindergarten_id, r.issued_at, r.expires_at, \
    r.state, r.staff_order";

impl FromRow for RefRow {
    fn from_row(r: &Row) -> Result<Self, sqlx::Error> {
        // The application's columns follow the referral's seven.
        let app = AppRow::from_row(&Row(r.0[7..].to_vec()))?;
        Ok(RefRow {
            id: r.get(0)?,
            code: r.get(1)?,
            kindergarten_id: r.get(2)?,
            issued_at: r.get(3)?,
            expires_at: r.get(4)?,
            state: r.get(5)?,
            staff_order: r.get(6)?,
            app,
        })
    }
}

impl RefRow {
    pub fn is_active(&self) -> bool {
        self.state == "active"
    }

    pub fn view(&self) -> ReferralView {
        ReferralView {
            code: self.code.clone(),
            public_no: self.app.public_no.clone(),
            kindergarten_id: self.kindergarten_id,
            cohort: self.app.cohort,
            issued_at: self.issued_at,
            expires_at: self.expires_at,
            state: self.state.clone(),
            staff_order: self.staff_order.clone(),
        }
    }
}

/// Referrals matching `condition` (on `r` and `a`), with their applications.
pub async fn referrals_where(
    c: &mut dyn Sql,
    condition: &str,
    args: &[crate::store::sql::Val<'_>],
) -> EngineResult<Vec<RefRow>> {
    let sql = format!(
        "SELECT {REF_COLUMNS}, {APP_COLUMNS} FROM referrals r \
         JOIN applications a ON a.id = r.application_id WHERE {condition}"
    );
    Ok(c.all::<RefRow>(&sql, args).await?)
}

/// A referral by its code as a person types or reads it (any case, spaces anywhere).
pub async fn referral_by_code(c: &mut dyn Sql, code: &str) -> EngineResult<RefRow> {
    let code: String = code
        .chars()
        .filter(|ch| !ch.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    referrals_where(c, "r.code = $1", &[code.as_str().into()])
        .await?
        .pop()
        .ok_or(refused(AppError::NotFound))
}

pub async fn referral_of_app(c: &mut dyn Sql, application_id: i64) -> EngineResult<RefRow> {
    referrals_where(
        c,
        "r.application_id = $1 AND r.state = 'active'",
        &[application_id.into()],
    )
    .await?
    .pop()
    .ok_or(refused(AppError::NotFound))
}
