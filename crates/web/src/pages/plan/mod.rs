//! The plan of a trajectory: goals in the client's words, interventions with who does what,
//! agreements per daily activity, planned care, Samen Beslissen; its versions; and the printed
//! plan for the client.
//!
//! `page` shows the plan; each subject has its own forms: `goals`, `interventions`,
//! `agreements`, `care`, `decisions`; `versions` holds the version history, the comparison
//! and the printed plan. What the forms share (how a form is shown again, the plan page after
//! a refused button) lives here.

mod agreements;
mod care;
mod decisions;
mod goals;
mod interventions;
mod page;
mod versions;

pub(crate) use agreements::{AgreementView, agreement_view};
pub(crate) use interventions::elements_label;

use super::{FormErrors, Refused, save_or_show};
use crate::context::CurrentUser;
use crate::i18n::Tr;
use crate::{AppError, AppState};
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use regie_app::records::BasedOn;
use regie_app::records::plan::PlanContext;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/trajectories/{id}/plan", get(page::show))
        .route("/trajectories/{id}/plan/print", get(versions::print))
        .route("/trajectories/{id}/plan/versions", get(versions::versions))
        .route(
            "/trajectories/{id}/plan/goals",
            get(goals::new_goal).post(goals::add_goal),
        )
        .route(
            "/trajectories/{id}/plan/goals/{goal}",
            get(goals::edit_goal).post(goals::save_goal),
        )
        .route(
            "/trajectories/{id}/plan/goals/{goal}/status",
            post(goals::save_goal_status),
        )
        .route(
            "/trajectories/{id}/plan/goals/{goal}/interventions",
            get(interventions::new_intervention).post(interventions::add_intervention),
        )
        .route(
            "/trajectories/{id}/plan/interventions/{intervention}/end",
            post(interventions::end_intervention),
        )
        .route(
            "/trajectories/{id}/plan/agreements",
            get(agreements::edit_agreement).post(agreements::save_agreement),
        )
        .route(
            "/trajectories/{id}/plan/care",
            get(care::edit_care).post(care::save_care),
        )
        .route(
            "/trajectories/{id}/plan/care/{discipline}/remove",
            post(care::remove_care),
        )
        .route(
            "/trajectories/{id}/decisions",
            get(decisions::new_decision).post(decisions::add_decision),
        )
}

/// How a form page is shown: fresh, or again after a refused save with the reason as typed
/// and the version the input was based on (after a refused overwrite: the newest).
struct Shown {
    reason: String,
    refused: Option<Refused>,
    based_on: Option<i64>,
    /// The intervention whose ending was refused, and the day typed for it.
    ending: Option<(u32, String)>,
}

impl Shown {
    fn fresh() -> Self {
        Shown {
            reason: String::new(),
            refused: None,
            based_on: None,
            ending: None,
        }
    }

    fn after(refused: Refused, reason: String, based_on: BasedOn) -> Self {
        let sent = match based_on {
            BasedOn::Form(v) | BasedOn::IfMatch(v) => Some(v),
            BasedOn::Unknown | BasedOn::Missing => None,
        };
        Shown {
            reason,
            based_on: refused.newest().or(sent),
            refused: Some(refused),
            ending: None,
        }
    }

    fn status(&self) -> StatusCode {
        self.refused
            .as_ref()
            .map_or(StatusCode::OK, Refused::status)
    }

    /// The version the form is based on, its messages and the reason to show.
    fn settle(self, tr: Tr, ctx: &PlanContext) -> (i64, FormErrors, String) {
        let errors = match &self.refused {
            Some(refused) => refused.errors_describing(tr, |changes| {
                let plan = ctx.plan();
                versions::describe(tr, ctx, &plan, &plan, changes)
            }),
            None => FormErrors::default(),
        };
        (self.based_on.unwrap_or(ctx.newest), errors, self.reason)
    }
}

/// The version a plan form was based on, as it sent it.
fn form_version(raw: &str) -> BasedOn {
    BasedOn::from_form(Some(raw))
}

/// Answers a plan change: back to the plan, or the plan page with the message when a form
/// on it (ending an intervention, removing care) was refused.
async fn after_change(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    result: Result<i64, regie_app::Error>,
    based_on: BasedOn,
    anchor: &str,
) -> Result<Response, AppError> {
    save_or_show(
        result,
        |_| format!("/trajectories/{id}/plan{anchor}"),
        async |refused| {
            let shown = Shown::after(refused, String::new(), based_on);
            page::plan_page(state, user, id, None, shown).await
        },
    )
    .await
}

/// A goal named in a URL that the plan does not have: a 404, audited against the client.
async fn goal_not_found(
    state: &AppState,
    user: &CurrentUser,
    ctx: &PlanContext,
    goal_id: u32,
) -> AppError {
    let object = format!("{}/goal/{goal_id}", ctx.trajectory.id);
    regie_app::records::not_found_in(&state.app, &user.caller, ctx.client.id, "plan", &object)
        .await
        .into()
}

/// The value of one field of a form read as pairs.
fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

/// A change made from a button on the plan page: why, and the version the page showed.
#[derive(serde::Deserialize)]
struct ReasonForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    based_on: String,
}
