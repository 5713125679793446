//! Agreements per daily activity: what the client does, what the team supports, the steps.

use super::{Shown, field, form_version};
use crate::context::{CurrentUser, Id, Layout};
use crate::i18n::Tr;
use crate::pages::{Choice, FormErrors, PairsForm, item_name, render, save_or_show};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use regie_app::records::plan::{self as plans, PlanContext, PlanEdit};
use regie_domain::catalogue::localised;
use regie_domain::plan::MAX_STEPS;
use regie_domain::{Agreement, AgreementInput, Language, Permission};

fn support_label(ctx: &PlanContext, lang: Language, value: u8) -> String {
    ctx.activities
        .level(value)
        .map(|l| format!("{value} · {}", l.label.get(lang)))
        .unwrap_or_else(|| value.to_string())
}

pub(crate) struct StepView {
    pub text: String,
    pub current: bool,
    pub done: bool,
}

pub(crate) struct AgreementView {
    pub activity_key: String,
    pub activity: String,
    pub support: String,
    pub client_does: String,
    pub team_does: String,
    pub steps: Vec<StepView>,
    pub aids: Vec<String>,
}

pub(crate) fn agreement_view(tr: Tr, ctx: &PlanContext, a: &Agreement) -> AgreementView {
    let lang = tr.lang;
    AgreementView {
        activity_key: a.activity.clone(),
        activity: item_name(&ctx.activities, lang, &a.activity),
        support: support_label(ctx, lang, a.support.value()),
        client_does: a.client_does.clone(),
        team_does: a.team_does.clone(),
        steps: a
            .steps
            .iter()
            .enumerate()
            .map(|(i, text)| StepView {
                text: text.clone(),
                current: a.current_step == Some(i),
                done: a.current_step.is_some_and(|c| i < c),
            })
            .collect(),
        aids: a
            .aid_ids
            .iter()
            .filter_map(|id| ctx.aid(*id))
            .map(|aid| localised(lang, &aid.entry.name_nl, &aid.entry.name_en).to_string())
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "agreement_form.html")]
struct AgreementFormPage {
    layout: Layout,
    id: i64,
    client_name: String,
    activities: Vec<Choice>,
    levels: Vec<Choice>,
    input: AgreementInput,
    steps: Vec<(usize, String, bool)>,
    aids: Vec<AidChoice>,
    reason: String,
    based_on: i64,
    errors: FormErrors,
}

struct AidChoice {
    id: i64,
    name: String,
    description: String,
    source: String,
    checked: bool,
}

#[derive(serde::Deserialize, Default)]
pub(super) struct ActivityQuery {
    activity: Option<String>,
}

fn agreement_input_of(a: &Agreement) -> AgreementInput {
    AgreementInput {
        activity: a.activity.clone(),
        support: a.support.value().to_string(),
        client_does: a.client_does.clone(),
        team_does: a.team_does.clone(),
        steps: a.steps.clone(),
        current_step: a.current_step,
        aid_ids: a.aid_ids.clone(),
    }
}

async fn agreement_form(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    input: Option<AgreementInput>,
    activity: Option<String>,
    shown: Shown,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let ctx = plans::open_plan_to(&state.app, &user.caller, id, Permission::ChangePlan).await?;
    let plan = ctx.plan();
    let status = shown.status();
    let (based_on, errors, reason) = shown.settle(tr, &ctx);
    let input = input.unwrap_or_else(|| {
        let key = activity.unwrap_or_default();
        plan.agreement(&key)
            .map(agreement_input_of)
            .unwrap_or(AgreementInput {
                activity: key,
                ..Default::default()
            })
    });
    let mut steps: Vec<(usize, String, bool)> = input
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (i, s.clone(), input.current_step == Some(i)))
        .collect();
    // Room for two more steps than written, at least four, at most the maximum.
    let rows = (steps.len() + 2).clamp(4, MAX_STEPS.max(steps.len()));
    while steps.len() < rows {
        steps.push((steps.len(), String::new(), false));
    }
    let page = AgreementFormPage {
        layout: user.layout(tr.t("agreement-title"), &format!("/trajectories/{id}/plan")),
        id,
        client_name: ctx.client.name.clone(),
        activities: ctx
            .activities
            .items
            .iter()
            .map(|i| Choice {
                value: i.key.clone(),
                label: i.name.get(tr.lang).to_string(),
                selected: input.activity == i.key,
            })
            .collect(),
        levels: ctx
            .activities
            .levels
            .iter()
            .map(|l| Choice {
                value: l.value.to_string(),
                label: format!(
                    "{} · {} — {}",
                    l.value,
                    l.label.get(tr.lang),
                    l.description.get(tr.lang)
                ),
                selected: input.support == l.value.to_string(),
            })
            .collect(),
        aids: ctx
            .aids
            .iter()
            .filter(|a| !a.retired || input.aid_ids.contains(&a.id))
            .filter(|a| {
                input.activity.is_empty()
                    || a.entry.activities.contains(&input.activity)
                    || input.aid_ids.contains(&a.id)
            })
            .map(|a| AidChoice {
                id: a.id,
                name: localised(tr.lang, &a.entry.name_nl, &a.entry.name_en).into(),
                description: localised(tr.lang, &a.entry.description_nl, &a.entry.description_en)
                    .into(),
                source: localised(tr.lang, &a.entry.source_nl, &a.entry.source_en).into(),
                checked: input.aid_ids.contains(&a.id),
            })
            .collect(),
        steps,
        input,
        reason,
        based_on,
        errors,
    };
    Ok(render(status, &page))
}

pub(super) async fn edit_agreement(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Query(query): Query<ActivityQuery>,
) -> Result<Response, AppError> {
    agreement_form(&state, &user, id, None, query.activity, Shown::fresh()).await
}

fn agreement_input_from(pairs: &[(String, String)]) -> (AgreementInput, String) {
    let mut input = AgreementInput::default();
    let mut reason = String::new();
    for (key, value) in pairs {
        match key.as_str() {
            "activity" => input.activity = value.clone(),
            "support" => input.support = value.clone(),
            "client_does" => input.client_does = value.clone(),
            "team_does" => input.team_does = value.clone(),
            "step" => input.steps.push(value.clone()),
            "current_step" => input.current_step = value.trim().parse().ok(),
            "aid" => {
                if let Ok(id) = value.trim().parse() {
                    input.aid_ids.push(id);
                }
            }
            "reason" => reason = value.clone(),
            _ => {}
        }
    }
    (input, reason)
}

pub(super) async fn save_agreement(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let (input, reason) = agreement_input_from(&pairs);
    let based_on = form_version(field(&pairs, "based_on"));
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &reason,
        based_on,
    };
    let saved_to = format!(
        "/trajectories/{id}/plan#agreement-{}",
        crate::context::encode_component(input.activity.trim())
    );
    save_or_show(
        plans::set_agreement(&state.app, &user.caller, edit, &input).await,
        |_| saved_to,
        async |refused| {
            let shown = Shown::after(refused, reason, based_on);
            agreement_form(&state, &user, id, Some(input), None, shown).await
        },
    )
    .await
}
