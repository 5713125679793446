//! The JSON API under `/api/v1`, described by an OpenAPI 3.1 document generated from this code.
//! Callers authenticate with `Authorization: Bearer <token>` (`regie token create`). Errors are
//! RFC 9457 problem documents (see `error.rs`).

use crate::auth::ApiCaller;
use crate::{AppError, AppState, records};
use axum::Json;
use axum::extract::{Path, Query, State};
use regie_domain::audit::AuditEvent;
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Regie API", description = "Reablement trajectories for Dutch care and welfare teams."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags((name = "clients", description = "Clients the caller may see"), (name = "system", description = "Health and identity"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(me))
        .routes(routes!(list_clients))
        .routes(routes!(get_client))
        .route("/api/v1/openapi.json", axum::routing::get(openapi_document))
}

/// The OpenAPI document of this API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    router().into_openapi()
}

async fn openapi_document() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi())
}

/// An RFC 9457 problem document, as every error is answered.
#[derive(Serialize, ToSchema)]
pub struct ProblemSchema {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the database answers.
    pub status: String,
    /// `sqlite` or `postgresql`.
    pub database: String,
    pub schema_version: i64,
    pub version: String,
}

/// Liveness and readiness: answers 200 when the database answers.
#[utoipa::path(get, path = "/health", tag = "system", security(()),
    responses((status = 200, body = Health), (status = 500, body = ProblemSchema, content_type = "application/problem+json")))]
async fn health(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    let schema_version = state.db.schema_version().await?;
    Ok(Json(Health {
        status: "ok".into(),
        database: state.db.backend().name().into(),
        schema_version,
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub discipline: String,
    pub team_ids: Vec<i64>,
}

/// The user the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "system",
    responses((status = 200, body = Me), (status = 401, body = ProblemSchema, content_type = "application/problem+json")))]
async fn me(ApiCaller(caller): ApiCaller) -> Json<Me> {
    Json(Me {
        id: caller.user.id,
        username: caller.user.username.clone(),
        full_name: caller.user.full_name.clone(),
        role: caller.user.role.as_str().into(),
        discipline: caller.user.discipline.as_str().into(),
        team_ids: caller.actor.team_ids.clone(),
    })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClientQuery {
    /// Part of the client's name.
    #[serde(default)]
    pub q: String,
    /// At most 100; default 25.
    pub limit: Option<i64>,
    #[serde(default)]
    pub offset: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ClientItem {
    pub id: i64,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ClientList {
    pub items: Vec<ClientItem>,
    /// How many clients match in all.
    pub total: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ClientDetail {
    pub id: i64,
    pub name: String,
    /// The teams that serve this client.
    pub team_ids: Vec<i64>,
    pub created_at: String,
}

/// Clients the caller may see (through the teams that serve them), by name.
#[utoipa::path(get, path = "/api/v1/clients", tag = "clients", params(ClientQuery),
    responses((status = 200, body = ClientList),
              (status = 401, body = ProblemSchema, content_type = "application/problem+json"),
              (status = 403, description = "Analysts see aggregates only", body = ProblemSchema, content_type = "application/problem+json")))]
async fn list_clients(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Query(query): Query<ClientQuery>,
) -> Result<Json<ClientList>, AppError> {
    let limit = query.limit.unwrap_or(25).clamp(1, 100);
    let offset = query.offset.max(0);
    let (clients, total) =
        records::search_clients(&state.db, &caller, query.q.trim(), limit, offset).await?;
    Ok(Json(ClientList {
        items: clients
            .into_iter()
            .map(|c| ClientItem {
                id: c.id,
                name: c.name,
            })
            .collect(),
        total,
    }))
}

/// One client's record, if a team the caller is in serves the client.
#[utoipa::path(get, path = "/api/v1/clients/{id}", tag = "clients", params(("id" = i64, Path)),
    responses((status = 200, body = ClientDetail),
              (status = 401, body = ProblemSchema, content_type = "application/problem+json"),
              (status = 403, body = ProblemSchema, content_type = "application/problem+json"),
              (status = 404, body = ProblemSchema, content_type = "application/problem+json")))]
async fn get_client(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Path(id): Path<String>,
) -> Result<Json<ClientDetail>, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let client = records::open_client(&state.db, &caller, id, AuditEvent::ClientRead).await?;
    Ok(Json(ClientDetail {
        id: client.id,
        name: client.name,
        team_ids: client.team_ids,
        created_at: client
            .created_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
    }))
}
