//! The delivery worker: expands the outbox into deliveries, claims due deliveries with a
//! lease, sends them, and marks each sent, to be retried, or dead.
//!
//! One worker runs in every `kezek serve`; `kezek outbox run` runs one alone. Any number may
//! share one PostgreSQL: expansion and claims skip the rows another worker holds (`FOR UPDATE
//! SKIP LOCKED`), and a mark only lands while the lease is the marking worker's own.

use super::ledger::err;
pub use super::ledger::{dead, enqueue, of_application, requeue, stats, DeliveryNote, Stats};
use super::mail::{Mail, Mailer};
use super::sms::{Sms, SmsProvider};
use super::texts::{self, Facts, Place};
use super::{Failure, Sent};
use crate::engine::Clock;
use crate::store::sql::{Backend, Sql, Val};
use crate::store::{write_tx, Db, StoreError};
use futures::StreamExt;
use std::sync::Arc;

/// How hard the worker tries.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Deliveries claimed at once.
    pub batch: i64,
    /// Sent at once from a batch.
    pub concurrency: usize,
    /// How long a claim is the claimer's alone: past it, another worker may send it again.
    pub lease_ms: i64,
    /// Attempts before a delivery is dead.
    pub max_attempts: i64,
    /// The wait after the first failed attempt; it doubles with each next one, up to `cap_ms`,
    /// and each wait is drawn between half and all of that (jitter), so a provider coming back
    /// is not hit by every retry at once.
    pub base_ms: i64,
    pub cap_ms: i64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            batch: 100,
            concurrency: 16,
            lease_ms: 120_000,
            max_attempts: 8,
            base_ms: 30_000,
            cap_ms: 3 * 3_600_000,
        }
    }
}

impl Policy {
    /// The wait before attempt `attempts + 1`, with `r` in [0, 1) drawing the jitter.
    pub fn backoff(&self, attempts: i64, r: f64) -> i64 {
        let exp = self
            .base_ms
            .saturating_mul(1i64 << (attempts - 1).clamp(0, 30))
            .min(self.cap_ms);
        exp / 2 + ((exp / 2) as f64 * r) as i64
    }
}

/// What one attempt came to: the provider's name and answer, or why not.
type Outcome = Result<(&'static str, Sent), Failure>;

/// A claimed delivery.
#[derive(Debug, Clone)]
struct Claimed {
    id: i64,
    channel: String,
    recipient: String,
    subject: Option<String>,
    body: String,
    attempts: i64,
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    pub expanded: u64,
    pub sent: u64,
    pub retrying: u64,
    pub dead: u64,
    /// Marks that did not land: the lease had passed to another worker.
    pub lost: u64,
}

impl Pass {
    fn add(&mut self, o: Pass) {
        self.expanded += o.expanded;
        self.sent += o.sent;
        self.retrying += o.retrying;
        self.dead += o.dead;
        self.lost += o.lost;
    }

    pub fn is_idle(&self) -> bool {
        *self == Pass::default()
    }
}

pub struct Worker {
    db: Db,
    sms: Arc<dyn SmsProvider>,
    mail: Arc<dyn Mailer>,
    clock: Arc<dyn Clock>,
    /// The site's public address, for links in the texts.
    site: String,
    /// Who holds a lease: unique per process.
    pub id: String,
    pub policy: Policy,
}

impl Worker {
    pub fn new(
        db: Db,
        sms: Arc<dyn SmsProvider>,
        mail: Arc<dyn Mailer>,
        clock: Arc<dyn Clock>,
        site: &str,
    ) -> Worker {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        Worker {
            db,
            sms,
            mail,
            clock,
            site: site.trim_end_matches('/').to_string(),
            id: format!("{}-{nanos:08x}", std::process::id()),
            policy: Policy::default(),
        }
    }

    /// Expands, claims and sends until nothing is due; returns what it did.
    pub async fn drain(&self) -> Result<Pass, String> {
        let mut total = Pass::default();
        loop {
            let pass = self.pass().await?;
            total.add(pass);
            if pass.is_idle() {
                return Ok(total);
            }
        }
    }

    /// One round: expand a batch of the outbox, then claim and send a batch of deliveries.
    pub async fn pass(&self) -> Result<Pass, String> {
        let mut pass = Pass {
            expanded: self.expand().await?,
            ..Pass::default()
        };
        let claimed = self.claim().await?;
        // Each delivery is marked the moment its provider answers, not after the batch: a
        // worker that dies mid-batch leaves only the one in flight to be sent again.
        let marks: Vec<Result<Pass, String>> = futures::stream::iter(claimed)
            .map(|d| async move {
                let r = self.send(&d).await;
                self.mark(&d, r).await
            })
            .buffer_unordered(self.policy.concurrency.max(1))
            .collect()
            .await;
        for m in marks {
            pass.add(m?);
        }
        Ok(pass)
    }

    /// Runs until `stop` says so: a pass whenever something may be due, at least every second.
    pub async fn run(
        &self,
        mut wake: Option<tokio::sync::watch::Receiver<u64>>,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        loop {
            if *stop.borrow() {
                return;
            }
            match self.drain().await {
                Ok(p) if !p.is_idle() => tracing::info!(
                    expanded = p.expanded,
                    sent = p.sent,
                    retrying = p.retrying,
                    dead = p.dead,
                    "notifications delivered"
                ),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "delivering notifications failed; trying again")
                }
            }
            let tick = tokio::time::sleep(std::time::Duration::from_secs(1));
            match wake.as_mut() {
                Some(w) => tokio::select! {
                    _ = tick => {}
                    _ = w.changed() => {}
                    _ = stop.changed() => {}
                },
                None => tokio::select! {
                    _ = tick => {}
                    _ = stop.changed() => {}
                },
            }
        }
    }

    /// Makes deliveries of a batch of new notifications, from the application's contacts now.
    async fn expand(&self) -> Result<u64, String> {
        let now = self.clock.now_ms();
        let site = self.site.clone();
        let batch = self.policy.batch;
        let r: Result<u64, StoreError> = write_tx!(self.db, |c| expand_batch(c, now, &site, batch));
        r.map_err(err)
    }

    async fn claim(&self) -> Result<Vec<Claimed>, String> {
        let now = self.clock.now_ms();
        let lease = now + self.policy.lease_ms;
        let (worker, batch) = (self.id.clone(), self.policy.batch);
        let r: Result<Vec<Claimed>, StoreError> = write_tx!(self.db, |c| async {
            let skip = if c.backend() == Backend::Postgres {
                " FOR UPDATE SKIP LOCKED"
            } else {
                ""
            };
            let sql = format!(
                "UPDATE deliveries SET state = 'sending', lease_until = $1, worker = $2, \
                 attempts = attempts + 1 WHERE id IN (SELECT id FROM deliveries \
                 WHERE state IN ('pending', 'retry', 'sending') AND next_at <= $3 \
                 AND (state <> 'sending' OR lease_until < $3) ORDER BY next_at, id LIMIT $4{skip}) \
                 RETURNING id, channel, recipient, subject, body, attempts"
            );
            let rows: Vec<(i64, String, String, Option<String>, String, i64)> = c
                .all(
                    &sql,
                    &[lease.into(), (&worker).into(), now.into(), batch.into()],
                )
                .await?;
            Ok(rows
                .into_iter()
                .map(
                    |(id, channel, recipient, subject, body, attempts)| Claimed {
                        id,
                        channel,
                        recipient,
                        subject,
                        body,
                        attempts,
                    },
                )
                .collect())
        });
        r.map_err(err)
    }

    async fn send(&self, d: &Claimed) -> Outcome {
        let key = format!("kezek-{}", d.id);
        if d.channel == "sms" {
            let sms = Sms {
                to: &d.recipient,
                text: &d.body,
                key: &key,
            };
            self.sms.send(&sms).await.map(|s| (self.sms.name(), s))
        } else {
            let mail = Mail {
                to: &d.recipient,
                subject: d.subject.as_deref().unwrap_or("Kezek"),
                body: &d.body,
                key: &key,
            };
            self.mail.send(&mail).await.map(|s| (self.mail.name(), s))
        }
    }

    /// Records the outcome of one attempt, while the lease is still this worker's.
    async fn mark(&self, d: &Claimed, r: Outcome) -> Result<Pass, String> {
        let now = self.clock.now_ms();
        let mut pass = Pass::default();
        let (sql, args): (&str, Vec<Val<'static>>) = match &r {
            Ok((provider, sent)) => {
                pass.sent = 1;
                (
                    "UPDATE deliveries SET state = 'sent', provider = $3, provider_id = $4, \
                     sent_at = $5, lease_until = NULL, error = NULL \
                     WHERE id = $1 AND worker = $2 AND state = 'sending'",
                    vec![
                        d.id.into(),
                        self.id.clone().into(),
                        provider.to_string().into(),
                        sent.provider_id.clone().into(),
                        now.into(),
                    ],
                )
            }
            Err(f) => {
                let last =
                    matches!(f, Failure::Permanent(_)) || d.attempts >= self.policy.max_attempts;
                let next = if last {
                    now
                } else {
                    now + self.policy.backoff(d.attempts, jitter())
                };
                if last {
                    pass.dead = 1;
                } else {
                    pass.retrying = 1;
                }
                tracing::warn!(
                    delivery = d.id,
                    attempts = d.attempts,
                    dead = last,
                    reason = f.reason(),
                    "a notification was not delivered"
                );
                (
                    "UPDATE deliveries SET state = $3, next_at = $4, error = $5, lease_until = NULL \
                     WHERE id = $1 AND worker = $2 AND state = 'sending'",
                    vec![
                        d.id.into(),
                        self.id.clone().into(),
                        (if last { "dead" } else { "retry" }).to_string().into(),
                        next.into(),
                        f.reason().to_string().into(),
                    ],
                )
            }
        };
        let sql = sql.to_string();
        let n: Result<u64, StoreError> = write_tx!(self.db, |c| async {
            c.exec(&sql, &args).await.map_err(StoreError::from)
        });
        if n.map_err(err)? == 0 {
            tracing::warn!(
                delivery = d.id,
                "the lease had passed to another worker; its mark is theirs"
            );
            return Ok(Pass {
                lost: 1,
                ..Pass::default()
            });
        }
        Ok(pass)
    }
}

/// A draw in [0, 1) for the jitter.
fn jitter() -> f64 {
    let mut b = [0u8; 8];
    if getrandom_fill(&mut b) {
        (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
    } else {
        0.5
    }
}

fn getrandom_fill(b: &mut [u8]) -> bool {
    use rand_core::RngCore;
    rand_core::OsRng.try_fill_bytes(b).is_ok()
}

/// A notification row with what its texts need.
type OutboxRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

async fn expand_batch(
    c: &mut dyn Sql,
    now: i64,
    site: &str,
    batch: i64,
) -> Result<u64, StoreError> {
    let skip = if c.backend() == Backend::Postgres {
        " FOR UPDATE OF o SKIP LOCKED"
    } else {
        ""
    };
    let rows: Vec<OutboxRow> = c
        .all(
            &format!(
                "SELECT o.id, o.application_id, o.template, o.params, a.public_no, a.language, \
                 a.phone1, a.phone2, a.email FROM outbox o JOIN applications a ON a.id = o.application_id \
                 WHERE o.expanded_at IS NULL ORDER BY o.id LIMIT $1{skip}"
            ),
            &[batch.into()],
        )
        .await?;
    for (id, app, template, params, public_no, language, phone1, phone2, email) in &rows {
        let params: serde_json::Value = serde_json::from_str(params).unwrap_or_default();
        // A deadline already gone by the time it would be sent is no news: not sent.
        let stale = matches!(template.as_str(), "invited" | "referral_reminder")
            && params
                .get("expires_at")
                .and_then(|v| v.as_i64())
                .is_some_and(|t| t <= now);
        let place = match params.get("kindergarten_id").and_then(|v| v.as_i64()) {
            Some(k) => c
                .first::<(i64, String, String, String, String)>(
                    "SELECT CAST(number AS BIGINT), name_kk, name_ru, address_kk, address_ru \
                     FROM kindergartens WHERE id = $1",
                    &[k.into()],
                )
                .await?
                .map(|(number, name_kk, name_ru, address_kk, address_ru)| Place {
                    number,
                    name_kk,
                    name_ru,
                    address_kk,
                    address_ru,
                }),
            None => None,
        };
        let facts = Facts {
            site: site.to_string(),
            public_no: public_no.clone(),
            lang: if language == "kk" { "kk" } else { "ru" },
            kindergarten: place,
        };
        let written = if stale {
            None
        } else {
            texts::write(template, &params, &facts)
        };
        if let Some(w) = written {
            let mut to: Vec<(&str, &str)> = vec![("sms", phone1.as_str())];
            if let Some(p2) = phone2.as_deref().filter(|p| !p.is_empty() && *p != phone1) {
                to.push(("sms", p2));
            }
            if let Some(e) = email.as_deref().filter(|e| !e.is_empty()) {
                to.push(("email", e));
            }
            for (channel, recipient) in to {
                let (subject, body) = if channel == "sms" {
                    (None, w.sms.as_str())
                } else {
                    (Some(w.subject.as_str()), w.email.as_str())
                };
                c.exec(
                    "INSERT INTO deliveries (outbox_id, application_id, channel, recipient, subject, \
                     body, next_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (outbox_id, channel, recipient) DO NOTHING",
                    &[
                        (*id).into(),
                        (*app).into(),
                        channel.into(),
                        recipient.into(),
                        subject.into(),
                        body.into(),
                        now.into(),
                    ],
                )
                .await?;
            }
        }
        c.exec(
            "UPDATE outbox SET expanded_at = $2 WHERE id = $1",
            &[(*id).into(), now.into()],
        )
        .await?;
    }
    Ok(rows.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::Policy;

    #[test]
    fn backoff_doubles_with_jitter_up_to_the_cap() {
        let p = Policy {
            base_ms: 1000,
            cap_ms: 10_000,
            ..Policy::default()
        };
        assert_eq!(p.backoff(1, 0.0), 500);
        assert_eq!(p.backoff(1, 0.999_999), 999);
        assert_eq!(p.backoff(2, 0.0), 1000);
        assert_eq!(p.backoff(3, 0.5), 3000);
        assert_eq!(p.backoff(10, 0.0), 5000);
        assert_eq!(p.backoff(60, 0.999_999), 9999);
    }
}
