//! What every request handler and server function can reach on the server.

use crate::engine::Engine;
use crate::store::Db;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub engine: Arc<Engine>,
    /// Sign-in: the signature verifier, the dev CA in dev mode, the cookie settings.
    pub auth: Arc<crate::auth::sign_in::Auth>,
    /// The key that signs referrals' QR tokens.
    pub referral_keys: Arc<crate::tokens::ReferralKeys>,
    /// The open data: its exports, checkpoints and keys.
    pub open_data: Arc<crate::opendata::export::OpenData>,
    /// The map's tile layer (`KEZEK_MAP_TILES`, `KEZEK_MAP_ATTRIBUTION`).
    pub map_tiles: Arc<crate::domain::map::MapTiles>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
