//! Who gets invited: a pure function of the waiting children, the free seats, the cohort's seat
//! turn, the rules and the time. `invitations::fill` only reads its inputs and writes its
//! answer, so every rule of the choice is property-tested here without a database.
//!
//! The rules it applies: queue order inside each list (class, time, id), the lists interleaved
//! by the privileged:general ratio from the cohort's turn, children under the age threshold or
//! on the stop-list passed over (they keep their place), and siblings who applied together
//! invited together, only where one kindergarten has seats for all of them.

use super::rules::{where_siblings_fit, List, QueueKey, Rules};
use crate::domain::queue::AppStatus;
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

/// A child who might be invited.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: i64,
    pub key: QueueKey,
    pub cohort: i32,
    pub status: AppStatus,
    pub birth_date: Date,
    /// Not invited before this time (Unix ms): the stop-list.
    pub stop_until: i64,
    pub sibling_group: Option<i64>,
}

/// What the choice depends on besides the children.
pub struct Situation<'a> {
    pub cohort: i32,
    /// How many more children of the cohort to invite (free seats minus open invitations).
    pub want: u64,
    /// The cohort's next seat turn of the interleave.
    pub turn: u64,
    pub rules: &'a Rules,
    pub today: Date,
    pub now: i64,
    /// Free seats `(kindergarten, cohort, free)` of the queue's kindergartens, for siblings.
    pub free: &'a [(i64, i32, i64)],
}

/// The choice: who to invite, in order (siblings of other cohorts included), and the cohort's
/// turn after it. `steps[i]` says of `invite[i]` which child's turn invited it (itself, or the
/// sibling whose turn it was) and the cohort's turn after that step: the public log carries both,
/// so that a replay can check each turn against the ratio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub invite: Vec<i64>,
    pub steps: Vec<(i64, u64)>,
    pub turn: u64,
}

/// Whether a child may be invited now.
pub fn eligible(c: &Candidate, s: &Situation) -> bool {
    c.status == AppStatus::Waiting
        && c.stop_until <= s.now
        && s.rules.old_enough(c.birth_date, s.today)
}

/// Chooses whom to invite. `candidates` are the cohort's waiting children (any order; others
/// are ignored); `siblings` every waiting member of their sibling groups (any cohort).
pub fn select(candidates: &[Candidate], siblings: &[Candidate], s: &Situation) -> Selection {
    let mut lists: [Vec<&Candidate>; 2] = [Vec::new(), Vec::new()];
    for c in candidates {
        if c.cohort == s.cohort && eligible(c, s) {
            let i = usize::from(c.key.list() == List::General);
            lists[i].push(c);
        }
    }
    for l in &mut lists {
        l.sort_by_key(|c| c.key);
    }
    let mut groups: BTreeMap<i64, Vec<&Candidate>> = BTreeMap::new();
    for m in siblings {
        if let Some(g) = m.sibling_group {
            if m.status == AppStatus::Waiting && m.stop_until <= s.now {
                groups.entry(g).or_default().push(m);
            }
        }
    }
    let mut next = [0usize, 0usize];
    let mut turn = s.turn;
    let mut invited_here = 0u64;
    let mut done: BTreeSet<i64> = BTreeSet::new();
    let mut invite = Vec::new();
    let mut steps = Vec::new();
    while invited_here < s.want {
        // Children already invited (as someone's sibling) leave the heads of the lists.
        for i in 0..2 {
            while next[i] < lists[i].len() && done.contains(&lists[i][next[i]].id) {
                next[i] += 1;
            }
        }
        let has = |i: usize| next[i] < lists[i].len();
        let Some((list, after)) = s.rules.next_list(turn, has(0), has(1)) else {
            break;
        };
        let i = usize::from(list == List::General);
        let cand = lists[i][next[i]];
        next[i] += 1;
        let mut members: Vec<&Candidate> = match cand.sibling_group.and_then(|g| groups.get(&g)) {
            Some(all) if all.len() > 1 => {
                let mut needs: BTreeMap<i32, i64> = BTreeMap::new();
                for m in all {
                    *needs.entry(m.cohort).or_default() += 1;
                }
                if where_siblings_fit(&needs, s.free).is_empty() {
                    // They keep their place; the turn goes to the next child of the list.
                    continue;
                }
                all.clone()
            }
            _ => vec![cand],
        };
        members.sort_by_key(|m| m.id);
        let here = members.iter().filter(|m| m.cohort == s.cohort).count() as u64;
        if here > s.want - invited_here {
            continue;
        }
        for m in members {
            if done.insert(m.id) {
                invite.push(m.id);
                steps.push((cand.id, after));
            }
        }
        invited_here += here;
        turn = after;
    }
    Selection {
        invite,
        steps,
        turn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PriorityClass;
    use proptest::prelude::*;
    use time::macros::date;

    const NOW: i64 = 1_000_000;
    const TODAY: Date = date!(2026 - 11 - 25);
    const COHORT: i32 = 2023;

    /// `(class, time, old enough, stop-listed, status waiting, group)`
    type Raw = (usize, i64, bool, bool, bool, Option<i64>);

    fn candidates(raw: &[Raw]) -> Vec<Candidate> {
        raw.iter()
            .enumerate()
            .map(|(i, &(p, t, old, stopped, waiting, group))| Candidate {
                id: i as i64 + 1,
                key: QueueKey {
                    priority: PriorityClass::ALL[p],
                    applied_at: t,
                    id: i as i64 + 1,
                },
                cohort: COHORT,
                status: if waiting {
                    AppStatus::Waiting
                } else {
                    AppStatus::Invited
                },
                birth_date: if old {
                    date!(2023 - 03 - 01)
                } else {
                    date!(2025 - 03 - 01)
                },
                stop_until: if stopped { NOW + 1 } else { NOW },
                sibling_group: group,
            })
            .collect()
    }

    fn situation<'a>(
        rules: &'a Rules,
        want: u64,
        turn: u64,
        free: &'a [(i64, i32, i64)],
    ) -> Situation<'a> {
        Situation {
            cohort: COHORT,
            want,
            turn,
            rules,
            today: TODAY,
            now: NOW,
            free,
        }
    }

    fn raw_children() -> impl Strategy<Value = Vec<Raw>> {
        proptest::collection::vec(
            (
                0usize..3,
                0i64..30,
                prop::bool::weighted(0.85),
                prop::bool::weighted(0.1),
                prop::bool::weighted(0.9),
                Just(None),
            ),
            0..50,
        )
    }

    proptest! {
        /// Without siblings, the invited are exactly the first `want` eligible children of
        /// the rules' invitation order, and the turn moves by one per invitation.
        #[test]
        fn invites_the_rules_order_of_eligible_children(
            raw in raw_children(), want in 0u64..20, turn in 0u64..8, p in 1u32..3, g in 1u32..5,
        ) {
            let rules = Rules { privileged_share: p, general_share: g, ..Rules::default() };
            let all = candidates(&raw);
            let s = situation(&rules, want, turn, &[]);
            let got = select(&all, &[], &s);
            let keys: Vec<QueueKey> = all.iter().filter(|c| eligible(c, &s)).map(|c| c.key).collect();
            let order: Vec<i64> = rules
                .invitation_order(&keys, turn)
                .into_iter()
                .take(want as usize)
                .map(|k| k.id)
                .collect();
            prop_assert_eq!(&got.invite, &order);
            prop_assert_eq!(got.turn, rules.schedule(turn,
                keys.iter().filter(|k| k.list() == List::Privileged).count() as u64,
                keys.iter().filter(|k| k.list() == List::General).count() as u64,
                want).1);
        }

        /// Never a child under the age threshold, on the stop-list or not waiting; never more
        /// than `want`; everyone at most once.
        #[test]
        fn never_invites_the_ineligible_or_too_many(
            raw in raw_children(), want in 0u64..20, turn in 0u64..8,
        ) {
            let rules = Rules::default();
            let all = candidates(&raw);
            let s = situation(&rules, want, turn, &[]);
            let got = select(&all, &[], &s);
            prop_assert!(got.invite.len() as u64 <= want);
            let mut seen = BTreeSet::new();
            for id in &got.invite {
                prop_assert!(seen.insert(*id));
                let c = all.iter().find(|c| c.id == *id).unwrap();
                prop_assert!(eligible(c, &s));
                prop_assert!(c.stop_until <= NOW && c.status == AppStatus::Waiting);
            }
        }

        /// Siblings are invited all together or not at all, and together only where one
        /// kindergarten has a seat for each of them.
        #[test]
        fn siblings_together_only_where_all_fit(
            raw in proptest::collection::vec(
                (0usize..3, 0i64..30, Just(true), Just(false), Just(true), proptest::option::of(1i64..4)),
                0..30),
            want in 0u64..12, seats in proptest::collection::vec((1i64..4, 0i64..3), 0..4),
        ) {
            let rules = Rules::default();
            let all = candidates(&raw);
            let free: Vec<(i64, i32, i64)> = seats.iter().map(|&(k, n)| (k, COHORT, n)).collect();
            let s = situation(&rules, want, 0, &free);
            let got = select(&all, &all, &s);
            let invited: BTreeSet<i64> = got.invite.iter().copied().collect();
            for g in 1..4 {
                let members: Vec<&Candidate> = all.iter().filter(|c| c.sibling_group == Some(g)).collect();
                if members.len() < 2 {
                    continue;
                }
                let n = members.iter().filter(|m| invited.contains(&m.id)).count();
                prop_assert!(n == 0 || n == members.len(), "group {} split: {} of {}", g, n, members.len());
                if n > 0 {
                    let needs = BTreeMap::from([(COHORT, members.len() as i64)]);
                    prop_assert!(!where_siblings_fit(&needs, &free).is_empty());
                }
            }
            prop_assert!(got.invite.len() as u64 <= want);
        }
    }

    #[test]
    fn a_sibling_pair_that_fits_nowhere_keeps_its_place_and_the_next_child_goes() {
        let rules = Rules::default();
        // Two general siblings first in the queue, then a general child.
        let all = candidates(&[
            (2, 1, true, false, true, Some(9)),
            (2, 2, true, false, true, Some(9)),
            (2, 3, true, false, true, None),
        ]);
        let one_seat_each = [(1, COHORT, 1), (2, COHORT, 1)];
        let got = select(&all, &all, &situation(&rules, 2, 1, &one_seat_each));
        assert_eq!(got.invite, vec![3]);
        let two_seats = [(1, COHORT, 2)];
        let got = select(&all, &all, &situation(&rules, 2, 1, &two_seats));
        assert_eq!(got.invite, vec![1, 2]);
    }
}
