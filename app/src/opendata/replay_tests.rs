//! The replay's tests, on logs made by hand: what the rules allow, and what they forbid named.

use super::*;
use crate::engine::chain::{event_hash, GENESIS};
use serde_json::json;

fn log(events: &[(&str, Value)]) -> Vec<StoredEvent> {
    let mut prev = GENESIS.to_string();
    events
        .iter()
        .enumerate()
        .map(|(i, (kind, body))| {
            let seq = i as i64 + 1;
            let at = 1_795_000_000_000 + seq;
            let body = body.to_string();
            let hash = event_hash(&prev, seq, at, kind, &body);
            StoredEvent {
                seq,
                at,
                kind: kind.to_string(),
                body,
                prev_hash: std::mem::replace(&mut prev, hash.clone()),
                hash,
            }
        })
        .collect()
}

fn applied(no: &str, id: i64, priority: &str, born: &str) -> (&'static str, Value) {
    (
        "application.created",
        json!({"public_no": no, "id": id, "cohort": 2023, "priority": priority,
               "applied_at": id * 1000, "born": born, "sibling_group": false}),
    )
}

/// An invitation by its own turn of 2023's seats, the cohort's turn after it `after`.
fn invited(no: &str, after: u64) -> (&'static str, Value) {
    (
        "invitation.issued",
        json!({"public_no": no, "cohort": 2023, "filling": 2023, "turn": after}),
    )
}

fn replay(events: &[(&str, Value)]) -> Replay {
    let mut r = Replay::default();
    for e in log(events) {
        r.apply(&e);
    }
    r
}

#[test]
fn the_first_in_order_is_legitimate_a_later_one_is_named() {
    let r = replay(&[
        applied("A", 1, "general", "2023-03"),
        applied("B", 2, "general", "2023-04"),
        // Turn 0 is the privileged list's (1:3); with nobody there it passes on.
        invited("A", 2),
        (
            "referral.issued",
            json!({"code": "R1", "public_no": "A", "kindergarten_id": 1}),
        ),
    ]);
    assert_eq!(r.findings, []);
    let r = replay(&[
        applied("A", 1, "general", "2023-03"),
        applied("B", 2, "general", "2023-04"),
        invited("B", 2),
    ]);
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].seq, 3);
    assert!(
        r.findings[0].what.contains("while A was ahead"),
        "{:?}",
        r.findings
    );
}

#[test]
fn the_too_young_the_stop_listed_and_other_lists_may_be_passed() {
    let r = replay(&[
        // Born in the autumn of 2025: too young (24 months) in November 2026.
        applied("Y", 1, "general", "2025-09"),
        applied("S", 2, "general", "2023-03"),
        ("invitation.issued", json!({"public_no": "S", "turn": 0})),
        (
            "invitation.lapsed",
            json!({"public_no": "S", "stop_until": 9_999_999_999_999i64}),
        ),
        applied("P", 3, "primary", "2023-03"),
        applied("G", 4, "general", "2023-05"),
        ("invitation.issued", json!({"public_no": "G", "turn": 0})),
    ]);
    assert_eq!(r.findings, [], "{:?}", r.findings);
    assert_eq!(r.children["S"].status, AppStatus::Waiting);
}

#[test]
fn each_turn_goes_to_the_list_the_ratio_gives_it() {
    // 1:3 from turn 0: the privileged child first, then three general ones.
    let fair = [
        applied("G1", 1, "general", "2023-03"),
        applied("G2", 2, "general", "2023-03"),
        applied("P1", 3, "primary", "2023-03"),
        invited("P1", 1),
        invited("G1", 2),
    ];
    assert_eq!(replay(&fair).findings, []);
    assert_eq!(replay(&fair).turns[&2023], 2);
    // A general child given turn 0 while a privileged child could be invited: named.
    let r = replay(&[
        applied("G1", 1, "general", "2023-03"),
        applied("P1", 3, "primary", "2023-03"),
        invited("G1", 2),
    ]);
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    assert!(r.findings[0]
        .what
        .contains("the ratio gave to the other list"));
    // Unless the privileged child might be too young (born in the cutoff's month).
    let cutoff = Rules::default().age_cutoff(almaty_date(1_795_000_000_000));
    let born = format!("{}-{:02}", cutoff.year(), u8::from(cutoff.month()));
    let r = replay(&[
        applied("G1", 1, "general", "2023-03"),
        (
            "application.created",
            json!({"public_no": "P1", "id": 3, "cohort": 2023,
            "priority": "primary", "applied_at": 3000, "born": born}),
        ),
        invited("G1", 2),
    ]);
    assert_eq!(r.findings, []);
}

#[test]
fn a_referral_needs_an_invitation_or_a_staff_order() {
    let r = replay(&[
        applied("A", 1, "general", "2023-03"),
        (
            "referral.issued",
            json!({"code": "R1", "public_no": "A", "kindergarten_id": 1}),
        ),
    ]);
    assert_eq!(r.findings.len(), 1);
    assert!(r.findings[0].what.contains("held no invitation"));
    let r = replay(&[
        applied("A", 1, "general", "2023-03"),
        applied("B", 2, "general", "2023-03"),
        (
            "referral.staff_order",
            json!({"code": "R1", "public_no": "B", "kindergarten_id": 1, "staff_order": "No 5"}),
        ),
    ]);
    assert_eq!(r.findings, []);
    assert_eq!(r.counts.staff_orders, 1);
}

#[test]
fn positions_interleave_the_lists_from_the_turn() {
    let r = replay(&[
        applied("G1", 1, "general", "2023-03"),
        applied("G2", 2, "general", "2023-03"),
        applied("P1", 3, "primary", "2023-03"),
    ]);
    let p = r.positions();
    // Turn 0 of 1:3 is the privileged list's.
    assert_eq!((p["P1"], p["G1"], p["G2"]), (1, 2, 3));
}

#[test]
fn a_dropped_privilege_joins_the_general_list_at_its_date() {
    // P applied first with a privilege, G after it; the re-check drops P's privilege.
    let dropped = (
        "privilege.dropped",
        json!({"public_no": "P", "cohort": 2023, "was": "primary", "due": "2026-06-30"}),
    );
    let r = replay(&[
        applied("P", 1, "primary", "2023-03"),
        applied("G", 2, "general", "2023-04"),
        dropped.clone(),
        // A general turn: P, now first of the general list, is the one to invite.
        ("invitation.issued", json!({"public_no": "P", "turn": 0})),
    ]);
    assert_eq!(r.findings, [], "{:?}", r.findings);
    assert_eq!(r.children["P"].key.priority, PriorityClass::General);
    let r = replay(&[
        applied("P", 1, "primary", "2023-03"),
        applied("G", 2, "general", "2023-04"),
        dropped,
        ("invitation.issued", json!({"public_no": "G", "turn": 0})),
    ]);
    assert!(
        r.findings
            .iter()
            .any(|f| f.what.contains("while P was ahead")),
        "{:?}",
        r.findings
    );
    // Only a privilege can be dropped.
    let r = replay(&[
        applied("G", 2, "general", "2023-04"),
        ("privilege.dropped", json!({"public_no": "G"})),
    ]);
    assert!(
        r.findings
            .iter()
            .any(|f| f.what.contains("no privilege to drop")),
        "{:?}",
        r.findings
    );
}
