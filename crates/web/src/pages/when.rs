//! Dates and moments as people read them: day-month-year, and Dutch time (winter or summer
//! time) for moments, which are stored in UTC.

use regie_domain::dutch_time;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// A calendar date: "01-12-2026".
pub(crate) fn date(d: Date) -> String {
    d.format(format_description!("[day]-[month]-[year]"))
        .unwrap_or_default()
}

/// The Dutch calendar day of a moment (a visit at 00:30 belongs to that day, not the one before).
pub(crate) fn day_of(at: OffsetDateTime) -> String {
    date(dutch_time(at).date())
}

/// A moment in Dutch time to the minute: "01-12-2026 14:05".
pub(crate) fn moment(at: OffsetDateTime) -> String {
    dutch_time(at)
        .format(format_description!("[day]-[month]-[year] [hour]:[minute]"))
        .unwrap_or_default()
}

/// A moment in Dutch time to the second, for the audit log.
pub(crate) fn moment_to_the_second(at: OffsetDateTime) -> String {
    dutch_time(at)
        .format(format_description!(
            "[day]-[month]-[year] [hour]:[minute]:[second]"
        ))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn moments_are_shown_in_dutch_time() {
        assert_eq!(moment(datetime!(2026-12-01 23:30 UTC)), "02-12-2026 00:30");
        assert_eq!(moment(datetime!(2026-07-01 10:05 UTC)), "01-07-2026 12:05");
        assert_eq!(
            moment_to_the_second(datetime!(2026-07-01 10:05:09 UTC)),
            "01-07-2026 12:05:09"
        );
    }

    #[test]
    fn the_day_of_a_moment_is_the_dutch_day() {
        assert_eq!(day_of(datetime!(2026-12-01 23:30 UTC)), "02-12-2026");
        assert_eq!(date(time::macros::date!(2026 - 03 - 09)), "09-03-2026");
    }
}
