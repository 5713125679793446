//! Regie's web layer: server-rendered pages, the JSON API, sign-in and sessions.
//!
//! Handlers stay thin: they parse input into domain types, call the storage API inside one
//! transaction together with the audit row, and render. Rules live in `regie-domain`.

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
