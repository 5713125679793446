//! Server-rendered pages.

mod admin;
mod audit_log;
mod clients;
mod home;
mod login;

use crate::i18n::Tr;
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use regie_domain::FieldError;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(login::router())
        .merge(home::router())
        .merge(clients::router())
        .merge(admin::router())
        .merge(audit_log::router())
}

/// Renders a page with a status; a template error is a bug, answered with a plain 500.
pub(crate) fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "template failed to render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Translated messages per form field, shown next to the field.
#[derive(Debug, Default)]
pub(crate) struct FormErrors(HashMap<&'static str, String>);

impl FormErrors {
    pub fn from_fields(tr: Tr, errors: &[FieldError]) -> Self {
        let mut map = HashMap::new();
        for error in errors {
            map.entry(error.field).or_insert_with(|| tr.t(error.key));
        }
        FormErrors(map)
    }

    pub fn get(&self, field: &str) -> Option<&String> {
        self.0.get(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn insert(&mut self, field: &'static str, message: String) {
        self.0.insert(field, message);
    }
}

/// Runs each parser and collects every failure, so a form shows all its problems at once.
pub(crate) fn collect<T>(result: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// A url-encoded form as its list of fields, keeping repeated keys (checkbox lists), which
/// `axum::Form` cannot collect into one list.
pub(crate) struct PairsForm(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for PairsForm {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let invalid =
            || AppError::Invalid(vec![FieldError::new("form", "error-bad-request-detail")]);
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| invalid())?;
        let pairs = serde_urlencoded::from_bytes(&bytes).map_err(|_| invalid())?;
        Ok(PairsForm(pairs))
    }
}

/// Parses the ids of checked team boxes; ignores anything that is not a number.
pub(crate) fn team_ids(values: &[String]) -> Vec<i64> {
    let mut ids: Vec<i64> = values.iter().filter_map(|v| v.parse().ok()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}
