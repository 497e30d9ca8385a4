//! Where the engine gets the time from: the real clock, or one that moves only when told.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Where the engine gets the time from.
pub trait Clock: Send + Sync + 'static {
    /// Unix milliseconds.
    fn now_ms(&self) -> i64;
}

/// The real time.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
    }
}

/// A clock that moves only when told (tests, and replaying a day).
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(ms: i64) -> Arc<ManualClock> {
        Arc::new(ManualClock(AtomicI64::new(ms)))
    }
    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Where the engine gets randomness from (public numbers): the kernel's, or a seeded sequence
/// so that a test or a replay is the same every time.
pub trait Entropy: Send + Sync + 'static {
    fn next_u64(&self) -> std::io::Result<u64>;
}

/// The kernel's randomness.
pub struct OsEntropy;

impl Entropy for OsEntropy {
    fn next_u64(&self) -> std::io::Result<u64> {
        use std::io::Read;
        let mut bytes = [0u8; 8];
        std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }
}

/// A seeded sequence (SplitMix64).
pub struct SeededEntropy(std::sync::Mutex<crate::demo::Rng>);

impl SeededEntropy {
    pub fn new(seed: u64) -> Arc<SeededEntropy> {
        Arc::new(SeededEntropy(std::sync::Mutex::new(crate::demo::Rng::new(
            seed,
        ))))
    }
}

impl Entropy for SeededEntropy {
    fn next_u64(&self) -> std::io::Result<u64> {
        Ok(self.0.lock().expect("entropy lock").next_u64())
    }
}
