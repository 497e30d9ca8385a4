//! The time of day in Almaty (UTC+5, no daylight saving), for the server.
//!
//! Rules never read the clock themselves: they take a date or time as a parameter, so tests
//! are deterministic. Only the edges (server functions, the command line) call this.

use time::{Date, OffsetDateTime, UtcOffset};

/// Almaty's offset from UTC.
pub const ALMATY: UtcOffset = match UtcOffset::from_hms(5, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("valid offset"),
};

/// Today's date in Almaty.
pub fn almaty_today() -> Date {
    OffsetDateTime::now_utc().to_offset(ALMATY).date()
}
