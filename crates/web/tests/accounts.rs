//! Accounts, sessions and tokens (issue 9): sign-in answers that do not reveal which accounts
//! exist, the per-address limit, sessions that end on a password change and after their
//! absolute lifetime, API tokens listed and revoked, and responses kept out of caches — each
//! case on SQLite and on PostgreSQL, against the real server.
//!
//! Each simulated browser gets its own loopback source address (127.0.0.x), as different
//! machines would.

mod support;

use regie_domain::{LoginPolicy, LoginThrottle};
use regie_storage::{AuditFilter, Db};
use regie_web::{Clock, WebConfig};
use reqwest::redirect::Policy;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use support::{Backend, TestApp};

on_both_backends!(
    unknown_names_wait_exactly_like_real_accounts,
    unknown_names_are_locked_exactly_like_real_accounts,
    one_address_is_slowed_before_it_can_lock_an_account,
    a_password_reset_or_deactivation_ends_the_users_sessions,
    sessions_end_after_their_absolute_lifetime,
    administrators_list_create_and_revoke_api_tokens,
    only_administrators_manage_tokens,
    responses_with_client_data_are_not_cached,
);

async fn body(response: reqwest::Response) -> String {
    response.text().await.expect("body")
}

/// A browser on its own machine: cookies, no redirects followed, source address `127.0.0.{n}`.
fn browser_at(n: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .local_address(IpAddr::from([127, 0, 0, n]))
        .build()
        .unwrap()
}

fn no_wait(policy: LoginPolicy) -> LoginPolicy {
    LoginPolicy {
        base_delay: time::Duration::ZERO,
        ..policy
    }
}

/// What a sign-in answer shows the outside world: status, `Retry-After` and the page text with
/// the typed name taken out (it is echoed back in the form).
async fn answer(response: reqwest::Response, typed: &str) -> (u16, Option<String>, String) {
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let text = body(response).await.replace(typed, "NAME");
    (status, retry, text)
}

async fn attempts(
    app: &TestApp,
    browser: &reqwest::Client,
    name: &str,
    times: usize,
) -> Vec<(u16, Option<String>, String)> {
    let mut answers = Vec::new();
    for _ in 0..times {
        let response = app.login_as(browser, name, "fout-wachtwoord").await;
        answers.push(answer(response, name).await);
    }
    answers
}

/// The stored throttle keys, straight from the database.
async fn throttle_keys(db: &Db) -> Vec<String> {
    let sql = "SELECT key FROM login_throttle ORDER BY key";
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_all(pool).await.unwrap(),
    }
}

async fn failed_logins(app: &TestApp, source: &str) -> Vec<(String, Option<String>, String)> {
    let mut rows: Vec<_> = app
        .audit_of("login.failed")
        .await
        .into_iter()
        .filter(|r| r.source.as_deref() == Some(source))
        .map(|r| (r.outcome, r.username, r.detail.unwrap_or_default()))
        .collect();
    rows.reverse(); // oldest first
    rows
}

async fn unknown_names_wait_exactly_like_real_accounts(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    // The same four quick tries for a real account and for a name nobody has, each from its
    // own machine: the third failure imposes a wait, the fourth try is refused.
    let real = attempts(&app, &browser_at(2), "verzorgende", 4).await;
    let unknown = attempts(&app, &browser_at(3), "niemand-bekend", 4).await;
    let statuses: Vec<u16> = real.iter().map(|a| a.0).collect();
    assert_eq!(statuses, [401, 401, 401, 429]);
    assert_eq!(real[3].1.as_deref(), Some("2"), "Retry-After");
    assert!(
        real[3]
            .2
            .contains("Te veel mislukte pogingen. Wacht 2 seconden")
    );
    assert_eq!(unknown, real, "same status, same Retry-After, same page");

    let real_log = failed_logins(&app, "127.0.0.2").await;
    let unknown_log = failed_logins(&app, "127.0.0.3").await;
    let details = |log: &[(String, Option<String>, String)]| -> Vec<(String, String)> {
        log.iter().map(|r| (r.0.clone(), r.2.clone())).collect()
    };
    assert_eq!(
        details(&real_log),
        [
            ("failed".into(), "wrong password".into()),
            ("failed".into(), "wrong password".into()),
            ("failed".into(), "wrong password".into()),
            ("denied".into(), "throttled".into()),
        ]
    );
    assert_eq!(
        details(&unknown_log),
        [
            ("failed".into(), "unknown or inactive account".into()),
            ("failed".into(), "unknown or inactive account".into()),
            ("failed".into(), "unknown or inactive account".into()),
            ("denied".into(), "throttled".into()),
        ]
    );
    assert!(
        real_log
            .iter()
            .all(|r| r.1.as_deref() == Some("verzorgende"))
    );
    assert!(
        unknown_log.iter().all(|r| r.1.is_none()),
        "a typed unknown name is never logged"
    );
    // Nor stored: the throttle keeps a hash of it.
    let keys = throttle_keys(&app.db).await;
    assert_eq!(keys.len(), 4, "two names, two addresses: {keys:?}");
    assert!(keys.iter().all(|k| !k.contains("niemand")
        && !k.contains("verzorgende")
        && (k.starts_with("user:") || k.starts_with("addr:"))));
    assert!(keys.contains(&"addr:127.0.0.3".to_string()));
}

async fn unknown_names_are_locked_exactly_like_real_accounts(backend: Backend) {
    // No waits, so the lock after five failures is what the test sees.
    let config = WebConfig {
        login_throttle: LoginThrottle {
            account: no_wait(LoginPolicy::default()),
            address: no_wait(LoginPolicy::per_address()),
        },
        ..WebConfig::default()
    };
    let Some(app) = TestApp::spawn_with(backend, config).await else {
        return;
    };
    let real = attempts(&app, &browser_at(2), "verzorgende", 6).await;
    let unknown = attempts(&app, &browser_at(3), "niemand-bekend", 6).await;
    let statuses: Vec<u16> = real.iter().map(|a| a.0).collect();
    assert_eq!(statuses, [401, 401, 401, 401, 429, 429]);
    assert!(real[4].2.contains("tijdelijk geblokkeerd"));
    assert_eq!(real[4].1.as_deref(), Some("900"));
    assert_eq!(unknown, real);
    let last_details = |log: Vec<(String, Option<String>, String)>| {
        log.into_iter().skip(4).map(|r| r.2).collect::<Vec<_>>()
    };
    assert_eq!(
        last_details(failed_logins(&app, "127.0.0.2").await),
        ["wrong password; account locked", "account locked"]
    );
    assert_eq!(
        last_details(failed_logins(&app, "127.0.0.3").await),
        [
            "unknown or inactive account; account locked",
            "account locked"
        ]
    );
    // The lock holds for the right password too, from anywhere.
    let locked = app
        .login_as(&browser_at(4), "verzorgende", "regie-demo")
        .await;
    assert_eq!(locked.status(), 429);
    // A new password lifts it.
    let mut tx = app.db.begin().await.unwrap();
    let user = tx.user_by_username("verzorgende").await.unwrap().unwrap();
    tx.user_set_password(user.id, &user.password_hash)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let after = app
        .login_as(&browser_at(4), "verzorgende", "regie-demo")
        .await;
    assert_eq!(after.status(), 303);
}

async fn one_address_is_slowed_before_it_can_lock_an_account(backend: Backend) {
    // Even with no per-account waits at all, the address limit stops six quick tries short
    // of the five failures that would lock the account.
    let config = WebConfig {
        login_throttle: LoginThrottle {
            account: no_wait(LoginPolicy::default()),
            ..LoginThrottle::default()
        },
        ..WebConfig::default()
    };
    let Some(app) = TestApp::spawn_with(backend, config).await else {
        return;
    };
    let attacker = browser_at(9);
    let tries = attempts(&app, &attacker, "verzorgende", 6).await;
    let statuses: Vec<u16> = tries.iter().map(|a| a.0).collect();
    assert_eq!(statuses, [401, 401, 401, 429, 429, 429]);
    assert_eq!(tries[3].1.as_deref(), Some("2"));
    assert!(tries[3].2.contains("Te veel mislukte pogingen. Wacht"));
    let log = failed_logins(&app, "127.0.0.9").await;
    assert_eq!(log.len(), 6, "every refused attempt is audited");
    assert!(log[3..].iter().all(|r| r.0 == "denied"
        && r.1.as_deref() == Some("verzorgende")
        && r.2 == "address throttled"));
    // The right password from the throttled address still waits…
    let waiting = app.login_as(&attacker, "verzorgende", "regie-demo").await;
    assert_eq!(waiting.status(), 429);
    // …while the account itself is not locked: its owner signs in from elsewhere.
    let owner = browser_at(10);
    let signed_in = app.login_as(&owner, "verzorgende", "regie-demo").await;
    assert_eq!(signed_in.status(), 303);

    // The address counts failures whatever names it tries.
    let sprayer = browser_at(11);
    for name in ["coordinator", "ergotherapeut", "wie-anders"] {
        let response = app.login_as(&sprayer, name, "fout-wachtwoord").await;
        assert_eq!(response.status(), 401);
    }
    let fourth = app
        .login_as(&sprayer, "fysiotherapeut", "fout-wachtwoord")
        .await;
    assert_eq!(fourth.status(), 429);
    assert_eq!(
        failed_logins(&app, "127.0.0.11").await[3].2,
        "address throttled"
    );
    // A correct sign-in from an address does not wipe its failures.
    let mixed = browser_at(12);
    for _ in 0..2 {
        app.login_as(&mixed, "wie-dan-ook", "fout").await;
    }
    assert_eq!(
        app.login_as(&mixed, "techcoach", "regie-demo")
            .await
            .status(),
        303
    );
    let third = app.login_as(&mixed, "nog-iemand", "fout").await;
    assert_eq!(third.status(), 401);
    let fourth = app.login_as(&mixed, "nog-iemand-anders", "fout").await;
    assert_eq!(fourth.status(), 429);
}

async fn signed_in(app: &TestApp, browser: &reqwest::Client) -> bool {
    let response = browser.get(app.url("/")).send().await.unwrap();
    match response.status().as_u16() {
        200 => true,
        303 => {
            let to = response.headers()["location"].to_str().unwrap();
            assert!(to.starts_with("/login"), "{to}");
            false
        }
        other => panic!("unexpected status {other}"),
    }
}

async fn sessions_of(app: &TestApp, username: &str) -> i64 {
    let mut tx = app.db.begin().await.unwrap();
    let user = tx.user_by_username(username).await.unwrap().unwrap();
    let count = tx
        .sessions_count_for_user(user.id, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    count
}

async fn user_id(app: &TestApp, username: &str) -> i64 {
    let mut tx = app.db.begin().await.unwrap();
    let user = tx.user_by_username(username).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    user.id
}

async fn a_password_reset_or_deactivation_ends_the_users_sessions(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let (phone, laptop) = (browser_at(2), browser_at(3));
    for browser in [&phone, &laptop] {
        let response = app.login_as(browser, "verzorgende", "regie-demo").await;
        assert_eq!(response.status(), 303);
        assert!(signed_in(&app, browser).await);
    }
    assert_eq!(sessions_of(&app, "verzorgende").await, 2);

    // An administrator resets her password: both her sessions end at once.
    app.login("admin").await;
    let nurse = user_id(&app, "verzorgende").await;
    let path = format!("/admin/users/{nurse}/password");
    let too_short = app.post_form(&path, &[("password", "kort")]).await;
    assert_eq!(too_short.status(), 422, "bad input changes nothing");
    assert!(signed_in(&app, &phone).await);
    let saved = app
        .post_form(&path, &[("password", "een nieuw lang wachtwoord")])
        .await;
    assert_eq!(saved.status(), 303);
    assert_eq!(sessions_of(&app, "verzorgende").await, 0);
    assert!(!signed_in(&app, &phone).await);
    assert!(!signed_in(&app, &laptop).await);
    let notice = body(
        app.get(&format!("/admin/users/{nurse}?password=saved"))
            .await,
    )
    .await;
    assert!(notice.contains("Deze gebruiker is overal uitgelogd."));
    let changed = app.audit_of("user.password").await;
    assert_eq!(
        changed[0].detail.as_deref(),
        Some("verzorgende; 2 sessions ended")
    );
    assert_eq!(changed[0].object_id, Some(nurse.to_string()));
    assert_eq!(
        app.login_as(&phone, "verzorgende", "een nieuw lang wachtwoord")
            .await
            .status(),
        303
    );

    // The administrator changes their own password: their other session ends, this one stays.
    let other_admin = browser_at(4);
    app.login_as(&other_admin, "admin", "regie-demo").await;
    let own = user_id(&app, "admin").await;
    let saved = app
        .post_form(
            &format!("/admin/users/{own}/password"),
            &[("password", "ook een lang wachtwoord")],
        )
        .await;
    assert_eq!(saved.status(), 303);
    assert!(signed_in(&app, &app.client).await);
    assert!(!signed_in(&app, &other_admin).await);
    assert_eq!(sessions_of(&app, "admin").await, 1);
    let notice = body(app.get(&format!("/admin/users/{own}?password=saved")).await).await;
    assert!(notice.contains("Uw sessies op andere apparaten zijn beëindigd"));

    // Deactivation ends the sessions too, not only at the next request.
    let coordinator = browser_at(5);
    app.login_as(&coordinator, "coordinator", "regie-demo")
        .await;
    assert_eq!(sessions_of(&app, "coordinator").await, 1);
    let id = user_id(&app, "coordinator").await;
    let deactivated = app
        .post_form(&format!("/admin/users/{id}/active"), &[("active", "false")])
        .await;
    assert_eq!(deactivated.status(), 303);
    assert_eq!(sessions_of(&app, "coordinator").await, 0);
    assert!(!signed_in(&app, &coordinator).await);
    let audit = app.audit_of("user.deactivate").await;
    assert_eq!(
        audit[0].detail.as_deref(),
        Some("coordinator; deactivated; 1 sessions ended")
    );
    // A request still running when its session was ended cannot save it back into existence.
    let later = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    app.db
        .session_save("ended-meanwhile", "{}", Some(id), later)
        .await
        .unwrap();
    let revived = app
        .db
        .session_load("ended-meanwhile", time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(revived, None);
}

async fn sessions_end_after_their_absolute_lifetime(backend: Backend) {
    // The clock the sign-in and session checks go by, moved forward instead of sleeping.
    let offset = Arc::new(AtomicI64::new(0));
    let clock_offset = offset.clone();
    let clock = Clock::new(move || {
        time::OffsetDateTime::now_utc()
            + time::Duration::seconds(clock_offset.load(Ordering::SeqCst))
    });
    let config = WebConfig {
        clock,
        ..WebConfig::default()
    };
    assert_eq!(config.session_max_age, time::Duration::hours(12));
    let Some(app) = TestApp::spawn_with(backend, config).await else {
        return;
    };
    app.login("coordinator").await;
    assert!(signed_in(&app, &app.client).await);
    // Active all day long (idle time is real time here, so never idle)…
    offset.store(11 * 3600 + 59 * 60, Ordering::SeqCst);
    assert!(signed_in(&app, &app.client).await);
    // …but twelve hours after signing in the session ends and is removed.
    offset.store(12 * 3600, Ordering::SeqCst);
    assert!(!signed_in(&app, &app.client).await);
    assert_eq!(sessions_of(&app, "coordinator").await, 0);
    offset.store(12 * 3600 + 60, Ordering::SeqCst);
    assert!(!signed_in(&app, &app.client).await);
    // Signing in again starts a new twelve hours.
    app.login("coordinator").await;
    assert!(signed_in(&app, &app.client).await);
}

async fn token_id(app: &TestApp, label: &str) -> i64 {
    let mut tx = app.db.begin().await.unwrap();
    let tokens = tx.tokens_list().await.unwrap();
    tx.commit().await.unwrap();
    tokens
        .iter()
        .find(|t| t.token.name == label)
        .expect("token")
        .token
        .id
}

async fn administrators_list_create_and_revoke_api_tokens(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("coordinator").await;
    assert_eq!(app.api_get("/api/v1/me", &token).await.status(), 200);
    let id = token_id(&app, "test").await;

    app.login("admin").await;
    let list = body(app.get("/admin/tokens").await).await;
    assert!(list.contains(r#"href="/admin/tokens""#) && list.contains("API-sleutels"));
    assert!(list.contains("Marieke de Vries") && list.contains("coordinator"));
    assert!(list.contains(&format!(r#"href="/admin/tokens/{id}/revoke""#)));
    assert!(!list.contains(&token), "the secret is never shown again");
    assert!(!list.contains("Nog nooit"), "the token was used just now");

    // Revoking asks first; asking changes nothing.
    let confirm = app.get(&format!("/admin/tokens/{id}/revoke")).await;
    assert_eq!(confirm.status(), 200);
    let confirm = body(confirm).await;
    assert!(confirm.contains("Wilt u de API-sleutel “test” van Marieke de Vries intrekken?"));
    assert!(confirm.contains(&format!(r#"action="/admin/tokens/{id}/revoke""#)));
    assert_eq!(app.api_get("/api/v1/me", &token).await.status(), 200);

    let revoked = app
        .post_form(
            &format!("/admin/tokens/{id}/revoke"),
            &[] as &[(&str, &str)],
        )
        .await;
    assert_eq!(revoked.status(), 303);
    let to = revoked.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, format!("/admin/tokens?revoked={id}"));
    assert_eq!(
        app.api_get("/api/v1/me", &token).await.status(),
        401,
        "refused at once"
    );
    let after = body(app.get(&to).await).await;
    assert!(after.contains(&format!("API-sleutel {id} is ingetrokken.")));
    assert!(after.contains("Ingetrokken"));
    assert!(!after.contains(&format!(r#"href="/admin/tokens/{id}/revoke""#)));
    let audited = app.audit_of("token.revoke").await;
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].username.as_deref(), Some("admin"));
    assert_eq!(audited[0].object_id, Some(id.to_string()));
    assert_eq!(
        audited[0].detail.as_deref(),
        Some(format!("token {id} (test) of coordinator").as_str())
    );
    // Twice changes nothing and is not recorded twice.
    app.post_form(
        &format!("/admin/tokens/{id}/revoke"),
        &[] as &[(&str, &str)],
    )
    .await;
    assert_eq!(app.audit_of("token.revoke").await.len(), 1);
    assert_eq!(app.get("/admin/tokens/99999/revoke").await.status(), 404);

    // A new token for a user, shown once.
    let nurse = user_id(&app, "verzorgende").await.to_string();
    let wrong = app
        .post_form(
            "/admin/tokens",
            &[("user", ""), ("label", "Roosterkoppeling")],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let wrong = body(wrong).await;
    assert!(wrong.contains(r#"id="user-error""#) && wrong.contains("Kies een actieve gebruiker."));
    assert!(wrong.contains(r#"value="Roosterkoppeling""#), "input kept");
    let no_label = body(
        app.post_form("/admin/tokens", &[("user", nurse.as_str()), ("label", " ")])
            .await,
    )
    .await;
    assert!(no_label.contains(r#"id="label-error""#));
    assert!(no_label.contains(&format!(r#"value="{nurse}" selected"#)));
    let created = app
        .post_form(
            "/admin/tokens",
            &[("user", nurse.as_str()), ("label", "Roosterkoppeling")],
        )
        .await;
    assert_eq!(created.status(), 200);
    assert_eq!(created.headers()["cache-control"], "no-store");
    let page = body(created).await;
    let start = page.find("value=\"regie_").expect("the secret is shown") + 7;
    let secret = &page[start..start + 70];
    assert_eq!(app.api_get("/api/v1/me", secret).await.status(), 200);
    assert!(!body(app.get("/admin/tokens").await).await.contains(secret));
    let created = app.audit_of("token.create").await;
    assert_eq!(created.len(), 1);
    assert!(!format!("{created:?}").contains(secret));
}

async fn only_administrators_manage_tokens(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("verzorgende").await;
    let id = token_id(&app, "test").await;
    app.login("teamleider").await;
    assert_eq!(app.get("/admin/tokens").await.status(), 403);
    assert_eq!(
        app.get(&format!("/admin/tokens/{id}/revoke"))
            .await
            .status(),
        403
    );
    let refused = app
        .post_form(
            &format!("/admin/tokens/{id}/revoke"),
            &[] as &[(&str, &str)],
        )
        .await;
    assert_eq!(refused.status(), 403);
    let created = app
        .post_form("/admin/tokens", &[("user", "1"), ("label", "x")])
        .await;
    assert_eq!(created.status(), 403);
    assert_eq!(app.api_get("/api/v1/me", &token).await.status(), 200);
    let denied = app
        .audit(AuditFilter {
            event: Some("admin.access".into()),
            outcome: Some("denied".into()),
            ..Default::default()
        })
        .await;
    assert_eq!(denied.len(), 4, "every refusal is audited");
    assert!(
        denied
            .iter()
            .all(|r| r.username.as_deref() == Some("teamleider"))
    );
    assert!(
        denied
            .iter()
            .any(|r| r.detail.as_deref() == Some(format!("/admin/tokens/{id}/revoke").as_str()))
    );
    let page = body(app.get("/").await).await;
    assert!(
        !page.contains(r#"href="/admin/tokens""#),
        "not in their menu"
    );
}

async fn responses_with_client_data_are_not_cached(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Jannie").await; // Wijkteam Noord
    app.login("coordinator").await;
    let cache = |r: &reqwest::Response| {
        r.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_string())
    };
    let page = app.get(&format!("/clients/{client}")).await;
    assert_eq!(page.status(), 200);
    assert_eq!(cache(&page).as_deref(), Some("no-store"));
    let list = app.get("/clients?q=Jannie").await;
    assert_eq!(cache(&list).as_deref(), Some("no-store"));
    let token = app.token_for("coordinator").await;
    let api = app
        .api_get(&format!("/api/v1/clients/{client}"), &token)
        .await;
    assert_eq!(api.status(), 200);
    assert_eq!(cache(&api).as_deref(), Some("no-store"));
    let missing = app.get("/clients/999999").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(cache(&missing).as_deref(), Some("no-store"));
    let problem = app.api_get("/api/v1/clients/999999", &token).await;
    assert_eq!(problem.status(), 404);
    assert_eq!(cache(&problem).as_deref(), Some("no-store"));
    // Static assets hold no client data and keep their own caching.
    let style = app.get("/static/style.css").await;
    assert_eq!(cache(&style).as_deref(), Some("public, max-age=3600"));
}
