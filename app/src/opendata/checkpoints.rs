//! Signed checkpoints of the event log, as Certificate Transparency publishes signed tree heads:
//! every hour (and with each export) the chain head (sequence number and hash) is signed with
//! the checkpoint key, whose public half is published. Whoever keeps a checkpoint can later
//! prove that the log up to it was not rewritten, even by someone holding the database: a
//! rewritten log no longer has the kept hash at the kept sequence number.
//!
//! What is signed is the text `kezek-checkpoint-v1\n{seq}\n{hash}\n{at}` (Ed25519).

pub use crate::domain::open_data::{Checkpoint, PublishedKey};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};
use std::path::Path;

/// The text a checkpoint's signature covers.
pub fn message(seq: i64, hash: &str, at: i64) -> String {
    format!("kezek-checkpoint-v1\n{seq}\n{hash}\n{at}")
}

/// The key that signs checkpoints.
pub struct CheckpointKey {
    key: SigningKey,
    kid: String,
}

impl CheckpointKey {
    pub fn from_seed(seed: [u8; 32]) -> CheckpointKey {
        let key = SigningKey::from_bytes(&seed);
        let kid = B64.encode(&Sha256::digest(key.verifying_key().as_bytes())[..9]);
        CheckpointKey { key, kid }
    }

    /// The key in `KEZEK_CHECKPOINT_KEY` if set, else `dir/checkpoint-signing.key` (made at the
    /// first start).
    pub fn configured(dir: &Path) -> Result<CheckpointKey, String> {
        let seed = crate::keyfile::secret32(dir, "checkpoint-signing.key", "KEZEK_CHECKPOINT_KEY")?;
        Ok(Self::from_seed(seed))
    }

    pub fn sign(&self, seq: i64, hash: &str, at: i64) -> Checkpoint {
        let sig = self.key.sign(message(seq, hash, at).as_bytes());
        Checkpoint {
            seq,
            hash: hash.to_string(),
            at,
            kid: self.kid.clone(),
            signature: B64.encode(sig.to_bytes()),
        }
    }

    pub fn published(&self) -> PublishedKey {
        PublishedKey {
            kid: self.kid.clone(),
            alg: "Ed25519".into(),
            x: B64.encode(self.key.verifying_key().as_bytes()),
        }
    }
}

/// Whether `cp` is signed by `key`.
pub fn signed_by(cp: &Checkpoint, key: &PublishedKey) -> bool {
    let Some(public) = B64
        .decode(&key.x)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
    else {
        return false;
    };
    let Some(sig) = B64
        .decode(&cp.signature)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
    else {
        return false;
    };
    cp.kid == key.kid
        && public
            .verify(
                message(cp.seq, &cp.hash, cp.at).as_bytes(),
                &Signature::from_bytes(&sig),
            )
            .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_verifies_and_any_change_breaks_it() {
        let key = CheckpointKey::from_seed([7; 32]);
        let cp = key.sign(42, &"ab".repeat(32), 1_000);
        assert!(signed_by(&cp, &key.published()));
        let mut other = cp.clone();
        other.seq = 41;
        assert!(!signed_by(&other, &key.published()));
        let mut other = cp.clone();
        other.hash = "cd".repeat(32);
        assert!(!signed_by(&other, &key.published()));
        let stranger = CheckpointKey::from_seed([8; 32]).published();
        assert!(!signed_by(&cp, &stranger));
    }
}
