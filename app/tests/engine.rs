//! The allocation engine, the same bodies on a fresh SQLite file and a fresh PostgreSQL
//! database: applications, queue order, invitations, claims, the referral lifecycle, siblings,
//! position history and the event chain.

mod common;

use app::domain::queue::{AppStatus, ContactsForm};
use app::engine::{Acting, Actor, DayKind};
use app::error::{AppError, Conflict, Invalid};
use common::city::*;
use common::on_both;
use time::macros::{date, datetime};

#[tokio::test]
async fn applications_are_checked_numbered_and_never_doubled() {
    on_both(|store| async move {
        let w = world(store, 3).await;
        let kid = child(C2023, 1);
        let p = parent(1);
        // One wrong digit is always caught by the check digit.
        let mut f = form(kid, "general");
        let last = f.child_iin.pop().unwrap().to_digit(10).unwrap();
        f.child_iin
            .push(char::from_digit((last + 1) % 10, 10).unwrap());
        assert!(matches!(
            refusal(w.engine.apply(&p, &f).await),
            AppError::Validation(Invalid::Iin(_))
        ));
        let mut f = form(kid, "general");
        f.birth_date = "2023-01-01".into();
        assert_eq!(
            refusal(w.engine.apply(&p, &f).await),
            AppError::Validation(Invalid::BirthDate)
        );
        let old = iin(date!(2020 - 01 - 10), 7);
        assert_eq!(
            refusal(w.engine.apply(&p, &form(old, "general")).await),
            AppError::Validation(Invalid::ChildTooOld)
        );
        let mut f = form(kid, "general");
        f.phone2 = f.phone1.clone();
        assert_eq!(
            refusal(w.engine.apply(&p, &f).await),
            AppError::Validation(Invalid::SamePhones)
        );
        let mut f = form(kid, "general");
        f.email = "ana at mail".into();
        assert_eq!(
            refusal(w.engine.apply(&p, &f).await),
            AppError::Validation(Invalid::Email)
        );
        assert_eq!(
            refusal(w.engine.apply(&HEAD1, &form(kid, "general")).await),
            AppError::Forbidden
        );
        // Nothing refused left a trace.
        assert_eq!(w.int("SELECT COUNT(*) FROM applications").await, 0);
        assert_eq!(w.int("SELECT COUNT(*) FROM events").await, 0);

        let no = w.apply(C2023, 1, "general").await;
        // ALM-2026-XXXX-XXXX: short, and not the next of a series anyone could walk.
        let readable = |n: &str| {
            n.len() == 18
                && n.starts_with("ALM-2026-")
                && n[9..]
                    .chars()
                    .all(|c| c == '-' || c.is_ascii_uppercase() || c.is_ascii_digit())
        };
        assert!(readable(&no), "{no}");
        assert_eq!(
            refusal(w.engine.apply(&parent(2), &form(kid, "primary")).await),
            AppError::Conflict(Conflict::AlreadyApplied)
        );
        let second = w.apply(C2023, 2, "general").await;
        assert!(readable(&second) && second != no, "{second}");
        // A number is found as typed, in small letters and with spaces around.
        let typed = format!("  {}  ", no.to_lowercase());
        assert_eq!(w.engine.position(&typed).await.unwrap().public_no, no);
        // The application time is kept to the millisecond.
        assert_eq!(
            w.int(&format!(
                "SELECT applied_at FROM applications WHERE public_no = '{no}'"
            ))
            .await,
            MONDAY_9AM + 1
        );
        // No IIN in the public log or in public numbers.
        let bodies = w.strings("SELECT body FROM events").await.join("\n");
        assert!(!bodies.contains(&kid.digits()));
        assert!(!no.contains(&kid.digits()[..6]));

        // Contacts change; a stranger cannot change them.
        let contacts = ContactsForm {
            phone1: "+7 702 000 11 22".into(),
            phone2: "+7 705 000 33 44".into(),
            email: "new@mail.kz".into(),
        };
        assert_eq!(
            refusal(w.engine.update_contacts(&parent(9), &no, &contacts).await),
            AppError::NotFound
        );
        w.engine.update_contacts(&p, &no, &contacts).await.unwrap();
        assert_eq!(
            w.strings(&format!(
                "SELECT phone1 FROM applications WHERE public_no = '{no}'"
            ))
            .await,
            vec!["+77020001122".to_string()]
        );

        // Withdrawing closes it; it cannot be withdrawn twice; the child may apply again.
        w.engine.withdraw(&p, &no).await.unwrap();
        assert_eq!(w.status(&no).await, "withdrawn");
        assert_eq!(
            refusal(w.engine.withdraw(&p, &no).await),
            AppError::Conflict(Conflict::NotOpen)
        );
        let again = w.apply(C2023, 1, "general").await;
        assert!(readable(&again) && again != no && again != second);
        // The database itself refuses to mark an open application closed (it would let a
        // second application of the child past the one-open-per-child index).
        let close_open = format!("UPDATE applications SET closed = 1 WHERE public_no = '{again}'");
        assert!(w.exec(&close_open).await.is_err());
        assert_eq!(
            refusal(w.engine.apply(&p, &form(kid, "general")).await),
            AppError::Conflict(Conflict::AlreadyApplied)
        );
    })
    .await;
}

#[tokio::test]
async fn queue_order_interleaves_one_privileged_to_three_general() {
    on_both(|store| async move {
        let w = world(store, 3).await;
        let mut general = vec![];
        for n in 1..=8 {
            general.push(w.apply(C2023, n, "general").await);
        }
        let primary1 = w.apply(C2023, 20, "primary").await;
        let primary2 = w.apply(C2023, 21, "primary").await;
        let extra = w.apply(C2023, 30, "extraordinary").await;
        // Positions: the extraordinary child first, then three general, then a primary...
        let pos = |no: String| {
            let e = w.engine.clone();
            async move { e.position(&no).await.unwrap().position.unwrap() }
        };
        assert_eq!(pos(extra.clone()).await, 1);
        assert_eq!(pos(general[0].clone()).await, 2);
        assert_eq!(pos(general[2].clone()).await, 4);
        assert_eq!(pos(primary1.clone()).await, 5);
        assert_eq!(pos(primary2.clone()).await, 9);
        // Once the privileged list runs out, general children take every turn.
        assert_eq!(pos(general[7].clone()).await, 11);
        let view = w.engine.position(&general[7]).await.unwrap();
        assert_eq!(view.waiting_in_cohort, 11);
        // The public answer names no priority class: it says nothing of the family.
        let json = serde_json::to_value(&view).unwrap();
        let mut fields: Vec<&String> = json.as_object().unwrap().keys().collect();
        fields.sort();
        assert_eq!(
            fields,
            [
                "cohort",
                "history",
                "position",
                "public_no",
                "status",
                "today",
                "waiting_in_cohort"
            ]
        );

        // Seats are posted: invitations follow exactly that order.
        assert_eq!(w.engine.post_seats(&HEAD1, 1, C2023, 5).await.unwrap(), 5);
        assert_eq!(
            w.invited().await,
            vec![
                extra.clone(),
                general[0].clone(),
                general[1].clone(),
                general[2].clone(),
                primary1.clone()
            ]
        );
        // Invited children are still in the queue for the public figures.
        assert_eq!(w.store.city_summary().await.unwrap().waiting_children, 11);
        // Positions of those still waiting moved up, the interleave continuing.
        assert_eq!(pos(general[3].clone()).await, 1);
        assert_eq!(pos(primary2.clone()).await, 4);
        assert_eq!(
            w.engine.post_seats(&HEAD2, 2, C2023, 3).await.unwrap(),
            3,
            "8 seats, 8 invitations"
        );
        assert_eq!(w.int("SELECT COUNT(*) FROM invitations").await, 8);
        // Posting fewer seats never withdraws an invitation; posting the same again invites
        // no one.
        assert_eq!(w.engine.post_seats(&HEAD2, 2, C2023, 3).await.unwrap(), 0);
        // Every posting is public.
        assert_eq!(w.int("SELECT COUNT(*) FROM seat_postings").await, 3);
        assert_eq!(
            w.int("SELECT COUNT(*) FROM events WHERE kind = 'seats.posted'")
                .await,
            3
        );
    })
    .await;
}

#[tokio::test]
async fn a_claim_is_all_or_nothing_and_every_refusal_is_typed() {
    on_both(|store| async move {
        let w = world(store, 3).await;
        let a = w.apply(C2023, 1, "general").await;
        let b = w.apply(C2023, 2, "general").await;
        assert_eq!(
            refusal(w.engine.claim(&parent(1), &a, 1).await),
            AppError::Conflict(Conflict::NotInvited)
        );
        w.engine.post_seats(&HEAD1, 1, C2023, 1).await.unwrap();
        assert_eq!(w.invited().await, vec![a.clone()]);
        // Only the parent may claim; a kindergarten without seats refuses and changes nothing.
        assert_eq!(
            refusal(w.engine.claim(&parent(2), &a, 1).await),
            AppError::NotFound
        );
        let events = w.int("SELECT COUNT(*) FROM events").await;
        assert_eq!(
            refusal(w.engine.claim(&parent(1), &a, 2).await),
            AppError::Conflict(Conflict::SeatGone)
        );
        assert_eq!(
            refusal(w.engine.claim(&parent(1), &a, 99).await),
            AppError::Conflict(Conflict::SeatGone),
            "a kindergarten outside the queue"
        );
        assert_eq!(w.int("SELECT COUNT(*) FROM events").await, events);
        assert_eq!(w.status(&a).await, "invited");
        assert_eq!(w.int("SELECT COUNT(*) FROM referrals").await, 0);

        let refs = w.engine.claim(&parent(1), &a, 1).await.unwrap();
        assert_eq!(refs.len(), 1);
        let r = &refs[0];
        assert_eq!(r.code, "REF-2026-000001");
        assert_eq!(r.state, "active");
        // Valid 5 working days: Monday's referral ends with the next Monday.
        assert_eq!(
            r.expires_at,
            datetime!(2026-12-01 00:00 +5).unix_timestamp() * 1000
        );
        assert_eq!(w.free(1, C2023).await, 0);
        assert_eq!(w.status(&a).await, "referred");
        assert_eq!(
            w.int("SELECT COUNT(*) FROM invitations WHERE state = 'used'")
                .await,
            1
        );
        assert_eq!(
            w.int("SELECT COUNT(*) FROM events WHERE kind = 'referral.issued'")
                .await,
            1
        );
        assert_eq!(
            w.int("SELECT COUNT(*) FROM outbox WHERE template = 'referral_issued'")
                .await,
            1
        );
        assert_eq!(
            refusal(w.engine.claim(&parent(1), &a, 1).await),
            AppError::Conflict(Conflict::AlreadyReferred)
        );
        assert_eq!(
            refusal(w.engine.claim(&parent(2), &b, 1).await),
            AppError::Conflict(Conflict::NotInvited)
        );
        // The database itself refuses a second active referral for one child.
        let dup = w
            .exec(&format!(
                "INSERT INTO referrals (code, application_id, child_iin, kindergarten_id, cohort, \
                 issued_at, expires_at) SELECT 'X', id, child_iin, 2, {C2023}, 0, 0 \
                 FROM applications WHERE public_no = '{a}'"
            ))
            .await;
        assert!(dup.is_err(), "second active referral accepted");
        // And never a seat below zero.
        assert!(w
            .exec(&format!(
                "UPDATE seats SET free = -1 WHERE kindergarten_id = 1 AND cohort = {C2023}"
            ))
            .await
            .is_err());
        let verdict = w.engine.verify_chain().await.unwrap();
        assert!(verdict.is_ok(), "{verdict:?}");
    })
    .await;
}

#[tokio::test]
async fn invitations_roll_after_three_working_days_and_skip_the_stop_list() {
    on_both(|store| async move {
        let w = world(store, 2).await;
        let a = w.apply(C2023, 1, "general").await;
        let b = w.apply(C2023, 2, "general").await;
        w.engine.post_seats(&HEAD1, 1, C2023, 1).await.unwrap();
        assert_eq!(w.invited().await, vec![a.clone()]);
        let inv = w.engine.invitation(&parent(1), &a).await.unwrap().unwrap();
        // Invited on Monday: open until the end of Thursday.
        assert_eq!(
            inv.expires_at,
            datetime!(2026-11-27 00:00 +5).unix_timestamp() * 1000
        );
        // Nothing lapses early.
        w.clock.set(inv.expires_at - 1);
        assert_eq!(w.engine.tick().await.unwrap().lapsed_invitations, 0);
        w.clock.set(inv.expires_at);
        // A late claim is refused before the job even ran.
        assert_eq!(
            refusal(w.engine.claim(&parent(1), &a, 1).await),
            AppError::Conflict(Conflict::InvitationLapsed)
        );
        let report = w.engine.tick().await.unwrap();
        assert_eq!(report.lapsed_invitations, 1);
        assert_eq!(report.invited, 1);
        assert_eq!(w.invited().await, vec![b.clone()], "the seat passed to b");
        // a keeps its place (first in line) but is not invited again for 10 days.
        assert_eq!(w.status(&a).await, "waiting");
        assert_eq!(w.engine.position(&a).await.unwrap().position, Some(1));
        w.engine.post_seats(&HEAD1, 1, C2023, 2).await.unwrap();
        assert_eq!(w.invited().await, vec![b.clone()]);
        w.clock.advance(10 * DAY);
        w.engine.tick().await.unwrap();
        assert!(w.invited().await.contains(&a));
    })
    .await;
}

#[tokio::test]
async fn working_days_skip_holidays() {
    on_both(|store| async move {
        let w = world(store, 1).await;
        // Invited on Tuesday 15 December 2026: the 16th is Independence Day.
        w.clock
            .set(datetime!(2026-12-15 10:00 +5).unix_timestamp() * 1000);
        let a = w.apply(C2023, 1, "general").await;
        w.engine.post_seats(&HEAD1, 1, C2023, 1).await.unwrap();
        let inv = w.engine.invitation(&parent(1), &a).await.unwrap().unwrap();
        assert_eq!(
            inv.expires_at,
            datetime!(2026-12-22 00:00 +5).unix_timestamp() * 1000
        );
    })
    .await;
}

#[tokio::test]
async fn the_department_keeps_the_holiday_calendar() {
    on_both(|store| async move {
        let w = world(store, 1).await;
        // A day off declared for Wednesday 25 November 2026 (a government transfer decree).
        let day = date!(2026 - 11 - 25);
        assert_eq!(
            refusal(w.engine.set_day(&HEAD1, DEPT, day, off("Transfer")).await),
            AppError::Forbidden
        );
        assert_eq!(
            refusal(w.engine.set_day(&Actor::Admin, DEPT, day, off(" ")).await),
            AppError::Validation(Invalid::Name)
        );
        // Every change of the department names a reason.
        let no_reason = Acting {
            by: "admin #1",
            reason: " ",
        };
        assert_eq!(
            refusal(w.engine.set_day(&Actor::Admin, no_reason, day, off("Transfer")).await),
            AppError::Validation(Invalid::Reason)
        );
        // Only a Saturday or Sunday can be moved to be worked.
        assert_eq!(
            refusal(
                w.engine
                    .set_day(&Actor::Admin, DEPT, day, DayKind::Worked("Transfer".into()))
                    .await
            ),
            AppError::Validation(Invalid::Request)
        );
        w.engine
            .set_day(&Actor::Admin, DEPT, day, off("Transfer"))
            .await
            .unwrap();
        let a = w.apply(C2023, 1, "general").await;
        w.engine.post_seats(&HEAD1, 1, C2023, 1).await.unwrap();
        let inv = w.engine.invitation(&parent(1), &a).await.unwrap().unwrap();
        // Monday's invitation: Tuesday, (Wednesday off), Thursday, Friday.
        assert_eq!(
            inv.expires_at,
            datetime!(2026-11-28 00:00 +5).unix_timestamp() * 1000
        );
        assert_eq!(
            w.strings("SELECT body FROM events WHERE kind = 'calendar.changed'")
                .await,
            vec![r#"{"by":"admin #1","day":"2026-11-25","holiday":"Transfer","reason":"order No. 12 of the department","working":false}"#]
        );
        // Saturday 28 November moved to be worked: the next invitation's three working days
        // are Saturday, Monday and Tuesday.
        let saturday = date!(2026 - 11 - 28);
        assert!(!w.engine.is_working_day(saturday));
        w.engine
            .set_day(&Actor::Admin, DEPT, saturday, DayKind::Worked("Worked for 25 Nov".into()))
            .await
            .unwrap();
        assert!(w.engine.is_working_day(saturday));
        w.clock
            .set(datetime!(2026-11-27 10:00 +5).unix_timestamp() * 1000);
        let b = w.apply(C2023, 2, "general").await;
        // Two free seats: the first child still holds its invitation, the second is invited.
        w.engine.post_seats(&HEAD1, 1, C2023, 2).await.unwrap();
        let inv = w.engine.invitation(&parent(2), &b).await.unwrap().unwrap();
        assert_eq!(
            inv.expires_at,
            datetime!(2026-12-02 00:00 +5).unix_timestamp() * 1000
        );
        let days = w.engine.calendar_days().await.unwrap();
        assert!(days.contains(&(saturday, "Worked for 25 Nov".into(), true)));
        assert!(days.contains(&(day, "Transfer".into(), false)));
        // A restarted engine reads the same calendar; removing the day restores the old one.
        w.engine
            .set_day(&Actor::Admin, DEPT, day, DayKind::Ordinary)
            .await
            .unwrap();
        assert_eq!(
            w.int("SELECT COUNT(*) FROM holidays WHERE day = '2026-11-25'")
                .await,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn referrals_extend_enrol_decline_and_expire() {
    on_both(|store| async move {
        let w = world(store, 2).await;
        let nos: Vec<String> = {
            let mut v = vec![];
            for n in 1..=4 {
                v.push(w.apply(C2023, n, "general").await);
            }
            v
        };
        w.engine.post_seats(&HEAD1, 1, C2023, 3).await.unwrap();
        let r1 = w
            .engine
            .claim(&parent(1), &nos[0], 1)
            .await
            .unwrap()
            .remove(0);
        let r2 = w
            .engine
            .claim(&parent(2), &nos[1], 1)
            .await
            .unwrap()
            .remove(0);
        let r3 = w
            .engine
            .claim(&parent(3), &nos[2], 1)
            .await
            .unwrap()
            .remove(0);
        assert_eq!(w.free(1, C2023).await, 0);

        // Extension: the head of this kindergarten, with a reason, at most 30 days after issue.
        let until = date!(2026 - 12 - 10);
        assert_eq!(
            refusal(w.engine.extend(&HEAD2, &r1.code, until, "ill").await),
            AppError::Forbidden
        );
        assert_eq!(
            refusal(w.engine.extend(&HEAD1, &r1.code, until, "  ").await),
            AppError::Validation(Invalid::Reason)
        );
        assert_eq!(
            refusal(
                w.engine
                    .extend(&HEAD1, &r1.code, date!(2026 - 12 - 24), "ill")
                    .await
            ),
            AppError::Validation(Invalid::ExtensionDate)
        );
        let ext = w
            .engine
            .extend(&HEAD1, &r1.code, until, "the child is ill")
            .await
            .unwrap();
        assert_eq!(
            ext.expires_at,
            datetime!(2026-12-11 00:00 +5).unix_timestamp() * 1000
        );
        // Enrolment: the child leaves the queue.
        assert_eq!(
            refusal(w.engine.enrol(&HEAD2, &r1.code).await),
            AppError::Forbidden
        );
        assert_eq!(
            w.engine.enrol(&HEAD1, &r1.code).await.unwrap().state,
            "enrolled"
        );
        assert_eq!(w.status(&nos[0]).await, "enrolled");
        // Enrolling again is a retry, answered as before (see tests/heads.rs).
        assert_eq!(
            w.engine.enrol(&HEAD1, &r1.code).await.unwrap().state,
            "enrolled"
        );
        // Decline: the seat returns and goes to the next child; the decliner keeps its place.
        w.engine.decline(&parent(2), &r2.code).await.unwrap();
        assert_eq!(w.status(&nos[1]).await, "waiting");
        assert_eq!(w.invited().await, vec![nos[3].clone()]);
        assert_eq!(w.free(1, C2023).await, 1);
        assert_eq!(w.engine.position(&nos[1]).await.unwrap().position, Some(1));
        // Expiry: after 5 working days r3 is cancelled by the job.
        w.clock.set(r3.expires_at);
        let report = w.engine.tick().await.unwrap();
        assert_eq!(report.expired_referrals, 1);
        assert_eq!(w.status(&nos[2]).await, "waiting");
        assert_eq!(
            w.int(&format!(
                "SELECT COUNT(*) FROM referrals WHERE code = '{}' AND state = 'expired'",
                r3.code
            ))
            .await,
            1
        );
        // The enrolled child's extended referral did not expire with it.
        assert_eq!(
            w.int("SELECT COUNT(*) FROM referrals WHERE state = 'enrolled'")
                .await,
            1
        );
        // The declined and expired children, and nos[3] whose invitation lapsed meanwhile, are
        // all on the stop-list: the free seats wait for them or for new children.
        assert_eq!(
            w.int("SELECT COUNT(*) FROM applications WHERE stop_until > 0")
                .await,
            3,
            "declined, expired and the lapsed invitation"
        );
        let chain = w.engine.verify_chain().await.unwrap();
        assert!(chain.is_ok());
    })
    .await;
}

#[tokio::test]
async fn siblings_are_invited_and_placed_together_only_where_all_fit() {
    on_both(|store| async move {
        let w = world(store, 3).await;
        let p = parent(1);
        w.clock.advance(1);
        let twin1 = w
            .engine
            .apply(&p, &form(child(C2023, 1), "general"))
            .await
            .unwrap();
        let mut f = form(child(C2023, 2), "general");
        f.sibling_of = Some(twin1.clone());
        w.clock.advance(1);
        let twin2 = w.engine.apply(&p, &f).await.unwrap();
        let single = w.apply(C2023, 3, "general").await;
        // Another parent cannot attach a child to this family.
        let mut f = form(child(C2023, 4), "general");
        f.sibling_of = Some(twin1.clone());
        assert_eq!(
            refusal(w.engine.apply(&parent(4), &f).await),
            AppError::NotFound
        );

        // One seat in each of two kindergartens: no kindergarten fits both twins, so they
        // keep their place and the single child is invited.
        w.engine.post_seats(&HEAD1, 1, C2023, 1).await.unwrap();
        w.engine.post_seats(&HEAD2, 2, C2023, 1).await.unwrap();
        assert_eq!(w.invited().await, vec![single.clone()]);
        assert_eq!(w.engine.position(&twin1).await.unwrap().position, Some(1));

        // Two seats in kindergarten 3: both twins are invited together.
        w.engine
            .post_seats(&Actor::Head { kindergarten_id: 3 }, 3, C2023, 2)
            .await
            .unwrap();
        let invited = w.invited().await;
        assert!(invited.contains(&twin1) && invited.contains(&twin2));
        // Claiming where only one fits refuses both; where both fit, both get referrals.
        assert_eq!(
            refusal(w.engine.claim(&p, &twin1, 1).await),
            AppError::Conflict(Conflict::SiblingsDoNotFit)
        );
        assert_eq!(w.free(1, C2023).await, 1, "nothing taken");
        let refs = w.engine.claim(&p, &twin2, 3).await.unwrap();
        assert_eq!(refs.len(), 2);
        assert!(refs.iter().all(|r| r.kindergarten_id == 3));
        assert_eq!(w.status(&twin1).await, "referred");
        assert_eq!(w.free(3, C2023).await, 0);
    })
    .await;
}

#[tokio::test]
async fn position_history_explains_every_change() {
    on_both(|store| async move {
        let w = world(store, 2).await;
        let mut general = vec![];
        for n in 1..=6 {
            general.push(w.apply(C2023, n, "general").await);
        }
        assert_eq!(w.engine.record_positions().await.unwrap(), 6);
        let last = general[5].clone();
        let v = w.engine.position(&last).await.unwrap();
        assert_eq!(v.history.len(), 1);
        assert_eq!(v.history[0].position, 6);
        assert_eq!(v.history[0].previous, None);
        // Nothing changed: nothing recorded.
        assert_eq!(w.engine.record_positions().await.unwrap(), 0);

        // Two primary applications arrive and three children ahead are invited.
        w.apply(C2023, 10, "primary").await;
        w.apply(C2023, 11, "primary").await;
        w.engine.post_seats(&HEAD1, 1, C2023, 3).await.unwrap();
        w.engine.record_positions().await.unwrap();
        let v = w.engine.position(&last).await.unwrap();
        let h = &v.history[0];
        assert_eq!(h.previous, Some(6));
        assert_eq!(Some(h.position), v.position);
        let n = |change: &str, privileged: bool| {
            h.reasons
                .iter()
                .find(|r| r.change == change && r.privileged == privileged)
                .map(|r| r.n)
                .unwrap_or(0)
        };
        assert_eq!(n("applied", true), 2, "{h:?}");
        assert_eq!(n("invited", true), 1, "{h:?}");
        assert_eq!(n("invited", false), 2, "{h:?}");
        assert_eq!(v.status, AppStatus::Waiting);
    })
    .await;
}

#[tokio::test]
async fn the_event_chain_is_append_only_and_tampering_is_found() {
    on_both(|store| async move {
        let w = world(store, 1).await;
        for n in 1..=5 {
            w.apply(C2023, n, "general").await;
        }
        w.engine.post_seats(&HEAD1, 1, C2023, 2).await.unwrap();
        let (count, _) = w.engine.verify_chain().await.unwrap().unwrap();
        assert_eq!(count, 8);
        // The database refuses edits and deletions.
        assert!(w
            .exec("UPDATE events SET body = '{}' WHERE seq = 3")
            .await
            .is_err());
        assert!(w.exec("DELETE FROM events WHERE seq = 8").await.is_err());
        // Someone with the database's keys drops the guard and edits row 3.
        let off = match w.engine.backend_name() {
            "sqlite" => "DROP TRIGGER events_append_only_update",
            _ => "ALTER TABLE events DISABLE TRIGGER events_append_only",
        };
        w.exec(off).await.unwrap();
        w.exec("UPDATE events SET body = replace(body, 'general', 'primary') WHERE seq = 3")
            .await
            .unwrap();
        let err = w.engine.verify_chain().await.unwrap().unwrap_err();
        assert_eq!(err.seq(), 3);
    })
    .await;
}

#[tokio::test]
async fn postgres_links_the_event_intake_into_the_chain_on_its_own() {
    let Some((store, _guard)) = common::postgres().await else {
        return;
    };
    let w = world(store, 1).await;
    w.apply(C2023, 1, "general").await;
    // Looked at without flushing (`w.int` would link the intake itself).
    let count = |sql: &'static str| {
        let raw = w.raw.clone();
        async move { raw.int(sql).await }
    };
    // Nobody flushes: the engine's chainer links the intake within moments.
    let mut waited = 0;
    while count("SELECT COUNT(*) FROM event_queue").await > 0 {
        assert!(waited < 100, "the intake was not linked within 5 s");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        waited += 1;
    }
    assert_eq!(count("SELECT COUNT(*) FROM events").await, 1);
    assert!(w.engine.verify_chain().await.unwrap().is_ok());
}

#[tokio::test]
async fn position_look_ups_are_index_ranges_not_scans() {
    use app::engine::POSITION_QUERIES;
    use common::Raw;
    on_both(|store| async move {
        let w = world(store, 1).await;
        for q in POSITION_QUERIES {
            let plan: Vec<String> = match &w.raw {
                Raw::Sqlite(p) => {
                    let rows: Vec<(i64, i64, i64, String)> =
                        sqlx::query_as(&format!("EXPLAIN QUERY PLAN {q}"))
                            .bind(C2023)
                            .bind(2i64)
                            .bind(0i64)
                            .bind(0i64)
                            .fetch_all(p)
                            .await
                            .unwrap();
                    rows.into_iter().map(|r| r.3).collect()
                }
                Raw::Postgres(p) => {
                    // On a near-empty table PostgreSQL would rightly scan; forbid that to see
                    // which index serves the query.
                    let mut c = p.acquire().await.unwrap();
                    sqlx::query("SET enable_seqscan = off")
                        .execute(&mut *c)
                        .await
                        .unwrap();
                    let q = q
                        .replace("$1", "2023")
                        .replace("$2", "2")
                        .replace("$3", "0")
                        .replace("$4", "0");
                    sqlx::query_scalar(&format!("EXPLAIN {q}"))
                        .fetch_all(&mut *c)
                        .await
                        .unwrap()
                }
            };
            let plan = plan.join("\n");
            assert!(plan.contains("applications_queue"), "{q}\n{plan}");
            assert!(
                !plan.contains("SCAN applications\n") && !plan.ends_with("SCAN applications"),
                "{plan}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn the_database_invites_in_exactly_the_rules_order_with_ties_broken_by_id() {
    use app::demo::Rng;
    use app::engine::rules::QueueKey;
    for seed in [11u64, 12, 13] {
        on_both(|store| async move {
            let w = world(store, 2).await;
            let mut rng = Rng::new(seed);
            for n in 0..40u16 {
                // Often the same millisecond: the id decides.
                if rng.chance(0.5) {
                    w.clock.advance(1);
                }
                let priority = *rng.pick(&["extraordinary", "primary", "general", "general"]);
                w.engine
                    .apply(&parent(n), &form(child(C2023, n), priority))
                    .await
                    .unwrap();
            }
            let keys: Vec<QueueKey> = w
                .strings(
                    "SELECT CAST(priority AS TEXT) || ' ' || CAST(applied_at AS TEXT) || ' ' || \
                     CAST(id AS TEXT) FROM applications",
                )
                .await
                .iter()
                .map(|s| {
                    let v: Vec<i64> = s.split(' ').map(|x| x.parse().unwrap()).collect();
                    QueueKey {
                        priority: app::domain::PriorityClass::ALL[v[0] as usize],
                        applied_at: v[1],
                        id: v[2],
                    }
                })
                .collect();
            let want: Vec<i64> = w
                .engine
                .rules()
                .invitation_order(&keys, 0)
                .iter()
                .map(|k| k.id)
                .collect();
            // Seats in two rounds, so the interleave continues across postings.
            w.engine.post_seats(&HEAD1, 1, C2023, 13).await.unwrap();
            w.engine.post_seats(&HEAD2, 2, C2023, 20).await.unwrap();
            let got: Vec<i64> = w
                .strings("SELECT CAST(application_id AS TEXT) FROM invitations ORDER BY id")
                .await
                .iter()
                .map(|s| s.parse().unwrap())
                .collect();
            assert_eq!(got, want[..33].to_vec(), "seed {seed}");
        })
        .await;
    }
}

#[tokio::test]
async fn positions_are_recorded_in_batches_for_every_child() {
    on_both(|store| async move {
        let w = world(store, 1).await;
        for n in 0..450 {
            w.apply(if n % 2 == 0 { C2023 } else { C2022 }, n, "general")
                .await;
        }
        assert_eq!(w.engine.record_positions().await.unwrap(), 450);
        assert_eq!(w.int("SELECT COUNT(*) FROM position_history").await, 450);
        assert_eq!(
            w.int("SELECT COUNT(*) FROM applications WHERE position IS NULL")
                .await,
            0
        );
        // Each child's recorded position is its place in its own cohort.
        assert_eq!(
            w.int("SELECT CAST(MAX(position) AS BIGINT) FROM applications")
                .await,
            225
        );
        assert_eq!(w.engine.record_positions().await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn the_choice_reads_on_both_databases_with_the_parents_wishes_first() {
    on_both(|store| async move {
        let w = world(store, 3).await;
        let a = w.apply(C2023, 1, "general").await;
        for k in [3, 1] {
            w.engine
                .post_seats(&Actor::Admin, k, C2023, 1)
                .await
                .unwrap();
        }
        // The test city's kindergartens share a district and languages: by number.
        let list = w.engine.claimable(&a).await.unwrap();
        let ids: Vec<i64> = list.iter().map(|k| k.kindergarten_id).collect();
        assert_eq!(ids, vec![1, 3]);
        assert!(list.iter().all(|k| k.free == 1));
    })
    .await
}

fn off(name: &str) -> DayKind {
    DayKind::Off(name.into())
}
