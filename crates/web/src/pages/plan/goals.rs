//! Goals in the client's own words, with COPM scores, GAS levels and a status.

use super::{Shown, field, form_version, goal_not_found};
use crate::choice::Choosable;
use crate::context::{CurrentUser, Id, IdAnd, Layout};
use crate::pages::{Choice, Form, FormErrors, PairsForm, render, save_or_show};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use regie_app::records::plan::{self as plans, PlanEdit};
use regie_domain::{ExpressedBy, Goal, GoalInput, GoalStatus, GoalStatusInput, Permission};

#[derive(Template)]
#[template(path = "goal_form.html")]
struct GoalFormPage {
    layout: Layout,
    id: i64,
    client_name: String,
    goal_id: Option<u32>,
    input: GoalInput,
    reason: String,
    expressed_by: Vec<Choice>,
    life_domains: Vec<Choice>,
    activities: Vec<Choice>,
    gas_fields: Vec<(&'static str, String, String)>,
    statuses: Vec<Choice>,
    status_input: GoalStatusInput,
    attained: Vec<Choice>,
    has_gas: bool,
    based_on: i64,
    errors: FormErrors,
}

fn goal_input_of(goal: &Goal) -> GoalInput {
    let score = |s: Option<u8>| s.map(|v| v.to_string()).unwrap_or_default();
    GoalInput {
        words: goal.words.clone(),
        expressed_by: goal.expressed_by.as_str().into(),
        life_domains: goal.life_domains.clone(),
        activities: goal.activities.clone(),
        importance: score(goal.baseline.importance),
        performance: score(goal.baseline.performance),
        satisfaction: score(goal.baseline.satisfaction),
        gas_levels: goal
            .gas
            .as_ref()
            .map(|g| g.levels.clone())
            .unwrap_or_default(),
        gas_weight: goal
            .gas
            .as_ref()
            .map(|g| g.weight.to_string())
            .unwrap_or_default(),
        target_date: goal
            .target_date
            .map(crate::format::form_date)
            .unwrap_or_default(),
    }
}

async fn goal_form(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    goal_id: Option<u32>,
    input: Option<GoalInput>,
    status_input: Option<GoalStatusInput>,
    shown: Shown,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let ctx = plans::open_plan_to(&state.app, &user.caller, id, Permission::ChangePlan).await?;
    let plan = ctx.plan();
    let goal = match goal_id {
        Some(goal_id) => match plan.goal(goal_id) {
            Some(goal) => Some(goal.clone()),
            None => return Err(goal_not_found(state, user, &ctx, goal_id).await),
        },
        None => None,
    };
    let status = shown.status();
    let (based_on, errors, reason) = shown.settle(tr, &ctx);
    let input = input.unwrap_or_else(|| {
        goal.as_ref().map(goal_input_of).unwrap_or(GoalInput {
            expressed_by: "client".into(),
            ..Default::default()
        })
    });
    let status_input = status_input.unwrap_or_else(|| GoalStatusInput {
        status: goal.as_ref().map_or("active", |g| g.status.as_str()).into(),
        reason: String::new(),
        attained: goal
            .as_ref()
            .and_then(|g| g.gas.as_ref()?.attained)
            .map(|x| x.to_string())
            .unwrap_or_default(),
    });
    let items = |instrument: &regie_domain::InstrumentDefinition, chosen: &[String]| {
        instrument
            .items
            .iter()
            .map(|i| Choice {
                value: i.key.clone(),
                label: i.name.get(tr.lang).to_string(),
                selected: chosen.contains(&i.key),
            })
            .collect()
    };
    let gas_names = ["-2", "-1", "0", "+1", "+2"];
    let page = GoalFormPage {
        layout: user.layout(
            tr.t(if goal_id.is_some() {
                "goal-edit-title"
            } else {
                "goal-new-title"
            }),
            &format!("/trajectories/{id}/plan"),
        ),
        id,
        client_name: ctx.client.name.clone(),
        goal_id,
        expressed_by: ExpressedBy::choices(tr, &input.expressed_by),
        life_domains: items(&ctx.life_domains, &input.life_domains),
        activities: items(&ctx.activities, &input.activities),
        gas_fields: regie_domain::goal::GAS_FIELDS
            .iter()
            .zip(gas_names)
            .enumerate()
            .map(|(i, (field, name))| {
                (
                    *field,
                    tr.t_args("goal-gas-level", &[("level", name.to_string())]),
                    input.gas_levels[i].clone(),
                )
            })
            .collect(),
        statuses: GoalStatus::choices(tr, &status_input.status),
        attained: [
            ("-2", "−2"),
            ("-1", "−1"),
            ("0", "0"),
            ("1", "+1"),
            ("2", "+2"),
        ]
        .iter()
        .map(|(value, shown)| Choice {
            value: value.to_string(),
            label: shown.to_string(),
            selected: status_input.attained == *value,
        })
        .collect(),
        has_gas: goal.as_ref().is_some_and(|g| g.gas.is_some()),
        status_input,
        input,
        reason,
        based_on,
        errors,
    };
    Ok(render(status, &page))
}

/// Goal forms send repeated keys (checked domains and activities), read from pairs.
fn goal_input_from(pairs: &[(String, String)]) -> (GoalInput, String) {
    let mut input = GoalInput::default();
    let mut reason = String::new();
    for (key, value) in pairs {
        match key.as_str() {
            "words" => input.words = value.clone(),
            "expressed_by" => input.expressed_by = value.clone(),
            "life_domains" => input.life_domains.push(value.clone()),
            "activities" => input.activities.push(value.clone()),
            "importance" => input.importance = value.clone(),
            "performance" => input.performance = value.clone(),
            "satisfaction" => input.satisfaction = value.clone(),
            "gas_weight" => input.gas_weight = value.clone(),
            "target_date" => input.target_date = value.clone(),
            "reason" => reason = value.clone(),
            other => {
                if let Some(i) = regie_domain::goal::GAS_FIELDS
                    .iter()
                    .position(|f| *f == other)
                {
                    input.gas_levels[i] = value.clone();
                }
            }
        }
    }
    (input, reason)
}

pub(super) async fn new_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    goal_form(&state, &user, id, None, None, None, Shown::fresh()).await
}

pub(super) async fn add_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let (input, reason) = goal_input_from(&pairs);
    let based_on = form_version(field(&pairs, "based_on"));
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &reason,
        based_on,
    };
    save_or_show(
        plans::add_goal(&state.app, &user.caller, edit, &input).await,
        |(_, goal)| format!("/trajectories/{id}/plan#goal-{goal}"),
        async |refused| {
            let shown = Shown::after(refused, reason, based_on);
            goal_form(&state, &user, id, None, Some(input), None, shown).await
        },
    )
    .await
}

pub(super) async fn edit_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    IdAnd(id, goal): IdAnd<u32>,
) -> Result<Response, AppError> {
    goal_form(&state, &user, id, Some(goal), None, None, Shown::fresh()).await
}

pub(super) async fn save_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    IdAnd(id, goal): IdAnd<u32>,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let (input, reason) = goal_input_from(&pairs);
    let based_on = form_version(field(&pairs, "based_on"));
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &reason,
        based_on,
    };
    save_or_show(
        plans::rewrite_goal(&state.app, &user.caller, edit, goal, &input).await,
        |_| format!("/trajectories/{id}/plan#goal-{goal}"),
        async |refused| {
            let shown = Shown::after(refused, reason, based_on);
            goal_form(&state, &user, id, Some(goal), Some(input), None, shown).await
        },
    )
    .await
}

#[derive(serde::Deserialize)]
pub(super) struct GoalStatusForm {
    #[serde(flatten)]
    input: GoalStatusInput,
    #[serde(default)]
    based_on: String,
}

pub(super) async fn save_goal_status(
    State(state): State<AppState>,
    user: CurrentUser,
    IdAnd(id, goal): IdAnd<u32>,
    Form(form): Form<GoalStatusForm>,
) -> Result<Response, AppError> {
    let based_on = form_version(&form.based_on);
    let edit = PlanEdit {
        trajectory_id: id,
        reason: "",
        based_on,
    };
    let input = form.input;
    save_or_show(
        plans::set_goal_status(&state.app, &user.caller, edit, goal, &input).await,
        |_| format!("/trajectories/{id}/plan#goal-{goal}"),
        async |refused| {
            let shown = Shown::after(refused, String::new(), based_on);
            goal_form(&state, &user, id, Some(goal), None, Some(input), shown).await
        },
    )
    .await
}
