use super::{Pager, page_number, render};
use crate::context::{CurrentUser, Layout, encode_component};
use crate::{AppError, AppState, records};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use regie_domain::audit::AuditEvent;
use regie_storage::{ClientSummary, Team};

const PAGE_SIZE: i64 = 25;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clients", get(list))
        .route("/clients/{id}", get(show))
}

#[derive(Template)]
#[template(path = "clients.html")]
struct ClientsPage {
    layout: Layout,
    query: String,
    clients: Vec<ClientSummary>,
    count_label: String,
    pager: Pager,
}

#[derive(serde::Deserialize)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let page = page_number(query.page.as_deref());
    let q = query.q.trim().chars().take(100).collect::<String>();
    let (clients, total) = records::search_clients(
        &state.db,
        &user.caller,
        &q,
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    .await?;
    let link = |p: i64| format!("/clients?q={}&page={p}", encode_component(&q));
    let page = ClientsPage {
        layout: user.layout(tr.t("clients-title"), "/clients"),
        count_label: tr.t_count("clients-count", "count", total),
        pager: Pager::new(tr, page, PAGE_SIZE, total, link),
        query: q,
        clients,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "client.html")]
struct ClientPage {
    layout: Layout,
    name: String,
    teams: Vec<Team>,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let client = records::open_client(&state.db, &user.caller, id, AuditEvent::ClientRead).await?;
    let mut tx = state.db.begin().await?;
    let teams = tx
        .teams_list()
        .await?
        .into_iter()
        .filter(|t| client.team_ids.contains(&t.id))
        .collect();
    tx.commit().await?;
    let page = ClientPage {
        layout: user.layout(client.name.clone(), &format!("/clients/{id}")),
        name: client.name,
        teams,
    };
    Ok(render(StatusCode::OK, &page))
}
