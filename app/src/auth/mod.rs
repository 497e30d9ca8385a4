//! Identity: who holds a session. Sessions are not queue rules, so they live here, beside the
//! engine, over the same database.

pub mod dev_ca;
pub mod eds;
pub mod mobile;
pub mod ncanode;
pub mod roles;
pub mod sessions;
pub mod sign_in;
