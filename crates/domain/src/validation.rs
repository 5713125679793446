/// A rejected input value: which field, and a message key the web layer translates.
///
/// Keys name entries in the fluent files (`error-…`), so every message exists in Dutch and English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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

/// Keeps a parsed value, or records why it failed, so a form can report every problem at once.
pub fn collect<T>(result: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}
