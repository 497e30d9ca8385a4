//! The open data as the pages show it: an export's manifest, a signed checkpoint of the event
//! log and the key that signs them (made and checked on the server: `crate::opendata`).

use serde::{Deserialize, Serialize};

/// One file of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSum {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// What an export holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// The export's name (`2026-11-26` for a daily one, `now` on demand).
    pub name: String,
    pub made_at: i64,
    /// The chain head the export stops at.
    pub seq: i64,
    pub hash: String,
    pub events: u64,
    pub queue: u64,
    pub seat_postings: u64,
    pub referrals: u64,
    /// The data files (all but the manifest and the sums).
    pub files: Vec<FileSum>,
}

/// One signed chain head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    /// When it was signed (Unix ms).
    pub at: i64,
    /// The id of the key that signed.
    pub kid: String,
    /// Ed25519 over [`message`], base64url.
    pub signature: String,
}

/// The public half of a checkpoint key, as `/open-data/checkpoint-key.json` serves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedKey {
    pub kid: String,
    pub alg: String,
    /// The Ed25519 public key, base64url.
    pub x: String,
}

/// What `/open-data` shows: the exports kept (newest first), the newest checkpoint, the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDataIndex {
    pub exports: Vec<Manifest>,
    pub checkpoint: Option<Checkpoint>,
    pub key: PublishedKey,
}
