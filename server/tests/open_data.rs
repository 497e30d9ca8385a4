//! The open data over HTTP and `kezek audit replay` run as a real process: the server's export
//! of a small demo city (its applications imported into the log) and a few changes replays
//! cleanly from its URL; a copy with one row of the log edited is named, exit 1.

mod common;

use common::*;
use std::process::Command;

fn replay(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kezek"))
        .args(["audit", "replay"])
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("run kezek");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code(), text)
}

#[test]
fn an_export_served_replays_and_an_edited_row_is_named() {
    one_runtime(async {
        let s = start().await;
        let c = client();
        // Seats posted at one kindergarten invite its cohort's first children.
        let kg = s
            .city
            .kindergartens
            .iter()
            .find(|k| k.in_queue && k.seats.iter().any(|g| g.0 .0 == 2022))
            .unwrap()
            .id;
        let head = app::engine::Actor::Head {
            kindergarten_id: kg,
        };
        s.engine.post_seats(&head, kg, 2022, 3).await.unwrap();
        let open = app::opendata::export::OpenData::configured(s._dir.path()).unwrap();
        let now = app::engine::Clock::now_ms(&*s.clock);
        let m = open.export(&s.db, "now", now).await.unwrap();
        assert_eq!(m.queue as usize, s.city.applications.len());

        // The files are served, with their types; others are not.
        let r = c
            .get(format!("{}/open-data/now/events.csv", s.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
        let body = r.text().await.unwrap();
        assert!(body.starts_with("seq,at,kind,body,prev_hash,hash\r\n"));
        assert!(body.contains("application.imported"));
        // Who accepts gzip gets the file gzipped, as it was kept beside it.
        let r = c
            .get(format!("{}/open-data/now/events.csv", s.base))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["content-encoding"], "gzip");
        assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
        let gz = r.bytes().await.unwrap();
        assert!(gz.len() * 3 < body.len(), "{} of {}", gz.len(), body.len());
        let mut plain = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut plain)
            .unwrap();
        assert_eq!(plain, body);
        for bad in [
            "now/kezek.db",
            "now/..%2Fkezek.db",
            "x/events.csv",
            "now/pseudonym.key",
        ] {
            let (status, _) = get(&c, &format!("{}/open-data/{bad}", s.base), "ru").await;
            assert_eq!(status, 404, "{bad}");
        }
        let json = |path: &str| {
            let (c, url) = (c.clone(), format!("{}{path}", s.base));
            async move {
                let r = c.get(url).send().await.unwrap();
                r.json::<serde_json::Value>().await.unwrap()
            }
        };
        let key = json("/open-data/checkpoint-key.json").await;
        assert_eq!(key["alg"], "Ed25519");
        let cps = json("/open-data/checkpoints.json").await;
        assert_eq!(cps[0]["seq"], m.seq);

        // Replayed from its URL: no differences.
        let url = format!("{}/open-data/now/", s.base);
        let (code, out) = tokio::task::spawn_blocking(move || replay(&[&url]))
            .await
            .unwrap();
        assert_eq!(code, Some(0), "{out}");
        assert!(out.contains("no differences"), "{out}");
        assert!(out.contains(&format!("chain head {}", m.seq)), "{out}");
        assert!(out.contains("3 invitations"), "{out}");

        // A copy with one row of the log edited: named, exit 1.
        let copy = tempfile::tempdir().unwrap();
        let dir = s._dir.path().join("open-data/now");
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap();
            std::fs::copy(f.path(), copy.path().join(f.file_name())).unwrap();
        }
        let seq = m.seq - 1;
        let csv = std::fs::read_to_string(copy.path().join("events.csv")).unwrap();
        let line = csv
            .lines()
            .find(|l| l.starts_with(&format!("{seq},")))
            .unwrap()
            .to_string();
        let edited = line.replacen("2022", "2021", 1);
        assert_ne!(edited, line);
        std::fs::write(copy.path().join("events.csv"), csv.replace(&line, &edited)).unwrap();
        let path = copy.path().to_string_lossy().to_string();
        let (code, out) = tokio::task::spawn_blocking(move || replay(&[&path]))
            .await
            .unwrap();
        assert_eq!(code, Some(1), "{out}");
        assert!(
            out.contains(&format!(
                "DIFFERENCE at event {seq}: events.csv differs from events.json at event {seq}"
            )),
            "{out}"
        );
        assert!(
            out.contains("events.csv does not match its SHA-256"),
            "{out}"
        );
    })
}
