//! Birth-year cohorts and the age groups they sit in during a school year.
//!
//! The queue is split by year of birth. A school year runs from 1 September to 31 August; in
//! the school year that starts in September of year `Y`, a child born in `Y - n` is in the age
//! group for `n`-year-olds.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// Children born in one calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Cohort(pub i32);

/// Kindergarten age groups (Kazakh state kindergartens).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AgeGroup {
    /// 1-2 years.
    Nursery,
    /// 2-3 years.
    Junior,
    /// 3-4 years.
    Middle,
    /// 4-5 years.
    Senior,
    /// 5-6 years, the year before school.
    Preschool,
}

impl AgeGroup {
    pub const ALL: [AgeGroup; 5] = [
        Self::Nursery,
        Self::Junior,
        Self::Middle,
        Self::Senior,
        Self::Preschool,
    ];

    /// The age in whole years the group is named after.
    pub fn age(self) -> i32 {
        match self {
            Self::Nursery => 1,
            Self::Junior => 2,
            Self::Middle => 3,
            Self::Senior => 4,
            Self::Preschool => 5,
        }
    }
}

/// The calendar year in which the school year containing `day` started.
pub fn school_year_start(day: Date) -> i32 {
    if day.month() >= Month::September {
        day.year()
    } else {
        day.year() - 1
    }
}

impl Cohort {
    pub fn of(birth: Date) -> Cohort {
        Cohort(birth.year())
    }

    /// The age group this cohort sits in during the school year containing `day`, if any.
    pub fn age_group(self, day: Date) -> Option<AgeGroup> {
        let age = school_year_start(day) - self.0;
        AgeGroup::ALL.into_iter().find(|g| g.age() == age)
    }

    /// The cohort that sits in `group` during the school year containing `day`.
    pub fn in_group(group: AgeGroup, day: Date) -> Cohort {
        Cohort(school_year_start(day) - group.age())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn school_year_turns_on_first_of_september() {
        assert_eq!(school_year_start(date!(2026 - 08 - 31)), 2025);
        assert_eq!(school_year_start(date!(2026 - 09 - 01)), 2026);
        assert_eq!(
            Cohort(2023).age_group(date!(2026 - 11 - 25)),
            Some(AgeGroup::Middle)
        );
        assert_eq!(
            Cohort(2023).age_group(date!(2026 - 05 - 25)),
            Some(AgeGroup::Junior)
        );
        assert_eq!(Cohort(2026).age_group(date!(2026 - 11 - 25)), None);
        assert_eq!(Cohort(2020).age_group(date!(2026 - 11 - 25)), None);
    }

    proptest! {
        #[test]
        fn in_group_inverts_age_group(g in prop::sample::select(AgeGroup::ALL.to_vec()), y in 2000i32..2100, ord in 1u16..=365) {
            let day = Date::from_ordinal_date(y, ord).unwrap();
            prop_assert_eq!(Cohort::in_group(g, day).age_group(day), Some(g));
        }
    }
}

/// Parses an ISO 8601 calendar date (`2023-05-14`), as forms and the database write it.
pub fn parse_iso_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = text.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let month = time::Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    Date::from_calendar_date(num(0..4)? as i32, month, u8::try_from(num(8..10)?).ok()?).ok()
}

#[cfg(test)]
mod parse_tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn iso_dates_round_trip(y in 1900i32..2100, doy in 1u16..366) {
            let d = Date::from_ordinal_date(y, doy).unwrap();
            prop_assert_eq!(parse_iso_date(&d.to_string()), Some(d));
        }

        #[test]
        fn never_panics(s in "\\PC{0,12}") {
            let _ = parse_iso_date(&s);
        }
    }

    #[test]
    fn rejects_non_dates() {
        for bad in [
            "2023-02-30",
            "2023-13-01",
            "23-01-01",
            "2023/01/01",
            "+023-01-01",
            "2023-1-011",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }
}
