//! What every request knows about itself: its language, who is calling, and the page frame.

use crate::i18n::Tr;
use crate::{AppError, AppState};
use axum::extract::{ConnectInfo, FromRequestParts, OptionalFromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
pub use regie_app::Caller;

use regie_domain::login::session_outlived;
use regie_domain::{Capabilities, Language};
use std::net::SocketAddr;
use tower_sessions::Session;

/// Session keys.
pub const SESSION_USER_ID: &str = "user_id";
pub const SESSION_LANGUAGE: &str = "lang";
/// When the user signed in (Unix seconds): the session's absolute lifetime counts from here.
pub const SESSION_SIGNED_IN_AT: &str = "signed_in_at";

fn accept_language(headers: &HeaderMap) -> Language {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Language::from_accept_language)
        .unwrap_or_default()
}

async fn session_language(session: Option<&Session>) -> Option<Language> {
    session?
        .get::<Language>(SESSION_LANGUAGE)
        .await
        .ok()
        .flatten()
}

/// The language for a request: the one chosen in this session (or stored for the signed-in
/// user), else the browser's preference, else Dutch.
pub fn request_language(request: &Request) -> impl Future<Output = Language> + Send + 'static {
    // Take what is needed before awaiting: a request body is not `Sync`, so the future must not
    // borrow the request.
    let session = request.extensions().get::<Session>().cloned();
    let preferred = accept_language(request.headers());
    async move {
        session_language(session.as_ref())
            .await
            .unwrap_or(preferred)
    }
}

/// Extracts the request's [`Tr`].
pub struct Lang(pub Tr);

impl FromRequestParts<AppState> for Lang {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, AppError> {
        let language = match session_language(parts.extensions.get::<Session>()).await {
            Some(language) => language,
            None => accept_language(&parts.headers),
        };
        Ok(Lang(Tr::new(language)))
    }
}

pub fn source_address(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
}

/// A caller signed in through the browser session. Pages that need one redirect to the
/// login page otherwise.
pub struct CurrentUser {
    pub caller: Caller,
    pub tr: Tr,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let session = parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or_else(|| AppError::Internal("session layer missing".into()))?;
        let user_id: Option<i64> = session.get(SESSION_USER_ID).await.ok().flatten();
        let user_id = user_id.ok_or(AppError::Unauthenticated)?;
        let end_session = || async {
            session
                .flush()
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
            Err(AppError::Unauthenticated)
        };
        // A session without a sign-in time predates the absolute lifetime: it ends too.
        let signed_in_at: Option<i64> = session.get(SESSION_SIGNED_IN_AT).await.ok().flatten();
        let signed_in_at =
            signed_in_at.and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok());
        let outlived = signed_in_at.is_none_or(|at| {
            session_outlived(at, state.config.clock.now(), state.config.session_max_age)
        });
        if outlived {
            return end_session().await;
        }
        let Some(caller) =
            regie_app::accounts::caller_for_session(&state.app, user_id, source_address(parts))
                .await?
        else {
            // Deactivated while signed in: the session ends at once.
            return end_session().await;
        };
        let Lang(tr) = Lang::from_request_parts(parts, state).await?;
        Ok(CurrentUser { caller, tr })
    }
}

/// `Option<CurrentUser>`: signed in or not, for pages that serve both.
impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, AppError> {
        match <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(user) => Ok(Some(user)),
            Err(AppError::Unauthenticated) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

/// A signed-in administrator; anyone else is refused, and the refusal is audited.
pub struct AdminUser(pub CurrentUser);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user =
            <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        regie_app::admin::authorize(&state.app, user.caller.clone(), parts.uri.path()).await?;
        Ok(AdminUser(user))
    }
}

impl AdminUser {
    /// The administrator as the operator of an administrative use case.
    pub fn by(&self) -> regie_app::admin::Operator {
        regie_app::admin::Operator::Admin(self.0.caller.clone())
    }
}

impl CurrentUser {
    pub fn layout(&self, title: String, path: &str) -> Layout {
        Layout {
            tr: self.tr,
            title,
            path: path.to_string(),
            user: Some(NavUser {
                name: self.caller.user.full_name.clone(),
                role_label: self.tr.t(&format!(
                    "role-{}",
                    self.caller.user.role.as_str().replace('_', "-")
                )),
                may: Capabilities::of(&self.caller.actor),
            }),
        }
    }
}

/// The frame around every page: language, title, the signed-in user for the navigation, and
/// the current path so the language switch can come back to it.
pub struct Layout {
    pub tr: Tr,
    pub title: String,
    pub path: String,
    pub user: Option<NavUser>,
}

pub struct NavUser {
    pub name: String,
    pub role_label: String,
    /// What the menu offers: exactly what this user may open.
    pub may: Capabilities,
}

impl Layout {
    pub fn anonymous(tr: Tr, title: String, path: &str) -> Self {
        Layout {
            tr,
            title,
            path: path.to_string(),
            user: None,
        }
    }

    /// Marks the navigation link of the section `path` starts with.
    pub fn current(&self, section: &str) -> bool {
        if section == "/" {
            self.path == "/"
        } else {
            self.path.starts_with(section)
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }
}

/// The numeric id in a URL path: digits only, 1 or more (ids start at 1). Anything else,
/// `abc`, `0`, `-3` or `+3`, is a page that does not exist, as the API documents.
pub fn path_id(id: &str) -> Result<i64, AppError> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::NotFound);
    }
    id.parse()
        .ok()
        .filter(|id| *id >= 1)
        .ok_or(AppError::NotFound)
}

/// Percent-encodes a value for use in a query string.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Only paths on this site may be redirect targets (no `//host` or `https://…`), and only
/// visible ASCII: anything else could not be sent in a `Location` header.
pub fn local_path(target: Option<&str>) -> &str {
    match target {
        Some(t)
            if t.starts_with('/')
                && !t.starts_with("//")
                && !t.contains('\\')
                && t.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            t
        }
        _ => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(local_path(Some("/clients/3?x=1")), "/clients/3?x=1");
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(None), "/");
        assert_eq!(local_path(Some("/\r\nSet-Cookie: x=1")), "/");
        assert_eq!(local_path(Some("/met spatie")), "/");
    }

    #[test]
    fn components_are_percent_encoded() {
        assert_eq!(
            encode_component("/clients?q=de vries&p=2"),
            "/clients%3Fq%3Dde%20vries%26p%3D2"
        );
    }
}
