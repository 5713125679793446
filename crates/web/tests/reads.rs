//! NEN 7513 without noise: a page that shows one client's record writes exactly one audit row
//! for that view, naming the client, whatever the page reads to show it.

mod support;

use regie_storage::AuditFilter;
use support::{Backend, TestApp};

on_both_backends!(each_page_view_of_a_record_writes_one_audit_row);

async fn rows_for(app: &TestApp, client_id: i64) -> Vec<regie_storage::AuditRow> {
    app.audit(AuditFilter {
        client_id: Some(client_id),
        ..Default::default()
    })
    .await
}

async fn each_page_view_of_a_record_writes_one_audit_row(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.login("coordinator").await;
    // Gerrit is in execution: his page shows his plan's agreements, signals and successes.
    let client = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(client).await;
    let pages = [
        format!("/clients/{client}"),
        format!("/clients/{client}/network"),
        format!("/trajectories/{trajectory}"),
        format!("/trajectories/{trajectory}/plan"),
        format!("/trajectories/{trajectory}/visits"),
        format!("/trajectories/{trajectory}/assessments"),
    ];
    for page in pages {
        let before = rows_for(&app, client).await.len();
        let response = app.get(&page).await;
        assert_eq!(response.status(), 200, "{page}");
        let rows = rows_for(&app, client).await;
        assert_eq!(
            rows.len(),
            before + 1,
            "{page} wrote {} rows",
            rows.len() - before
        );
        let row = &rows[0];
        assert_eq!(row.event, "client.read", "{page}");
        assert_eq!(row.outcome, "allowed", "{page}");
        assert_eq!(row.username.as_deref(), Some("coordinator"), "{page}");
    }
}
