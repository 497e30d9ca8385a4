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
