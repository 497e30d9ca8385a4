//! Server functions, one file per area. Each is thin: validate, call the store or engine, map
//! the error. Their bodies are compiled into the server only.

pub mod directory;

#[cfg(feature = "ssr")]
pub(crate) mod server {
    //! Helpers shared by server function bodies.

    use crate::error::AppError;
    use crate::state::AppState;
    use crate::store::{DynStore, StoreError};
    use leptos::prelude::*;

    /// The store of the running server.
    pub fn store() -> Result<DynStore, AppError> {
        use_context::<AppState>()
            .map(|s| s.store)
            .ok_or_else(|| {
                tracing::error!("AppState missing from the server function context");
                AppError::Internal
            })
    }

    /// Logs storage detail and turns it into what the browser may know.
    pub fn store_error(e: StoreError) -> AppError {
        match e {
            StoreError::Unavailable(ref inner) => {
                tracing::warn!(error = %inner, "database unavailable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "storage failure");
                AppError::Internal
            }
        }
    }

    /// Sets the HTTP status of the response to match the outcome, so that bad input is a 4xx
    /// and never a 500.
    pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(e) = &result {
            if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
                opts.set_status(
                    http::StatusCode::from_u16(e.status())
                        .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
                );
            }
        }
        result
    }
}
