//! Server-rendered pages.

mod activities;
mod admin;
mod assessments;
mod audit_log;
mod catalogue;
mod clients;
mod home;
mod login;
mod network;
mod plan;
mod team;
mod tokens;
mod trajectories;
mod visits;

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
        .merge(trajectories::router())
        .merge(assessments::router())
        .merge(activities::router())
        .merge(network::router())
        .merge(plan::router())
        .merge(catalogue::router())
        .merge(team::router())
        .merge(visits::router())
        .merge(tokens::router())
}

/// The translated label of a domain code: `prefix-code`, with `_` written as `-`.
pub(crate) fn label(tr: Tr, prefix: &str, code: &str) -> String {
    tr.t(&format!("{prefix}-{}", code.replace('_', "-")))
}

/// The name of an instrument item (a daily activity, a life domain) in the reader's language;
/// the key itself if the instrument no longer has it.
pub(crate) fn item_name(
    instrument: &regie_domain::InstrumentDefinition,
    lang: regie_domain::Language,
    key: &str,
) -> String {
    instrument
        .item(key)
        .map(|i| i.name.get(lang).to_string())
        .unwrap_or_else(|| key.to_string())
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

/// The page number asked for in a query; anything unusable means the first page (a mangled
/// link is not worth an error).
pub(crate) fn page_number(raw: Option<&str>) -> i64 {
    raw.and_then(|p| p.trim().parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
        .min(1_000_000)
}

/// Links to the previous and next page of a list, and "page N of M"; rendered by `pager.html`.
pub(crate) struct Pager {
    pub previous: Option<String>,
    pub next: Option<String>,
    pub label: String,
}

impl Pager {
    pub fn new(
        tr: Tr,
        page: i64,
        page_size: i64,
        total: i64,
        link: impl Fn(i64) -> String,
    ) -> Self {
        let pages = ((total + page_size - 1) / page_size).max(1);
        Pager {
            previous: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
            label: tr.t_args(
                "common-page-of",
                &[("page", page.to_string()), ("pages", pages.to_string())],
            ),
        }
    }
}

/// One choice in a select or checkbox list.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
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
