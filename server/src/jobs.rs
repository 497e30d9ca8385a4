//! The background jobs: every minute, lapse invitations and expire referrals whose time has
//! passed, run the yearly steps when due (the re-check of privileges, the August move of age
//! groups), fill free seats with invitations, queue reminders and weekly summaries; every ten
//! minutes, record position changes.

use app::engine::{Engine, EngineError};
use std::sync::Arc;
use std::time::Duration;

/// What one run did.
pub struct Report {
    pub tick: app::engine::TickReport,
    pub positions: u64,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "lapsed_invitations={} expired_referrals={} invited={} positions_recorded={} \
             reminders={} summaries={} privileges_dropped={} groups_moved={} groups_freed={}",
            self.tick.lapsed_invitations,
            self.tick.expired_referrals,
            self.tick.invited,
            self.positions,
            self.tick.reminders,
            self.tick.summaries,
            self.tick.privileges_dropped,
            self.tick.groups_moved,
            self.tick.groups_freed
        )
    }
}

/// Runs every job once.
pub async fn run_once(engine: &Engine) -> Result<Report, EngineError> {
    let tick = engine.tick().await?;
    let positions = engine.record_positions().await?;
    Ok(Report { tick, positions })
}

/// The server's loop. A failed run is logged and retried at the next minute.
pub async fn every_minute(engine: Arc<Engine>) {
    let mut minute = tokio::time::interval(Duration::from_secs(60));
    minute.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut n: u64 = 0;
    loop {
        minute.tick().await;
        match engine.tick().await {
            Ok(r) if r != Default::default() => tracing::info!(
                lapsed = r.lapsed_invitations,
                expired = r.expired_referrals,
                invited = r.invited,
                reminders = r.reminders,
                summaries = r.summaries,
                privileges_dropped = r.privileges_dropped,
                groups_moved = r.groups_moved,
                groups_freed = r.groups_freed,
                "queue jobs ran"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "queue jobs failed; retrying next minute"),
        }
        if n.is_multiple_of(10) {
            match engine.record_positions().await {
                Ok(k) if k > 0 => tracing::info!(recorded = k, "position changes recorded"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "recording positions failed"),
            }
        }
        n += 1;
    }
}
