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
use super::{EngineError, EngineResult};
use crate::error::AppError;
use crate::store::StoreError;
use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use tokio::sync::{mpsc, oneshot};

/// Most operations committed together.
pub const MAX_BATCH: usize = 512;

type Value = Box<dyn Any + Send>;
type WorkFuture<'c> = Pin<Box<dyn Future<Output = EngineResult<Value>> + Send + 'c>>;
type Work = Box<dyn for<'c> FnOnce(&'c mut dyn Sql) -> WorkFuture<'c> + Send>;

struct Job {
    work: Work,
    reply: oneshot::Sender<EngineResult<Value>>,
}

/// The handle that sends operations to the writer thread.
pub struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    /// Opens the writer's own connection to the database file and starts its thread.
    pub fn start(path: &std::path::Path) -> Result<Writer, StoreError> {
        let conn = RawSqlite::open(path)?;
        let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
        std::thread::Builder::new()
            .name("kezek-sqlite-writer".into())
            .spawn(move || run(conn, rx))
            .map_err(|e| StoreError::Config(format!("cannot start the writer thread: {e}")))?;
        Ok(Writer { tx })
    }

    /// Runs `f` inside the next group transaction and returns its result once committed.
    pub async fn run<T, F>(&self, f: F) -> EngineResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(
                &'c mut dyn Sql,
            )
                -> Pin<Box<dyn Future<Output = EngineResult<T>> + Send + 'c>>
            + Send
            + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let work: Work =
            Box::new(move |c| Box::pin(async move { f(c).await.map(|v| Box::new(v) as Value) }));
        self.tx
            .send(Job { work, reply })
            .await
            .map_err(|_| writer_gone())?;
        let value = answer.await.map_err(|_| writer_gone())??;
        value
            .downcast::<T>()
            .map(|v| *v)
            .map_err(|_| EngineError::Refused(AppError::Internal))
    }
}

fn writer_gone() -> EngineError {
    tracing::error!("the SQLite writer has stopped");
    EngineError::Refused(AppError::Unavailable)
}

fn unavailable() -> EngineError {
    EngineError::Refused(AppError::Unavailable)
}

fn run(mut conn: RawSqlite, mut rx: mpsc::Receiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if let Err(e) = conn.batch("BEGIN IMMEDIATE") {
            tracing::warn!(error = %e, "cannot begin a write transaction");
            for job in batch.drain(..) {
                let _ = job.reply.send(Err(unavailable()));
            }
            continue;
        }
        let mut done: Vec<(oneshot::Sender<EngineResult<Value>>, Value)> =
            Vec::with_capacity(batch.len());
        let mut broken = None;
        for job in batch.drain(..) {
            if broken.is_some() {
                let _ = job.reply.send(Err(unavailable()));
                continue;
            }
            if let Err(e) = conn.batch("SAVEPOINT op") {
                broken = Some(e);
                let _ = job.reply.send(Err(unavailable()));
                continue;
            }
            // The operation never waits on this connection: it completes in one poll.
            let outcome = futures::executor::block_on((job.work)(&mut conn));
            match outcome {
                Ok(v) => match conn.batch("RELEASE op") {
                    Ok(()) => done.push((job.reply, v)),
                    Err(e) => {
                        broken = Some(e);
                        let _ = job.reply.send(Err(unavailable()));
                    }
                },
                Err(err) => {
                    // This operation changes nothing; the others in the batch go on.
                    if let Err(e) = conn.batch("ROLLBACK TO op; RELEASE op") {
                        broken = Some(e);
                    }
                    let _ = job.reply.send(Err(err));
                }
            }
        }
        let committed = match broken {
            None => conn.batch("COMMIT"),
            Some(e) => Err(e),
        };
        match committed {
            Ok(()) => {
                for (reply, v) in done {
                    let _ = reply.send(Ok(v));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "group commit failed; the batch is rolled back");
                let _ = conn.batch("ROLLBACK");
                for (reply, _) in done {
                    let _ = reply.send(Err(unavailable()));
                }
            }
        }
    }
}
