//! SQLite's group commit: one writer thread owns one connection and commits many operations
//! per transaction.
//!
//! With `synchronous=FULL` each commit waits for the disk, so one operation per commit is
//! bounded by the disk's flush rate. The writer takes every operation waiting in its queue
//! (up to [`MAX_BATCH`]), runs each inside its own savepoint (a refused operation rolls back
//! alone), commits once, and only then answers each caller. Nothing is acknowledged before it
//! is on disk, and a failed commit answers every operation of the batch with an error.
//!
//! The connection is SQLite's own C interface (`raw.rs`), used synchronously on this thread:
//! the operations are the engine's ordinary async functions, which never wait here.

use super::raw::RawSqlite;
use super::sql::Sql;
use super::StoreError;
use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use tokio::sync::{mpsc, oneshot};

/// Most operations committed together.
pub const MAX_BATCH: usize = 512;

/// What an operation answered: whether it succeeded (so it is kept) and its whole result
/// (`Result<T, E>`, boxed), handed back to its caller after the commit.
type Outcome = (bool, Box<dyn Any + Send>);
type WorkFuture<'c> = Pin<Box<dyn Future<Output = Outcome> + Send + 'c>>;
type Work = Box<dyn for<'c> FnOnce(&'c mut dyn Sql) -> WorkFuture<'c> + Send>;

struct Job {
    work: Work,
    reply: oneshot::Sender<Result<Box<dyn Any + Send>, StoreError>>,
}

/// The handle that sends operations to the writer thread.
pub struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    /// Opens the writer's own connection to the database file and starts its thread.
    pub fn start(path: &std::path::Path) -> Result<Writer, StoreError> {
        let conn = RawSqlite::open(path)?;
        let checkpoints = RawSqlite::open(path)?;
        let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
        let (wake_checkpoint, wake) = std::sync::mpsc::sync_channel(1);
        let thread = |name: &str| std::thread::Builder::new().name(name.into());
        let cannot = |e| StoreError::Config(format!("cannot start the writer threads: {e}"));
        thread("kezek-sqlite-checkpoint")
            .spawn(move || checkpoint(checkpoints, wake))
            .map_err(cannot)?;
        thread("kezek-sqlite-writer")
            .spawn(move || run(conn, rx, wake_checkpoint))
            .map_err(cannot)?;
        Ok(Writer { tx })
    }

    /// Runs `f` inside the next group transaction and returns its result once committed. An
    /// `Err` from `f` rolls back `f`'s work alone; a failed commit answers `Unavailable`.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: for<'c> FnOnce(
                &'c mut dyn Sql,
            ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send
            + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let work: Work = Box::new(move |c| {
            Box::pin(async move {
                let r = f(c).await;
                (r.is_ok(), Box::new(r) as Box<dyn Any + Send>)
            })
        });
        self.tx
            .send(Job { work, reply })
            .await
            .map_err(|_| writer_gone())?;
        let value = answer.await.map_err(|_| writer_gone())??;
        match value.downcast::<Result<T, E>>() {
            Ok(r) => *r,
            Err(_) => Err(StoreError::Config("writer answered another type".into()).into()),
        }
    }
}

fn writer_gone() -> StoreError {
    tracing::error!("the SQLite writer has stopped");
    StoreError::Down("the SQLite writer has stopped")
}

fn unavailable() -> StoreError {
    StoreError::Down("the group transaction failed")
}

/// How often at most the checkpoint thread copies committed pages from the WAL into the
/// database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// Copies committed pages from the write-ahead log into the database file on a thread and a
/// connection of its own, so that the writer only ever appends to the log. A passive
/// checkpoint never blocks the writer; the writer's own automatic checkpoint (after
/// [`super::raw::WAL_PAGES`] pages) remains as the bound on the log's size, and finds little
/// left to copy. Checkpoints do not touch durability: a commit is on disk once its log frames
/// are synced, before it is acknowledged.
fn checkpoint(mut conn: RawSqlite, wake: std::sync::mpsc::Receiver<()>) {
    while wake.recv().is_ok() {
        let started = std::time::Instant::now();
        if let Err(e) = conn.batch("PRAGMA wal_checkpoint(PASSIVE)") {
            tracing::warn!(error = %e, "background checkpoint failed; the writer's own will run");
        }
        std::thread::sleep(CHECKPOINT_EVERY.saturating_sub(started.elapsed()));
    }
}

fn run(
    mut conn: RawSqlite,
    mut rx: mpsc::Receiver<Job>,
    wake_checkpoint: std::sync::mpsc::SyncSender<()>,
) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if let Err(e) = conn.control("BEGIN IMMEDIATE") {
            tracing::warn!(error = %e, "cannot begin a write transaction");
            for job in batch.drain(..) {
                let _ = job.reply.send(Err(unavailable()));
            }
            continue;
        }
        type Reply = oneshot::Sender<Result<Box<dyn Any + Send>, StoreError>>;
        let mut done: Vec<(Reply, Box<dyn Any + Send>)> = Vec::with_capacity(batch.len());
        let mut broken = None;
        for job in batch.drain(..) {
            if broken.is_some() {
                let _ = job.reply.send(Err(unavailable()));
                continue;
            }
            if let Err(e) = conn.control("SAVEPOINT op") {
                broken = Some(e);
                let _ = job.reply.send(Err(unavailable()));
                continue;
            }
            // The operation never waits on this connection: it completes in one poll.
            let (ok, value) = futures::executor::block_on((job.work)(&mut conn));
            if ok {
                match conn.control("RELEASE op") {
                    Ok(()) => done.push((job.reply, value)),
                    Err(e) => {
                        broken = Some(e);
                        let _ = job.reply.send(Err(unavailable()));
                    }
                }
            } else {
                // This operation changes nothing; the others in the batch go on. Its own
                // answer (a refusal) needs no commit.
                if let Err(e) = conn
                    .control("ROLLBACK TO op")
                    .and_then(|()| conn.control("RELEASE op"))
                {
                    broken = Some(e);
                }
                let _ = job.reply.send(Ok(value));
            }
        }
        let committed = match broken {
            None => conn.control("COMMIT"),
            Some(e) => Err(e),
        };
        match committed {
            Ok(()) => {
                // Wakes the checkpoint thread unless it is already awake.
                let _ = wake_checkpoint.try_send(());
                for (reply, v) in done {
                    let _ = reply.send(Ok(v));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "group commit failed; the batch is rolled back");
                let _ = conn.control("ROLLBACK");
                for (reply, _) in done {
                    let _ = reply.send(Err(unavailable()));
                }
            }
        }
    }
}
