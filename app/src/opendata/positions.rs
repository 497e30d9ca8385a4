//! Positions as the site computes them, from a cohort's waiting children alone: each list in
//! queue order, the two interleaved by the ratio from the cohort's seat turn. The export
//! publishes them from the database; the replay computes them from the log.

use crate::engine::rules::{List, QueueKey, Rules};
use std::collections::{BTreeMap, HashMap};

/// Positions of waiting children `(number, cohort, key)` under `rules` with the cohorts' turns.
pub fn positions<'a>(
    rules: &Rules,
    turns: &HashMap<i32, u64>,
    waiting: impl Iterator<Item = (&'a str, i32, QueueKey)>,
) -> HashMap<String, i64> {
    let mut by_cohort: BTreeMap<i32, Vec<(QueueKey, &str)>> = BTreeMap::new();
    for (no, cohort, key) in waiting {
        by_cohort.entry(cohort).or_default().push((key, no));
    }
    let mut out = HashMap::new();
    for (cohort, mut list) in by_cohort {
        list.sort();
        let privileged = list
            .iter()
            .filter(|(k, _)| k.list() == List::Privileged)
            .count() as u64;
        let general = list.len() as u64 - privileged;
        let turn = turns.get(&cohort).copied().unwrap_or(0);
        let (mut rank_p, mut rank_g) = (0, 0);
        for (key, no) in list {
            let rank = if key.list() == List::Privileged {
                rank_p += 1;
                rank_p
            } else {
                rank_g += 1;
                rank_g
            };
            let at = rules.position(key.list(), rank, turn, privileged, general);
            out.insert(no.to_string(), at as i64);
        }
    }
    out
}
