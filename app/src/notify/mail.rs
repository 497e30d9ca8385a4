//! E-mail: SMTP through lettre (STARTTLS unless the address says otherwise), a directory of
//! `.eml` files or the log in development. Each message carries the delivery's key in its
//! `Message-ID`, so a repeat after a crash is recognisable as the same message.

use super::{Failure, Sent};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// One e-mail to send.
#[derive(Debug, Clone)]
pub struct Mail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub key: &'a str,
}

#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    fn name(&self) -> &'static str;
    async fn send(&self, mail: &Mail<'_>) -> Result<Sent, Failure>;
}

/// Builds the message: plain text in UTF-8, `Message-ID: <key@domain of from>`.
fn message(from: &Mailbox, mail: &Mail<'_>) -> Result<(Message, String), Failure> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|e| Failure::Permanent(format!("not an e-mail address: {e}")))?;
    let domain = from.email.domain().to_string();
    let id = format!("<{}@{domain}>", mail.key);
    let msg = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject)
        .message_id(Some(id.clone()))
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.to_string())
        .map_err(|e| Failure::Permanent(format!("the message could not be built: {e}")))?;
    Ok((msg, id))
}

/// SMTP: `smtp://host:port` (STARTTLS required), `smtp://host:port?tls=none` (plain, for a
/// relay on the same machine or a test sink), `smtps://host:port` (TLS from the start); a
/// user and password in the address log in. `ca_pem` adds a certification authority to trust
/// (a city's own relay with an internal CA).
pub struct Smtp {
    from: Mailbox,
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl Smtp {
    pub fn new(
        url: &str,
        from: &str,
        timeout: Duration,
        ca_pem: Option<&[u8]>,
    ) -> Result<Smtp, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("KEZEK_MAIL_FROM is not an address: {e}"))?;
        let u = url::Url::parse(url).map_err(|e| format!("KEZEK_SMTP_URL: {e}"))?;
        let host = u
            .host_str()
            .ok_or("KEZEK_SMTP_URL has no host")?
            .to_string();
        let plain = u.query_pairs().any(|(k, v)| k == "tls" && v == "none");
        let builder = match (u.scheme(), plain) {
            ("smtps", _) => AsyncSmtpTransport::<Tokio1Executor>::relay(&host),
            ("smtp", true) => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                &host,
            )),
            ("smtp", false) => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host),
            (other, _) => return Err(format!("KEZEK_SMTP_URL: unknown scheme {other}")),
        }
        .map_err(|e| format!("KEZEK_SMTP_URL: {e}"))?;
        let mut builder = builder.timeout(Some(timeout));
        if let (Some(pem), false) = (ca_pem, plain) {
            use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
            let ca = Certificate::from_pem(pem).map_err(|e| format!("KEZEK_SMTP_CA: {e}"))?;
            let params = TlsParameters::builder(host.clone())
                .add_root_certificate(ca)
                .build_rustls()
                .map_err(|e| format!("KEZEK_SMTP_CA: {e}"))?;
            builder = builder.tls(if u.scheme() == "smtps" {
                Tls::Wrapper(params)
            } else {
                Tls::Required(params)
            });
        }
        if let Some(port) = u.port() {
            builder = builder.port(port);
        }
        if !u.username().is_empty() {
            builder = builder.credentials(Credentials::new(
                u.username().to_string(),
                u.password().unwrap_or("").to_string(),
            ));
        }
        Ok(Smtp {
            from,
            transport: builder.build(),
        })
    }
}

#[async_trait::async_trait]
impl Mailer for Smtp {
    fn name(&self) -> &'static str {
        "smtp"
    }

    async fn send(&self, mail: &Mail<'_>) -> Result<Sent, Failure> {
        let (msg, id) = message(&self.from, mail)?;
        match self.transport.send(msg).await {
            Ok(_) => Ok(Sent { provider_id: id }),
            // 5xx: the server will never take it (no such mailbox); 4xx and lost connections
            // are tried again.
            Err(e) if e.is_permanent() => Err(Failure::Permanent(format!("SMTP: {e}"))),
            Err(e) => Err(Failure::Temporary(format!("SMTP: {e}"))),
        }
    }
}

/// Development: each message is written as an `.eml` file into a directory, or (without one)
/// only noted in the log.
pub struct DevMail {
    pub from: Mailbox,
    pub dir: Option<std::path::PathBuf>,
}

#[async_trait::async_trait]
impl Mailer for DevMail {
    fn name(&self) -> &'static str {
        if self.dir.is_some() {
            "file"
        } else {
            "log"
        }
    }

    async fn send(&self, mail: &Mail<'_>) -> Result<Sent, Failure> {
        let (msg, id) = message(&self.from, mail)?;
        if let Some(dir) = &self.dir {
            let path = dir.join(format!("{}.eml", mail.key));
            tokio::fs::create_dir_all(dir)
                .await
                .and(tokio::fs::write(&path, msg.formatted()).await)
                .map_err(|e| Failure::Temporary(format!("{}: {e}", path.display())))?;
        } else {
            tracing::info!(
                key = mail.key,
                subject = mail.subject,
                "e-mail (log transport)"
            );
        }
        Ok(Sent { provider_id: id })
    }
}
