//! The evaluation with the client: one guided page — who took part, per goal the new scores
//! beside the baseline and earlier evaluations and a decision, per agreement the support going
//! forward beside what the visits recorded — and the interval between evaluations.

use crate::choice::Choosable;
use crate::context::{CurrentUser, Id, Layout};
use crate::format;
use crate::pages::{Choice, FormErrors, PairsForm, render, save_or_show};
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use regie_app::records::evaluation::{self as evaluations, EvaluationView};
use regie_domain::evaluation::{ScoreChange, ScoreMoment, Trend};
use regie_domain::{
    AgreementForwardInput, EvaluationInput, GoalDecision, GoalEvaluationInput, GoalStatus,
    SupportLevel,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/trajectories/{id}/evaluation", get(show).post(save))
        .route("/trajectories/{id}/evaluation/interval", post(set_interval))
}

/// One earlier score of a goal, as a row of its history.
struct ScoreRow {
    when: String,
    performance: String,
    satisfaction: String,
    gas: String,
}

struct GoalPart {
    id: u32,
    words: String,
    has_gas: bool,
    gas_levels: Vec<Choice>,
    history: Vec<ScoreRow>,
    /// The change of performance and satisfaction from the baseline to the last score.
    changes: Vec<String>,
    input: GoalEvaluationInput,
    decisions: Vec<Choice>,
}

struct AgreementPart {
    position: usize,
    activity: String,
    label: String,
    support_now: String,
    given_since: String,
    levels: Vec<Choice>,
    steps: Vec<Choice>,
}

struct Person {
    id: i64,
    name: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "evaluation.html")]
struct EvaluationPage {
    layout: Layout,
    id: i64,
    client_name: String,
    due_on: String,
    overdue: bool,
    /// The interval as shown in its field: the stored one, or what was typed and refused.
    every_weeks: String,
    gas_t_score: Option<String>,
    held_on: String,
    next_on: String,
    client_took_part: bool,
    network: Vec<Person>,
    professionals: Vec<Person>,
    goals: Vec<GoalPart>,
    agreements: Vec<AgreementPart>,
    may_set_interval: bool,
    errors: FormErrors,
}

fn score_text(score: Option<u8>) -> String {
    score.map_or_else(|| "–".into(), |s| s.to_string())
}

fn change_text(tr: crate::i18n::Tr, what: &str, change: Option<ScoreChange>) -> Option<String> {
    let change = change?;
    let key = match change.trend {
        Trend::Improved => "evaluation-change-improved",
        Trend::Declined => "evaluation-change-declined",
        Trend::Unchanged => "evaluation-change-unchanged",
    };
    Some(tr.t_args(
        key,
        &[
            ("what", tr.t(what)),
            ("points", format!("{:+}", change.points)),
        ],
    ))
}

fn page(
    user: &CurrentUser,
    id: i64,
    view: EvaluationView,
    input: Option<EvaluationInput>,
    typed_weeks: Option<String>,
    errors: FormErrors,
) -> EvaluationPage {
    let tr = user.tr;
    let ctx = &view.context;
    let plan = ctx.plan();
    let input = input.unwrap_or_else(|| EvaluationInput {
        held_on: format::form_date(view.today),
        client_took_part: true,
        ..Default::default()
    });
    let held_on = input.held_on.clone();
    let lang = tr.lang;
    let level_label = |value: u8| {
        ctx.activities
            .level(value)
            .map(|l| format!("{value} · {}", l.label.get(lang)))
            .unwrap_or_else(|| value.to_string())
    };
    let goals = plan
        .goals
        .iter()
        .filter(|g| g.status == GoalStatus::Active)
        .map(|goal| {
            let mut history = vec![ScoreRow {
                when: tr.t("evaluation-baseline"),
                performance: score_text(goal.baseline.performance),
                satisfaction: score_text(goal.baseline.satisfaction),
                gas: String::new(),
            }];
            let own: Vec<_> = view
                .scores
                .iter()
                .filter(|s| s.score.goal_id == goal.id)
                .collect();
            for stored in &own {
                let moment = match stored.score.moment {
                    ScoreMoment::Baseline => "evaluation-baseline",
                    ScoreMoment::Evaluation => "evaluation-moment-evaluation",
                    ScoreMoment::Closure => "evaluation-moment-closure",
                    ScoreMoment::FollowUp => "evaluation-moment-follow-up",
                };
                history.push(ScoreRow {
                    when: format!("{} {}", tr.t(moment), format::date(stored.score.scored_on)),
                    performance: score_text(stored.score.performance),
                    satisfaction: score_text(stored.score.satisfaction),
                    gas: stored
                        .score
                        .gas_attained
                        .map(|l| format!("{l:+}"))
                        .unwrap_or_default(),
                });
            }
            let last = own.last().map(|s| &s.score);
            let changes = [
                change_text(
                    tr,
                    "goal-performance",
                    ScoreChange::between(
                        goal.baseline.performance,
                        last.and_then(|s| s.performance),
                    ),
                ),
                change_text(
                    tr,
                    "goal-satisfaction",
                    ScoreChange::between(
                        goal.baseline.satisfaction,
                        last.and_then(|s| s.satisfaction),
                    ),
                ),
            ]
            .into_iter()
            .flatten()
            .collect();
            let entered = input
                .goals
                .iter()
                .find(|g| g.goal_id == goal.id)
                .cloned()
                .unwrap_or(GoalEvaluationInput {
                    goal_id: goal.id,
                    ..Default::default()
                });
            let gas_levels = (-2..=2)
                .map(|level: i8| Choice {
                    value: level.to_string(),
                    label: format!("{level:+}"),
                    selected: entered.gas_attained.trim() == level.to_string(),
                })
                .collect();
            GoalPart {
                id: goal.id,
                words: goal.words.clone(),
                has_gas: goal.gas.is_some(),
                gas_levels,
                history,
                changes,
                decisions: GoalDecision::choices(tr, &entered.decision),
                input: entered,
            }
        })
        .collect();
    let agreements = plan
        .agreements
        .iter()
        .enumerate()
        .map(|(position, agreement)| {
            let entered = input
                .agreements
                .iter()
                .find(|a| a.activity == agreement.activity);
            let support = entered.map_or_else(
                || agreement.support.value().to_string(),
                |a| a.support.clone(),
            );
            let step = entered.map_or_else(
                || {
                    agreement
                        .current_step
                        .map(|s| (s + 1).to_string())
                        .unwrap_or_default()
                },
                |a| a.step.clone(),
            );
            let label = ctx
                .activities
                .items
                .iter()
                .find(|i| i.key == agreement.activity)
                .map_or_else(
                    || agreement.activity.clone(),
                    |i| i.name.get(lang).to_string(),
                );
            let given = view
                .given_since
                .get(&agreement.activity)
                // "2 · Matige hulp (3×), 1 · Lichte hulp (1×)": how often each level was
                // given, in the order of the scale, rather than a row of bare numbers.
                .map(|levels| {
                    SupportLevel::ALL
                        .iter()
                        .filter_map(|level| {
                            let times = levels.iter().filter(|l| *l == level).count();
                            (times > 0)
                                .then(|| format!("{} ({times}×)", level_label(level.value())))
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_else(|| tr.t("evaluation-no-visits"));
            AgreementPart {
                position,
                activity: agreement.activity.clone(),
                label,
                support_now: level_label(agreement.support.value()),
                given_since: given,
                levels: SupportLevel::ALL
                    .iter()
                    .map(|l| Choice {
                        value: l.value().to_string(),
                        label: level_label(l.value()),
                        selected: support == l.value().to_string(),
                    })
                    .collect(),
                steps: agreement
                    .steps
                    .iter()
                    .enumerate()
                    .map(|(i, text)| Choice {
                        value: (i + 1).to_string(),
                        label: format!("{}. {text}", i + 1),
                        selected: step == (i + 1).to_string(),
                    })
                    .collect(),
            }
        })
        .collect();
    let network = ctx
        .network
        .iter()
        .map(|m| Person {
            id: m.id,
            name: m.member.name.clone(),
            checked: input.network_member_ids.contains(&m.id.to_string()),
        })
        .collect();
    let professionals = ctx
        .team
        .iter()
        .filter_map(|m| {
            let id = m.user_id?;
            Some(Person {
                id,
                name: m.name.clone(),
                checked: input.professional_ids.contains(&id.to_string())
                    || (input.professional_ids.is_empty() && id == user.caller.user.id),
            })
        })
        .collect();
    EvaluationPage {
        layout: user.layout(
            tr.t("evaluation-title"),
            &format!("/trajectories/{id}/plan"),
        ),
        id,
        client_name: ctx.client.name.clone(),
        due_on: format::date(view.due_on),
        overdue: view.due_on < view.today,
        every_weeks: typed_weeks.unwrap_or_else(|| view.every_weeks.to_string()),
        gas_t_score: plan.gas_t_score().map(|t| format::decimal(tr, t, 1)),
        held_on,
        next_on: input.next_on.clone(),
        client_took_part: input.client_took_part,
        network,
        professionals,
        goals,
        agreements,
        may_set_interval: ctx.access.may(regie_domain::Permission::ManageTrajectory),
        errors,
    }
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    let view = evaluations::evaluation_form(&state.app, &user.caller, id).await?;
    Ok(render(
        StatusCode::OK,
        &page(&user, id, view, None, None, FormErrors::default()),
    ))
}

/// The form's fields: per goal `performance-N`, `satisfaction-N`, `gas-N`, `words-N`,
/// `decision-N`, `reason-N` (N the goal's number); per agreement `activity-P`, `support-P`,
/// `step-P` (P its position); who took part; the dates.
fn input_from(pairs: &[(String, String)]) -> EvaluationInput {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let all = |name: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let goal_ids: Vec<u32> = all("goal")
        .iter()
        .filter_map(|g| g.trim().parse().ok())
        .collect();
    let positions: Vec<String> = all("agreement");
    EvaluationInput {
        held_on: field("held_on"),
        next_on: field("next_on"),
        client_took_part: field("client") == "yes",
        network_member_ids: all("network"),
        professional_ids: all("professional"),
        goals: goal_ids
            .into_iter()
            .map(|id| GoalEvaluationInput {
                goal_id: id,
                performance: field(&format!("performance-{id}")),
                satisfaction: field(&format!("satisfaction-{id}")),
                gas_attained: field(&format!("gas_attained-{id}")),
                words: field(&format!("words-{id}")),
                decision: field(&format!("decision-{id}")),
                reason: field(&format!("reason-{id}")),
            })
            .collect(),
        agreements: positions
            .iter()
            .map(|p| AgreementForwardInput {
                activity: field(&format!("activity-{p}")),
                support: field(&format!("support-{p}")),
                step: field(&format!("step-{p}")),
            })
            .collect(),
    }
}

async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let input = input_from(&pairs);
    save_or_show(
        evaluations::record_evaluation(&state.app, &user.caller, id, &input).await,
        |_| format!("/trajectories/{id}/plan"),
        async |refused| {
            let view = evaluations::evaluation_form(&state.app, &user.caller, id).await?;
            let errors = refused.errors(user.tr);
            Ok(render(
                refused.status(),
                &page(&user, id, view, Some(input), None, errors),
            ))
        },
    )
    .await
}

#[derive(serde::Deserialize)]
struct IntervalForm {
    #[serde(default)]
    evaluation_weeks: String,
}

async fn set_interval(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    crate::pages::Form(form): crate::pages::Form<IntervalForm>,
) -> Result<Response, AppError> {
    let weeks = form.evaluation_weeks;
    save_or_show(
        evaluations::set_evaluation_weeks(&state.app, &user.caller, id, &weeks).await,
        |()| format!("/trajectories/{id}/evaluation"),
        async |refused| {
            let view = evaluations::evaluation_form(&state.app, &user.caller, id).await?;
            let errors = refused.errors(user.tr);
            Ok(render(
                refused.status(),
                &page(&user, id, view, None, Some(weeks), errors),
            ))
        },
    )
    .await
}
