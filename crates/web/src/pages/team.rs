//! The core team of a trajectory: the client, the network member they chose, the professionals
//! with their discipline, and the one coordinator (hand-over recorded).

use super::{Again, save_or_show};
use super::{Choice, Form, FormErrors, render};
use crate::choice::Choosable;
use crate::context::{CurrentUser, Id, Layout};
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use regie_app::records::BasedOn;
use regie_app::records::plan::{self as plans, TeamRequest};
use regie_domain::{AuditEvent, Discipline, Permission};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/trajectories/{id}/team", get(show).post(add))
        .route("/trajectories/{id}/team/remove", post(remove))
        .route("/trajectories/{id}/team/handover", post(hand_over))
        .route("/trajectories/{id}/team/network", post(network_member))
}

struct MemberView {
    user_id: Option<i64>,
    name: String,
    role: String,
    contact: String,
    coordinator: bool,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    layout: Layout,
    id: i64,
    client_name: String,
    members: Vec<MemberView>,
    candidates: Vec<Choice>,
    disciplines: Vec<Choice>,
    handover_to: Vec<Choice>,
    network: Vec<Choice>,
    handovers: Vec<String>,
    /// The coordinator (or a team lead of a serving team) may change the team.
    editable: bool,
    /// The team version the forms on this page are based on.
    based_on: i64,
    form: AddForm,
    errors: FormErrors,
}

#[derive(serde::Deserialize, Default)]
struct AddForm {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    discipline: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    based_on: String,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    form: AddForm,
    again: Again,
    based_on: Option<i64>,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let ctx = plans::open_plan(&state.app, &user.caller, id, None, AuditEvent::ClientRead).await?;
    let candidates = plans::team_candidates(&state.app).await?;
    let discipline = |d: Discipline| d.label(tr);
    let mut members = vec![MemberView {
        user_id: None,
        name: ctx.client.name.clone(),
        role: tr.t("team-role-client"),
        contact: ctx.client.phone.clone().unwrap_or_default(),
        coordinator: false,
    }];
    members.extend(ctx.team.iter().map(|m| MemberView {
        user_id: m.user_id,
        name: m.name.clone(),
        role: match m.user_id {
            Some(_) => m.discipline.map(discipline).unwrap_or_default(),
            None => tr.t("team-role-network"),
        },
        contact: m.contact.clone().unwrap_or_default(),
        coordinator: m.user_id == Some(ctx.trajectory.coordinator_id),
    }));
    let chosen_network = ctx.team.iter().find_map(|m| m.network_member_id);
    let page = TeamPage {
        layout: user.layout(tr.t("team-title"), &format!("/trajectories/{id}/team")),
        id,
        client_name: ctx.client.name.clone(),
        candidates: candidates
            .iter()
            .filter(|u| !ctx.team.iter().any(|m| m.user_id == Some(u.id)))
            .map(|u| Choice {
                value: u.id.to_string(),
                label: format!("{} ({})", u.full_name, discipline(u.discipline)),
                selected: form.user_id == u.id.to_string(),
            })
            .collect(),
        disciplines: Discipline::choices(tr, &form.discipline),
        handover_to: ctx
            .team
            .iter()
            .filter_map(|m| {
                let uid = m.user_id?;
                (uid != ctx.trajectory.coordinator_id).then(|| Choice {
                    value: uid.to_string(),
                    label: m.name.clone(),
                    selected: false,
                })
            })
            .collect(),
        network: ctx
            .network
            .iter()
            .map(|m| Choice {
                value: m.id.to_string(),
                label: format!("{} ({})", m.member.name, m.member.relation),
                selected: chosen_network == Some(m.id),
            })
            .collect(),
        handovers: ctx
            .handovers
            .iter()
            .map(|h| {
                tr.t_args(
                    "team-handover-line",
                    &[
                        ("from", h.from_name.clone()),
                        ("to", h.to_name.clone()),
                        ("date", crate::format::day_of(h.created_at)),
                        ("reason", h.reason.clone().unwrap_or_default()),
                    ],
                )
            })
            .collect(),
        editable: ctx.trajectory.phase.accepts_changes()
            && ctx.access.may(Permission::ManageTrajectory),
        based_on: again
            .newest
            .or(based_on)
            .unwrap_or(ctx.trajectory.team_version),
        members,
        form,
        errors: again.errors,
    };
    Ok(render(again.status, &page))
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    page(&state, &user, id, AddForm::default(), Again::fresh(), None).await
}

/// The team version a form was based on, as it sent it.
fn form_version(raw: &str) -> BasedOn {
    BasedOn::from_form(Some(raw))
}

/// Back to the team page, or the page with the message next to the form that was refused
/// (bad input, or someone changed the team meanwhile: then with what they changed).
async fn answer(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    result: Result<(), regie_app::Error>,
    form: AddForm,
) -> Result<Response, AppError> {
    save_or_show(
        result,
        |()| format!("/trajectories/{id}/team"),
        async |refused| {
            let based_on = form.based_on.trim().parse().ok();
            let again = Again::after(user.tr, &refused);
            page(state, user, id, form, again, based_on).await
        },
    )
    .await
}

async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Form(form): Form<AddForm>,
) -> Result<Response, AppError> {
    let request = TeamRequest::Add {
        user_id: &form.user_id,
        discipline: &form.discipline,
        contact: &form.contact,
    };
    let based_on = form_version(&form.based_on);
    let result = plans::change_team(&state.app, &user.caller, id, request, based_on).await;
    answer(&state, &user, id, result, form).await
}

#[derive(serde::Deserialize)]
struct RemoveForm {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    based_on: String,
}

async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Form(form): Form<RemoveForm>,
) -> Result<Response, AppError> {
    let request = TeamRequest::Remove {
        user_id: &form.user_id,
    };
    let based_on = form_version(&form.based_on);
    let result = plans::change_team(&state.app, &user.caller, id, request, based_on).await;
    answer(&state, &user, id, result, kept(&form.based_on)).await
}

#[derive(serde::Deserialize)]
struct HandOverForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    based_on: String,
}

async fn hand_over(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Form(form): Form<HandOverForm>,
) -> Result<Response, AppError> {
    let request = TeamRequest::HandOver {
        to: &form.to,
        reason: &form.reason,
    };
    let based_on = form_version(&form.based_on);
    let result = plans::change_team(&state.app, &user.caller, id, request, based_on).await;
    answer(&state, &user, id, result, kept(&form.based_on)).await
}

#[derive(serde::Deserialize)]
struct NetworkForm {
    #[serde(default)]
    member: String,
    #[serde(default)]
    based_on: String,
}

async fn network_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Form(form): Form<NetworkForm>,
) -> Result<Response, AppError> {
    let request = TeamRequest::NetworkMember {
        member: &form.member,
    };
    let based_on = form_version(&form.based_on);
    let result = plans::change_team(&state.app, &user.caller, id, request, based_on).await;
    answer(&state, &user, id, result, kept(&form.based_on)).await
}

/// An empty add form that keeps the version another form on the page was based on.
fn kept(based_on: &str) -> AddForm {
    AddForm {
        based_on: based_on.to_string(),
        ..AddForm::default()
    }
}
