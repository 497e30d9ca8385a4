//! Making exports and checkpoints: everything an export holds is read in one snapshot of the
//! database, so its queue, protocols and log describe the same moment (its chain head).

use super::checkpoints::{Checkpoint, CheckpointKey, PublishedKey};
use super::csv;
use super::positions::positions;
use super::{FileSum, Manifest, PostingRow, QueueRow, ReferralRow, StoredEvent, FILES, FORMAT};
use crate::domain::protocol::{PostingLine, ReferralLine};
use crate::domain::PriorityClass;
use crate::engine::chain::sha256_hex;
use crate::engine::rules::{QueueKey, Rules};
use crate::store::sql::Sql;
use crate::store::{Backend, Db, StoreError, StoreResult};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The open data of one server: its keys and the directory its exports live in.
pub struct OpenData {
    root: PathBuf,
    key: CheckpointKey,
    pseudonyms: [u8; 32],
    /// One export at a time.
    busy: tokio::sync::Mutex<()>,
}

/// Everything an export holds, read at one moment.
struct Snapshot {
    head: (i64, String),
    events: Vec<StoredEvent>,
    queue: Vec<(String, String, i32, PriorityClass, i64, i64, String)>,
    rules: Rules,
    turns: HashMap<i32, u64>,
    postings: Vec<PostingLine>,
    referrals: Vec<ReferralLine>,
    checkpoints: Vec<Checkpoint>,
    /// Events still in PostgreSQL's intake (their changes are in the snapshot, they are not).
    unchained: i64,
}

/// Files from this size on are also kept gzipped.
const GZIP_FROM: usize = 16 * 1024;

const CHECKPOINT_COLUMNS: &str = "seq, hash, at, kid, signature";

impl crate::store::sql::FromRow for Checkpoint {
    fn from_row(r: &crate::store::sql::Row) -> Result<Self, sqlx::Error> {
        Ok(Checkpoint {
            seq: r.get(0)?,
            hash: r.get(1)?,
            at: r.get(2)?,
            kid: r.get(3)?,
            signature: r.get(4)?,
        })
    }
}

async fn read(c: &mut dyn Sql) -> StoreResult<Snapshot> {
    let head: (i64, String) = c
        .get("SELECT seq, hash FROM chain_head WHERE id = 1", &[])
        .await?;
    let events = c
        .all::<StoredEvent>(
            "SELECT seq, at, kind, body, prev_hash, hash FROM events WHERE seq <= $1 ORDER BY seq",
            &[head.0.into()],
        )
        .await?;
    let queue = c
        .all(
            "SELECT child_iin, public_no, cohort, CAST(priority AS INTEGER), applied_at, id, \
             status FROM applications WHERE status IN ('waiting', 'invited', 'referred') \
             ORDER BY cohort, priority, applied_at, id",
            &[],
        )
        .await?;
    let (rules, _) = crate::engine::settings::read(c)
        .await
        .map_err(|e| StoreError::Config(e.to_string()))?;
    let turns: Vec<(i32, i64)> = c.all("SELECT cohort, turn FROM cadence", &[]).await?;
    let (columns, from) = crate::store::protocols::POSTINGS;
    let postings = c
        .all(&format!("SELECT {columns} {from} ORDER BY p.id"), &[])
        .await?;
    let (columns, from) = crate::store::protocols::REFERRALS;
    let referrals = c
        .all(&format!("SELECT {columns} {from} ORDER BY r.id"), &[])
        .await?;
    let checkpoints = c
        .all(
            &format!("SELECT {CHECKPOINT_COLUMNS} FROM checkpoints WHERE seq <= $1 ORDER BY seq"),
            &[head.0.into()],
        )
        .await?;
    let unchained = if c.backend() == crate::store::sql::Backend::Postgres {
        c.scalar("SELECT COUNT(*) FROM event_queue", &[]).await?
    } else {
        0
    };
    Ok(Snapshot {
        head,
        events,
        queue,
        rules,
        turns: turns.into_iter().map(|(c, t)| (c, t as u64)).collect(),
        postings,
        referrals,
        checkpoints,
        unchained,
    })
}

/// Reads a snapshot in one read-only transaction that sees one moment (SQLite: one deferred
/// transaction on the WAL; PostgreSQL: repeatable read).
async fn snapshot(db: &Db) -> StoreResult<Snapshot> {
    match db.backend() {
        Backend::Sqlite { pool, .. } => {
            let mut tx = pool.begin().await?;
            let s = read(&mut *tx).await?;
            tx.commit().await?;
            Ok(s)
        }
        Backend::Postgres(pool) => {
            let mut tx = pool.begin().await?;
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .execute(&mut *tx)
                .await?;
            let s = read(&mut *tx).await?;
            tx.commit().await?;
            Ok(s)
        }
    }
}

impl OpenData {
    /// Keys from `KEZEK_CHECKPOINT_KEY` / `KEZEK_PSEUDONYM_KEY` or kept in `data_dir` (made at the
    /// first start); exports in `data_dir/open-data`.
    pub fn configured(data_dir: &Path) -> Result<OpenData, String> {
        Ok(OpenData {
            root: data_dir.join("open-data"),
            key: CheckpointKey::configured(data_dir)?,
            pseudonyms: crate::keyfile::secret32(data_dir, "pseudonym.key", "KEZEK_PSEUDONYM_KEY")?,
            busy: tokio::sync::Mutex::new(()),
        })
    }

    pub fn published_key(&self) -> PublishedKey {
        self.key.published()
    }

    /// A child's pseudonym: 32 hex digits of HMAC-SHA-256 of its IIN.
    pub fn pseudonym(&self, iin: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.pseudonyms).expect("any key length");
        mac.update(b"kezek-child\n");
        mac.update(iin.as_bytes());
        sha256_hex(&mac.finalize().into_bytes())[..32].to_string()
    }

    /// Signs the chain head at `now` unless it is signed already; returns the checkpoint of the
    /// head (new or kept).
    pub async fn checkpoint(&self, db: &Db, now: i64) -> Result<Checkpoint, String> {
        // PostgreSQL's intake is linked first: the head then covers every change acknowledged.
        let head: Result<(i64, String), crate::engine::EngineError> =
            crate::store::write_tx!(db, |c| async {
                crate::engine::events::chain_pending(c, 100_000).await?;
                Ok(c.get("SELECT seq, hash FROM chain_head WHERE id = 1", &[])
                    .await
                    .map_err(StoreError::from)?)
            });
        let (seq, hash) = head.map_err(|e| e.to_string())?;
        self.keep(db, self.key.sign(seq, &hash, now)).await
    }

    /// Stores `cp` unless its sequence number has a checkpoint; returns the stored one.
    async fn keep(&self, db: &Db, cp: Checkpoint) -> Result<Checkpoint, String> {
        let seq = cp.seq;
        let stored: StoreResult<Checkpoint> = crate::store::write_tx!(db, |c| {
            let cp = cp.clone();
            async move {
                c.exec(
                    "INSERT INTO checkpoints (seq, hash, at, kid, signature) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (seq) DO NOTHING",
                    &[
                        cp.seq.into(),
                        (&cp.hash).into(),
                        cp.at.into(),
                        (&cp.kid).into(),
                        (&cp.signature).into(),
                    ],
                )
                .await?;
                Ok(c.get::<Checkpoint>(
                    &format!("SELECT {CHECKPOINT_COLUMNS} FROM checkpoints WHERE seq = $1"),
                    &[seq.into()],
                )
                .await?)
            }
        });
        stored.map_err(|e| e.to_string())
    }

    /// The newest checkpoints, newest first.
    pub async fn checkpoints(&self, db: &Db, limit: i64) -> Result<Vec<Checkpoint>, String> {
        let sql =
            format!("SELECT {CHECKPOINT_COLUMNS} FROM checkpoints ORDER BY seq DESC LIMIT $1");
        let list: StoreResult<Vec<Checkpoint>> =
            crate::store::read_tx!(db, |c| async { Ok(c.all(&sql, &[limit.into()]).await?) });
        list.map_err(|e| e.to_string())
    }

    /// Reads one moment with every event of it chained (PostgreSQL links its intake first,
    /// and reads again while changes arrive faster than it links).
    async fn settled(&self, db: &Db) -> Result<Snapshot, String> {
        for _ in 0..50 {
            let s = snapshot(db).await.map_err(|e| e.to_string())?;
            if s.unchained == 0 {
                return Ok(s);
            }
            let linked: Result<u64, crate::engine::EngineError> =
                crate::store::write_tx!(db, |c| crate::engine::events::chain_pending(c, 100_000));
            linked.map_err(|e| e.to_string())?;
        }
        Err("the event log kept changing; try again".into())
    }

    /// Makes the export `name` (a directory under the root, replaced whole) at `now`.
    pub async fn export(&self, db: &Db, name: &str, now: i64) -> Result<Manifest, String> {
        let _one = self.busy.lock().await;
        self.make(db, name, now).await
    }

    /// The export on demand (`now`): made again only when the last one is older than
    /// `max_age_ms`, so that a crowd asking at once costs one export.
    pub async fn on_demand(&self, db: &Db, now: i64, max_age_ms: i64) -> Result<Manifest, String> {
        let _one = self.busy.lock().await;
        match self.manifest("now") {
            Some(m) if now - m.made_at < max_age_ms => Ok(m),
            _ => self.make(db, "now", now).await,
        }
    }

    async fn make(&self, db: &Db, name: &str, now: i64) -> Result<Manifest, String> {
        let s = self.settled(db).await?;
        let cp = self
            .keep(db, self.key.sign(s.head.0, &s.head.1, now))
            .await?;
        let mut checkpoints = s.checkpoints.clone();
        if checkpoints.last().map(|c| c.seq) != Some(cp.seq) {
            checkpoints.push(cp);
        }
        let waiting = s.queue.iter().filter(|q| q.6 == "waiting").map(|q| {
            let key = QueueKey {
                priority: q.3,
                applied_at: q.4,
                id: q.5,
            };
            (q.1.as_str(), q.2, key)
        });
        let at = positions(&s.rules, &s.turns, waiting);
        let queue: Vec<QueueRow> = s
            .queue
            .iter()
            .map(|q| QueueRow {
                pseudonym: self.pseudonym(&q.0),
                application: q.1.clone(),
                cohort: q.2,
                applied_at: q.4,
                status: q.6.clone(),
                position: at.get(&q.1).copied(),
            })
            .collect();
        let postings: Vec<PostingRow> = s.postings.iter().map(PostingRow::from).collect();
        let referrals: Vec<ReferralRow> = s.referrals.iter().map(ReferralRow::from).collect();
        let mut files: Vec<(&str, Vec<u8>)> = vec![
            ("events.csv", csv::write(&s.events).into_bytes()),
            ("events.json", json(&s.events)),
            ("queue.csv", csv::write(&queue).into_bytes()),
            ("queue.json", json(&queue)),
            ("seat-postings.csv", csv::write(&postings).into_bytes()),
            ("seat-postings.json", json(&postings)),
            ("referrals.csv", csv::write(&referrals).into_bytes()),
            ("referrals.json", json(&referrals)),
            ("checkpoints.json", json(&checkpoints)),
            ("checkpoint-key.json", json(&self.key.published())),
        ];
        let manifest = Manifest {
            format: FORMAT.into(),
            name: name.into(),
            made_at: now,
            seq: s.head.0,
            hash: s.head.1.clone(),
            events: s.events.len() as u64,
            queue: queue.len() as u64,
            seat_postings: postings.len() as u64,
            referrals: referrals.len() as u64,
            files: files
                .iter()
                .map(|(name, bytes)| FileSum {
                    name: name.to_string(),
                    bytes: bytes.len() as u64,
                    sha256: sha256_hex(bytes),
                })
                .collect(),
        };
        files.push(("manifest.json", json(&manifest)));
        debug_assert_eq!(files.iter().map(|f| f.0).collect::<Vec<_>>(), FILES);
        let sums: String = files
            .iter()
            .map(|(name, bytes)| format!("{}  {name}\n", sha256_hex(bytes)))
            .collect();
        files.push(("SHA256SUMS", sums.into_bytes()));
        self.write(name, &files)
            .map_err(|e| format!("{name}: {e}"))?;
        Ok(manifest)
    }

    /// Writes the files into a fresh directory, then puts it in place of `name`.
    fn write(&self, name: &str, files: &[(&str, Vec<u8>)]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.root)?;
        let fresh = self.root.join(format!(".{name}.new"));
        let _ = std::fs::remove_dir_all(&fresh);
        std::fs::create_dir(&fresh)?;
        for (file, bytes) in files {
            std::fs::write(fresh.join(file), bytes)?;
            // The large files also gzipped beside them (a fifth of the size): sent as they are
            // to whoever accepts gzip; the checksums are of the files themselves.
            if bytes.len() >= GZIP_FROM {
                let mut gz = flate2::write::GzEncoder::new(
                    std::fs::File::create(fresh.join(format!("{file}.gz")))?,
                    flate2::Compression::default(),
                );
                std::io::Write::write_all(&mut gz, bytes)?;
                gz.finish()?;
            }
        }
        let old = self.root.join(format!(".{name}.old"));
        let _ = std::fs::remove_dir_all(&old);
        let place = self.root.join(name);
        if place.exists() {
            std::fs::rename(&place, &old)?;
        }
        std::fs::rename(&fresh, &place)?;
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }

    /// The manifests of the exports kept, newest first.
    pub fn exports(&self) -> Vec<Manifest> {
        let Ok(dir) = std::fs::read_dir(&self.root) else {
            return Vec::new();
        };
        let mut out: Vec<Manifest> = dir
            .filter_map(|e| e.ok())
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(|e| std::fs::read(e.path().join("manifest.json")).ok())
            .filter_map(|b| serde_json::from_slice(&b).ok())
            .collect();
        out.sort_by_key(|m: &Manifest| std::cmp::Reverse(m.made_at));
        out
    }

    /// The manifest of export `name`, if there is one.
    pub fn manifest(&self, name: &str) -> Option<Manifest> {
        let bytes = std::fs::read(self.file(name, "manifest.json")?).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The path of one file of an export, for names of the right shape only.
    pub fn file(&self, name: &str, file: &str) -> Option<PathBuf> {
        let name_ok = name == "now"
            || (name.len() == 10 && name.chars().all(|c| c.is_ascii_digit() || c == '-'));
        let file_ok = file == "SHA256SUMS" || FILES.contains(&file);
        (name_ok && file_ok).then(|| self.root.join(name).join(file))
    }

    /// Removes the daily exports beyond the newest `keep`.
    pub fn prune(&self, keep: usize) {
        for m in self
            .exports()
            .into_iter()
            .filter(|m| m.name != "now")
            .skip(keep)
        {
            let _ = std::fs::remove_dir_all(self.root.join(&m.name));
        }
    }
}

fn json<T: serde::Serialize + ?Sized>(v: &T) -> Vec<u8> {
    serde_json::to_vec_pretty(v).expect("plain data serializes")
}

impl From<&PostingLine> for PostingRow {
    fn from(l: &PostingLine) -> Self {
        PostingRow {
            at: l.at,
            kindergarten_id: l.place.id,
            kindergarten: l.place.number,
            district: l.place.district.clone(),
            cohort: l.cohort,
            free_before: l.before,
            free_after: l.after,
        }
    }
}

impl From<&ReferralLine> for ReferralRow {
    fn from(l: &ReferralLine) -> Self {
        ReferralRow {
            code: l.code.clone(),
            kindergarten_id: l.place.id,
            kindergarten: l.place.number,
            district: l.place.district.clone(),
            cohort: l.cohort,
            issued_at: l.issued_at,
            expires_at: l.expires_at,
            state: l.state.clone(),
            staff_order: l.staff_order.clone(),
            staff_reason: l.staff_reason.clone(),
            extension_reason: l.extension_reason.clone(),
        }
    }
}
