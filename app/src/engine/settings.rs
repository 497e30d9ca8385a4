//! The rules' parameters and the holiday calendar: stored in the database, held in memory by
//! every engine, and kept equal across servers. A change commits with a `NOTIFY` on PostgreSQL;
//! every server listens and reads the settings again (also after a lost connection, in case a
//! notice was missed).

use super::error::EngineResult;
use super::events;
use super::rules::{default_holidays, Calendar, Rules};
use super::{Acting, Ctx};
use crate::store::sql::{Backend, Sql};
use crate::store::{read_tx, Db, StoreError};
use serde_json::json;
use std::sync::{Arc, RwLock};
use time::Date;

/// The PostgreSQL channel that announces a change of the settings.
const CHANNEL: &str = "kezek_settings";

/// The settings in force in one engine.
pub struct Settings {
    rules: RwLock<Arc<Rules>>,
    calendar: RwLock<Arc<Calendar>>,
}

impl Settings {
    pub fn new(rules: Rules, calendar: Calendar) -> Settings {
        Settings {
            rules: RwLock::new(Arc::new(rules)),
            calendar: RwLock::new(Arc::new(calendar)),
        }
    }

    pub fn rules(&self) -> Arc<Rules> {
        self.rules.read().expect("rules lock").clone()
    }

    pub fn calendar(&self) -> Arc<Calendar> {
        self.calendar.read().expect("calendar lock").clone()
    }

    pub fn set(&self, rules: Rules, calendar: Calendar) {
        *self.rules.write().expect("rules lock") = Arc::new(rules);
        *self.calendar.write().expect("calendar lock") = Arc::new(calendar);
    }
}

/// The stored rules (defaults when none) and the calendar.
pub async fn read(c: &mut dyn Sql) -> EngineResult<(Rules, Calendar)> {
    let stored: Option<(String,)> = c
        .first("SELECT value FROM settings WHERE key = 'rules'", &[])
        .await?;
    let rules = stored
        .and_then(|(s,)| serde_json::from_str::<Rules>(&s).ok())
        .filter(Rules::is_valid)
        .unwrap_or_default();
    Ok((rules, calendar(c).await?))
}

/// The calendar's days off and worked weekend days.
async fn calendar(c: &mut dyn Sql) -> EngineResult<Calendar> {
    let days = days(c).await?;
    let (worked, off): (Vec<_>, Vec<_>) = days.into_iter().partition(|d| d.2);
    Ok(Calendar::new(off.into_iter().map(|d| d.0)).with_workdays(worked.into_iter().map(|d| d.0)))
}

/// Every day of the calendar: (day, name, worked).
pub async fn days(c: &mut dyn Sql) -> EngineResult<Vec<(Date, String, bool)>> {
    let days: Vec<(String, String, bool)> = c
        .all("SELECT day, name, working FROM holidays ORDER BY day", &[])
        .await?;
    Ok(days
        .into_iter()
        .filter_map(|(d, name, worked)| Some((crate::domain::parse_iso_date(&d)?, name, worked)))
        .collect())
}

/// Fills in the built-in holidays the first time.
pub async fn first_start(c: &mut dyn Sql) -> EngineResult<()> {
    let n: i64 = c.scalar("SELECT COUNT(*) FROM holidays", &[]).await?;
    if n == 0 {
        for (day, name) in default_holidays() {
            c.exec(
                "INSERT INTO holidays (day, name) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING",
                &[day.to_string().into(), name.into()],
            )
            .await?;
        }
    }
    Ok(())
}

/// Tells the other servers to read the settings again (at commit).
async fn tell_others(c: &mut dyn Sql) -> EngineResult<()> {
    if c.backend() == Backend::Postgres {
        c.exec(&format!("NOTIFY {CHANNEL}"), &[]).await?;
    }
    Ok(())
}

pub async fn save_rules(
    c: &mut dyn Sql,
    ctx: &Ctx,
    acting: Acting<'_>,
    rules: &Rules,
) -> EngineResult<()> {
    let value = serde_json::to_string(rules).expect("rules serialize");
    c.exec(
        "INSERT INTO settings (key, value) VALUES ('rules', $1) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[(&value).into()],
    )
    .await?;
    events::append(
        c,
        ctx.now,
        "rules.changed",
        acting.mark(json!({ "rules": serde_json::to_value(rules).expect("rules serialize") })),
    )
    .await?;
    tell_others(c).await
}

/// What a day of the calendar becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    /// A day off (a holiday, or a day off moved here), with its name.
    Off(String),
    /// A Saturday or Sunday worked (a day off moved away from it), with its name.
    Worked(String),
    /// An ordinary day again (off at the weekend, worked otherwise).
    Ordinary,
}

/// Sets what `day` is; returns the calendar as stored.
pub async fn set_day(
    c: &mut dyn Sql,
    ctx: &Ctx,
    acting: Acting<'_>,
    day: Date,
    kind: &DayKind,
) -> EngineResult<Calendar> {
    let iso = day.to_string();
    match kind {
        DayKind::Off(name) | DayKind::Worked(name) => {
            let worked = matches!(kind, DayKind::Worked(_));
            let worked = if worked { "TRUE" } else { "FALSE" };
            c.exec(
                &format!(
                    "INSERT INTO holidays (day, name, working) VALUES ($1, $2, {worked}) \
                     ON CONFLICT (day) DO UPDATE SET name = excluded.name, \
                     working = excluded.working"
                ),
                &[(&iso).into(), name.into()],
            )
            .await?;
        }
        DayKind::Ordinary => {
            c.exec("DELETE FROM holidays WHERE day = $1", &[(&iso).into()])
                .await?;
        }
    }
    let (holiday, worked) = match kind {
        DayKind::Off(name) => (Some(name.as_str()), false),
        DayKind::Worked(name) => (Some(name.as_str()), true),
        DayKind::Ordinary => (None, false),
    };
    events::append(
        c,
        ctx.now,
        "calendar.changed",
        acting.mark(json!({ "day": iso, "holiday": holiday, "working": worked })),
    )
    .await?;
    tell_others(c).await?;
    calendar(c).await
}

/// Reads the settings again into `settings`.
pub async fn reload(db: &Db, settings: &Settings) -> EngineResult<()> {
    let (rules, calendar) = read_tx!(db, |c| read(c))?;
    settings.set(rules, calendar);
    Ok(())
}

/// PostgreSQL: listens for changes made through other servers and reads the settings again
/// on each, for as long as the engine lives.
pub fn follow(db: Db, settings: Arc<Settings>) -> Option<tokio::task::JoinHandle<()>> {
    let pool = db.postgres_pool()?.clone();
    Some(tokio::spawn(async move {
        loop {
            let listening = async {
                let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await?;
                listener.listen(CHANNEL).await?;
                // Whatever changed while nobody listened.
                reload(&db, &settings).await.map_err(|e| match e {
                    super::EngineError::Store(StoreError::Other(e))
                    | super::EngineError::Store(StoreError::Unavailable(e)) => e,
                    other => sqlx::Error::Protocol(other.to_string()),
                })?;
                loop {
                    listener.recv().await?;
                    if let Err(e) = reload(&db, &settings).await {
                        tracing::warn!(error = %e, "cannot read the changed settings");
                    }
                }
                #[allow(unreachable_code)]
                Ok::<(), sqlx::Error>(())
            }
            .await;
            if let Err(e) = listening {
                tracing::warn!(error = %e, "settings listener lost; listening again");
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    }))
}
