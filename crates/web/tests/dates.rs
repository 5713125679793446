//! The day something happened (issue 11): assessments, daily-activity ratings and ended
//! interventions dated after the fact, and care-hour changes that apply from a chosen week —
//! each case on SQLite and on PostgreSQL, against the real server.

mod support;

use serde_json::{Value, json};
use support::{Backend, TestApp};
use time::{Date, Duration, OffsetDateTime};

on_both_backends!(
    a_backdated_assessment_is_listed_at_its_date_and_a_future_one_is_refused,
    daily_activities_are_rated_on_a_chosen_day,
    the_api_takes_the_day_of_an_assessment,
    an_intervention_ends_on_the_day_it_stopped,
    a_care_change_from_this_week_keeps_the_weeks_before,
);

async fn body(response: reqwest::Response) -> String {
    response.text().await.expect("body")
}

/// A server whose clock stands still, and the Dutch day it reads.
async fn spawn(backend: Backend) -> Option<(TestApp, Date)> {
    let now = OffsetDateTime::now_utc();
    let (clock, _) = regie_app::Clock::fixed(now);
    let config = regie_web::WebConfig {
        clock,
        ..regie_web::WebConfig::default()
    };
    let app = TestApp::spawn_with(backend, config).await?;
    Some((app, regie_domain::dutch_time(now).date()))
}

fn iso(day: Date) -> String {
    regie_domain::validation::iso_date(day)
}

/// Shown dates: "01-12-2026".
fn shown(day: Date) -> String {
    format!(
        "{:02}-{:02}-{:04}",
        day.day(),
        day.month() as u8,
        day.year()
    )
}

fn life_domains() -> Vec<String> {
    regie_domain::InstrumentDefinition::from_toml(regie_domain::instrument::SHIPPED[0])
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.key)
        .collect()
}

fn assessment_form(perspective: &str, moment: &str, date: &str) -> Vec<(String, String)> {
    let mut fields = vec![
        ("perspective".to_string(), perspective.to_string()),
        ("moment".to_string(), moment.to_string()),
        ("date".to_string(), date.to_string()),
    ];
    for key in life_domains() {
        fields.push((format!("level-{key}"), "3".to_string()));
    }
    fields
}

/// A new trajectory for Annie that started `days_ago`, as the coordinator.
async fn trajectory_started(app: &TestApp, today: Date, days_ago: i64) -> (i64, Date) {
    let client = app.client_id("Annie").await;
    let mut tx = app.db.begin().await.unwrap();
    let coordinator = tx
        .user_by_username("coordinator")
        .await
        .unwrap()
        .unwrap()
        .id;
    tx.commit().await.unwrap();
    app.login("coordinator").await;
    let start = today - Duration::days(days_ago);
    let started = app
        .post_form(
            &format!("/clients/{client}/trajectories"),
            &[
                ("question", "Weer zelf mijn geld regelen"),
                ("question_type", "begeleiding"),
                ("start_date", &iso(start)),
                ("coordinator_id", &coordinator.to_string()),
            ],
        )
        .await;
    assert_eq!(started.status(), 303);
    let location = started.headers()["location"].to_str().unwrap().to_string();
    let id = location.rsplit('/').next().unwrap().parse().unwrap();
    (id, start)
}

async fn a_backdated_assessment_is_listed_at_its_date_and_a_future_one_is_refused(
    backend: Backend,
) {
    let Some((app, today)) = spawn(backend).await else {
        return;
    };
    let (trajectory, start) = trajectory_started(&app, today, 20).await;
    let url = format!("/trajectories/{trajectory}/assessments");
    let form = body(app.get(&format!("{url}/new?perspective=client")).await).await;
    assert!(
        form.contains(&format!(
            r#"id="date" name="date" type="date" value="{}""#,
            iso(today)
        )),
        "the day is asked, today by default"
    );

    // Typed in today, given today; then a view given last week is typed in.
    let today_view = assessment_form("professional", "intake", &iso(today));
    assert_eq!(app.post_form(&url, &today_view).await.status(), 303);
    let last_week = today - Duration::days(7);
    let late = assessment_form("client", "intake", &iso(last_week));
    assert_eq!(app.post_form(&url, &late).await.status(), 303);

    let overview = body(app.get(&url).await).await;
    let client_column = format!("Cliënt · Intake · {}", shown(last_week));
    let professional_column = format!("Professional · Intake · {}", shown(today));
    let (c, p) = (
        overview
            .find(&client_column)
            .expect("the client's view at its day"),
        overview
            .find(&professional_column)
            .expect("the professional's view at its day"),
    );
    assert!(c < p, "ordered by the day they were given");
    let timeline = body(app.get(&format!("/trajectories/{trajectory}")).await).await;
    assert!(
        timeline.contains(&format!("{} (vastgelegd ", shown(last_week))),
        "the timeline says when it happened and when it was written"
    );

    // A day to come, or before the start: refused next to the field, the input kept.
    for (day, message) in [
        (today + Duration::days(1), "in de toekomst"),
        (start - Duration::days(1), "vóór de start van het traject"),
    ] {
        let refused = app
            .post_form(&url, &assessment_form("client", "evaluation", &iso(day)))
            .await;
        assert_eq!(refused.status(), 422);
        let page = body(refused).await;
        assert!(
            page.contains(r#"id="date-error""#) && page.contains(message),
            "{message}"
        );
        assert!(page.contains(&format!(r#"value="{}""#, iso(day))), "kept");
    }
    let mut tx = app.db.begin().await.unwrap();
    let stored = tx
        .assessments_for_trajectory(&app.trajectory_access(trajectory).await)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(stored.len(), 2, "nothing saved from a refused form");
    assert_eq!(
        stored.iter().map(|a| a.happened_on).collect::<Vec<_>>(),
        [last_week, today]
    );
    assert!(
        stored
            .iter()
            .all(|a| a.recorded_at.date() >= today - Duration::days(1)),
        "when it was written stays"
    );
}

async fn daily_activities_are_rated_on_a_chosen_day(backend: Backend) {
    let Some((app, today)) = spawn(backend).await else {
        return;
    };
    let (trajectory, _) = trajectory_started(&app, today, 20).await;
    let url = format!("/trajectories/{trajectory}/activities");
    let keys: Vec<String> =
        regie_domain::InstrumentDefinition::from_toml(regie_domain::instrument::SHIPPED[1])
            .unwrap()
            .items
            .into_iter()
            .map(|i| i.key)
            .collect();
    let form = |date: &str| {
        let mut fields: Vec<(String, String)> = keys
            .iter()
            .map(|k| (format!("support-{k}"), "2".to_string()))
            .collect();
        fields.push(("date".into(), date.into()));
        fields
    };
    let future = app
        .post_form(&url, &form(&iso(today + Duration::days(3))))
        .await;
    assert_eq!(future.status(), 422);
    assert!(body(future).await.contains(r#"id="date-error""#));
    let three_days_ago = today - Duration::days(3);
    assert_eq!(
        app.post_form(&url, &form(&iso(three_days_ago)))
            .await
            .status(),
        303
    );
    let page = body(app.get(&url).await).await;
    assert!(
        page.contains(&format!("Laatst vastgelegd op {}", shown(three_days_ago))),
        "the day it happened"
    );
    let mut tx = app.db.begin().await.unwrap();
    let latest = tx
        .activities_latest(&app.trajectory_access(trajectory).await)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(latest.happened_on, three_days_ago);
}

async fn the_api_takes_the_day_of_an_assessment(backend: Backend) {
    let Some((app, today)) = spawn(backend).await else {
        return;
    };
    let (trajectory, _) = trajectory_started(&app, today, 20).await;
    let token = app.token_for("coordinator").await;
    let url = format!("/api/v1/trajectories/{trajectory}/assessments");
    let domains: Vec<Value> = life_domains()
        .iter()
        .map(|k| json!({"item_key": k, "level": 3}))
        .collect();
    let post = async |body: Value| {
        app.client
            .post(app.url(&url))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap()
    };
    let tomorrow = iso(today + Duration::days(1));
    let refused = post(
        json!({"perspective": "client", "moment": "intake", "date": tomorrow, "domains": domains}),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "date");
    // Before the start breaks no rule of the body, but the stored start date: a conflict.
    let before_start = iso(today - Duration::days(30));
    let conflict = post(
        json!({"perspective": "client", "moment": "intake", "date": before_start, "domains": domains}),
    )
    .await;
    assert_eq!(conflict.status(), 409);
    let problem: Value = conflict.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "date");
    let given = today - Duration::days(2);
    let created = post(
        json!({"perspective": "client", "moment": "intake", "date": iso(given), "domains": domains}),
    )
    .await;
    assert_eq!(created.status(), 201);
    let without =
        post(json!({"perspective": "professional", "moment": "intake", "domains": domains})).await;
    assert_eq!(without.status(), 201, "the day is optional");
    let mut tx = app.db.begin().await.unwrap();
    let stored = tx
        .assessments_for_trajectory(&app.trajectory_access(trajectory).await)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        stored.iter().map(|a| a.happened_on).collect::<Vec<_>>(),
        [given, today],
        "left out is today"
    );
}

async fn an_intervention_ends_on_the_day_it_stopped(backend: Backend) {
    let Some((app, today)) = spawn(backend).await else {
        return;
    };
    let gerrit = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(gerrit).await;
    let access = app.trajectory_access(trajectory).await;
    let mut tx = app.db.begin().await.unwrap();
    let before = tx.plan_latest(&access).await.unwrap().unwrap();
    let started = tx
        .trajectory_get(trajectory)
        .await
        .unwrap()
        .unwrap()
        .start_date;
    tx.commit().await.unwrap();
    let intervention = before.plan.goals[0].interventions[0].clone();
    app.login("coordinator").await;
    let plan = body(app.get(&format!("/trajectories/{trajectory}/plan")).await).await;
    let field = format!(
        r#"id="end-date-{}" name="date" type="date""#,
        intervention.id
    );
    assert!(plan.contains(&field), "the day is asked");
    let path = format!(
        "/trajectories/{trajectory}/plan/interventions/{}/end",
        intervention.id
    );
    let based_on = before.number.to_string();
    let end = |day: Date| {
        let form = [("based_on", based_on.clone()), ("date", iso(day))];
        let request = app.client.post(app.url(&path)).form(&form);
        async move { request.send().await.unwrap() }
    };
    for (day, message) in [
        (today + Duration::days(1), "in de toekomst"),
        (started - Duration::days(1), "vóór de start van het traject"),
    ] {
        let refused = end(day).await;
        assert_eq!(refused.status(), 422);
        let page = body(refused).await;
        assert!(
            page.contains(&format!(r#"id="end-date-{}-error""#, intervention.id))
                && page.contains(message),
            "{message}"
        );
        assert!(
            page.contains(&format!("{field} value=\"{}\"", iso(day))),
            "the typed day is kept"
        );
    }
    let stopped = (today - Duration::days(2)).max(intervention.start);
    assert_eq!(end(stopped).await.status(), 303);
    let mut tx = app.db.begin().await.unwrap();
    let after = tx.plan_latest(&access).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        after.number,
        before.number + 1,
        "only the valid ending saved"
    );
    assert_eq!(after.plan.goals[0].interventions[0].end, Some(stopped));
    let history = body(
        app.get(&format!("/trajectories/{trajectory}/plan/versions"))
            .await,
    )
    .await;
    assert!(
        history.contains(&format!("einde op {}", shown(stopped))),
        "the history names the day it stopped"
    );
}

/// The rows of the visits page's care table: week, planned.
fn care_rows(page: &str) -> Vec<(String, String)> {
    let table = page
        .rsplit(r#"<table class="compact">"#)
        .next()
        .unwrap_or_default();
    let table = table.split("</table>").next().unwrap_or_default();
    table
        .split(r#"<tr><th scope="row">"#)
        .skip(1)
        .map(|row| {
            let (week, rest) = row.split_once("</th><td>").unwrap();
            let planned = rest.split("</td>").next().unwrap();
            (week.to_string(), planned.to_string())
        })
        .collect()
}

async fn a_care_change_from_this_week_keeps_the_weeks_before(backend: Backend) {
    let Some((app, today)) = spawn(backend).await else {
        return;
    };
    let gerrit = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(gerrit).await;
    let access = app.trajectory_access(trajectory).await;
    let mut tx = app.db.begin().await.unwrap();
    let before = tx.plan_latest(&access).await.unwrap().unwrap();
    let started = tx
        .trajectory_get(trajectory)
        .await
        .unwrap()
        .unwrap()
        .start_date;
    tx.commit().await.unwrap();
    let now = regie_domain::week_of(started, today);
    assert!(now >= 2, "the demo trajectory runs for some weeks");
    app.login("coordinator").await;
    let visits = format!("/trajectories/{trajectory}/visits");
    let planned_before = care_rows(&body(app.get(&visits).await).await);
    assert!(planned_before.len() >= usize::from(now));
    let form = body(
        app.get(&format!(
            "/trajectories/{trajectory}/plan/care?discipline=verzorgende"
        ))
        .await,
    )
    .await;
    assert!(
        form.contains(&format!(
            r#"id="from_week" name="from_week" type="number" value="{now}""#
        )),
        "the current week by default"
    );
    let change = |from_week: String| {
        let fields = [
            ("based_on", before.number.to_string()),
            ("discipline", "verzorgende".into()),
            ("start_hours", "3".into()),
            ("end_hours", "1".into()),
            ("weeks", "3".into()),
            ("from_week", from_week),
        ];
        let request = app
            .client
            .post(app.url(&format!("/trajectories/{trajectory}/plan/care")))
            .form(&fields);
        async move { request.send().await.unwrap() }
    };
    let past = change((now - 1).to_string()).await;
    assert_eq!(past.status(), 422);
    let page = body(past).await;
    assert!(
        page.contains(r#"id="from_week-error""#)
            && page.contains("Kies deze week of een latere week"),
        "an earlier week is refused next to the field"
    );
    let mut tx = app.db.begin().await.unwrap();
    assert_eq!(
        tx.plan_latest(&access).await.unwrap().unwrap().number,
        before.number,
        "nothing saved"
    );
    tx.commit().await.unwrap();

    assert_eq!(change(now.to_string()).await.status(), 303);
    let planned_after = care_rows(&body(app.get(&visits).await).await);
    let past_weeks = usize::from(now) - 1;
    assert_eq!(
        planned_after[..past_weeks],
        planned_before[..past_weeks],
        "weeks before the change keep their planned figures"
    );
    assert!(
        planned_after[past_weeks].1.contains("Verzorgende 3 uur"),
        "{:?}",
        planned_after[past_weeks]
    );
    assert!(
        planned_after[past_weeks + 2]
            .1
            .contains("Verzorgende 1 uur")
    );
    let plan = body(app.get(&format!("/trajectories/{trajectory}/plan")).await).await;
    assert!(plan.contains(&format!("Vanaf week {now}: Van 3 uur naar 1 uur")));
    let api: Value = app
        .api_get(
            &format!("/api/v1/trajectories/{trajectory}/plan"),
            &app.token_for("coordinator").await,
        )
        .await
        .json()
        .await
        .unwrap();
    let care = api["plan"]["care"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["discipline"] == "verzorgende"))
        .cloned()
        .unwrap_or_else(|| panic!("{api}"));
    assert_eq!(care["from_week"], now);
    assert_eq!(care["earlier"].as_array().unwrap().len(), 1);
}
