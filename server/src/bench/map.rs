//! `kezek bench map`: many open maps on one server. `clients` connections listen at `/events`
//! while the education department posts seats (one change every `every_ms`, alternately giving
//! and taking one seat of full age groups); each posting's delivery to every map is timed, and
//! with `--pid` the server's memory and CPU are read from /proc before, with the maps open and
//! idle, and during the postings.

use super::percentile_ms;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct MapOptions {
    pub clients: usize,
    pub postings: usize,
    pub every_ms: u64,
    pub pid: Option<u32>,
}

/// The server's resident memory (KB) and CPU time (clock ticks) from /proc.
fn proc_figures(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some((rss, ticks))
}

/// CPU use of the server between two readings, as a percentage of one core (100 ticks a second).
fn cpu_pct(a: (u64, u64), b: (u64, u64), secs: f64) -> f64 {
    (b.1.saturating_sub(a.1)) as f64 / secs.max(1e-9)
}

pub async fn map(base: &str, o: MapOptions) -> Result<(), String> {
    let admin = super::dev_department(base).await?;
    let e = |e: reqwest::Error| e.to_string();
    // Full age groups, one per kindergarten: each posting gives one seat or takes it back.
    let data: app::domain::map::MapData =
        super::get_json(&admin, &format!("{base}/api/map?lang=ru")).await?;
    let targets: Vec<(i64, i32)> = data
        .places
        .iter()
        .filter_map(|p| {
            p.seats
                .iter()
                .find(|(_, n)| *n == 0)
                .map(|(c, _)| (p.id, *c))
        })
        .take(50)
        .collect();
    if targets.is_empty() {
        return Err("no full age group to post seats to".into());
    }

    let before = o.pid.and_then(proc_figures);
    // The maps.
    let connected = Arc::new(AtomicUsize::new(0));
    // The posting being delivered: its kindergarten and when it was sent (µs since `t0`).
    let current = Arc::new(AtomicI64::new(-1));
    let sent_us = Arc::new(AtomicI64::new(0));
    let lat_us = Arc::new(Mutex::new(Vec::<u32>::new()));
    let delivered = Arc::new(AtomicUsize::new(0));
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..o.clients {
        let (base, connected, current, sent_us, lat_us, delivered) = (
            base.to_string(),
            connected.clone(),
            current.clone(),
            sent_us.clone(),
            lat_us.clone(),
            delivered.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let Ok(mut res) = reqwest::get(format!("{base}/events")).await else {
                return;
            };
            connected.fetch_add(1, Ordering::Relaxed);
            let mut buf = String::new();
            let mut last_seen = -1i64;
            while let Ok(Some(chunk)) = res.chunk().await {
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buf.find("\n\n") {
                    let block: String = buf.drain(..end + 2).collect();
                    let kg = current.load(Ordering::Acquire);
                    if kg >= 0
                        && kg != last_seen
                        && block.starts_with("event: seats")
                        && block.contains(&format!("{{\"id\":{kg},"))
                    {
                        last_seen = kg;
                        let us = t0.elapsed().as_micros() as i64 - sent_us.load(Ordering::Acquire);
                        lat_us.lock().unwrap().push(us.max(0) as u32);
                        delivered.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    let wait = Instant::now();
    while connected.load(Ordering::Relaxed) < o.clients && wait.elapsed() < Duration::from_secs(30)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let open = connected.load(Ordering::Relaxed);
    // The maps open and idle for a few seconds.
    let idle_from = o.pid.and_then(proc_figures);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let idle_to = o.pid.and_then(proc_figures);

    // The postings: alternately one seat and none, each on its own kindergarten in turn (the
    // same kindergarten never twice in a row, so each delivery is told apart).
    let busy_from = (o.pid.and_then(proc_figures), Instant::now());
    let mut posted = 0usize;
    let mut expected = 0usize;
    for i in 0..o.postings {
        let (kg, cohort) = targets[i % targets.len()];
        let free = if (i / targets.len()).is_multiple_of(2) {
            1
        } else {
            0
        };
        sent_us.store(t0.elapsed().as_micros() as i64, Ordering::Release);
        current.store(kg, Ordering::Release);
        let res = admin
            .post(format!("{base}/api/head/seats"))
            .form(&[
                ("kindergarten_id", kg.to_string()),
                ("cohort", cohort.to_string()),
                ("free", free.to_string()),
            ])
            .send()
            .await
            .map_err(e)?;
        if res.status().is_success() {
            posted += 1;
            expected += open;
        }
        tokio::time::sleep(Duration::from_millis(o.every_ms)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let busy_to = (o.pid.and_then(proc_figures), Instant::now());
    for t in &tasks {
        t.abort();
    }
    let mut lat = std::mem::take(&mut *lat_us.lock().unwrap());
    lat.sort_unstable();
    let got = delivered.load(Ordering::Relaxed);
    print!(
        "clients={} connected={open} postings={posted} delivered={got} missing={} p50_ms={:.1} p99_ms={:.1} max_ms={:.1}",
        o.clients,
        expected.saturating_sub(got),
        percentile_ms(&lat, 0.50),
        percentile_ms(&lat, 0.99),
        percentile_ms(&lat, 1.0),
    );
    if let (Some(b), Some(i0), Some(i1), (Some(p0), t_p0), (Some(p1), t_p1)) =
        (before, idle_from, idle_to, busy_from, busy_to)
    {
        let per_map_kb = (i1.0 as f64 - b.0 as f64) / open.max(1) as f64;
        print!(
            " rss_before_mb={:.1} rss_open_mb={:.1} per_map_kb={per_map_kb:.1} cpu_idle_pct={:.1} cpu_posting_pct={:.1}",
            b.0 as f64 / 1024.0,
            i1.0 as f64 / 1024.0,
            cpu_pct(i0, i1, 3.0),
            cpu_pct(p0, p1, (t_p1 - t_p0).as_secs_f64()),
        );
    }
    println!();
    Ok(())
}
