//! Server functions, one file per area. Each is thin: validate, call the store or engine, map
//! the error. Their bodies are compiled into the server only. The HTTP status of an error
//! answer comes from the error itself (`server::http::error_status`), in one place.

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
        use_context::<AppState>().map(|s| s.store).ok_or_else(|| {
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
}
