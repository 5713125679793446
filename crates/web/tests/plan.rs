//! The plan over HTTP (issue 4): core team, goals, interventions, agreements, planned care,
//! Samen Beslissen, versions, the printed plan, the catalogues and the API — each case on
//! SQLite and on PostgreSQL, against the real server.

mod support;

use serde_json::{Value, json};
use support::{Backend, TestApp};

on_both_backends!(
    a_coordinator_builds_a_plan_and_a_colleague_sees_the_same_agreements,
    bad_plan_input_is_explained_and_nothing_is_written,
    the_core_team_grants_access_and_keeps_one_coordinator,
    versions_stay_readable_and_can_be_compared,
    too_many_interventions_at_once_are_warned_about,
    the_printed_plan_is_for_the_client_and_audited,
    a_closed_trajectory_keeps_its_plan_unchanged,
    admins_keep_the_catalogues_and_retired_entries_stay_readable,
    aids_are_found_by_word_and_activity,
    the_api_reads_and_changes_the_plan,
    the_demo_has_complete_plans,
    malformed_ids_in_page_paths_are_the_html_404,
);

async fn body(response: reqwest::Response) -> String {
    response.text().await.expect("body")
}

/// The catalogue id of an intervention by key, straight from the database.
async fn intervention_id(app: &TestApp, key: &str) -> i64 {
    let mut tx = app.db.begin().await.unwrap();
    let all = tx.interventions().await.unwrap();
    tx.commit().await.unwrap();
    all.iter().find(|i| i.entry.key == key).expect(key).id
}

async fn aid_id(app: &TestApp, key: &str) -> i64 {
    let mut tx = app.db.begin().await.unwrap();
    let all = tx.aids_search("", None, true).await.unwrap();
    tx.commit().await.unwrap();
    all.iter().find(|a| a.entry.key == key).expect(key).id
}

async fn user_id(app: &TestApp, username: &str) -> i64 {
    let mut tx = app.db.begin().await.unwrap();
    let user = tx.user_by_username(username).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    user.id
}

async fn plan_of(app: &TestApp, trajectory: i64) -> Option<regie_storage::PlanVersion> {
    let mut tx = app.db.begin().await.unwrap();
    let plan = tx
        .plan_latest(&app.trajectory_access(trajectory).await)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    plan
}

/// Henk (Wijkteam Noord) has an open trajectory without a plan in the demo.
async fn henk(app: &TestApp) -> (i64, i64) {
    let client = app.client_id("Henk").await;
    (client, app.trajectory_of(client).await)
}

async fn add_goal(app: &TestApp, trajectory: i64, words: &str) -> reqwest::Response {
    app.post_from(
        &format!("/trajectories/{trajectory}/plan/goals"),
        &format!("/trajectories/{trajectory}/plan/goals"),
        &[
            ("words", words),
            ("expressed_by", "client"),
            ("activities", "wassen"),
            ("life_domains", "basale-adl"),
            ("importance", "9"),
            ("performance", "3"),
            ("satisfaction", "2"),
            ("reason", "Besproken met meneer"),
        ],
    )
    .await
}

async fn a_coordinator_builds_a_plan_and_a_colleague_sees_the_same_agreements(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (client, trajectory) = henk(&app).await;
    app.login("coordinator").await;
    let created = add_goal(
        &app,
        trajectory,
        "Ik wil zelf weer douchen, op mijn eigen tijd.",
    )
    .await;
    assert_eq!(created.status(), 303);
    assert!(
        created
            .headers()
            .get("location")
            .unwrap()
            .to_str()
            .unwrap()
            .ends_with("/plan#goal-1")
    );
    let ergo = user_id(&app, "ergotherapeut").await;
    let added = app
        .post_from(
            &format!("/trajectories/{trajectory}/plan/goals/1/interventions"),
            &format!("/trajectories/{trajectory}/plan/goals/1/interventions"),
            &[
                (
                    "catalogue_id",
                    intervention_id(&app, "hulpmiddelen").await.to_string(),
                ),
                ("responsible", format!("user:{ergo}")),
                ("frequency", "2 keer".into()),
                ("start", "2026-11-02".into()),
            ],
        )
        .await;
    // The ergotherapist is not in the core team yet: the choice is refused.
    assert_eq!(added.status(), 422);
    assert!(
        body(added).await.contains(r#"value="2 keer""#),
        "input kept"
    );
    let joined = app
        .post_from(
            &format!("/trajectories/{trajectory}/team"),
            &format!("/trajectories/{trajectory}/team"),
            &[
                ("user_id", ergo.to_string()),
                ("contact", "06 1234 5678".into()),
            ],
        )
        .await;
    assert_eq!(joined.status(), 303);
    let added = app
        .post_from(
            &format!("/trajectories/{trajectory}/plan/goals/1/interventions"),
            &format!("/trajectories/{trajectory}/plan/goals/1/interventions"),
            &[
                (
                    "catalogue_id",
                    intervention_id(&app, "hulpmiddelen").await.to_string(),
                ),
                ("responsible", format!("user:{ergo}")),
                ("frequency", "2 keer".into()),
                ("start", "2026-11-02".into()),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    let douchestoel = aid_id(&app, "douchestoel").await;
    let agreed = app
        .post_from(
            &format!("/trajectories/{trajectory}/plan/agreements"),
            &format!("/trajectories/{trajectory}/plan/agreements"),
            &[
                ("activity", "wassen".to_string()),
                ("support", "1".into()),
                ("client_does", "Wast gezicht, armen en benen zelf".into()),
                (
                    "team_does",
                    "Alleen de rug wassen, de rest doet meneer zelf".into(),
                ),
                ("step", "Eerst alleen de armen wassen".into()),
                ("step", "Daarna ook de benen".into()),
                ("step", "".into()),
                ("current_step", "1".into()),
                ("aid", douchestoel.to_string()),
            ],
        )
        .await;
    assert_eq!(agreed.status(), 303);
    let plan = plan_of(&app, trajectory).await.expect("a plan");
    assert_eq!(
        plan.number, 3,
        "goal, intervention and agreement: three versions"
    );
    let agreement = plan.plan.agreement("wassen").unwrap();
    assert_eq!(agreement.steps.len(), 2);
    assert_eq!(agreement.current_step, Some(1));
    assert_eq!(agreement.aid_ids, vec![douchestoel]);
    let goal = plan.plan.goal(1).unwrap();
    assert_eq!(goal.baseline.importance, Some(9));
    assert_eq!(goal.interventions.len(), 1);

    // A colleague on the team sees the same agreement first on the client's page.
    let colleague = TestApp::new_client();
    app.login_as(&colleague, "verzorgende", "regie-demo").await;
    let page = colleague
        .get(app.url(&format!("/clients/{client}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let agreements_at = page
        .find("Afspraken per dagelijkse activiteit")
        .expect("agreements");
    let person_at = page.find("Persoonsgegevens").unwrap_or(usize::MAX);
    assert!(agreements_at < person_at, "the agreements come first");
    assert!(page.contains("Alleen de rug wassen, de rest doet meneer zelf"));
    assert!(page.contains("Daarna ook de benen <strong>(nu)</strong>"));
    assert!(page.contains("Douchestoel"));
    // And the plan page says who does what.
    let plan_page = body(app.get(&format!("/trajectories/{trajectory}/plan")).await).await;
    assert!(plan_page.contains("Ik wil zelf weer douchen, op mijn eigen tijd."));
    assert!(plan_page.contains("Wie doet het: Thijs Jansen"));
    assert!(plan_page.contains("Belang 9 · Uitvoering 3 · Tevredenheid 2"));
    // Every change was audited against the client.
    let changes = app.audit_of("client.update").await;
    assert!(
        changes
            .iter()
            .filter(|r| r.client_id == Some(client) && r.object_type.as_deref() == Some("plan"))
            .count()
            >= 3
    );
}

async fn bad_plan_input_is_explained_and_nothing_is_written(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (_, trajectory) = henk(&app).await;
    app.login("coordinator").await;
    let bad = app
        .post_from(
            &format!("/trajectories/{trajectory}/plan/goals"),
            &format!("/trajectories/{trajectory}/plan/goals"),
            &[
                ("words", " "),
                ("expressed_by", "client"),
                ("importance", "12"),
                ("gas_0", "Douchen met hulp bij de rug"),
                ("target_date", "morgen"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let page = body(bad).await;
    assert!(page.contains(r#"id="words-error""#) && page.contains("Dit veld is verplicht"));
    assert!(page.contains("Vul een score van 1 tot 10 in."));
    assert!(
        page.contains(r#"id="gas_m2-error""#),
        "every GAS level is asked for"
    );
    assert!(
        page.contains(r#"value="Douchen met hulp bij de rug""#),
        "input kept"
    );
    let agreement = app
        .post_from(
            &format!("/trajectories/{trajectory}/plan/agreements"),
            &format!("/trajectories/{trajectory}/plan/agreements"),
            &[
                ("activity", "wassen"),
                ("support", "3"),
                ("client_does", "Wast het gezicht"),
                ("team_does", ""),
                ("step", "Armen"),
                ("step", ""),
                ("current_step", "1"),
            ],
        )
        .await;
    assert_eq!(agreement.status(), 422);
    let page = body(agreement).await;
    assert!(page.contains(r#"id="team_does-error""#));
    assert!(page.contains("Kies als huidige stap een stap die is ingevuld."));
    assert!(page.contains("Wast het gezicht"), "input kept");
    let care = app
        .post_from(
            &format!("/trajectories/{trajectory}/plan/care"),
            &format!("/trajectories/{trajectory}/plan/care"),
            &[
                ("discipline", "verzorgende"),
                ("start_hours", "2"),
                ("end_hours", "3,5"),
                ("weeks", "6"),
            ],
        )
        .await;
    assert_eq!(care.status(), 422);
    assert!(body(care).await.contains("niet meer uren dan in de eerste"));
    let decision = app
        .post_form(
            &format!("/trajectories/{trajectory}/decisions"),
            &[
                ("question", "Douchestoel of douchen met hulp?"),
                ("option-0-name", "Douchestoel"),
                ("what_matters", "Zelf bepalen wanneer"),
                ("decision", "Douchestoel proberen"),
                ("decided_by", "client"),
            ],
        )
        .await;
    assert_eq!(decision.status(), 422);
    assert!(
        body(decision)
            .await
            .contains("ten minste twee mogelijkheden")
    );
    // Tampered or malformed values are answered, never a server error.
    for (path, form) in [
        ("/plan/goals/abc", vec![("words", "x")]),
        ("/plan/goals/99/status", vec![("status", "stopped")]),
        ("/plan/care/brandweer/remove", vec![]),
        ("/plan/interventions/77/end", vec![]),
    ] {
        let status = app
            .post_from(
                &format!("/trajectories/{trajectory}/plan"),
                &format!("/trajectories/{trajectory}{path}"),
                &form,
            )
            .await
            .status();
        assert!(status == 404 || status == 422, "{path}: {status}");
    }
    assert!(plan_of(&app, trajectory).await.is_none(), "nothing written");
    let mut tx = app.db.begin().await.unwrap();
    assert!(
        tx.decisions(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .is_empty()
    );
    tx.commit().await.unwrap();
}

async fn the_core_team_grants_access_and_keeps_one_coordinator(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (client, trajectory) = henk(&app).await; // Wijkteam Noord only
    let techcoach = TestApp::new_client();
    app.login_as(&techcoach, "techcoach", "regie-demo").await; // Wijkteam Zuid
    let status = |c: &reqwest::Client, path: String| {
        let c = c.clone();
        let url = app.url(&path);
        async move { c.get(url).send().await.unwrap().status() }
    };
    assert_eq!(status(&techcoach, format!("/clients/{client}")).await, 403);
    app.login("coordinator").await;
    let coach = user_id(&app, "techcoach").await;
    let coordinator = user_id(&app, "coordinator").await;
    let joined = app
        .post_from(
            &format!("/trajectories/{trajectory}/team"),
            &format!("/trajectories/{trajectory}/team"),
            &[("user_id", coach.to_string())],
        )
        .await;
    assert_eq!(joined.status(), 303);
    assert_eq!(status(&techcoach, format!("/clients/{client}")).await, 200);
    assert_eq!(
        status(&techcoach, format!("/trajectories/{trajectory}/plan")).await,
        200
    );
    let found = techcoach
        .get(app.url("/clients?q=Henk"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        found.contains("Vermeulen"),
        "the client is found by a core-team member"
    );
    // Joining twice is explained; the coordinator cannot leave without handing over.
    let again = app
        .post_from(
            &format!("/trajectories/{trajectory}/team"),
            &format!("/trajectories/{trajectory}/team"),
            &[("user_id", coach.to_string())],
        )
        .await;
    assert_eq!(again.status(), 422);
    assert!(body(again).await.contains("zit al in het kernteam"));
    let leave = app
        .post_from(
            &format!("/trajectories/{trajectory}/team"),
            &format!("/trajectories/{trajectory}/team/remove"),
            &[("user_id", coordinator.to_string())],
        )
        .await;
    assert_eq!(leave.status(), 422);
    assert!(
        body(leave)
            .await
            .contains("Draag de coördinatie eerst over")
    );
    // Hand over to the techcoach: exactly one coordinator, the hand-over recorded.
    let handed = app
        .post_from(
            &format!("/trajectories/{trajectory}/team"),
            &format!("/trajectories/{trajectory}/team/handover"),
            &[
                ("to", coach.to_string()),
                ("reason", "Marieke met verlof".to_string()),
            ],
        )
        .await;
    assert_eq!(handed.status(), 303);
    let mut tx = app.db.begin().await.unwrap();
    assert_eq!(
        tx.trajectory_get(trajectory)
            .await
            .unwrap()
            .unwrap()
            .coordinator_id,
        coach
    );
    let handovers = tx
        .coordinator_handovers(&app.trajectory_access(trajectory).await)
        .await
        .unwrap();
    assert_eq!(handovers.len(), 1);
    assert_eq!(handovers[0].reason.as_deref(), Some("Marieke met verlof"));
    tx.commit().await.unwrap();
    // Marieke is now a member like any other: the team is no longer hers to change.
    let not_hers = app
        .post_from(
            &format!("/trajectories/{trajectory}/team"),
            &format!("/trajectories/{trajectory}/team/handover"),
            &[("to", coordinator.to_string())],
        )
        .await;
    assert_eq!(not_hers.status(), 403);
    // The new coordinator hands back; then taking the techcoach off ends the access.
    let back = app
        .post_from_as(
            &techcoach,
            &format!("/trajectories/{trajectory}/team"),
            &format!("/trajectories/{trajectory}/team/handover"),
            &[("to", coordinator.to_string())],
        )
        .await;
    assert_eq!(back.status(), 303);
    let removed = app
        .post_from(
            &format!("/trajectories/{trajectory}/team"),
            &format!("/trajectories/{trajectory}/team/remove"),
            &[("user_id", coach.to_string())],
        )
        .await;
    assert_eq!(removed.status(), 303);
    assert_eq!(status(&techcoach, format!("/clients/{client}")).await, 403);
    // The client chooses someone from their network; a stranger's id is refused.
    let mut tx = app.db.begin().await.unwrap();
    let network = tx
        .network_for_client(&app.client_access(client))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let chosen = app
        .post_from(
            &format!("/trajectories/{trajectory}/team"),
            &format!("/trajectories/{trajectory}/team/network"),
            &[("member", network[0].id.to_string())],
        )
        .await;
    assert_eq!(chosen.status(), 303);
    let stranger = app
        .post_from(
            &format!("/trajectories/{trajectory}/team"),
            &format!("/trajectories/{trajectory}/team/network"),
            &[("member", "999999")],
        )
        .await;
    assert_eq!(stranger.status(), 422);
    let mut tx = app.db.begin().await.unwrap();
    let team = tx
        .core_team(&app.trajectory_access(trajectory).await)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        team.iter()
            .filter(|m| m.network_member_id.is_some())
            .count(),
        1
    );
    assert!(team.iter().any(|m| m.user_id == Some(coordinator)));
    assert!(!team.iter().any(|m| m.user_id == Some(coach)));
}

async fn versions_stay_readable_and_can_be_compared(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (_, trajectory) = henk(&app).await;
    app.login("coordinator").await;
    add_goal(&app, trajectory, "Zelf douchen").await;
    add_goal(&app, trajectory, "Zelf koffie zetten").await;
    let stopped = app
        .post_from(
            &format!("/trajectories/{trajectory}/plan/goals/1"),
            &format!("/trajectories/{trajectory}/plan/goals/1/status"),
            &[
                ("status", "stopped"),
                ("reason", "Meneer wil eerst iets anders"),
            ],
        )
        .await;
    assert_eq!(stopped.status(), 303);
    let old = body(
        app.get(&format!("/trajectories/{trajectory}/plan?version=1"))
            .await,
    )
    .await;
    assert!(old.contains("Zelf douchen") && !old.contains("Zelf koffie zetten"));
    assert!(old.contains("U bekijkt een eerdere versie."));
    let compared = body(
        app.get(&format!(
            "/trajectories/{trajectory}/plan/versions?from=1&to=3"
        ))
        .await,
    )
    .await;
    let compared = compared.replace("&#34;", "\"");
    assert!(compared.contains(r#"Doel 1 "Zelf douchen": gewijzigd (status)"#));
    assert!(compared.contains(r#"Doel 2 "Zelf koffie zetten": toegevoegd"#));
    assert!(compared.contains("Meneer wil eerst iets anders"));
    assert_eq!(
        app.get(&format!("/trajectories/{trajectory}/plan?version=9"))
            .await
            .status(),
        404
    );
    // Saving the same content again makes no new version.
    let same = app
        .post_from(
            &format!("/trajectories/{trajectory}/plan/goals/1"),
            &format!("/trajectories/{trajectory}/plan/goals/1/status"),
            &[
                ("status", "stopped"),
                ("reason", "Meneer wil eerst iets anders"),
            ],
        )
        .await;
    assert_eq!(same.status(), 303);
    assert_eq!(plan_of(&app, trajectory).await.unwrap().number, 3);
}

async fn too_many_interventions_at_once_are_warned_about(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (_, trajectory) = henk(&app).await;
    app.login("coordinator").await;
    add_goal(&app, trajectory, "Zelf douchen").await;
    let keys = [
        "educatie",
        "valpreventie",
        "beweegprogramma",
        "zelfmanagement",
    ];
    for (n, key) in keys.iter().enumerate() {
        let form = [
            ("catalogue_id", intervention_id(&app, key).await.to_string()),
            ("responsible", "client".into()),
            ("frequency", "wekelijks".into()),
        ];
        let path = format!("/trajectories/{trajectory}/plan/goals/1/interventions");
        if n == 3 {
            let form_page = body(app.get(&path).await).await;
            assert!(form_page.contains("Er lopen nu al 3 interventies"));
        }
        assert_eq!(app.post_from(&path, &path, &form).await.status(), 303);
    }
    let page = body(app.get(&format!("/trajectories/{trajectory}/plan")).await).await;
    assert!(page.contains("Er lopen 4 interventies tegelijk"));
    // The limit is the organisation's to set.
    let admin = TestApp::new_client();
    app.login_as(&admin, "admin", "regie-demo").await;
    let set = admin
        .post(app.url("/admin/catalogue/limit"))
        .form(&[("limit", "5"), ("takeover", "3")])
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 303);
    let refused = admin
        .post(app.url("/admin/catalogue/limit"))
        .form(&[("limit", "0"), ("takeover", "3")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let refused = body(refused).await;
    assert!(refused.contains(r#"id="limit-error""#) && !refused.contains(r#"id="takeover-error""#));
    let page = body(app.get(&format!("/trajectories/{trajectory}/plan")).await).await;
    assert!(!page.contains("interventies tegelijk"));
}

async fn the_printed_plan_is_for_the_client_and_audited(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(client).await;
    app.login("coordinator").await;
    let response = app
        .get(&format!("/trajectories/{trajectory}/plan/print"))
        .await;
    assert_eq!(response.status(), 200);
    let page = body(response).await;
    let goals = page.find("Mijn doelen").unwrap();
    let agreements = page
        .find("Wat ik zelf doe, en waar het team helpt")
        .unwrap();
    let team = page.find("Mijn team").unwrap();
    assert!(
        goals < agreements && agreements < team,
        "goals, agreements, team"
    );
    assert!(page.contains("Ik wil mezelf weer wassen en aankleden"));
    assert!(
        page.contains("06 1234 5678 (di en do)"),
        "how to reach the team"
    );
    assert!(
        !page.contains("site-header"),
        "no application menu on paper"
    );
    let printed = app.audit_of("client.print").await;
    assert_eq!(printed.len(), 1);
    assert_eq!(printed[0].client_id, Some(client));
    assert_eq!(printed[0].username.as_deref(), Some("coordinator"));
}

async fn a_closed_trajectory_keeps_its_plan_unchanged(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Dekker").await; // Wil: closed in the demo, with a plan
    let mut tx = app.db.begin().await.unwrap();
    let trajectory = tx
        .trajectories_for_client(&app.client_access(client))
        .await
        .unwrap()[0]
        .id;
    tx.commit().await.unwrap();
    let before = plan_of(&app, trajectory).await.unwrap().number;
    app.login("coordinator").await;
    let page = body(app.get(&format!("/trajectories/{trajectory}/plan")).await).await;
    assert!(!page.contains("Doel toevoegen"), "no editing offered");
    let refused = add_goal(&app, trajectory, "Nog een doel").await;
    assert_eq!(refused.status(), 422);
    assert!(body(refused).await.contains("Dit traject is afgesloten"));
    assert_eq!(plan_of(&app, trajectory).await.unwrap().number, before);
    // Nor does anything else of the trajectory change: what matters, its assessments.
    let granted = app.trajectory_access(trajectory).await;
    let notes = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            let mut tx = db.begin().await.unwrap();
            let notes = tx.matters_for_trajectory(&granted).await.unwrap().len();
            let assessments = tx.assessments_for_trajectory(&granted).await.unwrap().len();
            tx.commit().await.unwrap();
            (notes, assessments)
        }
    };
    let stored = notes(&app).await;
    let page = body(app.get(&format!("/trajectories/{trajectory}")).await).await;
    assert!(
        !page.contains("name=\"text\""),
        "no note form on a closed trajectory"
    );
    let refused = app
        .post_form(
            &format!("/trajectories/{trajectory}/matters"),
            &[("kind", "important"), ("text", "Nog iets belangrijks")],
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(body(refused).await.contains("Dit traject is afgesloten"));
    assert_eq!(notes(&app).await, stored);
}

async fn admins_keep_the_catalogues_and_retired_entries_stay_readable(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.login("admin").await;
    let page = body(app.get("/admin/catalogue").await).await;
    assert!(page.contains("Motiverende gespreksvoering") && page.contains("Douchestoel"));
    let added = app
        .post_form(
            "/admin/catalogue/interventions",
            &[
                ("name_nl", "Samen koken"),
                ("name_en", "Cooking together"),
                ("category", "skills"),
                ("tags", "contacts"),
                ("tags", "motivation"),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    let twice = app
        .post_form(
            "/admin/catalogue/interventions",
            &[("name_nl", "Samen koken"), ("category", "skills")],
        )
        .await;
    assert_eq!(twice.status(), 422);
    assert!(body(twice).await.contains("Er staat al iets met deze naam"));
    let cooking = intervention_id(&app, "samen-koken").await;
    // A coordinator uses it in a plan; then the admin retires it.
    let (_, trajectory) = henk(&app).await;
    let coordinator = TestApp::new_client();
    app.login_as(&coordinator, "coordinator", "regie-demo")
        .await;
    let post = |path: String, form: Vec<(&'static str, String)>| {
        let c = coordinator.clone();
        let app = &app;
        async move { app.post_from_as(&c, &path, &path, &form).await.status() }
    };
    assert_eq!(
        post(
            format!("/trajectories/{trajectory}/plan/goals"),
            vec![
                ("words", "Weer koken voor mijn kleinkinderen".into()),
                ("expressed_by", "client".into())
            ]
        )
        .await,
        303
    );
    let use_cooking = vec![
        ("catalogue_id", cooking.to_string()),
        ("responsible", "client".to_string()),
        ("frequency", "op zaterdag".to_string()),
    ];
    assert_eq!(
        post(
            format!("/trajectories/{trajectory}/plan/goals/1/interventions"),
            use_cooking.clone()
        )
        .await,
        303
    );
    let retired = app
        .post_form(
            &format!("/admin/catalogue/interventions/{cooking}/retire"),
            &[("retire", "true")],
        )
        .await;
    assert_eq!(retired.status(), 303);
    // No longer offered, refused when sent anyway, still readable in the plan.
    let form_page = coordinator
        .get(app.url(&format!(
            "/trajectories/{trajectory}/plan/goals/1/interventions"
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!form_page.contains("Samen koken"));
    assert_eq!(
        post(
            format!("/trajectories/{trajectory}/plan/goals/1/interventions"),
            use_cooking
        )
        .await,
        422
    );
    let plan = coordinator
        .get(app.url(&format!("/trajectories/{trajectory}/plan")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(plan.contains("Samen koken (niet meer in de catalogus)"));
    // Aids: add, change, retire.
    let aid = app
        .post_form(
            "/admin/aids/new",
            &[
                ("name_nl", "Slimme deurbel"),
                ("category", "contact"),
                ("description_nl", "Zien wie er aanbelt"),
                ("tags", "sociale-contacten"),
            ],
        )
        .await;
    assert_eq!(aid.status(), 303);
    let doorbell = aid_id(&app, "slimme-deurbel").await;
    let bad = app
        .post_form(
            &format!("/admin/aids/{doorbell}"),
            &[("name_nl", "Slimme deurbel"), ("category", "")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(body(bad).await.contains(r#"id="category-error""#));
    let retire = app
        .post_form(
            &format!("/admin/aids/{doorbell}/retire"),
            &[("retire", "true")],
        )
        .await;
    assert_eq!(retire.status(), 303);
    let found = body(app.get("/aids?q=deurbel").await).await;
    assert!(
        !found.contains("Slimme deurbel"),
        "retired aids are not offered"
    );
    // Each change is audited once, with what it did; refused ones are not.
    let mut details: Vec<String> = app
        .audit_of("catalogue.update")
        .await
        .into_iter()
        .filter_map(|row| row.detail)
        .collect();
    details.sort();
    assert_eq!(
        details,
        [
            format!("aid {doorbell} retired=true"),
            "aid added: slimme-deurbel".to_string(),
            format!("intervention {cooking} retired=true"),
            "intervention added: samen-koken".to_string(),
        ]
    );
    // Only admins.
    assert_eq!(
        coordinator
            .get(app.url("/admin/catalogue"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

async fn aids_are_found_by_word_and_activity(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.login("verzorgende").await;
    let washing = body(app.get("/aids?activity=wassen").await).await;
    assert!(washing.contains("Douchestoel") && washing.contains("Antislipmat"));
    assert!(!washing.contains("Scootmobiel"));
    let by_word = body(app.get("/aids?q=WMO").await).await;
    assert!(
        by_word.contains("Scootmobiel")
            || by_word.contains("Wandbeugel")
            || by_word.contains("hulpmiddel")
    );
    let rollator = body(app.get("/aids?q=rollator&activity=boodschappen").await).await;
    assert!(rollator.contains("1 hulpmiddel") && rollator.contains("Rollator"));
    let nothing = body(app.get("/aids?q=%25_%5C").await).await;
    assert!(nothing.contains("0 hulpmiddelen"), "wildcards are literal");
}

async fn the_api_reads_and_changes_the_plan(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (_, trajectory) = henk(&app).await;
    let token = app.token_for("coordinator").await;
    let api = |method: reqwest::Method, path: String, body: Value| {
        let request = app
            .client
            .request(method, app.url(&path))
            .bearer_auth(&token)
            .json(&body);
        async move { request.send().await.unwrap() }
    };
    let empty: Value = app
        .api_get(&format!("/api/v1/trajectories/{trajectory}/plan"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(empty["version"], 0);
    let bad = api(
        reqwest::Method::POST,
        format!("/api/v1/trajectories/{trajectory}/goals"),
        json!({"words": "", "expressed_by": "buurman"}),
    )
    .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(bad.headers()["content-type"], "application/problem+json");
    let problem: Value = bad.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"words") && fields.contains(&"expressed_by"));
    let created = api(
        reqwest::Method::POST,
        format!("/api/v1/trajectories/{trajectory}/goals"),
        json!({
            "words": "Zelf naar de markt",
            "expressed_by": "together",
            "activities": ["boodschappen"],
            "gas_levels": ["a", "b", "c", "d", "e"],
            "gas_weight": 2,
            "reason": "Via de API"
        }),
    )
    .await;
    assert_eq!(created.status(), 201);
    let changed: Value = created.json().await.unwrap();
    assert_eq!(changed, json!({"version": 1, "id": 1}));
    let intervention = api(
        reqwest::Method::POST,
        format!("/api/v1/trajectories/{trajectory}/goals/1/interventions"),
        json!({
            "catalogue_id": intervention_id(&app, "beweegprogramma").await,
            "responsible": "discipline:fysiotherapeut",
            "frequency": "2× per week"
        }),
    )
    .await;
    assert_eq!(intervention.status(), 201);
    let agreement_body = json!({
        "activity": "boodschappen",
        "support": 2,
        "client_does": "Maakt het lijstje en betaalt",
        "team_does": "Draagt de tassen",
        "steps": ["Lijstje maken", "Zelf betalen"],
        "current_step": 0
    });
    // A PUT says which version it is based on.
    let unconditional = api(
        reqwest::Method::PUT,
        format!("/api/v1/trajectories/{trajectory}/agreements"),
        agreement_body.clone(),
    )
    .await;
    assert_eq!(unconditional.status(), 428);
    let etag = app
        .api_get(&format!("/api/v1/trajectories/{trajectory}/plan"), &token)
        .await
        .headers()["etag"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(etag, "\"plan-2\"");
    let agreement = app
        .client
        .put(app.url(&format!("/api/v1/trajectories/{trajectory}/agreements")))
        .bearer_auth(&token)
        .header("If-Match", &etag)
        .json(&agreement_body)
        .send()
        .await
        .unwrap();
    assert_eq!(agreement.status(), 200);
    assert_eq!(agreement.headers()["etag"], "\"plan-3\"");
    let plan: Value = app
        .api_get(&format!("/api/v1/trajectories/{trajectory}/plan"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plan["version"], 3);
    assert_eq!(plan["plan"]["goals"][0]["words"], "Zelf naar de markt");
    assert_eq!(plan["plan"]["goals"][0]["gas"]["weight"], 2);
    assert_eq!(
        plan["plan"]["goals"][0]["interventions"][0]["responsible"],
        json!({"kind": "discipline", "discipline": "fysiotherapeut"})
    );
    assert_eq!(plan["plan"]["agreements"][0]["support"], "moderate");
    // The whole plan, in the shape API clients have always received: dates as
    // `[year, day of the year]`, support as a word, every optional field present.
    let catalogue_id = intervention_id(&app, "beweegprogramma").await;
    let start = &plan["plan"]["goals"][0]["interventions"][0]["start"];
    assert!(
        start
            .as_array()
            .is_some_and(|d| d.len() == 2 && d.iter().all(Value::is_u64)),
        "{start}"
    );
    assert_eq!(
        plan["plan"],
        json!({
            "goals": [{
                "id": 1,
                "words": "Zelf naar de markt",
                "expressed_by": "together",
                "life_domains": [],
                "activities": ["boodschappen"],
                "baseline": {"importance": null, "performance": null, "satisfaction": null},
                "gas": {"levels": ["a", "b", "c", "d", "e"], "weight": 2, "attained": null},
                "target_date": null,
                "status": "active",
                "status_reason": null,
                "interventions": [{
                    "id": 2,
                    "catalogue_id": catalogue_id,
                    "responsible": {"kind": "discipline", "discipline": "fysiotherapeut"},
                    "frequency": "2× per week",
                    "start": start,
                    "end": null,
                }],
            }],
            "agreements": [{
                "activity": "boodschappen",
                "support": "moderate",
                "client_does": "Maakt het lijstje en betaalt",
                "team_does": "Draagt de tassen",
                "steps": ["Lijstje maken", "Zelf betalen"],
                "current_step": 0,
                "aid_ids": [],
            }],
            "care": [],
            "next_id": 2,
        })
    );
    let first: Value = app
        .api_get(
            &format!("/api/v1/trajectories/{trajectory}/plan/versions/1"),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["reason"], "Via de API");
    assert!(first["plan"]["agreements"].as_array().unwrap().is_empty());
    // The team: read, and a professional added.
    let coach = user_id(&app, "techcoach").await;
    let joined = api(
        reqwest::Method::POST,
        format!("/api/v1/trajectories/{trajectory}/team"),
        json!({"user_id": coach, "contact": "via de wijkteamtelefoon"}),
    )
    .await;
    assert_eq!(joined.status(), 201);
    let team: Value = app
        .api_get(&format!("/api/v1/trajectories/{trajectory}/team"), &token)
        .await
        .json()
        .await
        .unwrap();
    let members = team["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    assert!(
        members
            .iter()
            .any(|m| m["coordinator"] == true && m["discipline"] == "wijkverpleegkundige")
    );
    assert!(
        members
            .iter()
            .any(|m| m["user_id"] == coach && m["discipline"] == "techcoach")
    );
    // Someone off the team is refused, before any validation.
    let outsider = app.token_for("fysiotherapeut").await;
    let jannie = app.client_id("Jannie").await;
    let theirs = app.trajectory_of(jannie).await;
    let refused = app
        .api_get(&format!("/api/v1/trajectories/{theirs}/plan"), &outsider)
        .await;
    assert_eq!(refused.status(), 403);
    let refused = app
        .client
        .post(app.url(&format!("/api/v1/trajectories/{theirs}/goals")))
        .bearer_auth(&outsider)
        .json(&json!({"words": "", "expressed_by": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

async fn the_demo_has_complete_plans(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(client).await;
    let plan = plan_of(&app, trajectory).await.expect("Gerrit has a plan");
    assert_eq!(plan.number, 3);
    assert!(!plan.plan.goals.is_empty());
    assert!(plan.plan.goals.iter().all(|g| !g.interventions.is_empty()));
    assert!(
        plan.plan
            .agreements
            .iter()
            .any(|a| !a.steps.is_empty() && !a.aid_ids.is_empty())
    );
    assert!(!plan.plan.care.is_empty());
    let mut tx = app.db.begin().await.unwrap();
    assert_eq!(
        tx.core_team(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        tx.decisions(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .len(),
        1,
        "Gerrit's insulin decision"
    );
    tx.commit().await.unwrap();
}

async fn malformed_ids_in_page_paths_are_the_html_404(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.login("coordinator").await;
    let (client, trajectory) = henk(&app).await;
    assert_eq!(app.get(&format!("/clients/{client}")).await.status(), 200);
    let add = app
        .post_from(
            &format!("/trajectories/{trajectory}/plan/goals"),
            &format!("/trajectories/{trajectory}/plan/goals"),
            &[("words", "Zelf koffie zetten"), ("expressed_by", "client")],
        )
        .await;
    assert_eq!(add.status(), 303);
    let goal_page = format!("/trajectories/{trajectory}/plan/goals/1");
    assert_eq!(app.get(&goal_page).await.status(), 200);
    let mut paths = Vec::new();
    for id in ["abc", "0", "-1", "+1", "1.0", "99999999999999999999", "%20"] {
        paths.push(format!("/clients/{id}"));
        paths.push(format!("/trajectories/{id}/plan"));
        paths.push(format!("/trajectories/{trajectory}/plan?version={id}"));
        paths.push(format!("/trajectories/{id}/plan/goals/1"));
        // Goal numbers follow the same rule as record ids.
        paths.push(format!("/trajectories/{trajectory}/plan/goals/{id}"));
    }
    paths.push(format!("/trajectories/{trajectory}/plan/goals/4294967296"));
    for path in paths {
        let response = app.get(&path).await;
        assert_eq!(response.status(), 404, "{path}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            content_type.starts_with("text/html"),
            "{path}: {content_type}"
        );
    }
}
