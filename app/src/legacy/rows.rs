//! One row of a legacy queue, checked: every field by the rules the application form uses,
//! the first problem found names the row's refusal.

use super::csv::Record;
use crate::domain::application::{email_ok, months_before, MAX_TEXT};
use crate::domain::legacy::RowProblem;
use crate::domain::{parse_iso_date, District, GroupLanguage, Iin, Phone, PriorityClass};
use std::collections::HashMap;
use time::{Date, Month, Time, UtcOffset};

/// The columns a file must name in its header (in any order; others are ignored).
pub const COLUMNS: [&str; 12] = [
    "child_iin",
    "child_name",
    "birth_date",
    "parent_iin",
    "phone1",
    "phone2",
    "email",
    "applied_at",
    "priority",
    "source_kindergarten",
    "district",
    "language",
];

/// A row that passed every check.
#[derive(Debug, Clone)]
pub struct LegacyRow {
    pub file: usize,
    pub line: u32,
    pub child_iin: Iin,
    pub child_name: String,
    pub birth_date: Date,
    pub parent_iin: Iin,
    pub phone1: Phone,
    pub phone2: Option<Phone>,
    pub email: Option<String>,
    /// Unix milliseconds.
    pub applied_at: i64,
    pub priority: PriorityClass,
    /// The kindergarten's number.
    pub kindergarten: i64,
    pub district: District,
    pub language: GroupLanguage,
}

/// Where each needed column is, or the columns the header lacks.
pub fn columns(header: &[String]) -> Result<[usize; 12], Vec<&'static str>> {
    let at: HashMap<&str, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), i))
        .collect();
    let missing: Vec<&'static str> = COLUMNS
        .into_iter()
        .filter(|c| !at.contains_key(c))
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    Ok(COLUMNS.map(|c| at[c]))
}

use crate::clock::ALMATY;

fn two(s: &str) -> Option<u8> {
    (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

/// `+05:00`, `+0500`, `+05`, `-03:30` or `Z`.
fn offset(s: &str) -> Option<UtcOffset> {
    if s == "Z" || s == "z" {
        return Some(UtcOffset::UTC);
    }
    let sign: i8 = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let rest = s[1..].replace(':', "");
    let (h, m) = match rest.len() {
        2 => (two(&rest)?, 0),
        4 => (two(&rest[..2])?, two(&rest[2..])?),
        _ => return None,
    };
    UtcOffset::from_hms(sign * h as i8, sign * m as i8, 0).ok()
}

/// An ISO 8601 date and time as Unix milliseconds: `2021-03-04`, `2021-03-04T09:15`,
/// `2021-03-04 09:15:30`, with fractions of a second and an offset where given. A time
/// without an offset is Almaty time, a date alone the start of that day there.
pub fn parse_applied_at(text: &str) -> Option<i64> {
    let text = text.trim();
    let day = parse_iso_date(text.get(..10)?)?;
    let rest = &text[10..];
    let (time, zone) = if rest.is_empty() {
        (Time::MIDNIGHT, ALMATY)
    } else {
        let rest = rest.strip_prefix(['T', 't', ' '])?;
        let split = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
        let (clock, zone) = rest.split_at(split);
        let zone = if zone.is_empty() {
            ALMATY
        } else {
            offset(zone)?
        };
        let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
        let parts: Vec<&str> = hms.split(':').collect();
        if !(2..=3).contains(&parts.len()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let second = parts.get(2).map_or(Some(0), |s| two(s))?;
        let milli = fraction
            .bytes()
            .chain(std::iter::repeat(b'0'))
            .take(3)
            .fold(0u16, |acc, b| acc * 10 + u16::from(b - b'0'));
        let time = Time::from_hms_milli(two(parts[0])?, two(parts[1])?, second, milli).ok()?;
        (time, zone)
    };
    let at = day.with_time(time).assume_offset(zone);
    Some((at.unix_timestamp_nanos() / 1_000_000) as i64)
}

/// A birth date as `2023-04-05` or `05.04.2023` (empty: the one in the IIN).
fn parse_birth(text: &str) -> Option<Date> {
    let text = text.trim();
    if let Some(d) = parse_iso_date(text) {
        return Some(d);
    }
    let mut parts = text.split('.');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month = Month::try_from(two(m)?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, two(d)?).ok()
}

/// Checks one record against the rules; `kindergarten_known` says whether a number exists.
pub fn check(
    (file, record): (usize, &Record),
    at: &[usize; 12],
    kindergarten_known: &dyn Fn(i64) -> bool,
    (today, now): (Date, i64),
) -> Result<LegacyRow, RowProblem> {
    if record.fields.len() < at.iter().max().map_or(0, |m| m + 1) {
        return Err(RowProblem::ColumnCount);
    }
    let f = |i: usize| record.fields[at[i]].trim();
    let child_iin = Iin::parse(f(0)).map_err(|_| RowProblem::ChildIin)?;
    let child_name = f(1).split_whitespace().collect::<Vec<_>>().join(" ");
    if child_name.is_empty() || child_name.chars().count() > MAX_TEXT {
        return Err(RowProblem::ChildName);
    }
    let birth_date = if f(2).is_empty() {
        child_iin.birth_date()
    } else {
        parse_birth(f(2))
            .filter(|d| *d == child_iin.birth_date())
            .ok_or(RowProblem::BirthDate)?
    };
    if f(3).is_empty() {
        return Err(RowProblem::ParentIinMissing);
    }
    let parent_iin = Iin::parse(f(3)).map_err(|_| RowProblem::ParentIin)?;
    if parent_iin == child_iin {
        return Err(RowProblem::ChildIsParent);
    }
    let phone1 = Phone::parse(f(4)).map_err(|_| RowProblem::Phone1)?;
    let phone2 = match f(5) {
        "" => None,
        p => Some(Phone::parse(p).map_err(|_| RowProblem::Phone2)?),
    }
    .filter(|p| *p != phone1);
    let email = match f(6) {
        "" => None,
        e if email_ok(e) => Some(e.to_string()),
        _ => return Err(RowProblem::Email),
    };
    let applied_at = parse_applied_at(f(7))
        .filter(|t| *t <= now && *t >= crate::engine::rules::start_of_day_ms(birth_date))
        .ok_or(RowProblem::AppliedAt)?;
    let priority = PriorityClass::from_code(&f(8).to_lowercase()).ok_or(RowProblem::Priority)?;
    let kindergarten = f(9)
        .trim_start_matches(['№', '#'])
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| kindergarten_known(*n))
        .ok_or(RowProblem::UnknownKindergarten)?;
    let district = District::from_code(&f(10).to_lowercase()).ok_or(RowProblem::District)?;
    let language = GroupLanguage::from_code(&f(11).to_lowercase()).ok_or(RowProblem::Language)?;
    if birth_date > today {
        return Err(RowProblem::NotBorn);
    }
    if birth_date <= months_before(today, 72) {
        return Err(RowProblem::TooOld);
    }
    Ok(LegacyRow {
        file,
        line: record.line,
        child_iin,
        child_name,
        birth_date,
        parent_iin,
        phone1,
        phone2,
        email,
        applied_at,
        priority,
        kindergarten,
        district,
        language,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn ms(t: time::OffsetDateTime) -> i64 {
        (t.unix_timestamp_nanos() / 1_000_000) as i64
    }

    #[test]
    fn applied_at_reads_iso_8601_in_almaty_time_unless_told() {
        let cases = [
            ("2021-03-04", datetime!(2021-03-04 00:00 +5)),
            ("2021-03-04T09:15", datetime!(2021-03-04 09:15 +5)),
            ("2021-03-04 09:15:30", datetime!(2021-03-04 09:15:30 +5)),
            (
                "2021-03-04T09:15:30.25",
                datetime!(2021-03-04 09:15:30.25 +5),
            ),
            ("2021-03-04T09:15:30Z", datetime!(2021-03-04 09:15:30 UTC)),
            ("2021-03-04T09:15+06:00", datetime!(2021-03-04 09:15 +6)),
            ("2021-03-04T09:15:00+0300", datetime!(2021-03-04 09:15 +3)),
            ("2021-03-04T09:15-02", datetime!(2021-03-04 09:15 -2)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_applied_at(text), Some(ms(want)), "{text}");
        }
        for bad in [
            "2021-02-30",
            "2021-13-01",
            "2021-03-04T25:00",
            "2021-03-04T09:60",
            "04.03.2021",
            "2021-03-04T09",
            "2021-03-04X09:15",
            "2021-03-04T09:15+5",
            "",
        ] {
            assert_eq!(parse_applied_at(bad), None, "{bad}");
        }
    }

    #[test]
    fn birth_dates_in_both_spellings() {
        assert_eq!(parse_birth("2023-04-05"), Some(date!(2023 - 04 - 05)));
        assert_eq!(parse_birth("05.04.2023"), Some(date!(2023 - 04 - 05)));
        assert_eq!(parse_birth("31.02.2023"), None);
        assert_eq!(parse_birth("5.4.23"), None);
    }

    #[test]
    fn a_header_must_name_every_column() {
        let header: Vec<String> = COLUMNS.iter().rev().map(|c| c.to_string()).collect();
        assert_eq!(columns(&header).unwrap()[0], 11);
        assert_eq!(
            columns(&header[2..]).unwrap_err(),
            vec!["district", "language"]
        );
    }
}
