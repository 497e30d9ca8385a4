//! The engine's operations compiled against SQLite.

pub type Db = sqlx::Sqlite;
/// SQLite has one writer at a time (the group-commit writer): no row locks to take.
pub const FOR_UPDATE: &str = "";

#[path = "ops.rs"]
pub mod ops;
