//! Interventions for a goal: from the catalogue, with who carries them out and when.

use super::{Shown, form_version, goal_not_found};
use crate::choice::Choosable;
use crate::context::{CurrentUser, IdAnd, Layout};
use crate::i18n::Tr;
use crate::pages::{Choice, Form, FormErrors, render, save_or_show};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use regie_app::records::plan::{self as plans, PlanContext, PlanEdit};
use regie_domain::catalogue::localised;
use regie_domain::{Discipline, InterventionInput, Permission, Responsible, WorkingElement};

pub(crate) fn elements_label(tr: Tr, elements: &[WorkingElement]) -> String {
    elements
        .iter()
        .map(|e| e.label(tr))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn responsible_label(tr: Tr, responsible: &Responsible) -> String {
    match responsible {
        Responsible::Client => tr.t("responsible-client"),
        Responsible::NetworkMember { name, .. } => {
            tr.t_args("responsible-network", &[("name", name.clone())])
        }
        Responsible::Discipline { discipline } => discipline.label(tr),
        Responsible::Professional { name, .. } => name.clone(),
    }
}

struct CatalogueGroup {
    label: String,
    entries: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "intervention_form.html")]
struct InterventionFormPage {
    layout: Layout,
    id: i64,
    client_name: String,
    goal_id: u32,
    goal_words: String,
    catalogue: Vec<CatalogueGroup>,
    responsible: Vec<Choice>,
    input: InterventionInput,
    reason: String,
    /// Shown when as many interventions run already as the organisation's limit.
    warning: Option<String>,
    based_on: i64,
    errors: FormErrors,
}

/// Who can carry out an intervention, as form choices: the client, their network, the core
/// team's professionals, and any discipline.
pub(crate) fn responsible_choices(tr: Tr, ctx: &PlanContext, chosen: &str) -> Vec<Choice> {
    let mut choices = vec![("client".to_string(), tr.t("responsible-client"))];
    choices.extend(ctx.network.iter().map(|m| {
        (
            format!("network:{}", m.id),
            tr.t_args("responsible-network", &[("name", m.member.name.clone())]),
        )
    }));
    choices.extend(ctx.team.iter().filter_map(|m| {
        let user_id = m.user_id?;
        Some((
            format!("user:{user_id}"),
            match m.discipline {
                Some(d) => format!("{} ({})", m.name, d.label(tr)),
                None => m.name.clone(),
            },
        ))
    }));
    choices.extend(Discipline::ALL.iter().map(|d| {
        (
            format!("discipline:{}", d.as_str()),
            tr.t_args("responsible-discipline", &[("discipline", d.label(tr))]),
        )
    }));
    choices
        .into_iter()
        .map(|(value, label)| Choice {
            selected: value == chosen,
            value,
            label,
        })
        .collect()
}

async fn intervention_form(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    goal_id: u32,
    input: InterventionInput,
    shown: Shown,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let ctx = plans::open_plan_to(&state.app, &user.caller, id, Permission::ChangePlan).await?;
    let plan = ctx.plan();
    let Some(goal) = plan.goal(goal_id) else {
        return Err(goal_not_found(state, user, &ctx, goal_id).await);
    };
    let status = shown.status();
    let (based_on, errors, reason) = shown.settle(tr, &ctx);
    let catalogue = regie_domain::InterventionCategory::ALL
        .iter()
        .map(|category| CatalogueGroup {
            label: category.label(tr),
            entries: ctx
                .interventions
                .iter()
                .filter(|i| i.entry.category == *category && !i.retired)
                .map(|i| Choice {
                    value: i.id.to_string(),
                    label: format!(
                        "{} — {}",
                        localised(tr.lang, &i.entry.name_nl, &i.entry.name_en),
                        elements_label(tr, &i.entry.working_elements)
                    ),
                    selected: input.catalogue_id == i.id.to_string(),
                })
                .collect(),
        })
        .collect();
    let page = InterventionFormPage {
        layout: user.layout(
            tr.t("intervention-new-title"),
            &format!("/trajectories/{id}/plan"),
        ),
        id,
        client_name: ctx.client.name.clone(),
        goal_id,
        goal_words: goal.words.clone(),
        catalogue,
        responsible: responsible_choices(tr, &ctx, &input.responsible),
        warning: {
            let running = plan.running_on(state.app.today());
            (running as u32 >= ctx.max_concurrent).then(|| {
                tr.t_args(
                    "intervention-many-running",
                    &[
                        ("count", running.to_string()),
                        ("limit", ctx.max_concurrent.to_string()),
                    ],
                )
            })
        },
        input,
        reason,
        based_on,
        errors,
    };
    Ok(render(status, &page))
}

pub(super) async fn new_intervention(
    State(state): State<AppState>,
    user: CurrentUser,
    IdAnd(id, goal): IdAnd<u32>,
) -> Result<Response, AppError> {
    let input = InterventionInput {
        start: crate::format::form_date(state.app.today()),
        ..Default::default()
    };
    intervention_form(&state, &user, id, goal, input, Shown::fresh()).await
}

#[derive(serde::Deserialize)]
pub(super) struct InterventionForm {
    #[serde(default)]
    catalogue_id: String,
    #[serde(default)]
    responsible: String,
    #[serde(default)]
    frequency: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    based_on: String,
}

pub(super) async fn add_intervention(
    State(state): State<AppState>,
    user: CurrentUser,
    IdAnd(id, goal): IdAnd<u32>,
    Form(form): Form<InterventionForm>,
) -> Result<Response, AppError> {
    let input = InterventionInput {
        catalogue_id: form.catalogue_id,
        responsible: form.responsible,
        frequency: form.frequency,
        start: form.start,
        end: form.end,
    };
    let based_on = form_version(&form.based_on);
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &form.reason,
        based_on,
    };
    save_or_show(
        plans::add_intervention(&state.app, &user.caller, edit, goal, &input).await,
        |_| format!("/trajectories/{id}/plan#goal-{goal}"),
        async |refused| {
            let shown = Shown::after(refused, form.reason, based_on);
            intervention_form(&state, &user, id, goal, input, shown).await
        },
    )
    .await
}

/// Ending an intervention from the plan page: the day it stopped, why, and the version shown.
#[derive(serde::Deserialize)]
pub(super) struct EndForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    based_on: String,
    #[serde(default)]
    date: String,
}

pub(super) async fn end_intervention(
    State(state): State<AppState>,
    user: CurrentUser,
    IdAnd(id, intervention): IdAnd<u32>,
    Form(form): Form<EndForm>,
) -> Result<Response, AppError> {
    let based_on = form_version(&form.based_on);
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &form.reason,
        based_on,
    };
    let result =
        plans::end_intervention(&state.app, &user.caller, edit, intervention, &form.date).await;
    save_or_show(
        result,
        |_| format!("/trajectories/{id}/plan"),
        async |refused| {
            // The plan page again, the typed day and its message next to this intervention.
            let mut shown = Shown::after(refused, String::new(), based_on);
            shown.ending = Some((intervention, form.date));
            super::page::plan_page(&state, &user, id, None, shown).await
        },
    )
    .await
}
