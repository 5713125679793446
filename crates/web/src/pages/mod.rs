//! Server-rendered pages.

mod activities;
mod admin;
mod assessments;
mod audit_log;
mod catalogue;
mod clients;
mod closure;
mod evaluation;
mod forms;
mod home;
mod login;
mod meanwhile;
mod network;
mod plan;
mod team;
mod tokens;
mod trajectories;
mod visits;

pub(crate) use crate::choice::{Choice, label};
use crate::i18n::Tr;
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
pub(crate) use forms::{Again, FormErrors, Refused, save_or_show};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(login::router())
        .merge(home::router())
        .merge(clients::router())
        .merge(admin::router())
        .merge(audit_log::router())
        .merge(trajectories::router())
        .merge(closure::router())
        .merge(assessments::router())
        .merge(activities::router())
        .merge(network::router())
        .merge(plan::router())
        .merge(evaluation::router())
        .merge(catalogue::router())
        .merge(team::router())
        .merge(visits::router())
        .merge(tokens::router())
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

/// Whether every key and value of a url-encoded body decodes to valid UTF-8. The usual
/// decoders replace broken bytes with "�" and carry on; Regie refuses instead (400), so
/// nothing mangled is ever stored.
fn decodes_to_utf8(body: &[u8]) -> bool {
    body.split(|b| *b == b'&').all(|pair| {
        let plus_as_space: Vec<u8> = pair
            .iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect();
        let decoded: Vec<u8> = percent_encoding::percent_decode(&plus_as_space).collect();
        std::str::from_utf8(&decoded).is_ok()
    })
}

/// The body of a url-encoded form post: refused with 415 when it is not one, 400 when it
/// does not decode to UTF-8.
async fn form_body<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, Response> {
    let is_form = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response());
    }
    let bytes = Bytes::from_request(request, state)
        .await
        .map_err(IntoResponse::into_response)?;
    if !decodes_to_utf8(&bytes) {
        return Err(AppError::BadRequest.into_response());
    }
    Ok(bytes)
}

/// A url-encoded form as its list of fields, keeping repeated keys (checkbox lists), which
/// `axum::Form` cannot collect into one list.
pub(crate) struct PairsForm(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for PairsForm {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let bytes = form_body(request, state).await?;
        let pairs = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| AppError::BadRequest.into_response())?;
        Ok(PairsForm(pairs))
    }
}

/// A url-encoded form read into `T`, strictly: like `axum::Form`, but a body that does not
/// decode to UTF-8 is refused (400) instead of stored with replacement characters.
pub(crate) struct Form<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let bytes = form_body(request, state).await?;
        serde_urlencoded::from_bytes(&bytes)
            .map(Form)
            .map_err(|_| StatusCode::UNPROCESSABLE_ENTITY.into_response())
    }
}

/// Parses the ids of checked team boxes; ignores anything that is not a number.
pub(crate) fn team_ids(values: &[String]) -> Vec<i64> {
    let mut ids: Vec<i64> = values.iter().filter_map(|v| v.parse().ok()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::decodes_to_utf8;

    #[test]
    fn only_bodies_that_decode_to_utf8_are_forms() {
        assert!(decodes_to_utf8(b"name=Jannie+de+Boer&note=caf%C3%A9"));
        assert!(decodes_to_utf8(b""));
        // A lone continuation byte, percent-encoded or raw.
        assert!(!decodes_to_utf8(b"name=%C3%28"));
        assert!(!decodes_to_utf8(b"name=%FF"));
        assert!(!decodes_to_utf8(b"na%E9me=x"));
        assert!(!decodes_to_utf8(&[b'n', b'=', 0xE9]));
    }
}
