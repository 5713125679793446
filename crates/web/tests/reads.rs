//! NEN 7513 without noise: a page that shows one client's record writes exactly one audit row
//! for that view, naming the client, whatever the page reads to show it.

mod support;

use regie_storage::AuditFilter;
use support::{Backend, TestApp};

on_both_backends!(
    each_page_view_of_a_record_writes_one_audit_row,
    lists_of_clients_read_in_one_go_what_one_by_one_reads_give,
);

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

/// The team page and "my visits today" read many clients in a fixed number of queries; what
/// they get must be what reading each client on its own gives, for every demo user.
async fn lists_of_clients_read_in_one_go_what_one_by_one_reads_give(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let mut tx = app.db.begin().await.unwrap();
    let mut clients = Vec::new();
    for id in 1.. {
        match tx.client_get(id).await.unwrap() {
            Some(client) => clients.push(client),
            None => break,
        }
    }
    assert!(clients.len() >= 20, "the demo's clients");
    let mut in_execution = Vec::new();
    for client in &clients {
        let open = tx
            .trajectories_for_client(&app.client_access(client.id))
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.phase == regie_domain::Phase::Uitvoering);
        if let Some(trajectory) = open {
            in_execution.push((client.clone(), trajectory));
        }
    }
    assert!(
        in_execution.len() >= 2,
        "the demo has clients in execution: {}",
        in_execution.len()
    );
    let mut lists_seen = 0;
    for user in tx.users_list().await.unwrap() {
        let team_ids = tx.user_team_ids(user.id).await.unwrap();
        for through_core_team in [false, true] {
            let batch = tx
                .clients_in_execution(&team_ids, user.id, through_core_team, 1000)
                .await
                .unwrap();
            let one_by_one: Vec<_> = in_execution
                .iter()
                .filter(|(client, _)| {
                    client.team_ids.iter().any(|t| team_ids.contains(t))
                        || (through_core_team && client.core_team_user_ids.contains(&user.id))
                })
                .cloned()
                .collect();
            let ids = |list: &[(regie_domain::Client, regie_domain::Trajectory)]| {
                let mut ids: Vec<i64> = list.iter().map(|(c, _)| c.id).collect();
                ids.sort_unstable();
                ids
            };
            assert_eq!(
                ids(&batch),
                ids(&one_by_one),
                "{} {through_core_team}",
                user.username
            );
            for (client, trajectory) in &batch {
                let (expected_client, expected_trajectory) =
                    one_by_one.iter().find(|(c, _)| c.id == client.id).unwrap();
                assert_eq!(client, expected_client);
                assert_eq!(trajectory, expected_trajectory);
            }
            lists_seen += usize::from(!batch.is_empty());
        }
    }
    assert!(lists_seen >= 4, "several users reach clients in execution");
    // Their visits and plans, read for all at once, are each one's own.
    let mut granted = Vec::new();
    for (_, trajectory) in &in_execution {
        granted.push(app.trajectory_access(trajectory.id).await);
    }
    let all_visits = tx.visits_for_trajectories(&granted).await.unwrap();
    let latest = tx.plans_latest(&granted).await.unwrap();
    let mut visits_seen = 0;
    for access in &granted {
        let own = tx.visits_for_trajectory(access).await.unwrap();
        let from_batch: Vec<_> = all_visits
            .iter()
            .filter(|v| v.trajectory_id == access.trajectory_id())
            .cloned()
            .collect();
        assert_eq!(from_batch, own);
        visits_seen += own.len();
        let plan = tx.plan_latest(access).await.unwrap();
        let batch_plan = latest
            .iter()
            .find(|(t, _)| *t == access.trajectory_id())
            .map(|(_, v)| v.clone());
        assert_eq!(batch_plan, plan);
    }
    assert!(visits_seen > 0, "the demo has visits");
    tx.commit().await.unwrap();
}
