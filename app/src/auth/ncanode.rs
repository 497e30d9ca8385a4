//! The NCANode adapter: signatures with GOST 34.10-2015 keys (every new national certificate)
//! are checked by an NCANode server (`POST {url}/cms/verify`, with OCSP revocation checks).
//!
//! The shape of the signature (a CMS at all, detached) is still checked here first, so both
//! verifiers refuse the same things the same way; NCANode answers for the cryptography, the
//! chain to the national CA, revocation and the key's purpose.

use super::eds::{EdsVerifier, Verified};
use crate::domain::Iin;
use crate::error::SignInError;
use async_trait::async_trait;
use serde_json::{json, Value};

pub struct NcaNodeVerifier {
    url: String,
    client: reqwest::Client,
}

impl NcaNodeVerifier {
    /// NCANode at `url` (e.g. `http://127.0.0.1:14579`).
    pub fn new(url: &str) -> Result<NcaNodeVerifier, String> {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(NcaNodeVerifier {
            url: url.trim_end_matches('/').to_string(),
            client,
        })
    }
}

/// Reads NCANode's answer to `/cms/verify`.
fn read_answer(v: &Value, now: i64) -> Result<Verified, SignInError> {
    let cert = v["signers"]
        .as_array()
        .and_then(|s| s.first())
        .and_then(|s| s["certificates"].as_array())
        .and_then(|c| c.first())
        .ok_or(SignInError::Garbage)?;
    if cert["keyUsage"].as_str() == Some("SIGN") {
        return Err(SignInError::SigningKey);
    }
    let when = |k: &str| {
        cert[k]
            .as_str()
            .and_then(|t| {
                time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
            })
            .map(|t| t.unix_timestamp())
    };
    if when("notBefore").is_some_and(|t| now < t) {
        return Err(SignInError::NotYetValid);
    }
    if when("notAfter").is_some_and(|t| now > t) {
        return Err(SignInError::Expired);
    }
    if v["valid"].as_bool() != Some(true) || cert["valid"].as_bool() != Some(true) {
        // A bad signature or an untrusted or revoked certificate: NCANode does not always
        // say which; a signature that does not verify reads as altered.
        let revoked = cert["revocations"]
            .as_array()
            .is_some_and(|r| r.iter().any(|x| x["revoked"].as_bool() == Some(true)));
        return Err(if revoked || cert["valid"].as_bool() == Some(false) {
            SignInError::Untrusted
        } else {
            SignInError::Tampered
        });
    }
    let iin = cert["subject"]["iin"]
        .as_str()
        .and_then(|s| Iin::parse(s).ok())
        .ok_or(SignInError::NoIin)?;
    let name = cert["subject"]["commonName"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    Ok(Verified { iin, name })
}

#[async_trait]
impl EdsVerifier for NcaNodeVerifier {
    async fn verify(
        &self,
        cms: &[u8],
        challenge: &[u8],
        now: i64,
    ) -> Result<Verified, SignInError> {
        use base64::Engine as _;
        super::eds::detached_shape(cms)?;
        let b64 = |d: &[u8]| base64::engine::general_purpose::STANDARD.encode(d);
        let body = json!({ "cms": b64(cms), "data": b64(challenge), "revocationCheck": ["OCSP"] });
        let res = self
            .client
            .post(format!("{}/cms/verify", self.url))
            .json(&body)
            .send()
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "NCANode did not answer");
                SignInError::VerifierDown
            })?;
        if res.status().is_server_error() {
            tracing::warn!(status = %res.status(), "NCANode failed");
            return Err(SignInError::VerifierDown);
        }
        let v: Value = res.json().await.map_err(|_| SignInError::VerifierDown)?;
        read_answer(&v, now)
    }
}

/// The built-in verifier first; what it cannot check (GOST keys) goes to NCANode when one is
/// configured.
pub struct Verifiers {
    pub builtin: super::eds::BuiltinVerifier,
    pub ncanode: Option<NcaNodeVerifier>,
}

#[async_trait]
impl EdsVerifier for Verifiers {
    async fn verify(
        &self,
        cms: &[u8],
        challenge: &[u8],
        now: i64,
    ) -> Result<Verified, SignInError> {
        match self.builtin.verify(cms, challenge, now).await {
            Err(SignInError::Unsupported) => match &self.ncanode {
                Some(n) => n.verify(cms, challenge, now).await,
                None => Err(SignInError::Unsupported),
            },
            other => other,
        }
    }
}
