//! Closing a trajectory over HTTP (issue 11): the guided closing page that settles open goals
//! and running interventions in the same step, each closure option, the dates a closure may
//! take, a closed trajectory refusing a second close, the printed summary, and the API — each
//! case on SQLite and on PostgreSQL, against the real server.

mod support;

use regie_domain::{GoalStatus, Phase};
use serde_json::{Value, json};
use support::{Backend, TestApp};

on_both_backends!(
    closing_settles_open_goals_and_interventions_in_one_step,
    the_api_closes_with_a_referral_and_the_print_has_the_handover,
    early_phases_can_only_stop_early,
);

async fn body(response: reqwest::Response) -> String {
    response.text().await.expect("body")
}

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// The trajectory as stored, and its newest plan.
async fn stored(
    app: &TestApp,
    trajectory: i64,
) -> (regie_domain::Trajectory, regie_storage::PlanVersion) {
    let mut tx = app.db.begin().await.unwrap();
    let t = tx.trajectory_get(trajectory).await.unwrap().unwrap();
    let plan = tx
        .plan_latest(&app.trajectory_access(trajectory).await)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    (t, plan)
}

fn active_goals(plan: &regie_storage::PlanVersion) -> Vec<u32> {
    plan.plan
        .goals
        .iter()
        .filter(|g| g.status == GoalStatus::Active)
        .map(|g| g.id)
        .collect()
}

async fn closing_settles_open_goals_and_interventions_in_one_step(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Gerrit").await; // in execution, with a full plan
    let trajectory = app.trajectory_of(client).await;
    let (before, plan) = stored(&app, trajectory).await;
    let goals = active_goals(&plan);
    assert!(!goals.is_empty(), "Gerrit has active goals in the demo");
    app.login("coordinator").await;
    let close = format!("/trajectories/{trajectory}/close");

    let page = body(app.get(&close).await).await;
    assert!(
        page.contains("niet alles in het plan is klaar"),
        "the warning"
    );
    assert!(page.contains(&format!("name=\"goal-{}-status\"", goals[0])));
    assert!(page.contains("Doelscores bij afsluiting"));
    assert!(
        page.contains(&format!("name=\"performance-{}\"", goals[0])),
        "final scores asked beside the baseline"
    );
    assert!(
        page.contains("moment=closure"),
        "links to the closure ratings"
    );

    let mut form: Vec<(String, String)> = [
        ("option", "no_care_needed"),
        ("summary", "Meneer spuit zelf en doucht zelf."),
        ("care_discipline", "verzorgende"),
        ("care_hours", "1,5"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .to_vec();
    let audits = app.audit_of("client.update").await.len();

    // Goals left open: refused, with the input kept, and nothing written.
    let mut open = form.clone();
    open.push(("date".into(), today().to_string()));
    let refused = app.post_form(&close, &open).await;
    assert_eq!(refused.status(), 422);
    let page = body(refused).await;
    assert!(page.contains("Geef bij elk doel dat nog loopt aan"));
    assert!(
        page.contains("Meneer spuit zelf en doucht zelf."),
        "input kept"
    );
    // A date in the future, or before the start: refused.
    for (date, message) in [
        (
            (today() + time::Duration::days(1)).to_string(),
            "ligt in de toekomst",
        ),
        (
            (before.start_date - time::Duration::days(1)).to_string(),
            "vóór de start van het traject",
        ),
    ] {
        let mut dated = form.clone();
        dated.push(("date".into(), date));
        for g in &goals {
            dated.push((format!("goal-{g}-status"), "achieved".into()));
        }
        let refused = app.post_form(&close, &dated).await;
        assert_eq!(refused.status(), 422);
        assert!(body(refused).await.contains(message));
    }
    let (unchanged, same_plan) = stored(&app, trajectory).await;
    assert_eq!(unchanged.phase, Phase::Uitvoering);
    assert_eq!(same_plan.number, plan.number, "nothing half-written");
    assert_eq!(app.audit_of("client.update").await.len(), audits);

    // Every goal settled in the same step: one achieved, the others stopped with a reason.
    let closed_on = today() - time::Duration::days(1);
    form.push(("date".into(), closed_on.to_string()));
    for (i, g) in goals.iter().enumerate() {
        if i == 0 {
            form.push((format!("goal-{g}-status"), "achieved".into()));
        } else {
            form.push((format!("goal-{g}-status"), "stopped".into()));
            form.push((format!("goal-{g}-reason"), "niet meer nodig".into()));
        }
    }
    // A final score out of range is refused next to its field, nothing written.
    let mut out_of_range = form.clone();
    out_of_range.push((format!("performance-{}", goals[0]), "11".into()));
    let refused = app.post_form(&close, &out_of_range).await;
    assert_eq!(refused.status(), 422);
    assert!(
        body(refused)
            .await
            .contains(&format!("id=\"performance-{}-error\"", goals[0]))
    );
    assert_eq!(stored(&app, trajectory).await.0.phase, Phase::Uitvoering);
    form.push((format!("performance-{}", goals[0]), "8".into()));
    form.push((format!("satisfaction-{}", goals[0]), "9".into()));
    let closed = app.post_form(&close, &form).await;
    assert_eq!(closed.status(), 303);
    // The final scores are rows of their own, dated on the closure day, beside the baseline.
    let granted = app.trajectory_access(trajectory).await;
    let mut tx = app.db.begin().await.unwrap();
    let scores = tx.goal_scores(&granted).await.unwrap();
    tx.commit().await.unwrap();
    let finals: Vec<_> = scores
        .iter()
        .filter(|s| s.score.moment == regie_domain::ScoreMoment::Closure)
        .collect();
    assert_eq!(finals.len(), 1, "one goal scored at closure");
    assert_eq!(finals[0].score.goal_id, goals[0]);
    assert_eq!(finals[0].score.scored_on, closed_on);
    assert_eq!(
        (finals[0].score.performance, finals[0].score.satisfaction),
        (Some(8), Some(9))
    );
    let (after, settled) = stored(&app, trajectory).await;
    assert_eq!(after.phase, Phase::Afgesloten);
    let closure = after.closure.expect("the closure is kept");
    assert_eq!(closure.date, Some(closed_on));
    assert_eq!(closure.care_now.len(), 1);
    assert_eq!(closure.care_now[0].minutes, 90);
    assert_eq!(settled.number, plan.number + 1, "one new plan version");
    assert_eq!(
        settled.reason,
        format!(
            "afsluiting van {}-{}-{}",
            closed_on.day(),
            u8::from(closed_on.month()),
            closed_on.year()
        )
    );
    assert!(active_goals(&settled).is_empty());
    assert_eq!(
        settled.plan.goal(goals[0]).unwrap().status,
        GoalStatus::Achieved
    );
    for i in settled.plan.goals.iter().flat_map(|g| &g.interventions) {
        assert!(
            i.end.is_some_and(|end| end <= closed_on.max(i.start)),
            "every intervention ended by the closure date"
        );
    }
    assert_eq!(app.audit_of("client.update").await.len(), audits + 1);

    // The trajectory page shows the closure; a second close is refused.
    let page = body(app.get(&format!("/trajectories/{trajectory}")).await).await;
    assert!(page.contains("Geen zorg of ondersteuning meer nodig"));
    assert!(page.contains("Meneer spuit zelf en doucht zelf."));
    assert!(page.contains("Verzorgende: 1,5 uur"));
    assert!(!page.contains(&format!("href=\"{close}\"")));
    let again = app.post_form(&close, &form).await;
    assert_eq!(again.status(), 422);
    assert!(body(again).await.contains("Dit traject is afgesloten"));
    assert_eq!(stored(&app, trajectory).await.1.number, settled.number);

    // The summary for the client, audited as a print; no receiver's sheet for option A.
    let prints = app.audit_of("client.print").await.len();
    let print = body(
        app.get(&format!("/trajectories/{trajectory}/closure/print"))
            .await,
    )
    .await;
    assert!(print.contains("Wat u heeft bereikt") && print.contains("Wie kunt u bellen?"));
    assert!(!print.contains("for-receiver"));
    assert_eq!(app.audit_of("client.print").await.len(), prints + 1);
}

async fn the_api_closes_with_a_referral_and_the_print_has_the_handover(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Bert").await; // in execution, north
    let trajectory = app.trajectory_of(client).await;
    let (_, plan) = stored(&app, trajectory).await;
    let token = app.token_for("coordinator").await;
    let post = |body: Value| {
        let request = app
            .client
            .post(app.url(&format!("/api/v1/trajectories/{trajectory}/closure")))
            .bearer_auth(&token)
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    let goals: Vec<Value> = active_goals(&plan)
        .into_iter()
        .map(|id| json!({"goal_id": id, "status": "achieved"}))
        .collect();
    // A referral without its handover note: 422 naming the field.
    let bad = post(json!({
        "option": "referred", "referral_to": "wlz", "summary": "Doorverwezen.", "goals": goals,
    }))
    .await;
    assert_eq!(bad.status(), 422);
    assert!(body(bad).await.contains("handover"));
    // A goal left out: 409, the plan decides.
    if !goals.is_empty() {
        let open = post(json!({
            "option": "referred", "referral_to": "wlz", "handover": "Bel eerst de dochter.",
            "summary": "Doorverwezen.",
        }))
        .await;
        assert_eq!(open.status(), 409);
    }
    let closed = post(json!({
        "option": "referred", "referral_to": "wlz", "handover": "Bel eerst de dochter.",
        "summary": "Doorverwezen naar de Wlz.", "goals": goals,
        "care_now": [{"discipline": "verzorgende", "hours_per_week": 7}],
    }))
    .await;
    assert_eq!(closed.status(), 201);
    let document: Value = app
        .api_get(&format!("/api/v1/trajectories/{trajectory}"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(document["phase"], "afgesloten");
    assert_eq!(document["closure"]["option"], "referred");
    assert_eq!(document["closure"]["referral_to"], "wlz");
    assert_eq!(document["closure"]["handover"], "Bel eerst de dochter.");
    assert_eq!(document["closure"]["date"], today().to_string());
    assert_eq!(document["closure"]["care_now"][0]["hours_per_week"], 7.0);
    // A second close: 409.
    let again = post(json!({"option": "no_care_needed", "summary": "Nog eens."})).await;
    assert_eq!(again.status(), 409);

    app.login("coordinator").await;
    let print = body(
        app.get(&format!("/trajectories/{trajectory}/closure/print"))
            .await,
    )
    .await;
    assert!(print.contains("for-receiver") && print.contains("Bel eerst de dochter."));
    assert!(print.contains("Doorverwezen naar Wlz"));
}

async fn early_phases_can_only_stop_early(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Henk").await; // vraagverheldering, no plan
    let trajectory = app.trajectory_of(client).await;
    let token = app.token_for("coordinator").await;
    let post = |body: Value| {
        let request = app
            .client
            .post(app.url(&format!("/api/v1/trajectories/{trajectory}/closure")))
            .bearer_auth(&token)
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    let a = post(json!({"option": "no_care_needed", "summary": "Klaar."})).await;
    assert_eq!(a.status(), 409);
    // A print before closing: there is nothing to print yet.
    app.login("coordinator").await;
    let none = app
        .get(&format!("/trajectories/{trajectory}/closure/print"))
        .await;
    assert_eq!(none.status(), 404);
    let stopped = post(json!({
        "option": "stopped_early", "stop_reason": "admission",
        "summary": "Opgenomen in het ziekenhuis.",
    }))
    .await;
    assert_eq!(stopped.status(), 201);
    let page = body(app.get(&format!("/trajectories/{trajectory}")).await).await;
    assert!(page.contains("Voortijdig gestopt: Opname"));
    let print = app
        .get(&format!("/trajectories/{trajectory}/closure/print"))
        .await;
    assert_eq!(print.status(), 200);
}
