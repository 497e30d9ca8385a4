//! `kezek bench outbox`: delivery throughput. A fresh database holds `notifications` queued
//! notifications (each to two numbers and one mailbox); `workers` workers deliver them, the
//! SMS through a loopback SMSC-style gateway answering after `latency_ms`, the mails into
//! files. Prints deliveries per second.

use app::engine::{Clock, SystemClock};
use app::notify::mail::{DevMail, Mailer};
use app::notify::sms::{client, SmsProvider, Smsc};
use app::notify::worker::{self, Worker};
use app::store::{City, Db, NewApplication, NewKindergarten};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The loopback gateway: accepts every message after `latency`.
async fn gateway(latency: Duration) -> Result<(String, Arc<AtomicU64>), String> {
    use axum::routing::post;
    let taken = Arc::new(AtomicU64::new(0));
    let counter = taken.clone();
    let app = axum::Router::new().route(
        "/sys/send.php",
        post(move || {
            let counter = counter.clone();
            async move {
                tokio::time::sleep(latency).await;
                let n = counter.fetch_add(1, Ordering::Relaxed) + 1;
                axum::Json(serde_json::json!({ "id": n, "cnt": 1 }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let url = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((url, taken))
}

pub async fn outbox(
    database_url: Option<&str>,
    notifications: usize,
    workers: usize,
    latency_ms: u64,
) -> Result<(), String> {
    let (url, cleanup) = super::fresh_database(database_url).await?;
    let db = Db::open(&url).await.map_err(|e| e.to_string())?;
    let mut applications = Vec::with_capacity(notifications);
    for (i, (child, parent)) in super::people(notifications).into_iter().enumerate() {
        let id = i as i64 + 1;
        applications.push(NewApplication {
            email: Some(format!("parent{id}@mail.kz")),
            ..super::bench_application(id, child, parent)
        });
    }
    let ids: Vec<i64> = applications.iter().map(|a| a.id).collect();
    db.load_city(
        &City {
            kindergartens: vec![NewKindergarten::numbered(1, vec![])],
            applications,
        },
        &|_, _| {},
    )
    .await
    .map_err(|e| e.to_string())?;
    let now = SystemClock.now_ms();
    worker::enqueue(
        &db,
        &ids,
        "application_created",
        &serde_json::json!({ "applied_at": now }),
        now,
    )
    .await?;
    let (gw, taken) = gateway(Duration::from_millis(latency_ms)).await?;
    let mails = tempfile::tempdir().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let sms: Arc<dyn SmsProvider> = Arc::new(Smsc {
            base: gw.clone(),
            login: "bench".into(),
            password: "bench".into(),
            sender: None,
            http: client(Duration::from_secs(10)),
        });
        let mail: Arc<dyn Mailer> = Arc::new(DevMail {
            from: "Kezek <no-reply@kezek.almaty.kz>"
                .parse()
                .map_err(|e| format!("{e}"))?,
            dir: Some(mails.path().into()),
        });
        let w = Worker::new(
            db.clone(),
            sms,
            mail,
            Arc::new(SystemClock),
            "http://127.0.0.1:3000",
        );
        tasks.push(tokio::spawn(async move { w.drain().await }));
    }
    let mut sent = 0;
    for t in tasks {
        sent += t.await.map_err(|e| e.to_string())??.sent;
    }
    let secs = started.elapsed().as_secs_f64();
    let s = worker::stats(&db, SystemClock.now_ms()).await?;
    println!(
        "outbox on {}: {} notifications -> {} deliveries ({} SMS through the loopback gateway at {} ms, {} mails to files) by {} workers in {:.2} s: {:.0} deliveries/s (sent={} dead={} pending={})",
        db.backend_name(),
        notifications,
        sent,
        taken.load(Ordering::Relaxed),
        latency_ms,
        sent - taken.load(Ordering::Relaxed),
        workers,
        secs,
        sent as f64 / secs,
        s.sent,
        s.dead,
        s.pending
    );
    drop(db);
    cleanup.run().await;
    Ok(())
}
