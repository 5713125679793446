//! The callers of a request: a signed-in session (see `context`) or an API token.

use crate::context::source_address;
use crate::{AppError, AppState};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use regie_app::{Caller, accounts};

/// A caller of the JSON API, identified by `Authorization: Bearer <token>`.
pub struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(AppError::Unauthenticated)?;
        accounts::caller_for_token(&state.app, token, source_address(parts))
            .await?
            .map(ApiCaller)
            .ok_or(AppError::Unauthenticated)
    }
}
