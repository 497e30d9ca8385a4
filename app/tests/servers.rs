//! Several servers on one PostgreSQL: two engines (two pools, as two servers would have) run
//! the jobs against the same due invitations and referrals, and see each other's changes of
//! the rules and the calendar.

mod common;

use app::engine::{Actor, DayKind, Engine};
use app::store::Db;
use common::city::*;
use std::sync::Arc;
use std::time::Duration;

/// A second server on the same database, with the same clock.
async fn second_server(w: &World) -> Arc<Engine> {
    let db = Db::open(w.store.url()).await.expect("second pool");
    Arc::new(
        Engine::start(&db, w.clock.clone())
            .await
            .expect("second engine"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_lapse_and_expire_each_thing_once() {
    let Some((store, _guard)) = common::postgres().await else {
        return;
    };
    let w = world(store, 4).await;
    let b = second_server(&w).await;
    let mut numbers = Vec::new();
    for n in 1..=40 {
        numbers.push(w.apply(C2023, n, "general").await);
    }
    for k in 1..=4 {
        w.engine
            .post_seats(&Actor::Admin, k, C2023, 5)
            .await
            .unwrap();
    }
    // 20 invited; the first 10 claim (their referrals), the other 10 let the days pass.
    let invited = w.invited().await;
    assert_eq!(invited.len(), 20);
    for no in &invited[..10] {
        let n = numbers.iter().position(|x| x == no).unwrap() as u16 + 1;
        let k = (n as i64 % 4) + 1;
        w.engine.claim(&parent(n), no, k).await.unwrap();
    }
    // Past every deadline: 3 working days for invitations, 5 for referrals.
    w.clock.advance(10 * DAY);
    let (mut lapsed, mut expired) = (0, 0);
    for _ in 0..3 {
        let (ra, rb) = tokio::join!(w.engine.tick(), b.tick());
        for r in [ra.unwrap(), rb.unwrap()] {
            lapsed += r.lapsed_invitations;
            expired += r.expired_referrals;
        }
    }
    assert_eq!((lapsed, expired), (10, 10), "each once, between the two");
    let count = |sql: String| {
        let w = &w;
        async move { w.int(&sql).await }
    };
    for (kind, template) in [
        ("invitation.lapsed", "invitation_lapsed"),
        ("referral.expired", "referral_expired"),
    ] {
        assert_eq!(
            count(format!("SELECT COUNT(*) FROM events WHERE kind = '{kind}'")).await,
            10,
            "{kind}: one event each"
        );
        assert_eq!(
            count(format!(
                "SELECT COUNT(*) FROM outbox WHERE template = '{template}'"
            ))
            .await,
            10,
            "{template}: one notification each"
        );
    }
    // The seats came back once each: capacity = free + active + enrolled everywhere.
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM seats s WHERE s.free + (SELECT COUNT(*) FROM referrals r \
             WHERE r.kindergarten_id = s.kindergarten_id AND r.cohort = s.cohort \
             AND r.state IN ('active', 'enrolled')) <> 5 AND s.cohort = 2023 AND s.kindergarten_id <= 4"
                .into()
        )
        .await,
        0
    );
    assert!(w.engine.verify_chain().await.unwrap().is_ok());
}

/// Waits up to 5 s for `check` to hold.
async fn eventually(what: &str, check: impl Fn() -> bool) {
    for _ in 0..100 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what}: not seen by the other server within 5 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_and_holidays_changed_on_one_server_reach_the_other() {
    let Some((store, _guard)) = common::postgres().await else {
        return;
    };
    let w = world(store, 1).await;
    let b = second_server(&w).await;
    let mut rules = b.rules();
    assert_eq!(rules.invitation_days, 3);
    rules.invitation_days = 1;
    rules.general_share = 2;
    w.engine
        .set_rules(&Actor::Admin, DEPT, rules.clone())
        .await
        .unwrap();
    eventually("the rules", || b.rules() == rules).await;

    let day = time::macros::date!(2026 - 12 - 29);
    assert!(b.is_working_day(day));
    w.engine
        .set_day(
            &Actor::Admin,
            DEPT,
            day,
            DayKind::Off("Extra day off".into()),
        )
        .await
        .unwrap();
    eventually("the new holiday", || !b.is_working_day(day)).await;
    w.engine
        .set_day(&Actor::Admin, DEPT, day, DayKind::Ordinary)
        .await
        .unwrap();
    eventually("the removed holiday", || b.is_working_day(day)).await;
}
