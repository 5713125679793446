//! Regie's people work in the Netherlands: every moment shown to them is Dutch time, with the
//! switch between winter and summer time, whatever zone the server runs in. Stored moments stay
//! UTC.

use time::{Date, OffsetDateTime};
use time_tz::{OffsetDateTimeExt, PrimitiveDateTimeExt, timezones::db::europe::AMSTERDAM};

/// A moment as the clock on the wall in the Netherlands shows it.
pub fn dutch_time(at: OffsetDateTime) -> OffsetDateTime {
    at.to_timezone(AMSTERDAM)
}

/// The moment a Dutch calendar day begins, for "from" and "until" filters on moments.
pub fn start_of_dutch_day(day: Date) -> OffsetDateTime {
    day.midnight()
        .assume_timezone(AMSTERDAM)
        .take_first()
        // Dutch clocks change at 02:00 and 03:00, so midnight always exists; UTC is a safe floor.
        .unwrap_or_else(|| day.midnight().assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_dutch_day_starts_at_midnight_dutch_time() {
        use time::macros::date;
        assert_eq!(
            start_of_dutch_day(date!(2026 - 12 - 01)),
            datetime!(2026-11-30 23:00 UTC)
        );
        assert_eq!(
            start_of_dutch_day(date!(2026 - 07 - 01)),
            datetime!(2026-06-30 22:00 UTC)
        );
    }

    #[test]
    fn winter_time_is_one_hour_ahead_of_utc() {
        let shown = dutch_time(datetime!(2026-12-01 23:30 UTC));
        assert_eq!(
            (shown.date(), shown.hour(), shown.minute()),
            (time::macros::date!(2026 - 12 - 02), 0, 30)
        );
    }

    #[test]
    fn summer_time_is_two_hours_ahead_of_utc() {
        let shown = dutch_time(datetime!(2026-07-01 10:00 UTC));
        assert_eq!(shown.hour(), 12);
    }

    #[test]
    fn the_switch_to_summer_time_follows_the_last_sunday_of_march() {
        // 29 March 2026: at 01:00 UTC the clocks go from 02:00 to 03:00.
        assert_eq!(dutch_time(datetime!(2026-03-29 00:59 UTC)).hour(), 1);
        assert_eq!(dutch_time(datetime!(2026-03-29 01:00 UTC)).hour(), 3);
    }

    #[test]
    fn back_to_winter_time_on_the_last_sunday_of_october_keeps_the_moment() {
        // 25 October 2026: at 01:00 UTC the clocks go from 03:00 back to 02:00.
        assert_eq!(dutch_time(datetime!(2026-10-25 00:30 UTC)).hour(), 2);
        let after = datetime!(2026-10-25 01:30 UTC);
        assert_eq!(dutch_time(after).hour(), 2);
        assert_eq!(
            dutch_time(after),
            after,
            "the same moment, only shown differently"
        );
    }
}
