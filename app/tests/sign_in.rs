//! Sign-in over storage, the same bodies on SQLite and PostgreSQL: single-use challenges, roles
//! and their events, session timeouts and sign-out.

mod common;

use app::auth::dev_ca::{DevCa, Usage};
use app::auth::eds::BuiltinVerifier;
use app::auth::sign_in::{Auth, Role, CHALLENGE_MS};
use app::auth::{roles, sessions};
use app::demo::{self, Scale};
use app::domain::{Iin, Sex};
use app::engine::Actor;
use app::error::{AppError, Invalid, SignInError};
use base64::Engine as _;
use common::{on_both, Raw};
use time::macros::date;

/// Monday 23 November 2026, 09:00 in Almaty, in ms.
const NOW: i64 = 1_795_406_400_000;

fn person(serial: u16) -> Iin {
    Iin::compose(date!(1988 - 03 - 04), Sex::Female, serial).unwrap()
}

fn refused(e: SignInError) -> Option<AppError> {
    Some(AppError::Validation(Invalid::SignIn(e)))
}

#[tokio::test]
async fn challenges_roles_and_sessions_on_both_databases() {
    on_both(|db| async move {
        let city = demo::generate(5, date!(2026 - 11 - 25), Scale::TOWN);
        db.load_city(&city, &|_, _| {}).await.unwrap();
        let raw = Raw::connect(&db).await;
        let ca = DevCa::generate("Test CA").unwrap();
        let auth = Auth {
            verifier: Box::new(BuiltinVerifier::new(&[ca.cert_der()]).unwrap()),
            dev: None,
            https: false,
        };
        let b64 = |d: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(d);
        let holder = |iin: &Iin| {
            ca.issue(
                &iin.digits(),
                "T",
                Usage::Auth,
                NOW / 1000 - 60,
                NOW / 1000 + 86_400,
            )
            .unwrap()
        };
        let parent = person(1);
        let me = holder(&parent);

        // A challenge signs in once.
        let ch = auth.challenge(&db, NOW).await.unwrap();
        let cms = b64(me.sign(ch.as_bytes(), false).unwrap());
        let token = auth
            .sign_in(&db, NOW, &ch, &cms, Role::Parent)
            .await
            .unwrap();
        assert_eq!(
            sessions::actor(&db, NOW, &token).await.unwrap(),
            Some(Actor::Parent(parent))
        );
        assert_eq!(
            auth.sign_in(&db, NOW, &ch, &cms, Role::Parent).await.err(),
            refused(SignInError::Challenge),
            "replayed"
        );
        // A challenge older than five minutes is refused.
        let old = auth.challenge(&db, NOW).await.unwrap();
        let cms_old = b64(me.sign(old.as_bytes(), false).unwrap());
        assert_eq!(
            auth.sign_in(&db, NOW + CHALLENGE_MS, &old, &cms_old, Role::Parent)
                .await
                .err(),
            refused(SignInError::Challenge)
        );

        // Roles: refused until held, and each change is an event without the IIN.
        let head = person(2);
        let sign_as = |role: Role, iin: Iin| {
            let (auth, db, ca) = (&auth, &db, &ca);
            async move {
                let ch = auth.challenge(db, NOW).await.unwrap();
                let h = ca
                    .issue(
                        &iin.digits(),
                        "T",
                        Usage::Auth,
                        NOW / 1000 - 60,
                        NOW / 1000 + 60,
                    )
                    .unwrap();
                let cms = b64(h.sign(ch.as_bytes(), false).unwrap());
                auth.sign_in(db, NOW, &ch, &cms, role).await
            }
        };
        assert_eq!(
            sign_as(Role::Head, head).await.err(),
            refused(SignInError::Role)
        );
        assert_eq!(
            sign_as(Role::Admin, head).await.err(),
            refused(SignInError::Role)
        );
        let k = &city.kindergartens[1];
        roles::assign_head(&db, NOW, &head, k.number as i64)
            .await
            .unwrap();
        roles::grant_admin(&db, NOW, &head).await.unwrap();
        let t_head = sign_as(Role::Head, head).await.unwrap();
        assert_eq!(
            sessions::actor(&db, NOW, &t_head).await.unwrap(),
            Some(Actor::Head {
                kindergarten_id: k.id
            })
        );
        let t_admin = sign_as(Role::Admin, head).await.unwrap();
        roles::revoke(&db, NOW, &head, "head").await.unwrap();
        assert_eq!(sessions::actor(&db, NOW, &t_head).await.unwrap(), None);
        assert_eq!(
            sessions::actor(&db, NOW, &t_admin).await.unwrap(),
            Some(Actor::Admin),
            "only the revoked role's sessions end"
        );
        assert!(matches!(
            roles::revoke(&db, NOW, &head, "head").await,
            Err(roles::RoleError::NotHeld)
        ));
        assert!(matches!(
            roles::assign_head(&db, NOW, &head, 9_999_999).await,
            Err(roles::RoleError::NoKindergarten(_))
        ));

        // Idle for 30 minutes, the session is over; in use, it lasts at most 12 hours.
        let min = 60_000;
        assert!(sessions::actor(&db, NOW + 29 * min, &token)
            .await
            .unwrap()
            .is_some());
        assert!(sessions::actor(&db, NOW + 58 * min, &token)
            .await
            .unwrap()
            .is_some());
        assert!(sessions::actor(&db, NOW + 88 * min + 1, &token)
            .await
            .unwrap()
            .is_none());
        let busy = sign_as(Role::Parent, parent).await.unwrap();
        let mut t = NOW;
        while t < NOW + 12 * 60 * min - 20 * min {
            t += 20 * min;
            assert!(
                sessions::actor(&db, t, &busy).await.unwrap().is_some(),
                "at {t}"
            );
        }
        assert!(sessions::actor(&db, NOW + 12 * 60 * min, &busy)
            .await
            .unwrap()
            .is_none());

        // Sign-out everywhere ends every session of that person, not others'.
        let a = sign_as(Role::Parent, parent).await.unwrap();
        let b = sign_as(Role::Parent, parent).await.unwrap();
        let other = sign_as(Role::Parent, person(3)).await.unwrap();
        // (Four rows: these two and the two lapsed ones above.)
        assert_eq!(sessions::end_all(&db, &a).await.unwrap(), 4);
        assert!(sessions::actor(&db, NOW, &b).await.unwrap().is_none());
        assert!(sessions::actor(&db, NOW, &other).await.unwrap().is_some());
        assert!(sessions::end(&db, &other).await.unwrap());
        assert!(sessions::actor(&db, NOW, &other).await.unwrap().is_none());

        // No IIN in the public log.
        let bodies = raw.strings("SELECT body FROM events").await.join("\n");
        assert!(!bodies.contains(&head.digits()) && !bodies.contains(&parent.digits()));
        // Three role events (assigned, granted, revoked), chained or (PostgreSQL) in the intake.
        let mut roles = raw
            .int("SELECT COUNT(*) FROM events WHERE kind LIKE 'role.%'")
            .await;
        if db.backend_name() == "postgres" {
            roles += raw
                .int("SELECT COUNT(*) FROM event_queue WHERE kind LIKE 'role.%'")
                .await;
        }
        assert_eq!(roles, 3);
    })
    .await;
}
