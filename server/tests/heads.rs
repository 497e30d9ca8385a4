//! Only their own kindergarten: every head action over HTTP, asked by the public, the child's
//! parent, another parent, the head of another kindergarten and the kindergarten's own head.
//! Every refusal comes first and is checked to have changed nothing; the own head's request,
//! the same one, then goes through (so a refusal is never a malformed request's).

mod common;

use app::domain::{Iin, Sex};
use app::engine::Actor;
use common::*;
use time::macros::date;

/// A request of the matrix: the endpoint, its arguments, and the answers to the first four of
/// [`WHO`] (0 for a success); the own head's is a success.
type Row = (&'static str, Vec<(&'static str, String)>, [u16; 4]);

/// Who asks, in the order of each row's answers.
const WHO: [&str; 5] = ["public", "parent", "other parent", "other head", "own head"];

#[test]
fn a_head_reads_and_changes_nothing_of_another_kindergarten() {
    one_runtime(async {
        let s = start().await;
        let c = client();
        // Two kindergartens of the queue with a group born in 2022: "own" and "other".
        let cohort = 2022;
        let mut both = s
            .city
            .kindergartens
            .iter()
            .filter(|k| k.in_queue && k.seats.iter().any(|g| g.0 .0 == cohort && g.1 >= 4));
        let (own, other) = (both.next().unwrap().id, both.next().unwrap().id);
        let own_head = Actor::Head {
            kindergarten_id: own,
        };
        // A child of "parent" holds a referral to "own" (a staff order on a posted seat); a
        // second child waits, for the staff order of the matrix.
        let parent = Iin::compose(date!(1990 - 01 - 02), Sex::Female, 21).unwrap();
        let apply = |n: u16| {
            let child = Iin::compose(date!(2022 - 03 - 04), Sex::Male, n).unwrap();
            let engine = s.engine.clone();
            async move {
                engine
                    .apply(
                        &Actor::Parent(parent),
                        &engine_form(&child, "general", "medeu"),
                    )
                    .await
                    .unwrap()
            }
        };
        let (first, second) = (apply(301).await, apply(302).await);
        s.engine
            .post_seats(&Actor::Admin, own, cohort, 3)
            .await
            .unwrap();
        let r = s
            .engine
            .admit_staff_child(&own_head, (own, &first), ("Order 1", "a nurse's son"))
            .await
            .unwrap();
        let code = r.code.clone();

        let sessions = [
            None,
            Some(s.session(&Actor::Parent(parent), 8).await),
            Some(
                s.session(
                    &Actor::Parent(Iin::compose(date!(1991 - 05 - 06), Sex::Male, 22).unwrap()),
                    8,
                )
                .await,
            ),
            Some(
                s.session(
                    &Actor::Head {
                        kindergarten_id: other,
                    },
                    8,
                )
                .await,
            ),
            Some(s.session(&own_head, 8).await),
        ];
        // The referral's signed token, as its QR code carries it (the parent's page).
        let (status, body) = post(
            &c,
            &format!("{}/api/queue/referral-page", s.base),
            sessions[1].as_deref(),
            &[("code", code.clone())],
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let token = serde_json::from_str::<serde_json::Value>(&body).unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string();

        let until = "2026-12-04".to_string();
        // (endpoint, arguments, the answers of WHO but the own head's, which is a success).
        let rows: Vec<Row> = vec![
            ("head/desk", vec![], [401, 403, 403, 0]),
            (
                "head/seats",
                vec![
                    ("kindergarten_id", own.to_string()),
                    ("cohort", cohort.to_string()),
                    ("free", "1".into()),
                    ("seen", "2".into()),
                    ("key", "matrix-1".into()),
                ],
                [401, 403, 403, 403],
            ),
            (
                "head/check",
                vec![("code", code.clone())],
                [401, 0, 404, 404],
            ),
            (
                "head/check",
                vec![("code", token.clone())],
                [401, 0, 404, 404],
            ),
            (
                "queue/referral",
                vec![("code", code.clone())],
                [401, 0, 404, 404],
            ),
            (
                "queue/referral-page",
                vec![("code", code.clone())],
                [401, 0, 404, 404],
            ),
            (
                "head/extend",
                vec![
                    ("code", code.clone()),
                    ("until", until.clone()),
                    ("reason", "ill".into()),
                ],
                [401, 403, 403, 403],
            ),
            (
                "head/enrol",
                vec![("code", code.clone())],
                [401, 403, 403, 403],
            ),
            (
                "head/staff-child",
                vec![
                    ("kindergarten_id", own.to_string()),
                    ("public_no", second.clone()),
                    ("order", "Order 2".into()),
                    ("reason", "a cook's daughter".into()),
                ],
                [401, 403, 403, 403],
            ),
        ];
        let state = || async {
            let desk = s.engine.head_desk(&own_head, own).await.unwrap();
            let referral = s.engine.referral(&own_head, &code).await.unwrap();
            let seats: Vec<_> = desk.groups.iter().map(|g| (g.cohort, g.free)).collect();
            s.engine.flush_events().await.unwrap();
            (seats, referral, desk.history.len(), desk.referrals.len())
        };
        let before = state().await;
        for (endpoint, args, answers) in &rows {
            let url = format!("{}/api/{endpoint}", s.base);
            for (who, want) in WHO.iter().zip(answers) {
                let session = sessions[WHO.iter().position(|w| w == who).unwrap()].as_deref();
                let (status, body) = post(&c, &url, session, args).await;
                if *want == 0 {
                    assert_eq!(status, 200, "{endpoint} by {who}: {body}");
                } else {
                    assert_eq!(status, *want, "{endpoint} by {who}: {body}");
                    // No refusal names the child.
                    assert!(!body.contains("Айару"), "{endpoint} by {who}: {body}");
                }
                if *who == "other head" {
                    // Its desk is its own: nothing of this kindergarten's.
                    assert!(!body.contains(&code), "{endpoint} by {who}: {body}");
                }
            }
        }
        assert_eq!(state().await, before, "every refusal changed nothing");
        // A token altered by one letter of its payload is not Kezek's, even for the own head.
        let mut forged = token.clone().into_bytes();
        let at = token.find('.').unwrap() + 3;
        forged[at] = if forged[at] == b'A' { b'B' } else { b'A' };
        let forged = String::from_utf8(forged).unwrap();
        let (status, body) = post(
            &c,
            &format!("{}/api/head/check", s.base),
            sessions[4].as_deref(),
            &[("code", forged)],
        )
        .await;
        assert_eq!((status, body.as_str()), (400, r#"{"Validation":"Token"}"#));

        // The own head's same requests go through.
        for (endpoint, args, _) in &rows {
            let url = format!("{}/api/{endpoint}", s.base);
            let (status, body) = post(&c, &url, sessions[4].as_deref(), args).await;
            assert!(
                status == 200 || status == 302,
                "{endpoint} by the own head: {status} {body}"
            );
            if endpoint.ends_with("check") {
                assert!(
                    body.contains("Айару"),
                    "the head sees the child's name: {body}"
                );
            }
        }
        let referral = s.engine.referral(&own_head, &code).await.unwrap();
        assert_eq!(referral.state, "enrolled");
        let second = s.engine.position(&second).await.unwrap();
        assert_eq!(second.status, app::domain::queue::AppStatus::Referred);
    })
}
