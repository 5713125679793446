use time::Date;

/// A rejected input value: which field, and a message key the web layer translates.
///
/// Keys name entries in the fluent files (`error-…`), so every message exists in Dutch and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {key}")]
pub struct FieldError {
    pub field: &'static str,
    pub key: &'static str,
}

impl FieldError {
    pub const fn new(field: &'static str, key: &'static str) -> Self {
        Self { field, key }
    }
}

const MAX_TEXT: usize = 2000;

/// Trims a free text; `required` makes empty an error, and very long text is refused.
pub fn text(field: &'static str, raw: &str, required: bool) -> Result<Option<String>, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return if required {
            Err(FieldError::new(field, "error-required"))
        } else {
            Ok(None)
        };
    }
    if value.chars().count() > MAX_TEXT {
        return Err(FieldError::new(field, "error-text-too-long"));
    }
    Ok(Some(value.to_string()))
}

/// A date typed as `YYYY-MM-DD` (what a date input sends); empty is none.
pub fn optional_date(field: &'static str, raw: &str) -> Result<Option<Date>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    Date::parse(
        raw,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map(Some)
    .map_err(|_| FieldError::new(field, "error-date-format"))
}

/// Keeps a parsed value, or records why it failed, so a form can report every problem at once.
pub fn collect<T>(result: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}
