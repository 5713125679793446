//! The plan of a trajectory: goals in the client's words, interventions with who does what,
//! agreements per daily activity, planned care, Samen Beslissen; its versions; and the printed
//! plan for the client.

use super::when::{date, moment};
use super::{Choice, Form, FormErrors, PairsForm, item_name, label, render};
use crate::context::{CurrentUser, Layout, path_id};
use crate::i18n::Tr;
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use regie_app::records::BasedOn;
use regie_app::records::conflict::Meanwhile;
use regie_app::records::plan::{self as plans, PlanContext, PlanEdit};
use regie_domain::catalogue::localised;
use regie_domain::plan::{MAX_STEPS, week_start};
use regie_domain::{
    Agreement, AgreementInput, AuditEvent, CareInput, ChangeKind, DecisionInput, DecisionOption,
    Discipline, ExpressedBy, Goal, GoalInput, GoalStatus, GoalStatusInput, InterventionInput,
    Language, Permission, Plan, PlanChange, PlannedCare, Responsible, Subject, WorkingElement,
};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/trajectories/{id}/plan", get(show))
        .route("/trajectories/{id}/plan/print", get(print))
        .route("/trajectories/{id}/plan/versions", get(versions))
        .route(
            "/trajectories/{id}/plan/goals",
            get(new_goal).post(add_goal),
        )
        .route(
            "/trajectories/{id}/plan/goals/{goal}",
            get(edit_goal).post(save_goal),
        )
        .route(
            "/trajectories/{id}/plan/goals/{goal}/status",
            post(save_goal_status),
        )
        .route(
            "/trajectories/{id}/plan/goals/{goal}/interventions",
            get(new_intervention).post(add_intervention),
        )
        .route(
            "/trajectories/{id}/plan/interventions/{intervention}/end",
            post(end_intervention),
        )
        .route(
            "/trajectories/{id}/plan/agreements",
            get(edit_agreement).post(save_agreement),
        )
        .route(
            "/trajectories/{id}/plan/care",
            get(edit_care).post(save_care),
        )
        .route(
            "/trajectories/{id}/plan/care/{discipline}/remove",
            post(remove_care),
        )
        .route(
            "/trajectories/{id}/decisions",
            get(new_decision).post(add_decision),
        )
}

/// Minutes as hours in the reader's notation ("3,5 uur", "3.5 hours").
pub(crate) fn hours(tr: Tr, minutes: u32) -> String {
    let value = f64::from(minutes) / 60.0;
    let mut number = format!("{value:.2}")
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string();
    if tr.lang == Language::Nl {
        number = number.replace('.', ",");
    }
    tr.t_args("plan-hours", &[("hours", number)])
}

fn support_label(ctx: &PlanContext, lang: Language, value: u8) -> String {
    ctx.activities
        .level(value)
        .map(|l| format!("{value} · {}", l.label.get(lang)))
        .unwrap_or_else(|| value.to_string())
}

pub(crate) fn responsible_label(tr: Tr, responsible: &Responsible) -> String {
    match responsible {
        Responsible::Client => tr.t("responsible-client"),
        Responsible::NetworkMember { name, .. } => {
            tr.t_args("responsible-network", &[("name", name.clone())])
        }
        Responsible::Discipline { discipline } => super::admin::discipline_label(tr, *discipline),
        Responsible::Professional { name, .. } => name.clone(),
    }
}

struct InterventionView {
    id: u32,
    name: String,
    category: String,
    elements: String,
    responsible: String,
    frequency: String,
    period: String,
    running: bool,
}

struct GoalView {
    id: u32,
    words: String,
    expressed_by: String,
    links: String,
    copm: String,
    gas: Vec<(String, String)>,
    gas_weight: String,
    status: String,
    status_code: &'static str,
    reason: String,
    target: String,
    interventions: Vec<InterventionView>,
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

struct CareView {
    discipline_key: &'static str,
    discipline: String,
    summary: String,
    weeks: Vec<(String, String)>,
}

struct DecisionView {
    question: String,
    options: Vec<DecisionOption>,
    what_matters: String,
    decision: String,
    decided_by: String,
    meta: String,
}

fn goal_view(tr: Tr, ctx: &PlanContext, goal: &Goal, today: time::Date) -> GoalView {
    let lang = tr.lang;
    let mut links: Vec<String> = goal
        .life_domains
        .iter()
        .map(|k| item_name(&ctx.life_domains, lang, k))
        .collect();
    links.extend(
        goal.activities
            .iter()
            .map(|k| item_name(&ctx.activities, lang, k)),
    );
    let copm = [
        ("goal-importance", goal.baseline.importance),
        ("goal-performance", goal.baseline.performance),
        ("goal-satisfaction", goal.baseline.satisfaction),
    ]
    .iter()
    .filter_map(|(key, score)| score.map(|s| format!("{} {s}", tr.t(key))))
    .collect::<Vec<_>>()
    .join(" · ");
    GoalView {
        id: goal.id,
        words: goal.words.clone(),
        expressed_by: label(tr, "expressed-by", goal.expressed_by.as_str()),
        links: links.join(", "),
        copm,
        gas: goal
            .gas
            .as_ref()
            .map(|gas| {
                gas.levels
                    .iter()
                    .enumerate()
                    .map(|(i, text)| {
                        let level = i as i8 - 2;
                        let reached = gas.attained == Some(level);
                        (
                            format!(
                                "{level:+}{}",
                                if reached {
                                    format!(" ({})", tr.t("goal-gas-reached"))
                                } else {
                                    String::new()
                                }
                            )
                            .replace("+0", "0"),
                            text.clone(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
        gas_weight: goal
            .gas
            .as_ref()
            .map(|g| g.weight.to_string())
            .unwrap_or_default(),
        status: label(tr, "goal-status", goal.status.as_str()),
        status_code: goal.status.as_str(),
        reason: goal.status_reason.clone().unwrap_or_default(),
        target: goal.target_date.map(date).unwrap_or_default(),
        interventions: goal
            .interventions
            .iter()
            .map(|i| {
                let entry = ctx.intervention(i.catalogue_id);
                InterventionView {
                    id: i.id,
                    name: entry
                        .map(|e| {
                            let name = localised(lang, &e.entry.name_nl, &e.entry.name_en);
                            if e.retired {
                                format!("{name} ({})", tr.t("catalogue-retired"))
                            } else {
                                name.to_string()
                            }
                        })
                        .unwrap_or_default(),
                    category: entry
                        .map(|e| label(tr, "intervention-category", e.entry.category.as_str()))
                        .unwrap_or_default(),
                    elements: entry
                        .map(|e| elements_label(tr, &e.entry.working_elements))
                        .unwrap_or_default(),
                    responsible: responsible_label(tr, &i.responsible),
                    frequency: i.frequency.clone(),
                    period: match i.end {
                        Some(end) => format!("{} – {}", date(i.start), date(end)),
                        None => tr.t_args("plan-from", &[("date", date(i.start))]),
                    },
                    running: i.runs_on(today),
                }
            })
            .collect(),
    }
}

pub(crate) fn elements_label(tr: Tr, elements: &[WorkingElement]) -> String {
    elements
        .iter()
        .map(|e| label(tr, "working-element", e.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
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

fn care_view(tr: Tr, start: time::Date, care: &PlannedCare) -> CareView {
    CareView {
        discipline_key: care.discipline.as_str(),
        discipline: super::admin::discipline_label(tr, care.discipline),
        summary: tr.t_args(
            "care-summary",
            &[
                ("from", hours(tr, care.start_minutes)),
                ("to", hours(tr, care.end_minutes)),
                ("weeks", care.weeks.to_string()),
            ],
        ),
        weeks: care
            .schedule()
            .iter()
            .enumerate()
            .map(|(i, minutes)| {
                let week = i as u16 + 1;
                (
                    tr.t_args(
                        "care-week",
                        &[
                            ("week", week.to_string()),
                            ("date", date(week_start(start, week))),
                        ],
                    ),
                    hours(tr, *minutes),
                )
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    layout: Layout,
    id: i64,
    client_id: i64,
    client_name: String,
    version: String,
    newest: bool,
    editable: bool,
    overload: Option<String>,
    agreements: Vec<AgreementView>,
    missing_agreements: Vec<Choice>,
    goals: Vec<GoalView>,
    care: Vec<CareView>,
    decisions: Vec<DecisionView>,
    gas_t_score: Option<String>,
    team: Vec<String>,
    /// For the shared agreement card: whose plan, and whether it may be changed here.
    plan_id: i64,
    may_edit_agreements: bool,
    /// The version the forms on this page are based on.
    based_on: i64,
    errors: FormErrors,
}

#[derive(serde::Deserialize, Default)]
struct VersionQuery {
    version: Option<String>,
}

fn version_label(tr: Tr, ctx: &PlanContext) -> String {
    match &ctx.version {
        Some(v) => tr.t_args(
            "plan-version-line",
            &[
                ("number", v.number.to_string()),
                ("when", moment(v.created_at)),
                ("who", v.author.clone()),
            ],
        ),
        None => tr.t("plan-no-version"),
    }
}

async fn plan_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    version: Option<i64>,
    shown: Shown,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let ctx = plans::open_plan(
        &state.app,
        &user.caller,
        id,
        version,
        AuditEvent::ClientRead,
    )
    .await?;
    let plan = ctx.plan();
    let today = state.app.today();
    let (peak, day) = plan.peak_load(today);
    let newest = ctx.version.as_ref().is_none_or(|v| v.number == ctx.newest);
    let editable =
        newest && ctx.trajectory.phase.accepts_changes() && ctx.access.may(Permission::ChangePlan);
    let status = shown.status;
    let (based_on, errors, _) = shown.settle(tr, &ctx);
    let page = PlanPage {
        layout: user.layout(tr.t("plan-title"), &format!("/trajectories/{id}/plan")),
        id,
        client_id: ctx.client.id,
        client_name: ctx.client.name.clone(),
        version: version_label(tr, &ctx),
        newest,
        editable,
        overload: (peak as u32 > ctx.max_concurrent).then(|| {
            tr.t_args(
                "plan-too-many",
                &[
                    ("count", peak.to_string()),
                    ("date", date(day)),
                    ("limit", ctx.max_concurrent.to_string()),
                ],
            )
        }),
        agreements: plan
            .agreements
            .iter()
            .map(|a| agreement_view(tr, &ctx, a))
            .collect(),
        missing_agreements: ctx
            .activities
            .items
            .iter()
            .filter(|i| plan.agreement(&i.key).is_none())
            .map(|i| Choice {
                value: i.key.clone(),
                label: i.name.get(tr.lang).to_string(),
                selected: false,
            })
            .collect(),
        goals: plan
            .goals
            .iter()
            .map(|g| goal_view(tr, &ctx, g, today))
            .collect(),
        care: plan
            .care
            .iter()
            .map(|c| care_view(tr, ctx.trajectory.start_date, c))
            .collect(),
        decisions: ctx
            .decisions
            .iter()
            .map(|d| DecisionView {
                question: d.decision.question.clone(),
                options: d.decision.options.clone(),
                what_matters: d.decision.what_matters.clone(),
                decision: d.decision.decision.clone(),
                decided_by: label(tr, "decided-by", d.decision.decided_by.as_str()),
                meta: format!("{} · {}", moment(d.created_at), d.author),
            })
            .collect(),
        gas_t_score: plan.gas_t_score().map(|t| format!("{t:.1}")),
        team: ctx.team.iter().map(|m| m.name.clone()).collect(),
        plan_id: id,
        may_edit_agreements: editable,
        based_on,
        errors,
    };
    Ok(render(status, &page))
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<VersionQuery>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let version = query.version.as_deref().map(path_id).transpose()?;
    plan_page(&state, &user, id, version, Shown::fresh()).await
}

/// How a form page is shown: fresh, or again with the messages, the reason as typed and the
/// version the input was based on; or again after someone else changed the same thing.
struct Shown {
    reason: String,
    problems: Vec<regie_domain::FieldError>,
    meanwhile: Option<Meanwhile>,
    based_on: Option<i64>,
    status: StatusCode,
}

impl Shown {
    fn fresh() -> Self {
        Shown {
            reason: String::new(),
            problems: Vec::new(),
            meanwhile: None,
            based_on: None,
            status: StatusCode::OK,
        }
    }

    /// The form again after `error`: with its messages (bad input), or with what changed
    /// meanwhile and based on the newest version (a refused overwrite). Other errors stay
    /// errors.
    fn after(error: AppError, reason: String, based_on: BasedOn) -> Result<Self, AppError> {
        let based_on = match based_on {
            BasedOn::Form(v) | BasedOn::IfMatch(v) => Some(v),
            BasedOn::Unknown | BasedOn::Missing => None,
        };
        match error {
            AppError::Invalid(problems) => Ok(Shown {
                reason,
                problems,
                meanwhile: None,
                based_on,
                status: StatusCode::UNPROCESSABLE_ENTITY,
            }),
            AppError::Stale { meanwhile, .. } => Ok(Shown {
                reason,
                problems: Vec::new(),
                based_on: Some(meanwhile.newest()),
                meanwhile: Some(*meanwhile),
                status: StatusCode::CONFLICT,
            }),
            other => Err(other),
        }
    }

    /// The version the form is based on, its messages and the reason to show.
    fn settle(self, tr: Tr, ctx: &PlanContext) -> (i64, FormErrors, String) {
        let errors = match &self.meanwhile {
            Some(meanwhile) => super::meanwhile::messages(tr, meanwhile, |changes| {
                let plan = ctx.plan();
                describe(tr, ctx, &plan, &plan, changes)
            }),
            None => FormErrors::from_fields(tr, &self.problems),
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
    result: Result<i64, AppError>,
    based_on: BasedOn,
    anchor: &str,
) -> Result<Response, AppError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/trajectories/{id}/plan{anchor}")).into_response()),
        Err(error) => {
            let shown = Shown::after(error, String::new(), based_on)?;
            plan_page(state, user, id, None, shown).await
        }
    }
}

// ---------------------------------------------------------------- goals

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
        target_date: goal.target_date.map(|d| d.to_string()).unwrap_or_default(),
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
    let status = shown.status;
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
        expressed_by: ExpressedBy::ALL
            .iter()
            .map(|e| Choice {
                value: e.as_str().into(),
                label: label(tr, "expressed-by", e.as_str()),
                selected: input.expressed_by == e.as_str(),
            })
            .collect(),
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
        statuses: GoalStatus::ALL
            .iter()
            .map(|s| Choice {
                value: s.as_str().into(),
                label: label(tr, "goal-status", s.as_str()),
                selected: status_input.status == s.as_str(),
            })
            .collect(),
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

fn goal_id(raw: &str) -> Result<u32, AppError> {
    raw.trim().parse().map_err(|_| AppError::NotFound)
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

async fn new_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    goal_form(&state, &user, id, None, None, None, Shown::fresh()).await
}

async fn add_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let (input, reason) = goal_input_from(&pairs);
    let based_on = form_version(field(&pairs, "based_on"));
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &reason,
        based_on,
    };
    match plans::add_goal(&state.app, &user.caller, edit, &input).await {
        Ok((_, goal)) => {
            Ok(Redirect::to(&format!("/trajectories/{id}/plan#goal-{goal}")).into_response())
        }
        Err(error) => {
            let shown = Shown::after(error.into(), reason, based_on)?;
            goal_form(&state, &user, id, None, Some(input), None, shown).await
        }
    }
}

async fn edit_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, goal)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let goal = goal_id(&goal)?;
    goal_form(&state, &user, id, Some(goal), None, None, Shown::fresh()).await
}

async fn save_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, goal)): Path<(String, String)>,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let goal = goal_id(&goal)?;
    let (input, reason) = goal_input_from(&pairs);
    let based_on = form_version(field(&pairs, "based_on"));
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &reason,
        based_on,
    };
    match plans::rewrite_goal(&state.app, &user.caller, edit, goal, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/trajectories/{id}/plan#goal-{goal}")).into_response()),
        Err(error) => {
            let shown = Shown::after(error.into(), reason, based_on)?;
            goal_form(&state, &user, id, Some(goal), Some(input), None, shown).await
        }
    }
}

#[derive(serde::Deserialize)]
struct GoalStatusForm {
    #[serde(flatten)]
    input: GoalStatusInput,
    #[serde(default)]
    based_on: String,
}

async fn save_goal_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, goal)): Path<(String, String)>,
    Form(form): Form<GoalStatusForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let goal = goal_id(&goal)?;
    let based_on = form_version(&form.based_on);
    let edit = PlanEdit {
        trajectory_id: id,
        reason: "",
        based_on,
    };
    let input = form.input;
    match plans::set_goal_status(&state.app, &user.caller, edit, goal, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/trajectories/{id}/plan#goal-{goal}")).into_response()),
        Err(error) => {
            let shown = Shown::after(error.into(), String::new(), based_on)?;
            goal_form(&state, &user, id, Some(goal), None, Some(input), shown).await
        }
    }
}

// ---------------------------------------------------------------- interventions

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
                Some(d) => format!("{} ({})", m.name, super::admin::discipline_label(tr, d)),
                None => m.name.clone(),
            },
        ))
    }));
    choices.extend(Discipline::ALL.iter().map(|d| {
        (
            format!("discipline:{}", d.as_str()),
            tr.t_args(
                "responsible-discipline",
                &[("discipline", super::admin::discipline_label(tr, *d))],
            ),
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
    let status = shown.status;
    let (based_on, errors, reason) = shown.settle(tr, &ctx);
    let catalogue = regie_domain::InterventionCategory::ALL
        .iter()
        .map(|category| CatalogueGroup {
            label: label(tr, "intervention-category", category.as_str()),
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

async fn new_intervention(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, goal)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let goal = goal_id(&goal)?;
    let input = InterventionInput {
        start: state.app.today().to_string(),
        ..Default::default()
    };
    intervention_form(&state, &user, id, goal, input, Shown::fresh()).await
}

#[derive(serde::Deserialize)]
struct InterventionForm {
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

async fn add_intervention(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, goal)): Path<(String, String)>,
    Form(form): Form<InterventionForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let goal = goal_id(&goal)?;
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
    match plans::add_intervention(&state.app, &user.caller, edit, goal, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/trajectories/{id}/plan#goal-{goal}")).into_response()),
        Err(error) => {
            let shown = Shown::after(error.into(), form.reason, based_on)?;
            intervention_form(&state, &user, id, goal, input, shown).await
        }
    }
}

/// A change made from a button on the plan page: why, and the version the page showed.
#[derive(serde::Deserialize)]
struct ReasonForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    based_on: String,
}

async fn end_intervention(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, intervention)): Path<(String, String)>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let intervention = goal_id(&intervention)?;
    let based_on = form_version(&form.based_on);
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &form.reason,
        based_on,
    };
    let result = plans::end_intervention(&state.app, &user.caller, edit, intervention).await;
    after_change(
        &state,
        &user,
        id,
        result.map_err(AppError::from),
        based_on,
        "",
    )
    .await
}

// ---------------------------------------------------------------- agreements

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
struct ActivityQuery {
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
    let status = shown.status;
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

async fn edit_agreement(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<ActivityQuery>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
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

async fn save_agreement(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let (input, reason) = agreement_input_from(&pairs);
    let based_on = form_version(field(&pairs, "based_on"));
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &reason,
        based_on,
    };
    match plans::set_agreement(&state.app, &user.caller, edit, &input).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/trajectories/{id}/plan#agreement-{}",
            crate::context::encode_component(input.activity.trim())
        ))
        .into_response()),
        Err(error) => {
            let shown = Shown::after(error.into(), reason, based_on)?;
            agreement_form(&state, &user, id, Some(input), None, shown).await
        }
    }
}

// ---------------------------------------------------------------- planned care

#[derive(Template)]
#[template(path = "care_form.html")]
struct CareFormPage {
    layout: Layout,
    id: i64,
    client_name: String,
    disciplines: Vec<Choice>,
    input: CareInput,
    reason: String,
    based_on: i64,
    errors: FormErrors,
}

#[derive(serde::Deserialize, Default)]
struct DisciplineQuery {
    discipline: Option<String>,
}

async fn care_form(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    input: Option<CareInput>,
    discipline: Option<String>,
    shown: Shown,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let ctx = plans::open_plan_to(&state.app, &user.caller, id, Permission::ChangePlan).await?;
    let plan = ctx.plan();
    let status = shown.status;
    let (based_on, errors, reason) = shown.settle(tr, &ctx);
    let input = input.unwrap_or_else(|| {
        let existing = discipline
            .as_deref()
            .and_then(|d| Discipline::parse(d).ok())
            .and_then(|d| plan.care.iter().find(|c| c.discipline == d));
        let plain = |minutes: u32| hours(Tr::new(Language::En), minutes);
        match existing {
            Some(c) => CareInput {
                discipline: c.discipline.as_str().into(),
                start_hours: number_only(&plain(c.start_minutes)),
                end_hours: number_only(&plain(c.end_minutes)),
                weeks: c.weeks.to_string(),
            },
            None => CareInput {
                discipline: discipline.unwrap_or_default(),
                weeks: "6".into(),
                ..Default::default()
            },
        }
    });
    let page = CareFormPage {
        layout: user.layout(tr.t("care-title"), &format!("/trajectories/{id}/plan")),
        id,
        client_name: ctx.client.name.clone(),
        disciplines: Discipline::ALL
            .iter()
            .map(|d| Choice {
                value: d.as_str().into(),
                label: super::admin::discipline_label(tr, *d),
                selected: input.discipline == d.as_str(),
            })
            .collect(),
        input,
        reason,
        based_on,
        errors,
    };
    Ok(render(status, &page))
}

/// The number in "3.5 hours" (pre-filling a form in a neutral notation).
fn number_only(text: &str) -> String {
    text.split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

async fn edit_care(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<DisciplineQuery>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    care_form(&state, &user, id, None, query.discipline, Shown::fresh()).await
}

#[derive(serde::Deserialize)]
struct CareForm {
    #[serde(default)]
    discipline: String,
    #[serde(default)]
    start_hours: String,
    #[serde(default)]
    end_hours: String,
    #[serde(default)]
    weeks: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    based_on: String,
}

async fn save_care(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<CareForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let input = CareInput {
        discipline: form.discipline,
        start_hours: form.start_hours,
        end_hours: form.end_hours,
        weeks: form.weeks,
    };
    let based_on = form_version(&form.based_on);
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &form.reason,
        based_on,
    };
    match plans::set_care(&state.app, &user.caller, edit, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/trajectories/{id}/plan#care")).into_response()),
        Err(error) => {
            let shown = Shown::after(error.into(), form.reason, based_on)?;
            care_form(&state, &user, id, Some(input), None, shown).await
        }
    }
}

async fn remove_care(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, discipline)): Path<(String, String)>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let based_on = form_version(&form.based_on);
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &form.reason,
        based_on,
    };
    let result = plans::remove_care(&state.app, &user.caller, edit, &discipline).await;
    after_change(
        &state,
        &user,
        id,
        result.map_err(AppError::from),
        based_on,
        "#care",
    )
    .await
}

// ---------------------------------------------------------------- versions

struct VersionView {
    number: i64,
    meta: String,
    reason: String,
    changes: Vec<String>,
}

#[derive(Template)]
#[template(path = "plan_versions.html")]
struct VersionsPage {
    layout: Layout,
    id: i64,
    client_name: String,
    versions: Vec<VersionView>,
    numbers: Vec<i64>,
    from: i64,
    to: i64,
    comparison: Option<Vec<String>>,
}

#[derive(serde::Deserialize, Default)]
struct CompareQuery {
    from: Option<String>,
    to: Option<String>,
}

/// One line per change from `old` to `new`, in words: "Doel 2 ‘Zelf douchen’: gewijzigd
/// (status)".
fn describe_changes(tr: Tr, ctx: &PlanContext, old: &Plan, new: &Plan) -> Vec<String> {
    describe(tr, ctx, old, new, &regie_domain::plan::compare(old, new))
}

/// One line per change, naming goals and interventions as `old` and `new` have them.
fn describe(
    tr: Tr,
    ctx: &PlanContext,
    old: &Plan,
    new: &Plan,
    changes: &[PlanChange],
) -> Vec<String> {
    let goal_words = |id: u32| {
        new.goal(id)
            .or_else(|| old.goal(id))
            .map(|g| g.words.clone())
            .unwrap_or_default()
    };
    let intervention_name = |id: u32| {
        new.goals
            .iter()
            .chain(&old.goals)
            .flat_map(|g| &g.interventions)
            .find(|i| i.id == id)
            .and_then(|i| ctx.intervention(i.catalogue_id))
            .map(|e| localised(tr.lang, &e.entry.name_nl, &e.entry.name_en).to_string())
            .unwrap_or_default()
    };
    changes
        .iter()
        .map(|change| {
            let subject = match &change.subject {
                Subject::Goal { id } => tr.t_args(
                    "change-goal",
                    &[("number", id.to_string()), ("words", goal_words(*id))],
                ),
                Subject::Intervention { goal_id, id } => tr.t_args(
                    "change-intervention",
                    &[
                        ("name", intervention_name(*id)),
                        ("goal", goal_id.to_string()),
                    ],
                ),
                Subject::Agreement { activity } => tr.t_args(
                    "change-agreement",
                    &[("activity", item_name(&ctx.activities, tr.lang, activity))],
                ),
                Subject::Care { discipline } => tr.t_args(
                    "change-care",
                    &[(
                        "discipline",
                        super::admin::discipline_label(tr, *discipline),
                    )],
                ),
            };
            let what = match &change.kind {
                ChangeKind::Added => tr.t("change-added"),
                ChangeKind::Removed => tr.t("change-removed"),
                ChangeKind::Changed(fields) => tr.t_args(
                    "change-changed",
                    &[(
                        "fields",
                        fields
                            .iter()
                            .map(|f| label(tr, "change-field", f))
                            .collect::<Vec<_>>()
                            .join(", "),
                    )],
                ),
            };
            format!("{subject}: {what}")
        })
        .collect()
}

async fn versions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<CompareQuery>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let tr = user.tr;
    let (ctx, all) = plans::plan_with_versions(&state.app, &user.caller, id).await?;
    let empty = Plan::default();
    let plan_of = |number: i64| {
        all.iter()
            .find(|v| v.number == number)
            .map(|v| &v.plan)
            .unwrap_or(&empty)
    };
    let versions = all
        .iter()
        .map(|v| VersionView {
            number: v.number,
            meta: format!("{} · {}", moment(v.created_at), v.author),
            reason: v.reason.clone(),
            changes: describe_changes(tr, &ctx, plan_of(v.number - 1), &v.plan),
        })
        .collect();
    let number = |raw: Option<&String>| raw.and_then(|r| r.trim().parse::<i64>().ok());
    let to = number(query.to.as_ref()).unwrap_or(ctx.newest);
    let from = number(query.from.as_ref()).unwrap_or((to - 1).max(0));
    let comparison = (query.from.is_some() || query.to.is_some())
        .then(|| describe_changes(tr, &ctx, plan_of(from), plan_of(to)));
    let page = VersionsPage {
        layout: user.layout(
            tr.t("plan-versions-title"),
            &format!("/trajectories/{id}/plan"),
        ),
        id,
        client_name: ctx.client.name.clone(),
        numbers: all.iter().map(|v| v.number).collect(),
        versions,
        from,
        to,
        comparison,
    };
    Ok(render(StatusCode::OK, &page))
}

// ---------------------------------------------------------------- print

struct PrintMember {
    name: String,
    role: String,
    contact: String,
}

#[derive(Template)]
#[template(path = "plan_print.html")]
struct PrintPage {
    layout: Layout,
    id: i64,
    client_name: String,
    printed: String,
    goals: Vec<(String, String)>,
    agreements: Vec<AgreementView>,
    team: Vec<PrintMember>,
}

async fn print(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let tr = user.tr;
    let ctx = plans::open_plan(&state.app, &user.caller, id, None, AuditEvent::ClientPrint).await?;
    let plan = ctx.plan();
    let mut team: Vec<PrintMember> = ctx
        .team
        .iter()
        .map(|m| PrintMember {
            name: m.name.clone(),
            role: match (m.user_id, m.discipline) {
                (Some(uid), d) => {
                    let discipline = d
                        .map(|d| super::admin::discipline_label(tr, d))
                        .unwrap_or_default();
                    if uid == ctx.trajectory.coordinator_id {
                        tr.t_args("print-coordinator", &[("discipline", discipline)])
                    } else {
                        discipline
                    }
                }
                (None, _) => tr.t("print-network-member"),
            },
            contact: m.contact.clone().unwrap_or_default(),
        })
        .collect();
    team.insert(
        0,
        PrintMember {
            name: ctx.client.name.clone(),
            role: tr.t("print-you"),
            contact: String::new(),
        },
    );
    let page = PrintPage {
        layout: user.layout(tr.t("print-title"), &format!("/trajectories/{id}/plan")),
        id,
        client_name: ctx.client.name.clone(),
        printed: date(state.app.today()),
        goals: plan
            .goals
            .iter()
            .filter(|g| g.status == GoalStatus::Active || g.status == GoalStatus::Achieved)
            .map(|g| {
                (
                    g.words.clone(),
                    if g.status == GoalStatus::Achieved {
                        tr.t("print-goal-achieved")
                    } else {
                        g.target_date
                            .map(|d| tr.t_args("print-goal-target", &[("date", date(d))]))
                            .unwrap_or_default()
                    },
                )
            })
            .collect(),
        agreements: plan
            .agreements
            .iter()
            .map(|a| agreement_view(tr, &ctx, a))
            .collect(),
        team,
    };
    Ok(render(StatusCode::OK, &page))
}

// ---------------------------------------------------------------- Samen Beslissen

#[derive(Template)]
#[template(path = "decision_form.html")]
struct DecisionFormPage {
    layout: Layout,
    id: i64,
    client_name: String,
    input: DecisionInput,
    decided_by: Vec<Choice>,
    errors: FormErrors,
}

async fn decision_form(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    mut input: DecisionInput,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let ctx = plans::open_plan_to(&state.app, &user.caller, id, Permission::ChangePlan).await?;
    while input.options.len() < 3 {
        input.options.push(DecisionOption {
            name: String::new(),
            pros: String::new(),
            cons: String::new(),
        });
    }
    let page = DecisionFormPage {
        layout: user.layout(tr.t("decision-title"), &format!("/trajectories/{id}/plan")),
        id,
        client_name: ctx.client.name.clone(),
        decided_by: regie_domain::DecidedBy::ALL
            .iter()
            .map(|d| Choice {
                value: d.as_str().into(),
                label: label(tr, "decided-by", d.as_str()),
                selected: input.decided_by == d.as_str(),
            })
            .collect(),
        input,
        errors,
    };
    Ok(render(status, &page))
}

async fn new_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    decision_form(
        &state,
        &user,
        id,
        DecisionInput::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

fn decision_input_from(pairs: &[(String, String)]) -> DecisionInput {
    let mut input = DecisionInput::default();
    let mut options: HashMap<usize, DecisionOption> = HashMap::new();
    for (key, value) in pairs {
        match key.as_str() {
            "question" => input.question = value.clone(),
            "what_matters" => input.what_matters = value.clone(),
            "decision" => input.decision = value.clone(),
            "decided_by" => input.decided_by = value.clone(),
            other => {
                // option-N-name, option-N-pros, option-N-cons
                let mut parts = other.splitn(3, '-');
                if let (Some("option"), Some(n), Some(part)) =
                    (parts.next(), parts.next(), parts.next())
                    && let Ok(n) = n.parse::<usize>()
                    && n < 10
                {
                    let option = options.entry(n).or_insert(DecisionOption {
                        name: String::new(),
                        pros: String::new(),
                        cons: String::new(),
                    });
                    match part {
                        "name" => option.name = value.clone(),
                        "pros" => option.pros = value.clone(),
                        "cons" => option.cons = value.clone(),
                        _ => {}
                    }
                }
            }
        }
    }
    let mut numbered: Vec<_> = options.into_iter().collect();
    numbered.sort_by_key(|(n, _)| *n);
    input.options = numbered.into_iter().map(|(_, o)| o).collect();
    input
}

async fn add_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let input = decision_input_from(&pairs);
    match plans::add_decision(&state.app, &user.caller, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/trajectories/{id}/plan#decisions")).into_response()),
        Err(regie_app::Error::Invalid(problems)) => {
            let errors = FormErrors::from_fields(user.tr, &problems);
            decision_form(
                &state,
                &user,
                id,
                input,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
