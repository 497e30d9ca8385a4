//! Server functions, one file per area. Each is thin: validate, call the store or engine, map
//! the error. Their bodies are compiled into the server only. The HTTP status of an error
//! answer comes from the error itself (`server::http::error_status`), in one place.

pub mod account;
pub mod directory;
pub mod map;
pub mod public;
pub mod queue;

#[cfg(feature = "ssr")]
pub(crate) mod server {
    //! Helpers shared by server function bodies.

    use crate::engine::{Actor, Engine, EngineError};
    use crate::error::AppError;
    use crate::state::AppState;
    use crate::store::{Db, StoreError};
    use leptos::prelude::*;
    use std::sync::Arc;

    /// The cookie that carries a session token.
    pub const SESSION_COOKIE: &str = "kezek_session";

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the server function context");
            AppError::Internal
        })
    }

    /// The engine of the running server.
    pub fn engine() -> Result<Arc<Engine>, AppError> {
        state().map(|s| s.engine)
    }

    /// The database of the running server.
    pub fn db() -> Result<Db, AppError> {
        state().map(|s| s.db)
    }

    /// Who is asking: the holder of a live session, or 401.
    pub async fn actor() -> Result<Actor, AppError> {
        let token = use_context::<http::request::Parts>().and_then(|parts| {
            crate::auth::sessions::token_in(
                parts
                    .headers
                    .get_all(http::header::COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok()),
            )
        });
        let Some(token) = token else {
            return Err(AppError::Unauthorized);
        };
        let now = engine()?.ctx().now;
        crate::auth::sessions::actor(&db()?, now, &token)
            .await
            .map_err(store_error)?
            .ok_or(AppError::Unauthorized)
    }

    /// The engine's refusal as is; storage trouble logged and named only by its kind.
    pub fn engine_error(e: EngineError) -> AppError {
        e.to_app()
    }

    /// Logs storage detail and turns it into what the browser may know.
    pub fn store_error(e: StoreError) -> AppError {
        engine_error(EngineError::Store(e))
    }
}
