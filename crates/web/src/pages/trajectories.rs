//! Starting a trajectory, moving it through its phases, and its timeline.

use super::{Choice, Form, FormErrors, PairsForm, label, render};
use crate::choice::Choosable;
use crate::context::Id;
use crate::context::{CurrentUser, Layout};
use crate::i18n::Tr;
use crate::pages::save_or_show;
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use regie_app::records;
use regie_domain::Client;
use regie_domain::audit::AuditEvent;
use regie_domain::{ClosureOption, MattersKind, Permission, Phase, QuestionType, TrajectoryInput};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clients/{id}/trajectories/new", get(new_trajectory))
        .route("/clients/{id}/trajectories", post(create))
        .route("/trajectories/{id}", get(show))
        .route("/trajectories/{id}/phase", post(change_phase))
        .route("/trajectories/{id}/matters", post(add_matters))
}

#[derive(Template)]
#[template(path = "trajectory_form.html")]
struct TrajectoryFormPage {
    layout: Layout,
    client_id: i64,
    client_name: String,
    input: TrajectoryInput,
    question_types: Vec<Choice>,
    coordinators: Vec<Choice>,
    errors: FormErrors,
}

async fn trajectory_form(
    state: &AppState,
    user: &CurrentUser,
    client: &Client,
    input: TrajectoryInput,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let candidates = records::coordinator_candidates(&state.app, client).await?;
    let page = TrajectoryFormPage {
        layout: user.layout(
            tr.t("trajectory-new-title"),
            &format!("/clients/{}/trajectories/new", client.id),
        ),
        client_id: client.id,
        client_name: client.name.clone(),
        question_types: QuestionType::choices_where(tr, |code| {
            input.question_types.iter().any(|t| t == code)
        }),
        coordinators: candidates
            .iter()
            .map(|u| Choice {
                value: u.id.to_string(),
                label: format!("{} ({})", u.full_name, u.discipline.label(tr)),
                selected: input.coordinator_id == Some(u.id),
            })
            .collect(),
        input,
        errors,
    };
    Ok(render(status, &page))
}

async fn new_trajectory(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    let client = records::read_for(
        &state.app,
        &user.caller,
        records::Target::Client(id),
        Permission::StartTrajectory,
        AuditEvent::ClientRead,
    )
    .await?
    .client;
    let input = TrajectoryInput {
        start_date: crate::format::form_date(state.app.today()),
        // Whoever starts the trajectory usually coordinates it.
        coordinator_id: Some(user.caller.user.id),
        ..Default::default()
    };
    trajectory_form(
        &state,
        &user,
        &client,
        input,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

fn input_from_pairs(pairs: Vec<(String, String)>) -> TrajectoryInput {
    let mut input = TrajectoryInput::default();
    for (key, value) in pairs {
        match key.as_str() {
            "question" => input.question = value,
            "question_type" => input.question_types.push(value),
            "referral_source" => input.referral_source = value,
            "start_date" => input.start_date = value,
            "coordinator_id" => input.coordinator_id = value.parse().ok(),
            _ => {}
        }
    }
    input
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let client = records::read_for(
        &state.app,
        &user.caller,
        records::Target::Client(id),
        Permission::StartTrajectory,
        AuditEvent::ClientRead,
    )
    .await?
    .client;
    let input = input_from_pairs(pairs);
    save_or_show(
        records::start_trajectory(&state.app, &user.caller, client.id, &input).await,
        |trajectory_id| format!("/trajectories/{trajectory_id}"),
        async |refused| {
            let errors = refused.errors(user.tr);
            trajectory_form(&state, &user, &client, input, errors, refused.status()).await
        },
    )
    .await
}

/// One of the five phases in the step indicator.
struct Step {
    label: String,
    state: &'static str,
}

/// A button that moves the trajectory one step.
struct Move {
    to: &'static str,
    label: String,
}

struct TimelineEntry {
    when: String,
    who: String,
    what: String,
}

#[derive(Template)]
#[template(path = "trajectory.html")]
struct TrajectoryPage {
    layout: Layout,
    id: i64,
    client_id: i64,
    client_name: String,
    question: String,
    question_types: Vec<String>,
    referral_source: Option<String>,
    start_date: String,
    coordinator: String,
    phase: String,
    steps: Vec<Step>,
    moves: Vec<Move>,
    may_close: bool,
    closure: Option<ClosureView>,
    timeline: Vec<TimelineEntry>,
    matters: Vec<MattersView>,
    matters_kinds: Vec<Choice>,
    matters_text: String,
    /// The caller may write what matters to the client (not everyone who may read it may).
    may_add_matters: bool,
    errors: FormErrors,
}

struct MattersView {
    kind: String,
    text: String,
    meta: String,
}

/// What was typed in the "what matters" form, kept when it comes back with a message.
#[derive(Default)]
struct MattersInput {
    kind: String,
    text: String,
}

/// How the trajectory ended, as its page shows it.
struct ClosureView {
    how: String,
    date: Option<String>,
    summary: String,
    handover: Option<String>,
    care_now: String,
}

fn closure_view(tr: Tr, closure: &regie_domain::Closure) -> ClosureView {
    ClosureView {
        how: super::closure::closure_label(tr, closure),
        date: closure.date.map(crate::format::date),
        summary: closure.summary.clone(),
        handover: match &closure.option {
            ClosureOption::Referred { handover, .. } if !handover.is_empty() => {
                Some(handover.clone())
            }
            _ => None,
        },
        care_now: super::closure::care_now_label(tr, closure),
    }
}

/// Where a record dated `day` but written at `recorded_at` sits on the timeline, and how its
/// time is shown: written on the day itself, at that moment; typed in later, at the start of
/// its day, saying when it was written.
fn dated(
    tr: Tr,
    day: time::Date,
    recorded_at: time::OffsetDateTime,
) -> (time::OffsetDateTime, String) {
    if regie_domain::dutch_time(recorded_at).date() == day {
        return (recorded_at, crate::format::moment(recorded_at));
    }
    (
        regie_domain::start_of_dutch_day(day),
        tr.t_args(
            "timeline-recorded-later",
            &[
                ("date", crate::format::date(day)),
                ("recorded", crate::format::moment(recorded_at)),
            ],
        ),
    )
}

async fn trajectory_page(
    user: &CurrentUser,
    view: records::TrajectoryView,
    matters_input: MattersInput,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let records::TrajectoryView {
        read: opened,
        events,
        notes,
        assessments,
        activity_times,
        users,
    } = view;
    let access = opened.access;
    let client = opened.client;
    let trajectory = opened.trajectory.expect("a trajectory target has one");
    let may_manage = access.may(Permission::ManageTrajectory);
    let name_of = |id: i64| {
        users
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.full_name.clone())
            .unwrap_or_default()
    };
    // Everything that happened, in order: steps, assessments, notes and activity records.
    // Each entry: when it sorts, how its time is shown, who, what.
    let mut happened: Vec<(time::OffsetDateTime, String, i64, String)> = events
        .iter()
        .map(|e| {
            let to = e.to_phase.as_deref().and_then(|p| Phase::parse(p).ok());
            let what = match (e.kind.as_str(), to) {
                ("started", _) => tr.t("timeline-started"),
                ("plan", _) => tr.t_args(
                    "timeline-plan",
                    &[("detail", e.detail.clone().unwrap_or_default())],
                ),
                ("handover", _) => tr.t("timeline-handover"),
                (_, Some(Phase::Afgesloten)) => {
                    let how = e
                        .closure()
                        .map(|c| super::closure::closure_label(tr, &c))
                        .unwrap_or_default();
                    tr.t_args("timeline-closed", &[("how", how)])
                }
                (_, Some(phase)) => tr.t_args("timeline-phase", &[("phase", phase.label(tr))]),
                _ => e.kind.clone(),
            };
            (
                e.occurred_at,
                crate::format::moment(e.occurred_at),
                e.user_id,
                what,
            )
        })
        .collect();
    happened.extend(assessments.iter().map(|a| {
        let what = tr.t_args(
            "timeline-assessment",
            &[
                (
                    "perspective",
                    tr.t(&format!(
                        "perspective-{}",
                        a.perspective.as_str().replace('_', "-")
                    )),
                ),
                ("moment", tr.t(&format!("moment-{}", a.moment.as_str()))),
            ],
        );
        let (at, when) = dated(tr, a.happened_on, a.recorded_at);
        (at, when, a.recorded_by, what)
    }));
    happened.extend(notes.iter().map(|n| {
        (
            n.recorded_at,
            crate::format::moment(n.recorded_at),
            n.recorded_by,
            tr.t_args(
                "timeline-matters",
                &[("kind", label(tr, MattersKind::LABELS, &n.kind))],
            ),
        )
    }));
    happened.extend(activity_times.iter().map(|(day, at, by)| {
        let (at, when) = dated(tr, *day, *at);
        (at, when, *by, tr.t("timeline-activities"))
    }));
    happened.sort_by_key(|(at, _, _, _)| *at);
    let timeline = happened
        .into_iter()
        .map(|(_, when, user_id, what)| TimelineEntry {
            when,
            who: name_of(user_id),
            what,
        })
        .collect();
    let current = Phase::ALL
        .iter()
        .position(|p| *p == trajectory.phase)
        .unwrap_or(0);
    let page = TrajectoryPage {
        layout: user.layout(
            tr.t("trajectory-title"),
            &format!("/trajectories/{}", trajectory.id),
        ),
        id: trajectory.id,
        client_id: client.id,
        client_name: client.name,
        question: trajectory.question.clone(),
        question_types: trajectory
            .question_types
            .iter()
            .map(|q| q.label(tr))
            .collect(),
        referral_source: trajectory.referral_source.clone(),
        start_date: crate::format::date(trajectory.start_date),
        coordinator: name_of(trajectory.coordinator_id),
        phase: trajectory.phase.label(tr),
        steps: Phase::ALL
            .iter()
            .enumerate()
            .map(|(i, p)| Step {
                label: p.label(tr),
                state: if i < current {
                    "done"
                } else if i == current {
                    "current"
                } else {
                    "todo"
                },
            })
            .collect(),
        moves: trajectory
            .phase
            .next_phases()
            .iter()
            .filter(|p| may_manage && **p != Phase::Afgesloten)
            .map(|p| Move {
                to: p.as_str(),
                label: tr.t_args("trajectory-move-to", &[("phase", p.label(tr))]),
            })
            .collect(),
        may_close: may_manage && trajectory.phase.is_active(),
        may_add_matters: access.may(Permission::ChangeClientDetails)
            && trajectory.phase.accepts_changes(),
        closure: trajectory.closure.as_ref().map(|c| closure_view(tr, c)),
        timeline,
        matters: notes
            .iter()
            .map(|n| MattersView {
                kind: label(tr, MattersKind::LABELS, &n.kind),
                text: n.text.clone(),
                meta: format!(
                    "{} · {}",
                    crate::format::moment(n.recorded_at),
                    name_of(n.recorded_by)
                ),
            })
            .collect(),
        matters_kinds: MattersKind::choices(tr, &matters_input.kind),
        matters_text: matters_input.text,
        errors,
    };
    Ok(render(status, &page))
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    let opened = read_trajectory(&state, &user, id).await?;
    trajectory_page(
        &user,
        opened,
        MattersInput::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn read_trajectory(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<records::TrajectoryView, AppError> {
    Ok(records::trajectory_page(&state.app, &user.caller, id).await?)
}

#[derive(serde::Deserialize)]
struct PhaseForm {
    #[serde(default)]
    to: String,
}

async fn change_phase(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Form(form): Form<PhaseForm>,
) -> Result<Response, AppError> {
    save_or_show(
        records::change_phase(&state.app, &user.caller, id, &form.to).await,
        |()| format!("/trajectories/{id}"),
        async |refused| {
            let opened = read_trajectory(&state, &user, id).await?;
            let errors = refused.errors(user.tr);
            let input = MattersInput::default();
            trajectory_page(&user, opened, input, errors, refused.status()).await
        },
    )
    .await
}

#[derive(serde::Deserialize)]
struct MattersForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
}

async fn add_matters(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Form(form): Form<MattersForm>,
) -> Result<Response, AppError> {
    save_or_show(
        records::add_matters_note(&state.app, &user.caller, id, &form.kind, &form.text).await,
        |()| format!("/trajectories/{id}#what-matters"),
        async |refused| {
            let opened = read_trajectory(&state, &user, id).await?;
            let errors = refused.errors(user.tr);
            let input = MattersInput {
                kind: form.kind,
                text: form.text,
            };
            trajectory_page(&user, opened, input, errors, refused.status()).await
        },
    )
    .await
}
