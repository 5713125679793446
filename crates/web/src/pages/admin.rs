//! Managing teams and users. Nothing that history refers to is ever deleted: teams and users
//! are deactivated, and can be reactivated.

use super::{Choice, Form, FormErrors, PairsForm, render, save_or_show, team_ids};
use crate::choice::Choosable;
use crate::context::Id;
use crate::context::{AdminUser, Layout};
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use regie_app::admin as setup;

use regie_domain::validation::collect;
use regie_domain::{Discipline, NewPassword, PersonName, Role, Username};
use regie_storage::{Team, User};

use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/teams", get(teams).post(create_team))
        .route("/admin/teams/{id}", get(edit_team).post(update_team))
        .route("/admin/organisation", post(update_organisation))
        .route("/admin/users", get(users))
        .route("/admin/users/new", get(new_user).post(create_user))
        .route("/admin/users/{id}", get(edit_user).post(update_user))
        .route("/admin/users/{id}/active", post(set_user_active))
        .route("/admin/users/{id}/password", post(set_password))
}

// ---- teams ----

#[derive(Template)]
#[template(path = "admin/teams.html")]
struct TeamsPage {
    layout: Layout,
    organisation: String,
    teams: Vec<TeamRow>,
    name: String,
    errors: FormErrors,
}

struct TeamRow {
    team: Team,
    members: i64,
}

async fn teams_page(
    state: &AppState,
    admin: &AdminUser,
    name: String,
    organisation_input: Option<String>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = admin.0.tr;
    let overview = setup::teams_overview(&state.app).await?;
    let teams = overview
        .teams
        .into_iter()
        .map(|(team, members)| TeamRow { team, members })
        .collect();
    let organisation = organisation_input.unwrap_or(overview.organisation);
    let page = TeamsPage {
        layout: admin.0.layout(tr.t("admin-teams-title"), "/admin/teams"),
        organisation,
        teams,
        name,
        errors,
    };
    Ok(render(status, &page))
}

async fn teams(State(state): State<AppState>, admin: AdminUser) -> Result<Response, AppError> {
    teams_page(
        &state,
        &admin,
        String::new(),
        None,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(serde::Deserialize)]
struct TeamForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    active: Option<String>,
}

async fn create_team(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(form): Form<TeamForm>,
) -> Result<Response, AppError> {
    let saved = match PersonName::parse("name", &form.name) {
        Ok(name) => setup::create_team(&state.app, &admin.by(), &name).await,
        Err(error) => Err(error.into()),
    };
    save_or_show(
        saved,
        |_| "/admin/teams".into(),
        async |refused| {
            let errors = refused.errors(admin.0.tr);
            teams_page(&state, &admin, form.name, None, errors, refused.status()).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "admin/team_form.html")]
struct TeamEditPage {
    layout: Layout,
    id: i64,
    name: String,
    active: bool,
    errors: FormErrors,
}

async fn edit_team(
    State(state): State<AppState>,
    admin: AdminUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    let team = setup::team(&state.app, id).await?;
    let tr = admin.0.tr;
    let page = TeamEditPage {
        layout: admin
            .0
            .layout(tr.t("admin-team-edit-title"), "/admin/teams"),
        id,
        name: team.name,
        active: team.active,
        errors: FormErrors::default(),
    };
    Ok(render(StatusCode::OK, &page))
}

async fn update_team(
    State(state): State<AppState>,
    admin: AdminUser,
    Id(id): Id,
    Form(form): Form<TeamForm>,
) -> Result<Response, AppError> {
    let tr = admin.0.tr;
    let active = form.active.is_some();
    let saved = match PersonName::parse("name", &form.name) {
        Ok(name) => setup::update_team(&state.app, &admin.by(), id, &name, active).await,
        Err(error) => Err(error.into()),
    };
    save_or_show(
        saved,
        |_| "/admin/teams".into(),
        async |refused| {
            let page = TeamEditPage {
                layout: admin
                    .0
                    .layout(tr.t("admin-team-edit-title"), "/admin/teams"),
                id,
                name: form.name,
                active,
                errors: refused.errors(tr),
            };
            Ok(render(refused.status(), &page))
        },
    )
    .await
}

#[derive(serde::Deserialize)]
struct OrganisationForm {
    #[serde(default)]
    organisation: String,
}

async fn update_organisation(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(form): Form<OrganisationForm>,
) -> Result<Response, AppError> {
    let saved = match PersonName::parse("organisation", &form.organisation) {
        Ok(name) => setup::set_organisation_name(&state.app, &admin.by(), &name).await,
        Err(error) => Err(error.into()),
    };
    save_or_show(
        saved,
        |_| "/admin/teams".into(),
        async |refused| {
            let errors = refused.errors(admin.0.tr);
            let typed = Some(form.organisation);
            let status = refused.status();
            teams_page(&state, &admin, String::new(), typed, errors, status).await
        },
    )
    .await
}

// ---- users ----

struct UserRow {
    user: User,
    role_label: String,
    discipline_label: String,
    team_names: String,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<UserRow>,
}

async fn users(State(state): State<AppState>, admin: AdminUser) -> Result<Response, AppError> {
    let tr = admin.0.tr;
    let all_teams = setup::teams(&state.app).await?;
    let users = setup::users(&state.app)
        .await?
        .into_iter()
        .map(|(user, team_ids)| {
            let team_names = team_ids
                .iter()
                .filter_map(|t| {
                    all_teams
                        .iter()
                        .find(|team| team.id == *t)
                        .map(|team| team.name.clone())
                })
                .collect::<Vec<_>>()
                .join(", ");
            UserRow {
                role_label: user.role.label(tr),
                discipline_label: user.discipline.label(tr),
                team_names,
                user,
            }
        })
        .collect();
    let page = UsersPage {
        layout: admin.0.layout(tr.t("admin-users-title"), "/admin/users"),
        users,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "admin/user_form.html")]
struct UserFormPage {
    layout: Layout,
    /// `None` while creating a new user.
    id: Option<i64>,
    active: bool,
    username: String,
    full_name: String,
    roles: Vec<Choice>,
    disciplines: Vec<Choice>,
    teams: Vec<Choice>,
    errors: FormErrors,
    password_saved: bool,
    /// The administrator is looking at their own account.
    own_account: bool,
}

/// The values of the user form as typed, kept when the form comes back with messages.
#[derive(Debug, Default, Clone)]
struct UserInput {
    username: String,
    full_name: String,
    role: String,
    discipline: String,
    team_ids: Vec<i64>,
}

impl UserInput {
    fn from_user(user: &User, team_ids: Vec<i64>) -> Self {
        UserInput {
            username: user.username.clone(),
            full_name: user.full_name.clone(),
            role: user.role.as_str().into(),
            discipline: user.discipline.as_str().into(),
            team_ids,
        }
    }
}

async fn user_form(
    state: &AppState,
    admin: &AdminUser,
    existing: Option<&User>,
    input: &UserInput,
    errors: FormErrors,
    status: StatusCode,
    password_saved: bool,
) -> Result<Response, AppError> {
    let tr = admin.0.tr;
    let teams = setup::teams(&state.app).await?;
    let title = if existing.is_some() {
        "admin-user-edit-title"
    } else {
        "admin-user-new-title"
    };
    let page = UserFormPage {
        layout: admin.0.layout(tr.t(title), "/admin/users"),
        id: existing.map(|u| u.id),
        active: existing.is_none_or(|u| u.active),
        username: input.username.clone(),
        full_name: input.full_name.clone(),
        roles: Role::choices(tr, &input.role),
        disciplines: Discipline::choices(tr, &input.discipline),
        teams: teams
            .iter()
            .filter(|t| t.active || input.team_ids.contains(&t.id))
            .map(|t| Choice {
                value: t.id.to_string(),
                label: t.name.clone(),
                selected: input.team_ids.contains(&t.id),
            })
            .collect(),
        errors,
        password_saved,
        own_account: existing.is_some_and(|u| u.id == admin.0.caller.user.id),
    };
    Ok(render(status, &page))
}

async fn new_user(State(state): State<AppState>, admin: AdminUser) -> Result<Response, AppError> {
    let input = UserInput {
        role: "professional".into(),
        discipline: "verzorgende".into(),
        ..Default::default()
    };
    user_form(
        &state,
        &admin,
        None,
        &input,
        FormErrors::default(),
        StatusCode::OK,
        false,
    )
    .await
}

/// The user form as posted; the team checkboxes arrive as repeated `team` fields.
#[derive(Debug, Default)]
struct UserFormData {
    input: UserInput,
    password: String,
}

impl UserFormData {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut data = UserFormData::default();
        let mut teams = Vec::new();
        for (key, value) in pairs {
            match key.as_str() {
                "username" => data.input.username = value,
                "full_name" => data.input.full_name = value,
                "role" => data.input.role = value,
                "discipline" => data.input.discipline = value,
                "team" => teams.push(value),
                "password" => data.password = value,
                _ => {}
            }
        }
        data.input.team_ids = team_ids(&teams);
        data
    }
}

async fn create_user(
    State(state): State<AppState>,
    admin: AdminUser,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let data = UserFormData::from_pairs(pairs);
    let input = &data.input;
    let mut problems = Vec::new();
    let username = collect(Username::parse(&input.username), &mut problems);
    let full_name = collect(
        PersonName::parse("full_name", &input.full_name),
        &mut problems,
    );
    let role = collect(Role::parse(&input.role), &mut problems);
    let discipline = collect(Discipline::parse(&input.discipline), &mut problems);
    let password = collect(NewPassword::parse(&data.password), &mut problems);
    let saved = match (username, full_name, role, discipline, password) {
        (Some(username), Some(full_name), Some(role), Some(discipline), Some(password)) => {
            let account = setup::NewAccount {
                username,
                full_name,
                role,
                discipline,
                team_ids: input.team_ids.clone(),
                password,
            };
            setup::create_user(&state.app, &admin.by(), &account).await
        }
        _ => Err(regie_app::Error::Invalid(problems)),
    };
    save_or_show(
        saved,
        |_| "/admin/users".into(),
        async |refused| {
            let errors = refused.errors(admin.0.tr);
            let status = refused.status();
            user_form(&state, &admin, None, input, errors, status, false).await
        },
    )
    .await
}

async fn load_user(state: &AppState, id: i64) -> Result<(User, Vec<i64>), AppError> {
    Ok(setup::user(&state.app, id).await?)
}

#[derive(serde::Deserialize)]
struct EditQuery {
    password: Option<String>,
}

async fn edit_user(
    State(state): State<AppState>,
    admin: AdminUser,
    Id(id): Id,
    Query(query): Query<EditQuery>,
) -> Result<Response, AppError> {
    let (user, team_ids) = load_user(&state, id).await?;
    let input = UserInput::from_user(&user, team_ids);
    let saved = query.password.as_deref() == Some("saved");
    user_form(
        &state,
        &admin,
        Some(&user),
        &input,
        FormErrors::default(),
        StatusCode::OK,
        saved,
    )
    .await
}

async fn update_user(
    State(state): State<AppState>,
    admin: AdminUser,
    Id(id): Id,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let (user, _) = load_user(&state, id).await?;
    let mut data = UserFormData::from_pairs(pairs);
    data.input.username = user.username.clone();
    let input = &data.input;
    let mut problems = Vec::new();
    let full_name = collect(
        PersonName::parse("full_name", &input.full_name),
        &mut problems,
    );
    let role = collect(Role::parse(&input.role), &mut problems);
    let discipline = collect(Discipline::parse(&input.discipline), &mut problems);
    if let Some(role) = role {
        collect(
            setup::keeps_own_admin_role(&admin.by(), user.id, role),
            &mut problems,
        );
    }
    let saved = match (full_name, role, discipline, problems.is_empty()) {
        (Some(full_name), Some(role), Some(discipline), true) => {
            let change = setup::AccountChange {
                full_name,
                role,
                discipline,
                team_ids: input.team_ids.clone(),
            };
            setup::update_user(&state.app, &admin.by(), user.id, &change).await
        }
        _ => Err(regie_app::Error::Invalid(problems)),
    };
    save_or_show(
        saved,
        |_| "/admin/users".into(),
        async |refused| {
            let errors = refused.errors(admin.0.tr);
            let status = refused.status();
            user_form(&state, &admin, Some(&user), input, errors, status, false).await
        },
    )
    .await
}

#[derive(serde::Deserialize)]
struct ActiveForm {
    #[serde(default)]
    active: String,
}

async fn set_user_active(
    State(state): State<AppState>,
    admin: AdminUser,
    Id(id): Id,
    Form(form): Form<ActiveForm>,
) -> Result<Response, AppError> {
    let active = match form.active.as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(AppError::Invalid(vec![regie_domain::FieldError::new(
                "active",
                "error-choice-unknown",
            )]));
        }
    };
    setup::set_user_active(&state.app, &admin.by(), id, active).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}")).into_response())
}

#[derive(serde::Deserialize)]
struct PasswordForm {
    #[serde(default)]
    password: String,
}

async fn set_password(
    State(state): State<AppState>,
    admin: AdminUser,
    session: Session,
    Id(id): Id,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let (user, team_ids) = load_user(&state, id).await?;
    // A new password ends the user's other sessions: whoever knew the old one is signed out.
    // An administrator changing their own keeps the session they are using.
    let keep = (user.id == admin.0.caller.user.id)
        .then(|| session.id().map(|id| id.to_string()))
        .flatten();
    let saved = match NewPassword::parse(&form.password) {
        Ok(password) => {
            let by = admin.by();
            setup::set_password(&state.app, &by, user.id, &password, keep.as_deref()).await
        }
        Err(error) => Err(error.into()),
    };
    save_or_show(
        saved,
        |_| format!("/admin/users/{}?password=saved", user.id),
        async |refused| {
            let input = UserInput::from_user(&user, team_ids);
            let errors = refused.errors(admin.0.tr);
            let status = refused.status();
            user_form(&state, &admin, Some(&user), &input, errors, status, false).await
        },
    )
    .await
}
