//! What every request knows about itself: its language, who is calling, and the page frame.

use crate::choice::Choosable;
use crate::i18n::Tr;
use crate::{AppError, AppState};
use axum::extract::{ConnectInfo, FromRequestParts, OptionalFromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
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
                role_label: self.caller.user.role.label(self.tr),
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

/// The id in a URL path with one (`/clients/{id}`): digits only, 1 or more (ids start at 1).
/// Anything else, `abc`, `0`, `-3`, `+3` or a number too large, is a page that does not
/// exist: a 404, which the error layer renders as the HTML page or, under `/api/`, as the
/// JSON problem the API documents.
pub struct Id(pub i64);

/// The id of a record and what follows it in a URL path with two segments: the number of a
/// part of the record (`/trajectories/{id}/plan/goals/{goal}`: `IdAnd<u32>`, under the same
/// rule as [`Id`]) or a code (`…/care/{discipline}`: `IdAnd<String>`, as written).
pub struct IdAnd<T>(pub i64, pub T);

/// A path segment after a record's id.
pub trait PathPart: Sized {
    fn parse(raw: String) -> Option<Self>;
}

/// Digits only (no sign, no spaces), at least 1, and fitting `T`.
fn number<T: std::str::FromStr + PartialOrd + From<u8>>(raw: &str) -> Option<T> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok().filter(|n| *n >= T::from(1))
}

impl PathPart for i64 {
    fn parse(raw: String) -> Option<Self> {
        number(&raw)
    }
}

impl PathPart for u32 {
    fn parse(raw: String) -> Option<Self> {
        number(&raw)
    }
}

impl PathPart for String {
    fn parse(raw: String) -> Option<Self> {
        Some(raw)
    }
}

impl Id {
    /// An id written elsewhere than in the path (`?version=3`), under the same rule.
    pub fn parse(raw: &str) -> Result<i64, AppError> {
        number(raw).ok_or(AppError::NotFound)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Id {
    /// A path axum cannot read is answered as `Path` answers it; a malformed id is a 404.
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Path(raw) = <Path<String> as FromRequestParts<S>>::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Id::parse(&raw).map(Id).map_err(IntoResponse::into_response)
    }
}

impl<S: Send + Sync, T: PathPart> FromRequestParts<S> for IdAnd<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Path((id, part)) =
            <Path<(String, String)> as FromRequestParts<S>>::from_request_parts(parts, state)
                .await
                .map_err(IntoResponse::into_response)?;
        match (number(&id), T::parse(part)) {
            (Some(id), Some(part)) => Ok(IdAnd(id, part)),
            _ => Err(AppError::NotFound.into_response()),
        }
    }
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
    fn ids_are_digits_from_one() {
        assert_eq!(Id::parse("42").ok(), Some(42));
        assert_eq!(Id::parse("007").ok(), Some(7));
        for bad in [
            "",
            "abc",
            "0",
            "-3",
            "+3",
            " 3",
            "3 ",
            "1e3",
            "99999999999999999999",
        ] {
            assert!(Id::parse(bad).is_err(), "{bad:?} is not an id");
        }
        assert_eq!(u32::parse("4294967295".into()), Some(u32::MAX));
        assert_eq!(u32::parse("4294967296".into()), None);
        assert_eq!(u32::parse("0".into()), None);
        assert_eq!(
            String::parse("wijkverpleging".into()).as_deref(),
            Some("wijkverpleging")
        );
    }

    #[test]
    fn components_are_percent_encoded() {
        assert_eq!(
            encode_component("/clients?q=de vries&p=2"),
            "/clients%3Fq%3Dde%20vries%26p%3D2"
        );
    }
}
