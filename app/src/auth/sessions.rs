//! Sessions: the browser holds a random token in the `kezek_session` cookie; only the token's
//! SHA-256 is stored, with the actor and an expiry.

use crate::domain::Iin;
use crate::engine::chain::sha256_hex;
use crate::engine::Actor;
use crate::store::sql::Sql;
use crate::store::{read_tx, write_tx, Db, StoreError, StoreResult};

/// 32 random bytes from the kernel, as hex.
fn new_token() -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The stored form of an actor: (role, parent IIN, kindergarten).
fn stored(actor: &Actor) -> Option<(&'static str, Option<String>, Option<i64>)> {
    match actor {
        Actor::Parent(iin) => Some(("parent", Some(iin.digits()), None)),
        Actor::Head { kindergarten_id } => Some(("head", None, Some(*kindergarten_id))),
        Actor::Admin => Some(("admin", None, None)),
        Actor::Public | Actor::System => None,
    }
}

/// Opens a session for `actor` lasting `ttl_hours` from `now` (Unix ms); returns the token for
/// the cookie. `None` for an actor that cannot hold a session.
pub async fn create(
    db: &Db,
    now: i64,
    actor: &Actor,
    ttl_hours: i64,
) -> StoreResult<Option<String>> {
    let Some((role, iin, kindergarten)) = stored(actor) else {
        return Ok(None);
    };
    let token = new_token().map_err(|e| {
        tracing::error!(error = %e, "no randomness for a session token");
        StoreError::Down("no randomness for a session token")
    })?;
    let hash = sha256_hex(token.as_bytes());
    let expires = now + ttl_hours.clamp(1, 24 * 90) * 3_600_000;
    write_tx!(db, |c| async {
        c.exec(
            "INSERT INTO sessions (token_hash, role, parent_iin, kindergarten_id, created_at, \
             expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                (&hash).into(),
                role.into(),
                iin.as_deref().into(),
                kindergarten.into(),
                now.into(),
                expires.into(),
            ],
        )
        .await?;
        Ok::<(), StoreError>(())
    })?;
    Ok(Some(token))
}

/// Who holds `token` at `now`, if it names a live session.
pub async fn actor(db: &Db, now: i64, token: &str) -> StoreResult<Option<Actor>> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = sha256_hex(token.as_bytes());
    let row: Option<(String, Option<String>, Option<i64>)> = read_tx!(db, |c| async {
        let c: &mut dyn Sql = c;
        Ok::<_, StoreError>(
            c.first(
                "SELECT role, parent_iin, kindergarten_id FROM sessions \
                 WHERE token_hash = $1 AND expires_at > $2",
                &[(&hash).into(), now.into()],
            )
            .await?,
        )
    })?;
    Ok(
        row.and_then(|(role, iin, k)| match (role.as_str(), iin, k) {
            ("parent", Some(iin), _) => Iin::parse(&iin).ok().map(Actor::Parent),
            ("head", _, Some(k)) => Some(Actor::Head { kindergarten_id: k }),
            ("admin", _, _) => Some(Actor::Admin),
            _ => None,
        }),
    )
}
