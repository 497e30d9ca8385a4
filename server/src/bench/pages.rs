//! `kezek bench pages`: the public pages under many readers. `clients` concurrent readers ask
//! for each page in turn for `seconds` (whole server-rendered documents, as a browser without
//! JavaScript gets them) against a running server on a loopback address; `/healthz` in the same
//! run is the yardstick. The position look-ups ask for the demo city's numbers of today.

use super::percentile_ms;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// `kezek bench pages`.
pub async fn pages(base: &str, clients: usize, seconds: u64) -> Result<(), String> {
    super::loopback_only(base)?;
    let today = app::clock::almaty_today();
    let city = app::demo::generate(app::demo::DEMO_SEED, today, app::demo::Scale::ALMATY);
    let numbers: Arc<Vec<String>> = Arc::new(
        city.applications
            .iter()
            .step_by(97)
            .map(|a| a.public_no.clone())
            .collect(),
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .map_err(|e| e.to_string())?;
    let pages: [(&str, &str); 6] = [
        ("healthz", "/healthz"),
        ("statistics", "/statistics"),
        ("position", "/position?no="),
        ("protocol_seats", "/protocols/seats"),
        (
            "protocol_seats_filtered",
            "/protocols/seats?district=medeu&page=1",
        ),
        ("protocol_referrals", "/protocols/referrals"),
    ];
    for (name, path) in pages {
        // Warm: a running server has read its figures and opened its connections before.
        let first = format!(
            "{base}{path}{}",
            if path.ends_with('=') {
                numbers[0].as_str()
            } else {
                ""
            }
        );
        client.get(&first).send().await.map_err(|e| e.to_string())?;
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let t0 = Instant::now();
        let mut tasks = Vec::new();
        for n in 0..clients {
            let (client, numbers, base) = (client.clone(), numbers.clone(), base.to_string());
            tasks.push(tokio::spawn(async move {
                let (mut lat, mut bad) = (Vec::new(), 0usize);
                let mut i = n * 31;
                while Instant::now() < deadline {
                    let url = if path.ends_with('=') {
                        i = (i + 1) % numbers.len();
                        format!("{base}{path}{}", numbers[i])
                    } else {
                        format!("{base}{path}")
                    };
                    let t = Instant::now();
                    match client
                        .get(&url)
                        .header("accept-language", "ru")
                        .send()
                        .await
                    {
                        Ok(r) if r.status().is_success() => {
                            if r.bytes().await.is_ok() {
                                lat.push(t.elapsed().as_micros() as u32);
                            } else {
                                bad += 1;
                            }
                        }
                        _ => bad += 1,
                    }
                }
                (lat, bad)
            }));
        }
        let (mut lat, mut bad) = (Vec::new(), 0);
        for t in tasks {
            let (l, b) = t.await.map_err(|e| e.to_string())?;
            lat.extend(l);
            bad += b;
        }
        let secs = t0.elapsed().as_secs_f64();
        lat.sort_unstable();
        println!(
            "page={name} clients={clients} requests_per_s={:.0} p50_ms={:.1} p95_ms={:.1} p99_ms={:.1} not_ok={bad}",
            lat.len() as f64 / secs,
            percentile_ms(&lat, 0.50),
            percentile_ms(&lat, 0.95),
            percentile_ms(&lat, 0.99),
        );
    }
    Ok(())
}
