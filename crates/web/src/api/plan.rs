//! The plan through the API: goals, the core team, agreements and the plan's versions. The plan
//! itself is sent as [`PlanContent`], the API's own shape of it; changes go through the same
//! checked operations as the pages, so each one is a new version.

use super::body::ApiJson;
use super::plan_content::PlanContent;
use super::problems;
use super::{based_on, etag};
use crate::auth::ApiCaller;
use crate::context::{Id, IdAnd};
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use regie_app::records::plan::{self as plans, PlanContext, PlanEdit, TeamRequest};
use regie_app::records::{self, Target};
use regie_domain::{AgreementInput, AuditEvent, GoalInput, InterventionInput, Permission};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// One version of a trajectory's plan.
#[derive(Serialize, ToSchema)]
pub struct PlanDocument {
    pub trajectory_id: i64,
    /// 0 while no plan was made yet.
    pub version: i64,
    pub newest_version: i64,
    pub reason: Option<String>,
    pub author: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub created_at: Option<OffsetDateTime>,
    pub plan: PlanContent,
    /// The GAS T-score over the goals scored so far.
    pub gas_t_score: Option<f64>,
}

fn document(ctx: &PlanContext) -> PlanDocument {
    let plan = ctx.plan();
    PlanDocument {
        trajectory_id: ctx.trajectory.id,
        version: ctx.version.as_ref().map_or(0, |v| v.number),
        newest_version: ctx.newest,
        reason: ctx.version.as_ref().map(|v| v.reason.clone()),
        author: ctx.version.as_ref().map(|v| v.author.clone()),
        created_at: ctx.version.as_ref().map(|v| v.created_at),
        gas_t_score: plan.gas_t_score(),
        plan: PlanContent::from(&plan),
    }
}

/// The newest version of a trajectory's plan.
#[utoipa::path(get, path = "/api/v1/trajectories/{id}/plan", tag = "plan", params(("id" = i64, Path)),
    responses((status = 200, description = "The newest version", body = PlanDocument,
               headers(("ETag" = String, description = "The plan's version, for If-Match"))),
              problems::Forbidden))]
pub async fn get_plan(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Result<impl IntoResponse, AppError> {
    let ctx = plans::open_plan(&state.app, &caller, id, None, AuditEvent::ClientRead).await?;
    Ok(([etag("plan", ctx.newest)], Json(document(&ctx))))
}

/// Asks the rule for changing a trajectory's plan (or team) before its body is read.
async fn may_change(
    state: &AppState,
    caller: &crate::context::Caller,
    trajectory_id: i64,
    permission: Permission,
) -> Result<(), AppError> {
    records::check(
        &state.app,
        caller,
        Target::Trajectory(trajectory_id),
        permission,
    )
    .await
    .map_err(AppError::from)
}

fn location(path: &str) -> (header::HeaderName, HeaderValue) {
    (
        header::LOCATION,
        HeaderValue::from_str(path).expect("an API path is a valid header value"),
    )
}

/// An earlier version of a trajectory's plan, as it was.
#[utoipa::path(get, path = "/api/v1/trajectories/{id}/plan/versions/{number}", tag = "plan",
    params(("id" = i64, Path), ("number" = i64, Path)),
    responses((status = 200, description = "That version", body = PlanDocument),
              problems::Forbidden))]
pub async fn get_plan_version(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    IdAnd(id, number): IdAnd<i64>,
) -> Result<Json<PlanDocument>, AppError> {
    let ctx = plans::open_plan(
        &state.app,
        &caller,
        id,
        Some(number),
        AuditEvent::ClientRead,
    )
    .await?;
    Ok(Json(document(&ctx)))
}

/// A change to the plan: the version it made.
#[derive(Serialize, ToSchema)]
pub struct PlanChanged {
    pub version: i64,
    /// The number of the goal or intervention added, when one was.
    pub id: Option<u32>,
}

/// A goal in the client's own words.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalBody {
    pub words: String,
    /// `client`, `carer` or `together`.
    pub expressed_by: String,
    #[serde(default)]
    pub life_domains: Vec<String>,
    #[serde(default)]
    pub activities: Vec<String>,
    /// COPM-style scores at the start, 1–10.
    #[serde(default)]
    pub importance: Option<u8>,
    #[serde(default)]
    pub performance: Option<u8>,
    #[serde(default)]
    pub satisfaction: Option<u8>,
    /// Goal Attainment Scaling: descriptions of levels −2…+2, in order.
    #[serde(default)]
    pub gas_levels: Option<[String; 5]>,
    #[serde(default)]
    pub gas_weight: Option<u8>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub target_date: Option<String>,
    /// Why the plan changes.
    #[serde(default)]
    pub reason: Option<String>,
}

fn number(value: Option<u8>) -> String {
    value.map(|n| n.to_string()).unwrap_or_default()
}

/// Adds a goal to the plan (a new version). `If-Match` with the plan's `ETag` is optional.
#[utoipa::path(post, path = "/api/v1/trajectories/{id}/goals", tag = "plan",
    params(("id" = i64, Path), ("If-Match" = Option<String>, Header, description = "The plan's ETag: refused with 412 when the plan changed since")),
    request_body = GoalBody,
    responses((status = 201, description = "Added: the plan's new version and the goal's number", body = PlanChanged,
               headers(("ETag" = String, description = "The plan's new version"))),
              problems::Forbidden, problems::Conflict, problems::Preconditions))]
pub async fn add_goal(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    headers: HeaderMap,
    body: ApiJson<GoalBody>,
) -> Result<impl IntoResponse, AppError> {
    may_change(&state, &caller, id, Permission::ChangePlan).await?;
    let body = body.read()?;
    let based_on = based_on(&headers, "plan", false)?;
    let input = GoalInput {
        words: body.words,
        expressed_by: body.expressed_by,
        life_domains: body.life_domains,
        activities: body.activities,
        importance: number(body.importance),
        performance: number(body.performance),
        satisfaction: number(body.satisfaction),
        gas_levels: body.gas_levels.unwrap_or_default(),
        gas_weight: number(body.gas_weight),
        target_date: body.target_date.unwrap_or_default(),
    };
    let reason = body.reason.unwrap_or_default();
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &reason,
        based_on,
    };
    let (version, goal) = plans::add_goal(&state.app, &caller, edit, &input).await?;
    Ok((
        StatusCode::CREATED,
        [
            location(&format!("/api/v1/trajectories/{id}/plan")),
            etag("plan", version),
        ],
        Json(PlanChanged {
            version,
            id: Some(goal),
        }),
    ))
}

/// An intervention from the catalogue for a goal.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterventionBody {
    pub catalogue_id: i64,
    /// `client`, `network:<id>`, `discipline:<key>` or `user:<id>` (a core-team professional).
    pub responsible: String,
    pub frequency: String,
    /// `YYYY-MM-DD`; today when left out.
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Adds an intervention to a goal (a new version). `If-Match` with the plan's `ETag` is
/// optional.
#[utoipa::path(post, path = "/api/v1/trajectories/{id}/goals/{goal}/interventions", tag = "plan",
    params(("id" = i64, Path), ("goal" = u32, Path), ("If-Match" = Option<String>, Header, description = "The plan's ETag: refused with 412 when the plan changed since")),
    request_body = InterventionBody,
    responses((status = 201, description = "Added: the plan's new version and the intervention's number", body = PlanChanged,
               headers(("ETag" = String, description = "The plan's new version"))),
              problems::Forbidden, problems::Conflict, problems::Preconditions))]
pub async fn add_intervention(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    IdAnd(id, goal): IdAnd<u32>,
    headers: HeaderMap,
    body: ApiJson<InterventionBody>,
) -> Result<impl IntoResponse, AppError> {
    may_change(&state, &caller, id, Permission::ChangePlan).await?;
    let body = body.read()?;
    let based_on = based_on(&headers, "plan", false)?;
    let input = InterventionInput {
        catalogue_id: body.catalogue_id.to_string(),
        responsible: body.responsible,
        frequency: body.frequency,
        start: body.start.unwrap_or_default(),
        end: body.end.unwrap_or_default(),
    };
    let reason = body.reason.unwrap_or_default();
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &reason,
        based_on,
    };
    let (version, intervention) =
        plans::add_intervention(&state.app, &caller, edit, goal, &input).await?;
    Ok((
        StatusCode::CREATED,
        [etag("plan", version)],
        Json(PlanChanged {
            version,
            id: Some(intervention),
        }),
    ))
}

/// The agreement for one daily activity: what the client does, what the team supports.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementBody {
    /// A daily-activity key, e.g. `wassen`.
    pub activity: String,
    /// Agreed support, 0 (zelfstandig) … 4 (volledig overgenomen).
    pub support: u8,
    pub client_does: String,
    #[serde(default)]
    pub team_does: Option<String>,
    /// Graded steps, in order.
    #[serde(default)]
    pub steps: Vec<String>,
    /// Index into `steps` of the step the client is on now.
    #[serde(default)]
    pub current_step: Option<usize>,
    /// Aid ids from the catalogue.
    #[serde(default)]
    pub aid_ids: Vec<i64>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Sets the agreement for a daily activity, replacing an earlier one (a new version). Send
/// the plan's `ETag` as `If-Match`: of two saves based on the same version, one wins and the
/// other gets 412; without `If-Match` the answer is 428.
#[utoipa::path(put, path = "/api/v1/trajectories/{id}/agreements", tag = "plan",
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "The plan's ETag, as `GET …/plan` sends it; 428 without it, 412 when it is no longer current")),
    request_body = AgreementBody,
    responses((status = 200, description = "Set: the plan's version now", body = PlanChanged,
               headers(("ETag" = String, description = "The plan's new version"))),
              problems::Forbidden, problems::Conflict, problems::Preconditions))]
pub async fn set_agreement(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    headers: HeaderMap,
    body: ApiJson<AgreementBody>,
) -> Result<impl IntoResponse, AppError> {
    may_change(&state, &caller, id, Permission::ChangePlan).await?;
    let body = body.read()?;
    let based_on = based_on(&headers, "plan", true)?;
    let input = AgreementInput {
        activity: body.activity,
        support: body.support.to_string(),
        client_does: body.client_does,
        team_does: body.team_does.unwrap_or_default(),
        steps: body.steps,
        current_step: body.current_step,
        aid_ids: body.aid_ids,
    };
    let reason = body.reason.unwrap_or_default();
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &reason,
        based_on,
    };
    let version = plans::set_agreement(&state.app, &caller, edit, &input).await?;
    Ok((
        [etag("plan", version)],
        Json(PlanChanged { version, id: None }),
    ))
}

/// A member of the core team.
#[derive(Serialize, ToSchema)]
pub struct TeamMember {
    /// Set for professionals.
    pub user_id: Option<i64>,
    /// Set for the network member the client chose.
    pub network_member_id: Option<i64>,
    pub name: String,
    pub discipline: Option<String>,
    pub contact: Option<String>,
    pub coordinator: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CoreTeamDocument {
    pub trajectory_id: i64,
    pub client_id: i64,
    pub coordinator_id: i64,
    pub members: Vec<TeamMember>,
}

/// The core team of a trajectory (the client is always a member and not listed).
#[utoipa::path(get, path = "/api/v1/trajectories/{id}/team", tag = "plan", params(("id" = i64, Path)),
    responses((status = 200, description = "The core team", body = CoreTeamDocument,
               headers(("ETag" = String, description = "The team's version, for If-Match"))),
              problems::Forbidden))]
pub async fn get_team(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Result<impl IntoResponse, AppError> {
    let ctx = plans::open_plan(&state.app, &caller, id, None, AuditEvent::ClientRead).await?;
    let coordinator = ctx.trajectory.coordinator_id;
    let tag = etag("team", ctx.trajectory.team_version);
    Ok((
        [tag],
        Json(CoreTeamDocument {
            trajectory_id: id,
            client_id: ctx.client.id,
            coordinator_id: coordinator,
            members: ctx
                .team
                .iter()
                .map(|m| TeamMember {
                    user_id: m.user_id,
                    network_member_id: m.network_member_id,
                    name: m.name.clone(),
                    discipline: m.discipline.map(|d| d.as_str().to_string()),
                    contact: m.contact.clone(),
                    coordinator: m.user_id == Some(coordinator),
                })
                .collect(),
        }),
    ))
}

/// A professional to add to the core team; this gives them access to the client.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTeamMember {
    pub user_id: i64,
    /// Their discipline in this team; their own when left out.
    #[serde(default)]
    pub discipline: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
}

/// Adds a professional to the core team (the coordinator, or a team lead with the record
/// open). `If-Match` with the team's `ETag` is optional.
#[utoipa::path(post, path = "/api/v1/trajectories/{id}/team", tag = "plan",
    params(("id" = i64, Path), ("If-Match" = Option<String>, Header, description = "The team's ETag: refused with 412 when the team changed since")),
    request_body = NewTeamMember,
    responses((status = 201, description = "Added"),
              problems::Forbidden, problems::Conflict, problems::Preconditions))]
pub async fn add_team_member(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    headers: HeaderMap,
    body: ApiJson<NewTeamMember>,
) -> Result<impl IntoResponse, AppError> {
    may_change(&state, &caller, id, Permission::ManageTrajectory).await?;
    let body = body.read()?;
    let based_on = based_on(&headers, "team", false)?;
    let user_id = body.user_id.to_string();
    let request = TeamRequest::Add {
        user_id: &user_id,
        discipline: body.discipline.as_deref().unwrap_or_default(),
        contact: body.contact.as_deref().unwrap_or_default(),
    };
    plans::change_team(&state.app, &caller, id, request, based_on).await?;
    Ok((
        StatusCode::CREATED,
        [location(&format!("/api/v1/trajectories/{id}/team"))],
    ))
}
