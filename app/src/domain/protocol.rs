//! The public protocols: every seat posting and every referral issued, as anyone may read them
//! (no child's name, number or IIN: a referral is its code, kindergarten, age group and time).

use super::kindergarten::FilterError;
use super::{parse_iso_date, District};
use serde::{Deserialize, Serialize};

/// Which lines of a protocol: a district, a kindergarten (by its number), a day; a page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProtocolFilter {
    pub district: Option<District>,
    pub kindergarten: Option<i32>,
    pub day: Option<time::Date>,
    /// Zero-based.
    pub page: u32,
}

impl ProtocolFilter {
    pub const PAGE_SIZE: u32 = 50;
    pub const MAX_PAGE: u32 = 10_000;

    /// From the raw values of the protocol's form; empty means "any", `page` is one-based.
    pub fn parse(
        district: &str,
        kindergarten: &str,
        day: &str,
        page: &str,
    ) -> Result<ProtocolFilter, FilterError> {
        let district = match district.trim() {
            "" => None,
            code => Some(District::from_code(code).ok_or(FilterError::UnknownDistrict)?),
        };
        let kindergarten = match kindergarten.trim().trim_start_matches('№').trim() {
            "" => None,
            n => Some(
                n.parse::<i32>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or(FilterError::BadKindergarten)?,
            ),
        };
        let day = match day.trim() {
            "" => None,
            d => Some(parse_iso_date(d).ok_or(FilterError::BadDate)?),
        };
        let page = match page.trim() {
            "" => 0,
            p => match p.parse::<u32>() {
                Ok(n @ 1..=Self::MAX_PAGE) => n - 1,
                _ => return Err(FilterError::BadPage),
            },
        };
        Ok(ProtocolFilter {
            district,
            kindergarten,
            day,
            page,
        })
    }
}

/// A kindergarten as a protocol line names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtocolPlace {
    pub id: i64,
    pub number: i32,
    pub name_kk: String,
    pub name_ru: String,
    pub district: String,
}

/// A seat posting: who posted is the kindergarten; what changed, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingLine {
    pub at: i64,
    pub place: ProtocolPlace,
    pub cohort: i32,
    pub before: i64,
    pub after: i64,
}

/// A referral issued, with its flags: a staff member's child admitted by the head's order (the
/// order's number and reason), extended (the reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralLine {
    pub code: String,
    pub issued_at: i64,
    pub place: ProtocolPlace,
    pub cohort: i32,
    pub state: String,
    pub expires_at: i64,
    pub staff_order: Option<String>,
    pub staff_reason: Option<String>,
    pub extension_reason: Option<String>,
}

/// One page of a protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protocol<T> {
    pub lines: Vec<T>,
    /// All the lines the filter matches.
    pub total: i64,
    /// Zero-based.
    pub page: u32,
}

impl<T> Protocol<T> {
    pub fn pages(&self) -> u32 {
        (self.total.max(1) as u32).div_ceil(ProtocolFilter::PAGE_SIZE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_form_is_read_or_refused_with_a_reason() {
        let f = ProtocolFilter::parse("medeu", " №12 ", "2026-11-23", "3").unwrap();
        assert_eq!(f.district, Some(District::Medeu));
        assert_eq!(f.kindergarten, Some(12));
        assert_eq!(f.day, Some(date!(2026 - 11 - 23)));
        assert_eq!(f.page, 2);
        assert_eq!(
            ProtocolFilter::parse("", "", "", ""),
            Ok(ProtocolFilter::default())
        );
        let bad = |d, k, day, p| ProtocolFilter::parse(d, k, day, p).unwrap_err();
        assert_eq!(bad("mars", "", "", ""), FilterError::UnknownDistrict);
        assert_eq!(bad("", "x1", "", ""), FilterError::BadKindergarten);
        assert_eq!(bad("", "-4", "", ""), FilterError::BadKindergarten);
        assert_eq!(bad("", "", "23.11.2026", ""), FilterError::BadDate);
        assert_eq!(bad("", "", "", "0"), FilterError::BadPage);
    }
}
