//! The heads' side of the engine, on a fresh SQLite file and a fresh PostgreSQL database:
//! seat postings from tablets (optimistic concurrency, retries), the August pause, staff
//! orders, and every head action sent twice (a retry after a lost answer) counting once.

mod common;

use app::engine::Actor;
use app::error::{AppError, Conflict, Invalid};
use common::city::*;
use common::on_both;
use time::macros::{date, datetime};

#[tokio::test]
async fn two_tablets_never_overwrite_each_other_and_a_retry_changes_nothing() {
    on_both(|store| async move {
        let w = world(store, 2).await;
        let group = (1, C2023);
        let postings = || w.int("SELECT COUNT(*) FROM seat_postings");
        // Tablet A, which showed 0, posts 2.
        w.engine
            .post_seats_seen(&HEAD1, group, 2, (0, "a-1"))
            .await
            .unwrap();
        assert_eq!(w.free(1, C2023).await, 2);
        // Tablet B also showed 0 and posts 1: refused, nothing overwritten.
        assert_eq!(
            refusal(w.engine.post_seats_seen(&HEAD1, group, 1, (0, "b-1")).await),
            AppError::Conflict(Conflict::Changed)
        );
        // Even where B's number happens to be the one standing (A's answer is not B's).
        assert_eq!(
            refusal(w.engine.post_seats_seen(&HEAD1, group, 2, (0, "b-2")).await),
            AppError::Conflict(Conflict::Changed)
        );
        assert_eq!(w.free(1, C2023).await, 2);
        assert_eq!(postings().await, 1);
        // A's change sent again (its answer was lost): accepted, nothing changes.
        assert_eq!(
            w.engine
                .post_seats_seen(&HEAD1, group, 2, (0, "a-1"))
                .await
                .unwrap(),
            0
        );
        assert_eq!(postings().await, 1);
        // B applies its change on top of what it now sees.
        w.engine
            .post_seats_seen(&HEAD1, group, 3, (2, "b-3"))
            .await
            .unwrap();
        assert_eq!(w.free(1, C2023).await, 3);
        assert_eq!(postings().await, 2);
        // Another kindergarten's head may not, whatever it saw; a key is needed.
        assert_eq!(
            refusal(w.engine.post_seats_seen(&HEAD2, group, 1, (3, "c-1")).await),
            AppError::Forbidden
        );
        assert_eq!(
            refusal(w.engine.post_seats_seen(&HEAD1, group, 1, (3, "")).await),
            AppError::Validation(Invalid::Request)
        );
        // The head's tablet: the groups with capacity, free and pending, the postings newest
        // first; another head sees nothing of it.
        let desk = w.engine.head_desk(&HEAD1, 1).await.unwrap();
        let g = desk.groups.iter().find(|g| g.cohort == C2023).unwrap();
        assert_eq!((g.free, g.pending), (3, 0));
        assert_eq!((desk.history[0].before, desk.history[0].after), (2, 3));
        assert_eq!(
            refusal(w.engine.head_desk(&HEAD2, 1).await),
            AppError::Forbidden
        );
    })
    .await;
}

#[tokio::test]
async fn seat_postings_are_checked_and_pause_in_august() {
    on_both(|store| async move {
        let w = world(store, 2).await;
        assert_eq!(
            refusal(w.engine.post_seats(&HEAD2, 1, C2023, 1).await),
            AppError::Forbidden
        );
        assert_eq!(
            refusal(w.engine.post_seats(&HEAD1, 1, C2023, 21).await),
            AppError::Validation(Invalid::SeatCount)
        );
        assert_eq!(
            refusal(w.engine.post_seats(&HEAD1, 1, C2023, -1).await),
            AppError::Validation(Invalid::SeatCount)
        );
        for absurd in [i64::MAX, i64::MIN] {
            assert_eq!(
                refusal(w.engine.post_seats(&HEAD1, 1, C2023, absurd).await),
                AppError::Validation(Invalid::SeatCount)
            );
        }
        assert_eq!(
            refusal(w.engine.post_seats(&HEAD1, 1, 2019, 1).await),
            AppError::NotFound
        );
        w.clock
            .set(datetime!(2027-08-10 10:00 +5).unix_timestamp() * 1000);
        assert_eq!(
            refusal(w.engine.post_seats(&HEAD1, 1, C2023, 1).await),
            AppError::Conflict(Conflict::PostingPaused)
        );
        w.clock
            .set(datetime!(2027-09-01 08:00 +5).unix_timestamp() * 1000);
        w.engine.post_seats(&HEAD1, 1, C2023, 1).await.unwrap();
        assert_eq!(w.free(1, C2023).await, 1);
        // The department may change the rules; a bad ratio is refused.
        let mut rules = w.engine.rules();
        rules.general_share = u32::MAX;
        assert_eq!(
            refusal(w.engine.set_rules(&Actor::Admin, DEPT, rules.clone()).await),
            AppError::Validation(Invalid::Rules)
        );
        rules.general_share = 3;
        rules.privileged_share = 0;
        assert_eq!(
            refusal(w.engine.set_rules(&Actor::Admin, DEPT, rules.clone()).await),
            AppError::Validation(Invalid::Rules)
        );
        rules.privileged_share = 1;
        rules.pause_from = (9, 1);
        rules.pause_to = (9, 30);
        assert_eq!(
            refusal(w.engine.set_rules(&HEAD1, DEPT, rules.clone()).await),
            AppError::Forbidden
        );
        w.engine
            .set_rules(&Actor::Admin, DEPT, rules)
            .await
            .unwrap();
        assert_eq!(
            refusal(w.engine.post_seats(&HEAD1, 1, C2023, 2).await),
            AppError::Conflict(Conflict::PostingPaused)
        );
    })
    .await;
}

#[tokio::test]
async fn a_heads_order_for_a_staff_child_is_a_flagged_referral() {
    on_both(|store| async move {
        let w = world(store, 2).await;
        let first = w.apply(C2023, 1, "general").await;
        let staff = w.apply(C2023, 2, "general").await;
        assert_eq!(
            refusal(
                w.engine
                    .admit_staff_child(&HEAD1, (1, &staff), ("Order 12", "a teacher's son"))
                    .await
            ),
            AppError::Conflict(Conflict::SeatGone)
        );
        w.engine.post_seats(&HEAD1, 1, C2023, 2).await.unwrap();
        assert_eq!(
            refusal(
                w.engine
                    .admit_staff_child(&HEAD2, (1, &staff), ("Order 12", "a teacher's son"))
                    .await
            ),
            AppError::Forbidden
        );
        assert_eq!(
            refusal(
                w.engine
                    .admit_staff_child(&HEAD1, (1, &staff), (" ", "a teacher's son"))
                    .await
            ),
            AppError::Validation(Invalid::StaffOrder)
        );
        assert_eq!(
            refusal(
                w.engine
                    .admit_staff_child(&HEAD1, (1, &staff), ("Order 12", "  "))
                    .await
            ),
            AppError::Validation(Invalid::Reason)
        );
        let r = w
            .engine
            .admit_staff_child(
                &HEAD1,
                (1, &staff),
                ("Order 12 of 20.11.2026", "a cook's daughter"),
            )
            .await
            .unwrap();
        // The same order again (its answer was lost): the same referral, nothing more taken.
        let again = w
            .engine
            .admit_staff_child(
                &HEAD1,
                (1, &staff),
                ("Order 12 of 20.11.2026", "a cook's daughter"),
            )
            .await
            .unwrap();
        assert_eq!(again, r);
        assert_eq!(w.free(1, C2023).await, 1, "one seat taken of the two");
        // Another order for the same child is refused: it holds a referral.
        assert_eq!(
            refusal(
                w.engine
                    .admit_staff_child(&HEAD1, (1, &staff), ("Order 13", "a cook's daughter"))
                    .await
            ),
            AppError::Conflict(Conflict::AlreadyReferred)
        );
        // The reason stays with the referral, out of the public log.
        assert_eq!(
            w.strings("SELECT staff_reason FROM referrals WHERE staff_order IS NOT NULL")
                .await,
            ["a cook's daughter"]
        );
        w.engine.flush_events().await.unwrap();
        assert_eq!(
            w.int("SELECT COUNT(*) FROM events WHERE body LIKE '%Order 12 of%'")
                .await,
            1
        );
        assert_eq!(
            w.int("SELECT COUNT(*) FROM events WHERE body LIKE '%cook%'")
                .await,
            0
        );
        assert_eq!(r.staff_order.as_deref(), Some("Order 12 of 20.11.2026"));
        assert_eq!(w.status(&first).await, "invited");
        assert_eq!(
            w.int("SELECT COUNT(*) FROM events WHERE kind = 'referral.staff_order'")
                .await,
            1
        );
        assert_eq!(
            w.int("SELECT COUNT(*) FROM referrals WHERE staff_order IS NOT NULL")
                .await,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_repeated_enrol_or_extension_counts_once_and_the_desk_counts_working_days() {
    on_both(|store| async move {
        let w = world(store, 2).await;
        let a = w.apply(C2023, 1, "general").await;
        let b = w.apply(C2023, 2, "general").await;
        w.engine.post_seats(&HEAD1, 1, C2023, 2).await.unwrap();
        let ra = w.engine.claim(&parent(1), &a, 1).await.unwrap().remove(0);
        let rb = w.engine.claim(&parent(2), &b, 1).await.unwrap().remove(0);
        // Every event written, chained or still in PostgreSQL's intake.
        let events = || async {
            w.engine.flush_events().await.unwrap();
            w.int("SELECT COUNT(*) FROM events").await
        };

        // Issued on Monday 23 November with 5 working days: today and five more are left.
        let desk = w.engine.head_desk(&HEAD1, 1).await.unwrap();
        let line = desk
            .referrals
            .iter()
            .find(|r| r.referral.code == ra.code)
            .unwrap();
        assert_eq!(line.days_left, Some(6));
        assert_eq!(line.child_name, "Айару Серікқызы");

        // Extend, then the same extension again: the same answer, one change in the log.
        let until = date!(2026 - 12 - 10);
        let ext = w
            .engine
            .extend(&HEAD1, &ra.code, until, "ill")
            .await
            .unwrap();
        let before = events().await;
        let again = w
            .engine
            .extend(&HEAD1, &ra.code, until, "ill")
            .await
            .unwrap();
        assert_eq!(again.expires_at, ext.expires_at);
        assert_eq!(events().await, before, "nothing more logged");
        // The same day with another reason is not the same extension.
        assert_eq!(
            refusal(w.engine.extend(&HEAD1, &ra.code, until, "ill again").await),
            AppError::Validation(Invalid::ExtensionDate)
        );
        // From 24 November: 13 working days through 10 December (no holiday on the way).
        w.clock.advance(DAY);
        let desk = w.engine.head_desk(&HEAD1, 1).await.unwrap();
        let line = desk
            .referrals
            .iter()
            .find(|r| r.referral.code == ra.code)
            .unwrap();
        assert_eq!(line.days_left, Some(13));

        // Enrol, then enrol again: the same answer, the child enrolled once.
        let first = w.engine.enrol(&HEAD1, &rb.code).await.unwrap();
        let before = events().await;
        let again = w.engine.enrol(&HEAD1, &rb.code).await.unwrap();
        assert_eq!(
            (first.state.as_str(), again.state.as_str()),
            ("enrolled", "enrolled")
        );
        assert_eq!(events().await, before);
        assert_eq!(
            w.int("SELECT COUNT(*) FROM events WHERE kind = 'referral.enrolled'")
                .await,
            1
        );
        assert_eq!(w.status(&b).await, "enrolled");
        // Still only the head of this kindergarten, even for a repeat.
        assert_eq!(
            refusal(w.engine.enrol(&HEAD2, &rb.code).await),
            AppError::Forbidden
        );
        // An enrolled referral is not extended; a declined one is not enrolled.
        assert_eq!(
            refusal(w.engine.extend(&HEAD1, &rb.code, until, "ill").await),
            AppError::Conflict(Conflict::ReferralNotActive)
        );
        w.engine.decline(&parent(1), &ra.code).await.unwrap();
        assert_eq!(
            refusal(w.engine.enrol(&HEAD1, &ra.code).await),
            AppError::Conflict(Conflict::ReferralNotActive)
        );
        let desk = w.engine.head_desk(&HEAD1, 1).await.unwrap();
        assert!(
            desk.referrals.iter().all(|r| r.days_left.is_none()),
            "none active"
        );
    })
    .await;
}
