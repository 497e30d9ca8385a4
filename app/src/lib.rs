//! Kezek: the city's unified kindergarten queue.
//!
//! One codebase for the server and the browser. `domain` and `i18n` are plain Rust shared by
//! both; `api` holds the server functions (their bodies run on the server only); `ui` holds
//! the pages; `store`, `engine`, `auth` and `demo` exist only in the server build (`ssr`).

pub mod api;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod admin;
#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
pub mod keyfile;
#[cfg(feature = "ssr")]
pub mod legacy;
#[cfg(feature = "ssr")]
pub mod notify;
#[cfg(feature = "ssr")]
pub mod opendata;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod tokens;

pub use ui::{shell, App};
