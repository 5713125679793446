//! Visits over HTTP (issue 5): recording with reasons and successes, idempotent creation,
//! team signals, corrections and "entered in error", trend and care hours — each case on
//! SQLite and on PostgreSQL, against the real server.

mod support;

use serde_json::{Value, json};
use support::{Backend, TestApp};

on_both_backends!(
    a_visit_records_given_support_asks_why_and_keeps_a_success,
    a_double_submitted_form_records_one_visit,
    the_api_creates_visits_idempotently,
    colleagues_see_signals_and_only_the_team_lead_sees_names,
    visits_are_corrected_with_versions_and_never_deleted,
    the_visits_page_shows_trend_and_care_hours,
    another_team_cannot_reach_visits,
);

async fn body(response: reqwest::Response) -> String {
    response.text().await.expect("body")
}

/// Gerrit (Wijkteam Noord) is in execution with agreements on washing and dressing.
async fn gerrit(app: &TestApp) -> (i64, i64) {
    let client = app.client_id("Gerrit").await;
    (client, app.trajectory_of(client).await)
}

async fn visits_of(app: &TestApp, trajectory: i64) -> Vec<regie_storage::StoredVisit> {
    let mut tx = app.db.begin().await.unwrap();
    let visits = tx
        .visits_for_trajectory(&app.trajectory_access(trajectory).await)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    visits
}

async fn a_visit_records_given_support_asks_why_and_keeps_a_success(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (client, trajectory) = gerrit(&app).await;
    let before = visits_of(&app, trajectory).await.len();
    app.login("verzorgende").await;
    let form = body(
        app.get(&format!("/trajectories/{trajectory}/visits/new"))
            .await,
    )
    .await;
    assert!(
        form.contains("Wast alleen de rug"),
        "the agreement comes first"
    );
    assert!(
        !form.contains(" checked"),
        "nothing is pre-filled from the agreement"
    );
    let path = format!("/trajectories/{trajectory}/visits");
    let more = app
        .post_form(
            &path,
            &[
                ("idempotency_key", "k1"),
                ("level-wassen", "3"),
                ("level-aankleden", "1"),
                ("minutes", "20"),
                ("success", "Ik heb zelf mijn trui aangetrokken!"),
            ],
        )
        .await;
    assert_eq!(more.status(), 422);
    let page = body(more).await;
    assert!(page.contains(r#"id="reason-wassen-error""#));
    assert!(page.contains("U gaf meer hulp dan afgesproken. Kies waarom."));
    assert!(
        page.contains(r#"id="level-wassen-3" name="level-wassen" value="3" checked"#),
        "taps kept"
    );
    assert!(
        page.contains("Ik heb zelf mijn trui aangetrokken!"),
        "the success kept"
    );
    let saved = app
        .post_form(
            &path,
            &[
                ("idempotency_key", "k2"),
                ("level-wassen", "3"),
                ("reason-wassen", "pain"),
                ("level-aankleden", "1"),
                ("minutes", "20"),
                ("success", "Ik heb zelf mijn trui aangetrokken!"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let visits = visits_of(&app, trajectory).await;
    assert_eq!(visits.len(), before + 1);
    let visit = visits
        .iter()
        .find(|v| v.content.success.is_some() && v.version == 1 && v.content.minutes == 20)
        .unwrap();
    let washing = visit
        .content
        .given
        .iter()
        .find(|g| g.activity == "wassen")
        .unwrap();
    assert!(washing.took_over());
    assert_eq!(washing.reason, Some(regie_domain::visit::OverReason::Pain));
    let dressing = visit
        .content
        .given
        .iter()
        .find(|g| g.activity == "aankleden")
        .unwrap();
    assert!(dressing.did_more(), "less than agreed is a success");
    // The success shows on the client page and in the team feed.
    let record = body(app.get(&format!("/clients/{client}")).await).await;
    assert!(record.contains("Ik heb zelf mijn trui aangetrokken!"));
    let team = body(app.get("/team").await).await;
    assert!(team.contains("Ik heb zelf mijn trui aangetrokken!"));
    let audited = app.audit_of("client.update").await;
    assert!(
        audited
            .iter()
            .any(|r| r.object_type.as_deref() == Some("visit") && r.client_id == Some(client))
    );
    // An agreed activity left unanswered is named, not skipped.
    let unanswered = app
        .post_form(&path, &[("level-wassen", "1"), ("minutes", "15")])
        .await;
    assert_eq!(unanswered.status(), 422);
    let page = body(unanswered).await;
    assert!(page.contains(r#"id="level-aankleden-error""#));
    assert!(page.contains("Kies hoeveel hulp u gaf, of ‘niet gedaan bij dit bezoek’."));
    // Nothing to record is explained, not stored.
    let empty = app
        .post_form(
            &path,
            &[
                ("level-wassen", "not_done"),
                ("level-aankleden", "not_done"),
                ("minutes", "15"),
            ],
        )
        .await;
    assert_eq!(empty.status(), 422);
    assert!(
        body(empty)
            .await
            .contains("Tik bij ten minste één activiteit")
    );
    assert_eq!(visits_of(&app, trajectory).await.len(), before + 1);
}

async fn a_double_submitted_form_records_one_visit(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (_, trajectory) = gerrit(&app).await;
    let before = visits_of(&app, trajectory).await.len();
    app.login("verzorgende").await;
    let form = [
        ("idempotency_key", "same-tap"),
        ("level-wassen", "1"),
        ("level-aankleden", "not_done"),
        ("minutes", "15"),
    ];
    let path = format!("/trajectories/{trajectory}/visits");
    assert_eq!(app.post_form(&path, &form).await.status(), 303);
    assert_eq!(app.post_form(&path, &form).await.status(), 303);
    assert_eq!(visits_of(&app, trajectory).await.len(), before + 1);
}

async fn the_api_creates_visits_idempotently(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (_, trajectory) = gerrit(&app).await;
    let token = app.token_for("verzorgende").await;
    let before = visits_of(&app, trajectory).await.len();
    let post = |key: Option<&'static str>, body: Value| {
        let mut request = app
            .client
            .post(app.url(&format!("/api/v1/trajectories/{trajectory}/visits")))
            .bearer_auth(&token)
            .json(&body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        async move { request.send().await.unwrap() }
    };
    let visit = json!({"minutes": 30, "given": [{"activity": "wassen", "level": 0}, {"activity": "aankleden", "level": null}], "success": "Helemaal zelf gewassen"});
    let first = post(Some("tablet-42"), visit.clone()).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["given"][0]["did_more"], true);
    assert_eq!(first["not_done"], json!(["aankleden"]));
    let retry = post(Some("tablet-42"), visit.clone()).await;
    assert_eq!(retry.status(), 200, "a retry answers with the first result");
    let retry: Value = retry.json().await.unwrap();
    assert_eq!(retry["id"], first["id"]);
    assert_eq!(
        visits_of(&app, trajectory).await.len(),
        before + 1,
        "no duplicate"
    );
    // Without a key every POST is a new visit.
    assert_eq!(post(None, visit.clone()).await.status(), 201);
    assert_eq!(visits_of(&app, trajectory).await.len(), before + 2);
    // More than agreed without a reason: a problem document naming the field. 409, because
    // whether a reason is needed depends on the agreement stored (issue 9).
    let bad = post(
        Some("tablet-43"),
        json!({"minutes": 30, "given": [{"activity": "wassen", "level": 4}, {"activity": "aankleden", "level": 2}]}),
    )
    .await;
    assert_eq!(bad.status(), 409);
    assert_eq!(bad.headers()["content-type"], "application/problem+json");
    let problem: Value = bad.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "reason-wassen");
    // The failed key is not used up.
    let fixed = post(
        Some("tablet-43"),
        json!({"minutes": 30, "given": [{"activity": "wassen", "level": 4, "reason": "safety"}, {"activity": "aankleden", "level": 2}]}),
    )
    .await;
    assert_eq!(fixed.status(), 201);
    let list: Value = app
        .api_get(&format!("/api/v1/trajectories/{trajectory}/visits"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), before + 3);
    assert_eq!(list[0]["given"][0]["reason"], "safety");
}

async fn colleagues_see_signals_and_only_the_team_lead_sees_names(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (client, trajectory) = gerrit(&app).await;
    // The demo has Sandra taking over with dressing under time pressure.
    app.login("coordinator").await;
    let visits = body(app.get(&format!("/trajectories/{trajectory}/visits")).await).await;
    assert!(visits.contains("Signalen voor het team"));
    assert!(visits.contains("Aankleden:") && visits.contains("meer hulp dan afgesproken"));
    let record = body(app.get(&format!("/clients/{client}")).await).await;
    assert!(record.contains("Signalen voor het team"));
    let team = body(app.get("/team").await).await;
    assert!(team.contains("Meneer G. (Gerrit) van den Berg"));
    assert!(team.contains("geen namen van collega"));
    assert!(
        !team.contains("Door: Sandra Bakker"),
        "no names in the team-wide view"
    );
    let lead = TestApp::new_client();
    app.login_as(&lead, "teamleider", "regie-demo").await;
    let lead_view = lead
        .get(app.url("/team"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        lead_view.contains("Door: Sandra Bakker"),
        "the team lead sees who"
    );
    // The organisation sets how often taking over may recur before the team sees it.
    let admin = TestApp::new_client();
    app.login_as(&admin, "admin", "regie-demo").await;
    let set = admin
        .post(app.url("/admin/catalogue/limit"))
        .form(&[("limit", "3"), ("takeover", "20")])
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 303);
    let visits = body(app.get(&format!("/trajectories/{trajectory}/visits")).await).await;
    assert!(!visits.contains("meer hulp dan afgesproken in de afgelopen"));
    assert!(
        visits.contains("duidelijk verschillende hulp"),
        "the other rule still holds"
    );
    // Analysts see no individual signals.
    let analyst = TestApp::new_client();
    app.login_as(&analyst, "analist", "regie-demo").await;
    assert_eq!(
        analyst.get(app.url("/team")).send().await.unwrap().status(),
        403
    );
}

async fn visits_are_corrected_with_versions_and_never_deleted(backend: Backend) {
    // The clock stands still, so "after 24 hours" is a turn of the hand, not a rewritten row.
    let (clock, hand) = regie_app::Clock::fixed(time::OffsetDateTime::now_utc());
    let config = regie_web::WebConfig {
        clock,
        ..regie_web::WebConfig::default()
    };
    let Some(app) = TestApp::spawn_with(backend, config).await else {
        return;
    };
    let (_, trajectory) = gerrit(&app).await;
    app.login("verzorgende").await;
    let path = format!("/trajectories/{trajectory}/visits");
    app.post_form(
        &path,
        &[
            ("idempotency_key", "c1"),
            ("level-wassen", "1"),
            ("level-aankleden", "not_done"),
            ("minutes", "15"),
        ],
    )
    .await;
    let visit = visits_of(&app, trajectory)
        .await
        .into_iter()
        .find(|v| v.content.minutes == 15 && v.version == 1)
        .unwrap();
    // Within a day: corrected without a reason; the first version is kept.
    let corrected = app
        .post_from(
            &format!("/visits/{}", visit.id),
            &format!("/visits/{}", visit.id),
            &[
                ("version", "1"),
                ("level-wassen", "0"),
                ("level-aankleden", "not_done"),
                ("minutes", "20"),
            ],
        )
        .await;
    assert_eq!(corrected.status(), 303);
    let mut tx = app.db.begin().await.unwrap();
    let now = tx.visit_get(visit.id).await.unwrap().unwrap();
    assert_eq!((now.version, now.content.minutes), (2, 20));
    let versions = tx
        .visit_versions(&app.trajectory_access(visit.trajectory_id).await, visit.id)
        .await
        .unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].1.minutes, 15);
    tx.commit().await.unwrap();
    // A correction based on the first version now would overwrite the second: refused,
    // with who changed it, and the input kept.
    let stale = app
        .post_from(
            &format!("/visits/{}", visit.id),
            &format!("/visits/{}", visit.id),
            &[
                ("version", "1"),
                ("level-wassen", "1"),
                ("level-aankleden", "not_done"),
                ("minutes", "45"),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409);
    let page = body(stale).await;
    assert!(page.contains("iemand anders heeft dit intussen gewijzigd"));
    assert!(
        page.contains(r#"<ul class="meanwhile"><li>Dit bezoek is intussen gecorrigeerd of als onjuist gemarkeerd (Sandra Bakker, "#),
        "who changed it"
    );
    assert!(page.contains(r#"value="45""#), "the input is kept");
    assert!(
        page.contains(r#"name="version" value="2""#),
        "based on the newest now"
    );
    // A colleague cannot correct someone else's visit: refused, and audited.
    let colleague = TestApp::new_client();
    app.login_as(&colleague, "coordinator", "regie-demo").await;
    let theirs = colleague
        .post(app.url(&format!("/visits/{}", visit.id)))
        .form(&[("level-wassen", "4"), ("minutes", "20")])
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.status(), 403);
    assert!(
        theirs
            .text()
            .await
            .unwrap()
            .contains("Alleen wie het bezoek vastlegde")
    );
    // After 24 hours a reason is needed.
    hand.advance(time::Duration::hours(30));
    // A day later the session has long expired: Sandra signs in again.
    app.login("verzorgende").await;
    let late = app
        .post_from(
            &format!("/visits/{}", visit.id),
            &format!("/visits/{}", visit.id),
            &[
                ("level-wassen", "1"),
                ("level-aankleden", "not_done"),
                ("minutes", "25"),
            ],
        )
        .await;
    assert_eq!(late.status(), 422);
    assert!(body(late).await.contains(r#"id="correction-error""#));
    let with_reason = app
        .post_from(
            &format!("/visits/{}", visit.id),
            &format!("/visits/{}", visit.id),
            &[
                ("level-wassen", "1"),
                ("level-aankleden", "not_done"),
                ("minutes", "25"),
                ("correction_reason", "Verkeerde cliënt aangeklikt"),
            ],
        )
        .await;
    assert_eq!(with_reason.status(), 303);
    // Entered in error: not by just any colleague (the ergotherapist is on the team).
    let other = TestApp::new_client();
    app.login_as(&other, "ergotherapeut", "regie-demo").await;
    let refused = other
        .post(app.url(&format!("/visits/{}/error", visit.id)))
        .form(&[("error_reason", "Lijkt dubbel")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    // By the author: needs a reason, stays visible, no longer counts.
    let no_reason = app
        .post_form(
            &format!("/visits/{}/error", visit.id),
            &[("error_reason", "")],
        )
        .await;
    assert_eq!(no_reason.status(), 422);
    let marked = app
        .post_form(
            &format!("/visits/{}/error", visit.id),
            &[("error_reason", "Dubbel ingevoerd")],
        )
        .await;
    assert_eq!(marked.status(), 303);
    // Marked once: a second marking would overwrite the first reason.
    let again = app
        .post_form(
            &format!("/visits/{}/error", visit.id),
            &[("error_reason", "Nog eens")],
        )
        .await;
    assert_eq!(again.status(), 422);
    let page = body(app.get(&format!("/trajectories/{trajectory}/visits")).await).await;
    assert!(page.contains("Onjuist ingevoerd</strong>: Dubbel ingevoerd"));
    let mut tx = app.db.begin().await.unwrap();
    let stored = tx.visit_get(visit.id).await.unwrap().unwrap();
    assert_eq!(stored.version, 3);
    assert_eq!(stored.error_reason.as_deref(), Some("Dubbel ingevoerd"));
    assert_eq!(
        tx.visit_versions(&app.trajectory_access(visit.trajectory_id).await, visit.id)
            .await
            .unwrap()
            .len(),
        2
    );
    tx.commit().await.unwrap();
}

async fn the_visits_page_shows_trend_and_care_hours(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (_, trajectory) = gerrit(&app).await;
    app.login("coordinator").await;
    let page = body(app.get(&format!("/trajectories/{trajectory}/visits")).await).await;
    assert!(page.contains(r#"role="img" aria-label="Zelf gedaan, per week""#));
    assert!(page.contains(r#"aria-label="Zorguren per week: gepland en geleverd""#));
    // The table alternative: planned 7 hours for the carer in week 1, delivered minutes too.
    assert!(page.contains("Verzorgende 7 uur"));
    let first_week = page.split("Week 1 (vanaf").nth(1).unwrap_or_default();
    assert!(first_week.contains('%'), "a share for the first week");
    // The numbers come from the domain's rules over the stored visits.
    let visits = visits_of(&app, trajectory).await;
    let mut tx = app.db.begin().await.unwrap();
    let t = tx.trajectory_get(trajectory).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    let records = regie_app::records::visits::support_records(&visits);
    let trend = regie_domain::visit::weekly_trend(
        &records,
        t.start_date,
        time::OffsetDateTime::now_utc().date(),
    );
    let week = &trend[0];
    let expected = format!(
        "{:.0}% ({}/{})",
        week.share().unwrap() * 100.0,
        week.at_or_below,
        week.recorded
    );
    assert!(page.contains(&expected), "{expected}");
}

async fn another_team_cannot_reach_visits(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (_, trajectory) = gerrit(&app).await;
    let visit = visits_of(&app, trajectory).await[0].id;
    let before = visits_of(&app, trajectory).await.len();
    let outsider = TestApp::new_client();
    app.login_as(&outsider, "fysiotherapeut", "regie-demo")
        .await;
    for path in [
        format!("/trajectories/{trajectory}/visits"),
        format!("/trajectories/{trajectory}/visits/new"),
        format!("/visits/{visit}"),
    ] {
        assert_eq!(
            outsider.get(app.url(&path)).send().await.unwrap().status(),
            403,
            "GET {path}"
        );
    }
    for path in [
        format!("/trajectories/{trajectory}/visits"),
        format!("/visits/{visit}"),
        format!("/visits/{visit}/error"),
    ] {
        let status = outsider
            .post(app.url(&path))
            .form(&[("minutes", "x"), ("error_reason", "x")])
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 403, "POST {path}");
    }
    let token = app.token_for("fysiotherapeut").await;
    let refused = app
        .client
        .post(app.url(&format!("/api/v1/trajectories/{trajectory}/visits")))
        .bearer_auth(&token)
        .header("Idempotency-Key", "x")
        .json(&json!({"minutes": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    // Every refusal is in the audit log, against this client.
    let (client, _) = gerrit(&app).await;
    let denied = app
        .audit(regie_storage::AuditFilter {
            username: Some("fysiotherapeut".into()),
            outcome: Some("denied".into()),
            ..Default::default()
        })
        .await;
    assert_eq!(
        denied.len(),
        7,
        "three reads, three changes and the API call"
    );
    assert!(denied.iter().all(|r| r.client_id == Some(client)));
    assert_eq!(visits_of(&app, trajectory).await.len(), before);
    let mut tx = app.db.begin().await.unwrap();
    assert!(
        tx.visit_get(visit)
            .await
            .unwrap()
            .unwrap()
            .error_reason
            .is_none()
    );
    tx.commit().await.unwrap();
}
