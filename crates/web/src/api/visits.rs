//! Visits through the API. Creation is idempotent: a retried POST with the same
//! `Idempotency-Key` header answers with the visit recorded the first time.

use super::body::ApiJson;
use super::problems;
use crate::auth::ApiCaller;
use crate::context::Id;
use crate::{AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use regie_app::records::visits;
use regie_domain::Permission;
use regie_domain::visit::{GivenInput, VisitInput};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// The support given for one agreed activity.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GivenBody {
    /// A daily-activity key with an agreement, e.g. `wassen`. Every agreed activity needs
    /// exactly one entry.
    pub activity: String,
    /// Support given, 0 (zelfstandig) … 4 (volledig overgenomen); `null` when the activity
    /// was not part of this visit.
    #[schema(minimum = 0, maximum = 4)]
    pub level: Option<u8>,
    /// Required when more than agreed: `pain`, `fatigue`, `client_anxious`, `time_pressure`,
    /// `client_asked`, `safety` or `other` (with `reason_text`).
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub reason_text: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitBody {
    /// `YYYY-MM-DD`, not in the future; today when left out.
    #[serde(default)]
    pub date: Option<String>,
    pub minutes: u16,
    #[serde(default)]
    pub given: Vec<GivenBody>,
    #[serde(default)]
    pub note: Option<String>,
    /// A success in the client's own words.
    #[serde(default)]
    pub success: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GivenItem {
    pub activity: String,
    pub agreed: u8,
    pub given: u8,
    pub reason: Option<String>,
    pub reason_text: Option<String>,
    /// The client did more than agreed.
    pub did_more: bool,
}

#[derive(Serialize, ToSchema)]
pub struct VisitItem {
    pub id: i64,
    pub trajectory_id: i64,
    pub user_id: i64,
    pub discipline: String,
    #[schema(value_type = String, format = Date)]
    pub date: String,
    pub minutes: u16,
    pub given: Vec<GivenItem>,
    /// Agreed activities that were not part of this visit.
    pub not_done: Vec<String>,
    pub note: Option<String>,
    pub success: Option<String>,
    pub version: i64,
    /// Set when the visit was marked as entered in error.
    pub entered_in_error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: OffsetDateTime,
}

fn item(v: &regie_storage::StoredVisit) -> VisitItem {
    VisitItem {
        id: v.id,
        trajectory_id: v.trajectory_id,
        user_id: v.user_id,
        discipline: v.discipline.as_str().into(),
        date: v.content.date.to_string(),
        minutes: v.content.minutes,
        given: v
            .content
            .given
            .iter()
            .map(|g| GivenItem {
                activity: g.activity.clone(),
                agreed: g.agreed.value(),
                given: g.given.value(),
                reason: g.reason.map(|r| r.as_str().to_string()),
                reason_text: g.reason_text.clone(),
                did_more: g.did_more(),
            })
            .collect(),
        not_done: v.content.not_done.clone(),
        note: v.content.note.clone(),
        success: v.content.success.clone(),
        version: v.version,
        entered_in_error: v.error_reason.clone(),
        recorded_at: v.recorded_at,
    }
}

/// Records a visit. Send an `Idempotency-Key` header to make retries safe: the same key with
/// the same body answers `200` with the first visit instead of recording a second one; the
/// same key with another body is refused (422).
#[utoipa::path(post, path = "/api/v1/trajectories/{id}/visits", tag = "visits",
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried POST return the first result: a key unique to this request, such as a UUID (printable ASCII, at most 200 characters). A key already used for another trajectory is refused with 422.")),
    request_body = VisitBody,
    responses((status = 201, body = VisitItem, description = "Recorded"),
              (status = 200, body = VisitItem, description = "Already recorded with this key"),
              problems::Forbidden, problems::Conflict))]
pub async fn record_visit(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
    headers: HeaderMap,
    body: ApiJson<VisitBody>,
) -> Result<impl IntoResponse, AppError> {
    let target = regie_app::records::Target::Trajectory(id);
    regie_app::records::check(&state.app, &caller, target, Permission::RecordVisit).await?;
    let body = body.read()?;
    // Read whatever was sent, so that a key that is not printable ASCII is refused after the
    // access check instead of being taken for no key at all.
    let key = headers
        .get("idempotency-key")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let input = VisitInput {
        date: body.date.unwrap_or_default(),
        minutes: body.minutes.to_string(),
        given: body
            .given
            .into_iter()
            .map(|g| GivenInput {
                activity: g.activity,
                level: g.level.map_or_else(
                    || regie_domain::visit::NOT_DONE.to_string(),
                    |l| l.to_string(),
                ),
                reason: g.reason.unwrap_or_default(),
                reason_text: g.reason_text.unwrap_or_default(),
            })
            .collect(),
        note: body.note.unwrap_or_default(),
        success: body.success.unwrap_or_default(),
    };
    let (visit, created) =
        visits::record_visit(&state.app, &caller, id, &input, key.as_deref()).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        [(
            header::LOCATION,
            format!("/api/v1/trajectories/{id}/visits"),
        )],
        Json(item(&visit)),
    ))
}

/// A trajectory's visits, newest first, with those entered in error marked.
#[utoipa::path(get, path = "/api/v1/trajectories/{id}/visits", tag = "visits", params(("id" = i64, Path)),
    responses((status = 200, description = "The visits, newest first", body = Vec<VisitItem>),
              problems::Forbidden))]
pub async fn list_visits(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Id(id): Id,
) -> Result<Json<Vec<VisitItem>>, AppError> {
    let view = visits::open_visits(&state.app, &caller, id).await?;
    Ok(Json(view.visits.iter().map(item).collect()))
}
