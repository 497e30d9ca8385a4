//! The allocation engine: applications, queue order, seat postings, rolling invitations,
//! claims, the referral lifecycle, the hash-chained event log and position history.
//!
//! The engine lives here and only here; server functions and the command line call it.
//!
//! * `rules` holds the pure rules (interleave, working days, siblings), property-tested.
//! * `ops` holds every database step, written once against the small [`sql::Sql`] interface
//!   that every connection implements. Each operation runs inside a transaction it is given,
//!   so it does all of its work or none of it.
//! * On SQLite, writes go through one writer thread that commits many operations per
//!   transaction (group commit, `writer`), each inside its own savepoint; nobody hears "done"
//!   before the commit reached the disk. On PostgreSQL, each operation is its own transaction
//!   with guarded updates and row locks, retried on a deadlock or serialization failure.
//! * Time comes from an injected [`Clock`].

pub mod chain;
mod ops;
mod raw;

pub use ops::POSITION_QUERIES;
pub mod rules;
pub mod sql;
mod writer;

use crate::domain::queue::{
    ApplicationForm, ClaimableSeat, ContactsForm, InvitationView, PositionView, ReferralView,
};
use crate::domain::Iin;
use crate::error::{AppError, Conflict};
use crate::store::{DynStore, Pools, StoreError};
use chain::{ChainError, StoredEvent, GENESIS};
use rules::{Calendar, Rules};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use time::Date;

/// Where the engine gets the time from.
pub trait Clock: Send + Sync + 'static {
    /// Unix milliseconds.
    fn now_ms(&self) -> i64;
}

/// The real time.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
    }
}

/// A clock that moves only when told (tests, and replaying a day).
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(ms: i64) -> Arc<ManualClock> {
        Arc::new(ManualClock(AtomicI64::new(ms)))
    }
    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Who asks. The engine checks every permission itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A parent, identified by the IIN in their signature certificate.
    Parent(Iin),
    /// The head of one kindergarten.
    Head { kindergarten_id: i64 },
    /// The city's education department.
    Admin,
    /// Background jobs.
    System,
}

/// Why the engine did not do something.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A refusal the person can act on (bad input, seat gone, not allowed...).
    #[error("refused: {0}")]
    Refused(AppError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<AppError> for EngineError {
    fn from(e: AppError) -> Self {
        EngineError::Refused(e)
    }
}

impl From<Conflict> for EngineError {
    fn from(c: Conflict) -> Self {
        EngineError::Refused(AppError::Conflict(c))
    }
}

impl From<sqlx::Error> for EngineError {
    fn from(e: sqlx::Error) -> Self {
        EngineError::Store(StoreError::from(e))
    }
}

impl EngineError {
    /// The refusal, when it is one.
    pub fn refusal(&self) -> Option<AppError> {
        match self {
            EngineError::Refused(e) => Some(*e),
            EngineError::Store(_) => None,
        }
    }

    /// A PostgreSQL deadlock or serialization failure: the transaction may simply be retried.
    fn is_retryable(&self) -> bool {
        match self {
            EngineError::Store(StoreError::Other(sqlx::Error::Database(db))) => {
                matches!(db.code().as_deref(), Some("40001") | Some("40P01"))
            }
            _ => false,
        }
    }
}

pub type EngineResult<T> = Result<T, EngineError>;

/// What one operation knows besides its arguments: the time and the rules in force.
#[derive(Clone)]
pub struct Ctx {
    pub now: i64,
    pub rules: Arc<Rules>,
    pub calendar: Arc<Calendar>,
}

impl Ctx {
    pub fn today(&self) -> Date {
        rules::almaty_date(self.now)
    }
}

/// What one run of the background jobs did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    pub lapsed_invitations: u32,
    pub expired_referrals: u32,
    pub invited: u32,
}

enum Backend {
    Sqlite {
        writer: writer::Writer,
        pool: sqlx::SqlitePool,
    },
    Postgres(sqlx::PgPool),
}

/// The allocation engine of one city.
pub struct Engine {
    backend: Backend,
    /// PostgreSQL: the task that links the intake's events into the chain.
    chainer: Option<tokio::task::JoinHandle<()>>,
    clock: Arc<dyn Clock>,
    rules: RwLock<Arc<Rules>>,
    calendar: RwLock<Arc<Calendar>>,
}

/// Runs one writing operation in a transaction: on SQLite through the group-commit writer, on
/// PostgreSQL in its own transaction (retried on deadlock). `$body` may use `$c` (the
/// connection, `&mut dyn Sql`) and `$ctx` (`&Ctx`).
macro_rules! write_tx {
    ($engine:expr, |$c:ident, $ctx:ident| $body:expr) => {{
        let ctx = $engine.ctx();
        match &$engine.backend {
            Backend::Sqlite { writer, .. } => {
                writer
                    .run(move |$c: &mut dyn sql::Sql| {
                        Box::pin(async move {
                            let $ctx = &ctx;
                            $body.await
                        })
                    })
                    .await
            }
            Backend::Postgres(pool) => {
                let mut attempt = 0;
                loop {
                    attempt += 1;
                    let mut tx = pool.begin().await.map_err(EngineError::from)?;
                    let result = {
                        let $c: &mut dyn sql::Sql = &mut *tx;
                        let $ctx = &ctx;
                        $body.await
                    };
                    match result {
                        Ok(v) => {
                            tx.commit().await.map_err(EngineError::from)?;
                            break Ok(v);
                        }
                        Err(e) if e.is_retryable() && attempt < 8 => continue,
                        Err(e) => break Err(e),
                    }
                }
            }
        }
    }};
}

/// Runs one reading operation on a pooled connection.
macro_rules! read {
    ($engine:expr, |$c:ident, $ctx:ident| $body:expr) => {{
        let ctx = $engine.ctx();
        let $ctx = &ctx;
        match &$engine.backend {
            Backend::Sqlite { pool, .. } => {
                let mut conn = pool.acquire().await.map_err(EngineError::from)?;
                let $c: &mut dyn sql::Sql = &mut *conn;
                $body.await
            }
            Backend::Postgres(pool) => {
                let mut conn = pool.acquire().await.map_err(EngineError::from)?;
                let $c: &mut dyn sql::Sql = &mut *conn;
                $body.await
            }
        }
    }};
}

impl Drop for Engine {
    fn drop(&mut self) {
        if let Some(task) = self.chainer.take() {
            task.abort();
        }
    }
}

/// PostgreSQL's chainer: links the intake's events into the chain, a thousand at a time, about
/// ten times a second.
async fn chain_forever(pool: sqlx::PgPool) {
    let mut every = tokio::time::interval(std::time::Duration::from_millis(100));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        loop {
            let linked = async {
                let mut tx = pool.begin().await?;
                let n = ops::chain_pending(&mut *tx, 1_000).await?;
                tx.commit().await?;
                Ok::<u64, EngineError>(n)
            }
            .await;
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
    /// Starts the engine over an opened store: reads the rules and the holiday calendar
    /// (filling in the built-in holidays the first time) and, on SQLite, starts the writer.
    pub async fn start(store: &DynStore, clock: Arc<dyn Clock>) -> EngineResult<Engine> {
        let backend = match store.pools() {
            Pools::Sqlite(pool) => Backend::Sqlite {
                writer: writer::Writer::start(pool.connect_options().get_filename())?,
                pool,
            },
            Pools::Postgres(pool) => Backend::Postgres(pool),
        };
        let chainer = match &backend {
            Backend::Postgres(pool) => Some(tokio::spawn(chain_forever(pool.clone()))),
            Backend::Sqlite { .. } => None,
        };
        let engine = Engine {
            backend,
            chainer,
            clock,
            rules: RwLock::new(Arc::new(Rules::default())),
            calendar: RwLock::new(Arc::new(Calendar::default())),
        };
        let (rules, holidays) = write_tx!(engine, |c, _ctx| ops::load_settings(c))?;
        *engine.rules.write().expect("rules lock") = Arc::new(rules);
        *engine.calendar.write().expect("calendar lock") = Arc::new(Calendar::new(holidays));
        Ok(engine)
    }

    /// The time and rules for one operation.
    pub fn ctx(&self) -> Ctx {
        Ctx {
            now: self.clock.now_ms(),
            rules: self.rules.read().expect("rules lock").clone(),
            calendar: self.calendar.read().expect("calendar lock").clone(),
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite { .. } => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// The rules in force.
    pub fn rules(&self) -> Rules {
        (**self.rules.read().expect("rules lock")).clone()
    }

    /// Changes the rules' parameters (the education department only).
    pub async fn set_rules(&self, actor: &Actor, rules: Rules) -> EngineResult<()> {
        if !matches!(actor, Actor::Admin | Actor::System) {
            return Err(AppError::Forbidden.into());
        }
        if !rules.is_valid() {
            return Err(AppError::Validation(crate::error::Invalid::Rules).into());
        }
        let r = rules.clone();
        write_tx!(self, |c, ctx| ops::save_rules(c, ctx, &r))?;
        *self.rules.write().expect("rules lock") = Arc::new(rules);
        Ok(())
    }

    /// The department adds a non-working day (or renames one), or removes one with `name`
    /// `None`. Deadlines issued from now on follow the new calendar.
    pub async fn set_holiday(
        &self,
        actor: &Actor,
        day: Date,
        name: Option<&str>,
    ) -> EngineResult<()> {
        if !matches!(actor, Actor::Admin | Actor::System) {
            return Err(AppError::Forbidden.into());
        }
        let name = name.map(str::trim).map(str::to_string);
        if name
            .as_deref()
            .is_some_and(|n| n.is_empty() || n.chars().count() > 200)
        {
            return Err(AppError::Validation(crate::error::Invalid::Name).into());
        }
        let days = write_tx!(self, |c, ctx| ops::set_holiday(
            c,
            ctx,
            day,
            name.as_deref()
        ))?;
        *self.calendar.write().expect("calendar lock") = Arc::new(Calendar::new(days));
        Ok(())
    }

    /// A parent applies for a child. Returns the public number.
    pub async fn apply(&self, actor: &Actor, form: &ApplicationForm) -> EngineResult<String> {
        let Actor::Parent(parent) = actor else {
            return Err(AppError::Forbidden.into());
        };
        let valid = ops_common::validate_application(*parent, form, self.ctx().today())?;
        write_tx!(self, |c, ctx| ops::create_application(c, ctx, &valid))
    }

    /// A parent changes the phones and e-mail of an open application.
    pub async fn update_contacts(
        &self,
        actor: &Actor,
        public_no: &str,
        form: &ContactsForm,
    ) -> EngineResult<()> {
        let contacts = ops_common::validate_contacts(form)?;
        let (actor, no) = (actor.clone(), public_no.to_string());
        write_tx!(self, |c, ctx| ops::update_contacts(
            c, ctx, &actor, &no, &contacts
        ))
    }

    /// A parent withdraws an application (a held referral is declined first).
    pub async fn withdraw(&self, actor: &Actor, public_no: &str) -> EngineResult<()> {
        let (actor, no) = (actor.clone(), public_no.to_string());
        write_tx!(self, |c, ctx| ops::withdraw(c, ctx, &actor, &no))
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
        let actor = actor.clone();
        write_tx!(self, |c, ctx| ops::post_seats(
            c,
            ctx,
            &actor,
            kindergarten_id,
            cohort,
            free
        ))
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
        write_tx!(self, |c, ctx| ops::claim(
            c,
            ctx,
            &actor,
            &no,
            kindergarten_id
        ))
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
        write_tx!(self, |c, ctx| ops::extend(
            c, ctx, &actor, &code, until, &reason
        ))
    }

    /// The head confirms enrolment: the child leaves the queue.
    pub async fn enrol(&self, actor: &Actor, code: &str) -> EngineResult<ReferralView> {
        let (actor, code) = (actor.clone(), code.to_string());
        write_tx!(self, |c, ctx| ops::enrol(c, ctx, &actor, &code))
    }

    /// The parent declines a referral: the seat returns, the child keeps its place.
    pub async fn decline(&self, actor: &Actor, code: &str) -> EngineResult<()> {
        let (actor, code) = (actor.clone(), code.to_string());
        write_tx!(self, |c, ctx| ops::decline(c, ctx, &actor, &code))
    }

    /// A head's order admits a staff member's child: a flagged referral, outside queue order.
    pub async fn admit_staff_child(
        &self,
        actor: &Actor,
        kindergarten_id: i64,
        public_no: &str,
        order: &str,
    ) -> EngineResult<ReferralView> {
        let (actor, no, order) = (actor.clone(), public_no.to_string(), order.to_string());
        write_tx!(self, |c, ctx| ops::admit_staff_child(
            c,
            ctx,
            &actor,
            kindergarten_id,
            &no,
            &order
        ))
    }

    /// The background job: lapses invitations and expires referrals whose time has passed
    /// (their seats go to the next children), then fills every cohort's free seats.
    pub async fn tick(&self) -> EngineResult<TickReport> {
        write_tx!(self, |c, ctx| ops::tick(c, ctx))
    }

    /// Records every position that changed since the last run, with its reasons. Returns how
    /// many changes were recorded.
    pub async fn record_positions(&self) -> EngineResult<u64> {
        write_tx!(self, |c, ctx| ops::record_positions(c, ctx))
    }

    /// Where an application stands (public: by its number).
    pub async fn position(&self, public_no: &str) -> EngineResult<PositionView> {
        read!(self, |c, ctx| ops::position_view(c, ctx, public_no))
    }

    /// The open invitation of a parent's application, if any.
    pub async fn invitation(
        &self,
        actor: &Actor,
        public_no: &str,
    ) -> EngineResult<Option<InvitationView>> {
        read!(self, |c, _ctx| ops::invitation_view(c, actor, public_no))
    }

    /// Where an application's child may claim a seat now (its cohort's free seats).
    pub async fn claimable(&self, public_no: &str) -> EngineResult<Vec<ClaimableSeat>> {
        read!(self, |c, _ctx| ops::claimable(c, public_no))
    }

    /// A referral by its code (heads verify what the parent brings; parents see theirs).
    pub async fn referral(&self, actor: &Actor, code: &str) -> EngineResult<ReferralView> {
        read!(self, |c, _ctx| ops::referral_view(c, actor, code))
    }

    /// Links every event waiting in the intake into the chain now (PostgreSQL; SQLite chains
    /// each event as it is written). Returns how many were linked.
    pub async fn flush_events(&self) -> EngineResult<u64> {
        let mut total = 0;
        loop {
            let n = write_tx!(self, |c, _ctx| ops::chain_pending(c, 1_000))?;
            total += n;
            if n == 0 {
                return Ok(total);
            }
        }
    }

    /// Recomputes the whole event chain. Returns the number of events and the head hash, or
    /// the first bad row.
    pub async fn verify_chain(&self) -> EngineResult<Result<(i64, String), ChainError>> {
        self.flush_events().await?;
        let mut last = (0i64, GENESIS.to_string());
        loop {
            let after = last.0;
            let batch: Vec<StoredEvent> =
                read!(self, |c, _ctx| ops::events_after(c, after, 5_000))?;
            if batch.is_empty() {
                break;
            }
            match chain::verify(last.clone(), &batch) {
                Ok(l) => last = l,
                Err(e) => return Ok(Err(e)),
            }
        }
        let (head_seq, head_hash): (i64, String) = read!(self, |c, _ctx| ops::chain_head(c))?;
        if head_seq != last.0 || head_hash != last.1 {
            return Ok(Err(ChainError::Head {
                head_seq,
                last_seq: last.0,
            }));
        }
        Ok(Ok(last))
    }

    /// Opens a session for `actor` lasting `ttl_hours`; returns the token for the cookie. Only
    /// the token's hash is stored.
    pub async fn create_session(&self, actor: &Actor, ttl_hours: i64) -> EngineResult<String> {
        let token = new_token().map_err(|e| {
            tracing::error!(error = %e, "no randomness for a session token");
            EngineError::Refused(AppError::Unavailable)
        })?;
        let hash = chain::sha256_hex(token.as_bytes());
        let actor = actor.clone();
        let ttl = ttl_hours.clamp(1, 24 * 90) * 3_600_000;
        write_tx!(self, |c, ctx| ops::create_session(
            c, ctx, &actor, &hash, ttl
        ))?;
        Ok(token)
    }

    /// Who holds `token`, if it names a live session.
    pub async fn session_actor(&self, token: &str) -> EngineResult<Option<Actor>> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let hash = chain::sha256_hex(token.as_bytes());
        read!(self, |c, ctx| ops::session_actor(c, ctx, &hash))
    }

    /// Benchmark baseline on PostgreSQL: one guarded seat decrement per transaction, nothing
    /// else. Returns whether a seat was taken.
    pub async fn one_statement_claim(
        &self,
        kindergarten_id: i64,
        cohort: i32,
    ) -> EngineResult<bool> {
        read!(self, |c, _ctx| ops::take_seat(c, kindergarten_id, cohort))
    }
}

/// 32 random bytes from the kernel, as hex.
fn new_token() -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Validation shared by both databases' operations (pure: no database).
mod ops_common {
    use super::EngineError;
    use crate::domain::queue::{ApplicationForm, ContactsForm};
    use crate::domain::{Cohort, District, GroupLanguage, Iin, Phone, PriorityClass};
    use crate::error::{AppError, Invalid};
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
        let birth_date = crate::domain::parse_iso_date(form.birth_date.trim())
            .ok_or(invalid(Invalid::BirthDate))?;
        if birth_date != child_iin.birth_date() || birth_date > today {
            return Err(invalid(Invalid::BirthDate));
        }
        if birth_date <= super::rules::months_before(today, 72) {
            return Err(invalid(Invalid::ChildTooOld));
        }
        let priority =
            PriorityClass::from_code(form.priority.trim()).ok_or(invalid(Invalid::Request))?;
        let district =
            District::from_code(form.district.trim()).ok_or(invalid(Invalid::Request))?;
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
}

pub use ops_common::email_ok;
