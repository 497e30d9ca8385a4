//! What can go wrong in the engine, in three kinds that stay apart all the way to the HTTP
//! status: a refusal (the person can act on it: 4xx), an outage (the database is out of reach:
//! 503), and an internal fault (500).

use crate::error::{AppError, Conflict};
use crate::store::{StoreError, TxError};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A refusal the person can act on (bad input, seat gone, not allowed...). Never an
    /// outage or a fault: see [`EngineError::refusal`].
    #[error("refused: {0}")]
    Refused(AppError),
    /// Storage failed: an outage when [`StoreError::is_outage`], otherwise a fault.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<AppError> for EngineError {
    fn from(e: AppError) -> Self {
        EngineError::Refused(e)
    }
}

impl From<Conflict> for EngineError {
    fn from(c: Conflict) -> Self {
        EngineError::Refused(AppError::Conflict(c))
    }
}

impl From<sqlx::Error> for EngineError {
    fn from(e: sqlx::Error) -> Self {
        EngineError::Store(StoreError::from(e))
    }
}

impl TxError for EngineError {
    fn retryable(&self) -> bool {
        matches!(self, EngineError::Store(s) if s.is_retryable())
    }
}

impl EngineError {
    /// The refusal, when it is one (a 4xx answer). Outages and faults are not refusals.
    pub fn refusal(&self) -> Option<AppError> {
        match self {
            EngineError::Refused(e) if e.is_refusal() => Some(*e),
            _ => None,
        }
    }

    /// Whether the database was out of reach (a 503 answer: try again later).
    pub fn is_outage(&self) -> bool {
        match self {
            EngineError::Refused(e) => *e == AppError::Unavailable,
            EngineError::Store(s) => s.is_outage(),
        }
    }

    /// What the browser may know: the refusal as is; storage trouble logged here and named
    /// only by its kind.
    pub fn to_app(self) -> AppError {
        match self {
            EngineError::Refused(e) => e,
            EngineError::Store(s) if s.is_outage() => {
                tracing::warn!(error = %s, "database unavailable");
                AppError::Unavailable
            }
            EngineError::Store(s) => {
                tracing::error!(error = %s, "storage failure");
                AppError::Internal
            }
        }
    }
}

pub type EngineResult<T> = Result<T, EngineError>;

/// A refusal.
pub(crate) fn refused(e: AppError) -> EngineError {
    EngineError::Refused(e)
}

/// A unique-index refusal as the typed conflict it means; anything else as is.
pub(crate) fn unique_as(e: sqlx::Error, c: Conflict) -> EngineError {
    if let sqlx::Error::Database(db) = &e {
        if db.kind() == sqlx::error::ErrorKind::UniqueViolation {
            return c.into();
        }
    }
    e.into()
}
