//! Security headers and the static assets served from the binary itself.

use crate::AppState;
use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;

/// No inline script or style, nothing from other hosts, never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'";

/// Adds the security headers to every response that does not set its own.
///
/// `Cache-Control: no-store` keeps pages and API answers with client data out of browser and
/// proxy caches (and out of the back button after signing out); only the static assets, which
/// set their own, may be cached.
pub fn with_headers(router: Router) -> Router {
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(set(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "same-origin"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::CACHE_CONTROL, "no-store"))
}

const STYLE: &str = include_str!("../static/style.css");
const APP_JS: &str = include_str!("../static/app.js");
/// htmx 2, vendored from npm (see e2e/package.json); `.ci/run` checks the copy is unchanged.
const HTMX: &str = include_str!("../static/vendor/htmx.min.js");

pub fn static_assets() -> Router<AppState> {
    fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse + Clone {
        (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            body,
        )
    }
    Router::new()
        .route(
            "/static/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE) }),
        )
        .route(
            "/static/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/static/htmx.min.js",
            get(|| async { asset("text/javascript; charset=utf-8", HTMX) }),
        )
}
