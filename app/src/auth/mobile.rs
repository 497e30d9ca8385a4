//! Signing in with eGov mobile, the state's signing app on a phone.
//!
//! The page asks for a sign-in ([`Auth::mobile_start`]) and shows a QR code of
//! `mobileSign:{site}/egov/sign-in/{address}` (on a phone, a link that opens the app with the
//! same address). The app speaks the protocol SIGEX and other Kazakh services use:
//! 1. it GETs the address and is told what this is, until when, by whom, and where the
//!    document is with a token to fetch it ([`Auth::mobile_open`]);
//! 2. it GETs the document with that token: one `CMS_SIGN_ONLY` document, the text of a
//!    sign-in challenge ([`Auth::mobile_document`]);
//! 3. the person confirms with a PIN or biometrics and the app PUTs the document back with the
//!    detached CMS signature in place of its data ([`Auth::mobile_signed`]), checked by the
//!    same [`super::eds::EdsVerifier`] as NCALayer's, the challenge used up, the role checked.
//!
//! The page that asked waits on a token of its own (a cookie, never in an address) and is
//! signed in at its next look once the signature is checked ([`Auth::mobile_wait`]). Every step
//! is taken once and dies with the challenge (five minutes); the address carries nothing
//! personal.

use super::sessions;
use super::sign_in::{Auth, Role, CHALLENGE_MS};
use crate::domain::Iin;
use crate::engine::chain::sha256_hex;
use crate::error::{AppError, SignInError};
use crate::i18n::Msg;
use crate::store::sql::Sql;
use crate::store::{write_tx, Db, StoreError};

/// The path of a sign-in's address (API 1); its document is at `…/document` (API 2).
pub const ADDRESS_PATH: &str = "/egov/sign-in/";

/// After its signature is checked, a sign-in can still be collected by its page this long
/// after the challenge's end (a page that looks every second is well inside it).
const COLLECT_MS: i64 = 60_000;

/// A sign-in waiting for the app.
#[derive(Debug, Clone)]
pub struct Started {
    /// The random part of the address (64 hex characters).
    pub address: String,
    /// The page's token to wait with.
    pub wait: String,
    pub expires_at: i64,
}

/// What the app is told at the address.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The token for the document (given once).
    pub token: String,
    pub expires_at: i64,
    pub role: Role,
}

/// The document to sign, and what the app shows beside it.
#[derive(Debug, Clone)]
pub struct Document {
    /// Exactly the bytes to sign (UTF-8 text naming Kezek and holding the challenge).
    pub text: String,
    pub expires_at: i64,
    pub role: Role,
}

/// Why the app's request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No such address (404).
    Unknown,
    /// This step was taken already (410).
    Used,
    /// The challenge's five minutes are over (410).
    Expired,
    /// The person cancelled on the page (410).
    Cancelled,
    /// The document's token is missing or wrong (401).
    Token,
    /// The body is not the document sent back signed (400).
    Malformed,
    /// The signature was checked and refused, or its signer does not hold the role (403).
    Signature(SignInError),
    /// Storage or the checking service did not answer (503): nothing changed, try again.
    Down,
}

impl Refusal {
    pub fn status(self) -> u16 {
        match self {
            Refusal::Unknown => 404,
            Refusal::Used | Refusal::Expired | Refusal::Cancelled => 410,
            Refusal::Token => 401,
            Refusal::Malformed => 400,
            Refusal::Signature(_) => 403,
            Refusal::Down => 503,
        }
    }

    /// What the app shows.
    pub fn msg(self) -> Msg {
        match self {
            Refusal::Unknown => Msg::EgovUnknown,
            Refusal::Used => Msg::EgovUsed,
            Refusal::Expired => Msg::EgovExpired,
            Refusal::Cancelled => Msg::EgovCancelled,
            Refusal::Token => Msg::EgovToken,
            Refusal::Malformed => Msg::ErrBadRequest,
            Refusal::Signature(e) => crate::error::invalid_msg(crate::error::Invalid::SignIn(e)),
            Refusal::Down => Msg::ErrUnavailable,
        }
    }
}

/// Where a page's sign-in stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Waiting {
    /// The page has no sign-in (or collected it already).
    None,
    /// Waiting for the app; `opened` once it fetched the address; the address while nobody
    /// has (so that a page reloaded meanwhile can show the QR code again).
    Waiting {
        opened: bool,
        expires_at: i64,
        address: Option<String>,
    },
    /// Signed in now: the session's token, and where to go.
    SignedIn {
        token: String,
        next: String,
    },
    Expired,
    Cancelled,
    /// The signature was refused, for this reason.
    Failed(SignInError),
}

/// The text signed: what it is, in the three languages, and the challenge.
pub fn document_text(challenge: &str) -> String {
    format!("Кезекке кіру / Вход в Кезек / Sign-in to Kezek\n{challenge}")
}

fn is_token(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A storage fault, logged, as the app is told it.
fn down(e: StoreError) -> Refusal {
    tracing::error!(error = %e, "mobile sign-in storage");
    Refusal::Down
}

/// A storage fault, logged, as the page is told it.
fn unavailable(e: StoreError) -> AppError {
    tracing::error!(error = %e, "mobile sign-in storage");
    AppError::Unavailable
}

fn random() -> Result<String, AppError> {
    sessions::new_token().map_err(|e| {
        tracing::error!(error = %e, "no randomness for a mobile sign-in");
        AppError::Unavailable
    })
}

/// A sign-in's row as each step reads it.
struct Row {
    state: String,
    expires_at: i64,
    token_hash: Option<String>,
    challenge: String,
    role: Role,
}

async fn row(c: &mut dyn Sql, address: &str) -> Result<Option<Row>, StoreError> {
    let r: Option<(String, i64, Option<String>, String, String)> = c
        .first(
            "SELECT state, expires_at, token_hash, challenge, role FROM mobile_sign_ins \
             WHERE address = $1",
            &[address.into()],
        )
        .await?;
    Ok(
        r.map(|(state, expires_at, token_hash, challenge, role)| Row {
            state,
            expires_at,
            token_hash,
            challenge,
            role: Role::parse(&role).unwrap_or(Role::Parent),
        }),
    )
}

/// The refusal for a step that needs the row in state `want`, if any.
fn check(row: &Row, now: i64, want: &str, bearer: Option<&str>) -> Option<Refusal> {
    if let Some(bearer) = bearer {
        let given = sha256_hex(bearer.trim().as_bytes());
        if row.token_hash.as_deref() != Some(given.as_str()) {
            return Some(Refusal::Token);
        }
    }
    if row.state == "cancelled" {
        return Some(Refusal::Cancelled);
    }
    if row.state != want {
        return Some(Refusal::Used);
    }
    if now >= row.expires_at {
        return Some(Refusal::Expired);
    }
    None
}

impl Auth {
    /// A new sign-in for `role`, going to `next` after: its challenge, address and the page's
    /// waiting token. Rows an hour past their end are swept.
    pub async fn mobile_start(
        &self,
        db: &Db,
        now: i64,
        role: Role,
        next: &str,
    ) -> Result<Started, AppError> {
        let challenge = self.challenge(db, now).await?;
        let (address, wait) = (random()?, random()?);
        let expires_at = now + CHALLENGE_MS;
        let wait_hash = sha256_hex(wait.as_bytes());
        let (a, next) = (address.clone(), next.to_string());
        write_tx!(db, |c| async {
            c.exec(
                "DELETE FROM mobile_sign_ins WHERE expires_at < $1",
                &[(now - 3_600_000).into()],
            )
            .await?;
            c.exec(
                "INSERT INTO mobile_sign_ins (address, wait_hash, challenge, role, next, state, \
                 created_at, expires_at) VALUES ($1, $2, $3, $4, $5, 'new', $6, $7)",
                &[
                    (&a).into(),
                    (&wait_hash).into(),
                    (&challenge).into(),
                    role.code().into(),
                    (&next).into(),
                    now.into(),
                    expires_at.into(),
                ],
            )
            .await?;
            Ok::<(), StoreError>(())
        })
        .map_err(unavailable)?;
        Ok(Started {
            address,
            wait,
            expires_at,
        })
    }

    /// The app fetched the address (once): the document's token.
    pub async fn mobile_open(&self, db: &Db, now: i64, address: &str) -> Result<Opened, Refusal> {
        if !is_token(address) {
            return Err(Refusal::Unknown);
        }
        let token = random().map_err(|_| Refusal::Down)?;
        let token_hash = sha256_hex(token.as_bytes());
        let a = address.to_string();
        let done = write_tx!(db, |c| async {
            let Some(r) = row(c, &a).await? else {
                return Ok(Err(Refusal::Unknown));
            };
            if let Some(refusal) = check(&r, now, "new", None) {
                return Ok(Err(refusal));
            }
            // Of two at once, one changes the row (the other waited for it and finds it taken).
            let n = c
                .exec(
                    "UPDATE mobile_sign_ins SET state = 'opened', token_hash = $2 \
                     WHERE address = $1 AND state = 'new'",
                    &[(&a).into(), (&token_hash).into()],
                )
                .await?;
            if n != 1 {
                return Ok(Err(Refusal::Used));
            }
            Ok::<_, StoreError>(Ok((r.expires_at, r.role)))
        })
        .map_err(down)??;
        Ok(Opened {
            token,
            expires_at: done.0,
            role: done.1,
        })
    }

    /// The app fetched the document with its token (once).
    pub async fn mobile_document(
        &self,
        db: &Db,
        now: i64,
        address: &str,
        bearer: &str,
    ) -> Result<Document, Refusal> {
        if !is_token(address) {
            return Err(Refusal::Unknown);
        }
        let (a, bearer) = (address.to_string(), bearer.to_string());
        write_tx!(db, |c| async {
            let Some(r) = row(c, &a).await? else {
                return Ok(Err(Refusal::Unknown));
            };
            if let Some(refusal) = check(&r, now, "opened", Some(&bearer)) {
                return Ok(Err(refusal));
            }
            let n = c
                .exec(
                    "UPDATE mobile_sign_ins SET state = 'fetched' \
                     WHERE address = $1 AND state = 'opened'",
                    &[(&a).into()],
                )
                .await?;
            if n != 1 {
                return Ok(Err(Refusal::Used));
            }
            Ok::<_, StoreError>(Ok(Document {
                text: document_text(&r.challenge),
                expires_at: r.expires_at,
                role: r.role,
            }))
        })
        .map_err(down)?
    }

    /// The app sent the document back signed (`cms`: base64 DER, detached): checked like
    /// NCALayer's signature, the challenge used up, the role checked. A refused signature ends
    /// the sign-in (its page says why); a storage or checker fault changes nothing.
    pub async fn mobile_signed(
        &self,
        db: &Db,
        now: i64,
        address: &str,
        bearer: &str,
        cms: &str,
    ) -> Result<(), Refusal> {
        use base64::Engine as _;
        if !is_token(address) {
            return Err(Refusal::Unknown);
        }
        let a = address.to_string();
        let r = crate::store::read_tx!(db, |c| async {
            let c: &mut dyn Sql = c;
            row(c, &a).await
        })
        .map_err(down)?
        .ok_or(Refusal::Unknown)?;
        if let Some(refusal) = check(&r, now, "fetched", Some(bearer)) {
            return Err(refusal);
        }
        let compact: String = cms.chars().filter(|c| !c.is_whitespace()).collect();
        let checked = match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
            Err(_) => Err(SignInError::Garbage),
            Ok(der) if der.len() > super::eds::MAX_CMS_BYTES => Err(SignInError::Garbage),
            Ok(der) => {
                self.verifier
                    .verify(&der, document_text(&r.challenge).as_bytes(), now / 1000)
                    .await
            }
        };
        let who = match checked {
            Err(SignInError::VerifierDown) => return Err(Refusal::Down),
            Err(e) => return Err(self.mobile_fail(db, address, e).await),
            Ok(who) => who,
        };
        match self.actor_for(db, &who.iin, r.role).await {
            Ok(_) => {}
            Err(AppError::Validation(crate::error::Invalid::SignIn(e))) => {
                return Err(self.mobile_fail(db, address, e).await)
            }
            Err(_) => return Err(Refusal::Down),
        }
        // The challenge is used up here, once: of two signatures sent at once, one counts.
        if !self
            .consume(db, now, &r.challenge)
            .await
            .map_err(|_| Refusal::Down)?
        {
            return Err(Refusal::Used);
        }
        let digits = who.iin.digits();
        let a = address.to_string();
        let n = write_tx!(db, |c| async {
            c.exec(
                "UPDATE mobile_sign_ins SET state = 'signed', iin = $2 \
                 WHERE address = $1 AND state = 'fetched'",
                &[(&a).into(), (&digits).into()],
            )
            .await
            .map_err(StoreError::from)
        })
        .map_err(down)?;
        if n == 1 {
            Ok(())
        } else {
            Err(Refusal::Used)
        }
    }

    /// Ends a sign-in whose signature was refused for `why`; the refusal for the app.
    async fn mobile_fail(&self, db: &Db, address: &str, why: SignInError) -> Refusal {
        let (code, a) = (why.code(), address.to_string());
        let done = write_tx!(db, |c| async {
            c.exec(
                "UPDATE mobile_sign_ins SET state = 'failed', reason = $2 \
                 WHERE address = $1 AND state = 'fetched'",
                &[(&a).into(), (&code).into()],
            )
            .await
            .map_err(StoreError::from)
        });
        match done {
            Ok(_) => Refusal::Signature(why),
            Err(e) => down(e),
        }
    }

    /// Where the page holding `wait` stands; once the signature is checked, its session (made
    /// once, whoever asks twice).
    pub async fn mobile_wait(&self, db: &Db, now: i64, wait: &str) -> Result<Waiting, AppError> {
        if !is_token(wait) {
            return Ok(Waiting::None);
        }
        let wait_hash = sha256_hex(wait.as_bytes());
        type Found = (
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            String,
            i64,
        );
        let found: Option<Found> = crate::store::read_tx!(db, |c| async {
            let c: &mut dyn Sql = c;
            c.first(
                "SELECT address, state, reason, iin, role, next, expires_at FROM mobile_sign_ins \
                 WHERE wait_hash = $1",
                &[(&wait_hash).into()],
            )
            .await
            .map_err(StoreError::from)
        })
        .map_err(unavailable)?;
        let Some((address, state, reason, iin, role, next, expires_at)) = found else {
            return Ok(Waiting::None);
        };
        let role = Role::parse(&role).unwrap_or(Role::Parent);
        Ok(match state.as_str() {
            "new" | "opened" | "fetched" if now >= expires_at => Waiting::Expired,
            "new" | "opened" | "fetched" => Waiting::Waiting {
                opened: state != "new",
                expires_at,
                address: (state == "new").then_some(address),
            },
            "signed" if now >= expires_at + COLLECT_MS => Waiting::Expired,
            "signed" => return self.collect(db, now, &wait_hash, iin, role, next).await,
            "failed" => Waiting::Failed(
                reason
                    .as_deref()
                    .and_then(SignInError::from_code)
                    .unwrap_or(SignInError::Garbage),
            ),
            "cancelled" => Waiting::Cancelled,
            _ => Waiting::None,
        })
    }

    /// The page collects its checked sign-in: the row is marked done (once) and the session
    /// opened for the role, if the signer still holds it.
    async fn collect(
        &self,
        db: &Db,
        now: i64,
        wait_hash: &str,
        iin: Option<String>,
        role: Role,
        next: String,
    ) -> Result<Waiting, AppError> {
        let Some(iin) = iin.as_deref().and_then(|d| Iin::parse(d).ok()) else {
            return Ok(Waiting::None);
        };
        let actor = match self.actor_for(db, &iin, role).await {
            Ok(a) => a,
            Err(AppError::Validation(crate::error::Invalid::SignIn(e))) => {
                return Ok(Waiting::Failed(e))
            }
            Err(e) => return Err(e),
        };
        let wait_hash = wait_hash.to_string();
        let n = write_tx!(db, |c| async {
            c.exec(
                "UPDATE mobile_sign_ins SET state = 'done', iin = NULL \
                 WHERE wait_hash = $1 AND state = 'signed'",
                &[(&wait_hash).into()],
            )
            .await
            .map_err(StoreError::from)
        })
        .map_err(unavailable)?;
        if n != 1 {
            return Ok(Waiting::None);
        }
        let token = sessions::create_for(db, now, &actor, Some(&iin), sessions::ABSOLUTE_HOURS)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "sign-in storage");
                AppError::Unavailable
            })?
            .ok_or(AppError::Internal)?;
        Ok(Waiting::SignedIn { token, next })
    }

    /// The page's person gave up: the address and the document are refused from now on.
    pub async fn mobile_cancel(&self, db: &Db, wait: &str) -> Result<(), AppError> {
        if !is_token(wait) {
            return Ok(());
        }
        let wait_hash = sha256_hex(wait.as_bytes());
        write_tx!(db, |c| async {
            c.exec(
                "UPDATE mobile_sign_ins SET state = 'cancelled' \
                 WHERE wait_hash = $1 AND state IN ('new', 'opened', 'fetched')",
                &[(&wait_hash).into()],
            )
            .await
            .map_err(StoreError::from)
        })
        .map(|_| ())
        .map_err(unavailable)
    }
}
