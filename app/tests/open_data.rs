//! The open data, on a fresh SQLite file and a fresh PostgreSQL database: a day of activity is
//! exported, and the export checked from its files alone replays to the site's own positions;
//! an edited row of the log, or a log rewritten after a checkpoint was kept, is named.

mod common;

use app::engine::{Actor, Clock};
use app::opendata::checkpoints::Checkpoint;
use app::opendata::export::OpenData;
use app::opendata::verify::{check, Files, Report};
use app::opendata::{StoredEvent, FILES};
use common::city::*;
use common::on_both;
use std::path::Path;

fn files(dir: &Path) -> Files {
    FILES
        .iter()
        .chain(&["SHA256SUMS"])
        .map(|f| (f.to_string(), std::fs::read(dir.join(f)).unwrap()))
        .collect()
}

fn found(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .map(|f| format!("{}: {}", f.seq, f.what))
        .collect()
}

/// The export's events, edited by `edit`, written back with its checksums made to agree (as a
/// forger would), so that only the chain and the checkpoints can tell.
fn forge(files: &mut Files, edit: impl FnOnce(&mut Vec<StoredEvent>)) {
    let mut events: Vec<StoredEvent> = serde_json::from_slice(&files["events.json"]).unwrap();
    edit(&mut events);
    files.insert("events.json".into(), serde_json::to_vec(&events).unwrap());
    files.insert(
        "events.csv".into(),
        app::opendata::csv::write(&events).into_bytes(),
    );
    let sums: String = FILES
        .iter()
        .map(|f| format!("{}  {f}\n", app::engine::chain::sha256_hex(&files[*f])))
        .collect();
    files.insert("SHA256SUMS".into(), sums.into_bytes());
}

#[tokio::test]
async fn a_day_replayed_from_the_export_matches_the_site() {
    on_both(|store| async move {
        let w = world(store, 3).await;
        let data = tempfile::tempdir().unwrap();
        let open = OpenData::configured(data.path()).unwrap();
        // The morning: eleven applications in two cohorts, two of them privileged, and twins.
        let mut nos = vec![];
        for n in 1..=6 {
            nos.push(
                w.apply(C2023, n, if n == 4 { "primary" } else { "general" })
                    .await,
            );
        }
        for n in 7..=10 {
            nos.push(
                w.apply(C2022, n, if n == 9 { "extraordinary" } else { "general" })
                    .await,
            );
        }
        let mut twin = form(child(C2023, 11), "general");
        twin.sibling_of = Some(nos[0].clone());
        w.clock.advance(1);
        let first_twin = nos[0].clone();
        nos.push(w.engine.apply(&parent(1), &twin).await.unwrap());
        // A checkpoint is kept by someone watching.
        let kept: Checkpoint = open.checkpoint(&w.store, w.clock.now_ms()).await.unwrap();
        // Noon: seats are posted; the invited claim, one declines, one lets it lapse.
        w.clock.advance(3 * HOUR);
        w.engine.post_seats(&HEAD1, 1, C2023, 3).await.unwrap();
        w.engine.post_seats(&HEAD2, 2, C2022, 2).await.unwrap();
        let invited = w.invited().await;
        assert!(invited.len() >= 4, "{invited:?}");
        let parent_of = |no: &str| parent(nos.iter().position(|x| x == no).unwrap() as u16 + 1);
        let parent_of = |no: &str| {
            if no == nos[10] {
                parent(1)
            } else {
                parent_of(no)
            }
        };
        let mut codes = vec![];
        for no in invited.iter().skip(1) {
            let kg = if nos[6..10].contains(no) { 2 } else { 1 };
            if let Ok(mut r) = w.engine.claim(&parent_of(no), no, kg).await {
                codes.push((no.clone(), kg, r.remove(0).code));
            }
        }
        assert!(codes.len() >= 2, "{codes:?}");
        w.engine
            .decline(&parent_of(&codes[0].0), &codes[0].2)
            .await
            .unwrap();
        let head = Actor::Head {
            kindergarten_id: codes[1].1,
        };
        w.engine.enrol(&head, &codes[1].2).await.unwrap();
        // A staff member's child is admitted by order, outside queue order.
        w.engine.post_seats(&HEAD2, 2, C2023, 1).await.unwrap();
        let staff = w.apply(C2023, 12, "general").await;
        w.engine
            .admit_staff_child(&HEAD2, (2, &staff), ("Order 7", "the cook's daughter"))
            .await
            .unwrap();
        // One withdraws; the evening passes a week: the unused invitation lapses.
        w.engine.withdraw(&parent(6), &nos[5]).await.ok();
        w.clock.advance(8 * DAY);
        w.engine.tick().await.unwrap();
        w.engine
            .post_seats(&Actor::Head { kindergarten_id: 3 }, 3, C2023, 2)
            .await
            .unwrap();
        assert_eq!(first_twin, nos[0]);
        let kinds = w.strings("SELECT DISTINCT kind FROM events").await;
        for kind in [
            "application.created",
            "invitation.issued",
            "invitation.lapsed",
            "referral.issued",
            "referral.declined",
            "referral.enrolled",
            "referral.expired",
            "referral.staff_order",
            "application.withdrawn",
            "seats.posted",
        ] {
            assert!(
                kinds.iter().any(|k| k == kind),
                "the day had no {kind}: {kinds:?}"
            );
        }

        let m = open
            .export(&w.store, "now", w.clock.now_ms())
            .await
            .unwrap();
        let dir = data.path().join("open-data/now");
        let mut f = files(&dir);
        let r = check(&f, std::slice::from_ref(&kept));
        assert_eq!(found(&r), Vec::<String>::new());
        assert_eq!(r.head.0, m.seq);
        assert!(
            r.counts.invitations >= 5 && r.counts.staff_orders == 1,
            "{:?}",
            r.counts
        );
        assert!(r.counts.referrals >= 3, "{:?}", r.counts);
        // The replayed positions are the site's, child by child.
        let queue: Vec<app::opendata::QueueRow> = serde_json::from_slice(&f["queue.json"]).unwrap();
        let mut waiting = 0;
        for no in nos.iter().chain([&staff]) {
            let site = w.engine.position(no).await.unwrap();
            let row = queue.iter().find(|q| &q.application == no);
            assert_eq!(
                row.map(|q| q.position).unwrap_or(None),
                site.position,
                "{no}"
            );
            waiting += usize::from(site.position.is_some());
        }
        assert!(waiting >= 3, "some children still wait: {waiting}");
        assert_eq!(r.positions, waiting);
        // No IIN, no name anywhere in the export; the twins' pseudonyms differ, a child's holds.
        let all: String = f
            .values()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect();
        for n in 1..=12u16 {
            let cohort = if (7..=10).contains(&n) { C2022 } else { C2023 };
            assert!(!all.contains(&child(cohort, n).digits()), "child {n}'s IIN");
        }
        assert!(!all.contains("Айару"));
        let again = open
            .export(&w.store, "2026-12-01", w.clock.now_ms())
            .await
            .unwrap();
        let queue2: Vec<app::opendata::QueueRow> = serde_json::from_slice(
            &std::fs::read(data.path().join("open-data/2026-12-01/queue.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(queue2, queue, "the same child keeps its pseudonym");
        assert_eq!(again.seq, m.seq);
        assert_eq!(open.exports().len(), 2);

        // One row of the exported log edited: the verifier names it.
        let n = m.seq - 3;
        let mut edited = f.clone();
        let csv = String::from_utf8(edited["events.json"].clone()).unwrap();
        let mut events: Vec<StoredEvent> = serde_json::from_str(&csv).unwrap();
        let i = events.iter().position(|e| e.seq == n).unwrap();
        events[i].at += 60_000;
        edited.insert("events.json".into(), serde_json::to_vec(&events).unwrap());
        let r = check(&edited, &[]);
        let said = found(&r);
        assert!(
            said.iter()
                .any(|s| s.starts_with(&format!("{n}: the hash chain breaks"))),
            "{said:?}"
        );
        assert!(
            said.iter()
                .any(|s| s.contains("events.json does not match its SHA-256")),
            "{said:?}"
        );
        assert!(
            said.iter().any(|s| s.starts_with(&format!(
                "{n}: events.csv differs from events.json at event {n} (at)"
            ))),
            "{said:?}"
        );

        // A forger with the database rewrites an early invitation to another child and
        // recomputes every hash and checksum: the chain holds, the replay and the kept
        // checkpoint do not.
        forge(&mut f, |events| {
            let first = events
                .iter()
                .position(|e| e.kind == "application.created")
                .unwrap();
            let body = events[first].body.clone();
            events[first].body =
                body.replace("\"priority\":\"general\"", "\"priority\":\"primary\"");
            let mut prev = app::engine::chain::GENESIS.to_string();
            for e in events.iter_mut() {
                e.prev_hash = prev.clone();
                e.hash = app::engine::chain::event_hash(&prev, e.seq, e.at, &e.kind, &e.body);
                prev = e.hash.clone();
            }
        });
        let said = found(&check(&f, std::slice::from_ref(&kept)));
        assert!(
            !said.iter().any(|s| s.contains("hash chain breaks")),
            "{said:?}"
        );
        assert!(
            said.iter()
                .any(|s| s.contains("kept checkpoint at event") && s.contains("rewritten")),
            "{said:?}"
        );
        assert!(
            said.iter()
                .any(|s| s.contains("queue: ") && s.contains("on the site")),
            "{said:?}"
        );
        assert!(
            said.iter().any(|s| s.contains("published checkpoint")),
            "{said:?}"
        );
    })
    .await;
}
