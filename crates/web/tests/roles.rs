//! Who may do what, walked over HTTP: every page and API route, as every demo user, compared
//! with the rule table of PRODUCT.md written out below. Each refusal is a 403 with exactly
//! one audit row; each permitted attempt gets past the access check (bodies are made invalid
//! on purpose, so nothing changes); and the routes in the source and in the OpenAPI document
//! are all in the walk, so a new route without a row here fails this test.

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use support::{Backend, TestApp};

on_both_backends!(
    every_route_as_every_role_follows_the_rule_table,
    every_menu_item_opens_for_its_role,
);

const EVERYONE: &[&str] = &[
    "admin",
    "coordinator",
    "verzorgende",
    "ergotherapeut",
    "fysiotherapeut",
    "huishoudelijk",
    "wmo-consulent",
    "sociaalwerker",
    "techcoach",
    "teamleider",
    "analist",
];

// How each demo user stands to Gerrit (Wijkteam Noord, in execution, a full plan):
// coordinator coordinates; verzorgende and ergotherapeut are in the core team; sociaalwerker
// works in a serving team only; teamleider leads both teams (no reason stated); the Zuid
// professionals, the admin (no team) and the analyst have no way in.

/// Read the record; change details and what the team records about the client; record a visit.
const SERVING: &[&str] = &[
    "coordinator",
    "verzorgende",
    "ergotherapeut",
    "sociaalwerker",
];
/// Change serving teams.
const COORDINATOR_OR_LEAD: &[&str] = &["coordinator", "teamleider"];
/// Phase, closure, core team, hand-over: the coordinator (a team lead only with the record
/// open to them, which the walk's team lead has not).
const COORDINATOR: &[&str] = &["coordinator"];
/// Start a trajectory: professionals of a serving team (a team lead only with the record open).
const START: &[&str] = &[
    "coordinator",
    "verzorgende",
    "ergotherapeut",
    "sociaalwerker",
];
/// The plan: the core team.
const CORE_TEAM: &[&str] = &["coordinator", "verzorgende", "ergotherapeut"];
/// Correct Sandra's visit: Sandra.
const AUTHOR: &[&str] = &["verzorgende"];
/// Mark Sandra's visit in error: Sandra or the coordinator.
const AUTHOR_OR_COORDINATOR: &[&str] = &["verzorgende", "coordinator"];
/// Break the glass: the team lead of a serving team.
const TEAM_LEAD: &[&str] = &["teamleider"];
/// The client list and registering clients: everyone who works with records.
const WORKS_WITH_RECORDS: &[&str] = &[
    "coordinator",
    "verzorgende",
    "ergotherapeut",
    "fysiotherapeut",
    "huishoudelijk",
    "wmo-consulent",
    "sociaalwerker",
    "techcoach",
    "teamleider",
];
/// "My visits today": professionals.
const PROFESSIONALS: &[&str] = &[
    "coordinator",
    "verzorgende",
    "ergotherapeut",
    "fysiotherapeut",
    "huishoudelijk",
    "wmo-consulent",
    "sociaalwerker",
    "techcoach",
];
const ADMIN: &[&str] = &["admin"];

/// One request of the walk: which route (as registered), the request, and who may.
struct Step {
    method: Method,
    route: &'static str,
    path: String,
    form: Vec<(&'static str, String)>,
    json: Option<Value>,
    allowed: &'static [&'static str],
}

fn page(
    method: Method,
    route: &'static str,
    path: String,
    allowed: &'static [&'static str],
) -> Step {
    Step {
        method,
        route,
        path,
        form: Vec::new(),
        json: None,
        allowed,
    }
}

fn post(
    route: &'static str,
    path: String,
    form: &[(&'static str, &str)],
    allowed: &'static [&'static str],
) -> Step {
    Step {
        form: form.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        ..page(Method::POST, route, path, allowed)
    }
}

fn api(
    method: Method,
    route: &'static str,
    path: String,
    json: Option<Value>,
    allowed: &'static [&'static str],
) -> Step {
    Step {
        json: json.or_else(|| (method != Method::GET).then(|| json!({}))),
        ..page(method, route, path, allowed)
    }
}

/// The walk: every route, with bodies that fail validation for whoever passes the access check.
fn steps(c: i64, t: i64, visit: i64) -> Vec<Step> {
    use Method as M;
    let missing = 999_999;
    vec![
        // Public and per-role pages.
        page(M::GET, "/", "/".into(), EVERYONE),
        page(M::GET, "/login", "/login".into(), EVERYONE),
        post("/language", "/language".into(), &[("lang", "nl")], EVERYONE),
        page(
            M::GET,
            "/clients",
            "/clients?q=Gerrit".into(),
            WORKS_WITH_RECORDS,
        ),
        post(
            "/clients",
            "/clients".into(),
            &[("name", "")],
            WORKS_WITH_RECORDS,
        ),
        page(
            M::GET,
            "/clients/new",
            "/clients/new".into(),
            WORKS_WITH_RECORDS,
        ),
        page(M::GET, "/visits", "/visits".into(), PROFESSIONALS),
        page(M::GET, "/team", "/team".into(), WORKS_WITH_RECORDS),
        page(M::GET, "/aids", "/aids?q=douche".into(), EVERYONE),
        // Gerrit's record.
        page(M::GET, "/clients/{id}", format!("/clients/{c}"), SERVING),
        page(
            M::GET,
            "/clients/{id}/edit",
            format!("/clients/{c}/edit"),
            SERVING,
        ),
        post(
            "/clients/{id}/edit",
            format!("/clients/{c}/edit"),
            &[("name", "")],
            SERVING,
        ),
        page(
            M::GET,
            "/clients/{id}/teams",
            format!("/clients/{c}/teams"),
            COORDINATOR_OR_LEAD,
        ),
        post(
            "/clients/{id}/teams",
            format!("/clients/{c}/teams"),
            &[("version", "1")],
            COORDINATOR_OR_LEAD,
        ),
        post(
            "/clients/{id}/access-reason",
            format!("/clients/{c}/access-reason"),
            &[("reason", "kort")],
            TEAM_LEAD,
        ),
        page(
            M::GET,
            "/clients/{id}/network",
            format!("/clients/{c}/network"),
            SERVING,
        ),
        post(
            "/clients/{id}/network",
            format!("/clients/{c}/network"),
            &[("name", "")],
            SERVING,
        ),
        post(
            "/clients/{id}/network/summary",
            format!("/clients/{c}/network/summary"),
            &[("summary", "x")],
            SERVING,
        ),
        page(
            M::GET,
            "/clients/{id}/trajectories/new",
            format!("/clients/{c}/trajectories/new"),
            START,
        ),
        post(
            "/clients/{id}/trajectories",
            format!("/clients/{c}/trajectories"),
            &[("question", "")],
            START,
        ),
        page(
            M::GET,
            "/trajectories/{id}",
            format!("/trajectories/{t}"),
            SERVING,
        ),
        post(
            "/trajectories/{id}/phase",
            format!("/trajectories/{t}/phase"),
            &[("to", "")],
            COORDINATOR,
        ),
        page(
            M::GET,
            "/trajectories/{id}/close",
            format!("/trajectories/{t}/close"),
            COORDINATOR,
        ),
        post(
            "/trajectories/{id}/close",
            format!("/trajectories/{t}/close"),
            &[("option", "")],
            COORDINATOR,
        ),
        // Gerrit's trajectory is open: those who may read it get past the check to a 404.
        page(
            M::GET,
            "/trajectories/{id}/closure/print",
            format!("/trajectories/{t}/closure/print"),
            SERVING,
        ),
        post(
            "/trajectories/{id}/matters",
            format!("/trajectories/{t}/matters"),
            &[("kind", "")],
            SERVING,
        ),
        page(
            M::GET,
            "/trajectories/{id}/assessments",
            format!("/trajectories/{t}/assessments"),
            SERVING,
        ),
        page(
            M::GET,
            "/trajectories/{id}/assessments/new",
            format!("/trajectories/{t}/assessments/new?perspective=client"),
            SERVING,
        ),
        post(
            "/trajectories/{id}/assessments",
            format!("/trajectories/{t}/assessments"),
            &[("perspective", "")],
            SERVING,
        ),
        page(
            M::GET,
            "/trajectories/{id}/activities",
            format!("/trajectories/{t}/activities"),
            SERVING,
        ),
        post(
            "/trajectories/{id}/activities",
            format!("/trajectories/{t}/activities"),
            &[("support-wassen", "9")],
            SERVING,
        ),
        page(
            M::GET,
            "/trajectories/{id}/plan",
            format!("/trajectories/{t}/plan"),
            SERVING,
        ),
        page(
            M::GET,
            "/trajectories/{id}/plan/print",
            format!("/trajectories/{t}/plan/print"),
            SERVING,
        ),
        page(
            M::GET,
            "/trajectories/{id}/plan/versions",
            format!("/trajectories/{t}/plan/versions"),
            SERVING,
        ),
        page(
            M::GET,
            "/trajectories/{id}/plan/goals",
            format!("/trajectories/{t}/plan/goals"),
            CORE_TEAM,
        ),
        post(
            "/trajectories/{id}/plan/goals",
            format!("/trajectories/{t}/plan/goals"),
            &[("words", "")],
            CORE_TEAM,
        ),
        page(
            M::GET,
            "/trajectories/{id}/plan/goals/{goal}",
            format!("/trajectories/{t}/plan/goals/1"),
            CORE_TEAM,
        ),
        post(
            "/trajectories/{id}/plan/goals/{goal}",
            format!("/trajectories/{t}/plan/goals/1"),
            &[("words", "")],
            CORE_TEAM,
        ),
        post(
            "/trajectories/{id}/plan/goals/{goal}/status",
            format!("/trajectories/{t}/plan/goals/1/status"),
            &[("status", "x")],
            CORE_TEAM,
        ),
        page(
            M::GET,
            "/trajectories/{id}/plan/goals/{goal}/interventions",
            format!("/trajectories/{t}/plan/goals/1/interventions"),
            CORE_TEAM,
        ),
        post(
            "/trajectories/{id}/plan/goals/{goal}/interventions",
            format!("/trajectories/{t}/plan/goals/1/interventions"),
            &[("frequency", "")],
            CORE_TEAM,
        ),
        post(
            "/trajectories/{id}/plan/interventions/{intervention}/end",
            format!("/trajectories/{t}/plan/interventions/{missing}/end"),
            &[],
            CORE_TEAM,
        ),
        page(
            M::GET,
            "/trajectories/{id}/plan/agreements",
            format!("/trajectories/{t}/plan/agreements?activity=wassen"),
            CORE_TEAM,
        ),
        post(
            "/trajectories/{id}/plan/agreements",
            format!("/trajectories/{t}/plan/agreements"),
            &[("activity", "wassen")],
            CORE_TEAM,
        ),
        page(
            M::GET,
            "/trajectories/{id}/plan/care",
            format!("/trajectories/{t}/plan/care"),
            CORE_TEAM,
        ),
        // Evaluating with the client is for the core team; its interval for the coordinator.
        page(
            M::GET,
            "/trajectories/{id}/evaluation",
            format!("/trajectories/{t}/evaluation"),
            CORE_TEAM,
        ),
        post(
            "/trajectories/{id}/evaluation",
            format!("/trajectories/{t}/evaluation"),
            &[("held_on", "")],
            CORE_TEAM,
        ),
        post(
            "/trajectories/{id}/evaluation/interval",
            format!("/trajectories/{t}/evaluation/interval"),
            &[("evaluation_weeks", "0")],
            COORDINATOR,
        ),
        post(
            "/trajectories/{id}/plan/care",
            format!("/trajectories/{t}/plan/care"),
            &[("discipline", "")],
            CORE_TEAM,
        ),
        post(
            "/trajectories/{id}/plan/care/{discipline}/remove",
            format!("/trajectories/{t}/plan/care/geen/remove"),
            &[],
            CORE_TEAM,
        ),
        page(
            M::GET,
            "/trajectories/{id}/decisions",
            format!("/trajectories/{t}/decisions"),
            CORE_TEAM,
        ),
        post(
            "/trajectories/{id}/decisions",
            format!("/trajectories/{t}/decisions"),
            &[("question", "")],
            CORE_TEAM,
        ),
        page(
            M::GET,
            "/trajectories/{id}/team",
            format!("/trajectories/{t}/team"),
            SERVING,
        ),
        post(
            "/trajectories/{id}/team",
            format!("/trajectories/{t}/team"),
            &[("user_id", "")],
            COORDINATOR,
        ),
        post(
            "/trajectories/{id}/team/remove",
            format!("/trajectories/{t}/team/remove"),
            &[("user_id", "")],
            COORDINATOR,
        ),
        post(
            "/trajectories/{id}/team/handover",
            format!("/trajectories/{t}/team/handover"),
            &[("to", "")],
            COORDINATOR,
        ),
        post(
            "/trajectories/{id}/team/network",
            format!("/trajectories/{t}/team/network"),
            &[("member", "x")],
            COORDINATOR,
        ),
        page(
            M::GET,
            "/trajectories/{id}/visits",
            format!("/trajectories/{t}/visits"),
            SERVING,
        ),
        post(
            "/trajectories/{id}/visits",
            format!("/trajectories/{t}/visits"),
            &[("minutes", "")],
            SERVING,
        ),
        page(
            M::GET,
            "/trajectories/{id}/visits/new",
            format!("/trajectories/{t}/visits/new"),
            SERVING,
        ),
        page(M::GET, "/visits/{id}", format!("/visits/{visit}"), AUTHOR),
        post(
            "/visits/{id}",
            format!("/visits/{visit}"),
            &[("minutes", "")],
            AUTHOR,
        ),
        post(
            "/visits/{id}/error",
            format!("/visits/{visit}/error"),
            &[("error_reason", "")],
            AUTHOR_OR_COORDINATOR,
        ),
        // Administration: the admin only (missing ids, so nothing is changed).
        page(M::GET, "/admin/users", "/admin/users".into(), ADMIN),
        page(M::GET, "/admin/users/new", "/admin/users/new".into(), ADMIN),
        post(
            "/admin/users/new",
            "/admin/users/new".into(),
            &[("username", "")],
            ADMIN,
        ),
        page(M::GET, "/admin/users/{id}", "/admin/users/1".into(), ADMIN),
        post(
            "/admin/users/{id}",
            "/admin/users/1".into(),
            &[("full_name", "")],
            ADMIN,
        ),
        post(
            "/admin/users/{id}/active",
            format!("/admin/users/{missing}/active"),
            &[("active", "true")],
            ADMIN,
        ),
        post(
            "/admin/users/{id}/password",
            "/admin/users/1/password".into(),
            &[("password", "kort")],
            ADMIN,
        ),
        page(M::GET, "/admin/teams", "/admin/teams".into(), ADMIN),
        post(
            "/admin/teams",
            "/admin/teams".into(),
            &[("name", "")],
            ADMIN,
        ),
        page(M::GET, "/admin/teams/{id}", "/admin/teams/1".into(), ADMIN),
        post(
            "/admin/teams/{id}",
            "/admin/teams/1".into(),
            &[("name", "")],
            ADMIN,
        ),
        post(
            "/admin/organisation",
            "/admin/organisation".into(),
            &[("organisation", "")],
            ADMIN,
        ),
        page(M::GET, "/admin/audit", "/admin/audit".into(), ADMIN),
        page(M::GET, "/admin/catalogue", "/admin/catalogue".into(), ADMIN),
        post(
            "/admin/catalogue/interventions",
            "/admin/catalogue/interventions".into(),
            &[("key", "")],
            ADMIN,
        ),
        post(
            "/admin/catalogue/interventions/{id}/retire",
            format!("/admin/catalogue/interventions/{missing}/retire"),
            &[("retire", "true")],
            ADMIN,
        ),
        post(
            "/admin/catalogue/limit",
            "/admin/catalogue/limit".into(),
            &[("limit", "x")],
            ADMIN,
        ),
        page(M::GET, "/admin/aids/new", "/admin/aids/new".into(), ADMIN),
        post(
            "/admin/aids/new",
            "/admin/aids/new".into(),
            &[("key", "")],
            ADMIN,
        ),
        page(M::GET, "/admin/aids/{id}", "/admin/aids/1".into(), ADMIN),
        post(
            "/admin/aids/{id}",
            "/admin/aids/1".into(),
            &[("name_nl", "")],
            ADMIN,
        ),
        post(
            "/admin/aids/{id}/retire",
            format!("/admin/aids/{missing}/retire"),
            &[("retire", "true")],
            ADMIN,
        ),
        page(M::GET, "/admin/tokens", "/admin/tokens".into(), ADMIN),
        post(
            "/admin/tokens",
            "/admin/tokens".into(),
            &[("user_id", "")],
            ADMIN,
        ),
        page(
            M::GET,
            "/admin/tokens/{id}/revoke",
            format!("/admin/tokens/{missing}/revoke"),
            ADMIN,
        ),
        post(
            "/admin/tokens/{id}/revoke",
            format!("/admin/tokens/{missing}/revoke"),
            &[],
            ADMIN,
        ),
        // The API, as each user with a token of their own.
        api(M::GET, "/api/v1/me", "/api/v1/me".into(), None, EVERYONE),
        api(
            M::GET,
            "/api/v1/clients",
            "/api/v1/clients?q=Gerrit".into(),
            None,
            WORKS_WITH_RECORDS,
        ),
        api(
            M::POST,
            "/api/v1/clients",
            "/api/v1/clients".into(),
            Some(
                json!({"name": "", "date_of_birth": "x", "living_situation": "alone", "team_ids": [1]}),
            ),
            WORKS_WITH_RECORDS,
        ),
        api(
            M::GET,
            "/api/v1/clients/{id}",
            format!("/api/v1/clients/{c}"),
            None,
            SERVING,
        ),
        api(
            M::PUT,
            "/api/v1/clients/{id}/teams",
            format!("/api/v1/clients/{c}/teams"),
            Some(json!({"team_ids": []})),
            COORDINATOR_OR_LEAD,
        ),
        api(
            M::POST,
            "/api/v1/clients/{id}/access-reason",
            format!("/api/v1/clients/{c}/access-reason"),
            Some(json!({"reason": "kort"})),
            TEAM_LEAD,
        ),
        api(
            M::GET,
            "/api/v1/clients/{id}/network",
            format!("/api/v1/clients/{c}/network"),
            None,
            SERVING,
        ),
        api(
            M::POST,
            "/api/v1/clients/{id}/network",
            format!("/api/v1/clients/{c}/network"),
            Some(json!({"name": "", "relation": "", "asks": "x"})),
            SERVING,
        ),
        api(
            M::POST,
            "/api/v1/clients/{id}/trajectories",
            format!("/api/v1/clients/{c}/trajectories"),
            Some(
                json!({"question": "", "question_types": [], "start_date": "x", "coordinator_id": 1}),
            ),
            START,
        ),
        api(
            M::GET,
            "/api/v1/trajectories/{id}",
            format!("/api/v1/trajectories/{t}"),
            None,
            SERVING,
        ),
        api(
            M::POST,
            "/api/v1/trajectories/{id}/closure",
            format!("/api/v1/trajectories/{t}/closure"),
            Some(json!({"option": "x", "summary": ""})),
            COORDINATOR,
        ),
        api(
            M::POST,
            "/api/v1/trajectories/{id}/assessments",
            format!("/api/v1/trajectories/{t}/assessments"),
            Some(json!({"perspective": "x", "moment": "x", "domains": []})),
            SERVING,
        ),
        api(
            M::GET,
            "/api/v1/trajectories/{id}/plan",
            format!("/api/v1/trajectories/{t}/plan"),
            None,
            SERVING,
        ),
        api(
            M::GET,
            "/api/v1/trajectories/{id}/plan/versions/{number}",
            format!("/api/v1/trajectories/{t}/plan/versions/1"),
            None,
            SERVING,
        ),
        api(
            M::POST,
            "/api/v1/trajectories/{id}/goals",
            format!("/api/v1/trajectories/{t}/goals"),
            Some(json!({"words": "", "expressed_by": "x"})),
            CORE_TEAM,
        ),
        api(
            M::POST,
            "/api/v1/trajectories/{id}/goals/{goal}/interventions",
            format!("/api/v1/trajectories/{t}/goals/1/interventions"),
            Some(json!({"catalogue_id": 0, "responsible": "", "frequency": ""})),
            CORE_TEAM,
        ),
        api(
            M::PUT,
            "/api/v1/trajectories/{id}/agreements",
            format!("/api/v1/trajectories/{t}/agreements"),
            Some(json!({"activity": "wassen", "support": 9, "client_does": ""})),
            CORE_TEAM,
        ),
        api(
            M::GET,
            "/api/v1/trajectories/{id}/team",
            format!("/api/v1/trajectories/{t}/team"),
            None,
            SERVING,
        ),
        api(
            M::POST,
            "/api/v1/trajectories/{id}/team",
            format!("/api/v1/trajectories/{t}/team"),
            Some(json!({"user_id": 0})),
            COORDINATOR,
        ),
        api(
            M::GET,
            "/api/v1/trajectories/{id}/visits",
            format!("/api/v1/trajectories/{t}/visits"),
            None,
            SERVING,
        ),
        api(
            M::POST,
            "/api/v1/trajectories/{id}/visits",
            format!("/api/v1/trajectories/{t}/visits"),
            Some(json!({"minutes": 0})),
            SERVING,
        ),
        api(
            M::GET,
            "/api/v1/clients/{id}/trajectories",
            format!("/api/v1/clients/{c}/trajectories"),
            None,
            SERVING,
        ),
        api(
            M::GET,
            "/api/v1/trajectories/{id}/evaluations",
            format!("/api/v1/trajectories/{t}/evaluations"),
            None,
            SERVING,
        ),
        api(
            M::POST,
            "/api/v1/trajectories/{id}/evaluations",
            format!("/api/v1/trajectories/{t}/evaluations"),
            Some(json!({"held_on": ""})),
            CORE_TEAM,
        ),
    ]
}

/// Routes that are not walked as every user, and why.
const NOT_WALKED: &[(&str, &str)] = &[
    (
        "POST /login",
        "signing in is tested with its throttle in http.rs and accounts.rs",
    ),
    (
        "POST /logout",
        "it would end the session the walk goes on with; tested in http.rs",
    ),
];

/// The page routes as registered in the source: `METHOD path` for each `.route(…)`.
fn registered_page_routes() -> BTreeSet<String> {
    let sources = [
        ("activities", include_str!("../src/pages/activities.rs")),
        ("admin", include_str!("../src/pages/admin.rs")),
        ("assessments", include_str!("../src/pages/assessments.rs")),
        ("audit_log", include_str!("../src/pages/audit_log.rs")),
        ("catalogue", include_str!("../src/pages/catalogue.rs")),
        ("clients", include_str!("../src/pages/clients.rs")),
        ("evaluation", include_str!("../src/pages/evaluation.rs")),
        ("closure", include_str!("../src/pages/closure.rs")),
        ("forms", include_str!("../src/pages/forms.rs")),
        ("home", include_str!("../src/pages/home.rs")),
        ("login", include_str!("../src/pages/login.rs")),
        ("meanwhile", include_str!("../src/pages/meanwhile.rs")),
        ("network", include_str!("../src/pages/network.rs")),
        ("plan", include_str!("../src/pages/plan/mod.rs")),
        ("plan", include_str!("../src/pages/plan/agreements.rs")),
        ("plan", include_str!("../src/pages/plan/care.rs")),
        ("plan", include_str!("../src/pages/plan/decisions.rs")),
        ("plan", include_str!("../src/pages/plan/goals.rs")),
        ("plan", include_str!("../src/pages/plan/interventions.rs")),
        ("plan", include_str!("../src/pages/plan/page.rs")),
        ("plan", include_str!("../src/pages/plan/versions.rs")),
        ("team", include_str!("../src/pages/team.rs")),
        ("tokens", include_str!("../src/pages/tokens.rs")),
        ("trajectories", include_str!("../src/pages/trajectories.rs")),
        ("visits", include_str!("../src/pages/visits.rs")),
    ];
    // Every page module is read (a module split over files is listed once per file): a new
    // one must be added above.
    let modules: BTreeSet<&str> = include_str!("../src/pages/mod.rs")
        .lines()
        .filter_map(|l| l.strip_prefix("mod ")?.strip_suffix(';'))
        .collect();
    let read: BTreeSet<&str> = sources.iter().map(|(name, _)| *name).collect();
    assert_eq!(read, modules, "the walk reads every page module");
    let sources = sources.map(|(_, source)| source);
    let mut routes = BTreeSet::new();
    for source in sources {
        for chunk in source.split(".route(").skip(1) {
            let path = chunk.split('"').nth(1).expect("a route path");
            // The handlers up to the closing parenthesis of this `.route(…)`.
            let mut depth = 1;
            let end = chunk
                .char_indices()
                .find(|(_, ch)| {
                    match ch {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(chunk.len(), |(i, _)| i);
            let handlers = &chunk[..end];
            for (marker, method) in [("get(", "GET"), ("post(", "POST")] {
                if handlers
                    .split(|c: char| !c.is_alphanumeric() && c != '(' && c != '_')
                    .any(|token| token.starts_with(marker))
                {
                    routes.insert(format!("{method} {path}"));
                }
            }
        }
    }
    routes
}

async fn every_route_as_every_role_follows_the_rule_table(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let client = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(client).await;
    let mut tx = app.db.begin().await.unwrap();
    let sandra = tx
        .user_by_username("verzorgende")
        .await
        .unwrap()
        .unwrap()
        .id;
    let visit = tx
        .visits_for_trajectory(&app.trajectory_access(trajectory).await)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.user_id == sandra)
        .expect("Sandra visits Gerrit in the demo")
        .id;
    let before = (
        tx.plan_latest(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .unwrap()
            .number,
        tx.trajectory_get(trajectory).await.unwrap().unwrap(),
        tx.client_get(client).await.unwrap().unwrap(),
        tx.visits_for_trajectory(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .len(),
    );
    tx.commit().await.unwrap();
    let steps = steps(client, trajectory, visit);

    // The walk covers every route there is.
    let walked: BTreeSet<String> = steps
        .iter()
        .map(|s| format!("{} {}", s.method, s.route))
        .chain(NOT_WALKED.iter().map(|(route, _)| route.to_string()))
        .collect();
    let registered = registered_page_routes();
    assert!(
        registered.len() > 60 && registered.contains("POST /clients/{id}/teams"),
        "the route list is read from the source: {registered:?}"
    );
    let missing: Vec<String> = registered
        .into_iter()
        .filter(|r| !walked.contains(r))
        .collect();
    assert!(
        missing.is_empty(),
        "page routes not in the walk: {missing:?}"
    );
    let document = serde_json::to_value(regie_web::api::openapi()).unwrap();
    let mut api_missing = Vec::new();
    for (path, operations) in document["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            let route = format!("{} {path}", method.to_uppercase());
            if path.starts_with("/api/v1/") && !walked.contains(&route) {
                api_missing.push(route);
            }
        }
    }
    assert!(
        api_missing.is_empty(),
        "API routes not in the walk: {api_missing:?}"
    );

    let mut sessions = BTreeMap::new();
    for user in EVERYONE {
        let session = TestApp::new_client();
        let signed_in = app.login_as(&session, user, "regie-demo").await;
        assert_eq!(signed_in.status(), 303, "{user} signs in");
        sessions.insert(*user, (session, app.token_for(user).await));
    }
    let mut wrong = Vec::new();
    for step in &steps {
        for user in EVERYONE {
            let (session, token) = &sessions[user];
            let mut request = session.request(step.method.clone(), app.url(&step.path));
            if let Some(body) = &step.json {
                request = request
                    .bearer_auth(token)
                    .header("If-Match", "*")
                    .json(body);
            } else if step.route.starts_with("/api/") {
                request = request.bearer_auth(token);
            } else if step.method == Method::POST {
                request = request.form(&step.form);
            }
            let denied_before = app.denied_count().await;
            let status = request.send().await.unwrap().status();
            let denied = app.denied_count().await - denied_before;
            let may = step.allowed.contains(user);
            let outcome_right = if may {
                status != 403 && status != 401 && status.as_u16() < 500
            } else {
                status == 403
            };
            let audit_right = if status == 403 {
                denied == 1
            } else {
                denied == 0
            };
            if !outcome_right || !audit_right {
                wrong.push(format!(
                    "{} {} as {user}: {status}, {denied} refusal(s) audited; expected {}",
                    step.method,
                    step.path,
                    if may { "through" } else { "403" }
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} outcomes differ from the rule table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );

    // Nothing was changed by the walk.
    let mut tx = app.db.begin().await.unwrap();
    assert_eq!(
        tx.plan_latest(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .unwrap()
            .number,
        before.0
    );
    assert_eq!(
        tx.trajectory_get(trajectory).await.unwrap().unwrap(),
        before.1
    );
    assert_eq!(tx.client_get(client).await.unwrap().unwrap(), before.2);
    assert_eq!(
        tx.visits_for_trajectory(&app.trajectory_access(trajectory).await)
            .await
            .unwrap()
            .len(),
        before.3
    );
    tx.commit().await.unwrap();
}

/// No menu item ends in a refusal: each role's menu links open.
async fn every_menu_item_opens_for_its_role(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    for user in EVERYONE {
        let session = TestApp::new_client();
        app.login_as(&session, user, "regie-demo").await;
        let home = session
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let nav = home
            .split("<nav")
            .nth(1)
            .and_then(|n| n.split("</nav>").next())
            .expect("a signed-in page has a menu");
        let links: Vec<&str> = nav
            .split("href=\"")
            .skip(1)
            .filter_map(|l| l.split('"').next())
            .collect();
        assert!(!links.is_empty(), "{user} has a menu");
        for link in links {
            let status = session.get(app.url(link)).send().await.unwrap().status();
            assert_eq!(status, 200, "{user}'s menu item {link}");
        }
    }
    // The analyst's menu offers no client list, visits or team signals.
    let analyst = TestApp::new_client();
    app.login_as(&analyst, "analist", "regie-demo").await;
    let home = analyst
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for hidden in ["href=\"/clients\"", "href=\"/visits\"", "href=\"/team\""] {
        assert!(
            !home.contains(hidden),
            "the analyst is not offered {hidden}"
        );
    }
}
