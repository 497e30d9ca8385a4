//! Sign-in with eGov mobile over storage, the same bodies on SQLite and PostgreSQL: each step
//! once, two signatures or two collecting pages at once give one session, the signer's IIN
//! kept only until the page collects it.

mod common;

use app::auth::dev_ca::{DevCa, Usage};
use app::auth::eds::BuiltinVerifier;
use app::auth::mobile::{document_text, Refusal, Waiting};
use app::auth::sessions;
use app::auth::sign_in::{Auth, Role, CHALLENGE_MS};
use app::domain::{Iin, Sex};
use app::engine::Actor;
use app::error::SignInError;
use base64::Engine as _;
use common::{on_both, Raw};
use std::sync::Arc;
use time::macros::date;

/// Monday 23 November 2026, 09:00 in Almaty, in ms.
const NOW: i64 = 1_795_406_400_000;

#[tokio::test]
async fn each_step_once_and_one_session_on_both_databases() {
    on_both(|db| async move {
        let raw = Raw::connect(&db).await;
        let ca = DevCa::generate("Test CA").unwrap();
        let auth = Arc::new(Auth {
            verifier: Box::new(BuiltinVerifier::new(&[ca.cert_der()]).unwrap()),
            dev: None,
            https: false,
        });
        let parent = Iin::compose(date!(1988 - 03 - 04), Sex::Female, 1).unwrap();
        let me = ca
            .issue(
                &parent.digits(),
                "T",
                Usage::Auth,
                NOW / 1000 - 60,
                NOW / 1000 + 86_400,
            )
            .unwrap();
        let sign = |text: &str| {
            base64::engine::general_purpose::STANDARD
                .encode(me.sign(text.as_bytes(), false).unwrap())
        };

        let started = auth
            .mobile_start(&db, NOW, Role::Parent, "/my")
            .await
            .unwrap();
        assert_eq!(started.expires_at, NOW + CHALLENGE_MS);
        let a = started.address.clone();
        // The address once, whoever asks: of two at once, one is told the token.
        let (one, two) = tokio::join!(
            auth.mobile_open(&db, NOW, &a),
            auth.mobile_open(&db, NOW, &a)
        );
        let opened = match (one, two) {
            (Ok(o), Err(Refusal::Used)) | (Err(Refusal::Used), Ok(o)) => o,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            auth.mobile_wait(&db, NOW, &started.wait).await.unwrap(),
            Waiting::Waiting {
                opened: true,
                expires_at: NOW + CHALLENGE_MS,
                address: None
            }
        );
        assert_eq!(
            auth.mobile_document(&db, NOW, &a, "wrong").await.err(),
            Some(Refusal::Token)
        );
        let doc = auth
            .mobile_document(&db, NOW, &a, &opened.token)
            .await
            .unwrap();
        assert_eq!(
            auth.mobile_document(&db, NOW, &a, &opened.token)
                .await
                .err(),
            Some(Refusal::Used)
        );
        let challenge = doc.text.lines().nth(1).unwrap().to_string();
        assert_eq!(doc.text, document_text(&challenge));

        // Two good signatures sent at once: one counts.
        let cms = sign(&doc.text);
        let (one, two) = tokio::join!(
            auth.mobile_signed(&db, NOW + 1000, &a, &opened.token, &cms),
            auth.mobile_signed(&db, NOW + 1000, &a, &opened.token, &cms)
        );
        assert!(
            matches!(
                (&one, &two),
                (Ok(()), Err(Refusal::Used)) | (Err(Refusal::Used), Ok(()))
            ),
            "{one:?} {two:?}"
        );
        // The challenge is spent: NCALayer's route cannot use it either.
        assert!(auth
            .sign_in(&db, NOW + 1000, &challenge, &cms, Role::Parent)
            .await
            .is_err());
        let kept = raw
            .int("SELECT count(*) FROM mobile_sign_ins WHERE iin IS NOT NULL")
            .await;
        assert_eq!(kept, 1);

        // Two looks of the page at once: one session.
        let (one, two) = tokio::join!(
            auth.mobile_wait(&db, NOW + 2000, &started.wait),
            auth.mobile_wait(&db, NOW + 2000, &started.wait)
        );
        let token = match (one.unwrap(), two.unwrap()) {
            (Waiting::SignedIn { token, next }, Waiting::None)
            | (Waiting::None, Waiting::SignedIn { token, next }) => {
                assert_eq!(next, "/my");
                token
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(
            sessions::actor(&db, NOW + 2000, &token).await.unwrap(),
            Some(Actor::Parent(parent))
        );
        // Whose it was is forgotten once collected.
        let kept = raw
            .int("SELECT count(*) FROM mobile_sign_ins WHERE iin IS NOT NULL")
            .await;
        assert_eq!(kept, 0);

        // A refused signature ends the sign-in with its reason; expiry and cancelling too.
        let s2 = auth
            .mobile_start(&db, NOW, Role::Parent, "/")
            .await
            .unwrap();
        let o2 = auth.mobile_open(&db, NOW, &s2.address).await.unwrap();
        auth.mobile_document(&db, NOW, &s2.address, &o2.token)
            .await
            .unwrap();
        assert_eq!(
            auth.mobile_signed(&db, NOW, &s2.address, &o2.token, &sign("something else"))
                .await
                .err(),
            Some(Refusal::Signature(SignInError::Tampered))
        );
        assert_eq!(
            auth.mobile_wait(&db, NOW, &s2.wait).await.unwrap(),
            Waiting::Failed(SignInError::Tampered)
        );
        let s3 = auth
            .mobile_start(&db, NOW, Role::Parent, "/")
            .await
            .unwrap();
        assert_eq!(
            auth.mobile_wait(&db, NOW + CHALLENGE_MS, &s3.wait)
                .await
                .unwrap(),
            Waiting::Expired
        );
        assert_eq!(
            auth.mobile_open(&db, NOW + CHALLENGE_MS, &s3.address)
                .await
                .err(),
            Some(Refusal::Expired)
        );
        let s4 = auth
            .mobile_start(&db, NOW, Role::Parent, "/")
            .await
            .unwrap();
        auth.mobile_cancel(&db, &s4.wait).await.unwrap();
        assert_eq!(
            auth.mobile_open(&db, NOW, &s4.address).await.err(),
            Some(Refusal::Cancelled)
        );
        assert_eq!(
            auth.mobile_wait(&db, NOW, &s4.wait).await.unwrap(),
            Waiting::Cancelled
        );

        // Rows an hour past their end are swept by the next start.
        auth.mobile_start(&db, NOW + CHALLENGE_MS + 3_600_001, Role::Parent, "/")
            .await
            .unwrap();
        assert_eq!(raw.int("SELECT count(*) FROM mobile_sign_ins").await, 1);
    })
    .await;
}
