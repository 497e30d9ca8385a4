//! Open data: a daily export (and the same on demand) of the public protocols, the anonymised
//! queue and the hash-chained event log, in CSV and JSON, with checksums and signed checkpoints,
//! and the replay that checks an export against itself (`kezek audit replay`).
//!
//! An export is a directory:
//!
//! | file | what |
//! |---|---|
//! | `events.csv`, `events.json` | the event log, every row with its hash and the previous one |
//! | `queue.csv`, `queue.json` | every open application: pseudonym, number, cohort, time, state, position |
//! | `seat-postings.csv`, `.json` | the protocol of seat postings |
//! | `referrals.csv`, `.json` | the protocol of referrals issued |
//! | `checkpoints.json` | the signed checkpoints up to the export's chain head, the last one its own |
//! | `checkpoint-key.json` | the public key that signs checkpoints |
//! | `manifest.json` | when, the chain head, the files with their sizes and SHA-256 |
//! | `SHA256SUMS` | `sha256sum -c` checks every file above |
//!
//! A child's pseudonym is an HMAC-SHA-256 of its IIN under a key the server keeps: the same
//! child keeps it across days and applications, and nobody without the key can go back from it
//! to the IIN.

pub mod checkpoints;
pub mod csv;
pub mod export;
pub mod positions;
pub mod replay;
pub mod verify;

use csv::{opt, CsvRow};
use serde::{Deserialize, Serialize};

pub use crate::domain::open_data::{FileSum, Manifest};
pub use crate::engine::chain::StoredEvent;

/// The export's format, in its manifest.
pub const FORMAT: &str = "kezek-open-data-v1";

/// Every file of an export but `SHA256SUMS`, in the order the manifest lists them.
pub const FILES: [&str; 11] = [
    "events.csv",
    "events.json",
    "queue.csv",
    "queue.json",
    "seat-postings.csv",
    "seat-postings.json",
    "referrals.csv",
    "referrals.json",
    "checkpoints.json",
    "checkpoint-key.json",
    "manifest.json",
];

/// One open application, anonymised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    /// The child's stable pseudonym (32 hex digits).
    pub pseudonym: String,
    /// The application's public number.
    pub application: String,
    pub cohort: i32,
    pub applied_at: i64,
    /// `waiting`, `invited` or `referred`.
    pub status: String,
    /// The position in its cohort, while waiting.
    pub position: Option<i64>,
}

/// One seat posting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingRow {
    pub at: i64,
    pub kindergarten_id: i64,
    pub kindergarten: i32,
    pub district: String,
    pub cohort: i32,
    pub free_before: i64,
    pub free_after: i64,
}

/// One referral issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRow {
    pub code: String,
    pub kindergarten_id: i64,
    pub kindergarten: i32,
    pub district: String,
    pub cohort: i32,
    pub issued_at: i64,
    pub expires_at: i64,
    pub state: String,
    /// The head's order, where a staff member's child was admitted outside queue order.
    pub staff_order: Option<String>,
    pub staff_reason: Option<String>,
    pub extension_reason: Option<String>,
}

impl CsvRow for StoredEvent {
    const HEADER: &'static [&'static str] = &["seq", "at", "kind", "body", "prev_hash", "hash"];
    fn fields(&self) -> Vec<String> {
        vec![
            self.seq.to_string(),
            self.at.to_string(),
            self.kind.clone(),
            self.body.clone(),
            self.prev_hash.clone(),
            self.hash.clone(),
        ]
    }
}

impl CsvRow for QueueRow {
    const HEADER: &'static [&'static str] = &[
        "pseudonym",
        "application",
        "cohort",
        "applied_at",
        "status",
        "position",
    ];
    fn fields(&self) -> Vec<String> {
        vec![
            self.pseudonym.clone(),
            self.application.clone(),
            self.cohort.to_string(),
            self.applied_at.to_string(),
            self.status.clone(),
            opt(&self.position),
        ]
    }
}

impl CsvRow for PostingRow {
    const HEADER: &'static [&'static str] = &[
        "at",
        "kindergarten_id",
        "kindergarten",
        "district",
        "cohort",
        "free_before",
        "free_after",
    ];
    fn fields(&self) -> Vec<String> {
        vec![
            self.at.to_string(),
            self.kindergarten_id.to_string(),
            self.kindergarten.to_string(),
            self.district.clone(),
            self.cohort.to_string(),
            self.free_before.to_string(),
            self.free_after.to_string(),
        ]
    }
}

impl CsvRow for ReferralRow {
    const HEADER: &'static [&'static str] = &[
        "code",
        "kindergarten_id",
        "kindergarten",
        "district",
        "cohort",
        "issued_at",
        "expires_at",
        "state",
        "staff_order",
        "staff_reason",
        "extension_reason",
    ];
    fn fields(&self) -> Vec<String> {
        vec![
            self.code.clone(),
            self.kindergarten_id.to_string(),
            self.kindergarten.to_string(),
            self.district.clone(),
            self.cohort.to_string(),
            self.issued_at.to_string(),
            self.expires_at.to_string(),
            self.state.clone(),
            opt(&self.staff_order),
            opt(&self.staff_reason),
            opt(&self.extension_reason),
        ]
    }
}
