//! Evaluating with the client over HTTP: the guided page, dated scores beside a baseline that
//! stays, one plan version per evaluation, tapered support, the worklist, and refusals.

mod support;

use regie_domain::GoalStatus;
use support::{Backend, TestApp};

on_both_backends!(
    an_evaluation_adds_scores_decides_and_tapers_in_one_plan_version,
    a_bad_evaluation_keeps_the_input_and_saves_nothing,
    the_api_records_an_evaluation_and_lists_the_scores,
);

async fn body(response: reqwest::Response) -> String {
    response.text().await.unwrap()
}

async fn gerrit(app: &TestApp) -> i64 {
    let client = app.client_id("Gerrit").await;
    app.trajectory_of(client).await
}

async fn stored(app: &TestApp, trajectory: i64) -> (regie_storage::PlanVersion, usize, usize) {
    let granted = app.trajectory_access(trajectory).await;
    let mut tx = app.db.begin().await.unwrap();
    let plan = tx.plan_latest(&granted).await.unwrap().unwrap();
    let evaluations = tx.evaluations(&granted).await.unwrap().len();
    let scores = tx.goal_scores(&granted).await.unwrap().len();
    tx.commit().await.unwrap();
    (plan, evaluations, scores)
}

/// The form as a coordinator fills it in: every active goal continued with new scores, the
/// first agreement one level lighter.
fn filled(plan: &regie_domain::Plan, held_on: &str) -> Vec<(String, String)> {
    let mut form = vec![
        ("held_on".to_string(), held_on.to_string()),
        ("client".into(), "yes".into()),
    ];
    for goal in plan.goals.iter().filter(|g| g.status == GoalStatus::Active) {
        let id = goal.id;
        form.push(("goal".into(), id.to_string()));
        form.push((format!("performance-{id}"), "7".into()));
        form.push((format!("satisfaction-{id}"), "8".into()));
        form.push((format!("words-{id}"), "Het gaat veel beter".into()));
        form.push((format!("decision-{id}"), "continue".into()));
    }
    let first = &plan.agreements[0];
    let lighter = first.support.value().saturating_sub(1);
    form.push(("agreement".into(), "0".into()));
    form.push(("activity-0".into(), first.activity.clone()));
    form.push(("support-0".into(), lighter.to_string()));
    form
}

async fn an_evaluation_adds_scores_decides_and_tapers_in_one_plan_version(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let trajectory = gerrit(&app).await;
    let (before, evaluations, scores) = stored(&app, trajectory).await;
    assert_eq!((evaluations, scores), (0, 0));
    app.login("coordinator").await;
    // Gerrit started weeks ago and was never evaluated: it is on the coordinator's worklist.
    let home = body(app.get("/").await).await;
    assert!(home.contains("Evaluaties deze week"), "the worklist");
    assert!(home.contains(&format!("/trajectories/{trajectory}/evaluation")));
    assert!(home.contains("te laat"), "overdue is flagged");
    let page = app
        .get(&format!("/trajectories/{trajectory}/evaluation"))
        .await;
    assert_eq!(page.status(), 200);
    let page = body(page).await;
    assert!(page.contains("Evaluatie met de cliënt"));
    let active: Vec<_> = before
        .plan
        .goals
        .iter()
        .filter(|g| g.status == GoalStatus::Active)
        .collect();
    assert!(!active.is_empty(), "Gerrit has active goals");
    assert!(page.contains(&active[0].words), "each goal is on the page");
    assert!(
        page.contains("Gegeven sinds de vorige evaluatie: ") && page.contains("×)"),
        "beside each agreement, how often each level of help was given since the start"
    );
    let today = regie_domain::dutch_time(time::OffsetDateTime::now_utc()).date();
    let held_on = regie_domain::validation::iso_date(today);
    let saved = app
        .post_form(
            &format!("/trajectories/{trajectory}/evaluation"),
            &filled(&before.plan, &held_on),
        )
        .await;
    assert_eq!(saved.status(), 303, "{}", body(saved).await);
    let (after, evaluations, scores) = stored(&app, trajectory).await;
    assert_eq!(evaluations, 1);
    assert_eq!(scores, active.len(), "one score row per active goal");
    assert_eq!(after.number, before.number + 1, "one new plan version");
    assert!(
        after.reason.starts_with("evaluatie van "),
        "{}",
        after.reason
    );
    let first = &before.plan.agreements[0];
    assert_eq!(
        after.plan.agreements[0].support.value(),
        first.support.value().saturating_sub(1),
        "support tapered"
    );
    // The baseline is untouched; the new scores are rows beside it.
    for goal in &active {
        let now = after.plan.goal(goal.id).unwrap();
        assert_eq!(now.baseline, goal.baseline);
    }
    // The page now shows the evaluation in each goal's history, after the baseline.
    let page = body(
        app.get(&format!("/trajectories/{trajectory}/evaluation"))
            .await,
    )
    .await;
    let shown = format!(
        "<th scope=\"row\">Evaluatie {:02}-{:02}-{}</th><td>7</td><td>8</td>",
        today.day(),
        today.month() as u8,
        today.year()
    );
    assert_eq!(page.matches(&shown).count(), active.len(), "history rows");
    // The plan shows each goal's later scores beside the baseline, with the change.
    let plan_page = body(app.get(&format!("/trajectories/{trajectory}/plan")).await).await;
    assert!(plan_page.contains("Scores daarna"));
    let line = format!(
        "Evaluatie {:02}-{:02}-{}: ",
        today.day(),
        today.month() as u8,
        today.year()
    );
    assert_eq!(
        plan_page.matches(&line).count(),
        active.len(),
        "{plan_page}"
    );
    // Audited as one change of the record.
    let rows = app.audit_of("client.update").await;
    assert!(
        rows.iter()
            .any(|r| r.object_type.as_deref() == Some("evaluation")),
        "the evaluation is audited"
    );
    // The coordinator sets the interval; a number out of range is refused next to the field.
    let interval = format!("/trajectories/{trajectory}/evaluation/interval");
    let refused = app
        .post_form(&interval, &[("evaluation_weeks", "40")])
        .await;
    assert_eq!(refused.status(), 422);
    let page = body(refused).await;
    assert!(
        page.contains(r#"id="evaluation_weeks-error""#),
        "next to the field"
    );
    assert!(page.contains(r#"value="40""#), "the input is kept");
    let set = app.post_form(&interval, &[("evaluation_weeks", "3")]).await;
    assert_eq!(set.status(), 303);
    let page = body(
        app.get(&format!("/trajectories/{trajectory}/evaluation"))
            .await,
    )
    .await;
    assert!(page.contains(r#"name="evaluation_weeks" type="number" min="1" max="26" value="3""#));
    // The next one is two weeks on: no longer on this week's worklist.
    let home = body(app.get("/").await).await;
    assert!(!home.contains(&format!("/trajectories/{trajectory}/evaluation")));
    // A colleague outside the core team may not evaluate: refused and audited.
    let denied = app.denied_count().await;
    app.login("sociaalwerker").await;
    let refused = app
        .get(&format!("/trajectories/{trajectory}/evaluation"))
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(app.denied_count().await, denied + 1);
}

async fn a_bad_evaluation_keeps_the_input_and_saves_nothing(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let trajectory = gerrit(&app).await;
    let (before, _, _) = stored(&app, trajectory).await;
    app.login("coordinator").await;
    let tomorrow =
        regie_domain::dutch_time(time::OffsetDateTime::now_utc()).date() + time::Duration::days(2);
    let mut form = filled(&before.plan, &regie_domain::validation::iso_date(tomorrow));
    let goal = before
        .plan
        .goals
        .iter()
        .find(|g| g.status == GoalStatus::Active)
        .unwrap()
        .id;
    form.retain(|(k, _)| *k != format!("performance-{goal}"));
    form.push((format!("performance-{goal}"), "12".into()));
    let refused = app
        .post_form(&format!("/trajectories/{trajectory}/evaluation"), &form)
        .await;
    assert_eq!(refused.status(), 422);
    let page = body(refused).await;
    assert!(
        page.contains("Deze datum ligt in de toekomst."),
        "next to the date"
    );
    assert!(page.contains(r#"value="12""#), "the input is kept");
    assert!(page.contains("Het gaat veel beter"), "the words are kept");
    let (after, evaluations, scores) = stored(&app, trajectory).await;
    assert_eq!((evaluations, scores), (0, 0), "nothing saved");
    assert_eq!(after.number, before.number, "no plan version");
}

async fn the_api_records_an_evaluation_and_lists_the_scores(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let trajectory = gerrit(&app).await;
    let (before, _, _) = stored(&app, trajectory).await;
    let token = app.token_for("coordinator").await;
    let url = app.url(&format!("/api/v1/trajectories/{trajectory}/evaluations"));
    let today = regie_domain::dutch_time(time::OffsetDateTime::now_utc()).date();
    let goals: Vec<_> = before
        .plan
        .goals
        .iter()
        .filter(|g| g.status == GoalStatus::Active)
        .map(|g| serde_json::json!({"goal_id": g.id, "performance": 6, "satisfaction": 7, "decision": "continue"}))
        .collect();
    // A goal left without a decision is a 422 naming it; nothing is saved.
    let refused = app
        .client
        .post(&url)
        .bearer_auth(&token)
        .json(&serde_json::json!({"held_on": today.to_string(), "client_took_part": true, "goals": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert!(problem.to_string().contains("decision-"), "{problem}");
    let created = app
        .client
        .post(&url)
        .bearer_auth(&token)
        .json(&serde_json::json!({"held_on": today.to_string(), "client_took_part": true, "goals": goals}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let listed: serde_json::Value = app
        .client
        .get(&url)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["evaluations"].as_array().unwrap().len(), 1);
    assert_eq!(listed["scores"].as_array().unwrap().len(), goals.len());
    assert_eq!(listed["scores"][0]["performance"], 6);
    assert_eq!(listed["scores"][0]["decision"], "continue");
    assert_eq!(
        listed["next_due"],
        (today + time::Duration::weeks(2)).to_string()
    );
    // The client's trajectories, newest first, through the client.
    let client = app.client_id("Gerrit").await;
    let trajectories: serde_json::Value = app
        .client
        .get(app.url(&format!("/api/v1/clients/{client}/trajectories")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(trajectories[0]["id"], trajectory);
    assert_eq!(trajectories[0]["phase"], "uitvoering");
    let reads = app.audit_of("client.read").await;
    assert_eq!(
        reads[0].client_id,
        Some(client),
        "the list is a read of the record"
    );
}
