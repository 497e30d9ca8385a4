//! The queue's public figures, as `/statistics` shows them: nothing about any one child.

use serde::{Deserialize, Serialize};

/// One bar of a chart: its key (a cohort, a district or class code, an ISO date) and count.
pub type Count = (String, i64);

/// Waiting times from application to referral for one age group, in days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaitTimes {
    pub cohort: i32,
    /// Referrals counted (issued in queue order; a head's staff orders are not waits).
    pub referrals: i64,
    pub median_days: f64,
    pub p90_days: f64,
}

/// The figures, read at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    /// When they were read (Unix milliseconds) and that day in Almaty (ISO).
    pub at: i64,
    pub today: String,
    /// Children waiting (for an invitation, or invited and choosing).
    pub waiting: i64,
    /// Waiting by birth year (oldest first), by district code and by priority class code.
    pub by_cohort: Vec<Count>,
    pub by_district: Vec<Count>,
    pub by_class: Vec<Count>,
    /// Free seats now in the kindergartens of the queue, by birth year.
    pub free_by_cohort: Vec<Count>,
    pub free: i64,
    /// Referrals issued per day (the last 30 days) and per week (the last 12, by Monday).
    pub referrals_daily: Vec<Count>,
    pub referrals_weekly: Vec<Count>,
    /// Children enrolled per week (the last 12) and in all.
    pub enrolments_weekly: Vec<Count>,
    pub enrolled: i64,
    pub waits: Vec<WaitTimes>,
}

/// The value at `share` (0..=1) of sorted `values`, by nearest rank; none of an empty list.
pub fn percentile(sorted: &[f64], share: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (share * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), Some(5.0));
        assert_eq!(percentile(&v, 0.9), Some(9.0));
        assert_eq!(percentile(&v, 1.0), Some(10.0));
        assert_eq!(percentile(&[7.0], 0.9), Some(7.0));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
