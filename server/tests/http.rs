//! The real server on port 0, called like a browser would (with a cookie store).

use std::net::SocketAddr;
use time::macros::date;

mod common;
mod sse;

use common::*;

#[test]
fn healthz_checks_the_database() {
    one_runtime(healthz_checks_the_database_())
}

async fn healthz_checks_the_database_() {
    let s = start().await;
    let (status, body) = get(&client(), &format!("{}/healthz", s.base), "en").await;
    assert_eq!(status, 200);
    assert!(body.contains("\"database\":\"sqlite\""), "{body}");
}

#[test]
fn the_directory_is_server_rendered_in_the_readers_language() {
    one_runtime(the_directory_is_server_rendered_in_the_readers_language_())
}

async fn the_directory_is_server_rendered_in_the_readers_language_() {
    let s = start().await;
    let c = client();
    let (status, body) = get(&c, &format!("{}/", s.base), "ru-RU,ru;q=0.9").await;
    assert_eq!(status, 200);
    assert!(body.contains("<html lang=\"ru\""), "html lang");
    assert!(body.contains("Справочник детских садов"));
    assert!(body.contains("Найдено: 90 детских садов"));
    let (_, body) = get(&c, &format!("{}/", s.base), "kk").await;
    assert!(body.contains("<html lang=\"kk\""));
    assert!(body.contains("Балабақшалар анықтамалығы"));
    let (_, body) = get(&c, &format!("{}/", s.base), "en").await;
    assert!(body.contains("90 kindergartens found"));
}

#[test]
fn filters_work_without_javascript() {
    one_runtime(filters_work_without_javascript_())
}

async fn filters_work_without_javascript_() {
    let s = start().await;
    let expected = s
        .city
        .kindergartens
        .iter()
        .filter(|k| k.district == app::domain::District::Medeu)
        .count();
    let (status, body) = get(
        &client(),
        &format!("{}/?q=&district=medeu&lang=", s.base),
        "en",
    )
    .await;
    assert_eq!(status, 200);
    let noun = if expected == 1 {
        "kindergarten"
    } else {
        "kindergartens"
    };
    assert!(
        body.contains(&format!("{expected} {noun} found")),
        "count for Medeu"
    );
    assert!(body.contains("Medeu district"));
    assert!(!body.contains("Turksib district ·"), "only Medeu cards");
}

#[test]
fn bad_filter_values_get_a_translated_400_not_a_500() {
    one_runtime(bad_filter_values_get_a_translated_400_not_a_500_())
}

async fn bad_filter_values_get_a_translated_400_not_a_500_() {
    let s = start().await;
    let c = client();
    let (status, body) = get(&c, &format!("{}/?district=moscow", s.base), "ru").await;
    assert_eq!(status, 400);
    assert!(body.contains("Такого района нет."));
    let long = "а".repeat(200);
    let (status, body) = get(&c, &format!("{}/?q={long}", s.base), "kk").await;
    assert_eq!(status, 400);
    assert!(body.contains("Іздеу мәтіні тым ұзын"));

    // The server function itself answers with the typed error.
    let (status, body) = get(
        &c,
        &format!("{}/api/directory?q=&district=&lang=fr&free=&page=", s.base),
        "en",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body, r#"{"Validation":{"Filter":"UnknownLanguage"}}"#);
    let (status, body) = get(&c, &format!("{}/api/directory?q=x", s.base), "en").await;
    assert_eq!(status, 400, "missing arguments: {body}");
}

#[test]
fn kindergarten_pages_and_not_found() {
    one_runtime(kindergarten_pages_and_not_found_())
}

async fn kindergarten_pages_and_not_found_() {
    let s = start().await;
    let c = client();
    let k = &s.city.kindergartens[0];
    let (status, body) = get(&c, &format!("{}/kindergartens/{}", s.base, k.id), "ru").await;
    assert_eq!(status, 200);
    assert!(
        body.contains(&k.name_ru.replace('"', "&quot;")),
        "name on the page"
    );
    assert!(body.contains("Возрастные группы и места"));

    let (status, body) = get(&c, &format!("{}/kindergartens/99999", s.base), "en").await;
    assert_eq!(status, 404);
    assert!(body.contains("There is no such kindergarten."));
    let (status, _) = get(&c, &format!("{}/kindergartens/abc", s.base), "en").await;
    assert_eq!(status, 404);
    let (status, body) = get(&c, &format!("{}/no/such/page", s.base), "en").await;
    assert_eq!(status, 404);
    assert!(body.contains("Page not found."));
}

#[test]
fn the_language_switch_is_remembered_and_stays_on_the_site() {
    one_runtime(the_language_switch_is_remembered_and_stays_on_the_site_())
}

async fn the_language_switch_is_remembered_and_stays_on_the_site_() {
    let s = start().await;
    let c = client();
    let res = c
        .get(format!("{}/lang/ru?next=/kindergartens/1", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(res.headers()["location"], "/kindergartens/1");
    // The cookie now wins over the browser's English.
    let (_, body) = get(&c, &format!("{}/", s.base), "en").await;
    assert!(body.contains("<html lang=\"ru\""));

    let res = c
        .get(format!("{}/lang/kk?next=//evil.example/", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["location"], "/");
    let res = c.get(format!("{}/lang/xx", s.base)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 404);
}

/// The form of an application for the child `iin` (born 5 April 2023).
fn application_form(iin: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[child_iin]", iin.to_string()),
        ("form[child_name]", "Нұрлан".into()),
        ("form[birth_date]", "2023-04-05".into()),
        ("form[priority]", "general".into()),
        ("form[phone1]", "+7 701 111 22 33".into()),
        ("form[phone2]", "+7 702 444 55 66".into()),
        ("form[email]", "ata@mail.kz".into()),
        ("form[district]", "medeu".into()),
        ("form[language]", "ru".into()),
    ]
}

#[test]
fn queue_server_functions_answer_with_typed_statuses() {
    one_runtime(queue_server_functions_answer_with_typed_statuses_())
}

async fn queue_server_functions_answer_with_typed_statuses_() {
    use app::domain::{Iin, Sex};
    use app::engine::Actor;
    use time::macros::date;
    let s = start().await;
    let c = client();
    let parent = Iin::compose(date!(1991 - 02 - 03), Sex::Female, 11).unwrap();
    let child = (0..50)
        .find_map(|n| Iin::compose(date!(2023 - 04 - 05), Sex::Male, 900 + n))
        .unwrap();
    let form = application_form;
    let apply = format!("{}/api/queue/apply", s.base);
    // Nobody signed in: 401, and nothing written.
    let (status, _) = post(&c, &apply, None, &form(&child.digits())).await;
    assert_eq!(status, 401);
    let (status, _) = post(&c, &apply, Some(&"0".repeat(64)), &form(&child.digits())).await;
    assert_eq!(status, 401, "an unknown token");

    let token = s.session(&Actor::Parent(parent), 8).await;
    let mut bad = child.digits();
    bad.replace_range(0..1, if bad.starts_with('2') { "3" } else { "2" });
    let (status, body) = post(&c, &apply, Some(&token), &form(&bad)).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("Validation"), "{body}");

    let (status, body) = post(&c, &apply, Some(&token), &form(&child.digits())).await;
    assert_eq!(status, 200, "{body}");
    let public_no: String = serde_json::from_str(&body).unwrap();
    assert!(public_no.starts_with("ALM-2026-"), "{public_no}");
    // Numbers continue after the loaded ones.
    assert!(!s.city.applications.iter().any(|a| a.public_no == public_no));
    let (status, body) = post(&c, &apply, Some(&token), &form(&child.digits())).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body, r#"{"Conflict":"AlreadyApplied"}"#);

    // Anyone may look up a position by number; the answer carries no IIN.
    let (status, body) = get(
        &c,
        &format!("{}/api/queue/position?public_no={public_no}", s.base),
        "en",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"position\":"), "{body}");
    assert!(!body.contains(&child.digits()), "{body}");
    let (status, _) = get(
        &c,
        &format!("{}/api/queue/position?public_no=ALM-1999-000000", s.base),
        "en",
    )
    .await;
    assert_eq!(status, 404);

    // Claiming without an invitation is a conflict, not a 500.
    let claim = format!("{}/api/queue/claim", s.base);
    let (status, body) = post(
        &c,
        &claim,
        Some(&token),
        &[
            ("public_no", public_no.clone()),
            ("kindergarten_id", "1".into()),
        ],
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body, r#"{"Conflict":"NotInvited"}"#);

    // Heads post seats only for their own kindergarten.
    let k = s.city.kindergartens.iter().find(|k| k.in_queue).unwrap();
    let (cohort, capacity, _) = k.seats[0];
    let head = s
        .session(
            &Actor::Head {
                kindergarten_id: k.id,
            },
            8,
        )
        .await;
    let other = s
        .session(
            &Actor::Head {
                kindergarten_id: k.id + 1,
            },
            8,
        )
        .await;
    let seats = format!("{}/api/head/seats", s.base);
    let args = |free: i64| {
        vec![
            ("kindergarten_id", k.id.to_string()),
            ("cohort", cohort.0.to_string()),
            ("free", free.to_string()),
        ]
    };
    let (status, _) = post(&c, &seats, Some(&other), &args(1)).await;
    assert_eq!(status, 403);
    let (status, body) = post(&c, &seats, Some(&head), &args(capacity + 1)).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = post(&c, &seats, Some(&head), &args(0)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(&c, &seats, Some(&head), &[("cohort", "x".into())]).await;
    assert_eq!(status, 400, "malformed arguments: {body}");

    // Sessions expire.
    s.clock.advance(9 * 3_600_000);
    let (status, _) = post(&c, &seats, Some(&head), &args(0)).await;
    assert_eq!(status, 401);
}

#[test]
fn only_the_department_sets_the_rules() {
    one_runtime(only_the_department_sets_the_rules_())
}

async fn only_the_department_sets_the_rules_() {
    use app::domain::{Iin, Sex};
    use app::engine::{Actor, Clock};
    let s = start().await;
    let c = client();
    // A person of the department (with a pseudonym), and a head.
    let person = (0..50)
        .find_map(|n| Iin::compose(date!(1979 - 03 - 04), Sex::Female, 40 + n))
        .unwrap();
    let now = s.clock.now_ms();
    app::auth::roles::grant_admin(&s.db, now, &person)
        .await
        .unwrap();
    let admin = app::auth::sessions::create_for(&s.db, now, &Actor::Admin, Some(&person), 1)
        .await
        .unwrap()
        .unwrap();
    let head = s.session(&Actor::Head { kindergarten_id: 1 }, 1).await;
    let url = format!("{}/admin/rules", s.base);
    let form =
        |invitation_days: &str, pause_to: &str, reason: &str| -> Vec<(&'static str, String)> {
            vec![
                ("privileged_share", "1".into()),
                ("general_share", "3".into()),
                ("invitation_days", invitation_days.into()),
                ("referral_days", "5".into()),
                ("max_extension_days", "30".into()),
                ("stop_days", "10".into()),
                ("min_age_months", "24".into()),
                ("pause_from", "08-01".into()),
                ("pause_to", pause_to.into()),
                ("recheck_due", "06-30".into()),
                ("reason", reason.into()),
            ]
        };
    let back = |status: u16, body: &str, to: &str| {
        assert_eq!(status, 303, "{body}");
        to.to_string()
    };
    let (status, _) = post(&c, &url, None, &form("1", "08-31", "x")).await;
    assert_eq!(status, 401);
    let (status, _) = post(&c, &url, Some(&head), &form("1", "08-31", "x")).await;
    assert_eq!(status, 403);
    // Mistakes go back to the page, which says them; nothing changes.
    for (sent, said) in [
        (form("1", "08-32", "order 7"), "invalid"),
        (form("0", "08-31", "order 7"), "invalid"),
        (form("1", "08-31", " "), "no-reason"),
    ] {
        let res = c
            .post(&url)
            .form(&sent)
            .header("cookie", format!("kezek_session={admin}"))
            .send()
            .await
            .unwrap();
        let to = res.headers()["location"].to_str().unwrap().to_string();
        back(res.status().as_u16(), "", &to);
        assert_eq!(to, format!("/admin/rules?rules={said}#rules"));
    }
    assert_eq!(s.engine.rules().invitation_days, 3, "nothing changed");
    // Astana's one-day invitations, by admin #1, for a reason.
    let (status, body) = post(&c, &url, Some(&admin), &form("1", "08-31", "order 7")).await;
    back(status, &body, "");
    assert_eq!(s.engine.rules().invitation_days, 1);
    let logged = s.engine.latest_events(&["rules.changed"], 1).await.unwrap();
    assert_eq!(logged[0].2["by"], "admin #1");
    assert_eq!(logged[0].2["reason"], "order 7");

    // The calendar, likewise.
    let url = format!("{}/admin/calendar", s.base);
    let day = |d: &str, kind: &str| {
        vec![
            ("day", d.to_string()),
            ("kind", kind.to_string()),
            ("name", "Transfer".to_string()),
            ("reason", "decree 12".to_string()),
        ]
    };
    let (status, _) = post(&c, &url, Some(&head), &day("2026-12-31", "off")).await;
    assert_eq!(status, 403);
    let (status, _) = post(&c, &url, Some(&admin), &day("2026-12-32", "off")).await;
    assert_eq!(status, 303);
    // Thursday 31 December cannot be "moved to be worked": it is worked anyway.
    let (status, _) = post(&c, &url, Some(&admin), &day("2026-12-31", "worked")).await;
    assert_eq!(status, 303);
    assert!(s.engine.is_working_day(date!(2026 - 12 - 31)));
    let (status, body) = post(&c, &url, Some(&admin), &day("2026-12-31", "off")).await;
    assert_eq!(status, 303, "{body}");
    assert!(!s.engine.is_working_day(date!(2026 - 12 - 31)));
    // The public page shows it, with who and why.
    let (status, page) = get(&c, &format!("{}/rules?year=2026", s.base), "en").await;
    assert_eq!(status, 200);
    assert!(page.contains("31.12.2026") && page.contains("decree 12") && page.contains("admin #1"));
}

#[test]
fn requests_the_server_cannot_read_are_bad_input_not_an_outage() {
    one_runtime(requests_the_server_cannot_read_are_bad_input_not_an_outage_())
}

async fn requests_the_server_cannot_read_are_bad_input_not_an_outage_() {
    use app::engine::Actor;
    let s = start().await;
    let c = client();
    let token = s.session(&Actor::Admin, 1).await;
    let url = format!("{}/api/head/seats", s.base);
    let before = s.db.city_summary().await.unwrap().free_seats;
    let events = s.engine.verify_chain().await.unwrap().unwrap().0;
    let bodies: [(&str, &[u8]); 5] = [
        ("application/json", b"{\"kindergarten_id\": "),
        (
            "application/x-www-form-urlencoded",
            b"kindergarten_id=1&cohort=x&free=%%",
        ),
        ("application/x-www-form-urlencoded", b"\xff\xfe\x00garbage"),
        ("text/plain", b"kindergarten_id=1&cohort=2023&free=1"),
        ("application/octet-stream", &[0u8, 159, 146, 150]),
    ];
    for (kind, body) in bodies {
        let res = c
            .post(&url)
            .header("content-type", kind)
            .header("cookie", format!("kezek_session={token}"))
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        assert!(
            status == 400 || status == 415,
            "{kind} {body:?}: {status} {}",
            res.text().await.unwrap()
        );
    }
    // Nothing was posted.
    assert_eq!(s.db.city_summary().await.unwrap().free_seats, before);
    assert_eq!(s.engine.verify_chain().await.unwrap().unwrap().0, events);
}

/// Signs in through `/auth/dev/sign-in`; returns the status, the body and the session token.
async fn dev_sign_in(
    c: &reqwest::Client,
    s: &Running,
    iin: &str,
    role: &str,
) -> (u16, String, Option<String>) {
    let res = c
        .post(format!("{}/auth/dev/sign-in", s.base))
        .header("accept-language", "ru")
        .form(&[("iin", iin), ("role", role), ("next", "/head")])
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let token = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let (kv, attrs) = v.split_once(';')?;
            assert!(
                attrs.contains("HttpOnly")
                    && attrs.contains("SameSite=Lax")
                    && attrs.contains("Path=/"),
                "{v}"
            );
            kv.strip_prefix("kezek_session=").map(str::to_string)
        });
    (status, res.text().await.unwrap(), token)
}

#[test]
fn dev_sign_in_sessions_and_sign_out() {
    one_runtime(dev_sign_in_sessions_and_sign_out_())
}

async fn dev_sign_in_sessions_and_sign_out_() {
    use app::domain::{Iin, Sex};
    let s = start().await;
    let c = client();
    let parent = Iin::compose(date!(1991 - 02 - 03), Sex::Female, 12).unwrap();
    let (status, body, token) = dev_sign_in(&c, &s, &parent.digits(), "parent").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""next":"/head""#), "{body}");
    let token = token.expect("a session cookie");
    // The session is a parent's: a parent's server function knows them (400 for the empty
    // form, not 401), and a head's refuses them.
    let apply = format!("{}/api/queue/apply", s.base);
    // An application with a mistyped child IIN: 400 for a parent, 401 for nobody.
    let probe = application_form("123");
    let (status, _) = post(&c, &apply, Some(&token), &probe).await;
    assert_eq!(status, 400);
    let seats = format!("{}/api/head/seats", s.base);
    let form = vec![
        ("kindergarten_id", "1".to_string()),
        ("cohort", "2022".to_string()),
        ("free", "1".to_string()),
    ];
    let (status, _) = post(&c, &seats, Some(&token), &form).await;
    assert_eq!(status, 403);
    // Each sign-in is a new session (the id is never reused).
    let (_, _, again) = dev_sign_in(&c, &s, &parent.digits(), "parent").await;
    assert_ne!(again.as_deref(), Some(token.as_str()));

    // A head's role must be assigned; the refusal says so in the reader's language.
    let head = Iin::compose(date!(1980 - 05 - 06), Sex::Male, 3).unwrap();
    let (status, body, token_h) = dev_sign_in(&c, &s, &head.digits(), "head").await;
    assert_eq!((status, token_h), (400, None), "{body}");
    assert!(body.contains("Эта роль вам не назначена"), "{body}");
    let number = s.city.kindergartens[0].number as i64;
    app::auth::roles::assign_head(&s.db, 0, &head, number)
        .await
        .unwrap();
    let (status, body, token_h) = dev_sign_in(&c, &s, &head.digits(), "head").await;
    assert_eq!(status, 200, "{body}");
    let token_h = token_h.unwrap();
    // Revoking the role ends the head's sessions at once.
    app::auth::roles::revoke(&s.db, 0, &head, "head")
        .await
        .unwrap();
    let (status, _) = post(&c, &seats, Some(&token_h), &form).await;
    assert_eq!(status, 401);
    // The assignment and the revocation are in the public log, without the IIN.
    let log: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, body FROM events WHERE kind LIKE 'role.%'")
            .fetch_all(&sqlx::SqlitePool::connect(s.db.url()).await.unwrap())
            .await
            .unwrap();
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(
        log.iter().all(|(_, b)| !b.contains(&head.digits())),
        "{log:?}"
    );

    // Not an IIN: a translated 400 and no session.
    let (status, body, t) = dev_sign_in(&c, &s, "12345", "parent").await;
    assert_eq!((status, t), (400, None), "{body}");
    assert!(body.contains("ИИН"), "{body}");

    // Sign-out ends this session only; sign-out everywhere ends the others.
    let out = |path: &'static str, token: String| {
        let c = c.clone();
        let url = format!("{}{path}", s.base);
        async move {
            let res = c
                .post(url)
                .header("cookie", format!("kezek_session={token}"))
                .send()
                .await
                .unwrap();
            let cleared = res
                .headers()
                .get("set-cookie")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("Max-Age=0"));
            (res.status().as_u16(), cleared)
        }
    };
    assert_eq!(out("/auth/sign-out", token.clone()).await, (200, true));
    let (status, _) = post(&c, &apply, Some(&token), &probe).await;
    assert_eq!(status, 401, "signed out");
    let again = again.unwrap();
    let (status, _) = post(&c, &apply, Some(&again), &probe).await;
    assert_eq!(status, 400, "the other session lives on");
    let (_, _, third) = dev_sign_in(&c, &s, &parent.digits(), "parent").await;
    assert_eq!(
        out("/auth/sign-out-everywhere", third.unwrap()).await,
        (200, true)
    );
    let (status, _) = post(&c, &apply, Some(&again), &probe).await;
    assert_eq!(status, 401, "signed out everywhere");
}

#[test]
fn signatures_from_outside_the_server() {
    one_runtime(signatures_from_outside_the_server_())
}

/// What NCALayer would post: a signature over the server's challenge, checked by the same
/// verifier; replays, strangers and junk refused with a 4xx and no session.
async fn signatures_from_outside_the_server_() {
    use app::auth::dev_ca::{DevCa, Usage};
    use app::domain::{Iin, Sex};
    use base64::Engine as _;
    let s = start().await;
    let c = client();
    let b64 = |d: &[u8]| base64::engine::general_purpose::STANDARD.encode(d);
    let challenge = || async {
        let body = c
            .get(format!("{}/auth/challenge", s.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["challenge"].as_str().unwrap().to_string()
    };
    let sign_in = |challenge: String, cms: String| {
        let c = c.clone();
        let url = format!("{}/auth/sign-in", s.base);
        async move {
            let res = c
                .post(url)
                .header("accept-language", "kk")
                .form(&[
                    ("challenge", challenge),
                    ("cms", cms),
                    ("role", "parent".into()),
                ])
                .send()
                .await
                .unwrap();
            let cookie = res.headers().get("set-cookie").is_some();
            (res.status().as_u16(), cookie, res.text().await.unwrap())
        }
    };
    // A certificate of a CA the server does not trust.
    let now = s.engine.ctx().now / 1000;
    let stranger_ca = DevCa::generate("Other CA").unwrap();
    let iin = Iin::compose(date!(1985 - 07 - 08), Sex::Female, 5)
        .unwrap()
        .digits();
    let stranger = stranger_ca
        .issue(&iin, "X", Usage::Auth, now - 60, now + 86_400)
        .unwrap();
    let ch = challenge().await;
    let (status, cookie, body) = sign_in(
        ch.clone(),
        b64(&stranger.sign(ch.as_bytes(), false).unwrap()),
    )
    .await;
    assert_eq!((status, cookie), (400, false), "{body}");
    assert!(body.contains("сенімді"), "{body}");
    // The challenge was used up by that attempt: a replay is refused as such.
    let (status, _, body) = sign_in(
        ch.clone(),
        b64(&stranger.sign(ch.as_bytes(), false).unwrap()),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("Кіру сұрауының"), "{body}");
    // Junk, and a challenge the server never gave.
    let ch = challenge().await;
    let (status, cookie, _) = sign_in(ch, "%%% not base64 %%%".into()).await;
    assert_eq!((status, cookie), (400, false));
    let (status, _, _) = sign_in("ab".repeat(32), b64(b"x")).await;
    assert_eq!(status, 400);
    // A body of 10 MB is refused before anything reads it: the answer comes from the length
    // alone (a raw connection, so that no client is still writing when it arrives).
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let host = s.base.trim_start_matches("http://");
        let mut tcp = tokio::net::TcpStream::connect(host).await.unwrap();
        let head = format!(
            "POST /auth/sign-in HTTP/1.1\r\nHost: {host}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\n\r\n",
            10 * 1024 * 1024
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        tcp.write_all(&[b'a'; 64 * 1024]).await.unwrap();
        let mut answer = vec![0u8; 64];
        let n = tcp.read(&mut answer).await.unwrap();
        let line = String::from_utf8_lossy(&answer[..n]).to_string();
        assert!(line.starts_with("HTTP/1.1 413"), "{line}");
    }
    // A form that is not a form.
    let res = c
        .post(format!("{}/auth/sign-in", s.base))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
}

#[test]
fn dev_mode_is_off_unless_asked_and_only_on_loopback() {
    let loopback: SocketAddr = "127.0.0.1:3000".parse().unwrap();
    let public: SocketAddr = "0.0.0.0:3000".parse().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    assert!(server::config::auth(true, public, false, dir).is_err());
    assert!(server::config::auth(true, loopback, false, dir)
        .unwrap()
        .dev
        .is_some());
    let off = server::config::auth(false, loopback, false, dir).unwrap();
    assert!(off.dev.is_none());
    // Over HTTPS the cookie is Secure and carries the __Host- prefix.
    let https = server::config::auth(false, loopback, true, dir).unwrap();
    let cookie = https.cookie(Some("t"));
    assert!(
        cookie.starts_with("__Host-kezek_session=t;") && cookie.contains("; Secure"),
        "{cookie}"
    );
}

#[test]
fn dev_sign_in_is_refused_without_dev_mode() {
    one_runtime(async {
        let s = start().await;
        let dir = tempfile::tempdir().unwrap();
        let off =
            server::config::auth(false, "127.0.0.1:1".parse().unwrap(), false, dir.path()).unwrap();
        let r = off
            .dev_sign_in(
                &s.db,
                s.engine.ctx().now,
                "800101370027",
                app::auth::sign_in::Role::Parent,
            )
            .await;
        assert_eq!(r.err(), Some(app::error::AppError::NotFound));
    })
}

#[test]
fn dev_people_hold_their_roles() {
    one_runtime(async {
        let s = start().await;
        let c = client();
        // Twice, as two starts would: the roles are given once.
        server::seed::dev_roles(&s.db, 0).await.unwrap();
        server::seed::dev_roles(&s.db, 0).await.unwrap();
        for (iin, role) in server::seed::dev_people() {
            let (status, body, token) = dev_sign_in(&c, &s, &iin.digits(), role).await;
            assert_eq!(status, 200, "{role}: {body}");
            assert!(token.is_some(), "{role}");
        }
        let pool = sqlx::SqlitePool::connect(s.db.url()).await.unwrap();
        let events: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE kind LIKE 'role.%'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(events, 2, "one head assignment, one admin grant");
    })
}

#[test]
fn requests_from_other_sites_change_nothing() {
    one_runtime(requests_from_other_sites_change_nothing_())
}

/// Every server function that is not a GET, and every sign-in route, refuses a request another
/// site's page sent (its `Origin` or `Sec-Fetch-Site`) with 403, even with a valid session, and
/// nothing changes; the same request from the site itself gets through.
async fn requests_from_other_sites_change_nothing_() {
    use app::domain::{Iin, Sex};
    use app::engine::Actor;
    let s = start().await;
    let c = client();
    let parent = Iin::compose(date!(1991 - 02 - 03), Sex::Female, 21).unwrap();
    let token = s.session(&Actor::Admin, 8).await;
    let parent_token = s.session(&Actor::Parent(parent), 8).await;
    let pool = sqlx::SqlitePool::connect(s.db.url()).await.unwrap();
    let state = || async {
        let q = "SELECT (SELECT COUNT(*) FROM applications) * 1000000 + \
                 (SELECT COUNT(*) FROM events) * 1000 + (SELECT COUNT(*) FROM sessions)";
        sqlx::query_scalar::<_, i64>(q)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let before = state().await;
    let mut paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .filter(|(_, m)| m == axum::http::Method::POST)
        .map(|(p, _)| p.to_string())
        .collect();
    assert!(paths.len() >= 10, "{paths:?}");
    paths.extend(
        [
            "/auth/sign-in",
            "/auth/dev/sign-in",
            "/auth/sign-out",
            "/auth/sign-out-everywhere",
        ]
        .map(String::from),
    );
    let mut form = application_form(&"1".repeat(12));
    form.push(("iin", "910203400128".into()));
    for path in &paths {
        for (header, value) in [
            ("origin", "http://evil.example"),
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-site", "same-site"),
            ("origin", "null"),
        ] {
            for session in [&token, &parent_token] {
                let res = c
                    .post(format!("{}{path}", s.base))
                    .header(header, value)
                    .header("cookie", format!("kezek_session={session}"))
                    .header("accept-language", "ru")
                    .form(&form)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status().as_u16(), 403, "{path} {header}: {value}");
                let body = res.text().await.unwrap();
                assert!(
                    body.contains("Запрос с другого сайта отклонён"),
                    "{path}: {body}"
                );
            }
        }
    }
    assert_eq!(state().await, before, "nothing changed");
    // From the site itself (as a browser says it), a dev sign-in goes through.
    let res = c
        .post(format!("{}/auth/dev/sign-in", s.base))
        .header("sec-fetch-site", "same-origin")
        .form(&[("iin", parent.digits())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let own = s.base.trim_start_matches("http://").to_string();
    let res = c
        .post(format!("{}/auth/dev/sign-in", s.base))
        .header("origin", format!("http://{own}"))
        .form(&[("iin", parent.digits())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
}

#[test]
fn sign_in_attempts_and_claims_are_rate_limited() {
    one_runtime(async {
        use app::domain::{Iin, Sex};
        use app::engine::Actor;
        let s = start().await;
        let c = client();
        // Twenty attempts at once pass (refused for a bad IIN: they still count), then 429.
        let mut statuses = vec![];
        for _ in 0..22 {
            let res = c
                .post(format!("{}/auth/dev/sign-in", s.base))
                .header("accept-language", "kk")
                .form(&[("iin", "1")])
                .send()
                .await
                .unwrap();
            let retry = res.headers().get("retry-after").cloned();
            let status = res.status().as_u16();
            if status == 429 {
                let secs: u64 = retry.unwrap().to_str().unwrap().parse().unwrap();
                assert!((1..=3).contains(&secs), "{secs}");
                let body = res.text().await.unwrap();
                assert!(body.contains("Тым көп әрекет"), "{body}");
            }
            statuses.push(status);
        }
        assert_eq!(&statuses[..20], &[400; 20]);
        assert_eq!(&statuses[20..], &[429, 429]);
        // Claims: five per session at once, then 429; another session is not held back.
        let parent = Iin::compose(date!(1991 - 02 - 03), Sex::Female, 31).unwrap();
        let one = s.session(&Actor::Parent(parent), 8).await;
        let other = s.session(&Actor::Parent(parent), 8).await;
        let claim = format!("{}/api/queue/claim", s.base);
        let form = vec![
            ("public_no", "ALM-2026-0000-0000".to_string()),
            ("kindergarten_id", "1".to_string()),
        ];
        let mut statuses = vec![];
        for _ in 0..7 {
            statuses.push(post(&c, &claim, Some(&one), &form).await.0);
        }
        assert!(statuses[..5].iter().all(|s| *s != 429), "{statuses:?}");
        assert_eq!(&statuses[5..], &[429, 429]);
        assert_ne!(post(&c, &claim, Some(&other), &form).await.0, 429);
    })
}

#[test]
fn answers_carry_the_security_headers() {
    one_runtime(async {
        let s = start().await;
        let c = client();
        let res = c.get(format!("{}/sign-in", s.base)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let header = |res: &reqwest::Response, name: &str| {
            res.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        for (name, value) in [
            ("x-content-type-options", "nosniff"),
            ("x-frame-options", "DENY"),
            ("referrer-policy", "same-origin"),
            // The camera from this site only (the head's tablet reads QR codes); no microphone.
            (
                "permissions-policy",
                "camera=(self), microphone=(), geolocation=(self), payment=()",
            ),
        ] {
            assert_eq!(header(&res, name), value, "{name}");
        }
        assert_eq!(
            header(&res, "strict-transport-security"),
            "",
            "not over plain HTTP"
        );
        // The page's policy allows its scripts by a nonce that is on its script tags, fresh
        // for every page.
        let csp = header(&res, "content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|r| r.split('\'').next())
            .unwrap_or_else(|| panic!("{csp}"))
            .to_string();
        let html = res.text().await.unwrap();
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "the nonce is on the scripts"
        );
        let again = c.get(format!("{}/sign-in", s.base)).send().await.unwrap();
        assert!(!header(&again, "content-security-policy").contains(&nonce));
        // Other answers carry a policy too.
        let res = c.get(format!("{}/healthz", s.base)).send().await.unwrap();
        assert!(header(&res, "content-security-policy").contains("frame-ancestors 'none'"));
    })
}

#[test]
fn the_dev_signer_answers_as_ncalayer_and_the_signature_signs_in_only_with_the_auth_key() {
    one_runtime(async {
        use base64::Engine as _;
        let s = start().await;
        let c = client();
        let iin = "900101470014";
        let sign = |challenge: String, usage: &'static str| {
            let c = c.clone();
            let url = format!("{}/auth/dev/sign", s.base);
            async move {
                let data = base64::engine::general_purpose::STANDARD.encode(&challenge);
                let v: serde_json::Value = c
                    .post(url)
                    .form(&[("iin", iin), ("usage", usage), ("data", data.as_str())])
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                v["cms"].as_str().expect("a CMS").to_string()
            }
        };
        let challenge = || async {
            let v: serde_json::Value = c
                .get(format!("{}/auth/challenge", s.base))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v["challenge"].as_str().unwrap().to_string()
        };
        let sign_in = |ch: String, cms: String| {
            let c = c.clone();
            let url = format!("{}/auth/sign-in", s.base);
            async move {
                let res = c
                    .post(url)
                    .form(&[
                        ("challenge", ch.as_str()),
                        ("cms", cms.as_str()),
                        ("role", "parent"),
                    ])
                    .send()
                    .await
                    .unwrap();
                (res.status().as_u16(), res.text().await.unwrap())
            }
        };
        // The signing key (for documents) is refused with its reason.
        let ch = challenge().await;
        let cms = sign(ch.clone(), "sign").await;
        let (status, body) = sign_in(ch, cms).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains(r#""code":"signingkey""#), "{body}");
        // The authentication key signs in.
        let ch = challenge().await;
        let cms = sign(ch.clone(), "auth").await;
        let (status, body) = sign_in(ch, cms).await;
        assert_eq!(status, 200, "{body}");
        // Garbage is a 400, and an unknown key usage too.
        let res = c
            .post(format!("{}/auth/dev/sign", s.base))
            .form(&[("iin", iin), ("usage", "other"), ("data", "aGk=")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
        let res = c
            .post(format!("{}/auth/dev/sign", s.base))
            .form(&[("iin", iin), ("data", "%%%")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
    })
}

#[test]
fn the_bundle_is_served_as_compressed_at_build_time_and_the_referral_keys_are_public() {
    one_runtime(async {
        let s = start().await;
        let pkg = s._dir.path().join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        let js = "export function hydrate() { return 'kezek'; }\n".repeat(300);
        std::fs::write(pkg.join("kezek.js"), &js).unwrap();
        let files = server::site::precompress(s._dir.path()).unwrap();
        assert_eq!(files.len(), 1);
        // No automatic decompression: the test sees the bytes as sent.
        let c = reqwest::Client::builder().build().unwrap();
        for (accept, encoding, size) in [
            ("br, gzip", Some("br"), files[0].brotli),
            ("gzip", Some("gzip"), files[0].gzip),
            ("identity", None, files[0].raw),
        ] {
            let res = c
                .get(format!("{}/pkg/kezek.js", s.base))
                .header("accept-encoding", accept)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            let got = res
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_string());
            assert_eq!(got.as_deref(), encoding, "{accept}");
            assert_eq!(res.bytes().await.unwrap().len() as u64, size, "{accept}");
        }
        // The referral keys: one Ed25519 key, as JSON anyone may fetch.
        let keys: serde_json::Value = c
            .get(format!("{}/.well-known/referral-keys.json", s.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(keys["keys"][0]["alg"], "Ed25519");
        assert_eq!(keys["keys"][0]["x"].as_str().unwrap().len(), 43);
    })
}

#[test]
fn my_children_is_a_parents_page_and_live_events_need_a_parents_session() {
    one_runtime(async {
        use app::engine::Actor;
        let s = start().await;
        let c = client();
        // Nobody signed in: "My children" sends to sign-in; the live events refuse.
        let res = c
            .get(format!("{}/my", s.base))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        let status = res.status();
        let location = res
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        let body = res.text().await.unwrap();
        assert!(
            status.is_redirection() && location.as_deref().unwrap_or("").starts_with("/sign-in"),
            "{status} {location:?} {}",
            &body[..body.len().min(300)]
        );
        let res = c.get(format!("{}/events/my", s.base)).send().await.unwrap();
        assert_eq!(res.status(), 401);
        // A head is no parent.
        let head = s.session(&Actor::Head { kindergarten_id: 1 }, 1).await;
        let res = c
            .get(format!("{}/events/my", s.base))
            .header("cookie", format!("kezek_session={head}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        // A parent gets the stream.
        let parent = app::domain::Iin::compose(
            time::macros::date!(1990 - 03 - 04),
            app::domain::Sex::Female,
            5,
        )
        .unwrap();
        let token = s.session(&Actor::Parent(parent), 1).await;
        let res = c
            .get(format!("{}/events/my", s.base))
            .header("cookie", format!("kezek_session={token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
    })
}

#[test]
fn my_children_shows_the_place_and_why_it_moved_in_words() {
    one_runtime(async {
        use app::domain::{Iin, Sex};
        use app::engine::Actor;
        use time::macros::date;
        let s = start().await;
        let form = |child: &Iin, priority: &str| engine_form(child, priority, "medeu");
        let parent = Iin::compose(date!(1991 - 02 - 03), Sex::Female, 21).unwrap();
        let mine = Iin::compose(date!(2023 - 06 - 07), Sex::Male, 4242).unwrap();
        let no = s
            .engine
            .apply(&Actor::Parent(parent), &form(&mine, "general"))
            .await
            .unwrap();
        s.engine.record_positions().await.unwrap();
        // A child with a privilege applies after ours and goes ahead of it.
        s.clock.advance(60_000);
        let other = Iin::compose(date!(1985 - 01 - 01), Sex::Male, 22).unwrap();
        let theirs = Iin::compose(date!(2023 - 08 - 09), Sex::Female, 4343).unwrap();
        s.engine
            .apply(&Actor::Parent(other), &form(&theirs, "primary"))
            .await
            .unwrap();
        s.engine.record_positions().await.unwrap();
        let token = s.session(&Actor::Parent(parent), 1).await;
        let html = client()
            .get(format!("{}/my", s.base))
            .header("cookie", format!("kezek_session={token}; kezek_lang=en"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains(&no), "{html}");
        assert!(
            html.contains("1 child with a privilege joined the queue ahead of you"),
            "{html}"
        );
        assert!(html.contains("waiting for children born in 2023"), "{html}");
        // Nobody else's child, and no IIN, is on the page.
        assert!(!html.contains(&theirs.digits()) && !html.contains(&mine.digits()));
    })
}

#[test]
fn the_choice_lists_the_parents_district_and_language_first() {
    one_runtime(async {
        use app::domain::{Cohort, District, Iin, Sex};
        use app::engine::Actor;
        use time::macros::date;
        let s = start().await;
        // Every kindergarten of the queue with a group born in 2022 gets free seats.
        let cohort = Cohort(2022);
        let mut posted = Vec::new();
        for k in s.city.kindergartens.iter().filter(|k| k.in_queue) {
            if let Some((_, capacity, _)) = k.seats.iter().find(|g| g.0 == cohort) {
                if *capacity > 0
                    && s.engine
                        .post_seats(&Actor::Admin, k.id, cohort.0, 1)
                        .await
                        .is_ok()
                {
                    posted.push(k);
                }
            }
        }
        let districts: std::collections::HashSet<District> =
            posted.iter().map(|k| k.district).collect();
        assert!(districts.len() >= 2, "the test needs two districts");
        // The parent wants the district that sorts last by name, with Russian groups.
        let wanted = *districts.iter().max_by_key(|d| d.code()).unwrap();
        let parent = Iin::compose(date!(1992 - 04 - 05), Sex::Female, 31).unwrap();
        let child = Iin::compose(date!(2022 - 05 - 06), Sex::Male, 4444).unwrap();
        let no = s
            .engine
            .apply(
                &Actor::Parent(parent),
                &engine_form(&child, "general", wanted.code()),
            )
            .await
            .unwrap();
        let list = s.engine.claimable(&no).await.unwrap();
        let first_other = list
            .iter()
            .position(|k| k.place.district != wanted)
            .unwrap();
        assert!(first_other > 0, "the wished district comes first");
        assert!(list[first_other..]
            .iter()
            .all(|k| k.place.district != wanted));
        // Within it, groups in Russian before the others.
        let ru = app::domain::GroupLanguage::Russian;
        let block = &list[..first_other];
        let first_without = block.iter().position(|k| !k.languages.contains(ru));
        if let Some(i) = first_without {
            assert!(block[i..].iter().all(|k| !k.languages.contains(ru)));
        }
    })
}

#[test]
fn the_map_stream_carries_seat_counts_as_they_change_and_nothing_personal() {
    one_runtime(async {
        use app::domain::map::{MapData, SeatCounts};
        use app::engine::Actor;
        use std::time::Duration;
        let s = start().await;
        let c = client();
        // The map's data: every kindergarten of the queue, named in the asked language.
        let (status, body) = get(&c, &format!("{}/api/map?lang=kk", s.base), "ru").await;
        assert_eq!(status, 200, "{body}");
        let data: MapData = serde_json::from_str(&body).unwrap();
        let in_queue: Vec<_> = s.city.kindergartens.iter().filter(|k| k.in_queue).collect();
        assert_eq!(data.places.len(), in_queue.len());
        let k = in_queue[0];
        let place = data.places.iter().find(|p| p.id == k.id).unwrap();
        assert_eq!(place.name, k.name_kk);
        assert!(data.cohorts.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(data.tiles.url, "", "no tiles in tests");

        // A map listens; a posting anywhere reaches it with the new counts.
        let mut res = c.get(format!("{}/events", s.base)).send().await.unwrap();
        assert_eq!(res.headers()["cache-control"], "no-store");
        let mut buf = String::new();
        sse::wait_for_event(&mut res, &mut buf, Duration::from_secs(5), |e, _| {
            e == "hello"
        })
        .await;
        let (cohort, capacity, _) = *k.seats.iter().find(|g| g.1 >= 3).expect("a group");
        s.engine
            .post_seats(&Actor::Admin, k.id, cohort.0, 3)
            .await
            .unwrap();
        sse::wait_for_event(&mut res, &mut buf, Duration::from_secs(5), |event, data| {
            if event != "seats" {
                return false;
            }
            // Only kindergartens and numbers: nothing else would parse as this.
            let counts: Vec<SeatCounts> = serde_json::from_str(data).expect("seat counts only");
            assert!(!data.contains("iin") && !data.contains("name"), "{data}");
            counts
                .iter()
                .any(|c| c.id == k.id && c.seats.contains(&(cohort.0, 3)))
        })
        .await;
        assert!(capacity >= 3);
    })
}
