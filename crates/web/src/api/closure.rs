//! Closing a trajectory through the API, and the closure as the trajectory document shows it.

use super::body::ApiJson;
use super::problems;
use crate::auth::ApiCaller;
use crate::context::Id;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use regie_app::records;
use regie_domain::validation::iso_date;
use regie_domain::{
    CareNowInput, Closure, ClosureInput, ClosureOption, FinalScoreInput, GoalOutcomeInput,
    Permission,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Care still given at closure for one discipline.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CareNowBody {
    /// A discipline code, e.g. `verzorgende`.
    pub discipline: String,
    /// Hours per week, 0–168; 0 leaves the discipline out.
    pub hours_per_week: f64,
}

/// The outcome of a goal still active at closure.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalOutcomeBody {
    /// The goal's number in the plan.
    pub goal_id: u32,
    /// `achieved` or `stopped`.
    pub status: String,
    /// Required when stopped.
    #[serde(default)]
    pub reason: Option<String>,
    /// The GAS level reached, −2…2, for a goal with a GAS scale.
    #[serde(default)]
    pub attained: Option<i8>,
}

/// A goal's final COPM scores at closure.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinalScoreBody {
    /// The goal's number in the plan (any goal of the plan).
    pub goal_id: u32,
    #[serde(default)]
    pub performance: Option<u8>,
    #[serde(default)]
    pub satisfaction: Option<u8>,
}

/// How a trajectory closes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureBody {
    /// `no_care_needed` (option A), `referred` (option B) or `stopped_early`; before the
    /// execution phase only `stopped_early` (409 otherwise).
    pub option: String,
    /// For `referred`: `wijkverpleging`, `wlz`, `wmo_maatwerk`, `huishoudelijke_hulp`,
    /// `dagbesteding` or `other`.
    #[serde(default)]
    pub referral_to: Option<String>,
    /// For `referred`: who or which organisation (required for `other`).
    #[serde(default)]
    pub referral_detail: Option<String>,
    /// For `referred`: the warm handover note for the receiver (required).
    #[serde(default)]
    pub handover: Option<String>,
    /// For `stopped_early`: `client_declined`, `admission`, `moved`, `deceased` or `other`.
    #[serde(default)]
    pub stop_reason: Option<String>,
    /// For `stopped_early`: more words (required for `other`).
    #[serde(default)]
    pub stop_detail: Option<String>,
    /// The closure date, `YYYY-MM-DD`: not in the future, not before the trajectory's start
    /// (409); absent means today.
    #[serde(default)]
    pub date: Option<String>,
    /// A short summary.
    pub summary: String,
    /// Care hours per week now, per discipline (each discipline once).
    #[serde(default)]
    pub care_now: Vec<CareNowBody>,
    /// An outcome for every goal still active (409 when one is missing or not active).
    #[serde(default)]
    pub goals: Vec<GoalOutcomeBody>,
    /// Final scores beside the baseline, for goals of the plan (409 for another goal).
    #[serde(default)]
    pub scores: Vec<FinalScoreBody>,
}

impl ClosureBody {
    fn into_input(self) -> ClosureInput {
        ClosureInput {
            option: self.option,
            referral_to: self.referral_to.unwrap_or_default(),
            referral_detail: self.referral_detail.unwrap_or_default(),
            handover: self.handover.unwrap_or_default(),
            stop_reason: self.stop_reason.unwrap_or_default(),
            stop_detail: self.stop_detail.unwrap_or_default(),
            date: self.date.unwrap_or_default(),
            summary: self.summary,
            care_now: self
                .care_now
                .into_iter()
                .map(|c| CareNowInput {
                    discipline: c.discipline,
                    hours: c.hours_per_week.to_string(),
                })
                .collect(),
            goals: self
                .goals
                .into_iter()
                .map(|g| GoalOutcomeInput {
                    goal_id: g.goal_id,
                    status: g.status,
                    reason: g.reason.unwrap_or_default(),
                    attained: g.attained.map(|a| a.to_string()).unwrap_or_default(),
                })
                .collect(),
            scores: self
                .scores
                .into_iter()
                .map(|s| {
                    let number = |v: Option<u8>| v.map(|n| n.to_string()).unwrap_or_default();
                    FinalScoreInput {
                        goal_id: s.goal_id,
                        performance: number(s.performance),
                        satisfaction: number(s.satisfaction),
                    }
                })
                .collect(),
        }
    }
}

/// How a trajectory closed, in the trajectory document.
#[derive(Serialize, ToSchema)]
pub struct ClosureDocument {
    /// `no_care_needed`, `referred` or `stopped_early`.
    pub option: String,
    pub referral_to: Option<String>,
    pub referral_detail: Option<String>,
    pub handover: Option<String>,
    pub stop_reason: Option<String>,
    pub stop_detail: Option<String>,
    /// `YYYY-MM-DD`; null for closures recorded before the date was asked.
    pub date: Option<String>,
    pub summary: String,
    pub care_now: Vec<CareNowBody>,
}

pub(super) fn closure_document(closure: &Closure) -> ClosureDocument {
    let (mut referral_to, mut referral_detail, mut handover) = (None, None, None);
    let (mut stop_reason, mut stop_detail) = (None, None);
    match &closure.option {
        ClosureOption::NoCareNeeded => {}
        ClosureOption::Referred {
            to,
            detail,
            handover: note,
        } => {
            referral_to = Some(to.as_str().to_string());
            referral_detail = detail.clone();
            handover = Some(note.clone());
        }
        ClosureOption::StoppedEarly { reason, detail } => {
            stop_reason = Some(reason.as_str().to_string());
            stop_detail = detail.clone();
        }
    }
    ClosureDocument {
        option: closure.option.as_str().into(),
        referral_to,
        referral_detail,
        handover,
        stop_reason,
        stop_detail,
        date: closure.date.map(iso_date),
        summary: closure.summary.clone(),
        care_now: closure
            .care_now
            .iter()
            .map(|c| CareNowBody {
                discipline: c.discipline.as_str().into(),
                hours_per_week: f64::from(c.minutes) / 60.0,
            })
            .collect(),
    }
}

/// Closes a trajectory: settles the goals still active (their outcomes in the body) and ends
/// running interventions on the closure date, in one new plan version; then the trajectory
/// is closed and takes no more changes. The coordinator only.
#[utoipa::path(post, path = "/api/v1/trajectories/{id}/closure", tag = "trajectories",
    params(("id" = i64, Path, description = "The trajectory")), request_body = ClosureBody,
    responses((status = 201, description = "Closed", body = super::TrajectoryDocument, headers(("Location" = String, description = "The trajectory's URL"))),
              problems::Forbidden, problems::Conflict))]
pub(super) async fn close_trajectory(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(trajectory_id): Id,
    body: ApiJson<ClosureBody>,
) -> Result<impl IntoResponse, AppError> {
    let target = records::Target::Trajectory(trajectory_id);
    records::check(&state.app, &caller, target, Permission::ManageTrajectory).await?;
    let input = body.read()?.into_input();
    records::closure::close_trajectory(&state.app, &caller, trajectory_id, &input).await?;
    let (trajectory, events) =
        records::trajectory_with_timeline(&state.app, &caller, trajectory_id).await?;
    let location = format!("/api/v1/trajectories/{trajectory_id}");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(super::trajectory_document(trajectory, events)?),
    ))
}
