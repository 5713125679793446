use super::{Choice, FormErrors, Pager, PairsForm, page_number, render, team_ids};
use crate::context::path_id;
use crate::context::{CurrentUser, Layout, encode_component};
use crate::i18n::Tr;
use crate::{AppError, AppState, records};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use regie_domain::audit::AuditEvent;
use regie_domain::{Bsn, ClientInput, LivingSituation};
use regie_storage::{Client, ClientSummary, Team};
use time::OffsetDateTime;
use time::macros::format_description;

const PAGE_SIZE: i64 = 25;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clients", get(list).post(create))
        .route("/clients/new", get(new_client))
        .route("/clients/{id}", get(show))
        .route("/clients/{id}/edit", get(edit).post(update))
}

#[derive(Template)]
#[template(path = "clients.html")]
struct ClientsPage {
    layout: Layout,
    query: String,
    clients: Vec<ClientSummary>,
    count_label: String,
    pager: Pager,
    may_register: bool,
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
        may_register: !user.caller.actor.team_ids.is_empty(),
        query: q,
        clients,
    };
    Ok(render(StatusCode::OK, &page))
}

/// A label and a value on the client page.
struct Detail {
    label: String,
    value: String,
}

#[derive(Template)]
#[template(path = "client.html")]
struct ClientPage {
    layout: Layout,
    id: i64,
    name: String,
    teams: Vec<Team>,
    details: Vec<Detail>,
    trajectories: Vec<TrajectoryLink>,
    has_active: bool,
    /// The agreements of the open trajectory's plan: the first thing on the page.
    agreements: Vec<super::plan::AgreementView>,
    plan_id: i64,
    may_edit_agreements: bool,
    /// From the visits of the open trajectory: the team's signals and the client's successes.
    signals: Vec<String>,
    successes: Vec<(String, String)>,
}

struct TrajectoryLink {
    id: i64,
    label: String,
}

fn living_label(tr: Tr, value: &str) -> String {
    tr.t(&format!("living-{}", value.replace('_', "-")))
}

/// The client's details as shown: the BSN masked, the age next to the birth date.
fn details(tr: Tr, client: &Client, today: time::Date) -> Vec<Detail> {
    let mut rows = Vec::new();
    let mut add = |key: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            rows.push(Detail {
                label: tr.t(key),
                value,
            });
        }
    };
    add(
        "client-date-of-birth",
        client.date_of_birth.map(|d| {
            let mut age = today.year() - d.year();
            if (today.month() as u8, today.day()) < (d.month() as u8, d.day()) {
                age -= 1;
            }
            let date = d
                .format(format_description!("[day]-[month]-[year]"))
                .unwrap_or_default();
            tr.t_args("client-age", &[("date", date), ("age", age.to_string())])
        }),
    );
    let address = match (
        &client.street,
        &client.house_number,
        &client.postcode,
        &client.city,
    ) {
        (Some(street), Some(number), Some(postcode), Some(city)) => {
            Some(format!("{street} {number}, {postcode} {city}"))
        }
        _ => None,
    };
    add("client-address", address);
    add("client-phone", client.phone.clone());
    add("client-email", client.email.clone());
    add(
        "client-living-situation",
        client
            .living_situation
            .as_deref()
            .map(|v| living_label(tr, v)),
    );
    add(
        "client-bsn",
        client
            .bsn
            .as_deref()
            .and_then(|b| Bsn::parse(b).ok())
            .map(|b| b.masked()),
    );
    add("client-referrer", client.referrer.clone());
    rows
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let client = records::open_client(&state.db, &user.caller, id, AuditEvent::ClientRead).await?;
    let mut tx = state.db.begin().await?;
    let teams = tx
        .teams_list()
        .await?
        .into_iter()
        .filter(|t| client.team_ids.contains(&t.id))
        .collect();
    let trajectories = tx.trajectories_for_client(id).await?;
    tx.commit().await?;
    let tr = user.tr;
    let open = trajectories.iter().find(|t| t.phase.is_active());
    let (plan_id, agreements) = match open {
        Some(t) => {
            let ctx = crate::records::plan::open_plan(
                &state.db,
                &user.caller,
                t.id,
                None,
                AuditEvent::ClientRead,
            )
            .await?;
            let plan = ctx.plan();
            let views = plan
                .agreements
                .iter()
                .map(|a| super::plan::agreement_view(tr, &ctx, a))
                .collect();
            (t.id, views)
        }
        None => (0, Vec::new()),
    };
    let (signals, successes) = match open.filter(|t| t.phase == regie_domain::Phase::Uitvoering) {
        Some(t) => {
            let view = crate::records::visits::open_visits(&state.db, &user.caller, t.id).await?;
            let activities = crate::records::daily_activity_instrument(&state.db).await?;
            let name = |key: &str| super::item_name(&activities, tr.lang, key);
            (
                view.signals
                    .iter()
                    .map(|s| super::visits::signal_text(tr, &name(&s.activity), s, None))
                    .collect(),
                view.visits
                    .iter()
                    .filter(|v| v.error_reason.is_none())
                    .filter_map(|v| {
                        Some((
                            super::trajectories::format_date(v.content.date),
                            v.content.success.clone()?,
                        ))
                    })
                    .take(5)
                    .collect(),
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    let page = ClientPage {
        signals,
        successes,
        agreements,
        plan_id,
        may_edit_agreements: open.is_some(),
        has_active: trajectories.iter().any(|t| t.phase.is_active()),
        trajectories: trajectories
            .iter()
            .map(|t| TrajectoryLink {
                id: t.id,
                label: tr.t_args(
                    "client-trajectory-link",
                    &[
                        (
                            "start",
                            t.start_date
                                .format(format_description!("[day]-[month]-[year]"))
                                .unwrap_or_default(),
                        ),
                        ("phase", super::trajectories::phase_label(tr, t.phase)),
                    ],
                ),
            })
            .collect(),
        layout: user.layout(client.name.clone(), &format!("/clients/{id}")),
        details: details(user.tr, &client, OffsetDateTime::now_utc().date()),
        id,
        name: client.name,
        teams,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "client_form.html")]
struct ClientFormPage {
    layout: Layout,
    /// `None` while registering a new client.
    id: Option<i64>,
    /// Explains the BSN field; when editing, that an empty field keeps the number on record.
    bsn_hint: String,
    input: ClientInput,
    living: Vec<Choice>,
    teams: Vec<Choice>,
    errors: FormErrors,
}

/// Renders the client form with the caller's teams (and any team already serving the client).
async fn client_form(
    state: &AppState,
    user: &CurrentUser,
    existing: Option<&Client>,
    input: ClientInput,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let mut tx = state.db.begin().await?;
    let all_teams = tx.teams_list().await?;
    tx.commit().await?;
    let serving = existing.map(|c| c.team_ids.clone()).unwrap_or_default();
    let teams = all_teams
        .into_iter()
        .filter(|t| user.caller.actor.team_ids.contains(&t.id) || serving.contains(&t.id))
        .map(|t| Choice {
            value: t.id.to_string(),
            label: t.name,
            selected: input.team_ids.contains(&t.id),
        })
        .collect();
    let living = LivingSituation::ALL
        .iter()
        .map(|l| Choice {
            value: l.as_str().into(),
            label: living_label(tr, l.as_str()),
            selected: input.living_situation == l.as_str(),
        })
        .collect();
    let (title, path) = match existing {
        Some(c) => (tr.t("client-edit-title"), format!("/clients/{}/edit", c.id)),
        None => (tr.t("client-new-title"), "/clients/new".to_string()),
    };
    let page = ClientFormPage {
        layout: user.layout(title, &path),
        id: existing.map(|c| c.id),
        bsn_hint: match existing
            .and_then(|c| c.bsn.as_deref())
            .and_then(|b| Bsn::parse(b).ok())
        {
            Some(bsn) => tr.t_args("client-bsn-keep", &[("masked", bsn.masked())]),
            None => tr.t("client-bsn-hint"),
        },
        input,
        living,
        teams,
        errors,
    };
    Ok(render(status, &page))
}

async fn new_client(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    if user.caller.actor.team_ids.is_empty() {
        return Err(AppError::Forbidden);
    }
    // With one team, it is the obvious choice.
    let team_ids = if user.caller.actor.team_ids.len() == 1 {
        user.caller.actor.team_ids.clone()
    } else {
        Vec::new()
    };
    let input = ClientInput {
        living_situation: "alone".into(),
        team_ids,
        ..Default::default()
    };
    client_form(
        &state,
        &user,
        None,
        input,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

fn input_from_pairs(pairs: Vec<(String, String)>) -> ClientInput {
    let mut input = ClientInput::default();
    let mut teams = Vec::new();
    for (key, value) in pairs {
        let field = match key.as_str() {
            "name" => &mut input.name,
            "date_of_birth" => &mut input.date_of_birth,
            "phone" => &mut input.phone,
            "email" => &mut input.email,
            "street" => &mut input.street,
            "house_number" => &mut input.house_number,
            "postcode" => &mut input.postcode,
            "city" => &mut input.city,
            "bsn" => &mut input.bsn,
            "living_situation" => &mut input.living_situation,
            "referrer" => &mut input.referrer,
            "team" => {
                teams.push(value);
                continue;
            }
            _ => continue,
        };
        *field = value;
    }
    input.team_ids = team_ids(&teams);
    input
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let input = input_from_pairs(pairs);
    let today = OffsetDateTime::now_utc().date();
    let result = match input.validate(today) {
        Ok(details) => records::create_client(&state.db, &user.caller, &details).await,
        Err(problems) => Err(AppError::Invalid(problems)),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/clients/{id}")).into_response()),
        Err(AppError::Invalid(problems)) => {
            let errors = FormErrors::from_fields(user.tr, &problems);
            client_form(
                &state,
                &user,
                None,
                input,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other),
    }
}

fn input_from_client(client: &Client) -> ClientInput {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    ClientInput {
        name: client.name.clone(),
        date_of_birth: client
            .date_of_birth
            .and_then(|d| d.format(format_description!("[year]-[month]-[day]")).ok())
            .unwrap_or_default(),
        phone: text(&client.phone),
        email: text(&client.email),
        street: text(&client.street),
        house_number: text(&client.house_number),
        postcode: text(&client.postcode),
        city: text(&client.city),
        // The number is not put back on the page; an empty field keeps it.
        bsn: String::new(),
        living_situation: text(&client.living_situation),
        referrer: text(&client.referrer),
        team_ids: client.team_ids.clone(),
    }
}

async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let client = records::open_client(&state.db, &user.caller, id, AuditEvent::ClientRead).await?;
    client_form(
        &state,
        &user,
        Some(&client),
        input_from_client(&client),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let id = path_id(&id)?;
    let client = records::open_client(&state.db, &user.caller, id, AuditEvent::ClientRead).await?;
    let input = input_from_pairs(pairs);
    let mut checked = input.clone();
    if checked.bsn.trim().is_empty() {
        checked.bsn = client.bsn.clone().unwrap_or_default();
    }
    let result = match checked.validate(OffsetDateTime::now_utc().date()) {
        Ok(details) => records::update_client(&state.db, &user.caller, id, &details).await,
        Err(problems) => Err(AppError::Invalid(problems)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/clients/{id}")).into_response()),
        Err(AppError::Invalid(problems)) => {
            let errors = FormErrors::from_fields(user.tr, &problems);
            client_form(
                &state,
                &user,
                Some(&client),
                input,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other),
    }
}
