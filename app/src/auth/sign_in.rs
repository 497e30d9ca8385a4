//! Signing in: a single-use challenge, its signature checked by the [`EdsVerifier`], the role
//! asked for checked against the assignments, and a new session.

use super::dev_ca::{DevCa, Usage};
use super::eds::EdsVerifier;
use super::sessions;
use crate::domain::Iin;
use crate::engine::chain::sha256_hex;
use crate::engine::Actor;
use crate::error::{AppError, Invalid, SignInError};
use crate::store::sql::Sql;
use crate::store::{read_tx, write_tx, Db, StoreError};

/// A challenge is good for five minutes, once.
pub const CHALLENGE_MS: i64 = 5 * 60_000;

/// The role a person signs in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Parent,
    Head,
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "" | "parent" => Some(Role::Parent),
            "head" => Some(Role::Head),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Role::Parent => "parent",
            Role::Head => "head",
            Role::Admin => "admin",
        }
    }
}

/// Sign-in as the server runs it: the verifier, and in dev mode the dev CA.
pub struct Auth {
    pub verifier: Box<dyn EdsVerifier>,
    /// Present only in dev mode: dev sign-in is refused without it.
    pub dev: Option<DevCa>,
    /// The site is served over HTTPS: cookies are `Secure` and `__Host-` prefixed.
    pub https: bool,
}

fn refused(e: SignInError) -> AppError {
    AppError::Validation(Invalid::SignIn(e))
}

fn down(e: StoreError) -> AppError {
    tracing::error!(error = %e, "sign-in storage");
    AppError::Unavailable
}

impl Auth {
    /// The session cookie's name.
    pub fn cookie_name(&self) -> &'static str {
        if self.https {
            "__Host-kezek_session"
        } else {
            crate::api::server::SESSION_COOKIE
        }
    }

    /// The `Set-Cookie` value that holds `token` (or, with `None`, removes the cookie).
    pub fn cookie(&self, token: Option<&str>) -> String {
        let secure = if self.https { "; Secure" } else { "" };
        match token {
            Some(t) => format!(
                "{}={t}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}{secure}",
                self.cookie_name(),
                sessions::ABSOLUTE_HOURS * 3600
            ),
            None => format!(
                "{}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{secure}",
                self.cookie_name()
            ),
        }
    }

    /// A new challenge (64 hex characters) for NCALayer to sign; expired ones are swept.
    pub async fn challenge(&self, db: &Db, now: i64) -> Result<String, AppError> {
        let token = sessions::new_token().map_err(|e| {
            tracing::error!(error = %e, "no randomness for a challenge");
            AppError::Unavailable
        })?;
        let hash = sha256_hex(token.as_bytes());
        let expires = now + CHALLENGE_MS;
        write_tx!(db, |c| async {
            c.exec(
                "DELETE FROM challenges WHERE expires_at <= $1",
                &[now.into()],
            )
            .await?;
            c.exec(
                "INSERT INTO challenges (hash, expires_at) VALUES ($1, $2)",
                &[(&hash).into(), expires.into()],
            )
            .await?;
            Ok::<(), StoreError>(())
        })
        .map_err(down)?;
        Ok(token)
    }

    /// Uses up `challenge`: true if it was issued, unused and not older than five minutes.
    pub(super) async fn consume(
        &self,
        db: &Db,
        now: i64,
        challenge: &str,
    ) -> Result<bool, AppError> {
        if challenge.len() != 64 || !challenge.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(false);
        }
        let hash = sha256_hex(challenge.as_bytes());
        let n = write_tx!(db, |c| async {
            Ok::<u64, StoreError>(
                c.exec(
                    "DELETE FROM challenges WHERE hash = $1 AND expires_at > $2",
                    &[(&hash).into(), now.into()],
                )
                .await?,
            )
        })
        .map_err(down)?;
        Ok(n == 1)
    }

    /// Signs in with `cms` (base64 DER) over `challenge`, for `role`; returns the new
    /// session's token. The challenge is used up whatever the outcome.
    pub async fn sign_in(
        &self,
        db: &Db,
        now: i64,
        challenge: &str,
        cms: &str,
        role: Role,
    ) -> Result<String, AppError> {
        use base64::Engine as _;
        if !self.consume(db, now, challenge.trim()).await? {
            return Err(refused(SignInError::Challenge));
        }
        let compact: String = cms.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.len() > super::eds::MAX_CMS_BYTES * 4 / 3 + 4 {
            return Err(refused(SignInError::Garbage));
        }
        let der = base64::engine::general_purpose::STANDARD
            .decode(compact.as_bytes())
            .map_err(|_| refused(SignInError::Garbage))?;
        let who = self
            .verifier
            .verify(&der, challenge.trim().as_bytes(), now / 1000)
            .await
            .map_err(|e| match e {
                SignInError::VerifierDown => AppError::Unavailable,
                e => refused(e),
            })?;
        let actor = self.actor_for(db, &who.iin, role).await?;
        sessions::create_for(db, now, &actor, Some(&who.iin), sessions::ABSOLUTE_HOURS)
            .await
            .map_err(down)?
            .ok_or(AppError::Internal)
    }

    /// Dev mode only: signs a fresh challenge as `iin` with a certificate from the dev CA and
    /// signs in with it, through the same verifier as everyone.
    pub async fn dev_sign_in(
        &self,
        db: &Db,
        now: i64,
        iin: &str,
        role: Role,
    ) -> Result<String, AppError> {
        if self.dev.is_none() {
            return Err(AppError::NotFound);
        }
        Iin::parse(iin).map_err(AppError::from)?;
        let challenge = self.challenge(db, now).await?;
        let cms = self.dev_sign(now, iin, Usage::Auth, challenge.as_bytes())?;
        self.sign_in(db, now, &challenge, &cms, role).await
    }

    /// Dev mode only: what NCALayer would answer for `iin` asked to sign `data` (a detached
    /// CMS, base64) with a fresh certificate of the dev CA for the authentication or the
    /// signing key. Dev sign-in signs with it; the browser tests' stand-in for NCALayer too.
    pub fn dev_sign(
        &self,
        now: i64,
        iin: &str,
        usage: Usage,
        data: &[u8],
    ) -> Result<String, AppError> {
        let Some(ca) = &self.dev else {
            return Err(AppError::NotFound);
        };
        let iin = Iin::parse(iin).map_err(AppError::from)?;
        let secs = now / 1000;
        let signed = ca
            .issue(&iin.digits(), "DEV USER", usage, secs - 3600, secs + 86_400)
            .and_then(|h| h.sign(data, false))
            .map_err(|e| {
                tracing::error!(error = %e, "dev CA");
                AppError::Internal
            })?;
        use base64::Engine as _;
        Ok(base64::engine::general_purpose::STANDARD.encode(signed))
    }

    /// The actor `iin` acts as in `role`, if they hold it.
    pub(super) async fn actor_for(
        &self,
        db: &Db,
        iin: &Iin,
        role: Role,
    ) -> Result<Actor, AppError> {
        let digits = iin.digits();
        match role {
            Role::Parent => Ok(Actor::Parent(*iin)),
            Role::Head => {
                let k: Option<(i64,)> = read_tx!(db, |c| async {
                    let c: &mut dyn Sql = c;
                    Ok::<_, StoreError>(
                        c.first(
                            "SELECT kindergarten_id FROM heads WHERE iin = $1",
                            &[(&digits).into()],
                        )
                        .await?,
                    )
                })
                .map_err(down)?;
                k.map(|(kindergarten_id,)| Actor::Head { kindergarten_id })
                    .ok_or(refused(SignInError::Role))
            }
            Role::Admin => {
                let a: Option<(i64,)> = read_tx!(db, |c| async {
                    let c: &mut dyn Sql = c;
                    Ok::<_, StoreError>(
                        c.first("SELECT id FROM admins WHERE iin = $1", &[(&digits).into()])
                            .await?,
                    )
                })
                .map_err(down)?;
                a.map(|_| Actor::Admin).ok_or(refused(SignInError::Role))
            }
        }
    }
}
