//! The admin page to browse and filter the NEN 7513 audit log.

use super::{Choice, Pager, label, page_number, render};
use crate::choice::Choosable;
use crate::context::{AdminUser, Layout, encode_component};
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use regie_domain::audit::{AuditEvent, Outcome};
use regie_domain::start_of_dutch_day;
use regie_storage::{AuditFilter, AuditRow};
use time::Date;
use time::macros::format_description;

const PAGE_SIZE: i64 = 50;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(audit_log))
}

#[derive(Debug, Default, serde::Deserialize)]
struct AuditQuery {
    #[serde(default)]
    event: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    client: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    page: String,
}

struct Row {
    row: AuditRow,
    time: String,
    event_label: String,
    outcome_label: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    layout: Layout,
    query: AuditQuery,
    events: Vec<Choice>,
    outcomes: Vec<Choice>,
    rows: Vec<Row>,
    count_label: String,
    pager: Pager,
    ignored: Vec<String>,
}

fn parse_date(value: &str) -> Option<Date> {
    Date::parse(value.trim(), format_description!("[year]-[month]-[day]")).ok()
}

async fn audit_log(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let tr = admin.0.tr;
    let mut ignored = Vec::new();
    let mut check = |ok: bool, field: &str, value: &str| {
        if !ok && !value.trim().is_empty() {
            ignored.push(tr.t_args(
                "audit-filter-ignored",
                &[("field", tr.t(field)), ("value", value.to_string())],
            ));
        }
    };
    let event = AuditEvent::parse(&query.event);
    check(event.is_some(), "audit-event", &query.event);
    let outcome = Outcome::parse(&query.outcome);
    check(outcome.is_some(), "audit-outcome", &query.outcome);
    let client_id = query.client.trim().parse::<i64>().ok();
    check(client_id.is_some(), "audit-client", &query.client);
    let from = parse_date(&query.from);
    check(from.is_some(), "audit-from", &query.from);
    let until = parse_date(&query.until);
    check(until.is_some(), "audit-until", &query.until);
    let filter = AuditFilter {
        event: event.map(|e| e.code().to_string()),
        outcome: outcome.map(|o| o.code().to_string()),
        username: Some(query.username.trim().to_lowercase()).filter(|u| !u.is_empty()),
        client_id,
        // Days as the reader counts them; "until" includes the whole day.
        from: from.map(start_of_dutch_day),
        until: until.and_then(|d| d.next_day()).map(start_of_dutch_day),
    };
    let page = page_number(Some(&query.page));
    // Reading the log is itself an access worth recording: the use case does.
    let (rows, total) = regie_app::audit_log::page(
        &state.app,
        &admin.by(),
        &filter,
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    .await?;

    let link = |p: i64| {
        format!(
            "/admin/audit?event={}&outcome={}&username={}&client={}&from={}&until={}&page={p}",
            encode_component(&query.event),
            encode_component(&query.outcome),
            encode_component(&query.username),
            encode_component(&query.client),
            encode_component(&query.from),
            encode_component(&query.until),
        )
    };
    let page_view = AuditPage {
        layout: admin.0.layout(tr.t("audit-title"), "/admin/audit"),
        events: AuditEvent::choices(tr, event.map_or("", AuditEvent::code)),
        outcomes: Outcome::choices(tr, outcome.map_or("", Outcome::code)),
        rows: rows
            .into_iter()
            .map(|row| Row {
                time: crate::format::moment_to_the_second(row.occurred_at),
                event_label: AuditEvent::parse(&row.event)
                    .map_or_else(|| row.event.clone(), |e| e.label(tr)),
                outcome_label: label(tr, Outcome::LABELS, &row.outcome),
                row,
            })
            .collect(),
        count_label: tr.t_count("audit-count", "count", total),
        pager: Pager::new(tr, page, PAGE_SIZE, total, link),
        query,
        ignored,
    };
    Ok(render(StatusCode::OK, &page_view))
}
