//! Kazakh mobile numbers, normalised to `+7 7XX XXX XX XX`.
//!
//! People type them as `8 701 123 45 67`, `+7 (701) 123-45-67`, `87011234567` or `7011234567`;
//! all of these are one number. Only mobile operator codes (7XX) are accepted, because the
//! number receives SMS.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Kazakh mobile number; `Phone::parse` is the only way in.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone {
    /// The ten national digits, starting with 7.
    national: [u8; 10],
}

/// Why a text is not a Kazakh mobile number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhoneError {
    /// Empty input.
    Empty,
    /// A character that is not a digit or one of `+ ( ) - .` and spaces.
    BadCharacter,
    /// Too few or too many digits.
    Length,
    /// Not a Kazakh number (country code other than +7, or a Russian +7 9XX number).
    NotKazakh,
    /// A Kazakh number, but not a mobile one (city numbers cannot receive SMS).
    NotMobile,
}

/// Operator codes of Kazakh mobile networks (the three digits after +7).
const MOBILE_CODES: &[u16] = &[
    700, 701, 702, 703, 704, 705, 706, 707, 708, 709, 747, 750, 751, 760, 761, 762, 763, 764, 771,
    775, 776, 777, 778,
];

impl Phone {
    pub fn parse(text: &str) -> Result<Phone, PhoneError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(PhoneError::Empty);
        }
        let mut digits = Vec::with_capacity(12);
        for (i, ch) in text.chars().enumerate() {
            match ch {
                '0'..='9' => digits.push(ch as u8 - b'0'),
                '+' if i == 0 => {}
                ' ' | '(' | ')' | '-' | '.' | '\u{a0}' => {}
                _ => return Err(PhoneError::BadCharacter),
            }
        }
        let plus = text.starts_with('+');
        let national: &[u8] = match digits.len() {
            10 if !plus => &digits,
            11 if digits[0] == 7 || (!plus && digits[0] == 8) => &digits[1..],
            11 => return Err(PhoneError::NotKazakh),
            _ => return Err(PhoneError::Length),
        };
        let code = national[..3]
            .iter()
            .fold(0u16, |acc, d| acc * 10 + u16::from(*d));
        if national[0] != 7 {
            // +7 followed by 3 or 4 is Russia, by 9 a Russian mobile; 6 and 7 are Kazakhstan.
            return Err(if national[0] == 6 {
                PhoneError::NotMobile
            } else {
                PhoneError::NotKazakh
            });
        }
        if !MOBILE_CODES.contains(&code) {
            return Err(PhoneError::NotMobile);
        }
        let mut out = [0u8; 10];
        out.copy_from_slice(national);
        Ok(Phone { national: out })
    }

    /// E.164 form for an SMS gateway: `+77011234567`.
    pub fn e164(&self) -> String {
        let mut s = String::from("+7");
        s.extend(self.national.iter().map(|d| char::from(b'0' + d)));
        s
    }
}

impl fmt::Display for Phone {
    /// The normalised human form `+7 701 123 45 67`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d: String = self.national.iter().map(|d| char::from(b'0' + d)).collect();
        write!(f, "+7 {} {} {} {}", &d[0..3], &d[3..6], &d[6..8], &d[8..10])
    }
}

impl fmt::Debug for Phone {
    /// Masked: a phone number is personal data and must not end up whole in a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Phone(+7 {}{}{} ••• •• {}{})",
            self.national[0],
            self.national[1],
            self.national[2],
            self.national[8],
            self.national[9]
        )
    }
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Phone::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(value: Phone) -> Self {
        value.e164()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_usual_spellings_are_one_number() {
        for text in [
            "+7 701 123 45 67",
            "+7 (701) 123-45-67",
            "87011234567",
            "8 701 123 45 67",
            "7011234567",
            "77011234567",
            " +77011234567 ",
        ] {
            let p = Phone::parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(p.to_string(), "+7 701 123 45 67");
            assert_eq!(p.e164(), "+77011234567");
        }
    }

    #[test]
    fn rejects_with_the_reason() {
        assert_eq!(Phone::parse("  "), Err(PhoneError::Empty));
        assert_eq!(
            Phone::parse("+7 701 123 45 6x"),
            Err(PhoneError::BadCharacter)
        );
        assert_eq!(Phone::parse("7 701 123"), Err(PhoneError::Length));
        assert_eq!(Phone::parse("+1 701 123 4567"), Err(PhoneError::NotKazakh));
        assert_eq!(Phone::parse("+7 916 123 45 67"), Err(PhoneError::NotKazakh));
        assert_eq!(Phone::parse("+7 727 250 00 00"), Err(PhoneError::NotMobile));
        assert_eq!(Phone::parse("8 799 123 45 67"), Err(PhoneError::NotMobile));
    }

    #[test]
    fn debug_is_masked() {
        let p = Phone::parse("87011234567").unwrap();
        assert!(!format!("{p:?}").contains("123 45"));
    }

    proptest! {
        #[test]
        fn display_form_parses_back(code in prop::sample::select(MOBILE_CODES.to_vec()), rest in 0u32..10_000_000) {
            let text = format!("8{code}{rest:07}");
            let p = Phone::parse(&text).unwrap();
            prop_assert_eq!(Phone::parse(&p.to_string()), Ok(p));
            prop_assert_eq!(Phone::parse(&p.e164()), Ok(p));
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,24}") {
            let _ = Phone::parse(&text);
        }
    }
}
