//! SQLite's group commit: one writer task owns one connection and commits many operations per
//! transaction.
//!
//! With `synchronous=FULL` each commit waits for the disk, so one operation per commit is
//! bounded by the disk's flush rate. The writer takes every operation waiting in its queue
//! (up to [`MAX_BATCH`]), runs each inside its own savepoint (a refused operation rolls back
//! alone), commits once, and only then answers each caller. Nothing is acknowledged before it
//! is on disk, and a failed commit answers every operation of the batch with an error.

use super::{EngineError, EngineResult};
use crate::store::StoreError;
use sqlx::{Connection, SqliteConnection, SqlitePool};
use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use tokio::sync::{mpsc, oneshot};

/// Most operations committed together.
pub const MAX_BATCH: usize = 512;

type Value = Box<dyn Any + Send>;
type WorkFuture<'c> = Pin<Box<dyn Future<Output = EngineResult<Value>> + Send + 'c>>;
type Work = Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> WorkFuture<'c> + Send>;

struct Job {
    work: Work,
    reply: oneshot::Sender<EngineResult<Value>>,
}

/// The handle that sends operations to the writer task.
pub struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    /// Opens the writer's own connection (same settings as the pool) and starts its task.
    pub async fn start(pool: &SqlitePool) -> Result<Writer, StoreError> {
        let options = pool.connect_options();
        let conn = SqliteConnection::connect_with(&options).await?;
        let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(run(conn, rx));
        Ok(Writer { tx })
    }

    /// Runs `f` inside the next group transaction and returns its result once committed.
    pub async fn run<T, F>(&self, f: F) -> EngineResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(
                &'c mut SqliteConnection,
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
        Ok(*value
            .downcast::<T>()
            .expect("the writer answers with the job's own type"))
    }
}

fn writer_gone() -> EngineError {
    tracing::error!("the SQLite writer task has stopped");
    EngineError::Refused(crate::error::AppError::Unavailable)
}

async fn exec(c: &mut SqliteConnection, sql: &str) -> Result<(), sqlx::Error> {
    sqlx::query(sql).execute(&mut *c).await.map(|_| ())
}

async fn run(mut conn: SqliteConnection, mut rx: mpsc::Receiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        if let Err(e) = exec(&mut conn, "BEGIN IMMEDIATE").await {
            tracing::warn!(error = %e, "cannot begin a write transaction");
            for job in batch.drain(..) {
                let _ = job.reply.send(Err(EngineError::from(StoreError::from(
                    sqlx::Error::Protocol("begin failed".into()),
                ))));
            }
            continue;
        }
        let mut done: Vec<(oneshot::Sender<EngineResult<Value>>, Value)> =
            Vec::with_capacity(batch.len());
        let mut broken = None;
        for job in batch.drain(..) {
            if broken.is_some() {
                let _ = job.reply.send(Err(writer_failed()));
                continue;
            }
            if let Err(e) = exec(&mut conn, "SAVEPOINT op").await {
                broken = Some(e);
                let _ = job.reply.send(Err(writer_failed()));
                continue;
            }
            match (job.work)(&mut conn).await {
                Ok(v) => match exec(&mut conn, "RELEASE op").await {
                    Ok(()) => done.push((job.reply, v)),
                    Err(e) => {
                        broken = Some(e);
                        let _ = job.reply.send(Err(writer_failed()));
                    }
                },
                Err(err) => {
                    // This operation changes nothing; the others in the batch go on.
                    let undone = async {
                        exec(&mut conn, "ROLLBACK TO op").await?;
                        exec(&mut conn, "RELEASE op").await
                    }
                    .await;
                    if let Err(e) = undone {
                        broken = Some(e);
                    }
                    let _ = job.reply.send(Err(err));
                }
            }
        }
        let committed = match broken {
            None => exec(&mut conn, "COMMIT").await,
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
                let _ = exec(&mut conn, "ROLLBACK").await;
                for (reply, _) in done {
                    let _ = reply.send(Err(writer_failed()));
                }
            }
        }
    }
}

fn writer_failed() -> EngineError {
    EngineError::Refused(crate::error::AppError::Unavailable)
}
