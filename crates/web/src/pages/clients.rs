use super::{Choice, Form, FormErrors, Pager, PairsForm, page_number, render, team_ids};
use super::{Refused, save_or_show};
use crate::choice::Choosable;
use crate::context::{CurrentUser, Id, Layout, encode_component, local_path};
use crate::i18n::Tr;
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use regie_app::records;
use regie_app::records::{BasedOn, Target};
use regie_domain::Client;
use regie_domain::audit::AuditEvent;
use regie_domain::{Bsn, Capabilities, ClientInput, LivingSituation, Permission};
use regie_storage::{ClientSummary, Team};

const PAGE_SIZE: i64 = 25;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clients", get(list).post(create))
        .route("/clients/new", get(new_client))
        .route("/clients/{id}", get(show))
        .route("/clients/{id}/edit", get(edit).post(update))
        .route("/clients/{id}/teams", get(teams_page).post(save_teams))
        .route("/clients/{id}/access-reason", post(state_reason))
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
        &state.app,
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
        may_register: Capabilities::of(&user.caller.actor).register_clients,
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
    /// What the caller may do here, by the domain's rules.
    may_edit_details: bool,
    may_change_teams: bool,
    may_start_trajectory: bool,
    may_record_visit: bool,
    /// The caller opened this record with a stated reason: until when.
    opened_with_reason_until: Option<String>,
    /// Who opened this record with a stated reason, when and why.
    stated_reasons: Vec<String>,
}

struct TrajectoryLink {
    id: i64,
    label: String,
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
            let date = crate::format::date(d);
            tr.t_args("client-age", &[("date", date), ("age", age.to_string())])
        }),
    );
    let address = client.address.as_ref().map(|a| {
        format!(
            "{} {}, {} {}",
            a.street,
            a.house_number,
            a.postcode.as_str(),
            a.city
        )
    });
    add("client-address", address);
    add("client-phone", client.phone.clone());
    add("client-email", client.email.clone());
    add(
        "client-living-situation",
        client.living_situation.map(|v| v.label(tr)),
    );
    add("client-bsn", client.bsn.as_ref().map(Bsn::masked));
    add("client-referrer", client.referrer.clone());
    rows
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    let records::ClientView {
        read,
        teams,
        trajectories,
        stated_reasons: reasons,
        plan,
        visits,
    } = records::client_page(&state.app, &user.caller, id).await?;
    let (client, access) = (read.client, read.access);
    let tr = user.tr;
    let now = state.app.now();
    let opened_with_reason_until = access
        .relation
        .stated_reason
        .then(|| {
            reasons
                .iter()
                .filter(|r| r.user_id == user.caller.user.id && r.valid_until > now)
                .map(|r| r.valid_until)
                .max()
        })
        .flatten()
        .map(|until| {
            tr.t_args(
                "client-opened-with-reason",
                &[("until", crate::format::moment(until))],
            )
        });
    let stated_reasons = reasons
        .iter()
        .map(|r| {
            tr.t_args(
                "client-stated-reason-line",
                &[
                    ("who", r.user_name.clone()),
                    ("when", crate::format::moment(r.stated_at)),
                    ("reason", r.reason.clone()),
                ],
            )
        })
        .collect();
    let open = trajectories.iter().find(|t| t.phase.is_active());
    let (plan_id, agreements) = match (open, &plan) {
        (Some(t), Some(ctx)) => {
            let views = ctx
                .plan()
                .agreements
                .iter()
                .map(|a| super::plan::agreement_view(tr, ctx, a))
                .collect();
            (t.id, views)
        }
        _ => (0, Vec::new()),
    };
    let (signals, successes) = match (&visits, &plan) {
        (Some(view), Some(ctx)) => {
            let name = |key: &str| super::item_name(&ctx.activities, tr.lang, key);
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
                            crate::format::date(v.content.date),
                            v.content.success.clone()?,
                        ))
                    })
                    .take(5)
                    .collect(),
            )
        }
        _ => (Vec::new(), Vec::new()),
    };
    let page = ClientPage {
        signals,
        successes,
        agreements,
        plan_id,
        may_edit_agreements: open.is_some() && access.may(Permission::ChangePlan),
        may_edit_details: access.may(Permission::ChangeClientDetails),
        may_change_teams: access.may(Permission::ChangeServingTeams),
        may_start_trajectory: access.may(Permission::StartTrajectory),
        may_record_visit: open.is_some_and(|t| t.phase == regie_domain::Phase::Uitvoering)
            && access.may(Permission::RecordVisit),
        opened_with_reason_until,
        stated_reasons,
        has_active: trajectories.iter().any(|t| t.phase.is_active()),
        trajectories: trajectories
            .iter()
            .map(|t| TrajectoryLink {
                id: t.id,
                label: tr.t_args(
                    "client-trajectory-link",
                    &[
                        ("start", crate::format::date(t.start_date)),
                        ("phase", t.phase.label(tr)),
                    ],
                ),
            })
            .collect(),
        layout: user.layout(client.name.clone(), &format!("/clients/{id}")),
        details: details(user.tr, &client, state.app.today()),
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
    /// Registering only: the caller's teams to choose from. Changing the teams of a client is
    /// a separate action, reserved for the coordinator or a team lead.
    teams: Vec<Choice>,
    /// Editing only: the version of the record the form shows.
    version: i64,
    errors: FormErrors,
}

/// Renders the client form: for a new client with the caller's teams to choose from; for an
/// existing one with the version it shows (`based_on`, else the stored one).
async fn client_form(
    state: &AppState,
    user: &CurrentUser,
    existing: Option<(&Client, i64)>,
    input: ClientInput,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let teams = match existing {
        Some(_) => Vec::new(),
        None => regie_app::admin::teams(&state.app)
            .await?
            .into_iter()
            .filter(|t| t.active && user.caller.actor.team_ids.contains(&t.id))
            .map(|t| Choice {
                value: t.id.to_string(),
                label: t.name,
                selected: input.team_ids.contains(&t.id),
            })
            .collect(),
    };
    let living = LivingSituation::choices(tr, &input.living_situation);
    let (title, path) = match existing {
        Some((c, _)) => (tr.t("client-edit-title"), format!("/clients/{}/edit", c.id)),
        None => (tr.t("client-new-title"), "/clients/new".to_string()),
    };
    let page = ClientFormPage {
        layout: user.layout(title, &path),
        id: existing.map(|(c, _)| c.id),
        version: existing.map_or(0, |(_, version)| version),
        bsn_hint: match existing.and_then(|(c, _)| c.bsn.as_ref()) {
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
    if !Capabilities::of(&user.caller.actor).register_clients {
        return Err(
            records::refuse_page(&state.app, &user.caller, "/clients/new")
                .await
                .into(),
        );
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
    save_or_show(
        records::create_client(&state.app, &user.caller, &input).await,
        |id| format!("/clients/{id}"),
        async |refused| {
            let errors = refused.errors(user.tr);
            client_form(&state, &user, None, input, errors, refused.status()).await
        },
    )
    .await
}

/// The record as the edit form shows it: the BSN is never put back on the page (an empty
/// field keeps it).
fn input_from_client(client: &Client) -> ClientInput {
    ClientInput {
        bsn: String::new(),
        ..client.as_input()
    }
}

async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    let client = records::read_for(
        &state.app,
        &user.caller,
        Target::Client(id),
        Permission::ChangeClientDetails,
        AuditEvent::ClientRead,
    )
    .await?
    .client;
    client_form(
        &state,
        &user,
        Some((&client, client.version)),
        input_from_client(&client),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The version a form shown again is based on: the newest after a refused overwrite, else
/// the one it was sent with.
fn shown_version(refused: &Refused, based_on: BasedOn, client: &Client) -> i64 {
    match (refused.newest(), based_on) {
        (Some(newest), _) => newest,
        (None, BasedOn::Form(v) | BasedOn::IfMatch(v)) => v,
        (None, BasedOn::Unknown | BasedOn::Missing) => client.version,
    }
}

/// The version a form was based on, as it sent it.
fn form_version(pairs: &[(String, String)]) -> BasedOn {
    BasedOn::from_form(
        pairs
            .iter()
            .find(|(key, _)| key == "version")
            .map(|(_, value)| value.as_str()),
    )
}

async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let based_on = form_version(&pairs);
    let input = input_from_pairs(pairs);
    save_or_show(
        records::update_client(&state.app, &user.caller, id, &input, based_on).await,
        |_| format!("/clients/{id}"),
        async |refused| {
            let client =
                records::open_client(&state.app, &user.caller, id, AuditEvent::ClientRead).await?;
            let version = shown_version(&refused, based_on, &client);
            let errors = refused.errors(user.tr);
            let shown = Some((&client, version));
            client_form(&state, &user, shown, input, errors, refused.status()).await
        },
    )
    .await
}

// ---------------------------------------------------------------- serving teams

#[derive(Template)]
#[template(path = "client_teams.html")]
struct TeamsPage {
    layout: Layout,
    id: i64,
    name: String,
    teams: Vec<Choice>,
    version: i64,
    errors: FormErrors,
}

/// The form to change which teams serve a client: every active team (and any serving one).
async fn teams_form(
    state: &AppState,
    user: &CurrentUser,
    client: &Client,
    chosen: &[i64],
    version: i64,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let all = regie_app::admin::teams(&state.app).await?;
    let page = TeamsPage {
        layout: user.layout(
            tr.t("client-teams-title"),
            &format!("/clients/{}/teams", client.id),
        ),
        id: client.id,
        name: client.name.clone(),
        teams: all
            .into_iter()
            .filter(|t| t.active || client.team_ids.contains(&t.id))
            .map(|t| Choice {
                value: t.id.to_string(),
                selected: chosen.contains(&t.id),
                label: t.name,
            })
            .collect(),
        version,
        errors,
    };
    Ok(render(status, &page))
}

async fn teams_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    let client = records::read_for(
        &state.app,
        &user.caller,
        Target::Client(id),
        Permission::ChangeServingTeams,
        AuditEvent::ClientRead,
    )
    .await?
    .client;
    let chosen = client.team_ids.clone();
    let version = client.version;
    teams_form(
        &state,
        &user,
        &client,
        &chosen,
        version,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn save_teams(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let based_on = form_version(&pairs);
    let chosen: Vec<String> = pairs
        .iter()
        .filter(|(key, _)| key == "team")
        .map(|(_, value)| value.clone())
        .collect();
    // Checkboxes are sent once each; anything else was not sent by this form.
    let chosen: Vec<i64> = chosen.iter().filter_map(|v| v.parse().ok()).collect();
    save_or_show(
        records::change_serving_teams(&state.app, &user.caller, id, &chosen, based_on).await,
        |_| format!("/clients/{id}"),
        async |refused| {
            // Shown again to whoever may change the teams (a team lead need not read the
            // record).
            let client = records::read_for(
                &state.app,
                &user.caller,
                Target::Client(id),
                Permission::ChangeServingTeams,
                AuditEvent::ClientRead,
            )
            .await?
            .client;
            let version = shown_version(&refused, based_on, &client);
            let errors = refused.errors(user.tr);
            teams_form(
                &state,
                &user,
                &client,
                &chosen,
                version,
                errors,
                refused.status(),
            )
            .await
        },
    )
    .await
}

// ---------------------------------------------------------------- break the glass

#[derive(Template)]
#[template(path = "reason.html")]
struct ReasonPage {
    layout: Layout,
    reason_client: i64,
    reason_next: String,
    reason_text: String,
    reason_error: Option<String>,
}

#[derive(serde::Deserialize)]
struct ReasonForm {
    #[serde(default)]
    reason: String,
    next: Option<String>,
}

/// A team lead states why they open a record; it then opens for a working day.
async fn state_reason(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Form(form): Form<ReasonForm>,
) -> Result<Response, AppError> {
    let fallback = format!("/clients/{id}");
    let next = match local_path(form.next.as_deref()) {
        "/" => fallback.as_str(),
        other => other,
    };
    save_or_show(
        records::state_reason(&state.app, &user.caller, id, &form.reason).await,
        |()| next.to_string(),
        async |refused| {
            let tr = user.tr;
            let page = ReasonPage {
                layout: user.layout(tr.t("reason-title"), next),
                reason_client: id,
                reason_next: next.to_string(),
                reason_text: form.reason,
                reason_error: refused.errors(tr).get("reason").cloned(),
            };
            Ok(render(refused.status(), &page))
        },
    )
    .await
}
