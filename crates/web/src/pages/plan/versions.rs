//! The plan's versions, what changed between them, and the plan printed for the client.

use super::{AgreementView, agreement_view};
use crate::choice::Choosable;
use crate::context::{CurrentUser, Id, Layout};
use crate::format::{date, moment};
use crate::i18n::Tr;
use crate::pages::{item_name, label, render};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use regie_app::records::plan::{self as plans, PlanContext};
use regie_domain::catalogue::localised;
use regie_domain::{AuditEvent, ChangeKind, GoalStatus, Plan, PlanChange, Subject};

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
pub(super) struct CompareQuery {
    from: Option<String>,
    to: Option<String>,
}

/// One line per change from `old` to `new`, in words: "Doel 2 ‘Zelf douchen’: gewijzigd
/// (status)".
fn describe_changes(tr: Tr, ctx: &PlanContext, old: &Plan, new: &Plan) -> Vec<String> {
    describe(tr, ctx, old, new, &regie_domain::plan::compare(old, new))
}

/// One line per change, naming goals and interventions as `old` and `new` have them.
pub(super) fn describe(
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
                Subject::Care { discipline } => {
                    tr.t_args("change-care", &[("discipline", discipline.label(tr))])
                }
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
            // An ended intervention says on which day it stopped: the day may lie before the
            // version was written.
            let ended_on = match (&change.subject, &change.kind) {
                (Subject::Intervention { id, .. }, ChangeKind::Changed(fields))
                    if fields.contains(&"end") =>
                {
                    new.goals
                        .iter()
                        .flat_map(|g| &g.interventions)
                        .find(|i| i.id == *id)
                        .and_then(|i| i.end)
                }
                _ => None,
            };
            match ended_on {
                Some(day) => format!(
                    "{subject}: {what}, {}",
                    tr.t_args("change-end-on", &[("date", crate::format::date(day))])
                ),
                None => format!("{subject}: {what}"),
            }
        })
        .collect()
}

pub(super) async fn versions(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Query(query): Query<CompareQuery>,
) -> Result<Response, AppError> {
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

pub(super) async fn print(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
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
                    let discipline = d.map(|d| d.label(tr)).unwrap_or_default();
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
