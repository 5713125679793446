//! Once a trajectory has been evaluated, its goals' baseline scores stay as they were: the
//! goal can still be rewritten, but a changed baseline is refused with a message for the
//! field. Before the first evaluation the baseline may still be corrected. Both databases.

use regie_app::records::BasedOn;
use regie_app::records::evaluation::record_evaluation;
use regie_app::records::plan::{PlanEdit, open_plan, rewrite_goal};
use regie_app::{App, Caller, Clock, Error};
use regie_domain::{
    AuditEvent, EvaluationInput, Goal, GoalEvaluationInput, GoalInput, GoalStatus, Phase,
};
use regie_storage::testing::{TestBackend, TestDatabase};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_baseline_stays_after_the_first_evaluation_on_sqlite() {
    the_baseline_stays_after_the_first_evaluation(TestBackend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_baseline_stays_after_the_first_evaluation_on_postgres() {
    the_baseline_stays_after_the_first_evaluation(TestBackend::Postgres).await;
}

fn input_of(goal: &Goal, performance: u8) -> GoalInput {
    let score = |s: Option<u8>| s.map(|v| v.to_string()).unwrap_or_default();
    GoalInput {
        words: format!("{} (herschreven)", goal.words),
        expressed_by: goal.expressed_by.as_str().into(),
        life_domains: goal.life_domains.clone(),
        activities: goal.activities.clone(),
        importance: score(goal.baseline.importance),
        performance: performance.to_string(),
        satisfaction: score(goal.baseline.satisfaction),
        gas_levels: goal
            .gas
            .as_ref()
            .map(|g| g.levels.clone())
            .unwrap_or_default(),
        gas_weight: goal
            .gas
            .as_ref()
            .map(|g| g.weight.to_string())
            .unwrap_or_default(),
        target_date: String::new(),
    }
}

async fn the_baseline_stays_after_the_first_evaluation(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend).await else {
        return;
    };
    let app = App::new(database.db.clone(), Clock::system());
    let mut tx = database.db.begin().await.unwrap();
    tx.install_shipped(app.now()).await.unwrap();
    tx.commit().await.unwrap();
    regie_app::demo::load_if_empty(&app).await.unwrap();
    let mut tx = database.db.begin().await.unwrap();
    let user = tx.user_by_username("coordinator").await.unwrap().unwrap();
    let team_ids = tx.user_team_ids(user.id).await.unwrap();
    tx.commit().await.unwrap();
    let coordinator = Caller::new(user, team_ids, None);
    let (found, _) = regie_app::records::search_clients(&app, &coordinator, "Gerrit", 5, 0)
        .await
        .unwrap();
    let page = regie_app::records::client_page(&app, &coordinator, found[0].id)
        .await
        .unwrap();
    let trajectory = page
        .trajectories
        .iter()
        .find(|t| t.phase == Phase::Uitvoering)
        .unwrap()
        .id;
    let plan = |app: &App| {
        let coordinator = coordinator.clone();
        let app = app.clone();
        async move {
            open_plan(&app, &coordinator, trajectory, None, AuditEvent::ClientRead)
                .await
                .unwrap()
        }
    };
    let context = plan(&app).await;
    let goal = context
        .plan()
        .goals
        .into_iter()
        .find(|g| g.status == GoalStatus::Active)
        .unwrap();
    let edit = |newest: i64| PlanEdit {
        trajectory_id: trajectory,
        reason: "",
        based_on: BasedOn::Form(newest),
    };
    // Before any evaluation the baseline can still be corrected.
    let corrected = goal.baseline.performance.unwrap_or(1) % 10 + 1;
    rewrite_goal(
        &app,
        &coordinator,
        edit(context.newest),
        goal.id,
        &input_of(&goal, corrected),
    )
    .await
    .expect("a correction before the first evaluation");
    let context = plan(&app).await;
    let goal = context.plan().goal(goal.id).unwrap().clone();
    assert_eq!(goal.baseline.performance, Some(corrected));
    let today = app.today();
    let evaluation = EvaluationInput {
        held_on: regie_domain::validation::iso_date(today),
        client_took_part: true,
        goals: context
            .plan()
            .goals
            .iter()
            .filter(|g| g.status == GoalStatus::Active)
            .map(|g| GoalEvaluationInput {
                goal_id: g.id,
                performance: "8".into(),
                decision: "continue".into(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    record_evaluation(&app, &coordinator, trajectory, &evaluation)
        .await
        .expect("the evaluation");
    let context = plan(&app).await;
    let changed = corrected % 10 + 1;
    let refused = rewrite_goal(
        &app,
        &coordinator,
        edit(context.newest),
        goal.id,
        &input_of(&goal, changed),
    )
    .await;
    match refused {
        Err(Error::Invalid(errors)) => {
            assert_eq!(errors[0].key, "error-baseline-kept");
            assert_eq!(errors[0].field, "performance");
        }
        other => panic!("expected the baseline to stay, got {:?}", other.map(|_| ())),
    }
    // The words may still change, with the baseline as it is.
    rewrite_goal(
        &app,
        &coordinator,
        edit(context.newest),
        goal.id,
        &input_of(&goal, corrected),
    )
    .await
    .expect("rewriting the words");
    let goal_now = plan(&app).await.plan().goal(goal.id).unwrap().clone();
    assert_eq!(goal_now.baseline.performance, Some(corrected));
    assert!(goal_now.words.ends_with("(herschreven)"));
}
