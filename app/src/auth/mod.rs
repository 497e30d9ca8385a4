//! Identity: who holds a session. Sessions are not queue rules, so they live here, beside the
//! engine, over the same database.

pub mod sessions;
