//! Regie's web layer: server-rendered pages, the JSON API, sign-in and sessions.
//!
//! Handlers stay thin: they parse the request (ids through `context::Id`), call one use case
//! of `regie-app` (which checks access, reads, audits and writes in one transaction), and
//! render; a form's save goes through `pages::forms::save_or_show`, shown values through
//! `format`. No handler opens a transaction. Rules live in `regie-domain`.

pub mod api;
mod app;
pub mod auth;
mod chart;
mod choice;
mod context;
mod error;
mod format;
pub mod i18n;
mod pages;
mod security;
mod session_store;

pub use app::{AppState, WebConfig, router, serve};
pub use error::AppError;
pub use regie_app::Clock;
