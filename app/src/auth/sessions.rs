//! Sessions: the browser holds a random token in the `kezek_session` cookie; only the token's
//! SHA-256 is stored, with the actor, whose it is, and its two deadlines: an absolute one
//! (`expires_at`, at most [`ABSOLUTE_HOURS`] after sign-in) and an idle one ([`IDLE_MS`] after
//! it was last used, `seen_at`).

use crate::domain::Iin;
use crate::engine::chain::sha256_hex;
use crate::engine::Actor;
use crate::store::sql::Sql;
use crate::store::{read_tx, write_tx, Db, StoreError, StoreResult};

/// The session token in a `Cookie` header, under `kezek_session` or, over HTTPS,
/// `__Host-kezek_session`.
pub fn token_in<'a>(cookie_headers: impl Iterator<Item = &'a str>) -> Option<String> {
    cookie_headers
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| k.trim_start_matches("__Host-") == "kezek_session")
        .map(|(_, v)| v.to_string())
}

/// A session ends this long after its last use.
pub const IDLE_MS: i64 = 30 * 60_000;
/// And at most this long after sign-in, however busy.
pub const ABSOLUTE_HOURS: i64 = 12;
/// Last use is written at most this often per session.
const SEEN_EVERY_MS: i64 = 60_000;

/// 32 random bytes from the kernel, as hex.
pub fn new_token() -> std::io::Result<String> {
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
    create_for(db, now, actor, None, ttl_hours).await
}

/// As [`create`], for the person `iin` (whose sessions sign-out everywhere ends).
pub async fn create_for(
    db: &Db,
    now: i64,
    actor: &Actor,
    iin: Option<&Iin>,
    ttl_hours: i64,
) -> StoreResult<Option<String>> {
    let Some((role, parent, kindergarten)) = stored(actor) else {
        return Ok(None);
    };
    let token = new_token().map_err(|e| {
        tracing::error!(error = %e, "no randomness for a session token");
        StoreError::Down("no randomness for a session token")
    })?;
    let hash = sha256_hex(token.as_bytes());
    let expires = now + ttl_hours.clamp(1, ABSOLUTE_HOURS) * 3_600_000;
    let person = iin.map(|i| i.digits()).or_else(|| parent.clone());
    write_tx!(db, |c| async {
        c.exec(
            "INSERT INTO sessions (token_hash, role, parent_iin, kindergarten_id, created_at, \
             expires_at, iin, seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $5)",
            &[
                (&hash).into(),
                role.into(),
                parent.as_deref().into(),
                kindergarten.into(),
                now.into(),
                expires.into(),
                person.as_deref().into(),
            ],
        )
        .await?;
        Ok::<(), StoreError>(())
    })?;
    Ok(Some(token))
}

/// Who holds `token` at `now`, if it names a live session (neither past its absolute end nor
/// idle for [`IDLE_MS`]). Marks it used (at most once a minute).
pub async fn actor(db: &Db, now: i64, token: &str) -> StoreResult<Option<Actor>> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = sha256_hex(token.as_bytes());
    let row: Option<(String, Option<String>, Option<i64>, i64)> = read_tx!(db, |c| async {
        let c: &mut dyn Sql = c;
        Ok::<_, StoreError>(
            c.first(
                "SELECT role, parent_iin, kindergarten_id, COALESCE(seen_at, created_at) \
                 FROM sessions WHERE token_hash = $1 AND expires_at > $2",
                &[(&hash).into(), now.into()],
            )
            .await?,
        )
    })?;
    let Some((role, iin, k, seen)) = row else {
        return Ok(None);
    };
    if seen + IDLE_MS <= now {
        return Ok(None);
    }
    if seen + SEEN_EVERY_MS <= now {
        write_tx!(db, |c| async {
            c.exec(
                "UPDATE sessions SET seen_at = $2 WHERE token_hash = $1",
                &[(&hash).into(), now.into()],
            )
            .await?;
            Ok::<(), StoreError>(())
        })?;
    }
    Ok(match (role.as_str(), iin, k) {
        ("parent", Some(iin), _) => Iin::parse(&iin).ok().map(Actor::Parent),
        ("head", _, Some(k)) => Some(Actor::Head { kindergarten_id: k }),
        ("admin", _, _) => Some(Actor::Admin),
        _ => None,
    })
}

/// Ends the session `token` (sign-out). Returns whether there was one.
pub async fn end(db: &Db, token: &str) -> StoreResult<bool> {
    let hash = sha256_hex(token.as_bytes());
    let n = write_tx!(db, |c| async {
        Ok::<u64, StoreError>(
            c.exec(
                "DELETE FROM sessions WHERE token_hash = $1",
                &[(&hash).into()],
            )
            .await?,
        )
    })?;
    Ok(n > 0)
}

/// Ends every session of the person who holds `token` (sign-out everywhere); returns how many.
pub async fn end_all(db: &Db, token: &str) -> StoreResult<u64> {
    let hash = sha256_hex(token.as_bytes());
    write_tx!(db, |c| async {
        Ok::<u64, StoreError>(
            c.exec(
                "DELETE FROM sessions WHERE iin = (SELECT iin FROM sessions WHERE token_hash = $1) \
                 OR token_hash = $1",
                &[(&hash).into()],
            )
            .await?,
        )
    })
}

/// Ends every session of `iin` in `role` (a head whose assignment was revoked).
pub async fn end_role(db: &Db, iin: &Iin, role: &'static str) -> StoreResult<u64> {
    let iin = iin.digits();
    write_tx!(db, |c| async {
        Ok::<u64, StoreError>(
            c.exec(
                "DELETE FROM sessions WHERE iin = $1 AND role = $2",
                &[(&iin).into(), role.into()],
            )
            .await?,
        )
    })
}

/// The education department's member behind an admin session, as the public log names them:
/// `admin #N`, N the number of their grant (`role.admin_granted`), never the IIN.
pub async fn admin_pseudonym(db: &Db, token: &str) -> StoreResult<Option<String>> {
    let hash = sha256_hex(token.as_bytes());
    let id: Option<(i64,)> = read_tx!(db, |c| async {
        let c: &mut dyn Sql = c;
        Ok::<_, StoreError>(
            c.first(
                "SELECT a.id FROM sessions s JOIN admins a ON a.iin = s.iin \
                 WHERE s.token_hash = $1 AND s.role = 'admin'",
                &[(&hash).into()],
            )
            .await?,
        )
    })?;
    Ok(id.map(|(id,)| format!("admin #{id}")))
}
