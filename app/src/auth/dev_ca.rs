//! The dev certification authority: for the demo, the browser tests and load scripts, which
//! have no national certificates. It issues certificates like the national CA's (the IIN in
//! `SERIALNUMBER`, an authentication or a signing key) and signs challenges as NCALayer does
//! (detached CMS with signed attributes), so that dev sign-in goes through the same verifier
//! as any other. Used only in dev mode and in tests.

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::{Decode, Encode};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use time::OffsetDateTime;

/// Which key of a person's pair a certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// Authentication (`AUTH_…`): client authentication, what sign-in asks for.
    Auth,
    /// Signing documents (`RSA_…`/`GOST_…`): non-repudiation and e-mail protection.
    Sign,
}

/// A certificate with its private key.
pub struct Holder {
    pub cert_der: Vec<u8>,
    key: KeyPair,
}

/// A CA that issues and signs: made at the first start in dev mode and kept in the data
/// directory (its key and its dates), so what it issued stays valid across restarts.
pub struct DevCa {
    cert: rcgen::Certificate,
    key: KeyPair,
    name: String,
    since: i64,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

impl DevCa {
    /// A new CA with a P-256 key, valid from a year ago for ten years.
    pub fn generate(name: &str) -> Result<DevCa, String> {
        let key = KeyPair::generate().map_err(err)?;
        let now = OffsetDateTime::now_utc().unix_timestamp();
        Self::with_key(key, name, now - 365 * 86_400)
    }

    /// The CA kept in `dir` (`dev-ca.key`: the key, PEM, then a line with the start of its
    /// validity in Unix seconds), made and kept there if there is none.
    pub fn load_or_generate(dir: &std::path::Path, name: &str) -> Result<DevCa, String> {
        crate::keyfile::load_or_make(
            dir,
            "dev-ca.key",
            |text| {
                let (pem, since) = text
                    .rsplit_once("-----END PRIVATE KEY-----")
                    .ok_or("not a dev CA key")?;
                let key =
                    KeyPair::from_pem(&format!("{pem}-----END PRIVATE KEY-----\n")).map_err(err)?;
                let since = since
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| "no start date after the key")?;
                Self::with_key(key, name, since)
            },
            || {
                let ca = Self::generate(name)?;
                let text = format!("{}{}\n", ca.key.serialize_pem(), ca.since);
                Ok((ca, text))
            },
        )
    }

    /// The CA certificate for `key`: the same name, serial number and dates for the same key
    /// and start, so a reloaded CA is the one that issued before.
    fn with_key(key: KeyPair, name: &str, since: i64) -> Result<DevCa, String> {
        let mut p = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
        p.distinguished_name = DistinguishedName::new();
        p.distinguished_name.push(DnType::CommonName, name);
        p.distinguished_name
            .push(DnType::OrganizationName, "Kezek (development only)");
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let mut serial = Sha256::digest(key.public_key_der())[..16].to_vec();
        serial[0] &= 0x7f; // positive
        p.serial_number = Some(rcgen::SerialNumber::from_slice(&serial));
        let at = |s: i64| OffsetDateTime::from_unix_timestamp(s).map_err(err);
        p.not_before = at(since)?;
        p.not_after = at(since + 11 * 365 * 86_400)?;
        let cert = p.self_signed(&key).map_err(err)?;
        Ok(DevCa {
            cert,
            key,
            name: name.into(),
            since,
        })
    }

    /// The CA's own certificate (the trust anchor), DER.
    pub fn cert_der(&self) -> Vec<u8> {
        self.cert.der().to_vec()
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Issues a certificate for `iin` (twelve digits) named `name`, valid from `not_before`
    /// to `not_after` (Unix seconds), with a new P-256 key.
    pub fn issue(
        &self,
        iin: &str,
        name: &str,
        usage: Usage,
        not_before: i64,
        not_after: i64,
    ) -> Result<Holder, String> {
        let key = KeyPair::generate().map_err(err)?;
        self.issue_for(key, iin, name, usage, not_before, not_after)
    }

    /// As [`DevCa::issue`], for a key made elsewhere (an RSA key in tests).
    pub fn issue_for(
        &self,
        key: KeyPair,
        iin: &str,
        name: &str,
        usage: Usage,
        not_before: i64,
        not_after: i64,
    ) -> Result<Holder, String> {
        let mut p = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
        p.distinguished_name = DistinguishedName::new();
        p.distinguished_name.push(DnType::CommonName, name);
        p.distinguished_name
            .push(DnType::CustomDnType(vec![2, 5, 4, 5]), format!("IIN{iin}"));
        p.distinguished_name.push(DnType::CountryName, "KZ");
        match usage {
            Usage::Auth => {
                p.key_usages = vec![
                    KeyUsagePurpose::DigitalSignature,
                    KeyUsagePurpose::KeyEncipherment,
                ];
                p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
            }
            Usage::Sign => {
                p.key_usages = vec![
                    KeyUsagePurpose::DigitalSignature,
                    KeyUsagePurpose::ContentCommitment,
                ];
                p.extended_key_usages = vec![ExtendedKeyUsagePurpose::EmailProtection];
            }
        }
        let at = |s: i64| OffsetDateTime::from_unix_timestamp(s).map_err(err);
        p.not_before = at(not_before)?;
        p.not_after = at(not_after)?;
        let cert = p.signed_by(&key, &self.cert, &self.key).map_err(err)?;
        Ok(Holder {
            cert_der: cert.der().to_vec(),
            key,
        })
    }
}

impl Holder {
    /// Signs `data` as NCALayer does for sign-in: a CMS SignedData with the certificate, the
    /// content type, the SHA-256 of `data` and the signing time as signed attributes, and the
    /// data itself left out (`attached: false`) or carried inside (`attached: true`).
    pub fn sign(&self, data: &[u8], attached: bool) -> Result<Vec<u8>, String> {
        self.sign_digest(data, attached, false)
    }

    /// As [`Holder::sign`] with a SHA-512 message digest: an algorithm the built-in verifier
    /// leaves to NCANode (for tests of that route).
    pub fn sign_sha512(&self, data: &[u8]) -> Result<Vec<u8>, String> {
        self.sign_digest(data, false, true)
    }

    fn sign_digest(&self, data: &[u8], attached: bool, sha512: bool) -> Result<Vec<u8>, String> {
        let cert = x509_cert::Certificate::from_der(&self.cert_der).map_err(err)?;
        let content = EncapsulatedContentInfo {
            econtent_type: const_oid::db::rfc5911::ID_DATA,
            econtent: if attached {
                Some(der::Any::new(der::Tag::OctetString, data.to_vec()).map_err(err)?)
            } else {
                None
            },
        };
        let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate.issuer.clone(),
            serial_number: cert.tbs_certificate.serial_number.clone(),
        });
        let sha256 = AlgorithmIdentifierOwned {
            oid: if sha512 {
                const_oid::db::rfc5912::ID_SHA_512
            } else {
                const_oid::db::rfc5912::ID_SHA_256
            },
            parameters: None,
        };
        let digest = if sha512 {
            sha2::Sha512::digest(data).to_vec()
        } else {
            Sha256::digest(data).to_vec()
        };
        let external = (!attached).then_some(digest.as_slice());
        let mut builder = SignedDataBuilder::new(&content);
        builder
            .add_digest_algorithm(sha256.clone())
            .map_err(err)?
            .add_certificate(CertificateChoices::Certificate(cert))
            .map_err(err)?;
        let pkcs8 = self.key.serialize_der();
        if self.key.algorithm() == &rcgen::PKCS_ECDSA_P256_SHA256 {
            use p256::pkcs8::DecodePrivateKey;
            let signer = p256::ecdsa::SigningKey::from_pkcs8_der(&pkcs8).map_err(err)?;
            let info =
                SignerInfoBuilder::new(&signer, sid, sha256, &content, external).map_err(err)?;
            builder
                .add_signer_info::<p256::ecdsa::SigningKey, p256::ecdsa::DerSignature>(info)
                .map_err(err)?;
        } else {
            use rsa::pkcs8::DecodePrivateKey;
            let key = rsa::RsaPrivateKey::from_pkcs8_der(&pkcs8).map_err(err)?;
            let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(key);
            let info =
                SignerInfoBuilder::new(&signer, sid, sha256, &content, external).map_err(err)?;
            builder
                .add_signer_info::<rsa::pkcs1v15::SigningKey<Sha256>, rsa::pkcs1v15::Signature>(
                    info,
                )
                .map_err(err)?;
        }
        builder.build().map_err(err)?.to_der().map_err(err)
    }
}
