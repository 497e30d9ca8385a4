//! Checking an export (`kezek audit replay`): its checksums, its log's hash chain (the CSV and
//! the JSON saying the same), its checkpoints and any kept from before, the replay of its log
//! against the rules, and the replay's positions and referrals against the published queue and
//! protocol.

use super::checkpoints::{signed_by, Checkpoint, PublishedKey};
use super::csv::{self, CsvRow};
use super::replay::{Counts, Finding, Replay};
use super::{Manifest, QueueRow, ReferralRow, StoredEvent, FILES, FORMAT};
use crate::engine::chain::{self, sha256_hex, GENESIS};
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// What a check of an export found.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub counts: Counts,
    /// The chain head the export stops at (as its log says).
    pub head: (i64, String),
    pub checkpoints: usize,
    pub kept_checkpoints: usize,
    pub positions: usize,
}

impl Report {
    fn find(&mut self, seq: i64, what: impl Into<String>) {
        self.findings.push(Finding {
            seq,
            what: what.into(),
        });
    }
}

/// An export's files, by name.
pub type Files = HashMap<String, Vec<u8>>;

fn parse<T: DeserializeOwned>(files: &Files, name: &str, r: &mut Report) -> Option<T> {
    let bytes = files.get(name)?;
    match serde_json::from_slice(bytes) {
        Ok(v) => Some(v),
        Err(e) => {
            r.find(0, format!("{name} cannot be read: {e}"));
            None
        }
    }
}

/// The rows of `X.json`, after checking that `X.csv` says the same, row for row; `row_name`
/// names a row in a finding.
fn rows<T: CsvRow + DeserializeOwned>(
    files: &Files,
    stem: &str,
    r: &mut Report,
    row_name: impl Fn(&T) -> (i64, String),
) -> Vec<T> {
    let Some(rows) = parse::<Vec<T>>(files, &format!("{stem}.json"), r) else {
        return Vec::new();
    };
    let Some(text) = files.get(&format!("{stem}.csv")) else {
        return rows;
    };
    let Some(records) = std::str::from_utf8(text).ok().and_then(csv::read) else {
        r.find(0, format!("{stem}.csv cannot be read"));
        return rows;
    };
    if records
        .first()
        .map(|h| h.iter().map(String::as_str).eq(T::HEADER.iter().copied()))
        != Some(true)
    {
        r.find(0, format!("{stem}.csv has another header"));
    }
    let body = records.get(1..).unwrap_or_default();
    for (row, record) in rows.iter().zip(body) {
        let fields = row.fields();
        if &fields != record {
            let (seq, name) = row_name(row);
            let column = T::HEADER
                .iter()
                .zip(fields.iter().zip(record))
                .find(|(_, (a, b))| a != b)
                .map_or("a column", |(h, _)| h);
            r.find(
                seq,
                format!("{stem}.csv differs from {stem}.json at {name} ({column})"),
            );
        }
    }
    if body.len() != rows.len() {
        r.find(
            0,
            format!(
                "{stem}.csv has {} rows, {stem}.json {}",
                body.len(),
                rows.len()
            ),
        );
    }
    rows
}

/// Checks an export's files; `kept` are checkpoints kept from before (from anywhere).
pub fn check(files: &Files, kept: &[Checkpoint]) -> Report {
    let mut r = Report::default();
    // The checksums.
    let sums = files
        .get("SHA256SUMS")
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let listed: HashMap<&str, &str> = sums
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(sum, name)| (name.trim(), sum.trim()))
        .collect();
    for name in FILES {
        match (files.get(name), listed.get(name)) {
            (None, _) => r.find(0, format!("{name} is missing")),
            (Some(_), None) => r.find(0, format!("SHA256SUMS does not list {name}")),
            (Some(bytes), Some(sum)) if sha256_hex(bytes) != *sum => r.find(
                0,
                format!("{name} does not match its SHA-256 in SHA256SUMS"),
            ),
            _ => {}
        }
    }
    let manifest: Option<Manifest> = parse(files, "manifest.json", &mut r);
    if let Some(m) = &manifest {
        if m.format != FORMAT {
            r.find(0, format!("unknown format {:?}", m.format));
        }
    }
    // The log: its chain, and the CSV saying what the JSON says.
    let events: Vec<StoredEvent> = rows(files, "events", &mut r, |e: &StoredEvent| {
        (e.seq, format!("event {}", e.seq))
    });
    match chain::verify((0, GENESIS.into()), &events) {
        Ok(head) => r.head = head,
        Err(e) => r.find(e.seq(), format!("the hash chain breaks: {e}")),
    }
    if let Some(m) = &manifest {
        let last = events
            .last()
            .map_or((0, GENESIS.to_string()), |e| (e.seq, e.hash.clone()));
        if (m.seq, &m.hash) != (last.0, &last.1) {
            r.find(
                last.0,
                format!(
                    "the manifest's chain head (event {}, {}) is not the log's last event",
                    m.seq, m.hash
                ),
            );
        }
    }
    // The checkpoints: signed by the published key, and each on the log as it stands.
    let key: Option<PublishedKey> = parse(files, "checkpoint-key.json", &mut r);
    let published: Vec<Checkpoint> = parse(files, "checkpoints.json", &mut r).unwrap_or_default();
    let hash_at = |seq: i64| -> Option<&str> {
        if seq == 0 {
            return Some(GENESIS);
        }
        let i = events.binary_search_by_key(&seq, |e| e.seq).ok()?;
        Some(&events[i].hash)
    };
    for (cp, whose) in published
        .iter()
        .map(|c| (c, "published"))
        .chain(kept.iter().map(|c| (c, "kept")))
    {
        if !key.as_ref().is_some_and(|k| signed_by(cp, k)) {
            r.find(
                cp.seq,
                format!(
                    "the {whose} checkpoint at event {} is not signed by the published key",
                    cp.seq
                ),
            );
        }
        match hash_at(cp.seq) {
            Some(h) if h == cp.hash => {}
            Some(_) => r.find(cp.seq, format!("the {whose} checkpoint at event {} has another hash than the log: the log was rewritten", cp.seq)),
            None => r.find(cp.seq, format!("the {whose} checkpoint names event {}, which the log lacks", cp.seq)),
        }
    }
    r.checkpoints = published.len();
    r.kept_checkpoints = kept.len();
    if published.last().map(|c| c.seq) != Some(r.head.0) && !events.is_empty() {
        r.find(0, "the export's own checkpoint is not of its chain head");
    }
    // The replay, and what the site published against it.
    let mut replay = Replay::default();
    for e in &events {
        replay.apply(e);
    }
    let queue: Vec<QueueRow> = rows(files, "queue", &mut r, |q: &QueueRow| {
        (0, q.application.clone())
    });
    compare_queue(&replay, &queue, &mut r);
    let referrals: Vec<ReferralRow> = rows(files, "referrals", &mut r, |x: &ReferralRow| {
        (0, x.code.clone())
    });
    compare_referrals(&replay, &referrals, &mut r);
    let _: Vec<super::PostingRow> =
        rows(files, "seat-postings", &mut r, |p: &super::PostingRow| {
            (0, format!("the posting at {}", p.at))
        });
    r.findings.extend(replay.findings.iter().cloned());
    r.counts = replay.counts.clone();
    r
}

fn compare_queue(replay: &Replay, queue: &[QueueRow], r: &mut Report) {
    let positions = replay.positions();
    r.positions = positions.len();
    let mut seen = std::collections::HashSet::new();
    for q in queue {
        seen.insert(q.application.as_str());
        let Some(c) = replay.children.get(&q.application) else {
            r.find(0, format!("queue: {} is not in the log", q.application));
            continue;
        };
        if c.status.code() != q.status {
            r.find(
                0,
                format!(
                    "queue: {} is {} on the site, {} by the log",
                    q.application,
                    q.status,
                    c.status.code()
                ),
            );
        } else if q.position != positions.get(&q.application).copied() {
            r.find(
                0,
                format!(
                    "queue: {} is at position {} on the site, {} by the log",
                    q.application,
                    csv::opt(&q.position),
                    csv::opt(&positions.get(&q.application))
                ),
            );
        }
        if q.cohort != c.cohort || q.applied_at != c.key.applied_at {
            r.find(
                0,
                format!(
                    "queue: {}'s cohort or time differs from the log",
                    q.application
                ),
            );
        }
    }
    for (no, c) in &replay.children {
        if c.status.is_open() && !seen.contains(no.as_str()) {
            r.find(
                0,
                format!(
                    "queue: {no} is {} by the log but not in the queue",
                    c.status.code()
                ),
            );
        }
    }
}

fn compare_referrals(replay: &Replay, referrals: &[ReferralRow], r: &mut Report) {
    let mut seen = std::collections::HashSet::new();
    for x in referrals {
        seen.insert(x.code.as_str());
        match replay.referrals.get(&x.code) {
            None => r.find(0, format!("referrals: {} is not in the log", x.code)),
            Some(i) if i.kindergarten_id != x.kindergarten_id => r.find(
                0,
                format!(
                    "referrals: {} names another kindergarten than the log",
                    x.code
                ),
            ),
            Some(i) if i.staff_order != x.staff_order.is_some() => r.find(
                0,
                format!(
                    "referrals: {}'s staff order flag differs from the log",
                    x.code
                ),
            ),
            _ => {}
        }
    }
    for code in replay.referrals.keys() {
        if !seen.contains(code.as_str()) {
            r.find(
                0,
                format!("referrals: {code} is in the log but not in the protocol"),
            );
        }
    }
}
