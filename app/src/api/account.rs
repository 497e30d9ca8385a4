//! Who is signed in, for the sign-in and account pages.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// The person signed in (never their IIN) and what the sign-in page may offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    /// `parent`, `head` or `admin`; `None` when nobody is signed in.
    pub role: Option<String>,
    /// A head's kindergarten.
    pub kindergarten_id: Option<i64>,
    /// Dev mode: the sign-in page offers the dev people.
    pub dev: bool,
}

#[server(input = GetUrl, endpoint = "auth/me")]
pub async fn who_am_i() -> Result<Me, AppError> {
    use super::server::*;
    use crate::engine::Actor;
    let dev = state()?.auth.dev.is_some();
    let (role, kindergarten_id) = match actor().await {
        Ok(Actor::Parent(_)) => (Some("parent"), None),
        Ok(Actor::Head { kindergarten_id }) => (Some("head"), Some(kindergarten_id)),
        Ok(Actor::Admin) => (Some("admin"), None),
        Ok(_) | Err(AppError::Unauthorized) => (None, None),
        Err(e) => return Err(e),
    };
    Ok(Me {
        role: role.map(str::to_string),
        kindergarten_id,
        dev,
    })
}
