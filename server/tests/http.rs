//! The real server on port 0, called like a browser would (with a cookie store).

use app::demo::{self, Scale};
use app::engine::{Engine, ManualClock};
use app::state::AppState;
use app::store::{City, Db};
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use time::macros::date;

/// Every test runs on this process's one tokio runtime, as `kezek serve` does: Leptos renders
/// through a process-wide executor, and test runtimes that come and go beside each other now
/// and then left a page render waiting on a runtime that was gone.
fn one_runtime<F: std::future::Future>(test: F) -> F::Output {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(4)
                .enable_all()
                .build()
                .expect("the test runtime")
        })
        .block_on(test)
}

struct Running {
    base: String,
    city: City,
    engine: Arc<Engine>,
    clock: Arc<ManualClock>,
    db: Db,
    _dir: tempfile::TempDir,
}

impl Running {
    /// Opens a session for `actor` (as sign-in will), returning the cookie's token.
    async fn session(&self, actor: &app::engine::Actor, ttl_hours: i64) -> String {
        use app::engine::Clock;
        app::auth::sessions::create(&self.db, self.clock.now_ms(), actor, ttl_hours)
            .await
            .unwrap()
            .expect("a session")
    }
}

async fn start() -> Running {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("kezek.db").display());
    let store = Db::open(&url).await.unwrap();
    let city = demo::generate(7, date!(2026 - 11 - 25), Scale::TOWN);
    store.load_city(&city, &|_, _| {}).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    // Monday 23 November 2026, 09:00 in Almaty.
    let clock = ManualClock::new(1_795_406_400_000);
    let engine = Arc::new(Engine::start(&store, clock.clone()).await.unwrap());
    let state = AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("kezek")
            .site_root(dir.path().to_string_lossy().to_string())
            .site_addr(addr)
            .build(),
        db: store.clone(),
        engine: engine.clone(),
    };
    tokio::spawn(async move {
        axum::serve(listener, server::http::router(state))
            .await
            .unwrap();
    });
    Running {
        db: store,
        base: format!("http://{addr}"),
        city,
        engine,
        clock,
        _dir: dir,
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        // A hung render fails the test instead of holding CI until its time limit.
        .timeout(std::time::Duration::from_secs(60))
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(c: &reqwest::Client, url: &str, lang: &str) -> (u16, String) {
    let res = c
        .get(url)
        .header("accept-language", lang)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

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

async fn post(
    c: &reqwest::Client,
    url: &str,
    session: Option<&str>,
    form: &[(&str, String)],
) -> (u16, String) {
    let mut req = c.post(url).form(form).header("accept-language", "en");
    if let Some(token) = session {
        req = req.header("cookie", format!("kezek_session={token}"));
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
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
    let form = |iin: &str| -> Vec<(&'static str, String)> {
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
    };
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
    use app::engine::Actor;
    let s = start().await;
    let c = client();
    let admin = s.session(&Actor::Admin, 1).await;
    let head = s.session(&Actor::Head { kindergarten_id: 1 }, 1).await;
    let url = format!("{}/api/admin/rules", s.base);
    let form = |invitation_days: &str, pause_to: &str| -> Vec<(&'static str, String)> {
        vec![
            ("rules[privileged_share]", "1".into()),
            ("rules[general_share]", "3".into()),
            ("rules[invitation_days]", invitation_days.into()),
            ("rules[referral_days]", "5".into()),
            ("rules[max_extension_days]", "30".into()),
            ("rules[stop_days]", "10".into()),
            ("rules[min_age_months]", "24".into()),
            ("rules[pause_from]", "08-01".into()),
            ("rules[pause_to]", pause_to.into()),
        ]
    };
    let (status, _) = post(&c, &url, Some(&head), &form("1", "08-31")).await;
    assert_eq!(status, 403);
    let (status, body) = post(&c, &url, Some(&admin), &form("1", "08-32")).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = post(&c, &url, Some(&admin), &form("0", "08-31")).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(s.engine.rules().invitation_days, 3, "nothing changed");
    // Astana's one-day invitations.
    let (status, body) = post(&c, &url, Some(&admin), &form("1", "08-31")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(s.engine.rules().invitation_days, 1);

    // The holiday calendar, likewise.
    let url = format!("{}/api/admin/holiday", s.base);
    let day = |d: &str| {
        vec![
            ("day", d.to_string()),
            ("name", "Transfer".to_string()),
            ("remove", "false".to_string()),
        ]
    };
    let (status, _) = post(&c, &url, Some(&head), &day("2026-12-31")).await;
    assert_eq!(status, 403);
    let (status, _) = post(&c, &url, Some(&admin), &day("2026-12-32")).await;
    assert_eq!(status, 400);
    let (status, body) = post(&c, &url, Some(&admin), &day("2026-12-31")).await;
    assert_eq!(status, 200, "{body}");
    assert!(!s.engine.is_working_day(time::macros::date!(2026 - 12 - 31)));
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
    assert_eq!(s.engine.verify_chain().await.unwrap().unwrap().0, 0);
}
