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
    let page = HomePage {
        organisation,
        greeting: tr.t_args(
            "home-greeting",
            &[("name", user.caller.user.full_name.clone())],
        ),
        role_hint: tr.t(hint_key),
        may: regie_domain::Capabilities::of(&user.caller.actor),
        layout: user.layout(tr.t("home-title"), "/"),
    };
    Ok(render(StatusCode::OK, &page))
}
