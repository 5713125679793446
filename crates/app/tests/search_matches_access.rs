//! The SQL that selects a caller's clients (`clients_search`, behind
//! [`regie_app::records::search_clients`]) agrees with the domain's access rule
//! ([`Permission::ReadRecord`]) for every demo user and every demo client, on SQLite and on
//! PostgreSQL.
//!
//! The rule checked: a client is in a user's search result (empty query, no page limit) if and
//! only if the domain lets that user open the record, or would after a stated reason. The
//! second half is for team leads: the search lists the clients of their serving teams, and
//! opening one asks for a reason ([`Refusal::ReasonRequired`]); they never see a client the
//! reason could not open. The relation is built from the stored client the way
//! `records::open` builds it for a client, without a stated reason. A refused search (an
//! analyst, an administrator without a team) finds nothing.
//!
//! In the demo nobody reaches a client through a core team alone (every core-team member is
//! also on a serving team), so the test first adds what the demo lacks, through the use cases:
//! a professional of the other team joins one client's core team, and joins and leaves
//! another's.
//!
//! PostgreSQL at `REGIE_TEST_POSTGRES` (see `regie_storage::testing`); skipped when it cannot
//! be reached, a failure under `CI=true`.

use regie_app::records::BasedOn;
use regie_app::records::plan::{TeamRequest, change_team};
use regie_app::{App, Caller, Clock, Error};
use regie_domain::{Permission, Phase, Refusal, Relation};
use regie_storage::Db;
use regie_storage::testing::{TestBackend, TestDatabase};
use std::collections::BTreeSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_finds_exactly_the_readable_clients_on_sqlite() {
    the_search_finds_exactly_the_readable_clients(TestBackend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_finds_exactly_the_readable_clients_on_postgres() {
    the_search_finds_exactly_the_readable_clients(TestBackend::Postgres).await;
}

/// Every client id, straight from the table: not through the search under test.
async fn all_client_ids(db: &Db) -> Vec<i64> {
    let sql = "SELECT id FROM clients ORDER BY id";
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await,
    }
    .expect("client ids")
}

/// A demo user as a caller.
async fn caller(db: &Db, username: &str) -> Caller {
    let mut tx = db.begin().await.unwrap();
    let user = tx
        .user_by_username(username)
        .await
        .unwrap()
        .expect(username);
    let team_ids = tx.user_team_ids(user.id).await.unwrap();
    tx.commit().await.unwrap();
    Caller::new(user, team_ids, None)
}

/// The coordinator of Wijkteam Noord brings the south-only tech coach into the core team of
/// two clients the coach has no other way to: into the first to stay, into the second only
/// to leave again. Returns the two client ids.
async fn core_team_from_the_other_team(app: &App, db: &Db) -> (i64, i64) {
    let coordinator = caller(db, "coordinator").await;
    let coach = caller(db, "techcoach").await;
    let mut tx = db.begin().await.unwrap();
    let mut open = Vec::new();
    for id in all_client_ids(db).await {
        let client = tx.client_get(id).await.unwrap().unwrap();
        let outside = !client
            .team_ids
            .iter()
            .any(|t| coach.actor.team_ids.contains(t));
        if outside && client.open_coordinator_id == Some(coordinator.user.id) {
            // The coordinator reads the trajectories as the rule lets them.
            let coordinates = regie_domain::Relation {
                coordinator: true,
                ..Default::default()
            };
            let granted = regie_domain::Permission::ReadRecord
                .grant(coordinator.actor.role, coordinates, id)
                .unwrap();
            let trajectory = tx
                .trajectories_for_client(&granted)
                .await
                .unwrap()
                .into_iter()
                .find(|t| t.phase != Phase::Afgesloten)
                .expect("the open trajectory");
            open.push((id, trajectory.id));
        }
    }
    tx.commit().await.unwrap();
    let [(stays, stays_in), (leaves, leaves_from), ..] = open[..] else {
        panic!("the demo has two open north trajectories the coach cannot reach");
    };
    let coach_id = coach.user.id.to_string();
    for trajectory in [stays_in, leaves_from] {
        let join = TeamRequest::Add {
            user_id: &coach_id,
            discipline: "techcoach",
            contact: "",
        };
        change_team(app, &coordinator, trajectory, join, BasedOn::Unknown)
            .await
            .expect("the coach joins");
    }
    let leave = TeamRequest::Remove { user_id: &coach_id };
    change_team(app, &coordinator, leaves_from, leave, BasedOn::Unknown)
        .await
        .expect("the coach leaves");
    (stays, leaves)
}

async fn the_search_finds_exactly_the_readable_clients(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend).await else {
        return;
    };
    let app = App::new(database.db.clone(), Clock::system());
    let mut tx = database.db.begin().await.unwrap();
    tx.install_shipped(app.now()).await.unwrap();
    tx.commit().await.unwrap();
    regie_app::demo::load_if_empty(&app)
        .await
        .expect("demo data loads");
    let (joined, left) = core_team_from_the_other_team(&app, &database.db).await;

    let mut tx = database.db.begin().await.unwrap();
    let mut clients = Vec::new();
    for id in all_client_ids(&database.db).await {
        clients.push(tx.client_get(id).await.unwrap().expect("a listed client"));
    }
    let mut callers = Vec::new();
    for user in tx.users_list().await.unwrap() {
        let team_ids = tx.user_team_ids(user.id).await.unwrap();
        callers.push(Caller::new(user, team_ids, None));
    }
    tx.commit().await.unwrap();
    assert!(
        clients.len() >= 5 && callers.len() >= 5,
        "the demo is loaded"
    );

    let mut disagreements = Vec::new();
    // What the comparison covered, so that it cannot pass by finding nothing anywhere.
    let mut seen = BTreeSet::new();
    for caller in &callers {
        let found: BTreeSet<i64> =
            match regie_app::records::search_clients(&app, caller, "", i64::MAX / 2, 0).await {
                Ok((found, total)) => {
                    assert_eq!(found.len() as i64, total, "one page holds them all");
                    found.iter().map(|c| c.id).collect()
                }
                Err(Error::Refused { .. }) => BTreeSet::new(),
                Err(other) => panic!("search by {}: {other}", caller.user.username),
            };
        for client in &clients {
            let relation = Relation::of(
                &caller.actor,
                &client.team_ids,
                &client.core_team_user_ids,
                client.open_coordinator_id,
                false,
            );
            let decision = Permission::ReadRecord.decide(caller.actor.role, relation);
            let reachable = decision.is_ok() || decision == Err(Refusal::ReasonRequired);
            let in_search = found.contains(&client.id);
            seen.insert((reachable, decision.is_ok()));
            if reachable != in_search {
                disagreements.push(format!(
                    "{} ({:?}) × {} (client {}): rule says {decision:?}, search {} it",
                    caller.user.username,
                    caller.actor.role,
                    client.name,
                    client.id,
                    if in_search { "finds" } else { "does not find" },
                ));
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{backend:?}: the search and the access rule disagree:\n{}",
        disagreements.join("\n")
    );
    // The arranged cases count as the rule says: the core team reaches, a past one does not.
    let coach = caller(&database.db, "techcoach").await;
    let (found, _) = regie_app::records::search_clients(&app, &coach, "", 1000, 0)
        .await
        .unwrap();
    assert!(found.iter().any(|c| c.id == joined), "{backend:?}");
    assert!(!found.iter().any(|c| c.id == left), "{backend:?}");
    // Readable, reachable only with a reason, and out of reach: each case occurred.
    assert_eq!(
        seen,
        BTreeSet::from([(true, true), (true, false), (false, false)]),
        "{backend:?}: the demo should cover every case"
    );
}
