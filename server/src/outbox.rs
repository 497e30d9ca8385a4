//! The notification worker as configured, and `kezek outbox …`.
//!
//! Configuration (environment):
//! - `KEZEK_SMS_PROVIDER`: `log` (the default: the server's log), `mobizon` or `smsc`;
//!   `KEZEK_SMS_URL` (default the provider's own), `KEZEK_SMS_KEY` (Mobizon's API key, or
//!   SMSC's `login:password`), `KEZEK_SMS_SENDER` (the registered sender name, if any).
//! - `KEZEK_SMTP_URL` (`smtp://user:pass@host:587`, STARTTLS; `?tls=none` for a local relay;
//!   `smtps://` for TLS from the start), else `KEZEK_MAIL_DIR` (each mail an `.eml` file), else
//!   the log; `KEZEK_SMTP_CA` (a PEM file: a certification authority to trust for the relay);
//!   `KEZEK_MAIL_FROM` (default `Kezek <no-reply@kezek.almaty.kz>`).
//! - `KEZEK_PUBLIC_URL`: the site's address in links (default the server's own).
//! - `KEZEK_NOTIFY_TIMEOUT_MS` (10000): one provider call at most;
//!   `KEZEK_OUTBOX_LEASE_MS` (120000), `KEZEK_OUTBOX_RETRY_MS` (30000, the first retry's wait),
//!   `KEZEK_OUTBOX_ATTEMPTS` (8), `KEZEK_OUTBOX_BATCH` (100), `KEZEK_OUTBOX_CONCURRENCY` (16,
//!   sends at once).

use app::engine::{Clock, SystemClock};
use app::notify::mail::{DevMail, Mailer, Smtp};
use app::notify::sms::{client, LogSms, Mobizon, SmsProvider, Smsc};
use app::notify::worker::{self, Policy, Worker};
use app::store::Db;
use std::sync::Arc;
use std::time::Duration;

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn number(name: &str, default: i64) -> Result<i64, String> {
    match var(name) {
        Some(v) => v
            .parse()
            .map_err(|_| format!("{name} must be a whole number, not {v:?}")),
        None => Ok(default),
    }
}

/// The worker with the providers, site address and policy the environment names. Outside dev
/// mode, providers that only write to the log are warned about at start: what they "send" is
/// marked sent and reaches nobody.
pub fn configured(db: Db, default_site: &str, dev: bool) -> Result<Worker, String> {
    let timeout = Duration::from_millis(number("KEZEK_NOTIFY_TIMEOUT_MS", 10_000)? as u64);
    let http = client(timeout);
    let sender = var("KEZEK_SMS_SENDER");
    let key = var("KEZEK_SMS_KEY").unwrap_or_default();
    let sms: Arc<dyn SmsProvider> = match var("KEZEK_SMS_PROVIDER").as_deref() {
        None | Some("log") => Arc::new(LogSms),
        Some("mobizon") => Arc::new(Mobizon {
            base: var("KEZEK_SMS_URL").unwrap_or_else(|| "https://api.mobizon.kz".into()),
            key,
            sender,
            http,
        }),
        Some("smsc") => {
            let (login, password) = key
                .split_once(':')
                .ok_or("KEZEK_SMS_KEY for SMSC is login:password")?;
            Arc::new(Smsc {
                base: var("KEZEK_SMS_URL").unwrap_or_else(|| "https://smsc.kz".into()),
                login: login.into(),
                password: password.into(),
                sender,
                http,
            })
        }
        Some(other) => return Err(format!("KEZEK_SMS_PROVIDER: unknown provider {other:?}")),
    };
    let from = var("KEZEK_MAIL_FROM").unwrap_or_else(|| "Kezek <no-reply@kezek.almaty.kz>".into());
    let mail: Arc<dyn Mailer> = match var("KEZEK_SMTP_URL") {
        Some(url) => {
            let ca = match var("KEZEK_SMTP_CA") {
                Some(path) => {
                    Some(std::fs::read(&path).map_err(|e| format!("KEZEK_SMTP_CA {path}: {e}"))?)
                }
                None => None,
            };
            Arc::new(Smtp::new(&url, &from, timeout, ca.as_deref())?)
        }
        None => Arc::new(DevMail {
            from: from
                .parse()
                .map_err(|e| format!("KEZEK_MAIL_FROM is not an address: {e}"))?,
            dir: var("KEZEK_MAIL_DIR").map(Into::into),
        }),
    };
    if !dev && sms.name() == "log" {
        tracing::warn!("KEZEK_SMS_PROVIDER is not set: SMS go to this log only (and count as sent); set mobizon or smsc");
    }
    if !dev && mail.name() == "log" {
        tracing::warn!(
            "KEZEK_SMTP_URL is not set: e-mails go to this log only (and count as sent)"
        );
    }
    let site = var("KEZEK_PUBLIC_URL").unwrap_or_else(|| default_site.to_string());
    let mut w = Worker::new(db, sms, mail, Arc::new(SystemClock), &site);
    w.policy = Policy {
        batch: number("KEZEK_OUTBOX_BATCH", 100)?.max(1),
        lease_ms: number("KEZEK_OUTBOX_LEASE_MS", 120_000)?.max(100),
        base_ms: number("KEZEK_OUTBOX_RETRY_MS", 30_000)?.max(1),
        max_attempts: number("KEZEK_OUTBOX_ATTEMPTS", 8)?.max(1),
        concurrency: number("KEZEK_OUTBOX_CONCURRENCY", 16)?.max(1) as usize,
        ..Policy::default()
    };
    Ok(w)
}

/// The worker of `kezek serve`, woken by the engine's writes.
pub fn spawn(w: Worker, wake: tokio::sync::watch::Receiver<u64>) {
    let (_keep, stop) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let _keep = _keep;
        w.run(Some(wake), stop).await;
    });
}

/// `kezek outbox run [--once]`: deliver until stopped (or, with `--once`, until nothing is
/// due), printing what was done.
pub async fn run(db: Db, once: bool) -> Result<(), String> {
    let w = configured(db, "http://127.0.0.1:3000", false)?;
    if once {
        let p = w.drain().await?;
        println!(
            "expanded={} sent={} retrying={} dead={} lost={}",
            p.expanded, p.sent, p.retrying, p.dead, p.lost
        );
        return Ok(());
    }
    let (tx, stop) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        let _ = tx.send(true);
    });
    tracing::info!(worker = %w.id, "delivering notifications until interrupted");
    w.run(None, stop).await;
    Ok(())
}

/// `kezek outbox stats`.
pub async fn stats(db: Db) -> Result<(), String> {
    let s = worker::stats(&db, SystemClock.now_ms()).await?;
    println!(
        "queued={} pending={} sending={} retrying={} sent={} dead={} oldest_wait_s={}",
        s.queued,
        s.pending,
        s.sending,
        s.retrying,
        s.sent,
        s.dead,
        s.oldest_wait_ms / 1000
    );
    Ok(())
}

/// `kezek outbox dead`: one line per dead delivery (recipient masked).
pub async fn dead(db: Db) -> Result<(), String> {
    let dead = worker::dead(&db).await?;
    for d in &dead {
        println!(
            "{}\t{}\t{}\t{}\tattempts={}\t{}",
            d.id,
            d.template,
            d.channel,
            d.to,
            d.attempts,
            d.error.as_deref().unwrap_or("")
        );
    }
    println!("{} dead", dead.len());
    Ok(())
}

/// `kezek outbox requeue (--all | ID…)`.
pub async fn requeue(db: Db, ids: Vec<i64>, all: bool) -> Result<(), String> {
    if ids.is_empty() && !all {
        return Err("name the deliveries to re-queue, or --all".into());
    }
    let n = worker::requeue(&db, &ids, SystemClock.now_ms()).await?;
    println!("re-queued {n}");
    Ok(())
}
