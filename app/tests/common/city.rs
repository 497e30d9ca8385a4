//! A small hand-made city for engine tests: kindergartens with known seats, children with
//! valid IINs, a clock that moves only when told.

use super::Raw;
use app::domain::queue::ApplicationForm;
use app::domain::{Cohort, Iin, KindergartenKind, Sex};
use app::engine::{Acting, Actor, Engine, ManualClock, SeededEntropy};
use app::store::{City, Db, NewKindergarten};
use std::sync::Arc;
use time::macros::{date, datetime};
use time::{Date, Duration};

/// Monday 23 November 2026, 09:00 in Almaty.
pub const MONDAY_9AM: i64 = datetime!(2026-11-23 09:00 +5).unix_timestamp() * 1000;
pub const HOUR: i64 = 3_600_000;
pub const DAY: i64 = 24 * HOUR;

/// The cohorts of the test city's age groups.
pub const C2023: i32 = 2023;
pub const C2022: i32 = 2022;

pub struct World {
    pub store: Db,
    pub raw: Raw,
    pub engine: Arc<Engine>,
    pub clock: Arc<ManualClock>,
}

/// `n` kindergartens in the queue (ids 1..=n) with groups for 2022 and 2023 (capacity 20,
/// none free), plus one private kindergarten (id 99) outside the queue.
pub fn city(n: i64) -> City {
    let mut kindergartens: Vec<NewKindergarten> = (1..=n)
        .map(|id| kindergarten(id, true, KindergartenKind::General))
        .collect();
    kindergartens.push(kindergarten(99, false, KindergartenKind::Private));
    City {
        kindergartens,
        applications: vec![],
    }
}

fn kindergarten(id: i64, in_queue: bool, kind: KindergartenKind) -> NewKindergarten {
    NewKindergarten {
        in_queue,
        kind,
        ..NewKindergarten::numbered(id, vec![(Cohort(C2022), 20, 0), (Cohort(C2023), 20, 0)])
    }
}

pub async fn world(store: Db, kindergartens: i64) -> World {
    world_of(store, city(kindergartens)).await
}

/// The same over a city of the test's own.
pub async fn world_of(store: Db, city: City) -> World {
    store
        .load_city(&city, &|_, _| {})
        .await
        .expect("load test city");
    let clock = ManualClock::new(MONDAY_9AM);
    // Public numbers from a seeded sequence: every run of a test numbers alike.
    let engine = Engine::start_with(&store, clock.clone(), SeededEntropy::new(7))
        .await
        .expect("start engine");
    World {
        raw: Raw::connect(&store).await,
        store,
        engine: Arc::new(engine),
        clock,
    }
}

/// A valid IIN for someone born on `birth`, distinct per `n` below 190 (callers vary the
/// birth date beyond that).
pub fn iin(birth: Date, n: u16) -> Iin {
    (0..50)
        .find_map(|k| Iin::compose(birth, Sex::Female, (n % 190) * 50 + k))
        .expect("some serial gives a valid IIN")
}

/// The `n`-th child of cohort `cohort` (born in spring, old enough to be invited in Nov 2026).
pub fn child(cohort: i32, n: u16) -> Iin {
    let birth = Date::from_calendar_date(cohort, time::Month::March, 1).unwrap()
        + Duration::days(i64::from(n % 200));
    iin(birth, n)
}

pub fn parent(n: u16) -> Actor {
    Actor::Parent(iin(
        date!(1990 - 06 - 15) + Duration::days(i64::from(n / 190)),
        n,
    ))
}

pub fn form(child: Iin, priority: &str) -> ApplicationForm {
    ApplicationForm {
        child_iin: child.digits(),
        child_name: "Айару Серікқызы".into(),
        birth_date: child.birth_date().to_string(),
        priority: priority.into(),
        priority_doc: if priority == "general" {
            String::new()
        } else {
            "certificate 2026/114".into()
        },
        phone1: "+7 701 123 45 67".into(),
        phone2: "+7 777 765 43 21".into(),
        email: "ana@mail.kz".into(),
        district: "almaly".into(),
        language: "kk".into(),
        sibling_of: None,
    }
}

impl World {
    /// Parent `n` applies for child `n` of `cohort`; one millisecond passes.
    pub async fn apply(&self, cohort: i32, n: u16, priority: &str) -> String {
        self.clock.advance(1);
        self.engine
            .apply(&parent(n), &form(child(cohort, n), priority))
            .await
            .expect("apply")
    }

    /// One integer from SQL that is the same on both databases (after the event intake is
    /// linked into the chain).
    pub async fn int(&self, sql: &str) -> i64 {
        self.engine.flush_events().await.expect("flush events");
        self.raw.int(sql).await
    }

    /// Runs a statement, returning whether the database accepted it.
    pub async fn exec(&self, sql: &str) -> Result<u64, sqlx::Error> {
        self.raw.exec(sql).await
    }

    /// Strings from SQL (one column).
    pub async fn strings(&self, sql: &str) -> Vec<String> {
        self.engine.flush_events().await.expect("flush events");
        self.raw.strings(sql).await
    }

    pub async fn status(&self, public_no: &str) -> String {
        self.strings(&format!(
            "SELECT status FROM applications WHERE public_no = '{public_no}'"
        ))
        .await
        .remove(0)
    }

    pub async fn free(&self, kindergarten: i64, cohort: i32) -> i64 {
        self.int(&format!(
            "SELECT free FROM seats WHERE kindergarten_id = {kindergarten} AND cohort = {cohort}"
        ))
        .await
    }

    /// The public log replays without a finding, and its chain holds.
    pub async fn replays_clean(&self) {
        self.engine.flush_events().await.unwrap();
        assert!(self.engine.verify_chain().await.unwrap().is_ok());
        let n = self.int("SELECT COUNT(*) FROM events").await;
        let mut replay = app::opendata::replay::Replay::default();
        for seq in 1..=n {
            let get = |col: &str| format!("SELECT {col} FROM events WHERE seq = {seq}");
            let e = app::engine::chain::StoredEvent {
                seq,
                at: self.int(&get("at")).await,
                kind: self.strings(&get("kind")).await.remove(0),
                body: self.strings(&get("body")).await.remove(0),
                prev_hash: String::new(),
                hash: String::new(),
            };
            replay.apply(&e);
        }
        assert_eq!(replay.findings, vec![], "the log replays");
    }

    /// The public numbers with an open invitation, in the order they were invited.
    pub async fn invited(&self) -> Vec<String> {
        self.strings(
            "SELECT a.public_no FROM invitations i JOIN applications a ON a.id = i.application_id \
             WHERE i.state = 'open' ORDER BY i.id",
        )
        .await
    }
}

/// The typed refusal of an engine call that must be refused.
pub fn refusal<T: std::fmt::Debug>(r: Result<T, app::engine::EngineError>) -> app::error::AppError {
    match r {
        Err(e) => e
            .refusal()
            .unwrap_or_else(|| panic!("expected a typed refusal, got {e:?}")),
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

/// The heads of kindergartens 1 and 2.
pub const HEAD1: Actor = Actor::Head { kindergarten_id: 1 };
pub const HEAD2: Actor = Actor::Head { kindergarten_id: 2 };

/// The department acting on its page: a pseudonym and a reason.
pub const DEPT: Acting<'static> = Acting {
    by: "admin #1",
    reason: "order No. 12 of the department",
};
