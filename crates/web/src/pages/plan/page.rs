//! The plan page: goals with their interventions, agreements, planned care and decisions.

use super::Shown;
use super::interventions::{elements_label, responsible_label};
use super::{AgreementView, agreement_view};
use crate::choice::Choosable;
use crate::context::{CurrentUser, Id, Layout};
use crate::format::hours;
use crate::format::{date, moment};
use crate::i18n::Tr;
use crate::pages::{Choice, FormErrors, item_name, render};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use regie_app::records::plan::{self as plans, PlanContext};
use regie_domain::catalogue::localised;
use regie_domain::plan::week_start;
use regie_domain::{AuditEvent, DecisionOption, Goal, Permission, PlannedCare};

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
    /// Later scores, one line each: when, the scores, the change since the baseline.
    later: Vec<String>,
    gas: Vec<(String, String)>,
    gas_weight: String,
    status: String,
    status_code: &'static str,
    reason: String,
    target: String,
    interventions: Vec<InterventionView>,
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

/// "Evaluatie 01-12-2026: uitvoering 7 (+4, duidelijk beter) · tevredenheid 8 (+1)".
fn later_score(tr: Tr, goal: &Goal, stored: &regie_storage::StoredScore) -> String {
    use regie_domain::evaluation::{ScoreChange, ScoreMoment, Trend};
    let score = &stored.score;
    let moment = match score.moment {
        ScoreMoment::Baseline => "evaluation-baseline",
        ScoreMoment::Evaluation => "evaluation-moment-evaluation",
        ScoreMoment::Closure => "evaluation-moment-closure",
        ScoreMoment::FollowUp => "evaluation-moment-follow-up",
    };
    let part = |key: &str, baseline: Option<u8>, now: Option<u8>| {
        let now = now?;
        let change = ScoreChange::between(baseline, Some(now)).map(|c| {
            let word = match c.trend {
                Trend::Improved => format!(", {}", tr.t("goal-change-improved")),
                Trend::Declined => format!(", {}", tr.t("goal-change-declined")),
                Trend::Unchanged => String::new(),
            };
            format!(" ({:+}{word})", c.points)
        });
        Some(format!("{} {now}{}", tr.t(key), change.unwrap_or_default()))
    };
    let mut parts: Vec<String> = [
        part(
            "goal-performance",
            goal.baseline.performance,
            score.performance,
        ),
        part(
            "goal-satisfaction",
            goal.baseline.satisfaction,
            score.satisfaction,
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(level) = score.gas_attained {
        parts.push(format!("GAS {level:+}").replace("+0", "0"));
    }
    format!(
        "{} {}: {}",
        tr.t(moment),
        crate::format::date(score.scored_on),
        parts.join(" · ")
    )
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
    let later = ctx
        .scores
        .iter()
        .filter(|s| s.score.goal_id == goal.id)
        .map(|stored| later_score(tr, goal, stored))
        .collect();
    GoalView {
        later,
        id: goal.id,
        words: goal.words.clone(),
        expressed_by: goal.expressed_by.label(tr),
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
        status: goal.status.label(tr),
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
                        .map(|e| e.entry.category.label(tr))
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

fn care_view(tr: Tr, start: time::Date, care: &PlannedCare) -> CareView {
    let summary = tr.t_args(
        "care-summary",
        &[
            ("from", hours(tr, care.start_minutes)),
            ("to", hours(tr, care.end_minutes)),
            ("weeks", care.weeks.to_string()),
        ],
    );
    CareView {
        discipline_key: care.discipline.as_str(),
        discipline: care.discipline.label(tr),
        // A taper that applies from a later week says so: the weeks before are planned apart.
        summary: if care.from_week > 1 {
            tr.t_args(
                "care-summary-from",
                &[("week", care.from_week.to_string()), ("summary", summary)],
            )
        } else {
            summary
        },
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
    /// Evaluations are held during execution.
    in_execution: bool,
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
    /// The intervention whose ending was refused, and the day typed for it.
    ending: Option<(u32, String)>,
    /// The day an ending form offers: today.
    today: String,
}

impl PlanPage {
    /// The day shown in an intervention's ending form: as typed when it was refused, else today.
    fn end_date(&self, intervention: &u32) -> &str {
        match &self.ending {
            Some((id, typed)) if id == intervention => typed,
            _ => &self.today,
        }
    }

    /// Why the ending of this intervention was refused, next to its day.
    fn end_error(&self, intervention: &u32) -> Option<&String> {
        match &self.ending {
            Some((id, _)) if id == intervention => self.errors.get("date"),
            _ => None,
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct VersionQuery {
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

pub(super) async fn plan_page(
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
    let status = shown.status();
    let ending = shown.ending.clone();
    let (based_on, errors, _) = shown.settle(tr, &ctx);
    let page = PlanPage {
        layout: user.layout(tr.t("plan-title"), &format!("/trajectories/{id}/plan")),
        id,
        client_id: ctx.client.id,
        client_name: ctx.client.name.clone(),
        version: version_label(tr, &ctx),
        newest,
        editable,
        in_execution: ctx.trajectory.phase == regie_domain::Phase::Uitvoering,
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
                decided_by: d.decision.decided_by.label(tr),
                meta: format!("{} · {}", moment(d.created_at), d.author),
            })
            .collect(),
        gas_t_score: plan.gas_t_score().map(|t| crate::format::decimal(tr, t, 1)),
        team: ctx.team.iter().map(|m| m.name.clone()).collect(),
        plan_id: id,
        may_edit_agreements: editable,
        based_on,
        errors,
        ending,
        today: crate::format::form_date(today),
    };
    Ok(render(status, &page))
}

pub(super) async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Query(query): Query<VersionQuery>,
) -> Result<Response, AppError> {
    let version = query.version.as_deref().map(Id::parse).transpose()?;
    plan_page(&state, &user, id, version, Shown::fresh()).await
}
