//! HTTP integration tests: the real server on a loopback port, each case on SQLite and on
//! PostgreSQL.

mod support;

use regie_domain::LoginPolicy;
use regie_storage::AuditFilter;
use regie_web::WebConfig;
use serde_json::Value;
use support::{Backend, TestApp};

on_both_backends!(
    health_names_the_backend_and_schema_version,
    pages_are_dutch_by_default_and_follow_accept_language_before_login,
    coordinator_signs_in_and_the_language_choice_is_remembered,
    wrong_passwords_are_refused_and_every_attempt_is_audited,
    repeated_failures_make_the_account_wait,
    five_failures_lock_only_that_account,
    a_cross_site_post_is_refused,
    a_professional_off_the_team_is_refused_and_the_denial_is_audited,
    an_analyst_never_reaches_an_individual_record,
    an_admin_manages_users_but_reads_no_records_off_the_team,
    non_admins_are_refused_admin_pages,
    a_bad_user_form_keeps_input_and_explains_in_dutch,
    a_deactivated_user_is_signed_out_and_cannot_sign_in,
    the_api_needs_a_token_and_answers_problem_json,
    the_api_lists_and_reads_only_permitted_clients,
    unknown_routes_get_a_friendly_404,
    responses_carry_security_headers_and_safe_cookies,
    a_session_ends_after_inactivity,
    malformed_input_never_causes_a_server_error,
    teams_are_created_renamed_and_deactivated_never_deleted,
    the_audit_page_filters_and_is_itself_audited,
    search_finds_clients_by_name_within_the_callers_teams,
    the_organisation_name_is_shown_and_editable_by_the_admin,
    a_professional_registers_a_client_and_bad_input_is_explained,
    a_bsn_is_masked_unique_and_found_only_whole,
    client_details_are_edited_by_the_team_only,
    the_api_registers_clients_and_explains_bad_input,
    a_trajectory_moves_through_its_phases_as_the_domain_allows,
    another_team_cannot_see_or_move_a_trajectory,
    the_api_starts_and_reads_trajectories,
    the_demo_has_trajectories_in_every_phase,
    client_and_professional_views_stand_side_by_side_with_gaps_flagged,
    the_api_records_assessments,
    my_clients_come_first,
    what_matters_is_recorded_in_the_clients_words,
    daily_activities_are_recorded_with_what_the_client_wants_to_learn,
    the_network_shows_who_helps_and_flags_an_overloaded_carer,
    every_client_route_refuses_another_team_and_says_so_in_the_log,
);

async fn body(response: reqwest::Response) -> String {
    response.text().await.expect("body")
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn health_names_the_backend_and_schema_version(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let response = app.get("/health").await;
    assert_eq!(response.status(), 200);
    let json: Value = response.json().await.unwrap();
    let expected = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgresql",
    };
    assert_eq!(json["database"], expected);
    assert_eq!(json["status"], "ok");
    assert!(json["schema_version"].as_i64().unwrap() >= 1);
}

async fn pages_are_dutch_by_default_and_follow_accept_language_before_login(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let dutch = body(app.get("/login").await).await;
    assert!(dutch.contains(r#"<html lang="nl">"#) && dutch.contains("Inloggen"));
    let english = app
        .client
        .get(app.url("/login"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    let english = body(english).await;
    assert!(english.contains(r#"<html lang="en">"#) && english.contains("Sign in"));
}

async fn coordinator_signs_in_and_the_language_choice_is_remembered(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let response = app.get("/").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login?next=/");
    app.login("coordinator").await;
    let home = body(app.get("/").await).await;
    assert!(home.contains("Welkom, Marieke de Vries"), "{home}");
    assert!(home.contains(r#"<html lang="nl">"#));

    let switched = app
        .post_form("/language", &[("lang", "en"), ("back", "/clients")])
        .await;
    assert_eq!(switched.status(), 303);
    assert_eq!(location(&switched), "/clients");
    assert!(
        body(app.get("/").await)
            .await
            .contains("Welcome, Marieke de Vries")
    );

    // Remembered for the user: a new browser that prefers Dutch gets English after signing in.
    assert_eq!(
        app.post_form("/logout", &[] as &[(&str, &str)])
            .await
            .status(),
        303
    );
    let other_browser = TestApp::new_client();
    app.login_as(&other_browser, "coordinator", "regie-demo")
        .await;
    let page = other_browser
        .get(app.url("/"))
        .header("accept-language", "nl")
        .send()
        .await
        .unwrap();
    assert!(body(page).await.contains("Welcome, Marieke de Vries"));
}

async fn wrong_passwords_are_refused_and_every_attempt_is_audited(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let refused = app
        .login_as(&app.client, "coordinator", "verkeerd-wachtwoord")
        .await;
    assert_eq!(refused.status(), 401);
    let page = body(refused).await;
    assert!(page.contains("De gebruikersnaam of het wachtwoord klopt niet"));
    assert!(
        page.contains(r#"value="coordinator""#),
        "the user name is kept"
    );
    let unknown = app
        .login_as(&app.client, "niemand", "whatever-password")
        .await;
    assert_eq!(
        unknown.status(),
        401,
        "unknown accounts get the same answer"
    );
    app.login("coordinator").await;

    let failed = app.audit_of("login.failed").await;
    assert_eq!(failed.len(), 2);
    assert!(
        failed
            .iter()
            .any(|r| r.username.as_deref() == Some("coordinator")
                && r.detail.as_deref() == Some("wrong password"))
    );
    assert!(
        failed.iter().any(|r| r.username.is_none()),
        "a typed unknown name is not logged"
    );
    assert!(
        failed
            .iter()
            .all(|r| r.source.as_deref() == Some("127.0.0.1"))
    );
    let ok = app.audit_of("login.succeeded").await;
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].user_role.as_deref(), Some("professional"));
    // No password appears anywhere in the log.
    let all = app.audit(AuditFilter::default()).await;
    assert!(
        all.iter()
            .all(|r| !format!("{r:?}").contains("verkeerd-wachtwoord")
                && !format!("{r:?}").contains("regie-demo"))
    );
}

async fn repeated_failures_make_the_account_wait(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    for _ in 0..3 {
        app.login_as(&app.client, "verzorgende", "fout-wachtwoord")
            .await;
    }
    // Right after the third failure even the correct password has to wait.
    let waiting = app.login_as(&app.client, "verzorgende", "regie-demo").await;
    assert_eq!(waiting.status(), 429);
    assert!(waiting.headers().contains_key("retry-after"));
    assert!(
        body(waiting)
            .await
            .contains("Te veel mislukte pogingen. Wacht")
    );
    let denied = app
        .audit(AuditFilter {
            event: Some("login.failed".into()),
            outcome: Some("denied".into()),
            ..Default::default()
        })
        .await;
    assert_eq!(denied.len(), 1);
    assert_eq!(denied[0].detail.as_deref(), Some("throttled"));
}

async fn five_failures_lock_only_that_account(backend: Backend) {
    // No waiting between attempts here (per account or per address), so the lock itself is
    // what the test sees.
    let no_wait = |policy: LoginPolicy| LoginPolicy {
        base_delay: time::Duration::ZERO,
        ..policy
    };
    let Some(app) = TestApp::spawn_with(
        backend,
        WebConfig {
            login_throttle: regie_domain::LoginThrottle {
                account: no_wait(LoginPolicy::default()),
                address: no_wait(LoginPolicy::per_address()),
            },
            ..WebConfig::default()
        },
    )
    .await
    else {
        return;
    };
    for attempt in 1..=5 {
        let response = app
            .login_as(&app.client, "verzorgende", "fout-wachtwoord")
            .await;
        let expected = if attempt < 5 { 401 } else { 429 };
        assert_eq!(response.status(), expected, "attempt {attempt}");
    }
    let locked = app.login_as(&app.client, "verzorgende", "regie-demo").await;
    assert_eq!(locked.status(), 429);
    assert!(body(locked).await.contains("tijdelijk geblokkeerd"));
    // Another account is not affected.
    let other = TestApp::new_client();
    assert_eq!(
        app.login_as(&other, "coordinator", "regie-demo")
            .await
            .status(),
        303
    );
    let attempts = app
        .audit(AuditFilter {
            username: Some("verzorgende".into()),
            ..Default::default()
        })
        .await;
    assert_eq!(attempts.len(), 6, "every attempt is in the log");
    assert!(
        attempts
            .iter()
            .any(|r| r.detail.as_deref() == Some("wrong password; account locked"))
    );
}

async fn a_cross_site_post_is_refused(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let form = [("username", "coordinator"), ("password", "regie-demo")];
    let cross_site = app
        .client
        .post(app.url("/login"))
        .header("sec-fetch-site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
    assert!(body(cross_site).await.contains("Verzoek geweigerd"));
    let foreign_origin = app
        .client
        .post(app.url("/login"))
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(foreign_origin.status(), 403);
    let same_origin = app
        .client
        .post(app.url("/login"))
        .header("sec-fetch-site", "same-origin")
        .header("origin", app.base.clone())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 303);
    let ok = app.audit_of("login.succeeded").await;
    assert_eq!(ok.len(), 1, "the refused posts never reached the login");
}

async fn a_professional_off_the_team_is_refused_and_the_denial_is_audited(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let north = app.client_id("Jannie").await;
    let south = app.client_id("Ahmet").await;
    app.login("verzorgende").await; // Wijkteam Noord only
    let allowed = app.get(&format!("/clients/{north}")).await;
    assert_eq!(allowed.status(), 200);
    assert!(body(allowed).await.contains("Jannie"));
    let refused = app.get(&format!("/clients/{south}")).await;
    assert_eq!(refused.status(), 403);
    let page = body(refused).await;
    assert!(page.contains("Geen toegang") && !page.contains("Ahmet"));

    let token = app.token_for("verzorgende").await;
    let api = app
        .api_get(&format!("/api/v1/clients/{south}"), &token)
        .await;
    assert_eq!(api.status(), 403);
    assert_eq!(api.headers()["content-type"], "application/problem+json");

    let reads = app.audit_of("client.read").await;
    let denied: Vec<_> = reads.iter().filter(|r| r.outcome == "denied").collect();
    assert_eq!(denied.len(), 2, "page and API denial");
    assert!(
        denied
            .iter()
            .all(|r| r.client_id == Some(south) && r.username.as_deref() == Some("verzorgende"))
    );
    assert!(
        reads
            .iter()
            .any(|r| r.outcome == "allowed" && r.client_id == Some(north))
    );
}

async fn an_analyst_never_reaches_an_individual_record(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Jannie").await;
    app.login("analist").await;
    assert_eq!(app.get("/clients").await.status(), 403);
    assert_eq!(app.get(&format!("/clients/{client}")).await.status(), 403);
    let token = app.token_for("analist").await;
    let list = app.api_get("/api/v1/clients", &token).await;
    assert_eq!(list.status(), 403);
    let denied = app
        .audit(AuditFilter {
            outcome: Some("denied".into()),
            username: Some("analist".into()),
            ..Default::default()
        })
        .await;
    assert_eq!(denied.len(), 3);
}

async fn an_admin_manages_users_but_reads_no_records_off_the_team(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Jannie").await;
    app.login("admin").await;
    assert_eq!(app.get("/admin/users").await.status(), 200);
    assert_eq!(app.get(&format!("/clients/{client}")).await.status(), 403);
    let list = body(app.get("/clients").await).await;
    assert!(!list.contains("Jannie"));
}

async fn non_admins_are_refused_admin_pages(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.login("teamleider").await;
    for path in [
        "/admin/users",
        "/admin/teams",
        "/admin/audit",
        "/admin/users/new",
    ] {
        assert_eq!(app.get(path).await.status(), 403, "{path}");
    }
    let created = app
        .post_form(
            "/admin/users/new",
            &[
                ("username", "inbreker"),
                ("full_name", "X"),
                ("password", "0123456789"),
            ],
        )
        .await;
    assert_eq!(created.status(), 403);
    let mut tx = app.db.begin().await.unwrap();
    assert!(tx.user_by_username("inbreker").await.unwrap().is_none());
    tx.commit().await.unwrap();
    let denied = app.audit_of("admin.access").await;
    assert_eq!(denied.len(), 5);
}

async fn a_bad_user_form_keeps_input_and_explains_in_dutch(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.login("admin").await;
    let bad = app
        .post_form(
            "/admin/users/new",
            &[
                ("username", "Jan Jansen"),
                ("full_name", "Jan Jansen"),
                ("role", "professional"),
                ("discipline", "verzorgende"),
                ("team", "1"),
                ("password", "kort"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let page = body(bad).await;
    assert!(page.contains("Gebruik 2 tot 64 tekens"), "username message");
    assert!(
        page.contains("Het wachtwoord moet minstens 10 tekens hebben"),
        "password message"
    );
    assert!(page.contains(r#"value="Jan Jansen""#), "input kept");
    assert!(
        page.contains(r#"id="team-1" name="team" type="checkbox" value="1" checked"#),
        "team choice kept"
    );
    assert!(page.contains(r#"aria-invalid="true""#));

    let good = [
        ("username", "jjansen"),
        ("full_name", "Jan Jansen"),
        ("role", "professional"),
        ("discipline", "verzorgende"),
        ("team", "1"),
        ("team", "2"),
        ("password", "een lange zin"),
    ];
    let created = app.post_form("/admin/users/new", &good).await;
    assert_eq!(created.status(), 303);
    let duplicate = app.post_form("/admin/users/new", &good).await;
    assert_eq!(duplicate.status(), 422);
    assert!(
        body(duplicate)
            .await
            .contains("Deze gebruikersnaam is al in gebruik")
    );

    let mut tx = app.db.begin().await.unwrap();
    let user = tx.user_by_username("jjansen").await.unwrap().unwrap();
    assert_eq!(tx.user_team_ids(user.id).await.unwrap(), vec![1, 2]);
    tx.commit().await.unwrap();
    let new_user = TestApp::new_client();
    assert_eq!(
        app.login_as(&new_user, "jjansen", "een lange zin")
            .await
            .status(),
        303
    );
    let audit = app.audit_of("user.create").await;
    assert_eq!(audit.len(), 1);
    assert!(!format!("{audit:?}").contains("een lange zin"));
}

async fn a_deactivated_user_is_signed_out_and_cannot_sign_in(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let nurse = TestApp::new_client();
    assert_eq!(
        app.login_as(&nurse, "verzorgende", "regie-demo")
            .await
            .status(),
        303
    );
    assert_eq!(
        nurse
            .get(app.url("/clients"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let id = {
        let mut tx = app.db.begin().await.unwrap();
        let id = tx
            .user_by_username("verzorgende")
            .await
            .unwrap()
            .unwrap()
            .id;
        tx.commit().await.unwrap();
        id
    };
    app.login("admin").await;
    assert_eq!(
        app.post_form(&format!("/admin/users/{id}/active"), &[("active", "false")])
            .await
            .status(),
        303
    );
    // The open session ends at the next request.
    assert_eq!(
        nurse
            .get(app.url("/clients"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    assert_eq!(
        app.login_as(&nurse, "verzorgende", "regie-demo")
            .await
            .status(),
        401
    );
    // Reactivating undoes it; nothing was deleted.
    assert_eq!(
        app.post_form(&format!("/admin/users/{id}/active"), &[("active", "true")])
            .await
            .status(),
        303
    );
    assert_eq!(
        app.login_as(&nurse, "verzorgende", "regie-demo")
            .await
            .status(),
        303
    );
}

async fn the_api_needs_a_token_and_answers_problem_json(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let anonymous = app.get("/api/v1/clients").await;
    assert_eq!(anonymous.status(), 401);
    assert_eq!(
        anonymous.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = anonymous.json().await.unwrap();
    assert_eq!(problem["status"], 401);
    assert!(problem["title"].is_string() && problem["detail"].is_string());
    let wrong = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth("regie_not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let token = app.token_for("coordinator").await;
    let me: Value = app
        .api_get("/api/v1/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "coordinator");

    let spec: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/health",
        "/api/v1/me",
        "/api/v1/clients",
        "/api/v1/clients/{id}",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} documented");
    }
}

async fn the_api_lists_and_reads_only_permitted_clients(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("fysiotherapeut").await; // Wijkteam Zuid
    let list: Value = app
        .api_get("/api/v1/clients?limit=100", &token)
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(list["total"], 18);
    assert!(
        names.iter().any(|n| n.contains("Ahmet")) && !names.iter().any(|n| n.contains("Jannie"))
    );
    let id = app.client_id("Ahmet").await;
    let client: Value = app
        .api_get(&format!("/api/v1/clients/{id}"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(client["id"], id);
    let missing = app.api_get("/api/v1/clients/999999", &token).await;
    assert_eq!(missing.status(), 404);
    let searches = app.audit_of("client.search").await;
    assert_eq!(searches.len(), 1);
}

async fn unknown_routes_get_a_friendly_404(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let page = app.get("/bestaat-niet").await;
    assert_eq!(page.status(), 404);
    assert!(body(page).await.contains("Pagina niet gevonden"));
    let api = app.get("/api/v1/bestaat-niet").await;
    assert_eq!(api.status(), 404);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
}

async fn responses_carry_security_headers_and_safe_cookies(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let page = app.get("/login").await;
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
            && csp.contains("frame-ancestors 'none'")
    );
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert_eq!(page.headers()["referrer-policy"], "same-origin");
    let login = app.login_as(&app.client, "coordinator", "regie-demo").await;
    let cookie = login.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("regie_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP in tests; Secure comes with --secure-cookies"
    );
    let html = body(app.get("/").await).await;
    assert!(
        !html.contains("<script>") && !html.contains(" style="),
        "no inline script or style"
    );
    assert!(
        !html.contains("https://"),
        "nothing loaded from other hosts"
    );
}

async fn a_session_ends_after_inactivity(backend: Backend) {
    let config = WebConfig {
        session_idle: time::Duration::seconds(1),
        ..WebConfig::default()
    };
    let Some(app) = TestApp::spawn_with(backend, config).await else {
        return;
    };
    app.login("coordinator").await;
    assert_eq!(app.get("/").await.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let after = app.get("/").await;
    assert_eq!(after.status(), 303);
    assert!(location(&after).starts_with("/login"));
}

/// Method, path and form fields of a request that must not cause a server error.
type MalformedCase = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

async fn malformed_input_never_causes_a_server_error(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.login("admin").await;
    let cases: Vec<MalformedCase> = vec![
        ("POST", "/login", vec![]),
        (
            "POST",
            "/login",
            vec![("username", "x\u{0}y"), ("password", "p")],
        ),
        ("POST", "/language", vec![("lang", "xx")]),
        ("POST", "/language", vec![]),
        (
            "POST",
            "/language",
            vec![("lang", "en"), ("back", "/\r\nSet-Cookie: x=1")],
        ),
        (
            "POST",
            "/login",
            vec![("username", "a"), ("password", "b"), ("next", "/\r\nx")],
        ),
        ("POST", "/admin/teams", vec![("name", "")]),
        ("POST", "/admin/users/abc", vec![]),
        (
            "POST",
            "/admin/users/999999",
            vec![
                ("full_name", "A"),
                ("role", "admin"),
                ("discipline", "anders"),
            ],
        ),
        (
            "POST",
            "/admin/users/new",
            vec![("role", "root"), ("discipline", "piloot")],
        ),
        ("POST", "/admin/users/1/active", vec![("active", "false")]),
        ("POST", "/admin/users/2/password", vec![("password", "")]),
        (
            "GET",
            "/admin/audit?page=-4&from=gisteren&client=abc",
            vec![],
        ),
        ("GET", "/clients?page=zes&q=%25%27%22", vec![]),
        ("GET", "/clients/99999999999999999999999", vec![]),
        ("GET", "/api/v1/clients/abc", vec![]),
    ];
    for (method, path, form) in cases {
        let request = if method == "GET" {
            app.client.get(app.url(path))
        } else {
            app.client.post(app.url(path)).form(&form)
        };
        let response = request.send().await.unwrap();
        let status = response.status();
        assert!(
            status.is_client_error() || status.is_success() || status.is_redirection(),
            "{method} {path}: {status}"
        );
    }
    let garbage = app
        .client
        .post(app.url("/admin/users/new"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("%%%&&&=")
        .send()
        .await
        .unwrap();
    assert!(garbage.status().is_client_error() || garbage.status().is_success());
    // A successful login with a target that cannot be a Location header goes home instead.
    let other = TestApp::new_client();
    let redirected = other
        .post(app.url("/login"))
        .form(&[
            ("username", "coordinator"),
            ("password", "regie-demo"),
            ("next", "/\r\nSet-Cookie: x=1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(redirected.status(), 303);
    assert_eq!(location(&redirected), "/");
}

async fn teams_are_created_renamed_and_deactivated_never_deleted(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.login("admin").await;
    assert_eq!(
        app.post_form("/admin/teams", &[("name", "Wijkteam West")])
            .await
            .status(),
        303
    );
    let duplicate = app
        .post_form("/admin/teams", &[("name", "Wijkteam West")])
        .await;
    assert_eq!(duplicate.status(), 422);
    assert!(
        body(duplicate)
            .await
            .contains("Er is al een team met deze naam")
    );
    let empty = app.post_form("/admin/teams", &[("name", "  ")]).await;
    assert_eq!(empty.status(), 422);
    assert!(body(empty).await.contains("Dit veld is verplicht"));
    let id = {
        let mut tx = app.db.begin().await.unwrap();
        let id = tx
            .teams_list()
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.name == "Wijkteam West")
            .unwrap()
            .id;
        tx.commit().await.unwrap();
        id
    };
    assert_eq!(
        app.post_form(&format!("/admin/teams/{id}"), &[("name", "Wijkteam Oost")])
            .await
            .status(),
        303
    );
    let mut tx = app.db.begin().await.unwrap();
    let team = tx.team_get(id).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert_eq!((team.name.as_str(), team.active), ("Wijkteam Oost", false));
    let list = body(app.get("/admin/teams").await).await;
    assert!(list.contains("Wijkteam Oost") && list.contains("Inactief"));
}

async fn the_audit_page_filters_and_is_itself_audited(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let nurse = TestApp::new_client();
    app.login_as(&nurse, "verzorgende", "fout-wachtwoord").await;
    app.login("admin").await;
    let page = body(app.get("/admin/audit?event=login.failed").await).await;
    assert!(page.contains("Inloggen mislukt") && page.contains("verzorgende"));
    assert!(page.contains("1 regel"), "only the failed login matches");
    let reads = app.audit_of("audit.read").await;
    assert_eq!(reads.len(), 1);
    let ignored = body(app.get("/admin/audit?from=gisteren").await).await;
    assert!(
        ignored.contains("is niet gebruikt"),
        "an invalid filter is named, not silently dropped"
    );
}

async fn search_finds_clients_by_name_within_the_callers_teams(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.login("coordinator").await; // Wijkteam Noord: 15 clients
    let all = body(app.get("/clients").await).await;
    assert!(all.contains("15 cliënten"));
    let found = body(app.get("/clients?q=JANNIE").await).await;
    assert!(found.contains("1 cliënt") && found.contains("Jannie"));
    let other_team = body(app.get("/clients?q=Ahmet").await).await;
    assert!(other_team.contains("0 cliënten") && !other_team.contains("Kaya"));
    let wildcard = body(app.get("/clients?q=%25").await).await;
    assert!(wildcard.contains("0 cliënten"), "% is matched literally");
    let searches = app.audit_of("client.search").await;
    assert_eq!(searches.len(), 4);
    assert!(
        searches
            .iter()
            .any(|r| r.detail.as_deref().is_some_and(|d| d.contains("JANNIE")))
    );
}

async fn the_organisation_name_is_shown_and_editable_by_the_admin(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.login("admin").await;
    assert!(
        body(app.get("/").await)
            .await
            .contains("Zorgcoöperatie De Linde")
    );
    let empty = app
        .post_form("/admin/organisation", &[("organisation", " ")])
        .await;
    assert_eq!(empty.status(), 422);
    let page = body(empty).await;
    assert!(page.contains("Dit veld is verplicht") && page.contains(r#"id="organisation-error""#));
    let saved = app
        .post_form(
            "/admin/organisation",
            &[("organisation", "Thuiszorg Aan Zee")],
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert!(body(app.get("/").await).await.contains("Thuiszorg Aan Zee"));
    assert_eq!(app.audit_of("organisation.update").await.len(), 1);
}

fn registration<'a>(name: &'a str, bsn: &'a str, team: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("date_of_birth", "1942-05-17"),
        ("bsn", bsn),
        ("living_situation", "with_partner"),
        ("street", "Kastanjestraat"),
        ("house_number", "8"),
        ("postcode", "8012cd"),
        ("city", "Zwolle"),
        ("phone", "06 1234 5678"),
        ("email", ""),
        ("referrer", "huisarts"),
        ("team", team),
    ]
}

async fn a_professional_registers_a_client_and_bad_input_is_explained(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.login("coordinator").await; // Wijkteam Noord (team 1)
    assert_eq!(app.get("/clients/new").await.status(), 200);
    let bad = app
        .post_form(
            "/clients",
            &[
                ("name", "Meneer Bakker"),
                ("date_of_birth", "2031-01-01"),
                ("postcode", "12345"),
                ("street", "Molenweg"),
                ("bsn", "123456789"),
                ("living_situation", "alone"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let page = body(bad).await;
    for message in [
        "Deze geboortedatum kan niet kloppen",
        "Vul een postcode in zoals 1234 AB",
        "Dit is geen geldig burgerservicenummer",
        "Vul het hele adres in",
        "Kies minstens één team",
    ] {
        assert!(page.contains(message), "{message}");
    }
    assert!(
        page.contains(r#"value="Meneer Bakker""#) && page.contains(r#"value="Molenweg""#),
        "input kept"
    );
    // Registering under a team one is not in would open the record to that team: refused.
    let other_team = app
        .post_form("/clients", &registration("Meneer Bakker", "", "2"))
        .await;
    assert_eq!(other_team.status(), 403);
    assert!(
        body(other_team)
            .await
            .contains("alleen teams kiezen waarin u zelf werkt")
    );
    assert!(
        app.audit_of("client.create")
            .await
            .iter()
            .any(|r| r.outcome == "denied"),
        "the refusal is audited"
    );

    let created = app
        .post_form("/clients", &registration("Meneer Bakker", "", "1"))
        .await;
    assert_eq!(created.status(), 303);
    let record = location(&created);
    let page = body(app.get(&record).await).await;
    assert!(page.contains("Meneer Bakker") && page.contains("Kastanjestraat 8, 8012 CD Zwolle"));
    assert!(page.contains("17-05-1942") && page.contains("Met partner"));
    let creates: Vec<_> = app
        .audit_of("client.create")
        .await
        .into_iter()
        .filter(|r| r.outcome == "allowed")
        .collect();
    assert_eq!(creates.len(), 1);
    assert_eq!(
        Some(creates[0].client_id.unwrap().to_string()),
        record.strip_prefix("/clients/").map(str::to_string)
    );

    // Analysts and admins outside the teams cannot register clients.
    let analyst = TestApp::new_client();
    app.login_as(&analyst, "analist", "regie-demo").await;
    let refused = analyst
        .post(app.url("/clients"))
        .form(&registration("X", "", "1"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

async fn a_bsn_is_masked_unique_and_found_only_whole(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.login("coordinator").await;
    let created = app
        .post_form(
            "/clients",
            &registration("Mevrouw Smit", "1112.22.333", "1"),
        )
        .await;
    assert_eq!(created.status(), 303);
    let page = body(app.get(&location(&created)).await).await;
    assert!(
        page.contains("******333") && !page.contains("111222333"),
        "shown masked"
    );
    let edit = body(app.get(&format!("{}/edit", location(&created))).await).await;
    assert!(!edit.contains("111222333"), "not even in the edit form");

    let duplicate = app
        .post_form("/clients", &registration("Iemand anders", "111222333", "1"))
        .await;
    assert_eq!(duplicate.status(), 422);
    assert!(
        body(duplicate)
            .await
            .contains("Er is al een cliënt met dit burgerservicenummer")
    );

    let found = body(app.get("/clients?q=111222333").await).await;
    assert!(found.contains("1 cliënt") && found.contains("Mevrouw Smit"));
    let partial = body(app.get("/clients?q=11122").await).await;
    assert!(
        partial.contains("0 cliënten"),
        "a partial number finds nothing"
    );
    let searches = app.audit_of("client.search").await;
    assert!(
        searches
            .iter()
            .all(|r| !r.detail.as_deref().unwrap_or("").contains("111222333")),
        "the number is not logged"
    );
    // Another team does not find the client by number either.
    let south = TestApp::new_client();
    app.login_as(&south, "fysiotherapeut", "regie-demo").await;
    let hidden = south
        .get(app.url("/clients?q=111222333"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(hidden.contains("0 cliënten"));
}

async fn client_details_are_edited_by_the_team_only(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let jannie = app.client_id("Jannie").await;
    app.login("coordinator").await;
    let form = body(app.get(&format!("/clients/{jannie}/edit")).await).await;
    assert!(
        form.contains("Laat dit veld leeg om het nummer te houden"),
        "the demo client has a BSN on record"
    );
    let mut fields = registration("Mevrouw J. (Jannie) de Boer", "", "1");
    fields.retain(|(k, _)| *k != "phone");
    fields.push(("phone", "038 765 4321"));
    let edit = format!("/clients/{jannie}/edit");
    let saved = app.post_from(&edit, &edit, &fields).await;
    assert_eq!(saved.status(), 303);
    let page = body(app.get(&format!("/clients/{jannie}")).await).await;
    assert!(page.contains("038 765 4321"));
    assert!(
        page.contains("******"),
        "an empty BSN field kept the number"
    );
    assert_eq!(app.audit_of("client.update").await.len(), 1);

    let south = TestApp::new_client();
    app.login_as(&south, "fysiotherapeut", "regie-demo").await;
    let refused = south
        .post(app.url(&format!("/clients/{jannie}/edit")))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let denied: Vec<_> = app
        .audit_of("client.update")
        .await
        .into_iter()
        .filter(|r| r.outcome == "denied")
        .collect();
    assert_eq!(denied.len(), 1, "the refused edit is audited as such");
    assert_eq!(denied[0].username.as_deref(), Some("fysiotherapeut"));
    assert_eq!(denied[0].client_id, Some(jannie));
    let bad = app
        .post_from(
            &edit,
            &edit,
            &[("name", ""), ("living_situation", "alone"), ("team", "1")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(body(bad).await.contains("Dit veld is verplicht"));
}

async fn the_api_registers_clients_and_explains_bad_input(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("fysiotherapeut").await; // Wijkteam Zuid (team 2)
    let post = |body: Value| {
        app.client
            .post(app.url("/api/v1/clients"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let created = post(serde_json::json!({
        "name": "Meneer Özdemir",
        "date_of_birth": "1948-09-02",
        "living_situation": "alone",
        "team_ids": [2],
        "bsn": "123456782",
        "postcode": "8019 AB", "street": "Molenweg", "house_number": "1", "city": "Zwolle"
    }))
    .await
    .unwrap();
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let client: Value = created.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/clients/{}", client["id"]));
    assert_eq!(client["bsn_masked"], "******782");
    assert!(
        !client.to_string().contains("123456782"),
        "the full number never leaves the server"
    );
    assert_eq!(client["date_of_birth"], "1948-09-02");
    assert_eq!(client["postcode"], "8019 AB");

    let invalid = post(serde_json::json!({
        "name": "", "date_of_birth": "morgen", "living_situation": "alone", "team_ids": []
    }))
    .await
    .unwrap();
    assert_eq!(invalid.status(), 422);
    assert_eq!(
        invalid.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = invalid.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "date_of_birth", "team_ids"]);
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("verplicht"),
        "Dutch by default"
    );

    let unknown_field = post(serde_json::json!({
        "name": "X", "date_of_birth": "1950-01-01", "living_situation": "alone", "team_ids": [2], "kleur": "rood"
    }))
    .await
    .unwrap();
    assert!(unknown_field.status().is_client_error());
    assert_eq!(
        unknown_field.headers()["content-type"],
        "application/problem+json"
    );

    let analyst = app.token_for("analist").await;
    let refused = app
        .client
        .post(app.url("/api/v1/clients"))
        .bearer_auth(&analyst)
        .json(&serde_json::json!({"name": "X", "date_of_birth": "1950-01-01", "living_situation": "alone", "team_ids": [2]}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let creates = app.audit_of("client.create").await;
    assert_eq!(
        creates
            .iter()
            .map(|r| r.outcome.as_str())
            .collect::<Vec<_>>(),
        ["denied", "allowed"],
        "the refused registration is audited too"
    );
}

async fn coordinator_id(app: &TestApp, username: &str) -> String {
    let mut tx = app.db.begin().await.unwrap();
    let id = tx.user_by_username(username).await.unwrap().unwrap().id;
    tx.commit().await.unwrap();
    id.to_string()
}

async fn a_trajectory_moves_through_its_phases_as_the_domain_allows(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Annie").await;
    let coordinator = coordinator_id(&app, "coordinator").await;
    app.login("coordinator").await;
    let new = format!("/clients/{client}/trajectories");
    let bad = app
        .post_form(
            &new,
            &[
                ("question", "  "),
                ("start_date", "2026-13-01"),
                ("coordinator_id", &coordinator),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let page = body(bad).await;
    assert!(
        page.contains("Dit veld is verplicht") && page.contains("Kies minstens één soort vraag")
    );
    assert!(page.contains("Vul een bestaande datum in"));
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let good = [
        ("question", "Ik wil weer zelf douchen."),
        ("question_type", "wijkverpleging"),
        ("question_type", "dagbesteding"),
        ("referral_source", "huisarts"),
        ("start_date", today.as_str()),
        ("coordinator_id", coordinator.as_str()),
    ];
    let started = app.post_form(&new, &good).await;
    assert_eq!(started.status(), 303);
    let trajectory = location(&started);
    let page = body(app.get(&trajectory).await).await;
    assert!(
        page.contains("Ik wil weer zelf douchen.") && page.contains("Wijkverpleging, Dagbesteding")
    );
    assert!(page.contains(r#"aria-current="step">Aanmelding"#));

    let second = app.post_form(&new, &good).await;
    assert_eq!(second.status(), 422);
    assert!(body(second).await.contains("al een lopend traject"));

    let phase = format!("{trajectory}/phase");
    assert_eq!(
        app.post_form(&phase, &[("to", "vraagverheldering")])
            .await
            .status(),
        303
    );
    let skip = app.post_form(&phase, &[("to", "uitvoering")]).await;
    assert_eq!(skip.status(), 422);
    assert!(
        body(skip)
            .await
            .contains("Deze stap is vanuit de huidige fase niet mogelijk")
    );
    let no_closure = app.post_form(&phase, &[("to", "afgesloten")]).await;
    assert_eq!(no_closure.status(), 422);
    // Closing has its own page with its own questions.
    let close = format!("{trajectory}/close");
    let too_early = app
        .post_form(
            &close,
            &[("option", "no_care_needed"), ("summary", "Klaar.")],
        )
        .await;
    assert_eq!(too_early.status(), 422);
    assert!(body(too_early).await.contains("alleen voortijdig stoppen"));
    let no_reason = app
        .post_form(
            &close,
            &[
                ("option", "stopped_early"),
                ("stop_reason", "other"),
                ("stop_detail", " "),
                ("summary", "Gestopt."),
            ],
        )
        .await;
    assert_eq!(no_reason.status(), 422);
    let closed = app
        .post_form(
            &close,
            &[
                ("option", "stopped_early"),
                ("stop_reason", "other"),
                ("stop_detail", "verhuisd naar de dochter"),
                ("summary", "Meneer woont nu bij zijn dochter."),
            ],
        )
        .await;
    assert_eq!(closed.status(), 303);
    let page = body(app.get(&trajectory).await).await;
    assert!(page.contains("Voortijdig gestopt: verhuisd naar de dochter"));
    assert!(page.contains("Naar fase Vraagverheldering") && page.contains("Traject gestart"));
    assert!(
        !page.contains("Traject afsluiten"),
        "a closed trajectory offers no more steps"
    );

    // After closing, a new trajectory can start.
    assert_eq!(app.post_form(&new, &good).await.status(), 303);
    let changes: Vec<_> = app
        .audit_of("client.update")
        .await
        .into_iter()
        .filter(|r| r.object_type.as_deref() == Some("trajectory"))
        .collect();
    assert_eq!(changes.len(), 4, "two starts, two phase changes");
    assert!(changes.iter().all(|r| r.client_id == Some(client)));
}

async fn another_team_cannot_see_or_move_a_trajectory(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Annie").await;
    let outsider = coordinator_id(&app, "fysiotherapeut").await;
    let coordinator = coordinator_id(&app, "coordinator").await;
    app.login("coordinator").await;
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let mut fields = vec![
        ("question", "Weer zelf koken"),
        ("question_type", "begeleiding"),
        ("start_date", today.as_str()),
    ];
    let wrong_coordinator = [fields.clone(), vec![("coordinator_id", outsider.as_str())]].concat();
    let refused = app
        .post_form(
            &format!("/clients/{client}/trajectories"),
            &wrong_coordinator,
        )
        .await;
    assert_eq!(refused.status(), 422);
    assert!(
        body(refused)
            .await
            .contains("De coördinator moet in een team van deze cliënt werken")
    );
    fields.push(("coordinator_id", coordinator.as_str()));
    let started = app
        .post_form(&format!("/clients/{client}/trajectories"), &fields)
        .await;
    let trajectory = location(&started);

    let south = TestApp::new_client();
    app.login_as(&south, "fysiotherapeut", "regie-demo").await;
    assert_eq!(
        south
            .get(app.url(&trajectory))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let moved = south
        .post(app.url(&format!("{trajectory}/phase")))
        .form(&[("to", "vraagverheldering")])
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 403);
    let started_elsewhere = south
        .post(app.url(&format!("/clients/{client}/trajectories")))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(started_elsewhere.status(), 403);
    let denied = app
        .audit(AuditFilter {
            username: Some("fysiotherapeut".into()),
            outcome: Some("denied".into()),
            ..Default::default()
        })
        .await;
    assert_eq!(denied.len(), 3, "{denied:?}");
    assert!(
        body(app.get(&trajectory).await)
            .await
            .contains(r#"aria-current="step">Aanmelding"#),
        "nothing moved"
    );
}

async fn the_api_starts_and_reads_trajectories(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Wim").await; // Wijkteam Zuid, no trajectory in the demo
    let token = app.token_for("fysiotherapeut").await;
    let coordinator: i64 = coordinator_id(&app, "fysiotherapeut")
        .await
        .parse()
        .unwrap();
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let post = |body: Value| {
        app.client
            .post(app.url(&format!("/api/v1/clients/{client}/trajectories")))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let created = post(serde_json::json!({
        "question": "Weer zelf naar de markt", "question_types": ["vervoersvoorzieningen"],
        "start_date": today, "coordinator_id": coordinator
    }))
    .await
    .unwrap();
    assert_eq!(created.status(), 201);
    let document: Value = created.json().await.unwrap();
    assert_eq!(document["phase"], "aanmelding");
    assert_eq!(document["timeline"].as_array().unwrap().len(), 1);
    let read: Value = app
        .api_get(&format!("/api/v1/trajectories/{}", document["id"]), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["question"], "Weer zelf naar de markt");
    assert_eq!(read["question_types"][0], "vervoersvoorzieningen");

    let invalid = post(serde_json::json!({"question": "", "question_types": ["huisarts"], "start_date": "x", "coordinator_id": coordinator}))
        .await
        .unwrap();
    assert_eq!(invalid.status(), 422);
    let problem: Value = invalid.json().await.unwrap();
    assert_eq!(problem["errors"].as_array().unwrap().len(), 3);
    let north = app.token_for("verzorgende").await;
    let forbidden = app
        .api_get(&format!("/api/v1/trajectories/{}", document["id"]), &north)
        .await;
    assert_eq!(forbidden.status(), 403);
    // Access is checked before the input: an outsider learns nothing from validation messages.
    let outsider = app
        .client
        .post(app.url(&format!("/api/v1/clients/{client}/trajectories")))
        .bearer_auth(&north)
        .json(&serde_json::json!({"question": "", "question_types": [], "start_date": "x", "coordinator_id": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(outsider.status(), 403);
}

async fn the_demo_has_trajectories_in_every_phase(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let mut tx = app.db.begin().await.unwrap();
    let teams: Vec<i64> = tx
        .teams_list()
        .await
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    let (clients, total) = tx
        .clients_search(&teams, "", None, 0, 100, 0)
        .await
        .unwrap();
    let mut phases = std::collections::BTreeSet::new();
    let instrument = tx
        .instrument_latest("zelfredzaamheid")
        .await
        .unwrap()
        .unwrap();
    let mut flagged = 0;
    for client in &clients {
        for trajectory in tx
            .trajectories_for_client(&app.client_access(client.id))
            .await
            .unwrap()
        {
            phases.insert(trajectory.phase);
            let assessments = tx
                .assessments_for_trajectory(&app.trajectory_access(trajectory.id).await)
                .await
                .unwrap();
            if trajectory.phase > regie_domain::Phase::Aanmelding {
                assert_eq!(assessments.len(), 2, "both views after registration");
                let view = |p: regie_domain::Perspective| {
                    let a = assessments.iter().find(|a| a.perspective == p).unwrap();
                    a.domains
                        .iter()
                        .map(|d| (d.item_key.clone(), d.rating))
                        .collect::<Vec<_>>()
                };
                let rows = regie_domain::side_by_side(
                    &instrument,
                    &view(regie_domain::Perspective::Client),
                    &view(regie_domain::Perspective::Professional),
                );
                flagged += rows.iter().filter(|r| r.discrepancy.is_some()).count();
            }
        }
    }
    tx.commit().await.unwrap();
    assert_eq!(total, 30);
    assert!(
        flagged >= 10,
        "the demo shows realistic gaps between the views ({flagged})"
    );
    assert_eq!(
        phases.into_iter().collect::<Vec<_>>(),
        regie_domain::Phase::ALL.to_vec()
    );
}

/// The 13 life-domain keys of the shipped instrument.
fn life_domains() -> Vec<String> {
    regie_domain::InstrumentDefinition::from_toml(regie_domain::instrument::SHIPPED[0])
        .unwrap()
        .items
        .into_iter()
        .map(|i| i.key)
        .collect()
}

/// A filled-in assessment form: `level` for every domain, with overrides per domain.
fn assessment_form(
    perspective: &str,
    level: &str,
    overrides: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut fields = vec![
        ("perspective".to_string(), perspective.to_string()),
        ("moment".to_string(), "intake".to_string()),
    ];
    for key in life_domains() {
        let value = overrides
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(level, |(_, v)| *v);
        fields.push((format!("level-{key}"), value.to_string()));
    }
    fields
}

async fn client_and_professional_views_stand_side_by_side_with_gaps_flagged(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Annie").await;
    let coordinator = coordinator_id(&app, "coordinator").await;
    app.login("coordinator").await;
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let started = app
        .post_form(
            &format!("/clients/{client}/trajectories"),
            &[
                ("question", "Weer zelf mijn geld regelen"),
                ("question_type", "begeleiding"),
                ("start_date", &today),
                ("coordinator_id", &coordinator),
            ],
        )
        .await;
    let trajectory = location(&started);
    let url = format!("{trajectory}/assessments");
    assert!(
        body(app.get(&url).await)
            .await
            .contains("Er is nog niets vastgelegd")
    );
    assert_eq!(
        app.get(&format!("{url}/new?perspective=client"))
            .await
            .status(),
        200
    );

    let mut bad = assessment_form("client", "3", &[("financien", "9")]);
    bad.retain(|(k, _)| k != "level-justitie");
    bad.push(("own-huisvesting".into(), "80".into()));
    let refused = app
        .client
        .post(app.url(&url))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let page = body(refused).await;
    assert!(
        page.contains(r#"id="level-financien-error""#)
            && page.contains("Kies een niveau van 1 tot en met 5")
    );
    assert!(page.contains(r#"id="split-huisvesting-error""#) && page.contains("samen 100% zijn"));
    assert!(page.contains("Niet elk levensgebied is ingevuld"));
    assert!(
        page.contains(r#"<option value="3" selected>"#),
        "levels kept"
    );

    let client_view = assessment_form(
        "client",
        "4",
        &[("financien", "2"), ("justitie", "niet_besproken")],
    );
    assert_eq!(app.post_form(&url, &client_view).await.status(), 303);
    let professional_view = assessment_form(
        "professional",
        "4",
        &[("financien", "4"), ("huisvesting", "2")],
    );
    assert_eq!(app.post_form(&url, &professional_view).await.status(), 303);

    let overview = body(app.get(&url).await).await;
    let timeline = body(app.get(&trajectory).await).await;
    assert!(
        timeline.contains("Beeld vastgelegd: Cliënt (Intake)")
            && timeline.contains("Beeld vastgelegd: Professional (Intake)")
    );
    assert!(
        overview.contains("De professional schat de cliënt 2 niveaus hoger in"),
        "Financiën: client 2, professional 4"
    );
    assert!(
        overview.contains("De cliënt schat zichzelf 2 niveaus hoger in"),
        "Huisvesting: client 4, professional 2"
    );
    assert_eq!(overview.matches(r#"class="flagged""#).count(), 2);
    assert!(
        overview.contains("<svg") && overview.contains(r#"role="img""#),
        "the chart"
    );
    assert!(
        overview.contains("naast elkaar · Intake"),
        "views of the same moment are compared"
    );
    // A later client view at evaluation is not compared with the professional's intake view.
    let mut evaluation = assessment_form("client", "4", &[]);
    evaluation[1].1 = "evaluation".into();
    assert_eq!(app.post_form(&url, &evaluation).await.status(), 303);
    let overview = body(app.get(&url).await).await;
    assert!(overview.contains("naast elkaar · Intake"));
    assert!(overview.contains("De professional schat de cliënt 2 niveaus hoger in"));
    assert!(
        overview.contains("Niet besproken"),
        "the table alternative shows not discussed"
    );

    let network = assessment_form("network_member", "3", &[]);
    let no_name = app
        .client
        .post(app.url(&url))
        .form(&network)
        .send()
        .await
        .unwrap();
    assert_eq!(no_name.status(), 422);
    assert!(body(no_name).await.contains("Vul de naam in van de naaste"));

    let south = TestApp::new_client();
    app.login_as(&south, "fysiotherapeut", "regie-demo").await;
    assert_eq!(south.get(app.url(&url)).send().await.unwrap().status(), 403);
    assert_eq!(
        south
            .post(app.url(&url))
            .form(&client_view)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let recorded: Vec<_> = app
        .audit_of("client.update")
        .await
        .into_iter()
        .filter(|r| r.object_type.as_deref() == Some("assessment"))
        .collect();
    assert_eq!(
        recorded.len(),
        3,
        "client intake, professional intake, client evaluation"
    );
    assert!(recorded.iter().any(|r| {
        r.detail
            .as_deref()
            .is_some_and(|d| d.starts_with("professional intake "))
    }));
}

async fn the_api_records_assessments(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Wim").await;
    let token = app.token_for("fysiotherapeut").await;
    let coordinator: i64 = coordinator_id(&app, "fysiotherapeut")
        .await
        .parse()
        .unwrap();
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let trajectory: Value = app
        .client
        .post(app.url(&format!("/api/v1/clients/{client}/trajectories")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"question": "Zelf koken", "question_types": ["begeleiding"], "start_date": today, "coordinator_id": coordinator}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = format!("/api/v1/trajectories/{}/assessments", trajectory["id"]);
    let domains: Vec<Value> = life_domains()
        .iter()
        .map(|k| serde_json::json!({"item_key": k, "level": if k == "justitie" { Value::Null } else { Value::from(3) }}))
        .collect();
    let mut body =
        serde_json::json!({"perspective": "client", "moment": "intake", "domains": domains});
    let created = app
        .client
        .post(app.url(&url))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let recorded: Value = created.json().await.unwrap();
    assert_eq!(recorded["instrument_key"], "zelfredzaamheid");
    assert_eq!(recorded["instrument_version"], "regie-2026.1");

    body["domains"][0]["level"] = Value::from(6);
    body["domains"][1]["split"] = serde_json::json!([50, 20, 20]);
    let invalid = app
        .client
        .post(app.url(&url))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status(), 422);
    let problem: Value = invalid.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["level-financien", "split-werk-opleiding"]);

    let north = app.token_for("verzorgende").await;
    let refused = app
        .client
        .post(app.url(&url))
        .bearer_auth(&north)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let mut tx = app.db.begin().await.unwrap();
    let stored = tx
        .assessments_for_trajectory(
            &app.trajectory_access(trajectory["id"].as_i64().unwrap())
                .await,
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(stored.len(), 1, "only the valid assessment was stored");
    assert_eq!(stored[0].domains.len(), 13);
}

async fn my_clients_come_first(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("coordinator").await;
    let list: Value = app
        .api_get("/api/v1/clients?limit=100", &token)
        .await
        .json()
        .await
        .unwrap();
    let mine: Vec<bool> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["mine"].as_bool().unwrap())
        .collect();
    let count = mine.iter().filter(|m| **m).count();
    assert!(count > 0 && count < mine.len(), "{mine:?}");
    assert!(
        mine[..count].iter().all(|m| *m),
        "the coordinator's own clients come first: {mine:?}"
    );
    app.login("coordinator").await;
    let page = body(app.get("/clients").await).await;
    assert_eq!(page.matches("Mijn cliënt</span>").count(), count);
    // Someone who coordinates nothing sees the plain alphabetical list.
    let other = app.token_for("verzorgende").await;
    let list: Value = app
        .api_get("/api/v1/clients?limit=100", &other)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["mine"] == false)
    );
}

async fn what_matters_is_recorded_in_the_clients_words(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Jannie").await;
    app.login("coordinator").await;
    let trajectory = app.trajectory_of(client).await;
    let url = format!("/trajectories/{trajectory}/matters");
    let empty = app
        .post_form(&url, &[("kind", "barrier"), ("text", "  ")])
        .await;
    assert_eq!(empty.status(), 422);
    let page = body(empty).await;
    assert!(page.contains(r#"id="matters-text-error""#) && page.contains("Dit veld is verplicht"));
    assert!(
        page.contains(r#"<option value="barrier" selected>"#),
        "the choice is kept"
    );
    let saved = app
        .post_form(
            &url,
            &[
                ("kind", "barrier"),
                ("text", "Ik ben bang om te vallen in de douche."),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let page = body(app.get(&format!("/trajectories/{trajectory}")).await).await;
    assert!(
        page.contains("Belemmeringen en overtuigingen")
            && page.contains("Ik ben bang om te vallen in de douche.")
    );
    assert!(page.contains("Marieke de Vries"), "the author is shown");
    assert!(
        page.contains("Wat ertoe doet vastgelegd: Belemmeringen en overtuigingen"),
        "on the timeline"
    );
    let south = TestApp::new_client();
    app.login_as(&south, "fysiotherapeut", "regie-demo").await;
    let refused = south
        .post(app.url(&url))
        .form(&[("kind", "important"), ("text", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let notes: Vec<_> = app
        .audit_of("client.update")
        .await
        .into_iter()
        .filter(|r| r.object_type.as_deref() == Some("what_matters"))
        .collect();
    assert_eq!(notes.len(), 1);
}

async fn daily_activities_are_recorded_with_what_the_client_wants_to_learn(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Jannie").await;
    app.login("coordinator").await;
    let trajectory = app.trajectory_of(client).await;
    let url = format!("/trajectories/{trajectory}/activities");
    assert_eq!(app.get(&url).await.status(), 200);
    let keys: Vec<String> =
        regie_domain::InstrumentDefinition::from_toml(regie_domain::instrument::SHIPPED[1])
            .unwrap()
            .items
            .into_iter()
            .map(|i| i.key)
            .collect();
    let mut form: Vec<(String, String)> = keys
        .iter()
        .map(|k| (format!("support-{k}"), "2".to_string()))
        .collect();
    form[0].1 = "3".into();
    form.push(("learn-wassen".into(), "true".into()));
    form.pop();
    form.pop(); // the last activity is left out
    form.push(("learn-wassen".into(), "true".into()));
    let incomplete = app.post_form(&url, &form).await;
    assert_eq!(incomplete.status(), 422);
    let page = body(incomplete).await;
    assert!(page.contains("Niet elke activiteit is ingevuld"));
    assert!(
        page.contains(r#"<option value="3" selected>"#),
        "choices kept"
    );
    form.push((format!("support-{}", keys.last().unwrap()), "nvt".into()));
    assert_eq!(app.post_form(&url, &form).await.status(), 303);
    form[1].1 = "1".into();
    assert_eq!(app.post_form(&url, &form).await.status(), 303);
    let page = body(app.get(&url).await).await;
    assert!(page.contains("Laatst vastgelegd op") && page.contains("Marieke de Vries"));
    let timeline = body(app.get(&format!("/trajectories/{trajectory}")).await).await;
    assert_eq!(
        timeline
            .matches("Dagelijkse activiteiten vastgelegd")
            .count(),
        2,
        "both saves on the timeline"
    );
    assert!(
        page.contains(
            r#"id="learn-wassen" name="learn-wassen" type="checkbox" value="true" checked"#
        )
    );
    let mut tx = app.db.begin().await.unwrap();
    let latest = tx
        .activities_latest(&app.trajectory_access(trajectory).await)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(latest.activities.len(), 16);
    assert_eq!(
        app.audit_of("client.update")
            .await
            .iter()
            .filter(|r| r.object_type.as_deref() == Some("daily_activities"))
            .count(),
        2,
        "each save is a new, kept record"
    );
    let south = TestApp::new_client();
    app.login_as(&south, "fysiotherapeut", "regie-demo").await;
    assert_eq!(south.get(app.url(&url)).send().await.unwrap().status(), 403);
    assert_eq!(
        south
            .post(app.url(&url))
            .form(&form)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}

async fn the_network_shows_who_helps_and_flags_an_overloaded_carer(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let jannie = app.client_id("Jannie").await;
    let annie = app.client_id("Annie").await;
    app.login("coordinator").await;
    let page = body(app.get(&format!("/clients/{jannie}/network")).await).await;
    assert!(page.contains("Anja") && page.contains("Belasting 8, draagkracht 5"));
    assert_eq!(
        page.matches("Overbelast:").count(),
        1,
        "only the overloaded carer is flagged"
    );
    assert!(page.contains(r#"<option value="asks_enough" selected>"#));
    let nobody = body(app.get(&format!("/clients/{annie}/network")).await).await;
    assert!(
        nobody.contains("Er is nog niemand vastgelegd")
            && nobody.contains(r#"<option value="too_few_people" selected>"#)
    );

    let url = format!("/clients/{annie}/network");
    let bad = app
        .post_form(
            &url,
            &[
                ("name", " "),
                ("relation", "buurvrouw"),
                ("asks", "asks"),
                ("is_carer", "true"),
                ("load", "11"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let page = body(bad).await;
    assert!(
        page.contains(r#"id="name-error""#) && page.contains("Kies een getal van 0 tot en met 10")
    );
    assert!(page.contains(r#"value="buurvrouw""#), "input kept");
    let added = app
        .post_form(
            &url,
            &[
                ("name", "Els"),
                ("relation", "buurvrouw"),
                ("helps_with", "boodschappen"),
                ("asks", "could_but_does_not"),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    assert_eq!(
        app.post_form(
            &format!("{url}/summary"),
            &[("summary", "has_people_but_does_not_ask"), ("balance", "")]
        )
        .await
        .status(),
        303
    );
    let page = body(app.get(&url).await).await;
    assert!(page.contains("Els") && page.contains("Zou kunnen, maar vraagt niet"));
    assert!(page.contains(r#"<option value="has_people_but_does_not_ask" selected>"#));

    let token = app.token_for("coordinator").await;
    let network: Value = app
        .api_get(&format!("/api/v1/clients/{jannie}/network"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(network["summary"], "asks_enough");
    assert_eq!(network["people"][0]["overloaded"], true);
    assert_eq!(network["people"][1]["overloaded"], false);
    let post = |body: Value| {
        app.client
            .post(app.url(&format!("/api/v1/clients/{annie}/network")))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let created = post(serde_json::json!({"name": "Mo", "relation": "kleinzoon", "asks": "asks", "carer_load": 3, "carer_capacity": 7})).await.unwrap();
    assert_eq!(created.status(), 201);
    let invalid = post(serde_json::json!({"name": "", "relation": "x", "asks": "nooit"}))
        .await
        .unwrap();
    assert_eq!(invalid.status(), 422);

    let south = TestApp::new_client();
    app.login_as(&south, "fysiotherapeut", "regie-demo").await;
    assert_eq!(south.get(app.url(&url)).send().await.unwrap().status(), 403);
    let refused = south
        .post(app.url(&url))
        .form(&[("name", "X"), ("relation", "y"), ("asks", "asks")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let changes = app.audit_of("client.update").await;
    assert_eq!(changes.iter().filter(|r| r.object_type.as_deref() == Some("network_member") && r.outcome == "allowed").count(), 2);
    assert!(changes.iter().any(|r| r.client_id == Some(annie)
        && r.outcome == "denied"
        && r.username.as_deref() == Some("fysiotherapeut")));
}

/// Every page and action on a client's record, tried by a professional of another team: each is
/// refused with 403 on the server, each refusal is in the audit log, and nothing is written.
async fn every_client_route_refuses_another_team_and_says_so_in_the_log(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Jannie").await; // Wijkteam Noord only
    let trajectory = app.trajectory_of(client).await;
    let outsider = TestApp::new_client();
    app.login_as(&outsider, "fysiotherapeut", "regie-demo")
        .await; // Wijkteam Zuid
    let gets = [
        format!("/clients/{client}"),
        format!("/clients/{client}/edit"),
        format!("/clients/{client}/network"),
        format!("/clients/{client}/trajectories/new"),
        format!("/trajectories/{trajectory}"),
        format!("/trajectories/{trajectory}/assessments"),
        format!("/trajectories/{trajectory}/assessments/new?perspective=client"),
        format!("/trajectories/{trajectory}/activities"),
        format!("/trajectories/{trajectory}/plan"),
        format!("/trajectories/{trajectory}/plan/print"),
        format!("/trajectories/{trajectory}/plan/versions"),
        format!("/trajectories/{trajectory}/plan/goals"),
        format!("/trajectories/{trajectory}/plan/goals/1"),
        format!("/trajectories/{trajectory}/plan/goals/1/interventions"),
        format!("/trajectories/{trajectory}/plan/agreements?activity=wassen"),
        format!("/trajectories/{trajectory}/plan/care"),
        format!("/trajectories/{trajectory}/decisions"),
        format!("/trajectories/{trajectory}/team"),
    ];
    let posts = [
        format!("/clients/{client}/edit"),
        format!("/clients/{client}/network"),
        format!("/clients/{client}/network/summary"),
        format!("/clients/{client}/trajectories"),
        format!("/trajectories/{trajectory}/phase"),
        format!("/trajectories/{trajectory}/matters"),
        format!("/trajectories/{trajectory}/assessments"),
        format!("/trajectories/{trajectory}/activities"),
        format!("/trajectories/{trajectory}/plan/goals"),
        format!("/trajectories/{trajectory}/plan/goals/1"),
        format!("/trajectories/{trajectory}/plan/goals/1/status"),
        format!("/trajectories/{trajectory}/plan/goals/1/interventions"),
        format!("/trajectories/{trajectory}/plan/interventions/1/end"),
        format!("/trajectories/{trajectory}/plan/agreements"),
        format!("/trajectories/{trajectory}/plan/care"),
        format!("/trajectories/{trajectory}/plan/care/verzorgende/remove"),
        format!("/trajectories/{trajectory}/decisions"),
        format!("/trajectories/{trajectory}/team"),
        format!("/trajectories/{trajectory}/team/remove"),
        format!("/trajectories/{trajectory}/team/handover"),
        format!("/trajectories/{trajectory}/team/network"),
    ];
    for path in &gets {
        let status = outsider.get(app.url(path)).send().await.unwrap().status();
        assert_eq!(status, 403, "GET {path}");
    }
    for path in &posts {
        let status = outsider
            .post(app.url(path))
            .form(&[("name", "x"), ("to", "vraagverheldering")])
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 403, "POST {path}");
    }
    let denied = app
        .audit(AuditFilter {
            username: Some("fysiotherapeut".into()),
            outcome: Some("denied".into()),
            ..Default::default()
        })
        .await;
    assert_eq!(
        denied.len(),
        gets.len() + posts.len(),
        "every refusal is audited"
    );
    assert!(denied.iter().all(|r| r.client_id == Some(client)));
    let mut tx = app.db.begin().await.unwrap();
    assert!(
        tx.network_for_client(&app.client_access(client))
            .await
            .unwrap()
            .len()
            == 2,
        "nothing added"
    );
    assert_eq!(
        tx.trajectory_get(trajectory).await.unwrap().unwrap().phase,
        regie_domain::Phase::Aanmelding
    );
    assert!(
        tx.plan_latest(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .is_none(),
        "no plan written"
    );
    assert_eq!(
        tx.core_team(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .len(),
        1,
        "team unchanged"
    );
    tx.commit().await.unwrap();
}
