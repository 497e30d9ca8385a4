//! The built-in verifier of sign-in signatures, against certificates and signatures made here
//! by the dev CA (rcgen, RustCrypto's CMS builder): every refusal the sign-in page names.

use app::auth::dev_ca::{DevCa, Usage};
use app::auth::eds::{BuiltinVerifier, EdsVerifier, MAX_CMS_BYTES};
use app::error::SignInError;

/// A valid IIN (its check digit right), made as the demo city makes them.
fn iin() -> String {
    use time::macros::date;
    app::domain::Iin::compose(date!(1990 - 01 - 01), app::domain::Sex::Female, 18)
        .unwrap()
        .digits()
}
const DAY: i64 = 86_400;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn verifier(ca: &DevCa) -> BuiltinVerifier {
    BuiltinVerifier::new(&[ca.cert_der()]).unwrap()
}

#[tokio::test]
async fn a_p256_authentication_signature_names_its_iin() {
    let ca = DevCa::generate("Test CA").unwrap();
    let t = now();
    let who = ca
        .issue(
            &iin(),
            "АСЕЛЬ НУРЛАНОВА",
            Usage::Auth,
            t - DAY,
            t + 365 * DAY,
        )
        .unwrap();
    let challenge = b"kezek-challenge-1";
    let cms = who.sign(challenge, false).unwrap();
    let v = verifier(&ca).verify(&cms, challenge, t).await.unwrap();
    assert_eq!(v.iin.digits(), iin());
    assert_eq!(v.name, "АСЕЛЬ НУРЛАНОВА");
}

#[tokio::test]
async fn an_rsa_authentication_signature_names_its_iin() {
    use rsa::pkcs8::EncodePrivateKey;
    let ca = DevCa::generate("Test CA").unwrap();
    let t = now();
    let mut rng = rand_core::OsRng;
    let key = rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap();
    let pkcs8 = key.to_pkcs8_der().unwrap();
    let pair = rcgen::KeyPair::from_pkcs8_der_and_sign_algo(
        &pkcs8.as_bytes().to_vec().into(),
        &rcgen::PKCS_RSA_SHA256,
    )
    .unwrap();
    let who = ca
        .issue_for(pair, &iin(), "RSA HOLDER", Usage::Auth, t - DAY, t + DAY)
        .unwrap();
    let cms = who.sign(b"challenge", false).unwrap();
    let v = verifier(&ca).verify(&cms, b"challenge", t).await.unwrap();
    assert_eq!(v.iin.digits(), iin());
    // The same signature over other data is refused.
    assert_eq!(
        verifier(&ca).verify(&cms, b"challengf", t).await,
        Err(SignInError::Tampered)
    );
}

#[tokio::test]
async fn every_bad_signature_is_refused_with_its_reason() {
    let ca = DevCa::generate("Test CA").unwrap();
    let v = verifier(&ca);
    let t = now();
    let good = ca
        .issue(&iin(), "A", Usage::Auth, t - DAY, t + DAY)
        .unwrap();
    let c = b"the challenge";
    let refused = |r: Result<_, SignInError>| r.err();

    // Expired and not yet valid.
    let old = ca
        .issue(&iin(), "A", Usage::Auth, t - 400 * DAY, t - DAY)
        .unwrap();
    assert_eq!(
        refused(v.verify(&old.sign(c, false).unwrap(), c, t).await),
        Some(SignInError::Expired)
    );
    let early = ca
        .issue(&iin(), "A", Usage::Auth, t + DAY, t + 400 * DAY)
        .unwrap();
    assert_eq!(
        refused(v.verify(&early.sign(c, false).unwrap(), c, t).await),
        Some(SignInError::NotYetValid)
    );
    // Another CA, even one with the same name.
    let other = DevCa::generate("Test CA").unwrap();
    let stranger = other
        .issue(&iin(), "A", Usage::Auth, t - DAY, t + DAY)
        .unwrap();
    assert_eq!(
        refused(v.verify(&stranger.sign(c, false).unwrap(), c, t).await),
        Some(SignInError::Untrusted)
    );
    // Over other data; a byte of the signature changed.
    let cms = good.sign(c, false).unwrap();
    assert_eq!(
        refused(v.verify(&cms, b"another challenge", t).await),
        Some(SignInError::Tampered)
    );
    let mut flipped = cms.clone();
    let last = flipped.len() - 3;
    flipped[last] ^= 0x55;
    let r = refused(v.verify(&flipped, c, t).await);
    assert!(
        matches!(r, Some(SignInError::Tampered) | Some(SignInError::Garbage)),
        "{r:?}"
    );
    // Data carried inside.
    assert_eq!(
        refused(v.verify(&good.sign(c, true).unwrap(), c, t).await),
        Some(SignInError::Attached)
    );
    // The signing key instead of the authentication key.
    let signing = ca
        .issue(&iin(), "A", Usage::Sign, t - DAY, t + DAY)
        .unwrap();
    assert_eq!(
        refused(v.verify(&signing.sign(c, false).unwrap(), c, t).await),
        Some(SignInError::SigningKey)
    );
    // Not a signature; far too large; empty.
    assert_eq!(
        refused(v.verify(b"not base64 or DER", c, t).await),
        Some(SignInError::Garbage)
    );
    assert_eq!(
        refused(v.verify(&vec![0x30; MAX_CMS_BYTES + 1], c, t).await),
        Some(SignInError::Garbage)
    );
    assert_eq!(
        refused(v.verify(&[], c, t).await),
        Some(SignInError::Garbage)
    );
    // A certificate without an IIN.
    let no_iin = ca.issue("", "A", Usage::Auth, t - DAY, t + DAY).unwrap();
    assert_eq!(
        refused(v.verify(&no_iin.sign(c, false).unwrap(), c, t).await),
        Some(SignInError::NoIin)
    );
    // And the good one passes.
    assert!(v.verify(&cms, c, t).await.is_ok());
}

/// A loopback stand-in for NCANode: answers `/cms/verify` as NCANode does, with the answer the
/// test sets, and keeps what it was sent.
async fn fake_ncanode(
    answer: serde_json::Value,
    status: u16,
) -> (
    String,
    std::sync::Arc<std::sync::Mutex<Option<serde_json::Value>>>,
) {
    use axum::routing::post;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(None));
    let keep = seen.clone();
    let app = axum::Router::new().route(
        "/cms/verify",
        post(move |axum::Json(body): axum::Json<serde_json::Value>| {
            let keep = keep.clone();
            let answer = answer.clone();
            async move {
                *keep.lock().unwrap() = Some(body);
                (
                    axum::http::StatusCode::from_u16(status).unwrap(),
                    axum::Json(answer),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

fn ncanode_answer(valid: bool, key_usage: &str, iin: &str) -> serde_json::Value {
    serde_json::json!({
        "status": 200,
        "message": "OK",
        "valid": valid,
        "signers": [{
            "certificates": [{
                "valid": valid,
                "revocations": [{ "revoked": false, "by": "OCSP" }],
                "notBefore": "2025-01-01T00:00:00Z",
                "notAfter": "2027-01-01T00:00:00Z",
                "keyUsage": key_usage,
                "signAlg": "ECGOST34310",
                "subject": { "commonName": "ТЕСТОВ ТЕСТ", "iin": iin }
            }]
        }]
    })
}

#[tokio::test]
async fn the_ncanode_adapter_asks_ncanode_and_reads_its_answer() {
    use app::auth::ncanode::NcaNodeVerifier;
    use base64::Engine as _;
    let ca = DevCa::generate("Test CA").unwrap();
    let t = 1_795_406_400; // 23 November 2026
    let who = ca
        .issue(&iin(), "X", Usage::Auth, t - DAY, t + DAY)
        .unwrap();
    let challenge = b"the challenge";
    let cms = who.sign(challenge, false).unwrap();

    // A valid authentication signature: the IIN from NCANode's reading of the certificate,
    // and NCANode was asked as its API wants (base64 CMS and data, OCSP).
    let (url, seen) = fake_ncanode(ncanode_answer(true, "AUTH", &iin()), 200).await;
    let v = NcaNodeVerifier::new(&url).unwrap();
    let ok = v.verify(&cms, challenge, t).await.unwrap();
    assert_eq!(ok.iin.digits(), iin());
    let sent = seen.lock().unwrap().clone().unwrap();
    let b64 = |d: &[u8]| base64::engine::general_purpose::STANDARD.encode(d);
    assert_eq!(sent["cms"], b64(&cms));
    assert_eq!(sent["data"], b64(challenge));
    assert_eq!(sent["revocationCheck"], serde_json::json!(["OCSP"]));

    // The signing key, an invalid signature, an expired certificate, NCANode failing.
    let (url, _) = fake_ncanode(ncanode_answer(true, "SIGN", &iin()), 200).await;
    let v = NcaNodeVerifier::new(&url).unwrap();
    assert_eq!(
        v.verify(&cms, challenge, t).await,
        Err(SignInError::SigningKey)
    );
    let (url, _) = fake_ncanode(ncanode_answer(false, "AUTH", &iin()), 200).await;
    let v = NcaNodeVerifier::new(&url).unwrap();
    assert!(matches!(
        v.verify(&cms, challenge, t).await,
        Err(SignInError::Untrusted | SignInError::Tampered)
    ));
    assert_eq!(
        v.verify(&cms, challenge, t + 400 * DAY).await,
        Err(SignInError::Expired)
    );
    let (url, _) = fake_ncanode(serde_json::json!({"message": "boom"}), 500).await;
    let v = NcaNodeVerifier::new(&url).unwrap();
    assert_eq!(
        v.verify(&cms, challenge, t).await,
        Err(SignInError::VerifierDown)
    );
    // Nobody listening at all.
    let v = NcaNodeVerifier::new("http://127.0.0.1:9").unwrap();
    assert_eq!(
        v.verify(&cms, challenge, t).await,
        Err(SignInError::VerifierDown)
    );
    // The shape is checked here first: an attached signature never reaches NCANode.
    let (url, seen) = fake_ncanode(ncanode_answer(true, "AUTH", &iin()), 200).await;
    let v = NcaNodeVerifier::new(&url).unwrap();
    let attached = who.sign(challenge, true).unwrap();
    assert_eq!(
        v.verify(&attached, challenge, t).await,
        Err(SignInError::Attached)
    );
    assert!(seen.lock().unwrap().is_none());
}

#[tokio::test]
async fn what_the_builtin_verifier_cannot_check_goes_to_ncanode() {
    use app::auth::ncanode::{NcaNodeVerifier, Verifiers};
    let ca = DevCa::generate("Test CA").unwrap();
    let t = 1_795_406_400;
    let who = ca
        .issue(&iin(), "X", Usage::Auth, t - DAY, t + DAY)
        .unwrap();
    let c = b"the challenge";
    let odd = who.sign_sha512(c).unwrap();
    let usual = who.sign(c, false).unwrap();
    let (url, seen) = fake_ncanode(ncanode_answer(true, "AUTH", &iin()), 200).await;
    let both = Verifiers {
        builtin: BuiltinVerifier::new(&[ca.cert_der()]).unwrap(),
        ncanode: Some(NcaNodeVerifier::new(&url).unwrap()),
    };
    // The built-in one checks what it can; NCANode is not asked.
    assert!(both.verify(&usual, c, t).await.is_ok());
    assert!(seen.lock().unwrap().is_none());
    // What it cannot goes to NCANode, and only then.
    assert_eq!(both.verify(&odd, c, t).await.unwrap().iin.digits(), iin());
    assert!(seen.lock().unwrap().is_some());
    // Without NCANode configured: refused as a kind this server cannot check.
    let alone = Verifiers {
        builtin: BuiltinVerifier::new(&[ca.cert_der()]).unwrap(),
        ncanode: None,
    };
    assert_eq!(
        alone.verify(&odd, c, t).await,
        Err(SignInError::Unsupported)
    );
}

#[tokio::test]
async fn the_dev_ca_is_kept_in_the_data_directory_and_trusted_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let first = DevCa::load_or_generate(dir.path(), "Kezek dev CA").unwrap();
    let t = now();
    let who = first
        .issue(&iin(), "DEV USER", Usage::Auth, t - DAY, t + DAY)
        .unwrap();
    let cms = who.sign(b"before the restart", false).unwrap();
    // The key file is the owner's only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("dev-ca.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // "Restarted": the CA read back trusts what the first one issued.
    let again = DevCa::load_or_generate(dir.path(), "Kezek dev CA").unwrap();
    let v = verifier(&again)
        .verify(&cms, b"before the restart", t)
        .await
        .unwrap();
    assert_eq!(v.iin.digits(), iin());
    // A CA made elsewhere does not.
    let other =
        DevCa::load_or_generate(tempfile::tempdir().unwrap().path(), "Kezek dev CA").unwrap();
    assert_eq!(
        verifier(&other)
            .verify(&cms, b"before the restart", t)
            .await
            .err(),
        Some(SignInError::Untrusted)
    );
    // A damaged key file is an error that names the file, not a new CA.
    std::fs::write(dir.path().join("dev-ca.key"), "garbage").unwrap();
    let e = DevCa::load_or_generate(dir.path(), "Kezek dev CA")
        .err()
        .unwrap();
    assert!(e.contains("dev-ca.key"), "{e}");
}
