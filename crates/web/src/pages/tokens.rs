//! API tokens for administrators: who has one, when it was last used, revoking one (after a
//! confirmation step) and handing out a new one (shown once).

use super::{Choice, Form, FormErrors, render};
use crate::context::{AdminUser, Id, Layout};
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use regie_app::admin as setup;

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
    at.map(crate::format::moment)
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
    let rows = setup::tokens(&state.app)
        .await?
        .into_iter()
        .map(Row::new)
        .collect();
    let users = setup::users(&state.app)
        .await?
        .into_iter()
        .map(|(user, _)| user)
        .filter(|u| u.active)
        .map(|u| Choice {
            selected: input.user == u.id.to_string(),
            value: u.id.to_string(),
            label: format!("{} ({})", u.full_name, u.username),
        })
        .collect();
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
    let user_id = form.user.trim().parse::<i64>().unwrap_or(0);
    let created = match label {
        Some(label) => setup::create_token(&state.app, &admin.by(), user_id, &label).await,
        None => Err(regie_app::Error::Invalid(Vec::new())),
    };
    let (secret, stored, user) = match created {
        Ok(created) => created,
        Err(regie_app::Error::Invalid(more)) => {
            problems.extend(more);
            if user_id < 1 && !problems.iter().any(|p| p.field == "user") {
                problems.push(FieldError::new("user", "error-token-user"));
            }
            let input = NewTokenInput {
                user: form.user,
                label: form.label,
            };
            let errors = FormErrors::from_fields(tr, &problems);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return tokens_page(&state, &admin, input, errors, None, None, status).await;
        }
        Err(other) => return Err(other.into()),
    };
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
    Id(id): Id,
) -> Result<Response, AppError> {
    let tr = admin.0.tr;
    let listing = setup::token(&state.app, id).await?;
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
    Id(id): Id,
) -> Result<Response, AppError> {
    // Revoking twice changes nothing and is not recorded twice.
    setup::revoke_token(&state.app, &admin.by(), id).await?;
    Ok(Redirect::to(&format!("/admin/tokens?revoked={id}")).into_response())
}
