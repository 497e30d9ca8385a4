//! A claim storm on both databases: 200 concurrent claimers for 50 seats spread over 10
//! kindergartens, repeated with random seeds. Afterwards no seat is below zero, every seat is
//! free or held or taken, no child holds two referrals, and every claim was answered with a
//! referral or a typed conflict.

mod common;

use app::demo::Rng;
use app::domain::Cohort;
use app::engine::{Actor, Engine, ManualClock};
use app::error::{AppError, Conflict};
use app::store::{City, Db, NewKindergarten};
use common::city::{child, form, parent, C2023, MONDAY_9AM};
use common::on_both;
use std::sync::Arc;

const KINDERGARTENS: i64 = 10;
const SEATS: i64 = 50;
const CHILDREN: u16 = 200;
const CLAIMERS: usize = 200;

async fn storm(store: Db, seed: u64) {
    let mut rng = Rng::new(seed);
    // 50 seats spread at random over 10 kindergartens; capacity equals the seats posted.
    let mut seats = vec![0i64; KINDERGARTENS as usize];
    for _ in 0..SEATS {
        seats[rng.below(KINDERGARTENS as u64) as usize] += 1;
    }
    let city = City {
        kindergartens: (1..=KINDERGARTENS)
            .map(|id| {
                NewKindergarten::numbered(id, vec![(Cohort(C2023), seats[id as usize - 1], 0)])
            })
            .collect(),
        applications: vec![],
    };
    store.load_city(&city, &|_, _| {}).await.unwrap();
    let clock = ManualClock::new(MONDAY_9AM);
    let engine = Arc::new(Engine::start(&store, clock.clone()).await.unwrap());
    let mut numbers = vec![];
    for n in 0..CHILDREN {
        clock.advance(1);
        let priority = if rng.chance(0.15) {
            "primary"
        } else {
            "general"
        };
        numbers.push(
            engine
                .apply(&parent(n), &form(child(C2023, n), priority))
                .await
                .unwrap(),
        );
    }
    for id in 1..=KINDERGARTENS {
        engine
            .post_seats(&Actor::Admin, id, C2023, seats[id as usize - 1])
            .await
            .unwrap();
    }
    let w = common::city::World {
        raw: common::Raw::connect(&store).await,
        store: store.clone(),
        engine: engine.clone(),
        clock: clock.clone(),
    };
    let invited = w.invited().await;
    assert_eq!(invited.len() as i64, SEATS);

    // 150 claimers share the 50 invited children (three per child, racing each other); 50
    // claim for children who were not invited. Each tries the kindergartens in its own random
    // order until one has a seat.
    let mut tasks = vec![];
    for i in 0..CLAIMERS {
        let public_no = if i < 150 {
            invited[i % invited.len()].clone()
        } else {
            numbers[rng.below(u64::from(CHILDREN)) as usize].clone()
        };
        let n = numbers.iter().position(|x| *x == public_no).unwrap() as u16;
        let mut order: Vec<i64> = (1..=KINDERGARTENS).collect();
        rng.shuffle(&mut order);
        let engine = engine.clone();
        tasks.push(tokio::spawn(async move {
            let mut last = None;
            for k in order {
                match engine.claim(&parent(n), &public_no, k).await {
                    Ok(r) => return Ok(r),
                    Err(e) => match e.refusal() {
                        Some(AppError::Conflict(Conflict::SeatGone)) => last = Some(e),
                        _ => return Err(e),
                    },
                }
            }
            Err(last.unwrap())
        }));
    }
    let mut issued = 0;
    for t in tasks {
        match t.await.expect("claimer panicked") {
            Ok(refs) => issued += refs.len() as i64,
            Err(e) => match e.refusal() {
                Some(AppError::Conflict(
                    Conflict::AlreadyReferred | Conflict::NotInvited | Conflict::SeatGone,
                )) => {}
                other => panic!("seed {seed}: claim answered with {other:?} ({e:?})"),
            },
        }
    }
    check(&w, seed).await;
    // Every invited child got exactly one seat, and every seat went.
    assert_eq!(issued, SEATS, "seed {seed}");
    assert_eq!(w.int("SELECT COUNT(*) FROM referrals").await, SEATS);
    assert_eq!(
        w.int("SELECT CAST(SUM(free) AS BIGINT) FROM seats").await,
        0
    );
    // Heads enrol some, parents decline others: the books still balance.
    let codes = w.strings("SELECT code FROM referrals ORDER BY code").await;
    for code in codes.iter().take(10) {
        let k = w
            .int(&format!(
                "SELECT kindergarten_id FROM referrals WHERE code = '{code}'"
            ))
            .await;
        engine
            .enrol(&Actor::Head { kindergarten_id: k }, code)
            .await
            .unwrap();
    }
    for code in codes.iter().skip(10).take(5) {
        let no = w
            .strings(&format!(
                "SELECT a.public_no FROM referrals r JOIN applications a ON a.id = r.application_id \
                 WHERE r.code = '{code}'"
            ))
            .await
            .remove(0);
        let n = numbers.iter().position(|x| *x == no).unwrap() as u16;
        engine.decline(&parent(n), code).await.unwrap();
    }
    check(&w, seed).await;
    assert_eq!(
        w.int("SELECT COUNT(*) FROM referrals WHERE state = 'declined'")
            .await,
        5
    );
    assert!(engine.verify_chain().await.unwrap().is_ok());
}

async fn check(w: &common::city::World, seed: u64) {
    assert_eq!(
        w.int("SELECT COUNT(*) FROM seats WHERE free < 0").await,
        0,
        "seed {seed}: a seat below zero"
    );
    assert_eq!(
        w.int(
            "SELECT COUNT(*) FROM seats s WHERE s.capacity <> s.free + \
             (SELECT COUNT(*) FROM referrals r WHERE r.kindergarten_id = s.kindergarten_id \
              AND r.cohort = s.cohort AND r.state IN ('active', 'enrolled'))"
        )
        .await,
        0,
        "seed {seed}: capacity = free + active + enrolled broken"
    );
    assert_eq!(
        w.int(
            "SELECT COUNT(*) FROM (SELECT child_iin FROM referrals WHERE state = 'active' \
             GROUP BY child_iin HAVING COUNT(*) > 1) d"
        )
        .await,
        0,
        "seed {seed}: a child with two active referrals"
    );
    // The open flag the one-open-application index reads agrees with every status.
    assert_eq!(
        w.int(
            "SELECT COUNT(*) FROM applications WHERE \
             (closed = 1) <> (status IN ('enrolled', 'withdrawn'))"
        )
        .await,
        0,
        "seed {seed}: an application's closed flag disagrees with its status"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_claimers_fifty_seats_on_both_databases() {
    let random = std::env::var("KEZEK_STORM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    for seed in [1, 2, random] {
        eprintln!("claim storm with seed {seed} (KEZEK_STORM_SEED={seed} repeats it)");
        on_both(|store| storm(store, seed)).await;
    }
}
