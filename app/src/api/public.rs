//! The public pages' data: the queue's figures and the protocols. No sign-in, nothing personal.

use crate::domain::protocol::{PostingLine, Protocol, ReferralLine};
use crate::domain::stats::Statistics;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The queue's figures now (read at most a few seconds ago: every reader shares a reading).
#[server(input = GetUrl, endpoint = "statistics")]
pub async fn get_statistics() -> Result<Statistics, AppError> {
    use super::server::*;
    let now = engine()?.ctx().now;
    db()?.statistics(now).await.map_err(store_error)
}

/// A page of the seat postings; the arguments are the raw form values ("" is any).
#[server(input = GetUrl, endpoint = "protocols/seats")]
pub async fn seat_protocol(
    district: String,
    kindergarten: String,
    day: String,
    page: String,
) -> Result<Protocol<PostingLine>, AppError> {
    use super::server::*;
    use crate::domain::protocol::ProtocolFilter;
    let f = ProtocolFilter::parse(&district, &kindergarten, &day, &page)?;
    db()?.seat_protocol(&f).await.map_err(store_error)
}

/// A page of the referrals issued; the arguments are the raw form values ("" is any).
#[server(input = GetUrl, endpoint = "protocols/referrals")]
pub async fn referral_protocol(
    district: String,
    kindergarten: String,
    day: String,
    page: String,
) -> Result<Protocol<ReferralLine>, AppError> {
    use super::server::*;
    use crate::domain::protocol::ProtocolFilter;
    let f = ProtocolFilter::parse(&district, &kindergarten, &day, &page)?;
    db()?.referral_protocol(&f).await.map_err(store_error)
}

/// What `/open-data` lists: the exports kept, the newest checkpoint and the checkpoint key.
#[server(input = GetUrl, endpoint = "open-data/index")]
pub async fn open_data_index() -> Result<crate::domain::open_data::OpenDataIndex, AppError> {
    use super::server::*;
    let s = state()?;
    let checkpoint = s
        .open_data
        .checkpoints(&s.db, 1)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "reading the newest checkpoint failed");
            AppError::Unavailable
        })?
        .pop();
    Ok(crate::domain::open_data::OpenDataIndex {
        exports: s.open_data.exports(),
        checkpoint,
        key: s.open_data.published_key(),
    })
}

/// An export of this moment (`/open-data/now/`), made again at most every five minutes.
#[server(endpoint = "open-data/now")]
pub async fn export_now() -> Result<crate::domain::open_data::Manifest, AppError> {
    use super::server::*;
    let s = state()?;
    let now = s.engine.ctx().now;
    s.open_data
        .on_demand(&s.db, now, 5 * 60_000)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "the export on demand failed");
            AppError::Unavailable
        })
}
