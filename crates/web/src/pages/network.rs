//! The client's network (seed 003): who helps, whether the client asks them, and carer load.

use super::{Choice, Form, FormErrors, render};
use crate::choice::Choosable;
use crate::context::Id;
use crate::context::{CurrentUser, Layout};
use crate::pages::save_or_show;
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use regie_app::records;
use regie_domain::{Asks, Balance, NetworkMemberInput, NetworkSummary};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clients/{id}/network", get(show).post(add))
        .route("/clients/{id}/network/summary", post(save_summary))
}

struct MemberView {
    name: String,
    relation: String,
    helps_with: String,
    how_often: String,
    contact: String,
    asks: String,
    carer: Option<String>,
    overloaded: bool,
}

#[derive(Template)]
#[template(path = "network.html")]
struct NetworkPage {
    layout: Layout,
    client_id: i64,
    client_name: String,
    /// Whether the caller may change the network; others read it only.
    may_change: bool,
    members: Vec<MemberView>,
    summaries: Vec<Choice>,
    balances: Vec<Choice>,
    asks: Vec<Choice>,
    input: NetworkMemberInput,
    errors: FormErrors,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    client_id: i64,
    input: NetworkMemberInput,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let records::NetworkView {
        read,
        members,
        summary,
        balance,
    } = records::client_network(&state.app, &user.caller, client_id).await?;
    let client = read.client;
    let may_change = read
        .access
        .may(regie_domain::Permission::ChangeClientDetails);
    let page = NetworkPage {
        layout: user.layout(
            tr.t("network-title"),
            &format!("/clients/{client_id}/network"),
        ),
        client_id,
        client_name: client.name,
        may_change,
        members: members
            .iter()
            .map(|m| {
                let m = &m.member;
                MemberView {
                    name: m.name.clone(),
                    relation: m.relation.clone(),
                    helps_with: m.helps_with.clone().unwrap_or_default(),
                    how_often: m.how_often.clone().unwrap_or_default(),
                    contact: m.contact.clone().unwrap_or_default(),
                    asks: m.asks.label(tr),
                    carer: m.carer.map(|(load, capacity)| {
                        tr.t_args(
                            "network-carer-scores",
                            &[
                                ("load", load.to_string()),
                                ("capacity", capacity.to_string()),
                            ],
                        )
                    }),
                    overloaded: m.overloaded(),
                }
            })
            .collect(),
        summaries: NetworkSummary::choices(tr, summary.map_or("", NetworkSummary::as_str)),
        balances: Balance::choices(tr, balance.map_or("", Balance::as_str)),
        asks: Asks::choices(tr, &input.asks),
        input,
        errors,
    };
    Ok(render(status, &page))
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    let input = NetworkMemberInput {
        asks: "asks".into(),
        ..Default::default()
    };
    page(
        &state,
        &user,
        id,
        input,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(serde::Deserialize)]
struct MemberForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    relation: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    helps_with: String,
    #[serde(default)]
    how_often: String,
    #[serde(default)]
    asks: String,
    #[serde(default)]
    is_carer: Option<String>,
    #[serde(default)]
    load: String,
    #[serde(default)]
    capacity: String,
}

async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Form(form): Form<MemberForm>,
) -> Result<Response, AppError> {
    let input = NetworkMemberInput {
        name: form.name,
        relation: form.relation,
        contact: form.contact,
        helps_with: form.helps_with,
        how_often: form.how_often,
        asks: form.asks,
        is_carer: form.is_carer.is_some(),
        load: form.load,
        capacity: form.capacity,
    };
    save_or_show(
        records::add_network_member(&state.app, &user.caller, id, &input).await,
        |_| format!("/clients/{id}/network"),
        async |refused| {
            let errors = refused.errors(user.tr);
            page(&state, &user, id, input, errors, refused.status()).await
        },
    )
    .await
}

#[derive(serde::Deserialize)]
struct SummaryForm {
    #[serde(default)]
    summary: String,
    #[serde(default)]
    balance: String,
}

async fn save_summary(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Form(form): Form<SummaryForm>,
) -> Result<Response, AppError> {
    records::set_network_summary(&state.app, &user.caller, id, &form.summary, &form.balance)
        .await?;
    Ok(Redirect::to(&format!("/clients/{id}/network")).into_response())
}
