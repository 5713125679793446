//! Visits on a tablet at the client's home ("handen op de rug", seed 000): the agreement first,
//! one tap per activity for the support actually given, a reason when it was more than agreed,
//! a success in the client's words. And what the team sees: signals, trend, care hours.

use super::{Choice, Form, FormErrors, PairsForm, item_name, render};
use crate::chart::{BarGroup, bar_chart};
use crate::choice::Choosable;
use crate::context::{CurrentUser, Id, Layout};
use crate::format::date;
use crate::i18n::Tr;
use crate::pages::save_or_show;
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use regie_app::records::BasedOn;
use regie_app::records::visits::{self as visits, VisitsView};
use regie_domain::visit::{GivenInput, NOT_DONE, OverReason, Pattern, Signal, VisitInput};
use regie_domain::{Agreement, Permission, SupportLevel};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/visits", get(today))
        .route("/team", get(team))
        .route("/trajectories/{id}/visits", get(overview).post(record))
        .route("/trajectories/{id}/visits/new", get(new_visit))
        .route("/visits/{id}", get(edit).post(correct))
        .route("/visits/{id}/error", post(mark_error))
}

pub(crate) fn signal_text(
    tr: Tr,
    activity: &str,
    signal: &Signal,
    names: Option<&BTreeMap<i64, String>>,
) -> String {
    let level = |l: SupportLevel| l.value().to_string();
    let who = |ids: &[i64]| {
        names.map(|n| {
            ids.iter()
                .filter_map(|id| n.get(id).cloned())
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    match &signal.pattern {
        Pattern::Inconsistent {
            lowest,
            highest,
            low_users,
            high_users,
        } => {
            let text = tr.t_args(
                "signal-inconsistent",
                &[
                    ("activity", activity.to_string()),
                    ("low", level(*lowest)),
                    ("high", level(*highest)),
                ],
            );
            match (who(low_users), who(high_users)) {
                (Some(low), Some(high)) => format!(
                    "{text} {}",
                    tr.t_args("signal-who-differs", &[("low", low), ("high", high)])
                ),
                _ => text,
            }
        }
        Pattern::AboveAgreement { times, users } => {
            let text = tr.t_args(
                "signal-above",
                &[
                    ("activity", activity.to_string()),
                    ("times", times.to_string()),
                ],
            );
            match who(users) {
                Some(names) => format!(
                    "{text} {}",
                    tr.t_args("signal-who-above", &[("names", names)])
                ),
                None => text,
            }
        }
    }
}

// ---------------------------------------------------------------- recording

struct ActivityRow {
    key: String,
    name: String,
    agreed: u8,
    agreed_label: String,
    client_does: String,
    team_does: String,
    current_step: Option<String>,
    chosen: String,
    reason: String,
    reason_text: String,
}

#[derive(Template)]
#[template(path = "visit_form.html")]
struct VisitFormPage {
    layout: Layout,
    action: String,
    back: String,
    client_name: String,
    rows: Vec<ActivityRow>,
    levels: Vec<Choice>,
    reasons: Vec<Choice>,
    input: VisitInput,
    idempotency_key: String,
    /// Corrections only: why, and whether a reason is needed (after 24 hours).
    correction: Option<bool>,
    correction_reason: String,
    /// Corrections only: the version of the visit the form shows.
    version: i64,
    errors: FormErrors,
}

impl VisitFormPage {
    fn error(&self, prefix: &str, key: &str) -> Option<&String> {
        self.errors.get(&format!("{prefix}-{key}"))
    }
}

fn rows(
    tr: Tr,
    activities: &regie_domain::InstrumentDefinition,
    agreements: &[Agreement],
    input: &VisitInput,
) -> Vec<ActivityRow> {
    agreements
        .iter()
        .map(|a| {
            let typed = input.given.iter().find(|g| g.activity == a.activity);
            ActivityRow {
                key: a.activity.clone(),
                name: item_name(activities, tr.lang, &a.activity),
                agreed: a.support.value(),
                agreed_label: activities
                    .level(a.support.value())
                    .map(|l| format!("{} · {}", a.support.value(), l.label.get(tr.lang)))
                    .unwrap_or_default(),
                client_does: a.client_does.clone(),
                team_does: a.team_does.clone(),
                current_step: a.current_step.and_then(|i| a.steps.get(i).cloned()),
                chosen: typed.map(|g| g.level.clone()).unwrap_or_default(),
                reason: typed.map(|g| g.reason.clone()).unwrap_or_default(),
                reason_text: typed.map(|g| g.reason_text.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

/// A correction being made: of which visit and version, whether a reason is needed (after 24
/// hours), and the reason typed so far.
struct Correction {
    visit_id: i64,
    version: i64,
    needs_reason: bool,
    reason: String,
}

#[allow(clippy::too_many_arguments)]
async fn visit_form(
    state: &AppState,
    user: &CurrentUser,
    trajectory_id: i64,
    agreements: Vec<Agreement>,
    client_name: String,
    input: VisitInput,
    correction: Option<Correction>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let activities = regie_app::records::daily_activity_instrument(&state.app).await?;
    let page = VisitFormPage {
        layout: user.layout(tr.t("visit-title"), "/visits"),
        action: match &correction {
            Some(c) => format!("/visits/{}", c.visit_id),
            None => format!("/trajectories/{trajectory_id}/visits"),
        },
        back: format!("/trajectories/{trajectory_id}/visits"),
        client_name,
        rows: rows(tr, &activities, &agreements, &input),
        levels: activities
            .levels
            .iter()
            .map(|l| Choice {
                value: l.value.to_string(),
                label: l.label.get(tr.lang).to_string(),
                selected: false,
            })
            .collect(),
        reasons: OverReason::choices(tr, ""),
        idempotency_key: new_key(),
        correction: correction.as_ref().map(|c| c.needs_reason),
        version: correction.as_ref().map_or(0, |c| c.version),
        correction_reason: correction.map(|c| c.reason).unwrap_or_default(),
        input,
        errors,
    };
    Ok(render(status, &page))
}

/// A fresh key per rendered form, so a double submit records one visit.
fn new_key() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    hex::encode(bytes)
}

async fn new_visit(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    let (client, plan) =
        visits::visit_form(&state.app, &user.caller, id, Permission::RecordVisit).await?;
    visit_form(
        &state,
        &user,
        id,
        plan.agreements,
        client.name,
        VisitInput::default(),
        None,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// Reads the visit form: `level-<activity>`, `reason-<activity>`, `reason_text-<activity>`,
/// and the idempotency key, the correction's reason and the version it was based on.
fn visit_input(pairs: &[(String, String)]) -> (VisitInput, String, String, BasedOn) {
    let mut input = VisitInput::default();
    let mut key = String::new();
    let mut reason = String::new();
    let mut version = None;
    let mut given: BTreeMap<String, GivenInput> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for (name, value) in pairs {
        match name.as_str() {
            "date" => input.date = value.clone(),
            "minutes" => input.minutes = value.clone(),
            "note" => input.note = value.clone(),
            "success" => input.success = value.clone(),
            "idempotency_key" => key = value.clone(),
            "correction_reason" => reason = value.clone(),
            "version" => version = Some(value.as_str()),
            other => {
                let Some((field, activity)) = other.split_once('-') else {
                    continue;
                };
                if !order.iter().any(|a| a == activity) {
                    order.push(activity.to_string());
                }
                let entry = given
                    .entry(activity.to_string())
                    .or_insert_with(|| GivenInput {
                        activity: activity.to_string(),
                        ..Default::default()
                    });
                match field {
                    "level" => entry.level = value.clone(),
                    "reason" => entry.reason = value.clone(),
                    "reason_text" => entry.reason_text = value.clone(),
                    _ => {}
                }
            }
        }
    }
    input.given = order.into_iter().filter_map(|a| given.remove(&a)).collect();
    (input, key, reason, BasedOn::from_form(version))
}

async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let (input, key, _, _) = visit_input(&pairs);
    save_or_show(
        visits::record_visit(&state.app, &user.caller, id, &input, Some(&key)).await,
        |_| format!("/trajectories/{id}/visits?saved=1"),
        async |refused| {
            let (client, plan) =
                visits::visit_form(&state.app, &user.caller, id, Permission::ReadRecord).await?;
            let errors = refused.errors(user.tr);
            visit_form(
                &state,
                &user,
                id,
                plan.agreements,
                client.name,
                input,
                None,
                errors,
                refused.status(),
            )
            .await
        },
    )
    .await
}

fn input_of(content: &regie_domain::visit::VisitContent) -> VisitInput {
    VisitInput {
        date: crate::format::form_date(content.date),
        minutes: content.minutes.to_string(),
        given: content
            .given
            .iter()
            .map(|g| GivenInput {
                activity: g.activity.clone(),
                level: g.given.value().to_string(),
                reason: g.reason.map(|r| r.as_str().to_string()).unwrap_or_default(),
                reason_text: g.reason_text.clone().unwrap_or_default(),
            })
            .chain(content.not_done.iter().map(|activity| GivenInput {
                activity: activity.clone(),
                level: NOT_DONE.into(),
                ..Default::default()
            }))
            .collect(),
        note: content.note.clone().unwrap_or_default(),
        success: content.success.clone().unwrap_or_default(),
    }
}

async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    let view = visits::open_visit_for(
        &state.app,
        &user.caller,
        id,
        Permission::CorrectVisit { author: false },
    )
    .await?;
    correction_form(
        &state,
        &user,
        view,
        None,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The correction form for a visit: with the input as it was recorded, or as typed.
async fn correction_form(
    state: &AppState,
    user: &CurrentUser,
    view: visits::VisitView,
    typed: Option<(VisitInput, String)>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let visit = &view.visit;
    let (input, reason) = typed.unwrap_or_else(|| (input_of(&visit.content), String::new()));
    let correction = Correction {
        visit_id: visit.id,
        version: visit.version,
        needs_reason: regie_domain::visit::correction_needs_reason(
            visit.recorded_at,
            state.app.now(),
        ),
        reason,
    };
    visit_form(
        state,
        user,
        visit.trajectory_id,
        regie_domain::visit::agreements_at_visit(&visit.content, &view.plan.agreements),
        view.client.name.clone(),
        input,
        Some(correction),
        errors,
        status,
    )
    .await
}

async fn correct(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let (input, _, reason, based_on) = visit_input(&pairs);
    let result =
        visits::correct_visit(&state.app, &user.caller, id, &input, &reason, based_on).await;
    let refused = match result {
        Ok(()) => {
            let view = visits::open_visit(&state.app, &user.caller, id).await?;
            let to = format!("/trajectories/{}/visits", view.visit.trajectory_id);
            return Ok(Redirect::to(&to).into_response());
        }
        Err(error) => super::Refused::of(error.into())?,
    };
    // The form again, on the visit as it is now, with what was typed. (Not `save_or_show`:
    // where to go after saving is known only from the visit.)
    let view = visits::open_visit(&state.app, &user.caller, id).await?;
    let typed = Some((input, reason));
    let errors = refused.errors(user.tr);
    correction_form(&state, &user, view, typed, errors, refused.status()).await
}

#[derive(serde::Deserialize)]
struct ErrorForm {
    #[serde(default)]
    error_reason: String,
}

async fn mark_error(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Form(form): Form<ErrorForm>,
) -> Result<Response, AppError> {
    let trajectory =
        visits::mark_visit_in_error(&state.app, &user.caller, id, &form.error_reason).await?;
    Ok(Redirect::to(&format!("/trajectories/{trajectory}/visits")).into_response())
}

// ---------------------------------------------------------------- overview

struct VisitRow {
    id: i64,
    when: String,
    who: String,
    minutes: String,
    given: Vec<String>,
    note: String,
    success: String,
    error: Option<String>,
    version: i64,
    mine: bool,
    /// The caller may mark it entered in error: its author or the coordinator.
    may_mark: bool,
}

struct TrendRow {
    week: String,
    share: String,
    averages: String,
}

struct CareRow {
    week: String,
    planned: String,
    delivered: String,
}

#[derive(Template)]
#[template(path = "visits.html")]
struct VisitsPage {
    layout: Layout,
    id: i64,
    client_id: i64,
    client_name: String,
    can_record: bool,
    saved: bool,
    signals: Vec<String>,
    successes: Vec<(String, String)>,
    visits: Vec<VisitRow>,
    trend_chart: String,
    average_chart: String,
    trend: Vec<TrendRow>,
    care_chart: String,
    care: Vec<CareRow>,
}

#[derive(serde::Deserialize, Default)]
struct SavedQuery {
    saved: Option<String>,
}

async fn overview(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    axum::extract::Query(query): axum::extract::Query<SavedQuery>,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let view: VisitsView = visits::open_visits(&state.app, &user.caller, id).await?;
    let activities = regie_app::records::daily_activity_instrument(&state.app).await?;
    let name = |key: &str| item_name(&activities, tr.lang, key);
    let trend_groups: Vec<BarGroup> = view
        .trend
        .iter()
        .enumerate()
        .map(|(i, w)| BarGroup {
            label: tr.t_args("visits-week-short", &[("week", (i + 1).to_string())]),
            values: vec![w.share()],
        })
        .collect();
    // The average support given per agreed activity, week by week (0–4).
    let activity_keys: Vec<&str> = view
        .plan
        .agreements
        .iter()
        .map(|a| a.activity.as_str())
        .collect();
    let average_groups: Vec<BarGroup> = view
        .trend
        .iter()
        .enumerate()
        .map(|(i, w)| BarGroup {
            label: tr.t_args("visits-week-short", &[("week", (i + 1).to_string())]),
            values: activity_keys
                .iter()
                .map(|k| w.average.get(*k).copied())
                .collect(),
        })
        .collect();
    let care_groups: Vec<BarGroup> = view
        .care
        .iter()
        .map(|w| BarGroup {
            label: tr.t_args("visits-week-short", &[("week", w.week.to_string())]),
            values: vec![
                Some(f64::from(w.planned.values().sum::<u32>()) / 60.0),
                Some(f64::from(w.delivered.values().sum::<u32>()) / 60.0),
            ],
        })
        .collect();
    let care_max = care_groups
        .iter()
        .flat_map(|g| g.values.iter().flatten())
        .fold(1.0_f64, |a, b| a.max(*b));
    let per_discipline = |map: &BTreeMap<regie_domain::Discipline, u32>| {
        if map.is_empty() {
            return "—".to_string();
        }
        map.iter()
            .map(|(d, m)| format!("{} {}", d.label(tr), crate::format::hours(tr, *m)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let page = VisitsPage {
        layout: user.layout(tr.t("visits-title"), &format!("/trajectories/{id}/visits")),
        id,
        client_id: view.client.id,
        client_name: view.client.name.clone(),
        can_record: view.trajectory.phase.accepts_changes()
            && !view.plan.agreements.is_empty()
            && view.access.may(Permission::RecordVisit),
        saved: query.saved.is_some(),
        signals: view
            .signals
            .iter()
            .map(|s| signal_text(tr, &name(&s.activity), s, None))
            .collect(),
        successes: view
            .visits
            .iter()
            .filter(|v| v.error_reason.is_none())
            .filter_map(|v| Some((date(v.content.date), v.content.success.clone()?)))
            .collect(),
        visits: view
            .visits
            .iter()
            .map(|v| VisitRow {
                id: v.id,
                when: date(v.content.date),
                who: format!("{} ({})", v.author, v.discipline.label(tr)),
                minutes: tr.t_args(
                    "visits-minutes",
                    &[("minutes", v.content.minutes.to_string())],
                ),
                given: v
                    .content
                    .given
                    .iter()
                    .map(|g| {
                        let mark = if g.took_over() {
                            format!(" ▲ {}", g.reason.map(|r| r.label(tr)).unwrap_or_default())
                        } else if g.did_more() {
                            format!(" ★ {}", tr.t("visits-did-more"))
                        } else {
                            String::new()
                        };
                        tr.t_args(
                            "visits-given-line",
                            &[
                                ("activity", name(&g.activity)),
                                ("given", g.given.value().to_string()),
                                ("agreed", g.agreed.value().to_string()),
                            ],
                        ) + &mark
                    })
                    .collect(),
                note: v.content.note.clone().unwrap_or_default(),
                success: v.content.success.clone().unwrap_or_default(),
                error: v.error_reason.clone(),
                version: v.version,
                mine: view.access.may(Permission::CorrectVisit {
                    author: v.user_id == user.caller.user.id,
                }),
                may_mark: view.access.may(Permission::MarkVisitInError {
                    author: v.user_id == user.caller.user.id,
                }),
            })
            .collect(),
        trend_chart: bar_chart(
            tr,
            &tr.t("visits-trend-title"),
            &[tr.t("visits-trend-series")],
            &trend_groups,
            1.0,
        ),
        average_chart: bar_chart(
            tr,
            &tr.t("visits-average"),
            &activity_keys.iter().map(|k| name(k)).collect::<Vec<_>>(),
            &average_groups,
            4.0,
        ),
        trend: view
            .trend
            .iter()
            .enumerate()
            .map(|(i, w)| TrendRow {
                week: tr.t_args(
                    "care-week",
                    &[("week", (i + 1).to_string()), ("date", date(w.week_start))],
                ),
                share: w
                    .share()
                    .map(|s| {
                        format!(
                            "{} ({}/{})",
                            crate::format::percent(s),
                            w.at_or_below,
                            w.recorded
                        )
                    })
                    .unwrap_or_else(|| "—".into()),
                averages: w
                    .average
                    .iter()
                    .map(|(k, v)| format!("{} {}", name(k), crate::format::decimal(tr, *v, 1)))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        care_chart: bar_chart(
            tr,
            &tr.t("visits-care-title"),
            &[tr.t("visits-care-planned"), tr.t("visits-care-delivered")],
            &care_groups,
            care_max,
        ),
        care: view
            .care
            .iter()
            .map(|w| CareRow {
                week: tr.t_args(
                    "care-week",
                    &[("week", w.week.to_string()), ("date", date(w.start))],
                ),
                planned: per_discipline(&w.planned),
                delivered: per_discipline(&w.delivered),
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

// ---------------------------------------------------------------- today and the team

struct TodayRow {
    trajectory_id: i64,
    client_name: String,
    visited_today: bool,
    agreements: usize,
}

#[derive(Template)]
#[template(path = "visits_today.html")]
struct TodayPage {
    layout: Layout,
    rows: Vec<TodayRow>,
}

/// "My visits today": the clients in execution the caller works with, those they coordinate
/// or sit in the core team of first; those already visited today are marked.
async fn today(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let tr = user.tr;
    let rows = visits::visits_today(&state.app, &user.caller)
        .await?
        .into_iter()
        .map(|v| TodayRow {
            trajectory_id: v.trajectory_id,
            client_name: v.client_name,
            visited_today: v.visited_today,
            agreements: v.agreements,
        })
        .collect();
    let page = TodayPage {
        layout: user.layout(tr.t("visits-today-title"), "/visits"),
        rows,
    };
    Ok(render(StatusCode::OK, &page))
}

struct TeamClient {
    trajectory_id: i64,
    name: String,
    signals: Vec<String>,
}

#[derive(Template)]
#[template(path = "team_overview.html")]
struct TeamPage {
    layout: Layout,
    clients: Vec<TeamClient>,
    successes: Vec<(i64, String, String, String)>,
    names_shown: bool,
}

async fn team(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let tr = user.tr;
    let view = visits::team_view(&state.app, &user.caller).await?;
    let activities = regie_app::records::daily_activity_instrument(&state.app).await?;
    let page = TeamPage {
        layout: user.layout(tr.t("team-overview-title"), "/team"),
        clients: view
            .clients
            .iter()
            .map(|(client, trajectory_id, signals)| TeamClient {
                trajectory_id: *trajectory_id,
                name: client.name.clone(),
                signals: signals
                    .iter()
                    .map(|s| {
                        signal_text(
                            tr,
                            &item_name(&activities, tr.lang, &s.activity),
                            s,
                            view.names.as_ref(),
                        )
                    })
                    .collect(),
            })
            .collect(),
        successes: view
            .successes
            .iter()
            .map(|s| {
                (
                    s.client_id,
                    s.client_name.clone(),
                    date(s.visit_date),
                    s.words.clone(),
                )
            })
            .collect(),
        names_shown: view.names.is_some(),
    };
    Ok(render(StatusCode::OK, &page))
}
