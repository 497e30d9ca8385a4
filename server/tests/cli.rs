//! The `kezek` command line, run as a real process.

use std::process::Command;

fn kezek(args: &[&str], data_dir: &std::path::Path) -> (bool, Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kezek"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("KEZEK_DATA_DIR", data_dir)
        .env("RUST_LOG", "info")
        .output()
        .expect("run kezek");
    (
        out.status.success(),
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn seed_demo_loads_almaty_once() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = kezek(&["seed", "--demo"], dir.path());
    assert!(ok, "{err}");
    assert!(err.contains("demo city loaded"), "{err}");
    assert!(err.contains("applications=64315"), "{err}");

    let url = format!("sqlite://{}", dir.path().join("kezek.db").display());
    let store = app::store::Db::open(&url).await.unwrap();
    let s = store.city_summary().await.unwrap();
    assert_eq!(
        (s.organisations, s.in_queue, s.waiting_children),
        (685, 470, 64_315)
    );
    drop(store);

    // A second load is refused with a clear message and leaves the city as it was.
    let (ok, code, err) = kezek(&["seed", "--demo"], dir.path());
    assert!(!ok);
    assert_eq!(code, Some(1), "a refusal, not a panic");
    assert!(err.contains("already holds a city"), "{err}");
    let (ok, _, err) = kezek(&["seed", "--demo", "--if-empty"], dir.path());
    assert!(ok, "{err}");
    let store = app::store::Db::open(&url).await.unwrap();
    assert_eq!(store.city_summary().await.unwrap().waiting_children, 64_315);
}

#[test]
fn bad_configuration_is_a_clear_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, code, err) = kezek(
        &["--database-url", "mysql://x/y", "seed", "--demo"],
        dir.path(),
    );
    assert!(!ok);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("DATABASE_URL must start with sqlite: or postgres://"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");

    let (ok, _, err) = kezek(&["seed"], dir.path());
    assert!(!ok);
    assert!(err.contains("--demo"), "{err}");
}

/// How many applications the demo city loaded into the log.
async fn imported(pool: &sqlx::SqlitePool) -> usize {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE kind = 'application.imported'")
            .fetch_one(pool)
            .await
            .unwrap();
    n as usize
}

/// Runs `kezek` with a data directory; returns success, stdout and stderr.
fn run(args: &[&str], data_dir: &std::path::Path) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kezek"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("KEZEK_DATA_DIR", data_dir)
        .output()
        .expect("run kezek");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn audit_verify_names_the_first_tampered_event() {
    use app::demo::{self, Scale};
    use app::engine::{Actor, Engine, ManualClock};
    use time::macros::date;

    let dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = run(&["audit", "verify"], dir.path());
    assert!(ok, "{err}");
    assert!(out.contains("event chain intact: events=0"), "{out}");

    // A town with seats posted: events are written.
    let url = format!("sqlite://{}", dir.path().join("kezek.db").display());
    let store = app::store::Db::open(&url).await.unwrap();
    let city = demo::generate(3, date!(2026 - 11 - 25), Scale::TOWN);
    store.load_city(&city, &|_, _| {}).await.unwrap();
    let engine = Engine::start(&store, ManualClock::new(1_795_406_400_000))
        .await
        .unwrap();
    let k = city.kindergartens.iter().find(|k| k.in_queue).unwrap();
    engine
        .post_seats(&Actor::Admin, k.id, k.seats[0].0 .0, k.seats[0].1.min(3))
        .await
        .unwrap();
    drop(engine);
    let (ok, out, err) = run(&["audit", "verify"], dir.path());
    assert!(ok, "{err}");
    let events: i64 = out
        .split("events=")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{out}"));
    assert!(events >= 2, "{out}");

    // Someone edits event 2 behind the database's back.
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("DROP TRIGGER events_append_only_update")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query("UPDATE events SET at = at + 1 WHERE seq = 2")
        .execute(&pool)
        .await
        .unwrap();
    let (ok, _, err) = run(&["audit", "verify"], dir.path());
    assert!(!ok);
    assert!(err.contains("event chain broken at event 2"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn tick_runs_the_jobs_once() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = run(&["tick"], dir.path());
    assert!(ok, "{err}");
    assert!(
        out.contains("lapsed_invitations=0 expired_referrals=0 invited=0"),
        "{out}"
    );
}

/// The summary line of `kezek bench claims`, as numbers.
fn bench_figures(out: &str) -> std::collections::HashMap<String, f64> {
    let last = out.lines().last().unwrap_or_else(|| panic!("no output"));
    last.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.parse::<f64>().unwrap()))
        .collect()
}

#[test]
fn bench_claims_reports_in_its_fixed_format_without_overbooking() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "bench",
        "claims",
        "--clients",
        "20",
        "--seconds",
        "2",
        "--children",
        "3000",
        "--kindergartens",
        "10",
    ];
    let (ok, out, err) = run(&args, dir.path());
    assert!(ok, "{err}");
    let f = bench_figures(&out);
    for key in [
        "claims_per_s",
        "p99_ms",
        "single_claim_per_s",
        "ratio",
        "failed",
        "overbooked",
    ] {
        assert!(f.contains_key(key), "{key} missing: {out}");
    }
    assert_eq!(f["overbooked"], 0.0);
    assert_eq!(f["failed"], 0.0);
    // Like for like: the ratio is the storm over the same full claims by one client.
    let ratio = f["claims_per_s"] / f["single_claim_per_s"];
    assert!((ratio - f["ratio"]).abs() < 0.01 * ratio.max(1.0), "{out}");
    assert!(
        !f.contains_key("one_statement_per_s"),
        "SQLite has no floor: {out}"
    );
    assert!(f["claims_per_s"] > 0.0, "{out}");
    // The bench used a fresh database of its own, not the data directory's.
    assert!(!dir.path().join("kezek.db").exists());

    if let Ok(pg) = std::env::var("KEZEK_TEST_POSTGRES_URL") {
        let mut with_pg = vec!["--database-url", pg.as_str()];
        with_pg.extend(args);
        let (ok, out, err) = run(&with_pg, dir.path());
        assert!(ok, "{err}");
        let f = bench_figures(&out);
        assert_eq!(f["overbooked"], 0.0);
        assert_eq!(f["failed"], 0.0);
        assert!(f["single_claim_per_s"] > 0.0, "{out}");
        // The one-statement floor is measured in the same run, and no full claim beats it.
        assert!(f["one_statement_per_s"] > 0.0, "{out}");
        assert!(f["of_one_statement"] <= 1.5, "{out}");
    }
}

#[tokio::test]
async fn roles_are_assigned_and_revoked_from_the_command_line() {
    use app::demo::{self, Scale};
    use time::macros::date;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("kezek.db").display());
    let store = app::store::Db::open(&url).await.unwrap();
    let city = demo::generate(3, date!(2026 - 11 - 25), Scale::TOWN);
    store.load_city(&city, &|_, _| {}).await.unwrap();
    drop(store);
    let number = city.kindergartens[0].number.to_string();
    let iin = "800101370027";
    let (ok, out, err) = run(&["head", "assign", iin, &number], dir.path());
    assert!(ok && out.contains("done"), "{err}");
    // A kindergarten that does not exist, an IIN that is not one: clear errors, exit 1.
    let (ok, _, err) = run(&["head", "assign", iin, "999999"], dir.path());
    assert!(
        !ok && err.contains("no kindergarten number 999999"),
        "{err}"
    );
    let (ok, _, err) = run(&["head", "assign", "80010137002", &number], dir.path());
    assert!(!ok && err.contains("not an IIN"), "{err}");
    let (ok, _, err) = run(&["admin", "grant", iin], dir.path());
    assert!(ok, "{err}");
    let (ok, _, err) = run(&["admin", "revoke", iin], dir.path());
    assert!(ok, "{err}");
    let (ok, _, err) = run(&["admin", "revoke", iin], dir.path());
    assert!(!ok && err.contains("holds no such role"), "{err}");
    let (ok, _, err) = run(&["head", "revoke", iin], dir.path());
    assert!(ok, "{err}");

    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    // (The demo city's applications come first, as `application.imported`.)
    let kinds: Vec<String> = sqlx::query_scalar(
        "SELECT kind FROM events WHERE kind <> 'application.imported' ORDER BY seq",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        kinds,
        [
            "role.head_assigned",
            "role.admin_granted",
            "role.admin_revoked",
            "role.head_revoked"
        ]
    );
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM events")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(bodies.iter().all(|b| !b.contains(iin)), "{bodies:?}");
    // The log's chain holds.
    let (ok, out, err) = run(&["audit", "verify"], dir.path());
    let all = kinds.len() + imported(&pool).await;
    assert!(ok && out.contains(&format!("events={all}")), "{out}{err}");
}
