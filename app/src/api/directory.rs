//! The public kindergarten directory.

use crate::domain::{CitySummary, DirectoryPage, KindergartenDetail};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// One page of kindergartens matching the directory form. Arguments are the raw form values;
/// an empty one means "any".
#[server(input = GetUrl, endpoint = "directory")]
pub async fn list_kindergartens(
    q: String,
    district: String,
    lang: String,
    free: String,
    page: String,
) -> Result<DirectoryPage, AppError> {
    use super::server::*;
    use crate::domain::DirectoryFilter;
    let filter = DirectoryFilter::parse(&q, &district, &lang, &free, &page)?;
    db()?.directory(&filter).await.map_err(store_error)
}

/// A kindergarten's page, with its age groups named for today.
#[server(input = GetUrl, endpoint = "kindergarten")]
pub async fn get_kindergarten(id: i64) -> Result<KindergartenDetail, AppError> {
    use super::server::*;
    use crate::domain::Cohort;
    let mut detail = db()?
        .kindergarten(id)
        .await
        .map_err(store_error)?
        .ok_or(AppError::NotFound)?;
    let today = crate::clock::almaty_today();
    for g in &mut detail.groups {
        g.age_group = Cohort::age_group(g.cohort, today);
    }
    Ok(detail)
}

/// Figures for the header of public pages.
#[server(input = GetUrl, endpoint = "summary")]
pub async fn get_city_summary() -> Result<CitySummary, AppError> {
    use super::server::*;
    db()?.city_summary().await.map_err(store_error)
}
