use super::render;
use crate::AppState;
use crate::context::{CurrentUser, Layout};
use askama::Template;
use axum::Router;
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
    greeting: String,
    role_hint: String,
    sees_clients: bool,
    is_admin: bool,
}

async fn home(user: CurrentUser) -> Response {
    let tr = user.tr;
    let role = user.caller.user.role;
    let hint_key = match role {
        Role::Analyst => "home-hint-analyst",
        Role::Admin => "home-hint-admin",
        Role::TeamLead => "home-hint-team-lead",
        Role::Professional => "home-hint-professional",
    };
    let page = HomePage {
        greeting: tr.t_args(
            "home-greeting",
            &[("name", user.caller.user.full_name.clone())],
        ),
        role_hint: tr.t(hint_key),
        sees_clients: role != Role::Analyst,
        is_admin: role == Role::Admin,
        layout: user.layout(tr.t("home-title"), "/"),
    };
    render(StatusCode::OK, &page)
}
