//! The JSON API under `/api/v1`, described by an OpenAPI 3.1 document generated from this code.
//! Callers authenticate with `Authorization: Bearer <token>` (`regie token create`). Errors are
//! RFC 9457 problem documents (see `error.rs`).

mod body;
mod closure;
mod contract;
mod evaluations;
mod plan;
mod plan_content;
pub(crate) mod problems;
mod visits;

use crate::auth::ApiCaller;
use crate::context::Id;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use body::ApiJson;
use regie_app::records;
use regie_app::records::BasedOn;
use regie_domain::Client;
use regie_domain::audit::AuditEvent;
use regie_domain::{
    AssessmentInput, Bsn, ClientInput, DomainInput, FieldError, Permission, TrajectoryInput,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::macros::format_description;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Regie API", description = "Reablement trajectories for Dutch care and welfare teams."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(problems::ProblemSchema, problems::ProblemField)),
    tags((name = "clients", description = "Clients the caller may see"), (name = "trajectories", description = "Trajectories and their assessments"), (name = "plan", description = "Goals, core team, agreements and the versioned plan"), (name = "visits", description = "Visits: support given per agreed activity; idempotent creation"), (name = "evaluations", description = "Evaluations with the client and the goal scores they add"), (name = "system", description = "Health and identity"))
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
        .routes(routes!(list_clients, create_client))
        .routes(routes!(get_client))
        .routes(routes!(set_serving_teams))
        .routes(routes!(state_access_reason))
        .routes(routes!(list_trajectories, start_trajectory))
        .routes(routes!(get_trajectory))
        .routes(routes!(closure::close_trajectory))
        .routes(routes!(record_assessment))
        .routes(routes!(get_network, add_network_member))
        .routes(routes!(plan::get_plan))
        .routes(routes!(plan::get_plan_version))
        .routes(routes!(plan::add_goal))
        .routes(routes!(plan::add_intervention))
        .routes(routes!(plan::set_agreement))
        .routes(routes!(plan::get_team, plan::add_team_member))
        .routes(routes!(visits::list_visits, visits::record_visit))
        .routes(routes!(
            evaluations::list_evaluations,
            evaluations::record_evaluation
        ))
        .route("/api/v1/openapi.json", axum::routing::get(openapi_document))
        // Stated in the document (413), and generous: see `body::BODY_LIMIT`.
        .layer(DefaultBodyLimit::max(body::BODY_LIMIT))
}

/// The OpenAPI document of this API as of `today`: some dates the API accepts are bounded by
/// today (a date of birth, a start date), and the document states those bounds.
pub fn openapi_at(today: time::Date) -> serde_json::Value {
    let mut document = serde_json::to_value(router().into_openapi()).expect("the document is JSON");
    contract::apply(&mut document, today);
    document
}

/// The OpenAPI document of this API, today (UTC, as the server counts days).
pub fn openapi() -> serde_json::Value {
    openapi_at(OffsetDateTime::now_utc().date())
}

async fn openapi_document() -> Json<serde_json::Value> {
    Json(openapi())
}

/// The entity tag of version `version` of a `kind` of resource (`plan`, `team`, `client`).
pub(crate) fn etag(kind: &str, version: i64) -> (header::HeaderName, HeaderValue) {
    let value = HeaderValue::from_str(&format!("\"{kind}-{version}\""))
        .expect("a kind and a number make a valid header value");
    (header::ETAG, value)
}

/// The version an `If-Match` header names for a `kind` of resource. `*` (any version) and no
/// header at all say nothing, unless `required` (a PUT): then a missing header is 428. A tag
/// that is not one of ours can match no version: it fails as a stale one would.
pub(crate) fn based_on(
    headers: &HeaderMap,
    kind: &str,
    required: bool,
) -> Result<BasedOn, AppError> {
    // An empty If-Match names no version at all: as good as none.
    let value = headers
        .get(header::IF_MATCH)
        .filter(|v| !v.as_bytes().iter().all(u8::is_ascii_whitespace));
    let Some(value) = value else {
        return if required {
            Err(AppError::PreconditionRequired)
        } else {
            Ok(BasedOn::Unknown)
        };
    };
    let value = value.to_str().map_err(|_| AppError::BadRequest)?.trim();
    if value == "*" {
        return Ok(BasedOn::Unknown);
    }
    // Strong comparison (RFC 9110): weak tags never match. Of several of our tags the newest
    // counts: versions only grow, so if the current one is listed, it is the newest listed.
    let prefix = format!("\"{kind}-");
    let version = value
        .split(',')
        .map(str::trim)
        .filter_map(|tag| {
            tag.strip_prefix(&prefix)?
                .strip_suffix('"')?
                .parse::<i64>()
                .ok()
        })
        .max()
        .unwrap_or(-1);
    Ok(BasedOn::IfMatch(version))
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
    responses((status = 200, description = "The database answers", body = Health), (status = 500, description = "The database does not answer", body = problems::ProblemSchema, content_type = "application/problem+json")))]
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
#[utoipa::path(get, path = "/api/v1/me", tag = "system", responses((status = 200, description = "The user the token belongs to", body = Me)))]
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
    /// Part of the client's name, or a BSN; at most 200 characters, no control characters.
    #[serde(default)]
    pub q: String,
    /// How many clients, 1 to 100; 25 when left out.
    pub limit: Option<i64>,
    /// How many matching clients to skip, 0 or more.
    #[serde(default)]
    pub offset: i64,
}

impl ClientQuery {
    const MAX_Q: usize = 200;

    fn check(&self) -> Result<(), AppError> {
        let mut errors = Vec::new();
        if self.q.chars().count() > Self::MAX_Q || self.q.chars().any(char::is_control) {
            errors.push(FieldError::new("q", "error-text-too-long"));
        }
        if !(1..=100).contains(&self.limit.unwrap_or(25)) {
            errors.push(FieldError::new("limit", "error-page-limit"));
        }
        if self.offset < 0 {
            errors.push(FieldError::new("offset", "error-page-offset"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(errors))
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ClientItem {
    pub id: i64,
    pub name: String,
    /// The caller coordinates this client's open trajectory; such clients come first.
    pub mine: bool,
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
    /// `YYYY-MM-DD`
    pub date_of_birth: Option<String>,
    /// `alone`, `with_partner`, `with_others` or `institution`.
    pub living_situation: Option<String>,
    /// Only the last three digits are ever sent.
    pub bsn_masked: Option<String>,
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub referrer: Option<String>,
    /// The teams that serve this client.
    pub team_ids: Vec<i64>,
    pub created_at: String,
}

impl From<Client> for ClientDetail {
    fn from(c: Client) -> Self {
        let date = format_description!("[year]-[month]-[day]");
        ClientDetail {
            id: c.id,
            date_of_birth: c.date_of_birth.and_then(|d| d.format(date).ok()),
            bsn_masked: c.bsn.as_ref().map(Bsn::masked),
            created_at: c
                .created_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            name: c.name,
            living_situation: c.living_situation.map(|l| l.as_str().to_string()),
            street: c.address.as_ref().map(|a| a.street.clone()),
            house_number: c.address.as_ref().map(|a| a.house_number.clone()),
            postcode: c.address.as_ref().map(|a| a.postcode.as_str().to_string()),
            city: c.address.map(|a| a.city),
            phone: c.phone,
            email: c.email,
            referrer: c.referrer,
            team_ids: c.team_ids,
        }
    }
}

/// A client to register. Only `name`, `date_of_birth`, `living_situation` and `team_ids` are
/// required; an address, once begun, must be complete.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewClient {
    pub name: String,
    /// `YYYY-MM-DD`; not in the future, in a year at most 120 years back.
    pub date_of_birth: String,
    /// `alone`, `with_partner`, `with_others` or `institution`.
    pub living_situation: String,
    /// Teams of the caller that will serve the client.
    pub team_ids: Vec<i64>,
    #[serde(default)]
    pub bsn: Option<String>,
    #[serde(default)]
    pub street: Option<String>,
    #[serde(default)]
    pub house_number: Option<String>,
    #[serde(default)]
    pub postcode: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub referrer: Option<String>,
}

impl From<NewClient> for ClientInput {
    fn from(c: NewClient) -> Self {
        ClientInput {
            name: c.name,
            date_of_birth: c.date_of_birth,
            living_situation: c.living_situation,
            team_ids: c.team_ids,
            bsn: c.bsn.unwrap_or_default(),
            street: c.street.unwrap_or_default(),
            house_number: c.house_number.unwrap_or_default(),
            postcode: c.postcode.unwrap_or_default(),
            city: c.city.unwrap_or_default(),
            phone: c.phone.unwrap_or_default(),
            email: c.email.unwrap_or_default(),
            referrer: c.referrer.unwrap_or_default(),
        }
    }
}

/// Registers a client under teams the caller is in.
#[utoipa::path(post, path = "/api/v1/clients", tag = "clients", request_body = NewClient,
    responses((status = 201, description = "Registered", body = ClientDetail, headers(("Location" = String, description = "The new client's URL"))),
              problems::Forbidden, problems::Conflict))]
async fn create_client(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    body: ApiJson<NewClient>,
) -> Result<impl IntoResponse, AppError> {
    records::check_register(&state.app, &caller).await?;
    let input = ClientInput::from(body.read()?);
    let id = records::create_client(&state.app, &caller, &input).await?;
    let client = records::open_client(&state.app, &caller, id, AuditEvent::ClientRead).await?;
    let location = HeaderValue::from_str(&format!("/api/v1/clients/{id}"))
        .expect("a path with a number is a valid header value");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location), etag("client", client.version)],
        Json(ClientDetail::from(client)),
    ))
}

/// Clients the caller may see (through the teams that serve them), by name.
#[utoipa::path(get, path = "/api/v1/clients", tag = "clients", params(ClientQuery),
    responses((status = 200, description = "One page of clients", body = ClientList), problems::Forbidden))]
async fn list_clients(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Query(query): Query<ClientQuery>,
) -> Result<Json<ClientList>, AppError> {
    records::check_search(&state.app, &caller).await?;
    query.check()?;
    let limit = query.limit.unwrap_or(25);
    let offset = query.offset;
    let (clients, total) =
        records::search_clients(&state.app, &caller, query.q.trim(), limit, offset).await?;
    Ok(Json(ClientList {
        items: clients
            .into_iter()
            .map(|c| ClientItem {
                id: c.id,
                name: c.name,
                mine: c.mine,
            })
            .collect(),
        total,
    }))
}

/// One client's record, if a team the caller is in serves the client.
#[utoipa::path(get, path = "/api/v1/clients/{id}", tag = "clients", params(("id" = i64, Path)),
    responses((status = 200, description = "The client's record", body = ClientDetail), problems::Forbidden))]
async fn get_client(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Result<impl IntoResponse, AppError> {
    let client = records::open_client(&state.app, &caller, id, AuditEvent::ClientRead).await?;
    Ok((
        [etag("client", client.version)],
        Json(ClientDetail::from(client)),
    ))
}

/// The teams that serve a client.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServingTeams {
    /// Team ids; at least one, each once.
    pub team_ids: Vec<i64>,
}

/// Which teams serve a client now, and the client's version.
#[derive(Serialize, ToSchema)]
pub struct ServingTeamsDocument {
    pub client_id: i64,
    pub team_ids: Vec<i64>,
    pub version: i64,
}

/// Changes which teams serve a client (and so who can read the record): the coordinator of
/// the open trajectory or a team lead of a serving team (who need not read the record, so
/// the answer holds the teams only). Send the client's `ETag` as `If-Match`.
#[utoipa::path(put, path = "/api/v1/clients/{id}/teams", tag = "clients",
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "The client's ETag, as `GET …/clients/{id}` sends it; 428 without it, 412 when it is no longer current")),
    request_body = ServingTeams,
    responses((status = 200, description = "The teams now", body = ServingTeamsDocument,
               headers(("ETag" = String, description = "The client's new version"))),
              problems::Forbidden, problems::Conflict, problems::Preconditions))]
async fn set_serving_teams(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    headers: HeaderMap,
    body: ApiJson<ServingTeams>,
) -> Result<impl IntoResponse, AppError> {
    let target = records::Target::Client(id);
    records::check(&state.app, &caller, target, Permission::ChangeServingTeams).await?;
    let body = body.read()?;
    let based_on = based_on(&headers, "client", true)?;
    let changed =
        records::change_serving_teams(&state.app, &caller, id, &body.team_ids, based_on).await?;
    Ok((
        [etag("client", changed.version)],
        Json(ServingTeamsDocument {
            client_id: id,
            team_ids: changed.team_ids,
            version: changed.version,
        }),
    ))
}

/// Why a team lead opens a record they may not otherwise open.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessReason {
    /// At least 10 visible characters, at most 500; kept in the audit log and shown to the
    /// client.
    pub reason: String,
}

/// Break the glass: a team lead of a serving team states why they open this record. For a
/// working day the record then opens; the reason is audited and shown to the client.
#[utoipa::path(post, path = "/api/v1/clients/{id}/access-reason", tag = "clients", params(("id" = i64, Path)), request_body = AccessReason,
    responses((status = 204, description = "The record is open to the caller for a working day"),
              problems::Forbidden))]
async fn state_access_reason(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    body: ApiJson<AccessReason>,
) -> Result<StatusCode, AppError> {
    let target = records::Target::Client(id);
    records::check(&state.app, &caller, target, Permission::StateReason).await?;
    let body = body.read()?;
    records::state_reason(&state.app, &caller, id, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A trajectory to start. `question_types`: any of `wijkverpleging`, `paramedische_zorg`,
/// `hulp_bij_het_huishouden`, `mantelzorgondersteuning`, `vervoersvoorzieningen`, `dagbesteding`,
/// `begeleiding`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTrajectoryBody {
    /// The question in the client's own words.
    pub question: String,
    pub question_types: Vec<String>,
    /// `YYYY-MM-DD`, within 366 days of today.
    pub start_date: String,
    /// A user in one of the client's teams.
    pub coordinator_id: i64,
    #[serde(default)]
    pub referral_source: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TimelineItem {
    pub at: String,
    pub user_id: i64,
    /// `started` or `phase`.
    pub kind: String,
    pub from_phase: Option<String>,
    pub to_phase: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TrajectoryDocument {
    pub id: i64,
    pub client_id: i64,
    pub question: String,
    pub question_types: Vec<String>,
    pub referral_source: Option<String>,
    pub start_date: String,
    pub coordinator_id: i64,
    /// `aanmelding`, `vraagverheldering`, `planvorming`, `uitvoering` or `afgesloten`.
    pub phase: String,
    /// How it was closed, once closed.
    pub closure: Option<closure::ClosureDocument>,
    pub timeline: Vec<TimelineItem>,
}

fn trajectory_document(
    trajectory: regie_domain::Trajectory,
    events: Vec<regie_storage::TrajectoryEvent>,
) -> Result<TrajectoryDocument, AppError> {
    let rfc3339 = &time::format_description::well_known::Rfc3339;
    Ok(TrajectoryDocument {
        id: trajectory.id,
        client_id: trajectory.client_id,
        question_types: trajectory
            .question_types
            .iter()
            .map(|q| q.as_str().to_string())
            .collect(),
        start_date: trajectory
            .start_date
            .format(format_description!("[year]-[month]-[day]"))
            .unwrap_or_default(),
        phase: trajectory.phase.as_str().into(),
        closure: trajectory.closure.as_ref().map(closure::closure_document),
        timeline: events
            .into_iter()
            .map(|e| TimelineItem {
                at: e.occurred_at.format(rfc3339).unwrap_or_default(),
                user_id: e.user_id,
                kind: e.kind,
                from_phase: e.from_phase,
                to_phase: e.to_phase,
            })
            .collect(),
        question: trajectory.question,
        referral_source: trajectory.referral_source,
        coordinator_id: trajectory.coordinator_id,
    })
}

/// A trajectory in a client's list: where it stands, without its timeline.
#[derive(Serialize, ToSchema)]
pub struct TrajectoryItem {
    pub id: i64,
    pub question: String,
    /// `YYYY-MM-DD`.
    pub start_date: String,
    pub coordinator_id: i64,
    /// `aanmelding`, `vraagverheldering`, `planvorming`, `uitvoering` or `afgesloten`.
    pub phase: String,
    /// How it was closed, once closed.
    pub closure: Option<closure::ClosureDocument>,
}

/// A client's trajectories, newest first, if the caller may read the client's record.
#[utoipa::path(get, path = "/api/v1/clients/{id}/trajectories", tag = "trajectories",
    params(("id" = i64, Path, description = "The client")),
    responses((status = 200, description = "The trajectories, newest first", body = Vec<TrajectoryItem>),
              problems::Forbidden))]
async fn list_trajectories(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(client_id): Id,
) -> Result<Json<Vec<TrajectoryItem>>, AppError> {
    let trajectories = records::client_trajectories(&state.app, &caller, client_id).await?;
    Ok(Json(
        trajectories
            .into_iter()
            .map(|t| TrajectoryItem {
                id: t.id,
                start_date: t
                    .start_date
                    .format(format_description!("[year]-[month]-[day]"))
                    .unwrap_or_default(),
                phase: t.phase.as_str().into(),
                closure: t.closure.as_ref().map(closure::closure_document),
                question: t.question,
                coordinator_id: t.coordinator_id,
            })
            .collect(),
    ))
}

/// Starts a trajectory for a client (one open trajectory at a time).
#[utoipa::path(post, path = "/api/v1/clients/{id}/trajectories", tag = "trajectories",
    params(("id" = i64, Path, description = "The client")), request_body = NewTrajectoryBody,
    responses((status = 201, description = "Started", body = TrajectoryDocument, headers(("Location" = String, description = "The new trajectory's URL"))),
              problems::Forbidden, problems::Conflict))]
async fn start_trajectory(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(client_id): Id,
    body: ApiJson<NewTrajectoryBody>,
) -> Result<impl IntoResponse, AppError> {
    let target = records::Target::Client(client_id);
    records::check(&state.app, &caller, target, Permission::StartTrajectory).await?;
    let body = body.read()?;
    let input = TrajectoryInput {
        question: body.question,
        question_types: body.question_types,
        referral_source: body.referral_source.unwrap_or_default(),
        start_date: body.start_date,
        coordinator_id: Some(body.coordinator_id),
    };
    let trajectory_id = records::start_trajectory(&state.app, &caller, client_id, &input).await?;
    let (trajectory, events) =
        records::trajectory_with_timeline(&state.app, &caller, trajectory_id).await?;
    let location = format!("/api/v1/trajectories/{trajectory_id}");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(trajectory_document(trajectory, events)?),
    ))
}

/// A trajectory with its timeline, if a team the caller is in serves the client.
#[utoipa::path(get, path = "/api/v1/trajectories/{id}", tag = "trajectories", params(("id" = i64, Path)),
    responses((status = 200, description = "The trajectory", body = TrajectoryDocument), problems::Forbidden))]
async fn get_trajectory(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Result<Json<TrajectoryDocument>, AppError> {
    let (trajectory, events) = records::trajectory_with_timeline(&state.app, &caller, id).await?;
    Ok(Json(trajectory_document(trajectory, events)?))
}

/// One life domain of an assessment.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainBody {
    /// An item key of the life-domain instrument, e.g. `financien`.
    pub item_key: String,
    /// 1–5, or null for "niet besproken".
    pub level: Option<u8>,
    /// Own strength / network / professional help in percent; all three or none, adding up to 100.
    #[serde(default)]
    pub split: Option<[u8; 3]>,
    #[serde(default)]
    pub wants_to_work_on: bool,
    #[serde(default)]
    pub strengths: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// An assessment of every life domain, from one perspective.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentBody {
    /// `client`, `professional` or `network_member`.
    pub perspective: String,
    /// `intake`, `evaluation` or `closure`.
    pub moment: String,
    /// Required for a network member's view: whose view it is.
    #[serde(default)]
    pub respondent: Option<String>,
    /// `YYYY-MM-DD`, the day the view was given; today when left out. Not in the future (422
    /// naming `date`), not before the trajectory started (409 naming `date`).
    #[serde(default)]
    pub date: Option<String>,
    pub domains: Vec<DomainBody>,
}

#[derive(Serialize, ToSchema)]
pub struct RecordedAssessment {
    pub id: i64,
    pub trajectory_id: i64,
    /// The instrument version the ratings were given on.
    pub instrument_key: String,
    pub instrument_version: String,
}

/// Records one perspective's view of every life domain of the newest instrument version.
#[utoipa::path(post, path = "/api/v1/trajectories/{id}/assessments", tag = "trajectories",
    params(("id" = i64, Path, description = "The trajectory")), request_body = AssessmentBody,
    responses((status = 201, description = "Recorded", body = RecordedAssessment, headers(("Location" = String, description = "The trajectory's URL"))),
              problems::Forbidden, problems::Conflict))]
async fn record_assessment(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(trajectory_id): Id,
    body: ApiJson<AssessmentBody>,
) -> Result<impl IntoResponse, AppError> {
    let target = records::Target::Trajectory(trajectory_id);
    records::check(&state.app, &caller, target, Permission::ChangeClientDetails).await?;
    let body = body.read()?;
    let text = |n: Option<u8>| n.map(|v| v.to_string()).unwrap_or_default();
    let input = AssessmentInput {
        perspective: body.perspective,
        moment: body.moment,
        respondent: body.respondent.unwrap_or_default(),
        date: body.date.unwrap_or_default(),
        domains: body
            .domains
            .into_iter()
            .map(|d| DomainInput {
                item_key: d.item_key,
                level: d
                    .level
                    .map_or_else(|| "niet_besproken".to_string(), |l| l.to_string()),
                own: text(d.split.map(|s| s[0])),
                network: text(d.split.map(|s| s[1])),
                professional: text(d.split.map(|s| s[2])),
                wants_to_work_on: d.wants_to_work_on,
                strengths: d.strengths.unwrap_or_default(),
                note: d.note.unwrap_or_default(),
            })
            .collect(),
    };
    let (id, instrument) =
        records::record_assessment(&state.app, &caller, trajectory_id, &input).await?;
    let location = format!("/api/v1/trajectories/{trajectory_id}");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(RecordedAssessment {
            id,
            trajectory_id,
            instrument_key: instrument.key,
            instrument_version: instrument.version,
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct NetworkPerson {
    pub name: String,
    pub relation: String,
    pub contact: Option<String>,
    pub helps_with: Option<String>,
    pub how_often: Option<String>,
    /// `asks` or `could_but_does_not`.
    pub asks: String,
    /// A mantelzorger's load and capacity, 0–10.
    pub carer_load: Option<u8>,
    pub carer_capacity: Option<u8>,
    /// The load exceeds the capacity.
    pub overloaded: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Network {
    /// `asks_enough`, `has_people_but_does_not_ask` or `too_few_people`, once discussed.
    pub summary: Option<String>,
    /// `in_balance`, `receives_more` or `gives_more`, once discussed.
    pub balance: Option<String>,
    pub people: Vec<NetworkPerson>,
}

/// A person to add to the client's network.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNetworkPerson {
    pub name: String,
    pub relation: String,
    /// `asks` or `could_but_does_not`.
    pub asks: String,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub helps_with: Option<String>,
    #[serde(default)]
    pub how_often: Option<String>,
    /// For a mantelzorger: load and capacity, 0–10.
    #[serde(default)]
    pub carer_load: Option<u8>,
    #[serde(default)]
    pub carer_capacity: Option<u8>,
}

/// The people around a client, with the client's own summary.
#[utoipa::path(get, path = "/api/v1/clients/{id}/network", tag = "clients", params(("id" = i64, Path)),
    responses((status = 200, description = "The client's network", body = Network), problems::Forbidden))]
async fn get_network(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Result<Json<Network>, AppError> {
    let view = records::client_network(&state.app, &caller, id).await?;
    Ok(Json(Network {
        summary: view.summary.map(|s| s.as_str().to_string()),
        balance: view.balance.map(|b| b.as_str().to_string()),
        people: view
            .members
            .into_iter()
            .map(|m| {
                let overloaded = m.member.overloaded();
                let m = m.member;
                NetworkPerson {
                    asks: m.asks.as_str().into(),
                    carer_load: m.carer.map(|c| c.0),
                    carer_capacity: m.carer.map(|c| c.1),
                    overloaded,
                    name: m.name,
                    relation: m.relation,
                    contact: m.contact,
                    helps_with: m.helps_with,
                    how_often: m.how_often,
                }
            })
            .collect(),
    }))
}

/// Adds a person to the client's network.
#[utoipa::path(post, path = "/api/v1/clients/{id}/network", tag = "clients", params(("id" = i64, Path)), request_body = NewNetworkPerson,
    responses((status = 201, description = "Added", headers(("Location" = String, description = "The client's network"))),
              problems::Forbidden))]
async fn add_network_member(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    body: ApiJson<NewNetworkPerson>,
) -> Result<impl IntoResponse, AppError> {
    let target = records::Target::Client(id);
    records::check(&state.app, &caller, target, Permission::ChangeClientDetails).await?;
    let body = body.read()?;
    let text = |v: Option<u8>| v.map(|n| n.to_string()).unwrap_or_default();
    let input = regie_domain::NetworkMemberInput {
        is_carer: body.carer_load.is_some() || body.carer_capacity.is_some(),
        load: text(body.carer_load),
        capacity: text(body.carer_capacity),
        name: body.name,
        relation: body.relation,
        asks: body.asks,
        contact: body.contact.unwrap_or_default(),
        helps_with: body.helps_with.unwrap_or_default(),
        how_often: body.how_often.unwrap_or_default(),
    };
    records::add_network_member(&state.app, &caller, id, &input).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/clients/{id}/network"))],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(value) = value {
            headers.insert(header::IF_MATCH, value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn if_match_names_the_version_a_change_is_based_on() {
        let version = |value| match based_on(&with(value), "plan", true) {
            Ok(BasedOn::IfMatch(v)) => Some(v),
            Ok(_) => None,
            Err(AppError::PreconditionRequired) => Some(-428),
            Err(other) => panic!("{other}"),
        };
        assert_eq!(version(Some("\"plan-3\"")), Some(3));
        // Of several, the newest of ours; the order does not matter.
        assert_eq!(version(Some("\"plan-2\", \"plan-3\"")), Some(3));
        assert_eq!(version(Some("\"plan-3\", \"plan-2\"")), Some(3));
        // A weak tag, another kind's tag or nonsense matches no version.
        assert_eq!(version(Some("W/\"plan-3\"")), Some(-1));
        assert_eq!(version(Some("\"team-3\"")), Some(-1));
        assert_eq!(version(Some("null")), Some(-1));
        // `*` accepts any version; missing (or empty) on a PUT is 428.
        assert_eq!(version(Some("*")), None);
        assert_eq!(version(None), Some(-428));
        assert_eq!(version(Some("  ")), Some(-428));
        assert!(matches!(
            based_on(&with(None), "plan", false),
            Ok(BasedOn::Unknown)
        ));
    }
}
