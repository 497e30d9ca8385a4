//! `kezek outbox run` as a real process, killed with SIGKILL twice in the middle of a batch and
//! started again: every SMS reaches the loopback gateway once per message and every e-mail
//! reaches the SMTP sink once.

#[path = "../../app/tests/common/gateway.rs"]
mod gateway;

use app::domain::{Cohort, Iin, Sex};
use app::engine::{Actor, Engine, SystemClock};
use app::store::{City, Db, NewKindergarten};
use gateway::{header, Gateway, Sink};
use std::collections::HashMap;
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::macros::date;

const CHILDREN: u16 = 40;

fn iin(birth: time::Date, n: u16) -> Iin {
    (0..50)
        .find_map(|k| Iin::compose(birth, Sex::Female, n * 50 + k))
        .unwrap()
}

/// A city of one kindergarten and `CHILDREN` applications: one notification each (the
/// application's receipt), so `2 * CHILDREN` SMS and `CHILDREN` e-mails to send.
async fn city(url: &str) {
    let db = Db::open(url).await.unwrap();
    let k = NewKindergarten::numbered(1, vec![(Cohort(2023), 20, 0)]);
    db.load_city(
        &City {
            kindergartens: vec![k],
            applications: vec![],
        },
        &|_, _| {},
    )
    .await
    .unwrap();
    let engine = Engine::start(&db, Arc::new(SystemClock)).await.unwrap();
    for n in 1..=CHILDREN {
        let child = iin(date!(2023 - 03 - 01), n);
        let form = app::domain::queue::ApplicationForm {
            child_iin: child.digits(),
            child_name: "Айару Серікқызы".into(),
            birth_date: child.birth_date().to_string(),
            priority: "general".into(),
            priority_doc: String::new(),
            phone1: format!("+7 701 000 {:02} {:02}", n / 100, n % 100),
            phone2: format!("+7 777 000 {:02} {:02}", n / 100, n % 100),
            email: format!("parent{n}@mail.kz"),
            district: "almaly".into(),
            language: "ru".into(),
            sibling_of: None,
        };
        engine
            .apply(&Actor::Parent(iin(date!(1990 - 06 - 15), n)), &form)
            .await
            .unwrap();
    }
}

fn worker(url: &str, gw: &Gateway, sink: &Sink) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kezek"))
        .args(["outbox", "run"])
        .env("DATABASE_URL", url)
        .env("KEZEK_SMS_PROVIDER", "smsc")
        .env("KEZEK_SMS_URL", &gw.url)
        .env("KEZEK_SMS_KEY", "kezek:secret")
        .env("KEZEK_SMTP_URL", sink.url())
        .env("KEZEK_OUTBOX_LEASE_MS", "1500")
        .env("KEZEK_OUTBOX_BATCH", "10")
        // One at a time: a kill lands between two messages or inside one SMS request, never
        // inside an SMTP exchange (SMTP has no idempotency key; see the module notes).
        .env("KEZEK_OUTBOX_CONCURRENCY", "1")
        .env("RUST_LOG", "warn")
        .spawn()
        .expect("run kezek outbox run")
}

async fn count(url: &str, sql: &str) -> i64 {
    let pool = sqlx::SqlitePool::connect(url).await.unwrap();
    let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
    pool.close().await;
    n
}

#[tokio::test]
async fn a_worker_killed_mid_batch_and_restarted_delivers_every_message_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("kezek.db").display());
    city(&url).await;
    let gw = Gateway::start().await;
    gw.delay(Duration::from_millis(5));
    let sink = Sink::start().await;
    // The gateway kills the worker (SIGKILL) when the 15th and the 45th SMS requests arrive,
    // before answering: the first of them is still taken by the gateway (as a provider that
    // got the request does), so the restarted worker sends it again with the same key.
    let pid = Arc::new(Mutex::new(0u32));
    let kills = Arc::new(Mutex::new(Vec::new()));
    {
        let (pid, kills) = (pid.clone(), kills.clone());
        gw.on_request(move |n| {
            if n == 15 || n == 45 {
                let p = *pid.lock().unwrap();
                let ok = Command::new("kill")
                    .args(["-9", &p.to_string()])
                    .status()
                    .unwrap()
                    .success();
                kills.lock().unwrap().push((n, ok));
            }
        });
    }
    let mut runs = 0;
    let started = Instant::now();
    let mut child = worker(&url, &gw, &sink);
    *pid.lock().unwrap() = child.id();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if let Some(status) = child.try_wait().unwrap() {
            // Killed: start it again.
            assert!(!status.success(), "the worker only stops when killed");
            runs += 1;
            child = worker(&url, &gw, &sink);
            *pid.lock().unwrap() = child.id();
            continue;
        }
        let sent = count(&url, "SELECT COUNT(*) FROM deliveries WHERE state = 'sent'").await;
        if sent == 3 * i64::from(CHILDREN) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "not all sent: {sent}"
        );
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(runs, 2, "killed twice: {:?}", kills.lock().unwrap());
    assert!(kills.lock().unwrap().iter().all(|(_, ok)| *ok));
    // Every SMS key accepted once; the one taken while the worker died came again and was
    // recognised (SMSC's error 9), not sent twice.
    let mut by_key: HashMap<String, u32> = HashMap::new();
    for m in gw.accepted() {
        *by_key.entry(m.key).or_default() += 1;
    }
    assert_eq!(by_key.len(), 2 * usize::from(CHILDREN));
    assert!(by_key.values().all(|n| *n == 1), "{by_key:?}");
    assert_eq!(
        gw.repeats(),
        2,
        "each request a worker died in was repeated, and recognised"
    );
    let keys = count(
        &url,
        "SELECT COUNT(*) FROM deliveries WHERE channel = 'sms' AND provider_id LIKE '%(repeated)'",
    )
    .await;
    assert_eq!(keys, gw.repeats() as i64);
    // Every e-mail once.
    let mails = sink.messages();
    let mut ids: HashMap<String, u32> = HashMap::new();
    for m in &mails {
        *ids.entry(header(m, "Message-ID").unwrap().to_string())
            .or_default() += 1;
    }
    assert_eq!(mails.len(), usize::from(CHILDREN), "{ids:?}");
    assert_eq!(ids.len(), usize::from(CHILDREN));
    assert_eq!(
        count(
            &url,
            "SELECT COUNT(*) FROM deliveries WHERE state <> 'sent'"
        )
        .await,
        0
    );
    // The counts, as an operator reads them.
    let out = Command::new(env!("CARGO_BIN_EXE_kezek"))
        .args(["outbox", "stats"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    let stats = String::from_utf8_lossy(&out.stdout);
    assert!(
        stats.contains(&format!(
            "queued=0 pending=0 sending=0 retrying=0 sent={} dead=0",
            3 * CHILDREN
        )),
        "{stats}"
    );
}

fn kezek(url: &str, gw: &Gateway, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kezek"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("KEZEK_SMS_PROVIDER", "smsc")
        .env("KEZEK_SMS_URL", &gw.url)
        .env("KEZEK_SMS_KEY", "kezek:secret")
        .env(
            "KEZEK_MAIL_DIR",
            format!("{}-mail", url.trim_start_matches("sqlite://")),
        )
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// Two threads: the command line blocks one while the gateway answers on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_department_lists_the_dead_and_sends_them_again() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("kezek.db").display());
    city(&url).await;
    let gw = Gateway::start().await;
    gw.set(gateway::Mode::Refuse);
    let (ok, out, err) = kezek(&url, &gw, &["outbox", "run", "--once"]);
    assert!(ok, "{err}");
    assert!(
        out.contains(&format!(
            "sent={} retrying=0 dead={}",
            CHILDREN,
            2 * CHILDREN
        )),
        "{out}"
    );
    // The dead, with the reason, the numbers masked.
    let (ok, out, _) = kezek(&url, &gw, &["outbox", "dead"]);
    assert!(ok);
    assert!(out.contains(&format!("{} dead", 2 * CHILDREN)), "{out}");
    assert!(out.contains("application_created\tsms\t+7 701 *** ** 01\tattempts=1\tSMSC code 7: invalid phone number"), "{out}");
    assert!(!out.contains("7010000001"), "{out}");
    // Re-queueing needs a choice; then all go once the gateway takes them.
    let (ok, _, err) = kezek(&url, &gw, &["outbox", "requeue"]);
    assert!(!ok);
    assert!(
        err.contains("name the deliveries to re-queue, or --all"),
        "{err}"
    );
    gw.set(gateway::Mode::Accept);
    let (ok, out, _) = kezek(&url, &gw, &["outbox", "requeue", "--all"]);
    assert!(ok);
    assert_eq!(out.trim(), format!("re-queued {}", 2 * CHILDREN));
    let (ok, out, _) = kezek(&url, &gw, &["outbox", "run", "--once"]);
    assert!(ok);
    assert!(
        out.contains(&format!("sent={} retrying=0 dead=0", 2 * CHILDREN)),
        "{out}"
    );
    assert_eq!(gw.accepted().len(), 2 * usize::from(CHILDREN));
}

#[test]
fn without_providers_the_worker_says_that_nothing_reaches_anyone() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kezek"))
        .args(["outbox", "run", "--once"])
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("kezek.db").display()),
        )
        .env_remove("KEZEK_SMS_PROVIDER")
        .env_remove("KEZEK_SMTP_URL")
        .env_remove("KEZEK_MAIL_DIR")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("KEZEK_SMS_PROVIDER is not set: SMS go to this log only"),
        "{err}"
    );
    assert!(err.contains("KEZEK_SMTP_URL is not set"), "{err}");
}
