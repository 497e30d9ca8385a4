//! What the HTTP tests share: the real server on port 0 over a fresh SQLite file with a small
//! demo city, a manual clock, and a client that calls it like a browser (with a cookie store).

#![allow(dead_code)]

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
pub fn one_runtime<F: std::future::Future>(test: F) -> F::Output {
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

pub struct Running {
    pub base: String,
    pub city: City,
    pub engine: Arc<Engine>,
    pub clock: Arc<ManualClock>,
    pub db: Db,
    pub _dir: tempfile::TempDir,
}

impl Running {
    /// Opens a session for `actor` (as sign-in will), returning the cookie's token.
    pub async fn session(&self, actor: &app::engine::Actor, ttl_hours: i64) -> String {
        use app::engine::Clock;
        app::auth::sessions::create(&self.db, self.clock.now_ms(), actor, ttl_hours)
            .await
            .unwrap()
            .expect("a session")
    }
}

pub async fn start() -> Running {
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
        auth: Arc::new(server::config::auth(true, addr, false, dir.path()).unwrap()),
        referral_keys: Arc::new(app::tokens::ReferralKeys::configured(dir.path()).unwrap()),
        open_data: Arc::new(app::opendata::export::OpenData::configured(dir.path()).unwrap()),
        map_tiles: Arc::new(app::domain::map::MapTiles::default()),
    };
    tokio::spawn(async move {
        axum::serve(
            listener,
            server::http::router(state).into_make_service_with_connect_info::<SocketAddr>(),
        )
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

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        // A hung render fails the test instead of holding CI until its time limit.
        .timeout(std::time::Duration::from_secs(60))
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn get(c: &reqwest::Client, url: &str, lang: &str) -> (u16, String) {
    let res = c
        .get(url)
        .header("accept-language", lang)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.text().await.unwrap())
}

/// Posts a form, with the session `session` if given; the status and the body.
pub async fn post(
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

/// An application for the child `child`, as the engine takes it.
pub fn engine_form(
    child: &app::domain::Iin,
    priority: &str,
    district: &str,
) -> app::domain::queue::ApplicationForm {
    app::domain::queue::ApplicationForm {
        child_iin: child.digits(),
        child_name: "Айару".into(),
        priority: priority.into(),
        priority_doc: if priority == "general" {
            ""
        } else {
            "certificate 7"
        }
        .into(),
        phone1: "+7 701 111 22 33".into(),
        phone2: "+7 702 444 55 66".into(),
        email: "ata@mail.kz".into(),
        district: district.into(),
        language: "ru".into(),
        ..Default::default()
    }
}
