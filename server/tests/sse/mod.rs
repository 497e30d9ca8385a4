//! Reading a server-sent event stream in tests.

use std::time::{Duration, Instant};

/// Reads server-sent events from `res` until `want` accepts one (`(event, data)`), or panics
/// after `within`.
pub async fn wait_for_event(
    res: &mut reqwest::Response,
    buf: &mut String,
    within: Duration,
    want: impl Fn(&str, &str) -> bool,
) {
    let deadline = Instant::now() + within;
    loop {
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let mut event = "message";
            let mut data = String::new();
            for line in block.lines() {
                if let Some(e) = line.strip_prefix("event: ") {
                    event = e;
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                }
            }
            if want(event, &data) {
                return;
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "no such event within {within:?}");
        match tokio::time::timeout(left, res.chunk()).await {
            Ok(Ok(Some(bytes))) => buf.push_str(&String::from_utf8_lossy(&bytes)),
            Ok(_) => panic!("the stream ended"),
            Err(_) => panic!("no such event within {within:?}"),
        }
    }
}
