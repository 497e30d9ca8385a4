//! `kezek import legacy` as a real process, on a SQLite file and a PostgreSQL database: the
//! report printed and written as JSON, a dry run, a re-run, and a `kill -9` halfway through,
//! after which the queue is exactly as it was and the same command then imports everything.

#[path = "../../app/tests/common/mod.rs"]
mod common;

use app::domain::legacy::ImportReport;
use app::store::Db;
use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn kezek(url: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kezek"));
    c.env("DATABASE_URL", url).env("RUST_LOG", "warn");
    c
}

/// A small city (kindergartens numbered 1 to 30) and `rows` generated rows in four files.
async fn city_and_files(db: &Db, rows: usize, dir: &Path) -> Vec<PathBuf> {
    db.load_city(&common::city::city(30), &|_, _| {})
        .await
        .expect("load the city");
    let numbers: Vec<i64> = (1..=30).collect();
    let today = app::clock::almaty_today();
    app::legacy::sample::files(5, rows, 4, &numbers, today)
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect()
}

async fn counts(db: &Db) -> (i64, i64, i64) {
    let raw = common::Raw::connect(db).await;
    (
        raw.int("SELECT COUNT(*) FROM applications").await,
        raw.int("SELECT COUNT(*) FROM events").await
            + raw.int("SELECT COUNT(*) FROM queue_changes").await,
        raw.int("SELECT COUNT(*) FROM legacy_imports").await,
    )
}

async fn killed_halfway_then_whole(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let files = city_and_files(&db, 20_000, dir.path()).await;
    let url = db.url().to_string();
    let before = counts(&db).await;

    // Killed once a tenth of the children are written inside the run's transaction.
    let mut run = kezek(&url)
        .args(["import", "legacy"])
        .args(&files)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(run.stderr.take().unwrap());
    let mut seen = Vec::new();
    for line in stderr.lines() {
        let line = line.unwrap();
        let started = line.starts_with("progress:");
        seen.push(line);
        if started {
            run.kill().unwrap();
            break;
        }
    }
    let status = run.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "killed before the end: {seen:?}");
    assert_eq!(counts(&db).await, before, "nothing half-imported");

    // The same command then imports the files whole; the chain holds.
    let report_path = dir.path().join("report.json");
    let out = kezek(&url)
        .args(["import", "legacy"])
        .args(&files)
        .arg("--report")
        .arg(&report_path)
        .args(["--reason", "department order 3, merging the former queues"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: ImportReport =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    assert!(report.imported > 15_000, "{}", report.imported);
    assert!(
        stdout.contains(&format!("Imported: {}", report.imported)),
        "{stdout}"
    );
    assert_eq!(counts(&db).await.0, before.0 + report.imported as i64);
    // The run in the log: who (the operator) and why.
    let run: serde_json::Value = serde_json::from_str(
        &common::Raw::connect(&db)
            .await
            .strings("SELECT body FROM events WHERE kind = 'legacy.imported'")
            .await[0],
    )
    .unwrap();
    assert_eq!(run["by"], "command line");
    assert_eq!(
        run["reason"],
        "department order 3, merging the former queues"
    );
    let verify = kezek(&url).args(["audit", "verify"]).output().unwrap();
    assert!(verify.status.success(), "{verify:?}");
}

#[tokio::test]
async fn a_kill_9_halfway_leaves_the_queue_as_it_was() {
    let (db, _dir) = common::sqlite().await;
    killed_halfway_then_whole(db).await;
    if let Some((db, _guard)) = common::postgres().await {
        killed_halfway_then_whole(db).await;
    }
}

#[tokio::test]
async fn the_report_is_printed_and_written_a_dry_run_changes_nothing_a_rerun_imports_nothing() {
    let (db, _dir) = common::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let files = city_and_files(&db, 600, dir.path()).await;
    let url = db.url().to_string();
    let run = |extra: &[&str]| {
        let out = kezek(&url)
            .args(["import", "legacy"])
            .args(&files)
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let json = dir.path().join("dry.json");
    let dry = run(&["--dry-run", "--report", json.to_str().unwrap()]);
    assert!(dry.contains("dry run: nothing was changed"), "{dry}");
    let report: ImportReport =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(report.dry_run && report.imported > 400, "{report:?}");
    assert!(
        dry.contains(&format!("To import: {}", report.imported)),
        "{dry}"
    );
    assert_eq!(report.files.len(), 4);
    assert!(report.duplicate_rows > 0 && !report.merged.is_empty());
    assert_eq!(counts(&db).await.0, 0, "a dry run changes nothing");

    let done = run(&[]);
    assert!(done.contains("Legacy import No. 1."), "{done}");
    assert!(
        done.contains(&format!("Imported: {}", report.imported)),
        "{done}"
    );
    assert_eq!(counts(&db).await.0, report.imported as i64);

    let again = run(&[]);
    assert!(again.contains("Imported: 0"), "{again}");
    assert!(again.contains("Nothing imported twice"), "{again}");
    assert!(again.contains("(imported before,"), "{again}");
    assert_eq!(counts(&db).await.0, report.imported as i64);

    // A file that is not there, or not UTF-8: a clear message, exit 1, nothing imported.
    let cp1251 = dir.path().join("cp1251.csv");
    std::fs::write(&cp1251, b"child_iin,\xc8\xcc\xdf\n").unwrap();
    for bad in [dir.path().join("missing.csv"), cp1251] {
        let out = kezek(&url)
            .args(["import", "legacy"])
            .arg(&bad)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("cannot read") || err.contains("not UTF-8"),
            "{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}
