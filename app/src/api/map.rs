//! The live map's data (public: places and numbers of seats, nothing personal). The live
//! updates come as server-sent events at `/events` (the server crate's `map_feed`).

use crate::domain::map::MapData;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The kindergartens of the unified queue with their free seats per age group, named in the
/// page's language (`lang`: kk, ru or en), and the tile layer to draw them on.
#[server(input = GetUrl, endpoint = "map")]
pub async fn load_map(lang: String) -> Result<MapData, AppError> {
    use super::server::*;
    use crate::i18n::Locale;
    let locale = Locale::from_code(&lang).unwrap_or_default();
    let state = state()?;
    let places = state.db.map_places(locale).await.map_err(store_error)?;
    let mut cohorts: Vec<i32> = places
        .iter()
        .flat_map(|p| p.seats.iter().map(|(c, _)| *c))
        .collect();
    cohorts.sort_unstable();
    cohorts.dedup();
    Ok(MapData {
        places,
        cohorts,
        today: state.engine.ctx().today().to_string(),
        tiles: (*state.map_tiles).clone(),
    })
}

/// Only the tile layer (the choice page's map, whose places come with the choice).
#[server(input = GetUrl, endpoint = "map/tiles")]
pub async fn map_tiles() -> Result<crate::domain::map::MapTiles, AppError> {
    use super::server::*;
    Ok((*state()?.map_tiles).clone())
}
