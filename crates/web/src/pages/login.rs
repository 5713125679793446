use super::{Form, render};
use crate::context::{
    CurrentUser, Lang, Layout, SESSION_LANGUAGE, SESSION_SIGNED_IN_AT, SESSION_USER_ID, local_path,
};
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use regie_app::accounts::{LoginOutcome, attempt_login};
use regie_domain::Language;

use std::net::SocketAddr;

use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/language", post(switch_language))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    message: Option<String>,
}

#[derive(serde::Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(Lang(tr): Lang, Query(query): Query<NextQuery>) -> Response {
    let page = LoginPage {
        layout: Layout::anonymous(tr, tr.t("login-title"), "/login"),
        username: String::new(),
        next: local_path(query.next.as_deref()).to_string(),
        message: None,
    };
    render(StatusCode::OK, &page)
}

#[derive(serde::Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    Lang(tr): Lang,
    session: Session,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let next = local_path(form.next.as_deref()).to_string();
    let again = |status: StatusCode, message: String| {
        let page = LoginPage {
            layout: Layout::anonymous(tr, tr.t("login-title"), "/login"),
            username: form.username.clone(),
            next: next.clone(),
            message: Some(message),
        };
        render(status, &page)
    };
    if form.username.trim().is_empty() || form.password.is_empty() {
        return Ok(again(
            StatusCode::UNPROCESSABLE_ENTITY,
            tr.t("login-missing"),
        ));
    }
    let outcome = attempt_login(
        &state.app,
        state.config.login_throttle,
        &form.username,
        &form.password,
        peer.ip(),
    )
    .await?;
    Ok(match outcome {
        LoginOutcome::SignedIn(user) => {
            // A new session id on sign-in prevents session fixation.
            session.cycle_id().await.map_err(session_error)?;
            session
                .insert(SESSION_USER_ID, user.id)
                .await
                .map_err(session_error)?;
            // For the absolute lifetime: however active, a session ends this long after sign-in.
            session
                .insert(
                    SESSION_SIGNED_IN_AT,
                    state.config.clock.now().unix_timestamp(),
                )
                .await
                .map_err(session_error)?;
            let language = user.language.unwrap_or(tr.lang);
            session
                .insert(SESSION_LANGUAGE, language)
                .await
                .map_err(session_error)?;
            Redirect::to(&next).into_response()
        }
        LoginOutcome::Rejected => again(StatusCode::UNAUTHORIZED, tr.t("login-rejected")),
        LoginOutcome::Wait { seconds } => {
            let mut response = again(
                StatusCode::TOO_MANY_REQUESTS,
                tr.t_count("login-wait", "seconds", seconds),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, seconds.into());
            response
        }
        LoginOutcome::Locked { until } => {
            let minutes = ((until - state.config.clock.now()).whole_seconds() + 59) / 60;
            let mut response = again(
                StatusCode::TOO_MANY_REQUESTS,
                tr.t_count("login-locked", "minutes", minutes.max(1)),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, (minutes.max(1) * 60).into());
            response
        }
    })
}

fn session_error(error: tower_sessions::session::Error) -> AppError {
    AppError::Internal(format!("session: {error}"))
}

async fn logout(
    State(state): State<AppState>,
    session: Session,
    user: Option<CurrentUser>,
) -> Result<Response, AppError> {
    if let Some(user) = user {
        regie_app::accounts::sign_out(&state.app, &user.caller).await?;
    }
    // Keep the chosen language for the login page that follows.
    let language: Option<Language> = session.get(SESSION_LANGUAGE).await.ok().flatten();
    session.flush().await.map_err(session_error)?;
    if let Some(language) = language {
        session
            .insert(SESSION_LANGUAGE, language)
            .await
            .map_err(session_error)?;
    }
    Ok(Redirect::to("/login").into_response())
}

#[derive(serde::Deserialize)]
struct LanguageForm {
    #[serde(default)]
    lang: String,
    back: Option<String>,
}

async fn switch_language(
    State(state): State<AppState>,
    session: Session,
    user: Option<CurrentUser>,
    Form(form): Form<LanguageForm>,
) -> Result<Response, AppError> {
    let language = Language::parse(&form.lang).ok_or(AppError::Invalid(vec![
        regie_domain::FieldError::new("lang", "error-language-unknown"),
    ]))?;
    session
        .insert(SESSION_LANGUAGE, language)
        .await
        .map_err(session_error)?;
    if let Some(user) = user {
        regie_app::accounts::set_language(&state.app, &user.caller, language).await?;
    }
    Ok(Redirect::to(local_path(form.back.as_deref())).into_response())
}
