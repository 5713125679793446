//! API tokens for administrators: who has one, when it was last used, revoking one (after a
//! confirmation step) and handing out a new one (shown once).

use super::{Choice, Form, FormErrors, render};
use crate::context::{AdminUser, Layout, path_id};
use crate::{AppError, AppState, auth};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use regie_domain::audit::{AuditEvent, Outcome};
use regie_domain::{FieldError, PersonName};
use regie_storage::TokenListing;
use time::OffsetDateTime;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/tokens", get(tokens).post(create_token))
        .route(
            "/admin/tokens/{id}/revoke",
            get(confirm_revoke).post(revoke),
        )
}

fn when(at: Option<OffsetDateTime>) -> Option<String> {
    at.map(super::when::moment)
}

struct Row {
    listing: TokenListing,
    created: String,
    last_used: Option<String>,
    revoked: Option<String>,
}

impl Row {
    fn new(listing: TokenListing) -> Self {
        Row {
            created: when(Some(listing.token.created_at)).unwrap_or_default(),
            last_used: when(listing.token.last_used_at),
            revoked: when(listing.token.revoked_at),
            listing,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    layout: Layout,
    rows: Vec<Row>,
    users: Vec<Choice>,
    label: String,
    errors: FormErrors,
    notice: Option<String>,
    /// A token just created: its secret, shown this once.
    new_secret: Option<String>,
}

#[derive(Default)]
struct NewTokenInput {
    user: String,
    label: String,
}

async fn tokens_page(
    state: &AppState,
    admin: &AdminUser,
    input: NewTokenInput,
    errors: FormErrors,
    notice: Option<String>,
    new_secret: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = admin.0.tr;
    let mut tx = state.db.begin().await?;
    let rows = tx.tokens_list().await?.into_iter().map(Row::new).collect();
    let users = tx
        .users_list()
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| Choice {
            selected: input.user == u.id.to_string(),
            value: u.id.to_string(),
            label: format!("{} ({})", u.full_name, u.username),
        })
        .collect();
    tx.commit().await?;
    let page = TokensPage {
        layout: admin.0.layout(tr.t("tokens-title"), "/admin/tokens"),
        rows,
        users,
        label: input.label,
        errors,
        notice,
        new_secret,
    };
    Ok(render(status, &page))
}

#[derive(serde::Deserialize)]
struct TokensQuery {
    revoked: Option<String>,
}

async fn tokens(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(query): Query<TokensQuery>,
) -> Result<Response, AppError> {
    let notice = query
        .revoked
        .and_then(|id| id.parse::<i64>().ok())
        .map(|id| {
            admin
                .0
                .tr
                .t_args("tokens-revoked-notice", &[("id", id.to_string())])
        });
    tokens_page(
        &state,
        &admin,
        NewTokenInput::default(),
        FormErrors::default(),
        notice,
        None,
        StatusCode::OK,
    )
    .await
}

#[derive(serde::Deserialize)]
struct NewTokenForm {
    #[serde(default)]
    user: String,
    #[serde(default)]
    label: String,
}

async fn create_token(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(form): Form<NewTokenForm>,
) -> Result<Response, AppError> {
    let tr = admin.0.tr;
    let mut problems = Vec::new();
    let label = PersonName::parse("label", &form.label)
        .map_err(|e| problems.push(e))
        .ok();
    let now = OffsetDateTime::now_utc();
    let mut tx = state.db.begin().await?;
    let user = match form.user.trim().parse::<i64>() {
        Ok(id) => tx.user_get(id).await?.filter(|u| u.active),
        Err(_) => None,
    };
    if user.is_none() {
        problems.push(FieldError::new("user", "error-token-user"));
    }
    let (Some(user), Some(label)) = (user, label) else {
        tx.rollback().await?;
        let input = NewTokenInput {
            user: form.user,
            label: form.label,
        };
        let errors = FormErrors::from_fields(tr, &problems);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return tokens_page(&state, &admin, input, errors, None, None, status).await;
    };
    let (secret, hash) = auth::new_api_token();
    let stored = tx.token_create(user.id, label.as_str(), &hash, now).await?;
    let mut entry = admin
        .0
        .caller
        .audit(AuditEvent::TokenCreate, Outcome::Allowed);
    entry.object_type = Some("api_token".into());
    entry.object_id = Some(stored.id.to_string());
    entry.detail = Some(format!(
        "token {} ({}) for {}",
        stored.id, stored.name, user.username
    ));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    let notice = tr.t_args(
        "tokens-created-notice",
        &[("name", user.full_name.clone()), ("label", stored.name)],
    );
    // Rendered, not redirected: the secret must not travel in a URL, and is shown only now.
    tokens_page(
        &state,
        &admin,
        NewTokenInput::default(),
        FormErrors::default(),
        Some(notice),
        Some(secret),
        StatusCode::OK,
    )
    .await
}

#[derive(Template)]
#[template(path = "admin/token_revoke.html")]
struct RevokePage {
    layout: Layout,
    row: Row,
    question: String,
}

async fn confirm_revoke(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let tr = admin.0.tr;
    let mut tx = state.db.begin().await?;
    let listing = tx.token_get(id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    if listing.token.revoked_at.is_some() {
        return Ok(Redirect::to("/admin/tokens").into_response());
    }
    let question = tr.t_args(
        "tokens-revoke-question",
        &[
            ("label", listing.token.name.clone()),
            ("name", listing.full_name.clone()),
        ],
    );
    let page = RevokePage {
        layout: admin.0.layout(tr.t("tokens-revoke-title"), "/admin/tokens"),
        row: Row::new(listing),
        question,
    };
    Ok(render(StatusCode::OK, &page))
}

async fn revoke(
    State(state): State<AppState>,
    admin: AdminUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let now = OffsetDateTime::now_utc();
    let mut tx = state.db.begin().await?;
    let listing = tx.token_get(id).await?.ok_or(AppError::NotFound)?;
    // Revoking twice changes nothing and is not recorded twice.
    if tx.token_revoke(id, now).await? {
        let mut entry = admin
            .0
            .caller
            .audit(AuditEvent::TokenRevoke, Outcome::Allowed);
        entry.object_type = Some("api_token".into());
        entry.object_id = Some(id.to_string());
        entry.detail = Some(format!(
            "token {id} ({}) of {}",
            listing.token.name, listing.username
        ));
        tx.audit_append(&entry, now).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/tokens?revoked={id}")).into_response())
}
