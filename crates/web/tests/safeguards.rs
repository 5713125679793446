//! The defects found by trying Regie as an attacker and as a careless colleague would (issue
//! 9), each with a regression test on SQLite and PostgreSQL: access widened by someone not
//! entitled to it, silent overwrites, nonsense reaching the database, and holes in the audit
//! trail.

mod support;

use regie_storage::AuditFilter;
use serde_json::{Value, json};
use support::{Backend, TestApp};

on_both_backends!(
    only_the_coordinator_or_a_team_lead_changes_serving_teams,
    a_team_lead_opens_a_record_after_stating_a_reason,
    the_api_states_reasons_and_changes_teams_with_if_match,
    a_client_form_based_on_an_old_version_shows_what_changed,
    a_plan_form_based_on_an_old_version_is_refused_only_for_what_it_edits,
    a_team_form_based_on_an_old_version_is_refused,
    two_simultaneous_puts_of_one_agreement_one_wins,
    bad_input_never_reaches_the_database,
    an_idempotency_key_belongs_to_one_request,
    refusals_replays_and_missing_records_are_audited,
    a_team_lead_does_not_appoint_themselves,
    a_form_without_its_version_is_refused,
    the_team_page_audits_each_client_it_shows,
    someone_refused_learns_nothing_from_validation,
);

const NORTH: &str = "1";
const SOUTH: &str = "2";

async fn body(response: reqwest::Response) -> String {
    response.text().await.expect("body")
}

async fn signed_in(app: &TestApp, username: &str) -> reqwest::Client {
    let session = TestApp::new_client();
    let response = app.login_as(&session, username, "regie-demo").await;
    assert_eq!(response.status(), 303, "{username} signs in");
    session
}

async fn user_id(app: &TestApp, username: &str) -> i64 {
    let mut tx = app.db.begin().await.unwrap();
    let id = tx.user_by_username(username).await.unwrap().unwrap().id;
    tx.commit().await.unwrap();
    id
}

async fn client_of(app: &TestApp, id: i64) -> regie_domain::Client {
    let mut tx = app.db.begin().await.unwrap();
    let client = tx.client_get(id).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    client
}

async fn rows(app: &TestApp, event: &str, outcome: &str) -> Vec<regie_storage::AuditRow> {
    app.audit(AuditFilter {
        event: Some(event.into()),
        outcome: Some(outcome.into()),
        ..Default::default()
    })
    .await
}

/// Jannie's client form as her record stands, with `changes` applied.
fn client_form(
    version: i64,
    changes: &[(&'static str, &'static str)],
) -> Vec<(&'static str, String)> {
    let mut form: Vec<(&'static str, String)> = vec![
        ("version", version.to_string()),
        ("name", "Mevrouw J. (Jannie) de Boer".into()),
        ("date_of_birth", "1931-01-01".into()),
        ("living_situation", "alone".into()),
        ("street", "Lindelaan".into()),
        ("house_number", "3".into()),
        ("postcode", "8011 AB".into()),
        ("city", "Zwolle".into()),
        ("phone", "038 400 1000".into()),
        ("email", "client0@example.nl".into()),
        ("referrer", "huisarts".into()),
    ];
    for (key, value) in changes {
        form.retain(|(k, _)| k != key);
        form.push((key, value.to_string()));
    }
    form
}

/// A professional of another team in one client's core team cannot widen or narrow who
/// serves the client: the client form has no teams, the teams page is not theirs, and
/// when they leave the core team their team has no way in. The coordinator can, audited
/// with the teams before and after.
async fn only_the_coordinator_or_a_team_lead_changes_serving_teams(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let jannie = app.client_id("Jannie").await; // Wijkteam Noord only
    let trajectory = app.trajectory_of(jannie).await;
    let fysio_id = user_id(&app, "fysiotherapeut").await; // Wijkteam Zuid
    app.login("coordinator").await;
    let joined = app
        .post_form(
            &format!("/trajectories/{trajectory}/team"),
            &[("user_id", fysio_id.to_string()), ("based_on", "1".into())],
        )
        .await;
    assert_eq!(joined.status(), 303);
    let fysio = signed_in(&app, "fysiotherapeut").await;
    let edit = fysio
        .get(app.url(&format!("/clients/{jannie}/edit")))
        .send()
        .await
        .unwrap();
    assert_eq!(edit.status(), 200, "a core-team member edits details");
    assert!(
        !body(edit).await.contains(r#"name="team""#),
        "but not the teams"
    );
    // The attack of the issue: the details form posted with extra teams.
    let version = client_of(&app, jannie).await.version;
    let mut form = client_form(version, &[("phone", "038 400 9999")]);
    form.push(("team", NORTH.into()));
    form.push(("team", SOUTH.into()));
    let saved = fysio
        .post(app.url(&format!("/clients/{jannie}/edit")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303, "the details are saved");
    let after = client_of(&app, jannie).await;
    assert_eq!(after.phone.as_deref(), Some("038 400 9999"));
    assert_eq!(after.team_ids, vec![1], "the teams did not change");
    // Nor by the teams page or the API.
    let denied_before = rows(&app, "client.update", "denied").await.len();
    for form in [vec![
        ("version", after.version.to_string()),
        ("team", SOUTH.into()),
    ]] {
        let refused = fysio
            .post(app.url(&format!("/clients/{jannie}/teams")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
        assert!(body(refused).await.contains("alleen de coördinator"));
    }
    assert_eq!(
        fysio
            .get(app.url(&format!("/clients/{jannie}/teams")))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let token = app.token_for("fysiotherapeut").await;
    let api = app
        .client
        .put(app.url(&format!("/api/v1/clients/{jannie}/teams")))
        .bearer_auth(&token)
        .header("If-Match", format!("\"client-{}\"", after.version))
        .json(&json!({"team_ids": [1, 2]}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 403);
    assert_eq!(client_of(&app, jannie).await.team_ids, vec![1]);
    assert_eq!(
        rows(&app, "client.update", "denied").await.len(),
        denied_before + 2,
        "the refused page post and API call are audited as changes"
    );
    // Leaving the core team ends the access: nothing of it lingers through a team.
    let left = app
        .post_from(
            &format!("/trajectories/{trajectory}/team"),
            &format!("/trajectories/{trajectory}/team/remove"),
            &[("user_id", fysio_id.to_string())],
        )
        .await;
    assert_eq!(left.status(), 303);
    let gone = fysio
        .get(app.url(&format!("/clients/{jannie}")))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 403);
    // The coordinator changes the teams, on a page of its own; audited before and after.
    let page = body(app.get(&format!("/clients/{jannie}/teams")).await).await;
    assert!(page.contains("Wijkteam Zuid") && page.contains(r#"name="version""#));
    let version = client_of(&app, jannie).await.version;
    let none = app
        .post_form(
            &format!("/clients/{jannie}/teams"),
            &[("version", version.to_string())],
        )
        .await;
    assert_eq!(none.status(), 422, "at least one team");
    assert!(body(none).await.contains("Kies minstens één team"));
    let changed = app
        .post_form(
            &format!("/clients/{jannie}/teams"),
            &[
                ("version", version.to_string()),
                ("team", NORTH.into()),
                ("team", SOUTH.into()),
            ],
        )
        .await;
    assert_eq!(changed.status(), 303);
    assert_eq!(client_of(&app, jannie).await.team_ids, vec![1, 2]);
    let audited = rows(&app, "client.update", "allowed").await;
    let teams = audited
        .iter()
        .find(|r| r.object_type.as_deref() == Some("serving_teams"))
        .expect("the change of teams is audited");
    assert_eq!(teams.detail.as_deref(), Some("teams [1] -> [1, 2]"));
    assert_eq!(teams.client_id, Some(jannie));
    assert_eq!(teams.username.as_deref(), Some("coordinator"));
    // A team lead of a serving team may too, without reading the record.
    let lead = signed_in(&app, "teamleider").await;
    let version = client_of(&app, jannie).await.version;
    let back = lead
        .post(app.url(&format!("/clients/{jannie}/teams")))
        .form(&[
            ("version", version.to_string()),
            ("team", NORTH.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 303);
    assert_eq!(client_of(&app, jannie).await.team_ids, vec![1]);
}

/// Break the glass: a team lead sees signals, not records; with a stated reason the record
/// opens for a working day, the reason is audited as such and shown with the record.
async fn a_team_lead_opens_a_record_after_stating_a_reason(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let gerrit = app.client_id("Gerrit").await;
    let lead = signed_in(&app, "teamleider").await;
    let path = format!("/clients/{gerrit}");
    let asked = lead.get(app.url(&path)).send().await.unwrap();
    assert_eq!(asked.status(), 403);
    let page = body(asked).await;
    assert!(page.contains("Waarom opent u dit dossier?"));
    assert!(page.contains(&format!(r#"action="/clients/{gerrit}/access-reason""#)));
    assert!(
        !page.contains("Wast alleen de rug"),
        "nothing of the record shows"
    );
    let too_short = lead
        .post(app.url(&format!("/clients/{gerrit}/access-reason")))
        .form(&[("reason", "kijken"), ("next", &path)])
        .send()
        .await
        .unwrap();
    assert_eq!(too_short.status(), 422);
    let again = body(too_short).await;
    assert!(again.contains("minstens 10 tekens"));
    assert!(again.contains(">kijken</textarea>"), "the input is kept");
    assert!(
        rows(&app, "client.break_glass", "allowed").await.is_empty(),
        "no reason, no opening"
    );
    let reason = "Overdracht coördinatie regelen wegens ziekte";
    let stated = lead
        .post(app.url(&format!("/clients/{gerrit}/access-reason")))
        .form(&[("reason", reason), ("next", &path)])
        .send()
        .await
        .unwrap();
    assert_eq!(stated.status(), 303);
    assert_eq!(stated.headers()["location"], path.as_str());
    let opened = lead.get(app.url(&path)).send().await.unwrap();
    assert_eq!(opened.status(), 200);
    let record = body(opened).await;
    assert!(record.contains("U heeft dit dossier geopend met een reden"));
    let glass = rows(&app, "client.break_glass", "allowed").await;
    let row = glass
        .iter()
        .find(|r| r.detail.as_deref() == Some(reason))
        .expect("the reason is audited as such");
    assert_eq!(row.client_id, Some(gerrit));
    assert_eq!(row.username.as_deref(), Some("teamleider"));
    let reads = rows(&app, "client.read", "allowed").await;
    assert!(
        reads
            .iter()
            .any(|r| r.username.as_deref() == Some("teamleider")
                && r.detail.as_deref() == Some("opened with a stated reason")),
        "every read under the reason says so"
    );
    // The care team sees who opened the record and why.
    app.login("coordinator").await;
    let seen = body(app.get(&path).await).await;
    assert!(seen.contains("Geopend met een reden") && seen.contains(reason));
    // With the record open, the team lead may act as the coordinator would; not change the
    // plan, and not record visits.
    let trajectory = app.trajectory_of(gerrit).await;
    let plan = lead
        .get(app.url(&format!("/trajectories/{trajectory}/plan/goals")))
        .send()
        .await
        .unwrap();
    assert_eq!(plan.status(), 403);
    // Someone who may read anyway needs no reason, and may not state one.
    let sandra = signed_in(&app, "verzorgende").await;
    let not_hers = sandra
        .post(app.url(&format!("/clients/{gerrit}/access-reason")))
        .form(&[("reason", reason)])
        .send()
        .await
        .unwrap();
    assert_eq!(not_hers.status(), 403);
}

async fn the_api_states_reasons_and_changes_teams_with_if_match(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let gerrit = app.client_id("Gerrit").await;
    let token = app.token_for("teamleider").await;
    let path = format!("/api/v1/clients/{gerrit}");
    let get = || app.api_get(&path, &token);
    let refused = get().await;
    assert_eq!(refused.status(), 403);
    assert_eq!(
        refused.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = refused.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("teamleider"));
    let stated = app
        .client
        .post(app.url(&format!("/api/v1/clients/{gerrit}/access-reason")))
        .bearer_auth(&token)
        .json(&json!({"reason": "Signaal over overname besproken met het team"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stated.status(), 204);
    let read = get().await;
    assert_eq!(read.status(), 200);
    let etag = read.headers()["etag"].to_str().unwrap().to_string();
    let put = |tag: Option<String>, teams: Value| {
        let mut request = app
            .client
            .put(app.url(&format!("/api/v1/clients/{gerrit}/teams")))
            .bearer_auth(&token)
            .json(&json!({"team_ids": teams}));
        if let Some(tag) = tag {
            request = request.header("If-Match", tag);
        }
        async move { request.send().await.unwrap() }
    };
    assert_eq!(put(None, json!([1, 2])).await.status(), 428);
    let duplicate = put(Some(etag.clone()), json!([1, 1])).await;
    assert_eq!(duplicate.status(), 422);
    let problem: Value = duplicate.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "team_ids");
    let changed = put(Some(etag.clone()), json!([1, 2])).await;
    assert_eq!(changed.status(), 200);
    let new_tag = changed.headers()["etag"].to_str().unwrap().to_string();
    assert_ne!(new_tag, etag);
    let body: Value = changed.json().await.unwrap();
    assert_eq!(body["team_ids"], json!([1, 2]));
    // The old tag no longer matches.
    assert_eq!(put(Some(etag), json!([1])).await.status(), 412);
    assert_eq!(put(Some(new_tag), json!([1])).await.status(), 200);
}

/// Two colleagues edit the same client; the second save is refused with what the first
/// changed, and keeps what the second typed.
async fn a_client_form_based_on_an_old_version_shows_what_changed(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let jannie = app.client_id("Jannie").await;
    let version = client_of(&app, jannie).await.version;
    app.login("coordinator").await;
    let form = body(app.get(&format!("/clients/{jannie}/edit")).await).await;
    assert!(form.contains(&format!(r#"name="version" value="{version}""#)));
    let sandra = signed_in(&app, "verzorgende").await;
    let first = sandra
        .post(app.url(&format!("/clients/{jannie}/edit")))
        .form(&client_form(version, &[("phone", "06 1111 2222")]))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 303);
    let second = app
        .post_form(
            &format!("/clients/{jannie}/edit"),
            &client_form(version, &[("email", "jannie@example.nl")]),
        )
        .await;
    assert_eq!(second.status(), 409);
    let page = body(second).await;
    assert!(page.contains("iemand anders heeft dit intussen gewijzigd"));
    assert!(
        page.contains(r#"<ul class="meanwhile"><li>Sandra Bakker, "#),
        "who changed it"
    );
    assert!(page.contains("Telefoon: 06 1111 2222"), "what they changed");
    assert!(
        page.contains(r#"value="jannie@example.nl""#),
        "the input is kept"
    );
    let stored = client_of(&app, jannie).await;
    assert_eq!(
        stored.phone.as_deref(),
        Some("06 1111 2222"),
        "nothing overwritten"
    );
    assert_eq!(stored.email.as_deref(), Some("client0@example.nl"));
    assert!(page.contains(&format!(r#"name="version" value="{}""#, stored.version)));
    // Saving again, knowingly, on the newest version goes through.
    let knowingly = app
        .post_form(
            &format!("/clients/{jannie}/edit"),
            &client_form(
                stored.version,
                &[("phone", "06 1111 2222"), ("email", "jannie@example.nl")],
            ),
        )
        .await;
    assert_eq!(knowingly.status(), 303);
    let stored = client_of(&app, jannie).await;
    assert_eq!(stored.email.as_deref(), Some("jannie@example.nl"));
    assert_eq!(stored.phone.as_deref(), Some("06 1111 2222"));
    // A change of teams meanwhile does not block a change of details.
    let version = stored.version;
    app.post_form(
        &format!("/clients/{jannie}/teams"),
        &[
            ("version", version.to_string()),
            ("team", NORTH.into()),
            ("team", SOUTH.into()),
        ],
    )
    .await;
    let details = app
        .post_form(
            &format!("/clients/{jannie}/edit"),
            &client_form(
                version,
                &[
                    ("phone", "06 1111 2222"),
                    ("email", "jannie@example.nl"),
                    ("city", "Kampen"),
                ],
            ),
        )
        .await;
    assert_eq!(details.status(), 303);
    let stored = client_of(&app, jannie).await;
    assert_eq!(stored.address.map(|a| a.city).as_deref(), Some("Kampen"));
    assert_eq!(stored.team_ids, vec![1, 2]);
}

/// Gerrit's agreement on washing, edited by two core-team members from the same version.
async fn a_plan_form_based_on_an_old_version_is_refused_only_for_what_it_edits(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let gerrit = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(gerrit).await;
    app.login("coordinator").await;
    let form = body(
        app.get(&format!(
            "/trajectories/{trajectory}/plan/agreements?activity=wassen"
        ))
        .await,
    )
    .await;
    assert!(form.contains(r#"name="based_on" value="3""#));
    let agreement = |support: &str, client_does: &str| -> Vec<(&'static str, String)> {
        vec![
            ("based_on", "3".into()),
            ("activity", "wassen".into()),
            ("support", support.into()),
            ("client_does", client_does.into()),
            ("team_does", "Wast de rug".into()),
            ("step", "Zittend wassen".into()),
            ("reason", "Na de evaluatie".into()),
        ]
    };
    let sandra = signed_in(&app, "verzorgende").await;
    let first = sandra
        .post(app.url(&format!("/trajectories/{trajectory}/plan/agreements")))
        .form(&agreement("1", "Wast zich zittend, de zorg wast de rug"))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 303);
    let second = app
        .post_form(
            &format!("/trajectories/{trajectory}/plan/agreements"),
            &agreement("3", "Mijn eigen tekst die ik niet kwijt wil"),
        )
        .await;
    assert_eq!(second.status(), 409);
    let page = body(second).await;
    assert!(
        page.contains("Versie 4 (Sandra Bakker, "),
        "which version, by whom"
    );
    assert!(
        page.contains("Afspraak") && page.contains("Wassen"),
        "what it touched"
    );
    assert!(
        page.contains("Mijn eigen tekst die ik niet kwijt wil"),
        "input kept"
    );
    assert!(
        page.contains(r#"name="based_on" value="4""#),
        "based on the newest now"
    );
    let mut tx = app.db.begin().await.unwrap();
    let newest = tx
        .plan_latest(&app.trajectory_access(trajectory).await)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(newest.number, 4);
    assert_eq!(
        newest.plan.agreement("wassen").unwrap().client_does,
        "Wast zich zittend, de zorg wast de rug",
        "Sandra's agreement was not overwritten"
    );
    // Editing something else from the same old version overwrites nothing: it goes through.
    let care = app
        .post_form(
            &format!("/trajectories/{trajectory}/plan/care"),
            &[
                ("based_on", "3"),
                ("discipline", "fysiotherapeut"),
                ("start_hours", "2"),
                ("end_hours", "1"),
                ("weeks", "4"),
            ],
        )
        .await;
    assert_eq!(care.status(), 303);
    // Ending an intervention someone else ended meanwhile is refused too.
    let ended = newest.plan.goals[0].interventions[0].id;
    let end_path = format!("/trajectories/{trajectory}/plan/interventions/{ended}/end");
    let end = |based_on: &'static str| {
        let request = app
            .client
            .post(app.url(&end_path))
            .form(&[("based_on", based_on)]);
        async move { request.send().await.unwrap() }
    };
    assert_eq!(end("5").await.status(), 303);
    let stale = end("4").await;
    assert_eq!(stale.status(), 409);
    assert!(
        body(stale)
            .await
            .contains("iemand anders heeft dit intussen gewijzigd")
    );
}

async fn a_team_form_based_on_an_old_version_is_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let gerrit = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(gerrit).await;
    let coach = user_id(&app, "techcoach").await;
    let fysio = user_id(&app, "fysiotherapeut").await;
    app.login("coordinator").await;
    let page = body(app.get(&format!("/trajectories/{trajectory}/team")).await).await;
    assert!(page.contains(r#"name="based_on" value="1""#));
    let team_path = format!("/trajectories/{trajectory}/team");
    let add = |user: i64, based_on: &'static str| {
        let form = vec![("user_id", user.to_string()), ("based_on", based_on.into())];
        let request = app.client.post(app.url(&team_path)).form(&form);
        async move { request.send().await.unwrap() }
    };
    assert_eq!(add(coach, "1").await.status(), 303);
    let stale = add(fysio, "1").await;
    assert_eq!(stale.status(), 409);
    let page = body(stale).await;
    assert!(page.contains("Ruben Smit is aan het kernteam toegevoegd"));
    assert!(page.contains(r#"name="based_on" value="2""#));
    assert_eq!(add(fysio, "2").await.status(), 303);
    let mut tx = app.db.begin().await.unwrap();
    let team = tx
        .core_team(&app.trajectory_access(trajectory).await)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(team.iter().any(|m| m.user_id == Some(coach)));
    assert!(team.iter().any(|m| m.user_id == Some(fysio)));
}

/// Two PUTs of the same agreement based on the same version, at the same time: exactly one
/// wins, the other is told (412), on both databases.
async fn two_simultaneous_puts_of_one_agreement_one_wins(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let gerrit = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(gerrit).await;
    let coordinator = app.token_for("coordinator").await;
    let sandra = app.token_for("verzorgende").await;
    let plan = app
        .api_get(
            &format!("/api/v1/trajectories/{trajectory}/plan"),
            &coordinator,
        )
        .await;
    let etag = plan.headers()["etag"].to_str().unwrap().to_string();
    for round in 0..5 {
        let put = |token: &str, words: String, tag: String| {
            let request = app
                .client
                .put(app.url(&format!("/api/v1/trajectories/{trajectory}/agreements")))
                .bearer_auth(token)
                .header("If-Match", tag)
                .json(&json!({"activity": "wassen", "support": 1, "client_does": words, "team_does": "Wast de rug"}));
            async move { request.send().await.unwrap() }
        };
        let tag = if round == 0 {
            etag.clone()
        } else {
            app.api_get(
                &format!("/api/v1/trajectories/{trajectory}/plan"),
                &coordinator,
            )
            .await
            .headers()["etag"]
                .to_str()
                .unwrap()
                .to_string()
        };
        let (a, b) = tokio::join!(
            put(
                &coordinator,
                format!("Versie van Marieke {round}"),
                tag.clone()
            ),
            put(&sandra, format!("Versie van Sandra {round}"), tag.clone())
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [200, 412],
            "round {round}: one wins, the other is told"
        );
        let loser = if a.status() == 412 { a } else { b };
        assert_eq!(loser.headers()["content-type"], "application/problem+json");
    }
    let mut tx = app.db.begin().await.unwrap();
    assert_eq!(
        tx.plan_latest(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .unwrap()
            .number,
        3 + 5
    );
    tx.commit().await.unwrap();
}

async fn bad_input_never_reaches_the_database(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    // Duplicate teams in a registration: 422 naming the field, not a 500.
    let token = app.token_for("ergotherapeut").await;
    let duplicate = app
        .client
        .post(app.url("/api/v1/clients"))
        .bearer_auth(&token)
        .json(&json!({"name": "Meneer Dubbel", "date_of_birth": "1940-02-02", "living_situation": "alone", "team_ids": [1, 1]}))
        .send()
        .await
        .unwrap();
    assert_eq!(duplicate.status(), 422);
    let problem: Value = duplicate.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "team_ids");
    assert_eq!(problem["errors"][0]["code"], "error-client-team-duplicate");
    // Visits: every agreed activity exactly once, and only agreed ones.
    let gerrit = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(gerrit).await;
    let sandra = app.token_for("verzorgende").await;
    let before = {
        let mut tx = app.db.begin().await.unwrap();
        let n = tx
            .visits_for_trajectory(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .len();
        tx.commit().await.unwrap();
        n
    };
    let visit = |given: Value| {
        let request = app
            .client
            .post(app.url(&format!("/api/v1/trajectories/{trajectory}/visits")))
            .bearer_auth(&sandra)
            .json(&json!({"minutes": 20, "given": given}));
        async move { request.send().await.unwrap() }
    };
    for (given, field, code) in [
        (
            json!([{"activity": "wassen", "level": 1}, {"activity": "wassen", "level": 2}, {"activity": "aankleden", "level": 2}]),
            "level-wassen",
            "error-visit-activity-twice",
        ),
        (
            json!([{"activity": "wassen", "level": 1}, {"activity": "aankleden", "level": 2}, {"activity": "koken", "level": 0}]),
            "given",
            "error-visit-no-agreement",
        ),
        (
            json!([{"activity": "wassen", "level": 1}]),
            "level-aankleden",
            "error-visit-activity-missing",
        ),
    ] {
        let refused = visit(given).await;
        assert_eq!(refused.status(), 422, "{code}");
        let problem: Value = refused.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], field);
        assert_eq!(problem["errors"][0]["code"], code);
    }
    let mut tx = app.db.begin().await.unwrap();
    assert_eq!(
        tx.visits_for_trajectory(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .len(),
        before
    );
    tx.commit().await.unwrap();
    // A form whose bytes are not UTF-8 is refused, not stored as "��".
    app.login("coordinator").await;
    let annie = app.client_id("Annie").await;
    let broken = app
        .client
        .post(app.url(&format!("/clients/{annie}/network")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=Jo%FF%FEs&relation=buurman&asks=asks")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);
    assert!(body(broken).await.contains("Ongeldig verzoek"));
    let raw = app
        .client
        .post(app.url(&format!("/clients/{annie}/network")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"name=Jo\xe9s&relation=buurman&asks=asks".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let mut tx = app.db.begin().await.unwrap();
    assert!(
        tx.network_for_client(&app.client_access(annie))
            .await
            .unwrap()
            .is_empty(),
        "nothing stored"
    );
    tx.commit().await.unwrap();
}

/// An idempotency key names one request: its retry is answered with the first visit (and
/// audited), the same key with another body is refused.
async fn an_idempotency_key_belongs_to_one_request(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let gerrit = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(gerrit).await;
    let sandra = app.token_for("verzorgende").await;
    let post = |body: Value| {
        let request = app
            .client
            .post(app.url(&format!("/api/v1/trajectories/{trajectory}/visits")))
            .bearer_auth(&sandra)
            .header("Idempotency-Key", "tablet-7")
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    let first_body = json!({"minutes": 25, "given": [{"activity": "wassen", "level": 1}, {"activity": "aankleden", "level": 2}]});
    let first = post(first_body.clone()).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let retry = post(first_body).await;
    assert_eq!(retry.status(), 200);
    let retry: Value = retry.json().await.unwrap();
    assert_eq!(retry["id"], first["id"]);
    let replayed = rows(&app, "client.read", "allowed").await;
    assert!(
        replayed
            .iter()
            .any(|r| r.detail.as_deref() == Some("idempotent replay")
                && r.object_id.as_deref() == Some(&first["id"].to_string())
                && r.client_id == Some(gerrit)),
        "the replay is audited"
    );
    let other = post(json!({"minutes": 47, "given": [{"activity": "wassen", "level": 0}, {"activity": "aankleden", "level": 2}]})).await;
    assert_eq!(other.status(), 422);
    let problem: Value = other.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "idempotency_key");
    let mut tx = app.db.begin().await.unwrap();
    let visits = tx
        .visits_for_trajectory(&app.trajectory_access(trajectory).await)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(visits.iter().filter(|v| v.content.minutes == 47).count(), 0);
}

async fn refusals_replays_and_missing_records_are_audited(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    // A page the role does not have.
    let analyst = signed_in(&app, "analist").await;
    for path in ["/team", "/visits", "/clients"] {
        let refused = analyst.get(app.url(path)).send().await.unwrap();
        assert_eq!(refused.status(), 403, "{path}");
    }
    let pages = rows(&app, "page.access", "denied").await;
    assert!(pages.iter().any(|r| r.detail.as_deref() == Some("/team")
        && r.username.as_deref() == Some("analist")
        && r.user_role.as_deref() == Some("analyst")));
    assert!(pages.iter().any(|r| r.detail.as_deref() == Some("/visits")));
    assert!(
        !rows(&app, "client.search", "denied").await.is_empty(),
        "/clients"
    );
    // Client-scoped objects that do not exist: a 404, and a row saying what was asked for.
    let gerrit = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(gerrit).await;
    app.login("coordinator").await;
    let token = app.token_for("coordinator").await;
    for path in [
        "/trajectories/999999".to_string(),
        "/trajectories/999999/plan".to_string(),
        "/trajectories/999999/assessments".to_string(),
        "/visits/999999".to_string(),
        "/clients/999999".to_string(),
    ] {
        assert_eq!(app.get(&path).await.status(), 404, "{path}");
    }
    assert_eq!(
        app.api_get("/api/v1/trajectories/999999/plan", &token)
            .await
            .status(),
        404
    );
    let failed = app
        .audit(AuditFilter {
            outcome: Some("failed".into()),
            ..Default::default()
        })
        .await;
    for (object, id) in [
        ("trajectory", "999999"),
        ("visit", "999999"),
        ("client", "999999"),
    ] {
        assert!(
            failed
                .iter()
                .any(|r| r.object_type.as_deref() == Some(object)
                    && r.object_id.as_deref() == Some(id)
                    && r.username.as_deref() == Some("coordinator")),
            "a missing {object} is audited"
        );
    }
    // Inside an existing record: a plan version or a goal that is not there.
    let before = failed.len();
    assert_eq!(
        app.get(&format!("/trajectories/{trajectory}/plan?version=99"))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get(&format!("/trajectories/{trajectory}/plan/goals/99"))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.api_get(
            &format!("/api/v1/trajectories/{trajectory}/plan/versions/99"),
            &token
        )
        .await
        .status(),
        404
    );
    let failed = app
        .audit(AuditFilter {
            outcome: Some("failed".into()),
            client_id: Some(gerrit),
            ..Default::default()
        })
        .await;
    assert_eq!(failed.len(), 3, "each with the client it belongs to");
    assert!(before >= 6);
}

/// Breaking the glass opens a record for a working day; it is no way to lasting access.
async fn a_team_lead_does_not_appoint_themselves(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let lead_id = user_id(&app, "teamleider").await;
    // Annie (Noord) has no trajectory in the demo.
    let annie = app.client_id("Annie").await;
    let lead = signed_in(&app, "teamleider").await;
    let start = |coordinator: i64| {
        let form = vec![
            ("question", "Ik wil weer zelf koken.".to_string()),
            ("question_type", "begeleiding".into()),
            (
                "start_date",
                time::OffsetDateTime::now_utc().date().to_string(),
            ),
            ("coordinator_id", coordinator.to_string()),
        ];
        let request = lead
            .post(app.url(&format!("/clients/{annie}/trajectories")))
            .form(&form);
        async move { request.send().await.unwrap() }
    };
    // Without a reason, no trajectory is started at all.
    assert_eq!(start(lead_id).await.status(), 403);
    let reason = lead
        .post(app.url(&format!("/clients/{annie}/access-reason")))
        .form(&[("reason", "Aanmelding van de huisarts oppakken")])
        .send()
        .await
        .unwrap();
    assert_eq!(reason.status(), 303);
    // With one, not as their own coordinator…
    let own = start(lead_id).await;
    assert_eq!(own.status(), 403);
    assert!(
        body(own)
            .await
            .contains("U kunt uzelf geen blijvende toegang geven")
    );
    let mut tx = app.db.begin().await.unwrap();
    assert!(
        tx.trajectories_for_client(&app.client_access(annie))
            .await
            .unwrap()
            .is_empty()
    );
    tx.commit().await.unwrap();
    // …but with a colleague coordinating.
    let marieke = user_id(&app, "coordinator").await;
    assert_eq!(start(marieke).await.status(), 303);
    let trajectory = app.trajectory_of(annie).await;
    // Nor do they add themselves to the core team.
    let page = lead
        .get(app.url(&format!("/trajectories/{trajectory}/team")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let version = page
        .split(r#"name="based_on" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    let join = lead
        .post(app.url(&format!("/trajectories/{trajectory}/team")))
        .form(&[("user_id", lead_id.to_string()), ("based_on", version)])
        .send()
        .await
        .unwrap();
    assert_eq!(join.status(), 403);
    let mut tx = app.db.begin().await.unwrap();
    assert!(
        !tx.core_team(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .iter()
            .any(|m| m.user_id == Some(lead_id))
    );
    tx.commit().await.unwrap();
    assert_eq!(
        rows(&app, "client.update", "denied")
            .await
            .iter()
            .filter(|r| r.detail.as_deref() == Some("no one appoints themselves"))
            .count(),
        2,
        "both attempts are audited"
    );
}

/// Leaving out the version is no way around the check for someone else's change.
async fn a_form_without_its_version_is_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let jannie = app.client_id("Jannie").await;
    let gerrit = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(gerrit).await;
    app.login("coordinator").await;
    let before = client_of(&app, jannie).await;
    for version in [None, Some(""), Some("abc"), Some("99999999999999999999")] {
        let mut form = client_form(before.version, &[("phone", "06 9999 9999")]);
        form.retain(|(k, _)| *k != "version");
        if let Some(v) = version {
            form.push(("version", v.to_string()));
        }
        let refused = app
            .post_form(&format!("/clients/{jannie}/edit"), &form)
            .await;
        assert_eq!(refused.status(), 422, "version {version:?}");
        assert!(body(refused).await.contains("niet op welke versie"));
    }
    assert_eq!(client_of(&app, jannie).await, before, "nothing changed");
    let agreement = app
        .post_form(
            &format!("/trajectories/{trajectory}/plan/agreements"),
            &[
                ("activity", "wassen"),
                ("support", "1"),
                ("client_does", "Overschreven?"),
                ("team_does", "De rug"),
            ],
        )
        .await;
    assert_eq!(agreement.status(), 422);
    let team = app
        .post_form(
            &format!("/trajectories/{trajectory}/team/remove"),
            &[("user_id", user_id(&app, "ergotherapeut").await.to_string())],
        )
        .await;
    assert_eq!(team.status(), 422);
    let mut tx = app.db.begin().await.unwrap();
    assert_eq!(
        tx.plan_latest(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .unwrap()
            .number,
        3
    );
    assert_eq!(
        tx.core_team(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .len(),
        3
    );
    tx.commit().await.unwrap();
}

/// Each client whose signals or successes the team page shows is read: each gets a row.
async fn the_team_page_audits_each_client_it_shows(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let gerrit = app.client_id("Gerrit").await;
    let lead = signed_in(&app, "teamleider").await;
    let page = lead.get(app.url("/team")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(body(page).await.contains("Gerrit"));
    let reads = rows(&app, "client.read", "allowed").await;
    assert!(reads.iter().any(|r| r.client_id == Some(gerrit)
        && r.object_type.as_deref() == Some("team_signals")
        && r.username.as_deref() == Some("teamleider")));
}

/// Access is decided before input is read: a caller without the right gets 403 (audited)
/// whatever they send, never a validation answer or a precondition answer.
async fn someone_refused_learns_nothing_from_validation(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let gerrit = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(gerrit).await;
    let outsider = app.token_for("fysiotherapeut").await;
    let denied_before = app.denied_count().await;
    let writes = [
        (
            reqwest::Method::POST,
            format!("/api/v1/trajectories/{trajectory}/goals"),
        ),
        (
            reqwest::Method::POST,
            format!("/api/v1/trajectories/{trajectory}/visits"),
        ),
        (
            reqwest::Method::POST,
            format!("/api/v1/trajectories/{trajectory}/team"),
        ),
        (
            reqwest::Method::POST,
            format!("/api/v1/trajectories/{trajectory}/assessments"),
        ),
        (
            reqwest::Method::PUT,
            format!("/api/v1/trajectories/{trajectory}/agreements"),
        ),
        (
            reqwest::Method::PUT,
            format!("/api/v1/clients/{gerrit}/teams"),
        ),
        (
            reqwest::Method::POST,
            format!("/api/v1/clients/{gerrit}/network"),
        ),
        (
            reqwest::Method::POST,
            format!("/api/v1/clients/{gerrit}/trajectories"),
        ),
    ];
    for (method, path) in &writes {
        // An empty body, and no If-Match on the PUTs.
        let refused = app
            .client
            .request(method.clone(), app.url(path))
            .bearer_auth(&outsider)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403, "{method} {path}");
    }
    let denied_after = app.denied_count().await;
    assert_eq!(
        denied_after - denied_before,
        writes.len() as i64,
        "each refusal audited"
    );
    // A form post without its fields, likewise.
    let fysio = signed_in(&app, "fysiotherapeut").await;
    let phase = fysio
        .post(app.url(&format!("/trajectories/{trajectory}/phase")))
        .form(&[("x", "y")])
        .send()
        .await
        .unwrap();
    assert_eq!(phase.status(), 403);
    // For a record that does not exist: 404, audited as failed, whatever the body.
    let missing = app
        .client
        .post(app.url("/api/v1/trajectories/999999/goals"))
        .bearer_auth(&outsider)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}
