//! Closing a trajectory: the guided closing page, and the closure summary to print for the
//! client and, after a referral, for the receiver.

use super::plan::{AgreementView, agreement_view};
use super::{Choice, FormErrors, PairsForm, render};
use crate::choice::Choosable;
use crate::context::{CurrentUser, Id, Layout};
use crate::format::{date, form_date, hours, hours_number};
use crate::i18n::Tr;
use crate::pages::save_or_show;
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use regie_app::records::closure::{self as closing, ClosingView};
use regie_app::records::plan::PlanContext;
use regie_domain::catalogue::localised;
use regie_domain::{
    CareNowInput, Closure, ClosureInput, ClosureOption, Discipline, FinalScoreInput,
    GoalOutcomeInput, GoalStatus, Perspective, Phase, ReferralTo, StopReason,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/trajectories/{id}/close", get(show).post(close))
        .route("/trajectories/{id}/closure/print", get(print))
}

/// How a trajectory ended, in one line: the option and its destination or reason.
pub(crate) fn closure_label(tr: Tr, closure: &Closure) -> String {
    match &closure.option {
        ClosureOption::NoCareNeeded => tr.t("closure-no-care-needed"),
        ClosureOption::Referred { to, detail, .. } => {
            let to = match detail {
                Some(detail) if *to == ReferralTo::Other => detail.clone(),
                Some(detail) => format!("{} ({detail})", to.label(tr)),
                None => to.label(tr),
            };
            tr.t_args("closure-referred-to", &[("to", to)])
        }
        ClosureOption::StoppedEarly { reason, detail } => {
            let reason = match detail {
                Some(detail) if *reason == StopReason::Other => detail.clone(),
                Some(detail) => format!("{} ({detail})", reason.label(tr)),
                None => reason.label(tr),
            };
            tr.t_args("closure-stopped-early-because", &[("reason", reason)])
        }
    }
}

/// The care hours at closure, in one line ("none" when no care goes on).
pub(crate) fn care_now_label(tr: Tr, closure: &Closure) -> String {
    if closure.care_now.is_empty() {
        return tr.t("closure-care-now-none");
    }
    closure
        .care_now
        .iter()
        .map(|c| format!("{}: {}", c.discipline.label(tr), hours(tr, c.minutes)))
        .collect::<Vec<_>>()
        .join(", ")
}

struct GoalRow {
    id: u32,
    words: String,
    status: String,
    reason: String,
    /// GAS levels −2…+2 to choose from, when the goal has a GAS scale.
    levels: Vec<Choice>,
}

/// A goal's final scores beside its baseline.
struct ScoreRow {
    id: u32,
    words: String,
    baseline: String,
    performance: String,
    satisfaction: String,
}

struct CareRow {
    index: usize,
    disciplines: Vec<Choice>,
    hours: String,
}

#[derive(Template)]
#[template(path = "closure_form.html")]
struct ClosingPage {
    layout: Layout,
    id: i64,
    client_name: String,
    closed: bool,
    /// Options A and B only once the plan has been carried out.
    with_outcome: bool,
    option: String,
    referral_tos: Vec<Choice>,
    referral_detail: String,
    handover: String,
    stop_reasons: Vec<Choice>,
    stop_detail: String,
    date: String,
    today: String,
    start: String,
    summary: String,
    care: Vec<CareRow>,
    goals: Vec<GoalRow>,
    scores: Vec<ScoreRow>,
    running: Vec<String>,
    client_rated: bool,
    professional_rated: bool,
    activities_at: Option<String>,
    errors: FormErrors,
}

fn closing_page(
    state: &AppState,
    user: &CurrentUser,
    view: ClosingView,
    input: Option<ClosureInput>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let ctx = &view.context;
    let id = ctx.trajectory.id;
    // A closed trajectory shows why nothing can be done here instead of the form.
    let closed = !ctx.trajectory.phase.accepts_changes();
    let today = state.app.today();
    let plan = ctx.plan();
    let (open_goals, running) = plan.open_at(today);
    let fresh = input.is_none();
    let input = input.unwrap_or_else(|| ClosureInput {
        date: form_date(today),
        // The care planned for this week, as a starting point for "care hours now".
        care_now: plan
            .care
            .iter()
            .map(|c| CareNowInput {
                discipline: c.discipline.as_str().into(),
                hours: c
                    .minutes_in_week_of(ctx.trajectory.start_date, today)
                    .map(hours_number)
                    .unwrap_or_default(),
            })
            .collect(),
        ..ClosureInput::default()
    });
    let mut care_input = input.care_now.clone();
    if fresh || care_input.len() < 2 {
        care_input.push(CareNowInput::default());
    }
    let goals = open_goals
        .iter()
        .filter_map(|gid| plan.goal(*gid))
        .map(|g| {
            let typed = input.goals.iter().find(|o| o.goal_id == g.id);
            GoalRow {
                id: g.id,
                words: g.words.clone(),
                status: typed.map(|o| o.status.clone()).unwrap_or_default(),
                reason: typed.map(|o| o.reason.clone()).unwrap_or_default(),
                levels: if g.gas.is_some() {
                    let chosen = typed.map(|o| o.attained.as_str()).unwrap_or_default();
                    ["-2", "-1", "0", "1", "2"]
                        .into_iter()
                        .map(|level| Choice {
                            value: level.into(),
                            label: level.into(),
                            selected: level == chosen,
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            }
        })
        .collect();
    let scores = plan
        .goals
        .iter()
        .map(|g| {
            let typed = input.scores.iter().find(|s| s.goal_id == g.id);
            let shown = |s: Option<u8>| s.map_or_else(|| "–".to_string(), |v| v.to_string());
            ScoreRow {
                id: g.id,
                words: g.words.clone(),
                baseline: format!(
                    "{} {} · {} {}",
                    tr.t("goal-performance"),
                    shown(g.baseline.performance),
                    tr.t("goal-satisfaction"),
                    shown(g.baseline.satisfaction)
                ),
                performance: typed.map(|s| s.performance.clone()).unwrap_or_default(),
                satisfaction: typed.map(|s| s.satisfaction.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let running = plan
        .goals
        .iter()
        .flat_map(|g| &g.interventions)
        .filter(|i| running.contains(&i.id))
        .map(|i| {
            ctx.intervention(i.catalogue_id)
                .map(|c| localised(tr.lang, &c.entry.name_nl, &c.entry.name_en).to_string())
                .unwrap_or_default()
        })
        .collect();
    let page = ClosingPage {
        layout: user.layout(tr.t("closure-title"), &format!("/trajectories/{id}")),
        id,
        client_name: ctx.client.name.clone(),
        closed,
        scores,
        with_outcome: ctx.trajectory.phase == Phase::Uitvoering,
        option: input.option.clone(),
        referral_tos: ReferralTo::choices(tr, &input.referral_to),
        referral_detail: input.referral_detail.clone(),
        handover: input.handover.clone(),
        stop_reasons: StopReason::choices(tr, &input.stop_reason),
        stop_detail: input.stop_detail.clone(),
        date: input.date.clone(),
        today: form_date(today),
        start: form_date(ctx.trajectory.start_date),
        summary: input.summary.clone(),
        care: care_input
            .iter()
            .enumerate()
            .map(|(index, row)| CareRow {
                index,
                disciplines: Discipline::choices(tr, &row.discipline),
                hours: row.hours.clone(),
            })
            .collect(),
        goals,
        running,
        client_rated: view.closure_ratings.contains(&Perspective::Client),
        professional_rated: view.closure_ratings.contains(&Perspective::Professional),
        activities_at: view.activities_at.map(crate::format::moment),
        errors,
    };
    Ok(render(status, &page))
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    let view = closing::closing_page(&state.app, &user.caller, id).await?;
    closing_page(
        &state,
        &user,
        view,
        None,
        FormErrors::default(),
        StatusCode::OK,
    )
}

/// The closing form as typed: repeated care rows in order, and per open goal its outcome
/// (`goal-3-status`, `goal-3-reason`, `goal-3-attained`).
fn closure_input(pairs: Vec<(String, String)>) -> ClosureInput {
    let mut input = ClosureInput::default();
    for (name, value) in pairs {
        match name.as_str() {
            "option" => input.option = value,
            "referral_to" => input.referral_to = value,
            "referral_detail" => input.referral_detail = value,
            "handover" => input.handover = value,
            "stop_reason" => input.stop_reason = value,
            "stop_detail" => input.stop_detail = value,
            "date" => input.date = value,
            "summary" => input.summary = value,
            "care_discipline" => input.care_now.push(CareNowInput {
                discipline: value,
                hours: String::new(),
            }),
            "care_hours" => {
                if let Some(row) = input.care_now.last_mut() {
                    row.hours = value;
                }
            }
            // Final scores, named as on the evaluation page: `performance-3`, `satisfaction-3`.
            other if other.starts_with("performance-") || other.starts_with("satisfaction-") => {
                let Some((field, id)) = other.split_once('-') else {
                    continue;
                };
                let Ok(goal_id) = id.parse::<u32>() else {
                    continue;
                };
                let position = match input.scores.iter().position(|s| s.goal_id == goal_id) {
                    Some(position) => position,
                    None => {
                        input.scores.push(FinalScoreInput {
                            goal_id,
                            ..FinalScoreInput::default()
                        });
                        input.scores.len() - 1
                    }
                };
                if field == "performance" {
                    input.scores[position].performance = value;
                } else {
                    input.scores[position].satisfaction = value;
                }
            }
            other => {
                let Some(rest) = other.strip_prefix("goal-") else {
                    continue;
                };
                let Some((id, field)) = rest.split_once('-') else {
                    continue;
                };
                let Ok(goal_id) = id.parse::<u32>() else {
                    continue;
                };
                let position = match input.goals.iter().position(|g| g.goal_id == goal_id) {
                    Some(position) => position,
                    None => {
                        input.goals.push(GoalOutcomeInput {
                            goal_id,
                            ..GoalOutcomeInput::default()
                        });
                        input.goals.len() - 1
                    }
                };
                let goal = &mut input.goals[position];
                match field {
                    "status" => goal.status = value,
                    "reason" => goal.reason = value,
                    "attained" => goal.attained = value,
                    _ => {}
                }
            }
        }
    }
    input
}

async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let input = closure_input(pairs);
    save_or_show(
        closing::close_trajectory(&state.app, &user.caller, id, &input).await,
        |()| format!("/trajectories/{id}"),
        async |refused| {
            let view = closing::closing_page(&state.app, &user.caller, id).await?;
            let errors = refused.errors(user.tr);
            closing_page(&state, &user, view, Some(input), errors, refused.status())
        },
    )
    .await
}

// ---------------------------------------------------------------- print

struct Contact {
    name: String,
    role: String,
    contact: String,
}

#[derive(Template)]
#[template(path = "closure_print.html")]
struct PrintPage {
    layout: Layout,
    id: i64,
    client_name: String,
    printed: String,
    closed_on: String,
    how: String,
    summary: String,
    care_now: String,
    achieved: Vec<String>,
    you_do: Vec<(String, String)>,
    contacts: Vec<Contact>,
    /// Option B: the receiver's sheet.
    handover: Option<String>,
    agreements: Vec<AgreementView>,
    goals: Vec<(String, String)>,
    coordinator: Option<Contact>,
}

fn contacts(tr: Tr, ctx: &PlanContext) -> Vec<Contact> {
    ctx.team
        .iter()
        .filter(|m| m.user_id.is_some())
        .map(|m| Contact {
            name: m.name.clone(),
            role: {
                let discipline = m.discipline.map(|d| d.label(tr)).unwrap_or_default();
                if m.user_id == Some(ctx.trajectory.coordinator_id) {
                    tr.t_args("print-coordinator", &[("discipline", discipline)])
                } else {
                    discipline
                }
            },
            contact: m.contact.clone().unwrap_or_default(),
        })
        .collect()
}

async fn print(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let ctx = closing::closure_print(&state.app, &user.caller, id).await?;
    let closure = ctx
        .trajectory
        .closure
        .clone()
        .expect("the use case refuses a trajectory without a closure");
    let plan = ctx.plan();
    let contacts = contacts(tr, &ctx);
    let coordinator = ctx
        .team
        .iter()
        .find(|m| m.user_id == Some(ctx.trajectory.coordinator_id))
        .map(|m| Contact {
            name: m.name.clone(),
            role: tr.t("closure-print-coordinator-role"),
            contact: m.contact.clone().unwrap_or_default(),
        });
    let handover = match &closure.option {
        ClosureOption::Referred { handover, .. } => Some(handover.clone()),
        _ => None,
    };
    let page = PrintPage {
        layout: user.layout(tr.t("closure-print-title"), &format!("/trajectories/{id}")),
        id,
        client_name: ctx.client.name.clone(),
        printed: date(state.app.today()),
        closed_on: closure.date.map(date).unwrap_or_default(),
        how: closure_label(tr, &closure),
        summary: closure.summary.clone(),
        care_now: care_now_label(tr, &closure),
        achieved: plan
            .goals
            .iter()
            .filter(|g| g.status == GoalStatus::Achieved)
            .map(|g| g.words.clone())
            .collect(),
        you_do: plan
            .agreements
            .iter()
            .filter(|a| !a.client_does.is_empty())
            .map(|a| {
                (
                    super::item_name(&ctx.activities, tr.lang, &a.activity),
                    a.client_does.clone(),
                )
            })
            .collect(),
        contacts,
        agreements: if handover.is_some() {
            plan.agreements
                .iter()
                .map(|a| agreement_view(tr, &ctx, a))
                .collect()
        } else {
            Vec::new()
        },
        goals: plan
            .goals
            .iter()
            .map(|g| {
                let status = g.status.label(tr);
                let status = match &g.status_reason {
                    Some(reason) => format!("{status}: {reason}"),
                    None => status,
                };
                (g.words.clone(), status)
            })
            .collect(),
        handover,
        coordinator,
    };
    Ok(render(StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_care_rows_in_order_and_goal_outcomes_by_number() {
        let pairs = [
            ("option", "no_care_needed"),
            ("care_discipline", "verzorgende"),
            ("care_hours", "1,5"),
            ("care_discipline", ""),
            ("care_hours", ""),
            ("goal-3-status", "stopped"),
            ("goal-3-reason", "wil niet meer"),
            ("goal-4-status", "achieved"),
            ("goal-x-status", "achieved"),
        ]
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .to_vec();
        let input = closure_input(pairs);
        assert_eq!(input.care_now.len(), 2);
        assert_eq!(input.care_now[0].hours, "1,5");
        assert_eq!(input.goals.len(), 2);
        assert_eq!(input.goals[0].reason, "wil niet meer");
        assert_eq!(input.goals[1].status, "achieved");
    }
}
