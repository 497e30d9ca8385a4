//! The queue's pure rules: the privileged/general interleave and positions, the August pause,
//! the age threshold, the days of the yearly steps, and where siblings fit. Working days and the
//! calendar are in `calendar.rs` (re-exported here).
//!
//! Nothing here reads a clock or a database: every input is a parameter, so each rule is
//! checked by property tests on its own.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, Duration, Month};

use super::calendar::latest_year;
pub use super::calendar::{
    add_days_ms, almaty_date, day_in, default_holidays, is_weekend, start_of_day_ms, Calendar,
};
use crate::domain::PriorityClass;

/// The rules' parameters, set by the education department (defaults are Almaty's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rules {
    /// Seats go to the privileged and the general list in the ratio `privileged : general`.
    pub privileged_share: u32,
    pub general_share: u32,
    /// Working days an invitation stays open.
    pub invitation_days: u32,
    /// Working days a referral stays valid.
    pub referral_days: u32,
    /// Longest validity of a referral after extensions, in calendar days from its issue.
    pub max_extension_days: u32,
    /// Days without a new invitation after an unused referral or invitation.
    pub stop_days: u32,
    /// Children are invited from this age (the moving part of the queue).
    pub min_age_months: u32,
    /// Seat posting pauses between these days of the year (inclusive), as (month, day).
    pub pause_from: (u8, u8),
    pub pause_to: (u8, u8),
    /// Privileges not confirmed again since the last re-check are dropped after this day of
    /// each year, as (month, day).
    pub recheck_due: (u8, u8),
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            privileged_share: 1,
            general_share: 3,
            invitation_days: 3,
            referral_days: 5,
            max_extension_days: 30,
            stop_days: 10,
            min_age_months: 24,
            pause_from: (8, 1),
            pause_to: (8, 31),
            recheck_due: (6, 30),
        }
    }
}

impl Rules {
    /// Whether the parameters make sense (both lists get seats, periods are positive, dates
    /// exist).
    pub fn is_valid(&self) -> bool {
        let day_ok = |(m, d): (u8, u8)| {
            Month::try_from(m)
                .ok()
                .and_then(|m| Date::from_calendar_date(2024, m, d).ok())
                .is_some()
        };
        self.privileged_share >= 1
            && self.general_share >= 1
            && self.privileged_share.saturating_add(self.general_share) <= 100
            && (1..=60).contains(&self.invitation_days)
            && (1..=60).contains(&self.referral_days)
            && self.max_extension_days >= 1
            && self.max_extension_days <= 366
            && self.stop_days <= 366
            && self.min_age_months <= 72
            && day_ok(self.pause_from)
            && day_ok(self.pause_to)
            && day_ok(self.recheck_due)
    }

    fn cycle(&self) -> u64 {
        u64::from(self.privileged_share + self.general_share)
    }

    /// Whether seat turn `turn` (counted from the cohort's first) belongs to the privileged
    /// list. Each cycle starts with the privileged turns.
    pub fn turn_is_privileged(&self, turn: u64) -> bool {
        turn % self.cycle() < u64::from(self.privileged_share)
    }

    /// The turn (counted from `turn`, 0-based) at which the `n`-th (1-based) turn of `list`
    /// comes.
    fn nth_turn(&self, list: List, n: u64, turn: u64) -> u64 {
        let cycle = self.cycle();
        let mine: Vec<u64> = (0..cycle)
            .filter(|i| self.turn_is_privileged(turn + i) == (list == List::Privileged))
            .collect();
        let per = mine.len() as u64;
        (n - 1) / per * cycle + mine[((n - 1) % per) as usize]
    }

    /// The place at which the child `rank`-th (1-based) in `list` would be invited, when the
    /// cohort's next seat turn is `turn` and `privileged`/`general` children wait in the two
    /// lists. When one list runs out, its turns pass to the other.
    pub fn position(&self, list: List, rank: u64, turn: u64, privileged: u64, general: u64) -> u64 {
        if rank == 0 {
            return 0;
        }
        let at = self.nth_turn(list, rank, turn);
        let others_before = at - (rank - 1);
        let others = match list {
            List::Privileged => general,
            List::General => privileged,
        };
        rank + others_before.min(others)
    }

    /// Which list each of the next `want` invitations goes to, starting at seat turn `turn`,
    /// with `privileged` and `general` children available. Returns the lists in order and the
    /// turn after them. A turn whose list is empty passes to the other list.
    pub fn schedule(
        &self,
        mut turn: u64,
        mut privileged: u64,
        mut general: u64,
        want: u64,
    ) -> (Vec<List>, u64) {
        let mut out = Vec::new();
        while (out.len() as u64) < want {
            let Some((list, after)) = self.next_list(turn, privileged > 0, general > 0) else {
                break;
            };
            match list {
                List::Privileged => privileged -= 1,
                List::General => general -= 1,
            }
            out.push(list);
            turn = after;
        }
        (out, turn)
    }

    /// The list the next invitation goes to, from seat turn `turn`, given which lists have
    /// children, and the turn after it. A turn whose list is empty passes to the other list.
    /// `None` when both are empty.
    pub fn next_list(&self, mut turn: u64, privileged: bool, general: bool) -> Option<(List, u64)> {
        if !privileged && !general {
            return None;
        }
        loop {
            let p = self.turn_is_privileged(turn);
            turn += 1;
            if p && privileged {
                return Some((List::Privileged, turn));
            }
            if !p && general {
                return Some((List::General, turn));
            }
        }
    }

    /// Whether seat posting pauses on `day` (children move between age groups).
    pub fn posting_paused(&self, day: Date) -> bool {
        let md = (day.month() as u8, day.day());
        if self.pause_from <= self.pause_to {
            self.pause_from <= md && md <= self.pause_to
        } else {
            md >= self.pause_from || md <= self.pause_to
        }
    }

    /// The year of the latest re-check of privileges that is over by `today` (it happens the
    /// day after the due date).
    pub fn recheck_year(&self, today: Date) -> i32 {
        latest_year(today, |y| day_in(y, self.recheck_due) < today)
    }

    /// The first moment a confirmation counts for the re-check of `year`: the day after the
    /// previous one's due date.
    pub fn recheck_window(&self, year: i32) -> i64 {
        start_of_day_ms(day_in(year - 1, self.recheck_due) + Duration::days(1))
    }

    /// The school year (its starting calendar year) whose age groups have moved up by `today`:
    /// they move on the first day of the August pause.
    pub fn move_year(&self, today: Date) -> i32 {
        latest_year(today, |y| day_in(y, self.pause_from) <= today)
    }

    /// The latest birth date of a child who may be invited on `today` (the age threshold;
    /// the only place it is computed).
    pub fn age_cutoff(&self, today: Date) -> Date {
        months_before(today, self.min_age_months)
    }

    /// Whether a child born on `birth` may be invited on `today`.
    pub fn old_enough(&self, birth: Date, today: Date) -> bool {
        birth <= self.age_cutoff(today)
    }
}

/// A child's place in its cohort's order: priority class (extraordinary, primary, general),
/// then the application time to the millisecond, then the application id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct QueueKey {
    pub priority: PriorityClass,
    pub applied_at: i64,
    pub id: i64,
}

impl QueueKey {
    pub fn list(&self) -> List {
        if self.priority.is_privileged() {
            List::Privileged
        } else {
            List::General
        }
    }
}

impl Rules {
    /// The order in which the children of one cohort would be invited, from seat turn `turn`:
    /// each list in queue order, the two interleaved by the ratio.
    pub fn invitation_order(&self, keys: &[QueueKey], turn: u64) -> Vec<QueueKey> {
        let mut sorted = keys.to_vec();
        sorted.sort();
        let (privileged, general): (Vec<QueueKey>, Vec<QueueKey>) = sorted
            .into_iter()
            .partition(|k| k.list() == List::Privileged);
        let (lists, _) = self.schedule(
            turn,
            privileged.len() as u64,
            general.len() as u64,
            keys.len() as u64,
        );
        let (mut p, mut g) = (privileged.into_iter(), general.into_iter());
        lists
            .into_iter()
            .filter_map(|l| match l {
                List::Privileged => p.next(),
                List::General => g.next(),
            })
            .collect()
    }
}

pub use crate::domain::application::months_before;

/// The two lists a cohort's seats are shared between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum List {
    Privileged,
    General,
}

/// The kindergartens where a sibling group fits: each needs, in every cohort of the group, at
/// least as many free seats as the group has children of that cohort. `free` lists
/// `(kindergarten, cohort, free seats)`. The answer is sorted by kindergarten id.
pub fn where_siblings_fit(needs: &BTreeMap<i32, i64>, free: &[(i64, i32, i64)]) -> Vec<i64> {
    let mut have: BTreeMap<i64, BTreeMap<i32, i64>> = BTreeMap::new();
    for &(k, c, n) in free {
        *have.entry(k).or_default().entry(c).or_default() += n;
    }
    have.into_iter()
        .filter(|(_, seats)| {
            needs
                .iter()
                .all(|(c, n)| seats.get(c).copied().unwrap_or(0) >= *n)
        })
        .map(|(k, _)| k)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn ratio(p: u32, g: u32) -> Rules {
        Rules {
            privileged_share: p,
            general_share: g,
            ..Rules::default()
        }
    }

    /// Invites everyone one by one, as the engine would, and returns each child's place.
    fn simulate(r: &Rules, turn: u64, p: u64, g: u64) -> (Vec<u64>, Vec<u64>) {
        let (order, _) = r.schedule(turn, p, g, p + g);
        let (mut pp, mut gp) = (vec![], vec![]);
        for (i, l) in order.iter().enumerate() {
            match l {
                List::Privileged => pp.push(i as u64 + 1),
                List::General => gp.push(i as u64 + 1),
            }
        }
        (pp, gp)
    }

    #[test]
    fn one_to_three_from_the_start() {
        let r = Rules::default();
        let (order, turn) = r.schedule(0, 10, 10, 8);
        use List::*;
        assert_eq!(
            order,
            vec![Privileged, General, General, General, Privileged, General, General, General]
        );
        assert_eq!(turn, 8);
        // A general child ranked 4th comes after two privileged children.
        assert_eq!(r.position(General, 4, 0, 10, 10), 6);
        // With no privileged children the general list takes every seat.
        assert_eq!(r.position(General, 4, 0, 0, 10), 4);
        let (order, _) = r.schedule(0, 1, 10, 6);
        assert_eq!(
            order,
            vec![Privileged, General, General, General, General, General]
        );
    }

    proptest! {
        #[test]
        fn positions_match_the_invitation_order(
            p in 1u32..4, g in 1u32..6, turn in 0u64..40, np in 0u64..40, ng in 0u64..80,
        ) {
            let r = ratio(p, g);
            let (pp, gp) = simulate(&r, turn, np, ng);
            prop_assert_eq!(pp.len() as u64, np);
            prop_assert_eq!(gp.len() as u64, ng);
            for (i, want) in pp.iter().enumerate() {
                prop_assert_eq!(r.position(List::Privileged, i as u64 + 1, turn, np, ng), *want);
            }
            for (i, want) in gp.iter().enumerate() {
                prop_assert_eq!(r.position(List::General, i as u64 + 1, turn, np, ng), *want);
            }
        }

        #[test]
        fn invitation_order_follows_class_then_time_then_id(
            raw in proptest::collection::vec((0i32..3, 0i64..20), 0..60), turn in 0u64..8,
        ) {
            let r = Rules::default();
            let keys: Vec<QueueKey> = raw
                .iter()
                .enumerate()
                .map(|(i, (p, t))| QueueKey {
                    priority: PriorityClass::ALL[*p as usize],
                    applied_at: *t,
                    id: i as i64 + 1,
                })
                .collect();
            let order = r.invitation_order(&keys, turn);
            // Everyone, once.
            let mut seen = order.clone();
            seen.sort();
            let mut all = keys.clone();
            all.sort();
            prop_assert_eq!(seen, all);
            // Inside each list: class, then time, then id; extraordinary before primary.
            for list in [List::Privileged, List::General] {
                let mine: Vec<_> = order.iter().filter(|k| k.list() == list).collect();
                prop_assert!(mine.windows(2).all(|w| w[0] < w[1]));
            }
            // Each child's position is its place in this order.
            let np = keys.iter().filter(|k| k.list() == List::Privileged).count() as u64;
            let ng = keys.len() as u64 - np;
            let mut ranks = [0u64, 0u64];
            for (i, k) in order.iter().enumerate() {
                let slot = usize::from(k.list() == List::General);
                ranks[slot] += 1;
                prop_assert_eq!(r.position(k.list(), ranks[slot], turn, np, ng), i as u64 + 1);
            }
        }

        #[test]
        fn every_window_keeps_the_ratio_while_both_lists_last(
            turn in 0u64..100, want in 0u64..200,
        ) {
            let r = Rules::default();
            let (order, end) = r.schedule(turn, 1_000, 1_000, want);
            prop_assert_eq!(order.len() as u64, want);
            prop_assert_eq!(end, turn + want);
            // Any 4 consecutive invitations hold exactly one privileged child.
            for w in order.windows(4) {
                prop_assert_eq!(w.iter().filter(|l| **l == List::Privileged).count(), 1);
            }
        }

        #[test]
        fn schedule_never_invites_more_than_wanted_or_available(
            turn in 0u64..50, np in 0u64..30, ng in 0u64..30, want in 0u64..80,
        ) {
            let r = Rules::default();
            let (order, _) = r.schedule(turn, np, ng, want);
            prop_assert_eq!(order.len() as u64, want.min(np + ng));
            let priv_n = order.iter().filter(|l| **l == List::Privileged).count() as u64;
            prop_assert!(priv_n <= np);
            prop_assert!(order.len() as u64 - priv_n <= ng);
        }

        #[test]
        fn siblings_go_only_where_all_fit(
            needs in proptest::collection::btree_map(2021i32..2025, 1i64..3, 1..3),
            free in proptest::collection::vec((1i64..8, 2021i32..2025, 0i64..4), 0..30),
        ) {
            let fits = where_siblings_fit(&needs, &free);
            for k in 1i64..8 {
                let enough = needs.iter().all(|(c, n)| {
                    free.iter().filter(|(fk, fc, _)| *fk == k && fc == c).map(|t| t.2).sum::<i64>() >= *n
                });
                prop_assert_eq!(fits.contains(&k), enough, "kindergarten {}", k);
            }
        }

        #[test]
        fn months_before_never_overshoots(y in 2000i32..2040, doy in 1u16..366, m in 0u32..100) {
            let day = Date::from_ordinal_date(y, doy).unwrap();
            let back = months_before(day, m);
            prop_assert!(back <= day);
            let months = (day.year() - back.year()) * 12 + day.month() as i32 - back.month() as i32;
            prop_assert_eq!(months, m as i32);
        }
    }

    #[test]
    fn holidays_and_the_august_pause() {
        let cal = Calendar::new(default_holidays().into_iter().map(|(d, _)| d));
        // Invited on Friday 20 March 2026: Nauryz and its transfers, then the weekend.
        let issued = start_of_day_ms(date!(2026 - 03 - 20)) + 10 * 3_600_000;
        let dl = cal.deadline(issued, 3);
        assert_eq!(almaty_date(dl - 1), date!(2026 - 03 - 30));
        // Invited on a plain Monday: lapses at the end of Thursday.
        let issued = start_of_day_ms(date!(2026 - 11 - 23)) + 9 * 3_600_000;
        assert_eq!(
            almaty_date(cal.deadline(issued, 3) - 1),
            date!(2026 - 11 - 26)
        );
        let r = Rules::default();
        assert!(r.posting_paused(date!(2026 - 08 - 01)));
        assert!(r.posting_paused(date!(2026 - 08 - 31)));
        assert!(!r.posting_paused(date!(2026 - 09 - 01)));
        assert!(!r.posting_paused(date!(2026 - 07 - 31)));
        assert!(r.old_enough(date!(2024 - 11 - 25), date!(2026 - 11 - 25)));
        assert!(!r.old_enough(date!(2024 - 11 - 26), date!(2026 - 11 - 25)));
        assert!(r.is_valid());
        assert!(!ratio(0, 3).is_valid());
    }

    #[test]
    fn yearly_steps_fall_on_their_days() {
        let r = Rules::default();
        // The re-check of 30 June happens on 1 July; confirmations count from the day after
        // the previous one.
        assert_eq!(r.recheck_year(date!(2027 - 06 - 30)), 2026);
        assert_eq!(r.recheck_year(date!(2027 - 07 - 01)), 2027);
        assert_eq!(r.recheck_year(date!(2027 - 01 - 15)), 2026);
        assert_eq!(
            r.recheck_window(2027),
            start_of_day_ms(date!(2026 - 07 - 01))
        );
        // Groups move on the pause's first day.
        assert_eq!(r.move_year(date!(2027 - 07 - 31)), 2026);
        assert_eq!(r.move_year(date!(2027 - 08 - 01)), 2027);
        assert_eq!(r.move_year(date!(2028 - 03 - 01)), 2027);
        // 29 February in a common year is its last day.
        assert_eq!(day_in(2027, (2, 29)), date!(2027 - 02 - 28));
        assert_eq!(day_in(2028, (2, 29)), date!(2028 - 02 - 29));
        let mut bad = r.clone();
        bad.recheck_due = (6, 31);
        assert!(!bad.is_valid());
    }
}
