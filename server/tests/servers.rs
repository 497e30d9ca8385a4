//! Two `kezek serve` processes on one PostgreSQL: a seat posted through one shows in the other's
//! live map stream (`/events`), through PostgreSQL's LISTEN/NOTIFY.

use app::demo::{self, Scale};
use app::domain::map::SeatCounts;
use app::store::{replace_database, Db};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use time::macros::date;

mod sse;
use sse::wait_for_event;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn serve(url: &str, dir: &std::path::Path) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_kezek"))
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("KEZEK_ADDR", format!("127.0.0.1:{port}"))
        .env("KEZEK_DATA_DIR", dir)
        .env("KEZEK_DEV", "1")
        .env("KEZEK_SEED_DEMO", "0")
        .env("KEZEK_MAP_TILES", "")
        .env("LEPTOS_SITE_ROOT", dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start kezek serve");
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    loop {
        if let Ok(r) = reqwest::get(format!("{base}/healthz")).await {
            if r.status() == 200 {
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Server { child, base }
}

#[tokio::test]
async fn a_seat_posted_through_one_server_shows_in_the_others_stream() {
    use sqlx::Connection;
    let Ok(admin_url) = std::env::var("KEZEK_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("CI").is_none()
                && std::env::var_os("KEZEK_REQUIRE_POSTGRES").is_none(),
            "KEZEK_TEST_POSTGRES_URL is not set but PostgreSQL tests are required"
        );
        eprintln!("KEZEK_TEST_POSTGRES_URL not set: skipping");
        return;
    };
    let name = format!("kezek_servers_{}", std::process::id());
    let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let url = replace_database(&admin_url, &name);
    let db = Db::open(&url).await.unwrap();
    let city = demo::generate(11, date!(2026 - 11 - 25), Scale::TOWN);
    db.load_city(&city, &|_, _| {}).await.unwrap();
    // A kindergarten's age group with no free seat now and room for two.
    let places = db.map_places(app::i18n::Locale::Ru).await.unwrap();
    let mut target = None;
    'find: for p in &places {
        let detail = db.kindergarten(p.id).await.unwrap().unwrap();
        for g in detail.groups {
            if g.free == 0 && g.capacity >= 4 {
                target = Some((p.id, g.cohort.0));
                break 'find;
            }
        }
    }
    let (kindergarten, cohort) = target.expect("a full age group in the town");
    drop(db);

    let dir = tempfile::tempdir().unwrap();
    let a = serve(&url, dir.path()).await;
    let b = serve(&url, dir.path()).await;

    // Both maps listen.
    let mut streams = Vec::new();
    for s in [&a, &b] {
        let mut res = reqwest::get(format!("{}/events", s.base)).await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        let mut buf = String::new();
        wait_for_event(&mut res, &mut buf, Duration::from_secs(5), |e, _| {
            e == "hello"
        })
        .await;
        streams.push((res, buf));
    }

    // Whatever the servers read as they started (the age group still full) has been sent.
    tokio::time::sleep(Duration::from_secs(1)).await;

    // The education department posts two seats through server A.
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let signed = client
        .post(format!("{}/auth/dev/sign-in", a.base))
        .form(&[("iin", "700101470032"), ("role", "admin"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 200);
    let posted = client
        .post(format!("{}/api/head/seats", a.base))
        .form(&[
            ("kindergarten_id", kindergarten.to_string()),
            ("cohort", cohort.to_string()),
            ("free", "2".to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 200, "{}", posted.text().await.unwrap());

    // Both streams carry the new count: A's own, and B's through NOTIFY.
    for (res, buf) in &mut streams {
        wait_for_event(res, buf, Duration::from_secs(5), |event, data| {
            if event != "seats" {
                return false;
            }
            let counts: Vec<SeatCounts> = serde_json::from_str(data).expect("seat counts");
            counts
                .iter()
                .any(|c| c.id == kindergarten && c.seats.contains(&(cohort, 2)))
        })
        .await;
    }
    drop(streams);
    drop((a, b));
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await;
}
