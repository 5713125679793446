//! The one error type of the use cases. The web layer maps it onto status codes and pages; the
//! command line onto messages and exit codes.

use crate::records::conflict::Meanwhile;
use regie_domain::{FieldError, Refusal};
use regie_storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The record, or something inside it, does not exist (or its existence is secret).
    #[error("not found")]
    NotFound,
    /// Refused without a rule to name (an administrator-only action).
    #[error("forbidden")]
    Forbidden,
    /// Refused by a rule of the domain, with the reason; `client_id` names the record when a
    /// stated reason could open it (break the glass).
    #[error("refused: {}", refusal.audit_detail())]
    Refused {
        refusal: Refusal,
        client_id: Option<i64>,
    },
    /// The input breaks a rule; each message names its field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Valid, but clashing with what is stored (a second open trajectory, a taken name).
    #[error("{0} already exists")]
    Conflict(&'static str),
    /// The save was based on a version someone else changed meanwhile; with `precondition`,
    /// the version came from `If-Match`.
    #[error("changed meanwhile")]
    Stale {
        meanwhile: Box<Meanwhile>,
        precondition: bool,
    },
    /// A conditional change needs the version it is based on.
    #[error("If-Match required")]
    PreconditionRequired,
    #[error(transparent)]
    Storage(StorageError),
    #[error("{0}")]
    Internal(String),
}

impl From<StorageError> for Error {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::NotFound => Error::NotFound,
            StorageError::Conflict(what) => Error::Conflict(what),
            other => Error::Storage(other),
        }
    }
}

impl From<FieldError> for Error {
    fn from(error: FieldError) -> Self {
        Error::Invalid(vec![error])
    }
}

impl From<Vec<FieldError>> for Error {
    fn from(errors: Vec<FieldError>) -> Self {
        Error::Invalid(errors)
    }
}
