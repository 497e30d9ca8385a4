//! The education department's yearly steps, on a fresh SQLite file and a fresh PostgreSQL
//! database: the re-check of privileges (30 June) and the age groups moving up in August.

mod common;

use app::domain::{Cohort, District, KindergartenKind, LanguageSet};
use app::engine::registry::{Entry, Problem};
use app::engine::{Acting, Actor};
use app::error::{AppError, Conflict, Invalid};
use app::i18n::Locale;
use app::store::{City, NewKindergarten};
use common::city::*;
use common::on_both;
use time::macros::{date, datetime};
use time::OffsetDateTime;

fn at(t: OffsetDateTime) -> i64 {
    t.unix_timestamp() * 1000
}

#[tokio::test]
async fn privileges_not_confirmed_by_30_june_return_to_the_general_list_at_their_date() {
    on_both(|store| async move {
        let w = &world(store, 1).await;
        // Kezek starts in May 2025: the re-check of 30 June 2024 is behind it, not done.
        w.clock.set(at(datetime!(2025-05-05 10:00 +5)));
        assert_eq!(w.engine.tick().await.unwrap().privileges_dropped, 0);
        let g1 = w.apply(C2023, 1, "general").await;
        let a = w.apply(C2023, 2, "primary").await;
        let b = w.apply(C2023, 3, "extraordinary").await;
        let g2 = w.apply(C2023, 4, "general").await;
        w.engine.record_positions().await.unwrap();
        // 1 July 2025: both documents were given after 30 June 2024; nothing is dropped.
        w.clock.set(at(datetime!(2025-07-01 09:00 +5)));
        assert_eq!(w.engine.tick().await.unwrap().privileges_dropped, 0);
        // What the next re-check drops unless confirmed: both, oldest application first.
        let due = w.engine.privileges_due(&Actor::Admin, 10).await.unwrap();
        assert_eq!((due.due, due.total), (date!(2026 - 06 - 30), 2));
        let listed: Vec<&str> = due.first.iter().map(|p| p.public_no.as_str()).collect();
        assert_eq!(listed, [a.as_str(), b.as_str()]);
        assert!(due.first.iter().all(|p| !p.never));

        // June 2026: the department sees b's new document and confirms it.
        w.clock.set(at(datetime!(2026-06-10 11:00 +5)));
        let confirm = |acting: Acting<'static>, actor: Actor, no: String| {
            let engine = w.engine.clone();
            async move { engine.confirm_privilege(&actor, acting, &no).await }
        };
        assert_eq!(
            refusal(confirm(DEPT, HEAD1, b.clone()).await),
            AppError::Forbidden
        );
        let no_reason = Acting {
            by: "admin #1",
            reason: "",
        };
        assert_eq!(
            refusal(confirm(no_reason, Actor::Admin, b.clone()).await),
            AppError::Validation(Invalid::Reason)
        );
        assert_eq!(
            refusal(confirm(DEPT, Actor::Admin, g1.clone()).await),
            AppError::Validation(Invalid::Request)
        );
        assert_eq!(
            refusal(confirm(DEPT, Actor::Admin, "ALM-2026-ZZZZ-ZZZZ".into()).await),
            AppError::NotFound
        );
        confirm(DEPT, Actor::Admin, b.clone()).await.unwrap();
        // A privilege applied for this June counts for this year's re-check.
        let c = w.apply(C2023, 5, "primary").await;
        let due = w.engine.privileges_due(&Actor::Admin, 10).await.unwrap();
        assert_eq!(due.total, 1);
        assert_eq!(due.first[0].public_no, a);

        // 30 June, late: not yet.
        w.clock.set(at(datetime!(2026-06-30 23:30 +5)));
        assert_eq!(w.engine.tick().await.unwrap().privileges_dropped, 0);
        // 1 July: a's privilege is dropped; b (confirmed) and c (applied this year) keep theirs.
        w.clock.set(at(datetime!(2026-07-01 00:30 +5)));
        assert_eq!(w.engine.tick().await.unwrap().privileges_dropped, 1);
        assert_eq!(w.engine.tick().await.unwrap().privileges_dropped, 0);
        let class = |no: &str| {
            let sql = format!(
                "SELECT CAST(priority AS BIGINT) FROM applications WHERE public_no = '{no}'"
            );
            async move { w.int(&sql).await }
        };
        assert_eq!(
            (class(&a).await, class(&b).await, class(&c).await),
            (2, 0, 1)
        );
        // Its date is the original one: it stands between g1 and g2 in the general list.
        w.engine.record_positions().await.unwrap();
        let place = |no: String| {
            let engine = w.engine.clone();
            async move { engine.position(&no).await.unwrap() }
        };
        let (pa, pg1, pg2) = (
            place(a.clone()).await,
            place(g1.clone()).await,
            place(g2.clone()).await,
        );
        // Ratio 1:3 from turn 0: b, then g1, a, g2, then c.
        assert_eq!(
            (pg1.position, pa.position, pg2.position),
            (Some(2), Some(3), Some(4))
        );
        // The reason is in its position history, and in g2's (one child moved ahead of it).
        let own = &pa.history[0].reasons;
        assert_eq!(own[0].change, "privilege_dropped");
        assert_eq!(own[0].n, 0);
        assert!(
            app::i18n::reason(Locale::Ru, &own[0].change, own[0].privileged, own[0].n)
                .starts_with("Льгота не подтверждена в срок")
        );
        let theirs = &pg2.history[0].reasons;
        assert!(theirs
            .iter()
            .any(|r| r.change == "privilege_dropped" && r.n == 1 && !r.privileged));
        // The parent is told; the public log says what happened, naming no IIN.
        assert_eq!(
            w.strings(&format!(
                "SELECT o.template FROM outbox o JOIN applications a ON a.id = o.application_id \
                 WHERE a.public_no = '{a}' ORDER BY o.id DESC"
            ))
            .await[0],
            "privilege_dropped"
        );
        let dropped = w
            .strings("SELECT body FROM events WHERE kind = 'privilege.dropped'")
            .await;
        assert_eq!(dropped.len(), 1);
        assert!(dropped[0].contains(&a) && dropped[0].contains("\"due\":\"2026-06-30\""));
        let confirmed = w
            .strings("SELECT body FROM events WHERE kind = 'privilege.confirmed'")
            .await;
        assert_eq!(confirmed.len(), 1);
        assert!(confirmed[0].contains("\"by\":\"admin #1\""));
        assert!(confirmed[0].contains("order No. 12"));
        let iins = w
            .strings("SELECT child_iin FROM applications UNION SELECT parent_iin FROM applications")
            .await;
        let bodies = w.strings("SELECT body FROM events").await;
        assert!(iins
            .iter()
            .all(|iin| bodies.iter().all(|b| !b.contains(iin))));
        // Next year's list counts from 1 July 2026: b and c are to confirm again by then.
        let due = w.engine.privileges_due(&Actor::Admin, 10).await.unwrap();
        assert_eq!((due.due, due.total), (date!(2027 - 06 - 30), 2));
        // A closed application cannot be confirmed.
        w.engine.withdraw(&parent(3), &b).await.unwrap();
        assert_eq!(
            refusal(confirm(DEPT, Actor::Admin, b.clone()).await),
            AppError::Conflict(Conflict::NotOpen)
        );
        w.replays_clean().await;
    })
    .await;
}

/// A full kindergarten (1): groups for 2021 (pre-school in 2026/27) to 2025 (nursery); a
/// kindergarten (2) with two groups only.
fn two_kindergartens() -> City {
    let groups = |list: &[(i32, i64, i64)]| {
        list.iter()
            .map(|(c, capacity, free)| (Cohort(*c), *capacity, *free))
            .collect()
    };
    City {
        kindergartens: vec![
            NewKindergarten::numbered(
                1,
                groups(&[
                    (2021, 30, 0),
                    (2022, 25, 2),
                    (2023, 25, 0),
                    (2024, 20, 0),
                    (2025, 15, 0),
                ]),
            ),
            NewKindergarten {
                kind: KindergartenKind::General,
                ..NewKindergarten::numbered(2, groups(&[(2022, 20, 0), (2023, 20, 0)]))
            },
        ],
        applications: vec![],
    }
}

#[tokio::test]
async fn age_groups_move_up_in_august_and_the_leaving_seats_are_freed_for_september() {
    on_both(|store| async move {
        let w = &world_of(store, two_kindergartens()).await;
        let seats = |k: i64| {
            let sql = format!(
                "SELECT cohort || ':' || capacity || '/' || free FROM seats \
                 WHERE kindergarten_id = {k} ORDER BY cohort"
            );
            async move { w.strings(&sql).await }
        };
        // Kezek runs from November 2026: this August's move is behind it.
        assert_eq!(w.engine.tick().await.unwrap().groups_moved, 0);
        let leaver = w.apply(2021, 1, "general").await;
        // July 2027: the pre-school child takes a seat of its group (the referral runs into
        // August).
        w.clock.set(at(datetime!(2027-07-28 10:00 +5)));
        w.engine.post_seats(&HEAD1, 1, 2021, 1).await.unwrap();
        w.engine.claim(&parent(1), &leaver, 1).await.unwrap();
        // 1 August: the groups move up. Kindergarten 1's pre-school group leaves; its 30 seats
        // become the new nursery group's (born 2026), held until September. The other groups
        // keep their capacity and free seats. Kindergarten 2 has no group leaving.
        w.clock.set(at(datetime!(2027-08-01 07:00 +5)));
        let report = w.engine.tick().await.unwrap();
        assert_eq!((report.groups_moved, report.groups_freed), (1, 0));
        assert_eq!(
            seats(1).await,
            [
                "2021:0/0",
                "2022:25/2",
                "2023:25/0",
                "2024:20/0",
                "2025:15/0",
                "2026:30/0"
            ]
        );
        assert_eq!(seats(2).await, ["2022:20/0", "2023:20/0"]);
        // The head's tablet still shows the leaving group while its referral is pending.
        let cohorts = || async {
            let desk = w.engine.head_desk(&HEAD1, 1).await.unwrap();
            desk.groups.iter().map(|g| g.cohort).collect::<Vec<_>>()
        };
        assert_eq!(cohorts().await, [2021, 2022, 2023, 2024, 2025, 2026]);
        // The leaver's referral lapses in the pause: its seat is gone with its group.
        w.clock.set(at(datetime!(2027-08-12 10:00 +5)));
        let report = w.engine.tick().await.unwrap();
        assert_eq!((report.expired_referrals, report.groups_moved), (1, 0));
        assert_eq!(seats(1).await[0], "2021:0/0");
        assert_eq!(cohorts().await, [2022, 2023, 2024, 2025, 2026]);
        assert_eq!(w.engine.tick().await.unwrap().groups_freed, 0);
        // 1 September: the moved seats are posted, publicly, once.
        w.clock.set(at(datetime!(2027-09-01 06:00 +5)));
        assert_eq!(w.engine.tick().await.unwrap().groups_freed, 1);
        assert_eq!(w.engine.tick().await.unwrap().groups_freed, 0);
        assert_eq!(seats(1).await[5], "2026:30/30");
        assert_eq!(
            w.strings(
                "SELECT cohort || ':' || free_before || '>' || free_after FROM seat_postings \
                 WHERE kindergarten_id = 1 ORDER BY id DESC"
            )
            .await[0],
            "2026:0>30"
        );
        let moved = w
            .strings("SELECT body FROM events WHERE kind = 'groups.moved_up'")
            .await;
        assert_eq!(moved.len(), 1);
        assert!(moved[0].contains("\"school_year\":2027") && moved[0].contains("\"seats\":30"));
        // August 2028: 2022 leaves both. Kindergarten 1's seats go to its nursery group (born
        // 2027); kindergarten 2's to the group after its youngest (born 2024).
        w.clock.set(at(datetime!(2028-08-03 12:00 +5)));
        assert_eq!(w.engine.tick().await.unwrap().groups_moved, 2);
        assert_eq!(seats(1).await[1], "2022:0/0");
        assert_eq!(seats(1).await.last().unwrap(), "2027:25/0");
        assert_eq!(seats(2).await, ["2022:0/0", "2023:20/0", "2024:20/0"]);
        w.replays_clean().await;
    })
    .await;
}

fn entry(number: i32) -> Entry {
    Entry {
        number,
        name_kk: "№ 501 «Айгөлек» балабақшасы".into(),
        name_ru: "Детский сад № 501 «Айголек»".into(),
        district: District::Medeu,
        address_kk: "Медеу ауданы, Достық даңғылы, 180".into(),
        address_ru: "Медеуский район, проспект Достык, 180".into(),
        lat: 43.225,
        lon: 76.957,
        languages: LanguageSet::from_bits(1),
        kind: KindergartenKind::General,
        in_queue: true,
        capacities: [0, 20, 25, 25, 30],
    }
}

#[tokio::test]
async fn the_registry_creates_and_edits_kindergartens_with_their_history() {
    on_both(|store| async move {
        let w = &world(store, 1).await;
        let save = |id: Option<i64>, e: Entry, acting: Acting<'static>| {
            let engine = w.engine.clone();
            async move {
                engine
                    .save_kindergarten(&Actor::Admin, acting, id, &e)
                    .await
                    .unwrap()
            }
        };
        // Only the department.
        assert_eq!(
            refusal(w.engine.save_kindergarten(&HEAD1, DEPT, None, &entry(501)).await),
            AppError::Forbidden
        );
        // Everything wrong at once is said at once, and nothing is saved.
        let mut bad = entry(1);
        bad.name_ru = " ".into();
        bad.lat = 51.13; // Astana
        bad.languages = LanguageSet::from_bits(0);
        bad.kind = KindergartenKind::Specialized;
        bad.capacities[0] = -1;
        let no_reason = Acting {
            by: "admin #1",
            reason: "",
        };
        assert_eq!(
            save(None, bad, no_reason).await,
            Err(vec![
                Problem::Name,
                Problem::Point,
                Problem::Languages,
                Problem::QueueKind,
                Problem::Capacity,
                Problem::Reason,
                Problem::NumberTaken,
            ])
        );
        let count = || w.int("SELECT COUNT(*) FROM kindergartens");
        assert_eq!(count().await, 2);
        // A new kindergarten: its groups of this school year (2026/27: nursery born 2025).
        let id = save(None, entry(501), DEPT).await.unwrap();
        let (same, shown) = w.engine.kindergarten_entry(&Actor::Admin, 501).await.unwrap().unwrap();
        assert_eq!((same, &shown), (id, &entry(501)));
        assert_eq!(
            w.strings(&format!(
                "SELECT cohort || ':' || capacity FROM seats WHERE kindergarten_id = {id} ORDER BY cohort"
            ))
            .await,
            ["2021:30", "2022:25", "2023:25", "2024:20"]
        );
        // It is in the directory's search at once.
        let found = w
            .store
            .directory(&app::domain::DirectoryFilter::parse("айгөлек", "", "", "", "").unwrap())
            .await
            .unwrap();
        assert_eq!(found.total, 1);
        // Seats posted, a child invited and referred: its group cannot shrink below the
        // referral, and a smaller group keeps at most the seats it has room for.
        w.engine.post_seats(&Actor::Admin, id, 2023, 5).await.unwrap();
        let a = w.apply(2023, 1, "general").await;
        w.engine.claim(&parent(1), &a, id).await.unwrap();
        assert_eq!(w.free(id, 2023).await, 4);
        let mut smaller = entry(501);
        smaller.capacities[2] = 0;
        assert_eq!(
            save(Some(id), smaller.clone(), DEPT).await,
            Err(vec![Problem::BelowPending(app::domain::AgeGroup::Middle)])
        );
        smaller.capacities[2] = 3;
        smaller.in_queue = false;
        smaller.address_ru = "Медеуский район, проспект Достык, 182".into();
        assert_eq!(save(Some(id), smaller.clone(), DEPT).await, Ok(id));
        assert_eq!(w.free(id, 2023).await, 2);
        // The same again changes nothing and writes nothing.
        let events = || w.int("SELECT COUNT(*) FROM events");
        let before = events().await;
        assert_eq!(save(Some(id), smaller, DEPT).await, Ok(id));
        assert_eq!(events().await, before);
        // The history: what changed, before and after, by whom and why; newest first.
        let history = w.engine.kindergarten_history(id).await.unwrap();
        let kinds: Vec<&str> = history.iter().map(|h| h.1.as_str()).collect();
        assert_eq!(kinds, ["kindergarten.changed", "kindergarten.created"]);
        let changes = &history[0].2["changes"];
        assert_eq!(changes["in_queue"], serde_json::json!([true, false]));
        assert_eq!(changes["capacity_2023"], serde_json::json!([25, 3]));
        assert_eq!(
            changes["address_ru"][1],
            "Медеуский район, проспект Достык, 182"
        );
        assert!(changes.get("name_kk").is_none());
        assert_eq!(history[0].2["by"], "admin #1");
        assert_eq!(history[0].2["reason"], "order No. 12 of the department");
        // The shrunk free seats are a public posting of the registry.
        assert_eq!(
            w.strings("SELECT body FROM events WHERE kind = 'seats.posted' ORDER BY seq DESC")
                .await[0],
            format!(
                r#"{{"by":"registry","cohort":2023,"free_after":2,"free_before":4,"kindergarten_id":{id}}}"#
            )
        );
        // Out of the queue: its seats are no one's to claim.
        let b = w.apply(2023, 2, "general").await;
        w.engine.tick().await.unwrap();
        assert!(w.invited().await.iter().all(|no| *no != b));
        w.replays_clean().await;
    })
    .await;
}
