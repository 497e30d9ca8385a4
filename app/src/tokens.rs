//! Signed referral tokens: what a referral's QR code carries, so that a head (or anyone) can
//! check a printed referral offline against the keys Kezek publishes at
//! `/.well-known/referral-keys.json`.
//!
//! A token is `kezek1.<payload>.<signature>`, both parts base64url without padding; the
//! payload is JSON (`ReferralClaims`), the signature Ed25519 over the payload's bytes as sent.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

/// What a referral token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralClaims {
    /// The id of the key that signed.
    pub kid: String,
    /// The referral's code.
    pub code: String,
    /// The kindergarten's number in the city registry.
    pub kindergarten: i32,
    /// The age group, by birth year.
    pub cohort: i32,
    /// The child, pseudonymously: the application's public number (no name, no IIN).
    pub child: String,
    /// Valid until (Unix milliseconds).
    pub exp: i64,
}

/// The key that signs referrals.
pub struct ReferralKeys {
    key: SigningKey,
    kid: String,
}

const PREFIX: &str = "kezek1";

fn kid_of(public: &VerifyingKey) -> String {
    B64.encode(&Sha256::digest(public.as_bytes())[..9])
}

impl ReferralKeys {
    pub fn from_seed(seed: [u8; 32]) -> ReferralKeys {
        let key = SigningKey::from_bytes(&seed);
        let kid = kid_of(&key.verifying_key());
        ReferralKeys { key, kid }
    }

    pub fn generate() -> ReferralKeys {
        ReferralKeys::from_seed(SigningKey::generate(&mut rand_core::OsRng).to_bytes())
    }

    /// The key in `KEZEK_REFERRAL_KEY` (its 32-byte seed, base64url) if set, else the one kept in
    /// `dir/referral-signing.key`, made there at the first start.
    pub fn configured(dir: &Path) -> Result<ReferralKeys, String> {
        let seed = crate::keyfile::secret32(dir, "referral-signing.key", "KEZEK_REFERRAL_KEY")?;
        Ok(Self::from_seed(seed))
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Signs a referral's claims (`kid` is set to this key's).
    pub fn sign(&self, claims: &ReferralClaims) -> String {
        let mut claims = claims.clone();
        claims.kid = self.kid.clone();
        let payload = B64.encode(serde_json::to_vec(&claims).expect("plain JSON"));
        let sig = self.key.sign(payload.as_bytes());
        format!("{PREFIX}.{payload}.{}", B64.encode(sig.to_bytes()))
    }

    /// The public keys, as `/.well-known/referral-keys.json` serves them.
    pub fn published(&self) -> serde_json::Value {
        serde_json::json!({ "keys": [{
            "kid": self.kid,
            "kty": "OKP",
            "crv": "Ed25519",
            "alg": "Ed25519",
            "use": "sig",
            "x": B64.encode(self.key.verifying_key().as_bytes()),
        }]})
    }
}

/// Why a token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Shape,
    UnknownKey,
    BadSignature,
}

/// Checks `token` against published keys (`{"keys": [{"kid", "x"}]}`) and reads its claims.
/// Expiry is the reader's to judge (`exp`).
pub fn verify(token: &str, published: &serde_json::Value) -> Result<ReferralClaims, TokenError> {
    let mut parts = token.trim().split('.');
    let (Some(PREFIX), Some(payload), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Shape);
    };
    let claims: ReferralClaims = B64
        .decode(payload)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(TokenError::Shape)?;
    let sig: [u8; 64] = B64
        .decode(sig)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(TokenError::Shape)?;
    let key = published["keys"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|k| k["kid"].as_str() == Some(claims.kid.as_str()))
        .and_then(|k| B64.decode(k["x"].as_str()?).ok())
        .and_then(|x| <[u8; 32]>::try_from(x).ok())
        .and_then(|x| VerifyingKey::from_bytes(&x).ok())
        .ok_or(TokenError::UnknownKey)?;
    key.verify(payload.as_bytes(), &Signature::from_bytes(&sig))
        .map_err(|_| TokenError::BadSignature)?;
    Ok(claims)
}

/// The QR code of `text` as an inline `<svg>` element (black on white, with its quiet zone), or
/// nothing when the text is too long for a QR code.
pub fn qr_svg(text: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let doc = code
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    // Inline in the page: the element alone, without the XML declaration.
    doc.find("<svg").map(|i| doc[i..].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> ReferralClaims {
        ReferralClaims {
            kid: String::new(),
            code: "K7QM-29XD".into(),
            kindergarten: 12,
            cohort: 2022,
            child: "ALM-2026-7KQ4-M2XD".into(),
            exp: 1_795_600_000_000,
        }
    }

    #[test]
    fn a_token_verifies_against_the_published_key_and_nothing_else() {
        let keys = ReferralKeys::from_seed([7; 32]);
        let token = keys.sign(&claims());
        let got = verify(&token, &keys.published()).unwrap();
        assert_eq!(got.code, "K7QM-29XD");
        assert_eq!(got.kid, keys.kid());
        // Another server's key does not know it.
        let other = ReferralKeys::from_seed([8; 32]);
        assert_eq!(
            verify(&token, &other.published()),
            Err(TokenError::UnknownKey)
        );
        // A changed claim breaks the signature.
        let (head, rest) = token.split_once('.').unwrap();
        let (payload, sig) = rest.split_once('.').unwrap();
        let mut c: ReferralClaims = serde_json::from_slice(&B64.decode(payload).unwrap()).unwrap();
        c.exp += 86_400_000;
        let forged = format!(
            "{head}.{}.{sig}",
            B64.encode(serde_json::to_vec(&c).unwrap())
        );
        assert_eq!(
            verify(&forged, &keys.published()),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            verify("kezek1.x", &keys.published()),
            Err(TokenError::Shape)
        );
    }

    #[test]
    fn the_key_is_kept_in_the_data_directory() {
        let dir = tempfile::tempdir().unwrap();
        let a = ReferralKeys::configured(dir.path()).unwrap();
        let b = ReferralKeys::configured(dir.path()).unwrap();
        assert_eq!(a.kid(), b.kid());
        let token = a.sign(&claims());
        assert!(verify(&token, &b.published()).is_ok());
    }

    #[test]
    fn the_qr_code_is_an_svg() {
        let svg = qr_svg(&ReferralKeys::from_seed([1; 32]).sign(&claims())).unwrap();
        assert!(
            svg.starts_with("<svg") && svg.ends_with("</svg>"),
            "{}",
            &svg[..60]
        );
    }
}
