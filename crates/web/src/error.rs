//! The one application error type, and the middleware that turns every error response into a
//! translated HTML page or an RFC 9457 problem document.

use crate::context::{Layout, request_language};
use crate::i18n::Tr;
use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use regie_app::records::conflict::Meanwhile;
use regie_domain::{FieldError, Refusal};
use regie_storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Refused by a rule of the domain, with the reason; `client_id` names the record when a
    /// stated reason could open it (break the glass).
    #[error("refused: {}", refusal.audit_detail())]
    Refused {
        refusal: Refusal,
        client_id: Option<i64>,
    },
    #[error("not signed in")]
    Unauthenticated,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("{0} already exists")]
    Conflict(&'static str),
    /// The save was based on a version someone else changed meanwhile (409); with
    /// `precondition`, the client sent `If-Match` with that version (412).
    #[error("changed meanwhile")]
    Stale {
        meanwhile: Box<Meanwhile>,
        precondition: bool,
    },
    /// A conditional request needs `If-Match` (428).
    #[error("If-Match required")]
    PreconditionRequired,
    /// The request body is not valid UTF-8 or not a form at all.
    #[error("bad request")]
    BadRequest,
    /// A request body that is not JSON at all (400).
    #[error("malformed request body")]
    Malformed,
    /// JSON whose values do not fit the request's shape: a missing field, a wrong type, an
    /// unknown field. `field` is the path into the body; the paths come from the request, so
    /// they are owned rather than interned.
    #[error("{field}: {key}")]
    BadValue { field: String, key: &'static str },
    /// A body larger than the API accepts (413).
    #[error("request body too large")]
    TooLarge,
    /// A body that is not sent as JSON (415).
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error(transparent)]
    Storage(StorageError),
    #[error("{0}")]
    Internal(String),
}

impl From<StorageError> for AppError {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::NotFound => AppError::NotFound,
            StorageError::Conflict(what) => AppError::Conflict(what),
            other => AppError::Storage(other),
        }
    }
}

impl From<regie_app::Error> for AppError {
    fn from(error: regie_app::Error) -> Self {
        use regie_app::Error as E;
        match error {
            E::NotFound => AppError::NotFound,
            E::Forbidden => AppError::Forbidden,
            E::Refused { refusal, client_id } => AppError::Refused { refusal, client_id },
            E::Invalid(fields) => AppError::Invalid(fields),
            E::Conflict(what) => AppError::Conflict(what),
            E::Stale {
                meanwhile,
                precondition,
            } => AppError::Stale {
                meanwhile,
                precondition,
            },
            E::PreconditionRequired => AppError::PreconditionRequired,
            E::Storage(error) => AppError::Storage(error),
            E::Internal(message) => AppError::Internal(message),
        }
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::Invalid(vec![error])
    }
}

/// What the rendering middleware needs to describe an error; travels in response extensions.
#[derive(Debug, Clone)]
struct ErrorInfo {
    title_key: &'static str,
    detail_key: &'static str,
    fields: Vec<(String, &'static str)>,
    /// A team lead may open this client's record after stating a reason: the page asks.
    reason_for_client: Option<i64>,
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Refused { .. } => StatusCode::FORBIDDEN,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Invalid(_) | AppError::BadValue { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Stale {
                precondition: true, ..
            } => StatusCode::PRECONDITION_FAILED,
            AppError::Stale { .. } => StatusCode::CONFLICT,
            AppError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::Malformed => StatusCode::BAD_REQUEST,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Storage(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (title_key, detail_key) = match &self {
            AppError::NotFound => ("error-not-found-title", "error-not-found-detail"),
            AppError::Forbidden => ("error-forbidden-title", "error-forbidden-detail"),
            AppError::Refused {
                refusal: Refusal::ReasonRequired,
                ..
            } => ("reason-title", Refusal::ReasonRequired.message_key()),
            AppError::Refused { refusal, .. } => ("error-forbidden-title", refusal.message_key()),
            AppError::Unauthenticated => (
                "error-unauthenticated-title",
                "error-unauthenticated-detail",
            ),
            AppError::Invalid(_) | AppError::BadValue { .. } => {
                ("error-invalid-title", "error-invalid-detail")
            }
            AppError::Conflict(_) => ("error-conflict-title", "error-conflict-detail"),
            AppError::Stale {
                precondition: true, ..
            } => ("error-stale-title", "error-precondition-failed-detail"),
            AppError::Stale { .. } => ("error-stale-title", "error-stale-detail"),
            AppError::PreconditionRequired => (
                "error-precondition-required-title",
                "error-precondition-required-detail",
            ),
            AppError::BadRequest => ("error-bad-request-title", "error-bad-request-detail"),
            AppError::Malformed => ("error-malformed-title", "error-malformed-detail"),
            AppError::TooLarge => ("error-too-large-title", "error-too-large-detail"),
            AppError::UnsupportedMediaType => ("error-media-type-title", "error-media-type-detail"),
            AppError::Storage(_) | AppError::Internal(_) => {
                tracing::error!(error = %self, "request failed");
                ("error-internal-title", "error-internal-detail")
            }
        };
        let fields = match &self {
            AppError::Invalid(fields) => fields.iter().map(|f| (f.name(), f.key)).collect(),
            AppError::BadValue { field, key } => vec![(field.clone(), *key)],
            _ => Vec::new(),
        };
        let reason_for_client = match &self {
            AppError::Refused {
                refusal: Refusal::ReasonRequired,
                client_id,
            } => *client_id,
            _ => None,
        };
        let mut response = self.status().into_response();
        response.extensions_mut().insert(ErrorInfo {
            title_key,
            detail_key,
            fields,
            reason_for_client,
        });
        response
    }
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    detail: String,
    /// Break the glass: the client whose record opens after a stated reason (0: none), and
    /// where to go back to.
    reason_client: i64,
    reason_next: String,
    reason_text: String,
    reason_error: Option<String>,
}

#[derive(serde::Serialize)]
struct Problem {
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    status: u16,
    detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ProblemField>,
}

#[derive(serde::Serialize)]
struct ProblemField {
    field: String,
    code: &'static str,
    message: String,
}

/// Replaces every bare error response: API paths get `application/problem+json`, pages a
/// translated HTML page. Responses that already carry HTML or a problem document (a form
/// re-rendered with its messages, say) pass through unchanged.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let path_and_query = request
        .uri()
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    // `/health` belongs to the API document, so it answers problems the API's way.
    let is_api = path.starts_with("/api/") || path == "/health";
    let lang = request_language(&request).await;
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let already_rendered = if is_api {
        content_type.starts_with("application/problem+json")
    } else {
        content_type.starts_with("text/html")
    };
    if already_rendered {
        return response;
    }
    let info = response
        .extensions()
        .get::<ErrorInfo>()
        .cloned()
        .unwrap_or_else(|| default_info(&response));
    if !is_api && status == StatusCode::UNAUTHORIZED {
        return Redirect::to(&format!(
            "/login?next={}",
            crate::context::encode_component(&path_and_query)
        ))
        .into_response();
    }
    let tr = Tr::new(lang);
    let (headers, _) = response.into_parts();
    let mut rendered = if is_api {
        // The API tells "breaks a rule of the request" (422) from "refers to or clashes with
        // what is stored" (409); the domain's field errors do not make that distinction.
        let (status, title_key, detail_key) = crate::api::problems::classify(status, &info.fields)
            .unwrap_or((status, info.title_key, info.detail_key));
        let problem = Problem {
            kind: "about:blank",
            title: tr.t(title_key),
            status: status.as_u16(),
            detail: tr.t(detail_key),
            errors: info
                .fields
                .iter()
                .map(|(field, key)| ProblemField {
                    field: field.clone(),
                    code: key,
                    message: tr.t(key),
                })
                .collect(),
        };
        let mut r = (status, axum::Json(problem)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    } else {
        let page = ErrorPage {
            layout: Layout::anonymous(tr, tr.t(info.title_key), &path_and_query),
            status: status.as_u16(),
            detail: tr.t(info.detail_key),
            reason_client: info.reason_for_client.unwrap_or(0),
            reason_next: path_and_query.clone(),
            reason_text: String::new(),
            reason_error: None,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => status.into_response(),
        }
    };
    // Keep headers the handler or router set on purpose: Retry-After, and the Allow of a 405,
    // which RFC 9110 requires.
    for name in [header::RETRY_AFTER, header::ALLOW] {
        if let Some(value) = headers.headers.get(&name) {
            rendered.headers_mut().insert(name, value.clone());
        }
    }
    rendered
}

/// Describes error responses made outside our handlers: extractor rejections and the
/// cross-site request check.
fn default_info(response: &Response) -> ErrorInfo {
    let csrf = response
        .extensions()
        .get::<tower_http::csrf::ProtectionError>()
        .is_some();
    let (title_key, detail_key) = match response.status() {
        StatusCode::FORBIDDEN if csrf => ("error-csrf-title", "error-csrf-detail"),
        StatusCode::FORBIDDEN => ("error-forbidden-title", "error-forbidden-detail"),
        StatusCode::NOT_FOUND => ("error-not-found-title", "error-not-found-detail"),
        StatusCode::METHOD_NOT_ALLOWED => ("error-method-title", "error-method-detail"),
        StatusCode::UNAUTHORIZED => (
            "error-unauthenticated-title",
            "error-unauthenticated-detail",
        ),
        StatusCode::TOO_MANY_REQUESTS => ("error-throttled-title", "error-throttled-detail"),
        StatusCode::PAYLOAD_TOO_LARGE => ("error-too-large-title", "error-too-large-detail"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("error-media-type-title", "error-media-type-detail"),
        s if s.is_client_error() => ("error-bad-request-title", "error-bad-request-detail"),
        _ => ("error-internal-title", "error-internal-detail"),
    };
    ErrorInfo {
        title_key,
        detail_key,
        fields: Vec::new(),
        reason_for_client: None,
    }
}
