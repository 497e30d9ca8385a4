//! Notifications: the engine queues them in the outbox, in the same transaction as what they
//! announce; the delivery worker ([`worker`]) turns each into deliveries (an SMS to each
//! mobile number of the application, an e-mail when it has an address), sends them through
//! the configured providers ([`sms`], [`mail`]) and records what happened.
//!
//! Exactly once: a delivery is claimed with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
//! so several workers never take one row), sent with its idempotency key `kezek-<id>` (SMSC's
//! message id, the e-mail's `Message-ID`), and marked sent together with the provider's id. A
//! worker that dies mid-batch leaves its leases to expire; the delivery is then sent again
//! with the same key, which the provider recognises.

pub mod ledger;
pub mod mail;
pub mod sms;
pub mod texts;
pub mod worker;

/// A provider took the message: its id for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub provider_id: String,
}

/// A provider did not take the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Sending again cannot help (a number or address that does not exist, a refused text).
    Permanent(String),
    /// Worth another attempt later (busy, unreachable, slow, out of credit).
    Temporary(String),
}

impl Failure {
    pub fn reason(&self) -> &str {
        match self {
            Failure::Permanent(r) | Failure::Temporary(r) => r,
        }
    }
}

/// `+7 701 *** ** 12`: enough for a parent to recognise the number, not to read it.
pub fn mask_phone(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 11 {
        return "***".into();
    }
    format!(
        "+{} {} *** ** {}",
        &digits[..1],
        &digits[1..4],
        &digits[9..]
    )
}

/// `a***@mail.kz`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((user, domain)) => {
            let first: String = user.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_keep_only_what_recognises() {
        assert_eq!(super::mask_phone("+77011234512"), "+7 701 *** ** 12");
        assert_eq!(super::mask_phone("12"), "***");
        assert_eq!(super::mask_email("aigerim@mail.kz"), "a***@mail.kz");
    }
}
