//! Everything shown as a date, a moment or a number goes through here, so every page writes
//! them the same way: dates day-month-year; moments (stored in UTC) in Dutch time, winter or
//! summer; decimals in the reader's notation ("1,5 uur" and "63,3" in Dutch, "1.5 hours" and
//! "63.3" in English).

use crate::i18n::Tr;
use regie_domain::{Language, dutch_time};
use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// A calendar date: "01-12-2026".
pub(crate) fn date(d: Date) -> String {
    d.format(format_description!("[day]-[month]-[year]"))
        .unwrap_or_default()
}

/// A date as a date field takes it and sends it back: "2026-12-01".
pub(crate) fn form_date(d: Date) -> String {
    d.format(format_description!("[year]-[month]-[day]"))
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

/// A number with `places` decimals in the reader's notation: "63,3" in Dutch, "63.3" in English.
pub(crate) fn decimal(tr: Tr, value: f64, places: usize) -> String {
    in_notation(tr.lang, format!("{value:.places$}"))
}

/// A share (0 to 1) as a whole percentage: "75%".
pub(crate) fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// Minutes as hours in the reader's notation, without trailing zeros: "3,5 uur", "3.5 hours".
pub(crate) fn hours(tr: Tr, minutes: u32) -> String {
    tr.t_args(
        "plan-hours",
        &[("hours", in_notation(tr.lang, hours_number(minutes)))],
    )
}

/// Minutes as a number of hours the way a form field takes it back, with a point: "3.5".
pub(crate) fn hours_number(minutes: u32) -> String {
    let value = f64::from(minutes) / 60.0;
    format!("{value:.2}")
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

/// A number written with a decimal point, in the notation of `lang`.
fn in_notation(lang: Language, number: String) -> String {
    match lang {
        Language::Nl => number.replace('.', ","),
        Language::En => number,
    }
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
    fn numbers_are_written_in_the_readers_notation() {
        let (nl, en) = (Tr::new(Language::Nl), Tr::new(Language::En));
        assert_eq!(decimal(nl, 63.26, 1), "63,3");
        assert_eq!(decimal(en, 63.33, 1), "63.3");
        assert_eq!(decimal(nl, 2.0, 1), "2,0");
        assert_eq!(hours(nl, 90), "1,5 uur");
        assert_eq!(hours(en, 90), "1.5 hours");
        assert_eq!(hours(nl, 120), "2 uur");
        assert_eq!(hours_number(210), "3.5");
        assert_eq!(hours_number(20), "0.33");
        assert_eq!(percent(0.75), "75%");
    }

    #[test]
    fn the_day_of_a_moment_is_the_dutch_day() {
        assert_eq!(day_of(datetime!(2026-12-01 23:30 UTC)), "02-12-2026");
        assert_eq!(date(time::macros::date!(2026 - 03 - 09)), "09-03-2026");
        assert_eq!(form_date(time::macros::date!(2026 - 03 - 09)), "2026-03-09");
    }
}
