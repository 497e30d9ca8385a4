//! The education department's operations on the [`Engine`]: the rules and the calendar, the
//! yearly re-check of privileges, the kindergarten registry. Each is the department's only,
//! names who acts and why (a pseudonym, a reason), and is in the public log.

use super::registry::{self, Entry, Problem};
use super::rules::{self, Rules};
use super::EngineResult;
use super::{authorize, privileges, settings, Acting, Action, Actor, DayKind, Engine, Target};
use crate::error::AppError;
use time::Date;

impl Engine {
    /// Changes the rules' parameters (the education department only, with a reason).
    pub async fn set_rules(
        &self,
        actor: &Actor,
        acting: Acting<'_>,
        rules: Rules,
    ) -> EngineResult<()> {
        authorize(actor, Action::SetRules, &Target::City)?;
        let acting = acting.reasoned()?;
        if !rules.is_valid() {
            return Err(AppError::Validation(crate::error::Invalid::Rules).into());
        }
        let (r, acted) = (rules.clone(), acting.owned());
        write!(self, |c, ctx| settings::save_rules(
            c,
            ctx,
            acted.acting(),
            &r
        ))?;
        settings::reload(&self.db, &self.settings).await
    }

    /// The department makes `day` a day off, a worked weekend day, or an ordinary day again,
    /// with a reason. Deadlines issued from now on follow the new calendar.
    pub async fn set_day(
        &self,
        actor: &Actor,
        acting: Acting<'_>,
        day: Date,
        kind: DayKind,
    ) -> EngineResult<()> {
        authorize(actor, Action::SetHoliday, &Target::City)?;
        let acting = acting.reasoned()?;
        let kind = match kind {
            DayKind::Off(name) => DayKind::Off(name.trim().to_string()),
            DayKind::Worked(name) => DayKind::Worked(name.trim().to_string()),
            DayKind::Ordinary => DayKind::Ordinary,
        };
        if let DayKind::Off(name) | DayKind::Worked(name) = &kind {
            if name.is_empty() || name.chars().count() > 200 {
                return Err(AppError::Validation(crate::error::Invalid::Name).into());
            }
        }
        if matches!(kind, DayKind::Worked(_)) && !rules::is_weekend(day) {
            return Err(AppError::Validation(crate::error::Invalid::Request).into());
        }
        let acted = acting.owned();
        write!(self, |c, ctx| settings::set_day(
            c,
            ctx,
            acted.acting(),
            day,
            &kind
        ))?;
        settings::reload(&self.db, &self.settings).await
    }

    /// The calendar's days off and worked weekend days: (day, name, worked), by day (public).
    pub async fn calendar_days(&self) -> EngineResult<Vec<(Date, String, bool)>> {
        read!(self, |c, _ctx| settings::days(c))
    }

    /// The department confirms a child's privilege for the yearly re-check, with a reason (the
    /// document it saw).
    pub async fn confirm_privilege(
        &self,
        actor: &Actor,
        acting: Acting<'_>,
        public_no: &str,
    ) -> EngineResult<()> {
        authorize(actor, Action::ConfirmPrivilege, &Target::City)?;
        let acting = acting.reasoned()?;
        let (no, acted) = (public_no.to_string(), acting.owned());
        write!(self, |c, ctx| privileges::confirm(
            c,
            ctx,
            acted.acting(),
            &no
        ))
    }

    /// The privileges the next re-check would drop (the first `limit`, oldest first).
    pub async fn privileges_due(
        &self,
        actor: &Actor,
        limit: i64,
    ) -> EngineResult<privileges::PrivilegesDue> {
        authorize(actor, Action::ConfirmPrivilege, &Target::City)?;
        read!(self, |c, ctx| privileges::due(c, ctx, limit))
    }

    /// A kindergarten of the registry by its number, with its id, as its form shows it.
    pub async fn kindergarten_entry(
        &self,
        actor: &Actor,
        number: i32,
    ) -> EngineResult<Option<(i64, Entry)>> {
        authorize(actor, Action::EditRegistry, &Target::City)?;
        read!(self, |c, ctx| registry::entry(c, ctx, number))
    }

    /// Creates (`id` `None`) or changes a kindergarten of the registry, with a reason. Returns
    /// its id, or what is wrong with the entry (then nothing changed).
    pub async fn save_kindergarten(
        &self,
        actor: &Actor,
        acting: Acting<'_>,
        id: Option<i64>,
        entry: &Entry,
    ) -> EngineResult<Result<i64, Vec<Problem>>> {
        authorize(actor, Action::EditRegistry, &Target::City)?;
        let (acted, entry) = (acting.owned(), entry.clone());
        write!(self, |c, ctx| registry::save(
            c,
            ctx,
            acted.acting(),
            id,
            &entry
        ))
    }

    /// A kindergarten's history in the public log, newest first: (when, kind, body).
    pub async fn kindergarten_history(
        &self,
        id: i64,
    ) -> EngineResult<Vec<(i64, String, serde_json::Value)>> {
        let log = self
            .latest_events(&["kindergarten.created", "kindergarten.changed"], i64::MAX)
            .await?;
        Ok(log
            .into_iter()
            .filter(|(_, _, body)| body["kindergarten_id"].as_i64() == Some(id))
            .collect())
    }

    /// The latest events of these kinds in the public log, newest first: (when, kind, body).
    pub async fn latest_events(
        &self,
        kinds: &[&str],
        limit: i64,
    ) -> EngineResult<Vec<(i64, String, serde_json::Value)>> {
        self.flush_events().await?;
        let list: Vec<String> = (2..kinds.len() + 2).map(|i| format!("${i}")).collect();
        let mut args = vec![limit.into()];
        args.extend(kinds.iter().map(|k| crate::store::sql::Val::from(*k)));
        let rows: Vec<(i64, String, String)> = read!(self, |c, _ctx| async {
            Ok::<_, super::EngineError>(
                c.all(
                    &format!(
                        "SELECT at, kind, body FROM events WHERE kind IN ({}) \
                         ORDER BY seq DESC LIMIT $1",
                        list.join(", ")
                    ),
                    &args,
                )
                .await?,
            )
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(at, kind, body)| Some((at, kind, serde_json::from_str(&body).ok()?)))
            .collect())
    }
}
