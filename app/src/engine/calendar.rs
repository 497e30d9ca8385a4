//! Working days and the days of the year: Monday to Friday except the calendar's days off, plus
//! the weekend days moved to be worked; Almaty dates of instants; the days of yearly steps; the
//! built-in holidays. Pure: property-tested on its own.

use std::collections::BTreeSet;
use time::{Date, Duration, Month, OffsetDateTime, Time, Weekday};

use crate::clock::ALMATY;

/// Working days: Monday to Friday, except the calendar's holidays, and the weekend days moved
/// to be worked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    pub holidays: BTreeSet<Date>,
    pub workdays: BTreeSet<Date>,
}

impl Calendar {
    pub fn new(holidays: impl IntoIterator<Item = Date>) -> Calendar {
        Calendar {
            holidays: holidays.into_iter().collect(),
            workdays: BTreeSet::new(),
        }
    }

    /// The same, with these weekend days worked.
    pub fn with_workdays(mut self, days: impl IntoIterator<Item = Date>) -> Calendar {
        self.workdays = days.into_iter().collect();
        self
    }

    pub fn is_working_day(&self, day: Date) -> bool {
        if self.workdays.contains(&day) {
            return true;
        }
        !is_weekend(day) && !self.holidays.contains(&day)
    }

    /// The `n`-th working day after `day` (not counting `day` itself).
    pub fn add_working_days(&self, mut day: Date, n: u32) -> Date {
        let mut left = n;
        while left > 0 {
            day = day.next_day().expect("date in range");
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The working days from `from` through `last`, both counted (none when `last` is before
    /// `from`).
    pub fn working_days_through(&self, from: Date, last: Date) -> i64 {
        let mut n = 0;
        let mut day = from;
        while day <= last {
            n += i64::from(self.is_working_day(day));
            let Some(next) = day.next_day() else { break };
            day = next;
        }
        n
    }

    /// When something issued at `issued_ms` with `n` working days lapses: at the end (midnight,
    /// Almaty time) of the `n`-th working day after the day of issue.
    pub fn deadline(&self, issued_ms: i64, n: u32) -> i64 {
        let day = almaty_date(issued_ms);
        let last = self.add_working_days(day, n);
        start_of_day_ms(last.next_day().expect("date in range"))
    }
}

/// Saturday or Sunday.
pub fn is_weekend(day: Date) -> bool {
    matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The Almaty calendar date of a Unix-millisecond instant.
pub fn almaty_date(ms: i64) -> Date {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .expect("time in range")
        .to_offset(ALMATY)
        .date()
}

/// Midnight at the start of `day` in Almaty, as Unix milliseconds.
pub fn start_of_day_ms(day: Date) -> i64 {
    let t = day.with_time(Time::MIDNIGHT).assume_offset(ALMATY);
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// The day `(month, day)` of `year` (29 February is the 28th in a common year).
pub fn day_in(year: i32, (m, d): (u8, u8)) -> Date {
    let month = Month::try_from(m).unwrap_or(Month::January);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, d.clamp(1, last)).expect("a day of the month")
}

/// This year, if `reached(this year)`, else the year before.
pub(super) fn latest_year(today: Date, reached: impl Fn(i32) -> bool) -> i32 {
    if reached(today.year()) {
        today.year()
    } else {
        today.year() - 1
    }
}

/// `days` calendar days after `ms`.
pub fn add_days_ms(ms: i64, days: u32) -> i64 {
    ms + Duration::days(i64::from(days)).whole_milliseconds() as i64
}

/// Kazakhstan's public holidays of 2026 and 2027 with their weekend transfers (a holiday on a
/// Saturday or Sunday moves the day off to the next working day; religious holidays are not
/// moved). The education department edits the calendar as the government's yearly transfer
/// decree appears; this is the starting set.
pub fn default_holidays() -> Vec<(Date, &'static str)> {
    use time::macros::date;
    vec![
        (date!(2026 - 01 - 01), "New Year"),
        (date!(2026 - 01 - 02), "New Year"),
        (date!(2026 - 01 - 07), "Orthodox Christmas"),
        (
            date!(2026 - 03 - 09),
            "International Women's Day (moved from 8 March)",
        ),
        (date!(2026 - 03 - 23), "Nauryz"),
        (date!(2026 - 03 - 24), "Nauryz (moved from 21 March)"),
        (date!(2026 - 03 - 25), "Nauryz (moved from 22 March)"),
        (
            date!(2026 - 05 - 01),
            "Unity Day of the People of Kazakhstan",
        ),
        (date!(2026 - 05 - 07), "Defender of the Fatherland Day"),
        (date!(2026 - 05 - 11), "Victory Day (moved from 9 May)"),
        (date!(2026 - 05 - 27), "Kurban Ait"),
        (date!(2026 - 07 - 06), "Capital Day"),
        (
            date!(2026 - 08 - 31),
            "Constitution Day (moved from 30 August)",
        ),
        (
            date!(2026 - 10 - 26),
            "Republic Day (moved from 25 October)",
        ),
        (date!(2026 - 12 - 16), "Independence Day"),
        (date!(2027 - 01 - 01), "New Year"),
        (date!(2027 - 01 - 04), "New Year (moved from 2 January)"),
        (date!(2027 - 01 - 07), "Orthodox Christmas"),
        (date!(2027 - 03 - 08), "International Women's Day"),
        (date!(2027 - 03 - 22), "Nauryz"),
        (date!(2027 - 03 - 23), "Nauryz"),
        (date!(2027 - 03 - 24), "Nauryz (moved from 21 March)"),
        (
            date!(2027 - 05 - 03),
            "Unity Day of the People of Kazakhstan (moved from 1 May)",
        ),
        (date!(2027 - 05 - 07), "Defender of the Fatherland Day"),
        (date!(2027 - 05 - 10), "Victory Day (moved from 9 May)"),
        (date!(2027 - 05 - 16), "Kurban Ait"),
        (date!(2027 - 07 - 06), "Capital Day"),
        (date!(2027 - 08 - 30), "Constitution Day"),
        (date!(2027 - 10 - 25), "Republic Day"),
        (date!(2027 - 12 - 16), "Independence Day"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    proptest! {
        #[test]
        fn working_days_skip_weekends_and_holidays(start in 0i64..1_500, n in 0u32..30, hol in proptest::collection::vec(0i64..1_600, 0..40)) {
            let base = date!(2026 - 01 - 01);
            let cal = Calendar::new(hol.iter().map(|d| base + Duration::days(*d)));
            let day = base + Duration::days(start);
            let end = cal.add_working_days(day, n);
            prop_assert!(end >= day);
            // Exactly n working days lie in (day, end], and end itself is one when n > 0.
            let mut count = 0;
            let mut d = day;
            while d < end {
                d = d.next_day().unwrap();
                if cal.is_working_day(d) { count += 1; }
            }
            prop_assert_eq!(count, n);
            if n > 0 { prop_assert!(cal.is_working_day(end)); }
        }

        #[test]
        fn deadlines_fall_at_almaty_midnight_after_a_working_day(ms in 1_750_000_000_000i64..1_820_000_000_000, n in 1u32..10) {
            let cal = Calendar::new(default_holidays().into_iter().map(|(d, _)| d));
            let dl = cal.deadline(ms, n);
            prop_assert!(dl > ms);
            let last = almaty_date(dl - 1);
            prop_assert!(cal.is_working_day(last));
            prop_assert_eq!(start_of_day_ms(almaty_date(dl)), dl);
            prop_assert_eq!(cal.add_working_days(almaty_date(ms), n), last);
        }
    }

    #[test]
    fn a_weekend_day_moved_to_be_worked_counts() {
        // Saturday 28 November 2026 worked: Friday's three working days end on Tuesday.
        let cal = Calendar::new([]).with_workdays([date!(2026 - 11 - 28)]);
        assert!(cal.is_working_day(date!(2026 - 11 - 28)));
        assert!(!cal.is_working_day(date!(2026 - 11 - 29)));
        assert_eq!(
            cal.add_working_days(date!(2026 - 11 - 27), 3),
            date!(2026 - 12 - 01)
        );
    }
}
