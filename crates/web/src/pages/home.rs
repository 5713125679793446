use super::render;
use crate::context::{CurrentUser, Layout};
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use regie_domain::Role;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    organisation: Option<String>,
    greeting: String,
    role_hint: String,
    may: regie_domain::Capabilities,
    /// The coordinator's evaluations due this week, overdue ones flagged.
    evaluations_due: Vec<DueLine>,
}

struct DueLine {
    trajectory_id: i64,
    client_name: String,
    due_on: String,
    overdue: bool,
}

async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    let tr = user.tr;
    let role = user.caller.user.role;
    let hint_key = match role {
        Role::Analyst => "home-hint-analyst",
        Role::Admin => "home-hint-admin",
        Role::TeamLead => "home-hint-team-lead",
        Role::Professional => "home-hint-professional",
    };
    let organisation = regie_app::catalogue::organisation_name(&state.app).await?;
    let evaluations_due = if role == Role::Professional {
        regie_app::records::evaluation::evaluations_due(&state.app, &user.caller)
            .await?
            .into_iter()
            .map(|d| DueLine {
                trajectory_id: d.trajectory_id,
                client_name: d.client_name,
                due_on: crate::format::date(d.due_on),
                overdue: d.overdue,
            })
            .collect()
    } else {
        Vec::new()
    };
    let page = HomePage {
        organisation,
        greeting: tr.t_args(
            "home-greeting",
            &[("name", user.caller.user.full_name.clone())],
        ),
        role_hint: tr.t(hint_key),
        may: regie_domain::Capabilities::of(&user.caller.actor),
        evaluations_due,
        layout: user.layout(tr.t("home-title"), "/"),
    };
    Ok(render(StatusCode::OK, &page))
}
