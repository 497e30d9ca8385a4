//! The real server on port 0, called like a browser would (with a cookie store).

use app::demo::{self, Scale};
use app::state::AppState;
use app::store::{self, City, DynStore};
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use time::macros::date;

struct Running {
    base: String,
    city: City,
    _dir: tempfile::TempDir,
}

async fn start() -> Running {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("kezek.db").display());
    let store: DynStore = store::open(&url).await.unwrap();
    let city = demo::generate(7, date!(2026 - 11 - 25), Scale::TOWN);
    store.load_city(&city, &|_, _| {}).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let state = AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("kezek")
            .site_root(dir.path().to_string_lossy().to_string())
            .site_addr(addr)
            .build(),
        store,
    };
    tokio::spawn(async move {
        axum::serve(listener, server::http::router(state))
            .await
            .unwrap();
    });
    Running {
        base: format!("http://{addr}"),
        city,
        _dir: dir,
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
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

#[tokio::test]
async fn healthz_checks_the_database() {
    let s = start().await;
    let (status, body) = get(&client(), &format!("{}/healthz", s.base), "en").await;
    assert_eq!(status, 200);
    assert!(body.contains("\"database\":\"sqlite\""), "{body}");
}

#[tokio::test]
async fn the_directory_is_server_rendered_in_the_readers_language() {
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

#[tokio::test]
async fn filters_work_without_javascript() {
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

#[tokio::test]
async fn bad_filter_values_get_a_translated_400_not_a_500() {
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

#[tokio::test]
async fn kindergarten_pages_and_not_found() {
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

#[tokio::test]
async fn the_language_switch_is_remembered_and_stays_on_the_site() {
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
