//! The allocation engine: applications, queue order, seat postings, rolling invitations,
//! claims, the referral lifecycle, the hash-chained event log and position history.
//!
//! The engine lives here and only here; server functions and the command line call it. This
//! file holds the [`Engine`] handle: each operation finds what it acts on, asks the one
//! authorization table (`access.rs`) whether the actor may, and calls the area that does it:
//!
//! * `rules` (pure, property-tested): the interleave, working days, siblings; `select` (pure):
//!   who gets invited;
//! * `applications`, `seats`, `invitations`, `claims`, `referrals`, `jobs`, `positions`,
//!   `events` (the chain and the outbox), `settings` (rules and calendar, kept equal across
//!   servers): the database steps, each written once for both databases against
//!   [`crate::store::sql::Sql`] and run inside a transaction it is given (all or nothing).
//! * Time and randomness come from an injected [`Clock`] and [`Entropy`].

/// Runs one writing operation: `$body` may use `$c` (`&mut dyn Sql`) and `$ctx` (`&Ctx`).
/// Once it has committed, the engine's write count moves.
macro_rules! write {
    ($engine:expr, |$c:ident, $ctx:ident| $body:expr) => {{
        let ctx = $engine.ctx();
        let done = $crate::store::write_tx!($engine.db, |$c| async {
            let $ctx = &ctx;
            $body.await
        });
        if done.is_ok() {
            $engine.writes.send_modify(|n| *n += 1);
        }
        done
    }};
}

/// Runs one reading operation on a pooled connection.
macro_rules! read {
    ($engine:expr, |$c:ident, $ctx:ident| $body:expr) => {{
        let ctx = $engine.ctx();
        let $ctx = &ctx;
        $crate::store::read_tx!($engine.db, |$c| $body)
    }};
}

pub mod access;
mod applications;
pub mod calendar;
pub mod chain;
mod claims;
mod clock;
mod department;
mod error;
pub(crate) mod events;
mod groups;
mod heads;
mod invitations;
mod jobs;
mod legacy;
mod legacy_uploads;
mod notices;
mod parents;
mod positions;
pub mod privileges;
mod referrals;
pub mod registry;
mod rows;
pub mod rules;
mod seats;
pub mod select;
pub(crate) mod settings;

pub use access::{authorize, Action, Actor, Target};
pub use clock::{Clock, Entropy, ManualClock, OsEntropy, SeededEntropy, SystemClock};
pub use error::{EngineError, EngineResult};
pub use jobs::TickReport;
pub use legacy::Progress as ImportProgress;
pub use positions::POSITION_QUERIES;

use crate::domain::queue::{
    ApplicationForm, ClaimableSeat, ContactsForm, InvitationView, PositionView, ReferralView,
};
use crate::error::AppError;
use crate::store::sql::Sql;
use crate::store::{read_tx, write_tx, Db};
use rows::{app_for_update, app_to_read, referral_by_code, AppRow, RefRow};
use rules::{Calendar, Rules};
pub use settings::DayKind;
use settings::Settings;
use std::sync::Arc;
use time::Date;

/// What one operation knows besides its arguments: the time, the rules in force, and where
/// randomness comes from (drawn only by operations that make something random).
#[derive(Clone)]
pub struct Ctx {
    pub now: i64,
    pub rules: Arc<Rules>,
    pub calendar: Arc<Calendar>,
    pub entropy: Arc<dyn Entropy>,
    pub numbers: Arc<claims::NumberBlock>,
}

impl Ctx {
    pub fn today(&self) -> Date {
        rules::almaty_date(self.now)
    }
}

/// The allocation engine of one city (one per server; several servers may share one
/// PostgreSQL database).
pub struct Engine {
    db: Db,
    clock: Arc<dyn Clock>,
    entropy: Arc<dyn Entropy>,
    settings: Arc<Settings>,
    numbers: Arc<claims::NumberBlock>,
    /// Tasks that live as long as the engine (PostgreSQL: the chainer, the settings listener).
    tasks: Vec<tokio::task::JoinHandle<()>>,
    /// Counts the writing operations this engine completed: whoever shows live seat counts
    /// watches it (a change made through another server comes by PostgreSQL's NOTIFY).
    writes: tokio::sync::watch::Sender<u64>,
}

impl Drop for Engine {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// The application `public_no`, if `actor` may do `action` on it (locked for a change).
async fn application_for(
    c: &mut dyn Sql,
    actor: &Actor,
    action: Action,
    public_no: &str,
) -> EngineResult<AppRow> {
    let no = crate::domain::queue::normalise_number(public_no);
    let a = if matches!(action, Action::SeeInvitation) {
        app_to_read(c, &no).await?
    } else {
        app_for_update(c, &no).await?
    };
    authorize(
        actor,
        action,
        &Target::Application {
            parent_iin: &a.parent_iin,
        },
    )?;
    Ok(a)
}

/// The referral `code`, if `actor` may do `action` on it.
async fn referral_for(
    c: &mut dyn Sql,
    actor: &Actor,
    action: Action,
    code: &str,
) -> EngineResult<RefRow> {
    let r = referral_by_code(c, code).await?;
    authorize(
        actor,
        action,
        &Target::Referral {
            parent_iin: &r.app.parent_iin,
            kindergarten_id: r.kindergarten_id,
        },
    )?;
    Ok(r)
}

/// Who acts for the department, and why, as the public log names them: a pseudonym
/// (`admin #N`, or `command line` for the server's operator), never an IIN.
#[derive(Debug, Clone, Copy)]
pub struct Acting<'a> {
    pub by: &'a str,
    pub reason: &'a str,
}

impl Acting<'static> {
    /// The server's operator at `kezek head …` / `kezek admin …`.
    pub const COMMAND_LINE: Acting<'static> = Acting {
        by: "command line",
        reason: "",
    };
}

impl Acting<'_> {
    /// An event's body with who acted and why.
    pub fn mark(self, mut body: serde_json::Value) -> serde_json::Value {
        body["by"] = serde_json::json!(self.by);
        if !self.reason.is_empty() {
            body["reason"] = serde_json::json!(self.reason);
        }
        body
    }

    /// The same, owned: for an operation that keeps it past its caller's borrow (the closure of
    /// a write, which may run again).
    pub fn owned(self) -> Acted {
        Acted {
            by: self.by.to_string(),
            reason: self.reason.to_string(),
        }
    }

    /// A reason is given, and not too long (the department's pages ask for one).
    pub fn reasoned(self) -> EngineResult<Self> {
        let n = self.reason.trim().chars().count();
        if n == 0 || n > 200 {
            return Err(AppError::Validation(crate::error::Invalid::Reason).into());
        }
        Ok(self)
    }
}

/// An [`Acting`] owned.
#[derive(Debug, Clone)]
pub struct Acted {
    by: String,
    reason: String,
}

impl Acted {
    pub fn acting(&self) -> Acting<'_> {
        Acting {
            by: &self.by,
            reason: &self.reason,
        }
    }
}

/// Who acted, for the public log (`head` or `admin`).
fn by(actor: &Actor) -> &'static str {
    match actor {
        Actor::Head { .. } => "head",
        _ => "admin",
    }
}

/// PostgreSQL's chainer: links the intake's events into the chain about ten times a second.
async fn chain_forever(db: Db) {
    let mut every = tokio::time::interval(std::time::Duration::from_millis(100));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        loop {
            let linked: EngineResult<u64> = write_tx!(db, |c| events::chain_pending(c, 1_000));
            match linked {
                Ok(0) => break,
                Ok(_) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, "linking events into the chain failed; retrying");
                    break;
                }
            }
        }
    }
}

impl Engine {
    /// Starts the engine over an opened database with the kernel's randomness.
    pub async fn start(db: &Db, clock: Arc<dyn Clock>) -> EngineResult<Engine> {
        Engine::start_with(db, clock, Arc::new(OsEntropy)).await
    }

    /// Starts the engine: fills in the built-in holidays the first time, reads the rules and
    /// the calendar, and on PostgreSQL starts the chainer and the settings listener.
    pub async fn start_with(
        db: &Db,
        clock: Arc<dyn Clock>,
        entropy: Arc<dyn Entropy>,
    ) -> EngineResult<Engine> {
        let first: EngineResult<()> = write_tx!(db, |c| settings::first_start(c));
        first?;
        let (rules, calendar) = read_tx!(db, |c| settings::read(c))?;
        let settings = Arc::new(Settings::new(rules, calendar));
        let mut tasks = Vec::new();
        if db.backend_name() == "postgres" {
            tasks.push(tokio::spawn(chain_forever(db.clone())));
        }
        tasks.extend(settings::follow(db.clone(), settings.clone()));
        Ok(Engine {
            db: db.clone(),
            clock,
            entropy,
            settings,
            numbers: Default::default(),
            tasks,
            writes: tokio::sync::watch::Sender::new(0),
        })
    }

    /// The time, rules and randomness for one operation.
    pub fn ctx(&self) -> Ctx {
        Ctx {
            now: self.clock.now_ms(),
            rules: self.settings.rules(),
            calendar: self.settings.calendar(),
            entropy: self.entropy.clone(),
            numbers: self.numbers.clone(),
        }
    }

    /// Moves whenever this engine has committed a change (seats may have moved): live pages
    /// read the seats again then.
    pub fn writes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.writes.subscribe()
    }

    pub fn backend_name(&self) -> &'static str {
        self.db.backend_name()
    }

    /// The rules in force.
    pub fn rules(&self) -> Rules {
        (*self.settings.rules()).clone()
    }

    /// Whether `day` is a working day in the calendar in force.
    pub fn is_working_day(&self, day: Date) -> bool {
        self.settings.calendar().is_working_day(day)
    }

    /// A parent applies for a child. Returns the public number.
    pub async fn apply(&self, actor: &Actor, form: &ApplicationForm) -> EngineResult<String> {
        authorize(actor, Action::Apply, &Target::City)?;
        let Actor::Parent(parent) = actor else {
            return Err(AppError::Forbidden.into());
        };
        let valid = applications::validate_application(*parent, form, self.ctx().today())?;
        write!(self, |c, ctx| applications::create(c, ctx, &valid))
    }

    /// A parent changes the phones and e-mail of an open application.
    pub async fn update_contacts(
        &self,
        actor: &Actor,
        public_no: &str,
        form: &ContactsForm,
    ) -> EngineResult<()> {
        let contacts = applications::validate_contacts(form)?;
        let (actor, no) = (actor.clone(), public_no.to_string());
        write!(self, |c, ctx| async {
            let a = application_for(c, &actor, Action::EditContacts, &no).await?;
            applications::update_contacts(c, ctx, &a, &contacts).await
        })
    }

    /// A parent asks for (or stops) the weekly summary of the child's place.
    pub async fn set_weekly_summary(
        &self,
        actor: &Actor,
        public_no: &str,
        on: bool,
    ) -> EngineResult<()> {
        let (actor, no) = (actor.clone(), public_no.to_string());
        write!(self, |c, _ctx| async {
            let a = application_for(c, &actor, Action::EditContacts, &no).await?;
            parents::set_weekly_summary(c, a.id, on).await
        })
    }

    /// A parent withdraws an application (a held referral is declined first).
    pub async fn withdraw(&self, actor: &Actor, public_no: &str) -> EngineResult<()> {
        let (actor, no) = (actor.clone(), public_no.to_string());
        write!(self, |c, ctx| async {
            let a = application_for(c, &actor, Action::Withdraw, &no).await?;
            applications::withdraw(c, ctx, &a).await
        })
    }

    /// A head sets the free seats of one age group; invitations follow at once. Returns how
    /// many children were invited.
    pub async fn post_seats(
        &self,
        actor: &Actor,
        kindergarten_id: i64,
        cohort: i32,
        free: i64,
    ) -> EngineResult<u32> {
        authorize(
            actor,
            Action::PostSeats,
            &Target::Kindergarten(kindergarten_id),
        )?;
        let by = by(actor);
        write!(self, |c, ctx| seats::post(
            c,
            ctx,
            by,
            (kindergarten_id, cohort),
            free,
            None
        ))
    }

    /// A head's tablet sets the free seats of one age group where it showed `seen`; `key` names
    /// this one change. Refused with [`Conflict::Changed`](crate::error::Conflict) when another
    /// tablet changed them meanwhile; the same change again (a retry) succeeds, changing nothing.
    pub async fn post_seats_seen(
        &self,
        actor: &Actor,
        (kindergarten_id, cohort): (i64, i32),
        free: i64,
        (seen, key): (i64, &str),
    ) -> EngineResult<u32> {
        if key.is_empty() || key.len() > 64 {
            return Err(crate::error::AppError::Validation(crate::error::Invalid::Request).into());
        }
        authorize(
            actor,
            Action::PostSeats,
            &Target::Kindergarten(kindergarten_id),
        )?;
        let (by, key) = (by(actor), key.to_string());
        write!(self, |c, ctx| seats::post(
            c,
            ctx,
            by,
            (kindergarten_id, cohort),
            free,
            Some((seen, key.as_str()))
        ))
    }

    /// What a head's tablet shows: the kindergarten's age groups (capacity, free, referrals
    /// pending) and its latest postings. Only the head of that kindergarten, or the department.
    pub async fn head_desk(
        &self,
        actor: &Actor,
        kindergarten_id: i64,
    ) -> EngineResult<crate::domain::queue::HeadDesk> {
        authorize(
            actor,
            Action::PostSeats,
            &Target::Kindergarten(kindergarten_id),
        )?;
        read!(self, |c, ctx| heads::desk(c, ctx, kindergarten_id))
    }

    /// An invited parent claims a seat (for all siblings invited together) in one
    /// kindergarten.
    pub async fn claim(
        &self,
        actor: &Actor,
        public_no: &str,
        kindergarten_id: i64,
    ) -> EngineResult<Vec<ReferralView>> {
        let (actor, no) = (actor.clone(), public_no.to_string());
        write!(self, |c, ctx| async {
            let a = application_for(c, &actor, Action::Claim, &no).await?;
            claims::claim(c, ctx, &a, kindergarten_id).await
        })
    }

    /// A head or admin extends a referral up to `until` (inclusive, Almaty date), with a
    /// reason.
    pub async fn extend(
        &self,
        actor: &Actor,
        code: &str,
        until: Date,
        reason: &str,
    ) -> EngineResult<ReferralView> {
        let (actor, code, reason) = (actor.clone(), code.to_string(), reason.to_string());
        write!(self, |c, ctx| async {
            let r = referral_for(c, &actor, Action::Extend, &code).await?;
            referrals::extend(c, ctx, by(&actor), &r, until, &reason).await
        })
    }

    /// The head confirms enrolment: the child leaves the queue.
    pub async fn enrol(&self, actor: &Actor, code: &str) -> EngineResult<ReferralView> {
        let (actor, code) = (actor.clone(), code.to_string());
        write!(self, |c, ctx| async {
            let r = referral_for(c, &actor, Action::Enrol, &code).await?;
            referrals::enrol(c, ctx, &r).await
        })
    }

    /// The parent declines a referral: the seat returns, the child keeps its place.
    pub async fn decline(&self, actor: &Actor, code: &str) -> EngineResult<()> {
        let (actor, code) = (actor.clone(), code.to_string());
        write!(self, |c, ctx| async {
            let r = referral_for(c, &actor, Action::Decline, &code).await?;
            referrals::decline(c, ctx, &r).await
        })
    }

    /// A head's order (its number, and the reason) admits a staff member's child: a flagged
    /// referral, outside queue order.
    pub async fn admit_staff_child(
        &self,
        actor: &Actor,
        (kindergarten_id, public_no): (i64, &str),
        (order, reason): (&str, &str),
    ) -> EngineResult<ReferralView> {
        authorize(
            actor,
            Action::StaffOrder,
            &Target::Kindergarten(kindergarten_id),
        )?;
        let (no, order, reason) = (public_no.to_string(), order.to_string(), reason.to_string());
        write!(self, |c, ctx| async {
            let a = app_for_update(c, &crate::domain::queue::normalise_number(&no)).await?;
            let order = (order.as_str(), reason.as_str());
            referrals::admit_staff_child(c, ctx, kindergarten_id, &a, order).await
        })
    }

    /// The background job: lapses invitations and expires referrals whose time has passed
    /// (their seats go to the next children), then fills every cohort's free seats.
    pub async fn tick(&self) -> EngineResult<TickReport> {
        write!(self, |c, ctx| jobs::tick(c, ctx))
    }

    /// Records every position that changed since the last run, with its reasons. Returns how
    /// many changes were recorded.
    pub async fn record_positions(&self) -> EngineResult<u64> {
        write!(self, |c, ctx| jobs::record_positions(c, ctx))
    }

    /// Where an application stands (public: by its number).
    pub async fn position(&self, public_no: &str) -> EngineResult<PositionView> {
        let no = crate::domain::queue::normalise_number(public_no);
        read!(self, |c, ctx| positions::view(c, ctx, &no))
    }

    /// The open invitation of a parent's application, if any.
    pub async fn invitation(
        &self,
        actor: &Actor,
        public_no: &str,
    ) -> EngineResult<Option<InvitationView>> {
        read!(self, |c, _ctx| async {
            let a = application_for(c, actor, Action::SeeInvitation, public_no).await?;
            invitations::view(c, &a).await
        })
    }

    /// Where an application's child may claim a seat now (its cohort's free seats).
    pub async fn claimable(&self, public_no: &str) -> EngineResult<Vec<ClaimableSeat>> {
        let no = crate::domain::queue::normalise_number(public_no);
        read!(self, |c, _ctx| invitations::claimable(c, &no))
    }

    /// A number that grows whenever any child's place, invitation or referral may have changed
    /// (the last queue change and the last recorded position): live pages re-read only then.
    pub async fn change_mark(&self) -> EngineResult<i64> {
        read!(self, |c, _ctx| async {
            Ok(c.scalar::<i64>(
                "SELECT (SELECT COALESCE(MAX(id), 0) FROM queue_changes) \
                 + (SELECT COALESCE(MAX(id), 0) FROM position_history)",
                &[],
            )
            .await?)
        })
    }

    /// A parent's applications with their places, invitations and referrals ("My children").
    pub async fn my_children(
        &self,
        actor: &Actor,
    ) -> EngineResult<Vec<crate::domain::queue::MyChild>> {
        let Actor::Parent(parent) = actor else {
            return Err(AppError::Forbidden.into());
        };
        read!(self, |c, ctx| parents::my_children(c, ctx, parent))
    }

    /// A referral with where it sends the child and the child's name, for its page (its
    /// parent and the head of its kindergarten only).
    pub async fn referral_page(
        &self,
        actor: &Actor,
        code: &str,
    ) -> EngineResult<(ReferralView, crate::domain::queue::ReferralPlace, String)> {
        read!(self, |c, _ctx| async {
            let r = referral_for(c, actor, Action::SeeReferral, code).await?;
            let place = parents::place(c, r.kindergarten_id).await?;
            let name: String = c
                .scalar(
                    "SELECT child_name FROM applications WHERE id = $1",
                    &[r.app.id.into()],
                )
                .await?;
            Ok((r.view(), place, name))
        })
    }

    /// A referral by its code (heads verify what the parent brings; parents see theirs).
    pub async fn referral(&self, actor: &Actor, code: &str) -> EngineResult<ReferralView> {
        read!(self, |c, _ctx| async {
            Ok(referral_for(c, actor, Action::SeeReferral, code)
                .await?
                .view())
        })
    }

    /// Benchmark baseline: one guarded seat decrement, committed on its own (autocommit),
    /// nothing else. Returns whether a seat was taken.
    pub async fn one_statement_claim(
        &self,
        kindergarten_id: i64,
        cohort: i32,
    ) -> EngineResult<bool> {
        read_tx!(self.db, |c| seats::take(c, kindergarten_id, cohort))
    }
}
