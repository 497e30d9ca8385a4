//! The department's page's uploads: files checked (a dry run) and kept with the check's
//! result under a random token, so that what is then imported is exactly what was checked.

use super::error::EngineResult;
use super::legacy::Progress;
use super::Acting;
use crate::domain::legacy::ImportReport;
use crate::error::AppError;
use std::sync::Arc;

/// What the department's page checked: the files, kept until imported, and the check's result.
pub type Checked = Result<ImportReport, crate::legacy::FileError>;

/// Uploads older than this are forgotten.
const UPLOAD_KEPT_MS: i64 = 24 * 3_600_000;

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredFile {
    name: String,
    data: String,
}

impl super::Engine {
    /// The department's page checks `files` (a dry run) and keeps them with the result under a
    /// new random token, so that what is then imported is exactly what was checked.
    pub async fn legacy_check(
        &self,
        actor: &super::Actor,
        by: &str,
        files: Vec<crate::legacy::LegacyFile>,
    ) -> EngineResult<String> {
        use base64::Engine as _;
        let nothing: Progress = Arc::new(|_, _| {});
        let checked: Checked = self
            .import_legacy(actor, &files, (Acting { by, reason: "" }, true), nothing)
            .await?;
        let stored: Vec<StoredFile> = files
            .iter()
            .map(|f| StoredFile {
                name: f.name.clone(),
                data: base64::engine::general_purpose::STANDARD.encode(&f.bytes),
            })
            .collect();
        let token = crate::auth::sessions::new_token().map_err(|e| {
            tracing::error!(error = %e, "no randomness for an upload's token");
            super::error::refused(AppError::Unavailable)
        })?;
        let (files, result) = (
            serde_json::to_string(&stored).unwrap_or_default(),
            serde_json::to_string(&checked).unwrap_or_default(),
        );
        let (t, by) = (token.clone(), by.to_string());
        write!(self, |c, ctx| async {
            c.exec(
                "DELETE FROM legacy_uploads WHERE at < $1",
                &[(ctx.now - UPLOAD_KEPT_MS).into()],
            )
            .await?;
            c.exec(
                "INSERT INTO legacy_uploads (token, at, by_whom, files, result) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    (&t).into(),
                    ctx.now.into(),
                    (&by).into(),
                    (&files).into(),
                    (&result).into(),
                ],
            )
            .await?;
            Ok::<(), super::EngineError>(())
        })?;
        Ok(token)
    }

    /// A check's result, if `token` names one kept (the department only).
    pub async fn legacy_checked(
        &self,
        actor: &super::Actor,
        token: &str,
    ) -> EngineResult<Option<Checked>> {
        Ok(self.upload(actor, token).await?.map(|(_, result)| result))
    }

    async fn upload(
        &self,
        actor: &super::Actor,
        token: &str,
    ) -> EngineResult<Option<(String, Checked)>> {
        use super::access::{authorize, Action, Target};
        authorize(actor, Action::ImportLegacy, &Target::City)?;
        let token = token.to_string();
        let row: Option<(String, String)> = read!(self, |c, ctx| async {
            Ok::<_, super::EngineError>(
                c.first(
                    "SELECT files, result FROM legacy_uploads WHERE token = $1 AND at >= $2",
                    &[(&token).into(), (ctx.now - UPLOAD_KEPT_MS).into()],
                )
                .await?,
            )
        })?;
        Ok(row.and_then(|(files, result)| Some((files, serde_json::from_str(&result).ok()?))))
    }

    /// Imports the files a check kept under `token`, exactly those, for the reason given;
    /// `None` when no check is kept under it (already imported, or a day old).
    pub async fn legacy_import_checked(
        &self,
        actor: &super::Actor,
        acting: Acting<'_>,
        token: &str,
    ) -> EngineResult<Option<Checked>> {
        use base64::Engine as _;
        let acting = acting.reasoned()?;
        let Some((files, _)) = self.upload(actor, token).await? else {
            return Ok(None);
        };
        let stored: Vec<StoredFile> = serde_json::from_str(&files).unwrap_or_default();
        let files: Vec<crate::legacy::LegacyFile> = stored
            .into_iter()
            .filter_map(|f| {
                Some(crate::legacy::LegacyFile {
                    name: f.name,
                    bytes: base64::engine::general_purpose::STANDARD
                        .decode(f.data)
                        .ok()?,
                })
            })
            .collect();
        let nothing: Progress = Arc::new(|_, _| {});
        let done = self
            .import_legacy(actor, &files, (acting, false), nothing)
            .await?;
        let token = token.to_string();
        write!(self, |c, _ctx| async {
            c.exec(
                "DELETE FROM legacy_uploads WHERE token = $1",
                &[(&token).into()],
            )
            .await?;
            Ok::<(), super::EngineError>(())
        })?;
        Ok(Some(done))
    }
}
