//! The Kezek server: configuration, HTTP routes and the command line's work, kept apart from
//! `main.rs` so tests can start the real server on port 0.

pub mod admin;
pub mod auth;
pub mod bench;
pub mod config;
pub mod egov;
pub mod http;
pub mod import;
pub mod jobs;
pub mod limits;
pub mod live;
pub mod map_feed;
pub mod open_data;
pub mod outbox;
pub mod seed;
pub mod site;
