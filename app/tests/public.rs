//! The public figures and protocols read from the tables, the same on a fresh SQLite file and a
//! fresh PostgreSQL database: they count what the engine did, filter and page, and carry nothing
//! personal.

mod common;

use app::domain::protocol::ProtocolFilter;
use app::domain::District;
use app::engine::Clock;
use common::city::*;
use common::on_both;

#[tokio::test]
async fn the_statistics_and_protocols_count_what_happened() {
    on_both(|store| async move {
        let w = world(store, 2).await;
        // Four children of 2023 (one of them privileged) and one of 2022 apply.
        let mut nos = vec![];
        for n in 1..=3 {
            nos.push(w.apply(C2023, n, "general").await);
        }
        nos.push(w.apply(C2023, 4, "primary").await);
        let older = w.apply(C2022, 5, "general").await;
        // A day later kindergarten 1 posts two seats: two children are invited and claim;
        // a staff member's child is admitted at kindergarten 2 on a seat posted there.
        w.clock.advance(DAY);
        w.engine.post_seats(&HEAD1, 1, C2023, 2).await.unwrap();
        let invited = w.invited().await;
        assert_eq!(invited.len(), 2);
        let mut codes = vec![];
        for no in &invited {
            let n = nos.iter().position(|x| x == no).unwrap() as u16 + 1;
            codes.push(
                w.engine
                    .claim(&parent(n), no, 1)
                    .await
                    .unwrap()
                    .remove(0)
                    .code,
            );
        }
        w.engine.post_seats(&HEAD2, 2, C2022, 1).await.unwrap();
        let older_invited = w.invited().await;
        assert_eq!(
            older_invited,
            [older],
            "the 2022 child is invited by the posting"
        );
        w.engine.post_seats(&HEAD2, 2, C2022, 2).await.unwrap();
        let staff_child = w.apply(C2022, 6, "general").await;
        let staff = w
            .engine
            .admit_staff_child(&HEAD2, (2, &staff_child), ("Order 5", "the cook's son"))
            .await
            .unwrap();
        w.engine.enrol(&HEAD1, &codes[0]).await.unwrap();

        let s = w.store.statistics(w.clock.now_ms()).await.unwrap();
        // Waiting: the two 2023 children not invited and the invited 2022 child.
        assert_eq!(s.waiting, 3);
        assert_eq!(
            s.by_cohort,
            [("2022".to_string(), 1), ("2023".to_string(), 2)]
        );
        let classes: i64 = s.by_class.iter().map(|c| c.1).sum();
        assert_eq!(classes, 3);
        assert_eq!(s.by_district, [("almaly".to_string(), 3)]);
        // Free seats: kindergarten 2 keeps one of its two for 2022 (the invited child's).
        assert_eq!(
            s.free,
            w.int("SELECT CAST(SUM(free) AS BIGINT) FROM seats").await
        );
        // Three referrals today (two claims, the staff order), one enrolment.
        assert_eq!(s.referrals_daily.last().unwrap().1, 3);
        assert_eq!(s.referrals_daily.len(), 30);
        assert_eq!(s.referrals_weekly.iter().map(|c| c.1).sum::<i64>(), 3);
        assert_eq!(s.enrolled, 1);
        assert_eq!(s.enrolments_weekly.last().unwrap().1, 1);
        // The waits: 2023's two referrals came a day after applying; staff orders are no wait.
        assert_eq!(s.waits.len(), 1);
        let w23 = &s.waits[0];
        assert_eq!((w23.cohort, w23.referrals), (C2023, 2));
        assert!((w23.median_days - 1.0).abs() < 0.01, "{w23:?}");

        // The seat postings: four, newest first; by kindergarten, by day, by district.
        let all = w
            .store
            .seat_protocol(&ProtocolFilter::default())
            .await
            .unwrap();
        assert_eq!(all.total, 3);
        assert_eq!(all.lines[0].place.id, 2);
        assert_eq!((all.lines[0].before, all.lines[0].after), (1, 2));
        let only_1 = ProtocolFilter {
            kindergarten: Some(all.lines.last().unwrap().place.number),
            ..Default::default()
        };
        let k1 = w.store.seat_protocol(&only_1).await.unwrap();
        assert_eq!(k1.total, 1);
        let today = app::engine::rules::almaty_date(w.clock.now_ms());
        let on = |day| ProtocolFilter {
            day: Some(day),
            ..Default::default()
        };
        assert_eq!(w.store.seat_protocol(&on(today)).await.unwrap().total, 3);
        let yesterday = today.previous_day().unwrap();
        assert_eq!(
            w.store.seat_protocol(&on(yesterday)).await.unwrap().total,
            0
        );
        let district = all.lines.last().unwrap().place.district.clone();
        let in_district = ProtocolFilter {
            district: District::from_code(&district),
            ..Default::default()
        };
        let expected = all
            .lines
            .iter()
            .filter(|l| l.place.district == district)
            .count();
        let found = w.store.seat_protocol(&in_district).await.unwrap();
        assert_eq!(found.total, expected as i64);
        assert!(found.lines.iter().all(|l| l.place.district == district));

        // The referrals: three, the staff order flagged with its order and reason.
        let refs = w
            .store
            .referral_protocol(&ProtocolFilter::default())
            .await
            .unwrap();
        assert_eq!(refs.total, 3);
        let line = refs.lines.iter().find(|l| l.code == staff.code).unwrap();
        assert_eq!(line.staff_order.as_deref(), Some("Order 5"));
        assert_eq!(line.staff_reason.as_deref(), Some("the cook's son"));
        assert!(refs
            .lines
            .iter()
            .filter(|l| l.code != staff.code)
            .all(|l| l.staff_order.is_none()));
        // A page past the end is empty, not an error.
        let far = ProtocolFilter {
            page: 5,
            ..Default::default()
        };
        let empty = w.store.referral_protocol(&far).await.unwrap();
        assert!(empty.lines.is_empty());
        assert_eq!(empty.total, 3);
    })
    .await;
}
