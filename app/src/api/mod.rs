//! Server functions, one file per area. Each is thin: validate, call the store or engine, map
//! the error. Their bodies are compiled into the server only. The HTTP status of an error
//! answer comes from the error itself (`server::http::error_status`), in one place.

pub mod directory;
pub mod queue;

#[cfg(feature = "ssr")]
pub(crate) mod server {
    //! Helpers shared by server function bodies.

    use crate::engine::{Actor, Engine, EngineError};
    use crate::error::AppError;
    use crate::state::AppState;
    use crate::store::{DynStore, StoreError};
    use leptos::prelude::*;
    use std::sync::Arc;

    /// The cookie that carries a session token.
    pub const SESSION_COOKIE: &str = "kezek_session";

    /// The engine of the running server.
    pub fn engine() -> Result<Arc<Engine>, AppError> {
        use_context::<AppState>().map(|s| s.engine).ok_or_else(|| {
            tracing::error!("AppState missing from the server function context");
            AppError::Internal
        })
    }

    /// Who is asking: the holder of a live session, or 401.
    pub async fn actor() -> Result<Actor, AppError> {
        let token = use_context::<http::request::Parts>().and_then(|parts| {
            parts
                .headers
                .get_all(http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|kv| kv.trim().split_once('='))
                .find(|(k, _)| *k == SESSION_COOKIE)
                .map(|(_, v)| v.to_string())
        });
        let Some(token) = token else {
            return Err(AppError::Unauthorized);
        };
        engine()?
            .session_actor(&token)
            .await
            .map_err(engine_error)?
            .ok_or(AppError::Unauthorized)
    }

    /// The engine's refusal as is; storage trouble logged and turned into what the browser
    /// may know.
    pub fn engine_error(e: EngineError) -> AppError {
        match e {
            EngineError::Refused(e) => e,
            EngineError::Store(s) => store_error(s),
        }
    }

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
