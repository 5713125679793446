use crate::session_store::DbSessionStore;
use crate::{api, error, pages, security};
use axum::Router;
use regie_app::{App, Clock};
use regie_domain::LoginThrottle;
use regie_storage::Db;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::csrf::CsrfLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// Settings of the web layer; the CLI fills them from flags, environment and config file.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure`: set this when Regie is served over TLS (directly or behind a proxy).
    pub secure_cookies: bool,
    /// A session ends after this much inactivity.
    pub session_idle: time::Duration,
    /// A session ends this long after signing in, however active it is.
    pub session_max_age: time::Duration,
    /// Failed sign-ins: per typed user name and per source address.
    pub login_throttle: LoginThrottle,
    /// The time sign-in and session checks go by; tests move it forward instead of sleeping.
    pub clock: Clock,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_idle: time::Duration::minutes(30),
            session_max_age: time::Duration::hours(12),
            login_throttle: LoginThrottle::default(),
            clock: Clock::system(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// The use cases, with the database and the clock they run against.
    pub app: App,
    pub config: Arc<WebConfig>,
}

impl AppState {
    pub fn new(db: Db, config: WebConfig) -> Self {
        Self {
            app: App::new(db.clone(), config.clock.clone()),
            db,
            config: Arc::new(config),
        }
    }
}

/// The whole application: pages, API, static assets and the layers around them.
///
/// Layers, from the outside in: security headers, sessions, error rendering (so every
/// rejection below it gets a translated page or a problem document), cross-site request
/// protection, routes.
pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name("regie_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.secure_cookies)
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(state.config.session_idle));
    let (api_router, _) = api::router().split_for_parts();
    let app = Router::new()
        .merge(pages::router())
        .merge(api_router)
        .merge(security::static_assets())
        .fallback(error::not_found)
        .layer(CsrfLayer::new())
        .layer(axum::middleware::from_fn(error::render_errors))
        .layer(sessions)
        .with_state(state);
    security::with_headers(app)
}

/// Serves Regie on `listener` until the process is stopped.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let db = state.db.clone();
    let forget_after = state.config.login_throttle.forget_after();
    // Expired sessions are refused on load already, and old failed sign-ins no longer count;
    // this keeps both tables small.
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            // The wall clock, like the expiry dates tower-sessions writes.
            let now = time::OffsetDateTime::now_utc();
            if let Err(error) = db.sessions_purge_expired(now).await {
                tracing::warn!(%error, "purging expired sessions failed");
            }
            if let Err(error) = db.login_throttle_purge(now - forget_after, now).await {
                tracing::warn!(%error, "purging old failed sign-ins failed");
            }
        }
    });
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
