//! Kindergartens as the directory and the map show them, and the directory's filter.

use super::{AgeGroup, Cohort, District, GroupLanguage, LanguageSet};
use serde::{Deserialize, Serialize};

/// What kind of preschool organisation it is. Only general state kindergartens take part in the
/// unified queue; specialized ones are excluded by rule, private ones are outside it for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KindergartenKind {
    General,
    Specialized,
    Private,
}

impl KindergartenKind {
    pub const ALL: [KindergartenKind; 3] = [Self::General, Self::Specialized, Self::Private];

    pub fn code(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Specialized => "specialized",
            Self::Private => "private",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One line of the public directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindergartenCard {
    pub id: i64,
    /// The number in the city registry ("No. 123").
    pub number: i32,
    pub name_kk: String,
    pub name_ru: String,
    pub district: District,
    pub address_kk: String,
    pub address_ru: String,
    pub lat: f64,
    pub lon: f64,
    pub languages: LanguageSet,
    pub kind: KindergartenKind,
    pub in_queue: bool,
    pub capacity: i64,
    /// Seats that can be claimed now (posted and not taken).
    pub free_seats: i64,
}

/// Seats of one age group of a kindergarten.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSeats {
    pub cohort: Cohort,
    pub age_group: Option<AgeGroup>,
    pub capacity: i64,
    pub free: i64,
}

/// A kindergarten's own page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindergartenDetail {
    pub card: KindergartenCard,
    pub groups: Vec<GroupSeats>,
}

/// Figures for the header of public pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CitySummary {
    pub organisations: i64,
    pub in_queue: i64,
    /// Children in the queue: waiting, or invited and choosing a seat.
    pub waiting_children: i64,
    pub free_seats: i64,
}

/// A validated directory query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DirectoryFilter {
    /// Lower-cased search text, at most [`DirectoryFilter::MAX_QUERY`] characters.
    pub text: String,
    pub district: Option<District>,
    pub language: Option<GroupLanguage>,
    pub free_only: bool,
    /// Zero-based page number.
    pub page: u32,
}

/// Why a directory query was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilterError {
    QueryTooLong,
    UnknownDistrict,
    UnknownLanguage,
    BadPage,
    /// A kindergarten's number that is not one.
    BadKindergarten,
    /// A day that is not a date (`YYYY-MM-DD`).
    BadDate,
}

impl DirectoryFilter {
    pub const MAX_QUERY: usize = 80;
    pub const PAGE_SIZE: u32 = 24;
    pub const MAX_PAGE: u32 = 1000;

    /// Builds a filter from the raw query-string values of the directory form. Empty values mean
    /// "any"; `page` is one-based as people see it.
    pub fn parse(
        text: &str,
        district: &str,
        language: &str,
        free_only: &str,
        page: &str,
    ) -> Result<DirectoryFilter, FilterError> {
        let text = text.trim();
        if text.chars().count() > Self::MAX_QUERY {
            return Err(FilterError::QueryTooLong);
        }
        let district = match district.trim() {
            "" => None,
            code => Some(District::from_code(code).ok_or(FilterError::UnknownDistrict)?),
        };
        let language = match language.trim() {
            "" => None,
            code => Some(GroupLanguage::from_code(code).ok_or(FilterError::UnknownLanguage)?),
        };
        let free_only = matches!(free_only.trim(), "1" | "on" | "true");
        let page = match page.trim() {
            "" => 0,
            p => match p.parse::<u32>() {
                Ok(n @ 1..=Self::MAX_PAGE) => n - 1,
                _ => return Err(FilterError::BadPage),
            },
        };
        Ok(DirectoryFilter {
            text: normalise_search(text),
            district,
            language,
            free_only,
            page,
        })
    }
}

/// The form in which names are searched: lower case (Cyrillic included), `ё` as `е`, runs of
/// spaces and punctuation as one space. Stored names are indexed in the same form.
pub fn normalise_search(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.chars().flat_map(char::to_lowercase) {
        let ch = if ch == 'ё' { 'е' } else { ch };
        if ch.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        } else {
            space = true;
        }
    }
    out
}

/// The directory's answer to one filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryPage {
    pub items: Vec<KindergartenCard>,
    /// How many kindergartens match the filter in all.
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
}

impl DirectoryPage {
    pub fn page_count(&self) -> u32 {
        let size = i64::from(self.page_size.max(1));
        ((self.total + size - 1) / size).max(1) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn empty_form_means_everything() {
        let f = DirectoryFilter::parse("", "", "", "", "").unwrap();
        assert_eq!(f, DirectoryFilter::default());
    }

    #[test]
    fn parses_each_field() {
        let f = DirectoryFilter::parse("  Балапан ", "medeu", "kk", "1", "3").unwrap();
        assert_eq!(f.text, "балапан");
        assert_eq!(f.district, Some(District::Medeu));
        assert_eq!(f.language, Some(GroupLanguage::Kazakh));
        assert!(f.free_only);
        assert_eq!(f.page, 2);
    }

    #[test]
    fn refuses_bad_values() {
        let long = "а".repeat(81);
        assert_eq!(
            DirectoryFilter::parse(&long, "", "", "", ""),
            Err(FilterError::QueryTooLong)
        );
        assert_eq!(
            DirectoryFilter::parse("", "moscow", "", "", ""),
            Err(FilterError::UnknownDistrict)
        );
        assert_eq!(
            DirectoryFilter::parse("", "", "fr", "", ""),
            Err(FilterError::UnknownLanguage)
        );
        assert_eq!(
            DirectoryFilter::parse("", "", "", "", "0"),
            Err(FilterError::BadPage)
        );
        assert_eq!(
            DirectoryFilter::parse("", "", "", "", "x"),
            Err(FilterError::BadPage)
        );
        assert_eq!(
            DirectoryFilter::parse("", "", "", "", "1001"),
            Err(FilterError::BadPage)
        );
    }

    #[test]
    fn normalises_search_text() {
        assert_eq!(
            normalise_search("  Детский   сад №12 «Ёлочка» "),
            "детский сад 12 елочка"
        );
        assert_eq!(normalise_search("ҚАРЛЫҒАШ"), "қарлығаш");
        assert_eq!(normalise_search("%_"), "");
    }

    #[test]
    fn page_count_rounds_up() {
        let p = |total| {
            DirectoryPage {
                items: vec![],
                total,
                page: 0,
                page_size: 24,
            }
            .page_count()
        };
        assert_eq!(p(0), 1);
        assert_eq!(p(24), 1);
        assert_eq!(p(25), 2);
        assert_eq!(p(685), 29);
    }

    proptest! {
        #[test]
        fn normalised_text_is_a_fixed_point(text in "\\PC{0,40}") {
            let once = normalise_search(&text);
            prop_assert_eq!(normalise_search(&once), once.clone());
            prop_assert!(!once.contains('%') && !once.contains('_'));
        }
    }
}
