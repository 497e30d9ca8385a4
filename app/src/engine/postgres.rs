//! The engine's operations compiled against PostgreSQL.

pub type Db = sqlx::Postgres;
/// Rows read before an update are locked until commit.
pub const FOR_UPDATE: &str = " FOR UPDATE";

#[path = "ops.rs"]
pub mod ops;
