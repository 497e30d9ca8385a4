//! Loopback stand-ins for the SMS providers (Mobizon's `sendsmsmessage`, SMSC's `send.php`
//! with `fmt=3`) and a real SMTP sink (Debian's `python3-aiosmtpd`, writing a maildir).
//!
//! The gateway answers as told: accept, refuse for good, refuse for now a number of times,
//! or hang. It accepts an SMSC message id once: the same id again gets SMSC's error 9, as a
//! repeated request does there. Each acceptance is recorded when the answer is sent.

#![allow(dead_code)]

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Accept,
    /// A refusal sending again cannot mend (an invalid number).
    Refuse,
    /// Busy for the next `n` requests, then accepting.
    BusyFor(u32),
    /// Takes the request and never answers.
    Hang,
}

/// One message the gateway accepted.
#[derive(Debug, Clone)]
pub struct Got {
    pub provider: &'static str,
    /// SMSC's client message id (our idempotency key); empty for Mobizon.
    pub key: String,
    pub to: String,
    pub text: String,
}

#[derive(Default)]
struct Inner {
    mode: Option<Mode>,
    accepted: Vec<Got>,
    requests: u64,
    repeats: u64,
    /// Called with the request count as each request arrives (before answering), and with
    /// the count of accepted messages right after an acceptance is answered.
    on_request: Option<Box<dyn Fn(u64) + Send + Sync>>,
    on_accept: Option<Box<dyn Fn(usize) + Send + Sync>>,
    delay: Duration,
}

#[derive(Clone)]
pub struct Gateway {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl Gateway {
    pub async fn start() -> Gateway {
        let inner = Arc::new(Mutex::new(Inner {
            mode: Some(Mode::Accept),
            ..Inner::default()
        }));
        let app = Router::new()
            .route("/service/message/sendsmsmessage", post(mobizon))
            .route("/sys/send.php", post(smsc))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Gateway { url, inner }
    }

    pub fn set(&self, mode: Mode) {
        self.inner.lock().unwrap().mode = Some(mode);
    }

    pub fn delay(&self, d: Duration) {
        self.inner.lock().unwrap().delay = d;
    }

    pub fn on_request(&self, f: impl Fn(u64) + Send + Sync + 'static) {
        self.inner.lock().unwrap().on_request = Some(Box::new(f));
    }

    pub fn on_accept(&self, f: impl Fn(usize) + Send + Sync + 'static) {
        self.inner.lock().unwrap().on_accept = Some(Box::new(f));
    }

    pub fn accepted(&self) -> Vec<Got> {
        self.inner.lock().unwrap().accepted.clone()
    }

    pub fn requests(&self) -> u64 {
        self.inner.lock().unwrap().requests
    }

    /// Requests that repeated an accepted SMSC id (answered with error 9).
    pub fn repeats(&self) -> u64 {
        self.inner.lock().unwrap().repeats
    }
}

enum Verdict {
    Accept,
    Refuse,
    Busy,
    Hang,
}

/// Counts the request and decides what to answer.
async fn verdict(inner: &Arc<Mutex<Inner>>) -> Verdict {
    let delay = {
        let mut g = inner.lock().unwrap();
        g.requests += 1;
        if let Some(f) = &g.on_request {
            f(g.requests);
        }
        g.delay
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let mut g = inner.lock().unwrap();
    match g.mode.unwrap_or(Mode::Accept) {
        Mode::Accept => Verdict::Accept,
        Mode::Refuse => Verdict::Refuse,
        Mode::Hang => Verdict::Hang,
        Mode::BusyFor(0) => Verdict::Accept,
        Mode::BusyFor(n) => {
            g.mode = Some(Mode::BusyFor(n - 1));
            Verdict::Busy
        }
    }
}

fn accept(inner: &Arc<Mutex<Inner>>, got: Got) -> usize {
    let mut g = inner.lock().unwrap();
    g.accepted.push(got);
    g.accepted.len()
}

fn after_accept(inner: &Arc<Mutex<Inner>>, n: usize) {
    let g = inner.lock().unwrap();
    if let Some(f) = &g.on_accept {
        f(n);
    }
}

async fn hang() -> Response {
    tokio::time::sleep(Duration::from_secs(3600)).await;
    StatusCode::GATEWAY_TIMEOUT.into_response()
}

// A provider goes on with a request whose client went away: each request is handled in a task
// of its own, which a closed connection does not cancel.
async fn mobizon(
    State(inner): State<Arc<Mutex<Inner>>>,
    Query(q): Query<HashMap<String, String>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    tokio::spawn(mobizon_request(inner, q, f)).await.unwrap()
}

async fn smsc(
    State(inner): State<Arc<Mutex<Inner>>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    tokio::spawn(smsc_request(inner, f)).await.unwrap()
}

async fn mobizon_request(
    inner: Arc<Mutex<Inner>>,
    q: HashMap<String, String>,
    f: HashMap<String, String>,
) -> Response {
    assert_eq!(q.get("output").map(String::as_str), Some("json"));
    assert!(q.contains_key("apiKey"));
    match verdict(&inner).await {
        Verdict::Hang => hang().await,
        Verdict::Busy => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        Verdict::Refuse => Json(json!({ "code": 1, "data": { "recipient": "invalid" },
            "message": "Неверный номер получателя" }))
        .into_response(),
        Verdict::Accept => {
            let n = accept(
                &inner,
                Got {
                    provider: "mobizon",
                    key: String::new(),
                    to: f.get("recipient").cloned().unwrap_or_default(),
                    text: f.get("text").cloned().unwrap_or_default(),
                },
            );
            let r = Json(json!({ "code": 0, "data": { "campaignId": 1000 + n,
                "messageId": 5000 + n, "status": 1 }, "message": "" }))
            .into_response();
            after_accept(&inner, n);
            r
        }
    }
}

async fn smsc_request(inner: Arc<Mutex<Inner>>, f: HashMap<String, String>) -> Response {
    assert_eq!(f.get("fmt").map(String::as_str), Some("3"));
    let key = f.get("id").cloned().unwrap_or_default();
    let verdict = verdict(&inner).await;
    let seen = {
        let g = inner.lock().unwrap();
        g.accepted.iter().any(|m| m.key == key)
    };
    if seen {
        inner.lock().unwrap().repeats += 1;
        return Json(json!({ "error": "duplicate request, wait a minute", "error_code": 9 }))
            .into_response();
    }
    match verdict {
        Verdict::Hang => hang().await,
        Verdict::Busy => {
            Json(json!({ "error": "not enough money on the client balance", "error_code": 3 }))
                .into_response()
        }
        Verdict::Refuse => {
            Json(json!({ "error": "invalid phone number", "error_code": 7 })).into_response()
        }
        Verdict::Accept => {
            let n = accept(
                &inner,
                Got {
                    provider: "smsc",
                    key,
                    to: f.get("phones").cloned().unwrap_or_default(),
                    text: f.get("mes").cloned().unwrap_or_default(),
                },
            );
            let r = Json(json!({ "id": 7000 + n, "cnt": 1 })).into_response();
            after_accept(&inner, n);
            r
        }
    }
}

/// An SMTP sink on loopback: Debian's aiosmtpd, delivering every message into a maildir;
/// with STARTTLS required when started with [`Sink::start_tls`].
pub struct Sink {
    pub port: u16,
    pub dir: tempfile::TempDir,
    /// The sink's self-signed certificate (PEM), when it speaks TLS.
    pub ca: Option<Vec<u8>>,
    child: std::process::Child,
}

impl Sink {
    pub async fn start() -> Sink {
        Sink::launch(false).await
    }

    /// A sink that requires STARTTLS, with a certificate for `localhost`.
    pub async fn start_tls() -> Sink {
        Sink::launch(true).await
    }

    async fn launch(tls: bool) -> Sink {
        let dir = tempfile::tempdir().unwrap();
        // A free port: bind, note it, let it go.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut cmd = std::process::Command::new("/usr/bin/python3");
        cmd.args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")]);
        let mut ca = None;
        if tls {
            let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
            let (crt, key) = (dir.path().join("sink.crt"), dir.path().join("sink.key"));
            std::fs::write(&crt, cert.cert.pem()).unwrap();
            std::fs::write(&key, cert.key_pair.serialize_pem()).unwrap();
            cmd.arg("--tlscert").arg(&crt).arg("--tlskey").arg(&key);
            ca = Some(cert.cert.pem().into_bytes());
        }
        let mut child = cmd
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("mail"))
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("/usr/bin/python3 -m aiosmtpd (Debian's python3-aiosmtpd; scripts/install.sh --test)");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Sink {
                    port,
                    dir,
                    ca,
                    child,
                };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the SMTP sink did not start");
    }

    pub fn url(&self) -> String {
        if self.ca.is_some() {
            format!("smtp://localhost:{}", self.port)
        } else {
            format!("smtp://127.0.0.1:{}?tls=none", self.port)
        }
    }

    /// Every message received, as raw text.
    pub fn messages(&self) -> Vec<String> {
        let mut out = vec![];
        for sub in ["new", "cur"] {
            let Ok(rd) = std::fs::read_dir(self.dir.path().join("mail").join(sub)) else {
                continue;
            };
            for e in rd.flatten() {
                out.push(std::fs::read_to_string(e.path()).unwrap());
            }
        }
        out
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A header's value in a raw message (first line only).
pub fn header<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    raw.lines().take_while(|l| !l.is_empty()).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}
