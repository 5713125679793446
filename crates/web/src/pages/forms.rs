//! Forms: their messages, and the one answer to a save — go on when it was saved, show the
//! form again with the input kept and the messages next to the fields when it was refused.

use super::meanwhile::messages;
use crate::AppError;
use crate::i18n::Tr;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use regie_app::records::conflict::Meanwhile;
use regie_domain::{FieldError, PlanChange};
use std::collections::HashMap;

/// Translated messages per form field, shown next to the field; and, when a save was refused
/// because someone else changed the same thing meanwhile, what they changed.
#[derive(Debug, Default)]
pub(crate) struct FormErrors {
    /// Keyed by the field's name in the form: `field`, or `field-item` in a repeated part.
    fields: HashMap<String, String>,
    meanwhile: Vec<String>,
}

impl FormErrors {
    pub fn from_fields(tr: Tr, errors: &[FieldError]) -> Self {
        let mut fields = HashMap::new();
        for error in errors {
            fields
                .entry(error.name())
                .or_insert_with(|| tr.t(error.key));
        }
        FormErrors {
            fields,
            meanwhile: Vec::new(),
        }
    }

    /// The form's message says the save was refused; `lines` say what changed meanwhile.
    pub fn changed_meanwhile(tr: Tr, lines: Vec<String>) -> Self {
        let mut errors = FormErrors::default();
        errors.insert("form", tr.t("stale-form"));
        errors.meanwhile = lines;
        errors
    }

    pub fn get(&self, field: &str) -> Option<&String> {
        self.fields.get(field)
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn insert(&mut self, field: &'static str, message: String) {
        self.fields.insert(field.to_string(), message);
    }

    /// What someone else changed meanwhile, one line per change.
    pub fn meanwhile(&self) -> &[String] {
        &self.meanwhile
    }
}

/// Why a save was refused in a way the form answers itself: its input broke a rule (422, a
/// message next to each field), or someone else changed the same thing meanwhile (409, what
/// they changed, and the form based on the newest version).
pub(crate) enum Refused {
    Input(Vec<FieldError>),
    Meanwhile(Box<Meanwhile>),
}

impl Refused {
    /// The refusal in `error`, or the error itself when it is not about the form (not found,
    /// forbidden, …): that one is answered as an error page.
    pub fn of(error: AppError) -> Result<Self, AppError> {
        match error {
            AppError::Invalid(problems) => Ok(Refused::Input(problems)),
            AppError::Stale { meanwhile, .. } => Ok(Refused::Meanwhile(meanwhile)),
            other => Err(other),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Refused::Input(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Refused::Meanwhile(_) => StatusCode::CONFLICT,
        }
    }

    /// After a refused overwrite: the newest version, which the form is now based on.
    pub fn newest(&self) -> Option<i64> {
        match self {
            Refused::Input(_) => None,
            Refused::Meanwhile(meanwhile) => Some(meanwhile.newest()),
        }
    }

    /// The messages to show.
    pub fn errors(&self, tr: Tr) -> FormErrors {
        self.errors_describing(tr, |_| Vec::new())
    }

    /// The messages to show, with changes to a plan described by `describe_plan` (only the
    /// plan pages know the names of goals and activities).
    pub fn errors_describing(
        &self,
        tr: Tr,
        describe_plan: impl Fn(&[PlanChange]) -> Vec<String>,
    ) -> FormErrors {
        match self {
            Refused::Input(problems) => FormErrors::from_fields(tr, problems),
            Refused::Meanwhile(meanwhile) => messages(tr, meanwhile, describe_plan),
        }
    }
}

/// A form page's messages and status: none and 200 when it is first shown, or those of a
/// refused save.
pub(crate) struct Again {
    pub errors: FormErrors,
    pub status: StatusCode,
    /// Set after a refused overwrite: the newest version.
    pub newest: Option<i64>,
}

impl Again {
    pub fn fresh() -> Self {
        Again {
            errors: FormErrors::default(),
            status: StatusCode::OK,
            newest: None,
        }
    }

    pub fn after(tr: Tr, refused: &Refused) -> Self {
        Again {
            errors: refused.errors(tr),
            status: refused.status(),
            newest: refused.newest(),
        }
    }
}

/// The answer to a form's save: saved, on to `to(value)` (303); refused for its input or
/// because someone changed the same thing meanwhile, the form again through `show_again`;
/// anything else, the error page.
pub(crate) async fn save_or_show<T>(
    saved: Result<T, regie_app::Error>,
    to: impl FnOnce(T) -> String,
    show_again: impl AsyncFnOnce(Refused) -> Result<Response, AppError>,
) -> Result<Response, AppError> {
    match saved {
        Ok(value) => Ok(Redirect::to(&to(value)).into_response()),
        Err(error) => show_again(Refused::of(error.into())?).await,
    }
}
