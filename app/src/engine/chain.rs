//! The event log's hash chain.
//!
//! Each event's hash is SHA-256 over a canonical encoding of the event (its sequence number,
//! time, kind and JSON body, one per line) preceded by the previous event's hash. Changing,
//! removing or inserting any row breaks every hash after it, which anyone holding the public
//! log can recompute.

use sha2::{Digest, Sha256};

/// The "previous hash" of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 of `bytes` as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The hash of one event, as 64 lowercase hex digits.
pub fn event_hash(prev_hash: &str, seq: i64, at: i64, kind: &str, body: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(seq.to_string().as_bytes());
    h.update(b"\n");
    h.update(at.to_string().as_bytes());
    h.update(b"\n");
    h.update(kind.as_bytes());
    h.update(b"\n");
    h.update(body.as_bytes());
    hex(&h.finalize())
}

/// One stored event, as `kezek audit verify` reads it and the open data publishes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredEvent {
    pub seq: i64,
    pub at: i64,
    pub kind: String,
    pub body: String,
    pub prev_hash: String,
    pub hash: String,
}

/// What is wrong with the first bad row of a chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("event {seq}: expected sequence number {expected}")]
    Gap { seq: i64, expected: i64 },
    #[error("event {seq}: its previous hash does not match event {}'s hash", seq - 1)]
    Link { seq: i64 },
    #[error("event {seq}: its hash does not match its content")]
    Content { seq: i64 },
    #[error("the chain head names event {head_seq}, but the log ends at {last_seq}")]
    Head { head_seq: i64, last_seq: i64 },
}

impl ChainError {
    /// The sequence number of the first bad row.
    pub fn seq(&self) -> i64 {
        match self {
            ChainError::Gap { seq, .. }
            | ChainError::Link { seq }
            | ChainError::Content { seq } => *seq,
            ChainError::Head { last_seq, .. } => *last_seq,
        }
    }
}

/// Checks events in sequence order, continuing from `prev` (the last good event's sequence
/// number and hash). Returns the new last good (sequence, hash).
pub fn verify<'a>(
    prev: (i64, String),
    events: impl IntoIterator<Item = &'a StoredEvent>,
) -> Result<(i64, String), ChainError> {
    let (mut last_seq, mut last_hash) = prev;
    for e in events {
        if e.seq != last_seq + 1 {
            return Err(ChainError::Gap {
                seq: e.seq,
                expected: last_seq + 1,
            });
        }
        if e.prev_hash != last_hash {
            return Err(ChainError::Link { seq: e.seq });
        }
        if event_hash(&e.prev_hash, e.seq, e.at, &e.kind, &e.body) != e.hash {
            return Err(ChainError::Content { seq: e.seq });
        }
        last_seq = e.seq;
        last_hash = e.hash.clone();
    }
    Ok((last_seq, last_hash))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chain(n: usize) -> Vec<StoredEvent> {
        let mut prev = GENESIS.to_string();
        (1..=n as i64)
            .map(|seq| {
                let body = format!("{{\"n\":{seq}}}");
                let hash = event_hash(&prev, seq, seq * 10, "test", &body);
                let e = StoredEvent {
                    seq,
                    at: seq * 10,
                    kind: "test".into(),
                    body,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    #[test]
    fn known_answer() {
        // SHA-256 of "0…0\n1\n0\nk\n{}" (checked with sha256sum).
        assert_eq!(
            event_hash(GENESIS, 1, 0, "k", "{}"),
            "d746adc1b369e36b6c4a8e969e0c3a9be1d7add2f5e25adcfdf2218b4c2138d9"
        );
    }

    proptest! {
        #[test]
        fn any_edit_is_caught_at_its_row(n in 1usize..30, at in 0usize..30, what in 0u8..4) {
            let mut events = chain(n);
            prop_assert!(verify((0, GENESIS.into()), &events).is_ok());
            let i = at % n;
            match what {
                0 => events[i].body.push(' '),
                1 => events[i].at += 1,
                2 => events[i].kind.push('x'),
                _ => { events.remove(i); }
            }
            let err = verify((0, GENESIS.into()), &events);
            if what == 3 && i == n - 1 {
                // Dropping the last row leaves a valid shorter chain: the head catches it.
                prop_assert!(err.is_ok());
            } else {
                let seq = err.unwrap_err().seq();
                prop_assert_eq!(seq, i as i64 + 1 + i64::from(what == 3));
            }
        }
    }
}
