//! Evaluations through the API: the history of evaluations and goal scores, and recording an
//! evaluation held with the client (scores, decisions, support going forward).

use super::body::ApiJson;
use super::problems;
use crate::auth::ApiCaller;
use crate::context::Id;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use regie_app::records::evaluation as evaluations;
use regie_domain::{AgreementForwardInput, EvaluationInput, GoalEvaluationInput, Permission};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalEvaluationBody {
    /// The goal's number in the plan; every active goal needs an entry.
    pub goal_id: u32,
    #[serde(default)]
    #[schema(minimum = 1, maximum = 10)]
    pub performance: Option<u8>,
    #[serde(default)]
    #[schema(minimum = 1, maximum = 10)]
    pub satisfaction: Option<u8>,
    /// The GAS level reached, −2…+2, for a goal with a GAS scale.
    #[serde(default)]
    #[schema(minimum = -2, maximum = 2)]
    pub gas_attained: Option<i8>,
    /// The client's own words about progress.
    #[serde(default)]
    pub words: Option<String>,
    /// `continue`, `adjust`, `achieved` or `stop`.
    pub decision: String,
    /// Required for `adjust` and `stop`.
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementForwardBody {
    /// A daily-activity key with an agreement.
    pub activity: String,
    /// Support from now on, 0 (zelfstandig) … 4 (volledig overgenomen).
    #[schema(minimum = 0, maximum = 4)]
    pub support: u8,
    /// The step from now on, counted from 1.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub step: Option<u32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationBody {
    /// `YYYY-MM-DD`: not in the future, not before the trajectory started.
    #[schema(value_type = String, format = Date)]
    pub held_on: String,
    /// `YYYY-MM-DD` after `held_on`; one interval later when left out.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub next_on: Option<String>,
    #[serde(default)]
    pub client_took_part: bool,
    #[serde(default)]
    pub network_member_ids: Vec<i64>,
    #[serde(default)]
    pub professional_ids: Vec<i64>,
    #[serde(default)]
    pub goals: Vec<GoalEvaluationBody>,
    #[serde(default)]
    pub agreements: Vec<AgreementForwardBody>,
}

#[derive(Serialize, ToSchema)]
pub struct EvaluationItem {
    pub id: i64,
    #[schema(value_type = String, format = Date)]
    pub held_on: String,
    #[schema(value_type = String, format = Date)]
    pub next_on: String,
    pub client_took_part: bool,
    pub network_member_ids: Vec<i64>,
    pub professional_ids: Vec<i64>,
    /// The plan version the evaluation made.
    pub plan_version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct GoalScoreItem {
    pub goal_id: u32,
    /// `evaluation`, `closure` or `follow_up` (the baseline is in the plan).
    pub moment: String,
    #[schema(value_type = String, format = Date)]
    pub scored_on: String,
    pub performance: Option<u8>,
    pub satisfaction: Option<u8>,
    pub gas_attained: Option<i8>,
    pub words: Option<String>,
    pub decision: Option<String>,
    pub reason: Option<String>,
    pub evaluation_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct EvaluationsDocument {
    /// Weeks between evaluations.
    pub every_weeks: u8,
    #[schema(value_type = String, format = Date)]
    pub next_due: String,
    pub evaluations: Vec<EvaluationItem>,
    pub scores: Vec<GoalScoreItem>,
}

#[derive(Serialize, ToSchema)]
pub struct EvaluationCreated {
    pub id: i64,
}

/// A trajectory's evaluations and goal scores, oldest first, with when the next is due.
#[utoipa::path(get, path = "/api/v1/trajectories/{id}/evaluations", tag = "evaluations",
    params(("id" = i64, Path)),
    responses((status = 200, body = EvaluationsDocument, description = "The history"),
              problems::Forbidden))]
pub async fn list_evaluations(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Result<Json<EvaluationsDocument>, AppError> {
    let history = evaluations::evaluation_history(&state.app, &caller, id).await?;
    Ok(Json(EvaluationsDocument {
        every_weeks: history.every_weeks,
        next_due: history.next_due.to_string(),
        evaluations: history
            .evaluations
            .iter()
            .map(|e| EvaluationItem {
                id: e.id,
                held_on: e.held_on.to_string(),
                next_on: e.next_on.to_string(),
                client_took_part: e.participants.client,
                network_member_ids: e.participants.network_member_ids.clone(),
                professional_ids: e.participants.professional_ids.clone(),
                plan_version: e.plan_version,
            })
            .collect(),
        scores: history
            .scores
            .iter()
            .map(|s| GoalScoreItem {
                goal_id: s.score.goal_id,
                moment: s.score.moment.as_str().into(),
                scored_on: s.score.scored_on.to_string(),
                performance: s.score.performance,
                satisfaction: s.score.satisfaction,
                gas_attained: s.score.gas_attained,
                words: s.score.words.clone(),
                decision: s.decision.map(|d| d.as_str().to_string()),
                reason: s.reason.clone(),
                evaluation_id: s.evaluation_id,
            })
            .collect(),
    }))
}

/// Records an evaluation held with the client: a score row per active goal beside the
/// baseline, a decision per goal, support going forward per agreement, and one new plan
/// version ("evaluatie van <date>").
#[utoipa::path(post, path = "/api/v1/trajectories/{id}/evaluations", tag = "evaluations",
    params(("id" = i64, Path)),
    request_body = EvaluationBody,
    responses((status = 201, body = EvaluationCreated, description = "Recorded"),
              problems::Forbidden, problems::Conflict))]
pub async fn record_evaluation(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    body: ApiJson<EvaluationBody>,
) -> Result<impl IntoResponse, AppError> {
    let target = regie_app::records::Target::Trajectory(id);
    regie_app::records::check(&state.app, &caller, target, Permission::ChangePlan).await?;
    let body = body.read()?;
    let text = |v: Option<String>| v.unwrap_or_default();
    let number = |v: Option<u8>| v.map(|n| n.to_string()).unwrap_or_default();
    let input = EvaluationInput {
        held_on: body.held_on,
        next_on: text(body.next_on),
        client_took_part: body.client_took_part,
        network_member_ids: body.network_member_ids.iter().map(i64::to_string).collect(),
        professional_ids: body.professional_ids.iter().map(i64::to_string).collect(),
        goals: body
            .goals
            .into_iter()
            .map(|g| GoalEvaluationInput {
                goal_id: g.goal_id,
                performance: number(g.performance),
                satisfaction: number(g.satisfaction),
                gas_attained: g.gas_attained.map(|l| l.to_string()).unwrap_or_default(),
                words: text(g.words),
                decision: g.decision,
                reason: text(g.reason),
            })
            .collect(),
        agreements: body
            .agreements
            .into_iter()
            .map(|a| AgreementForwardInput {
                activity: a.activity,
                support: a.support.to_string(),
                step: a.step.map(|s| s.to_string()).unwrap_or_default(),
            })
            .collect(),
    };
    let created = evaluations::record_evaluation(&state.app, &caller, id, &input).await?;
    Ok((
        StatusCode::CREATED,
        [(
            header::LOCATION,
            format!("/api/v1/trajectories/{id}/evaluations"),
        )],
        Json(EvaluationCreated { id: created }),
    ))
}
