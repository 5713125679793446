use time::Date;

/// A rejected input value: which field, and a message key the web layer translates.
///
/// Keys name entries in the fluent files (`error-…`), so every message exists in Dutch and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {key}")]
pub struct FieldError {
    pub field: &'static str,
    pub key: &'static str,
    /// Which of a form's repeated parts the field belongs to (a goal's number in an
    /// evaluation, say); none for a field that occurs once.
    pub item: Option<u32>,
}

impl FieldError {
    pub const fn new(field: &'static str, key: &'static str) -> Self {
        Self {
            field,
            key,
            item: None,
        }
    }

    /// The same message for the field in part `item` of the form.
    pub const fn in_item(self, item: u32) -> Self {
        Self {
            item: Some(item),
            ..self
        }
    }

    /// The field's name as forms and the API name it: `field`, or `field-item` in a part.
    pub fn name(&self) -> String {
        match self.item {
            Some(item) => format!("{}-{item}", self.field),
            None => self.field.to_string(),
        }
    }
}

pub const MAX_TEXT: usize = 2000;

/// Control characters other than tab and line breaks: never part of a note, and PostgreSQL
/// cannot store a NUL at all.
pub fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Trims a free text; `required` makes empty an error, and very long text, or text with
/// control characters other than tabs and line breaks, is refused.
pub fn text(field: &'static str, raw: &str, required: bool) -> Result<Option<String>, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return if required {
            Err(FieldError::new(field, "error-required"))
        } else {
            Ok(None)
        };
    }
    if value.chars().count() > MAX_TEXT || value.chars().any(is_stray_control) {
        return Err(FieldError::new(field, "error-text-too-long"));
    }
    Ok(Some(value.to_string()))
}

/// Exactly `YYYY-MM-DD`, a day that exists (what a date input sends, and what JSON Schema's
/// `date` format means). The `time` parser alone would also take a signed year.
pub fn parse_date(raw: &str) -> Option<Date> {
    let bytes = raw.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return None;
    }
    Date::parse(
        raw,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// A date as [`parse_date`] reads it: `YYYY-MM-DD`.
pub fn iso_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        date.month() as u8,
        date.day()
    )
}

/// An optional date: blank is none, anything else must be [`parse_date`]'s shape.
pub fn optional_date(field: &'static str, raw: &str) -> Result<Option<Date>, FieldError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    parse_date(raw)
        .map(Some)
        .ok_or(FieldError::new(field, "error-date-format"))
}

/// The day something happened, typed after the fact (an assessment, a rating, an ended
/// intervention): blank is today; never a day still to come, never before the trajectory
/// started, so records line up with the trajectory they belong to.
pub fn happened_on(
    field: &'static str,
    raw: &str,
    started: Date,
    today: Date,
) -> Result<Date, FieldError> {
    let date = optional_date(field, raw)?.unwrap_or(today);
    if date > today {
        return Err(FieldError::new(field, "error-date-future"));
    }
    if date < started {
        return Err(FieldError::new(field, "error-date-before-start"));
    }
    Ok(date)
}

/// Keeps a parsed value, or records why it failed, so a form can report every problem at once.
pub fn collect<T>(result: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn texts_refuse_control_characters_but_keep_line_breaks() {
        assert_eq!(
            text("note", " eerst\r\ndan\ttoen ", false).unwrap(),
            Some("eerst\r\ndan\ttoen".into())
        );
        for bad in ["a\u{0}b", "bel\u{7}", "x\u{85}y", "\u{1b}[31m"] {
            assert_eq!(
                text("note", bad, false).unwrap_err().key,
                "error-text-too-long",
                "{bad:?}"
            );
        }
        assert_eq!(
            text("note", " \n ", true).unwrap_err().key,
            "error-required"
        );
    }

    #[test]
    fn a_day_that_happened_lies_between_the_start_and_today() {
        let (started, today) = (date!(2026 - 10 - 05), date!(2026 - 12 - 01));
        assert_eq!(happened_on("date", "", started, today), Ok(today));
        for fine in ["2026-10-05", "2026-11-15", "2026-12-01"] {
            assert_eq!(
                happened_on("date", fine, started, today),
                Ok(parse_date(fine).unwrap())
            );
        }
        assert_eq!(
            happened_on("date", "2026-12-02", started, today),
            Err(FieldError::new("date", "error-date-future"))
        );
        assert_eq!(
            happened_on("date", "2026-10-04", started, today),
            Err(FieldError::new("date", "error-date-before-start"))
        );
        assert_eq!(
            happened_on("date", "1-12-2026", started, today),
            Err(FieldError::new("date", "error-date-format"))
        );
    }

    #[test]
    fn dates_have_exactly_one_shape() {
        assert_eq!(parse_date("2026-02-28"), Some(date!(2026 - 02 - 28)));
        assert_eq!(parse_date("0000-01-01"), Some(date!(0000 - 01 - 01)));
        for bad in [
            "2026-02-29",
            "+2026-01-01",
            " 2026-01-01",
            "2026-1-01",
            "2026/01/01",
            "20260101",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
        assert_eq!(optional_date("d", "  "), Ok(None));
        assert_eq!(
            optional_date("d", "2026-01-01 ").unwrap_err().key,
            "error-date-format"
        );
    }
}
