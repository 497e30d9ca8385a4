//! The queue's public pages, for anyone and without signing in: the statistics, the position
//! look-up and the protocols. One lazily loaded chunk serves them all (each lazy route costs the
//! main bundle its own loader), the address picks the page.

mod chart;
mod open_data;
mod position;
mod protocols;
mod statistics;

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use open_data::OpenDataPage;
use position::PositionPage;
use protocols::{Kind, ProtocolPage};
use statistics::StatisticsPage;

#[component]
pub fn PublicPages() -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    match path.trim_end_matches('/') {
        "/statistics" => view! { <StatisticsPage /> }.into_any(),
        "/position" => view! { <PositionPage /> }.into_any(),
        "/open-data" => view! { <OpenDataPage /> }.into_any(),
        "/protocols/referrals" => view! { <ProtocolPage kind=Kind::Referrals /> }.into_any(),
        _ => view! { <ProtocolPage kind=Kind::Seats /> }.into_any(),
    }
}
