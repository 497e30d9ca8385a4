//! Checking a sign-in signature: a detached CMS (PKCS#7) signature, made by NCALayer with the
//! person's authentication key over the server's challenge.
//!
//! [`EdsVerifier`] is the one interface; [`BuiltinVerifier`] checks RSA and P-256 signatures
//! here, in Rust, against configured trust anchors; the NCANode adapter (`ncanode.rs`) asks an
//! NCANode server, for the GOST certificates of the national CA. Both answer the same
//! [`Verified`] or the same [`SignInError`]; the IIN always comes from the certificate.

use crate::domain::Iin;
use crate::error::SignInError;
use async_trait::async_trait;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

/// Who signed: the IIN of the certificate's subject and its common name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub iin: Iin,
    pub name: String,
}

/// Checks that `cms` is a detached signature over exactly `challenge`, made at `now` (Unix
/// seconds) with a trusted, valid authentication certificate.
#[async_trait]
pub trait EdsVerifier: Send + Sync {
    async fn verify(&self, cms: &[u8], challenge: &[u8], now: i64)
        -> Result<Verified, SignInError>;
}

const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const EXT_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
/// The authentication key's purpose (TLS client authentication), as NCALayer is asked for.
pub const CLIENT_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");
const SERIAL_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.5");
const COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");

/// The largest signature accepted (a CMS with a certificate chain is a few kilobytes).
pub const MAX_CMS_BYTES: usize = 64 * 1024;

/// Verifies RSA (PKCS#1 v1.5) and ECDSA P-256 signatures with SHA-256 against trust anchors.
pub struct BuiltinVerifier {
    anchors: Vec<Certificate>,
}

impl BuiltinVerifier {
    /// A verifier trusting these CA certificates (DER).
    pub fn new(anchors: &[Vec<u8>]) -> Result<BuiltinVerifier, String> {
        let anchors = anchors
            .iter()
            .map(|d| Certificate::from_der(d).map_err(|e| format!("a trust anchor: {e}")))
            .collect::<Result<_, _>>()?;
        Ok(BuiltinVerifier { anchors })
    }

    /// Reads trust anchors from PEM files (one or more certificates each).
    pub fn from_pem_files(paths: &[std::path::PathBuf]) -> Result<BuiltinVerifier, String> {
        let mut anchors = Vec::new();
        for p in paths {
            let text = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let certs = Certificate::load_pem_chain(&text)
                .map_err(|e| format!("{}: not PEM certificates: {e}", p.display()))?;
            anchors.extend(certs);
        }
        Ok(BuiltinVerifier { anchors })
    }

    /// Adds a trust anchor (the dev CA in dev mode).
    pub fn trust(&mut self, anchor_der: &[u8]) -> Result<(), String> {
        self.anchors
            .push(Certificate::from_der(anchor_der).map_err(|e| e.to_string())?);
        Ok(())
    }

    fn check(&self, bytes: &[u8], challenge: &[u8], now: i64) -> Result<Verified, SignInError> {
        let sd = detached_shape(bytes)?;
        let mut signers = sd.signer_infos.0.iter();
        let (Some(si), None) = (signers.next(), signers.next()) else {
            return Err(SignInError::Garbage);
        };
        let certs: Vec<&Certificate> = sd
            .certificates
            .iter()
            .flat_map(|set| set.0.iter())
            .filter_map(|c| match c {
                cms::cert::CertificateChoices::Certificate(c) => Some(c),
                _ => None,
            })
            .collect();
        let signer = certs
            .iter()
            .find(|c| match &si.sid {
                SignerIdentifier::IssuerAndSerialNumber(ias) => {
                    c.tbs_certificate.issuer == ias.issuer
                        && c.tbs_certificate.serial_number == ias.serial_number
                }
                SignerIdentifier::SubjectKeyIdentifier(ski) => {
                    subject_key_id(c).is_some_and(|id| id == ski.0.as_bytes())
                }
            })
            .copied()
            .ok_or(SignInError::Garbage)?;
        if si.digest_alg.oid != ID_SHA256 {
            return Err(SignInError::Unsupported);
        }
        // The signed attributes name the content type and the digest of what was signed.
        let attrs = si.signed_attrs.as_ref().ok_or(SignInError::Garbage)?;
        let attr = |oid: ObjectIdentifier| {
            attrs
                .iter()
                .find(|a| a.oid == oid)
                .and_then(|a| a.values.iter().next())
        };
        let content_type = attr(ID_CONTENT_TYPE)
            .and_then(|v| v.decode_as::<ObjectIdentifier>().ok())
            .ok_or(SignInError::Garbage)?;
        if content_type != ID_DATA {
            return Err(SignInError::Garbage);
        }
        let digest = attr(ID_MESSAGE_DIGEST)
            .and_then(|v| v.decode_as::<OctetString>().ok())
            .ok_or(SignInError::Garbage)?;
        if digest.as_bytes() != Sha256::digest(challenge).as_slice() {
            return Err(SignInError::Tampered);
        }
        let signed = attrs.to_der().map_err(|_| SignInError::Garbage)?;
        verify_with(
            signer,
            &si.signature_algorithm.oid,
            &signed,
            si.signature.as_bytes(),
        )
        .map_err(|e| match e {
            SignInError::Garbage => SignInError::Tampered,
            e => e,
        })?;
        valid_at(signer, now)?;
        self.chain(signer, &certs, now)?;
        if !has_client_auth(signer)? {
            return Err(SignInError::SigningKey);
        }
        let iin = subject_text(signer, SERIAL_NUMBER)
            .and_then(|s| s.strip_prefix("IIN").map(str::to_string))
            .and_then(|digits| Iin::parse(&digits).ok())
            .ok_or(SignInError::NoIin)?;
        let name = subject_text(signer, COMMON_NAME).unwrap_or_default();
        Ok(Verified { iin, name })
    }

    /// Walks from the signer's certificate up to a trust anchor (at most four steps), each
    /// certificate signed by the next and valid at `now`.
    fn chain(
        &self,
        leaf: &Certificate,
        extra: &[&Certificate],
        now: i64,
    ) -> Result<(), SignInError> {
        let mut current = leaf.clone();
        for _ in 0..4 {
            let issuer = &current.tbs_certificate.issuer;
            let tbs = current
                .tbs_certificate
                .to_der()
                .map_err(|_| SignInError::Garbage)?;
            let alg = current.signature_algorithm.oid;
            let sig = current.signature.raw_bytes();
            if self.anchors.iter().any(|a| {
                &a.tbs_certificate.subject == issuer && verify_with(a, &alg, &tbs, sig).is_ok()
            }) {
                return Ok(());
            }
            let Some(next) = extra.iter().find(|c| {
                &c.tbs_certificate.subject == issuer
                    && c.tbs_certificate != current.tbs_certificate
                    && verify_with(c, &alg, &tbs, sig).is_ok()
            }) else {
                return Err(SignInError::Untrusted);
            };
            valid_at(next, now)?;
            current = (*next).clone();
        }
        Err(SignInError::Untrusted)
    }
}

#[async_trait]
impl EdsVerifier for BuiltinVerifier {
    async fn verify(
        &self,
        cms: &[u8],
        challenge: &[u8],
        now: i64,
    ) -> Result<Verified, SignInError> {
        self.check(cms, challenge, now)
    }
}

/// The signed data of `bytes`, if it is a detached CMS signature of plain data at all.
pub fn detached_shape(bytes: &[u8]) -> Result<SignedData, SignInError> {
    if bytes.len() > MAX_CMS_BYTES {
        return Err(SignInError::Garbage);
    }
    let info = ContentInfo::from_der(bytes).map_err(|_| SignInError::Garbage)?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(SignInError::Garbage);
    }
    let sd: SignedData = info.content.decode_as().map_err(|_| SignInError::Garbage)?;
    // Detached only: a signature that carries its data could carry any data.
    if sd.encap_content_info.econtent.is_some() {
        return Err(SignInError::Attached);
    }
    if sd.encap_content_info.econtent_type != ID_DATA {
        return Err(SignInError::Garbage);
    }
    Ok(sd)
}

/// Verifies `signature` over `message` with the public key of `cert`.
fn verify_with(
    cert: &Certificate,
    alg: &ObjectIdentifier,
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignInError> {
    use p256::ecdsa::signature::Verifier;
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let key = spki.subject_public_key.raw_bytes();
    match (spki.algorithm.oid, *alg) {
        (RSA_ENCRYPTION, SHA256_WITH_RSA) | (RSA_ENCRYPTION, RSA_ENCRYPTION) => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            let pk = rsa::RsaPublicKey::from_pkcs1_der(key).map_err(|_| SignInError::Garbage)?;
            let vk = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(pk);
            let sig =
                rsa::pkcs1v15::Signature::try_from(signature).map_err(|_| SignInError::Garbage)?;
            vk.verify(message, &sig).map_err(|_| SignInError::Garbage)
        }
        (EC_PUBLIC_KEY, ECDSA_WITH_SHA256) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            if curve != Some(PRIME256V1) {
                return Err(SignInError::Unsupported);
            }
            let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(key)
                .map_err(|_| SignInError::Garbage)?;
            let sig = p256::ecdsa::DerSignature::from_bytes(signature)
                .map_err(|_| SignInError::Garbage)?;
            vk.verify(message, &sig).map_err(|_| SignInError::Garbage)
        }
        _ => Err(SignInError::Unsupported),
    }
}

fn valid_at(cert: &Certificate, now: i64) -> Result<(), SignInError> {
    let v = &cert.tbs_certificate.validity;
    let secs = |t: x509_cert::time::Time| t.to_unix_duration().as_secs() as i64;
    if now < secs(v.not_before) {
        return Err(SignInError::NotYetValid);
    }
    if now > secs(v.not_after) {
        return Err(SignInError::Expired);
    }
    Ok(())
}

/// Whether the certificate's extended key usage includes client authentication (the
/// authentication key); a certificate without it is the signing key.
fn has_client_auth(cert: &Certificate) -> Result<bool, SignInError> {
    let Some(ext) = cert
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == EXT_KEY_USAGE)
    else {
        return Ok(false);
    };
    let usages = Vec::<ObjectIdentifier>::from_der(ext.extn_value.as_bytes())
        .map_err(|_| SignInError::Garbage)?;
    Ok(usages.contains(&CLIENT_AUTH))
}

fn subject_key_id(cert: &Certificate) -> Option<Vec<u8>> {
    const SKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
    let ext = cert
        .tbs_certificate
        .extensions
        .iter()
        .flatten()
        .find(|e| e.extn_id == SKI)?;
    OctetString::from_der(ext.extn_value.as_bytes())
        .ok()
        .map(|o| o.into_bytes())
}

/// The text of a subject attribute (printable or UTF-8).
fn subject_text(cert: &Certificate, oid: ObjectIdentifier) -> Option<String> {
    cert.tbs_certificate
        .subject
        .0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid == oid)
        .and_then(|atv| {
            atv.value
                .decode_as::<der::asn1::PrintableStringRef<'_>>()
                .map(|s| s.to_string())
                .or_else(|_| {
                    atv.value
                        .decode_as::<der::asn1::Utf8StringRef<'_>>()
                        .map(|s| s.to_string())
                })
                .ok()
        })
}
