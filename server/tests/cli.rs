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
    let store = app::store::open(&url).await.unwrap();
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
    let store = app::store::open(&url).await.unwrap();
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
