//! SMS providers: Mobizon and SMSC.kz over HTTP(S), and a log provider for development. Base
//! address, key and sender come from configuration; tests point them at loopback gateways.
//!
//! Each answer is sorted into accepted (with the provider's message id), a permanent refusal
//! (a bad number or text: sending again cannot help) or a temporary one (the provider is busy,
//! out of credit, unreachable or slow): only the last is retried.

use super::{Failure, Sent};
use std::time::Duration;

/// One SMS to send: `key` is the delivery's idempotency key, the same on every attempt.
#[derive(Debug, Clone)]
pub struct Sms<'a> {
    pub to: &'a str,
    pub text: &'a str,
    pub key: &'a str,
}

#[async_trait::async_trait]
pub trait SmsProvider: Send + Sync {
    /// The provider's name, stored with each delivery.
    fn name(&self) -> &'static str;
    async fn send(&self, sms: &Sms<'_>) -> Result<Sent, Failure>;
}

/// The HTTP client of the providers: a timeout so a hung gateway costs one attempt, not the
/// worker.
pub fn client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .build()
        .unwrap_or_default()
}

fn transport(e: reqwest::Error) -> Failure {
    if e.is_timeout() {
        Failure::Temporary("the provider did not answer in time".into())
    } else {
        Failure::Temporary(format!("the provider could not be reached: {e}"))
    }
}

/// A status that says nothing about the message: try again later (429, 5xx), or refused
/// outright (other 4xx: our request itself is wrong).
fn http_status(status: reqwest::StatusCode) -> Option<Failure> {
    if status.is_success() {
        None
    } else if status.as_u16() == 429 || status.is_server_error() {
        Some(Failure::Temporary(format!("HTTP {status}")))
    } else {
        Some(Failure::Permanent(format!("HTTP {status}")))
    }
}

/// Sends the request and reads the provider's JSON answer; transport failures and statuses
/// that say nothing about the message are sorted as [`http_status`] says.
async fn json_answer(request: reqwest::RequestBuilder) -> Result<serde_json::Value, Failure> {
    let resp = request.send().await.map_err(transport)?;
    if let Some(f) = http_status(resp.status()) {
        return Err(f);
    }
    resp.json()
        .await
        .map_err(|e| Failure::Temporary(format!("an answer that is not JSON: {e}")))
}

/// Mobizon (`POST {base}/service/message/sendsmsmessage?output=json&api=v1&apiKey=…`, form
/// fields `recipient`, `text`, `from`). The answer is `{"code": 0, "data": {"messageId": …}}`
/// on success. Codes 1 (the data did not validate: a number or text it will not take),
/// 2 (not found) and 8 (refused for this account and message) are permanent; any other code,
/// and HTTP 429/5xx, is retried.
pub struct Mobizon {
    pub base: String,
    pub key: String,
    pub sender: Option<String>,
    pub http: reqwest::Client,
}

#[async_trait::async_trait]
impl SmsProvider for Mobizon {
    fn name(&self) -> &'static str {
        "mobizon"
    }

    async fn send(&self, sms: &Sms<'_>) -> Result<Sent, Failure> {
        let url = format!(
            "{}/service/message/sendsmsmessage",
            self.base.trim_end_matches('/')
        );
        let recipient = sms.to.trim_start_matches('+');
        let mut form = vec![("recipient", recipient), ("text", sms.text)];
        if let Some(from) = &self.sender {
            form.push(("from", from));
        }
        let body = json_answer(
            self.http
                .post(url)
                .query(&[("output", "json"), ("api", "v1"), ("apiKey", &self.key)])
                .form(&form),
        )
        .await?;
        let code = body.get("code").and_then(|c| c.as_i64()).unwrap_or(-1);
        let message = body.get("message").and_then(|m| m.as_str()).unwrap_or("");
        match code {
            0 => {
                let id = body
                    .pointer("/data/messageId")
                    .map(|v| v.to_string().trim_matches('"').to_string())
                    .unwrap_or_default();
                Ok(Sent { provider_id: id })
            }
            1 | 2 | 8 => Err(Failure::Permanent(format!(
                "Mobizon code {code}: {message}"
            ))),
            _ => Err(Failure::Temporary(format!(
                "Mobizon code {code}: {message}"
            ))),
        }
    }
}

/// SMSC.kz (`POST {base}/sys/send.php` with `login`, `psw`, `phones`, `mes`, `sender`,
/// `id`, `charset=utf-8`, `fmt=3`). The delivery's key goes as `id`, the client's message id.
/// The answer is `{"id": …, "cnt": …}` or `{"error": …, "error_code": N}`: 1 (parameters),
/// 5 (date), 6 (message forbidden), 7 (number format) and 8 (cannot be delivered to this
/// number) are permanent; 2 (login), 3 (credit) and 4 (address blocked for a while) are
/// retried, an operator can mend them; 9 (the same request again within a minute) means the
/// first one was taken, so it is not sent again.
pub struct Smsc {
    pub base: String,
    pub login: String,
    pub password: String,
    pub sender: Option<String>,
    pub http: reqwest::Client,
}

#[async_trait::async_trait]
impl SmsProvider for Smsc {
    fn name(&self) -> &'static str {
        "smsc"
    }

    async fn send(&self, sms: &Sms<'_>) -> Result<Sent, Failure> {
        let url = format!("{}/sys/send.php", self.base.trim_end_matches('/'));
        let mut form = vec![
            ("login", self.login.as_str()),
            ("psw", self.password.as_str()),
            ("phones", sms.to),
            ("mes", sms.text),
            ("id", sms.key),
            ("charset", "utf-8"),
            ("fmt", "3"),
        ];
        if let Some(from) = &self.sender {
            form.push(("sender", from));
        }
        let body = json_answer(self.http.post(url).form(&form)).await?;
        match body.get("error_code").and_then(|c| c.as_i64()) {
            None => {
                let id = body
                    .get("id")
                    .map(|v| v.to_string().trim_matches('"').to_string())
                    .unwrap_or_default();
                Ok(Sent { provider_id: id })
            }
            Some(9) => Ok(Sent {
                provider_id: format!("{} (repeated)", sms.key),
            }),
            Some(code) => {
                let error = body.get("error").and_then(|m| m.as_str()).unwrap_or("");
                let what = format!("SMSC code {code}: {error}");
                if matches!(code, 2..=4) {
                    Err(Failure::Temporary(what))
                } else {
                    Err(Failure::Permanent(what))
                }
            }
        }
    }
}

/// Development: the SMS goes to the server's log (with the number masked), nowhere else.
pub struct LogSms;

#[async_trait::async_trait]
impl SmsProvider for LogSms {
    fn name(&self) -> &'static str {
        "log"
    }

    async fn send(&self, sms: &Sms<'_>) -> Result<Sent, Failure> {
        tracing::info!(to = %super::mask_phone(sms.to), key = sms.key, text = sms.text, "SMS (log provider)");
        Ok(Sent {
            provider_id: sms.key.to_string(),
        })
    }
}
