//! The API keeps the promises its OpenAPI document makes (issue 9): every refusal is an RFC 9457
//! problem document with the status the document lists (400, 404, 405, 409, 413, 415, 422), and
//! the server takes what the document calls valid. Each case on SQLite and on PostgreSQL,
//! against the real server. `.ci/schemathesis` checks the same contract by generating requests.

mod support;

use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use support::{Backend, TestApp};

on_both_backends!(
    a_body_over_the_limit_is_a_413_problem,
    a_body_not_sent_as_json_is_a_415_problem,
    malformed_json_is_a_400_problem,
    values_of_the_wrong_shape_are_422_problems_naming_the_field,
    path_ids_that_are_not_positive_whole_numbers_are_404_problems,
    requests_that_clash_with_stored_data_are_409_problems,
    whole_numbers_written_as_floats_are_taken,
    control_characters_are_refused_not_stored,
    query_parameters_are_checked_against_their_ranges,
    an_unsupported_method_is_a_405_problem_with_allow,
    the_served_document_lists_the_problems_of_every_operation,
);

/// Checks the common shape of a problem document and returns it.
async fn problem_of(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status, "{}", response.url());
    assert_eq!(response.headers()[CONTENT_TYPE], "application/problem+json");
    let body: Value = response.json().await.expect("a JSON problem document");
    assert_eq!(body["type"], "about:blank");
    assert_eq!(body["status"], status);
    assert!(body["title"].is_string() && body["detail"].is_string());
    body
}

fn fields(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    assert!(e["message"].is_string());
                    (
                        e["field"].as_str().unwrap().to_string(),
                        e["code"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn new_client() -> Value {
    json!({"name": "Mevrouw T. Test", "date_of_birth": "1940-05-01", "living_situation": "alone", "team_ids": [1]})
}

async fn a_body_over_the_limit_is_a_413_problem(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("coordinator").await;
    // Valid JSON, just too much of it: a name of a little over 1 MiB.
    let mut body = new_client();
    body["name"] = Value::from("x".repeat(1024 * 1024 + 1));
    let response = app
        .client
        .post(app.url("/api/v1/clients"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let problem = problem_of(response, 413).await;
    assert!(problem["title"].as_str().unwrap().contains("te groot"));
    // Just under the limit the body is read, and the name refused on its merits.
    body["name"] = Value::from("x".repeat(1000 * 1000));
    let response = app
        .client
        .post(app.url("/api/v1/clients"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let refused = problem_of(response, 422).await;
    assert_eq!(
        fields(&refused),
        [("name".into(), "error-name-format".into())]
    );
}

async fn a_body_not_sent_as_json_is_a_415_problem(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("coordinator").await;
    let text = new_client().to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut request = app
            .client
            .post(app.url("/api/v1/clients"))
            .bearer_auth(&token)
            .body(text.clone());
        if let Some(content_type) = content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        let problem = problem_of(request.send().await.unwrap(), 415).await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("application/json"),
            "{content_type:?}"
        );
    }
    // A JSON type with parameters is JSON.
    let accepted = app
        .client
        .post(app.url("/api/v1/clients"))
        .bearer_auth(&token)
        .header(CONTENT_TYPE, "application/json; charset=utf-8")
        .body(text)
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 201);
    // Without a token the answer is 401, whatever the body.
    let anonymous = app
        .client
        .post(app.url("/api/v1/clients"))
        .header(CONTENT_TYPE, "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    problem_of(anonymous, 401).await;
}

async fn malformed_json_is_a_400_problem(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("coordinator").await;
    for body in [
        "{",
        "",
        "{\"name\": \"x\",}",
        "\u{0}",
        "[1, 2",
        "{\"a\": \"\\ud800\"}",
    ] {
        let response = app
            .client
            .post(app.url("/api/v1/clients"))
            .bearer_auth(&token)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let problem = problem_of(response, 400).await;
        assert!(problem.get("errors").is_none(), "{body:?}");
        assert_eq!(problem["title"], "Onleesbaar verzoek");
    }
    // In English when asked.
    let english = app
        .client
        .post(app.url("/api/v1/clients"))
        .bearer_auth(&token)
        .header(CONTENT_TYPE, "application/json")
        .header("Accept-Language", "en")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(
        problem_of(english, 400).await["title"],
        "Unreadable request"
    );
}

async fn values_of_the_wrong_shape_are_422_problems_naming_the_field(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("coordinator").await;
    let post = |body: Value| {
        app.client
            .post(app.url("/api/v1/clients"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let mut wrong_type = new_client();
    wrong_type["team_ids"] = json!(["een"]);
    let problem = problem_of(post(wrong_type).await.unwrap(), 422).await;
    assert_eq!(
        fields(&problem),
        [("team_ids[0]".into(), "error-json-value".into())]
    );
    let mut missing = new_client();
    missing.as_object_mut().unwrap().remove("name");
    let problem = problem_of(post(missing).await.unwrap(), 422).await;
    assert_eq!(fields(&problem), [("name".into(), "error-required".into())]);
    let mut unknown = new_client();
    unknown["kleur"] = json!("rood");
    let problem = problem_of(post(unknown).await.unwrap(), 422).await;
    assert_eq!(
        fields(&problem),
        [("kleur".into(), "error-json-unknown-field".into())]
    );
    // Rules the schema states, checked by the domain: all reported at once.
    let invalid = json!({
        "name": " ", "date_of_birth": "2026-02-30", "living_situation": "alleen", "team_ids": [],
        "street": "Dorpsstraat"
    });
    let problem = problem_of(post(invalid).await.unwrap(), 422).await;
    let codes: Vec<String> = fields(&problem).into_iter().map(|(f, _)| f).collect();
    for field in [
        "name",
        "date_of_birth",
        "living_situation",
        "team_ids",
        "house_number",
        "postcode",
        "city",
    ] {
        assert!(codes.contains(&field.to_string()), "{field} in {codes:?}");
    }
    // A date is exactly YYYY-MM-DD.
    let mut padded = new_client();
    padded["date_of_birth"] = json!(" 1940-05-01");
    let problem = problem_of(post(padded).await.unwrap(), 422).await;
    assert_eq!(
        fields(&problem),
        [("date_of_birth".into(), "error-date-format".into())]
    );
}

async fn path_ids_that_are_not_positive_whole_numbers_are_404_problems(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("coordinator").await;
    let gerrit = app.client_id("Gerrit").await;
    assert_eq!(
        app.api_get(&format!("/api/v1/clients/{gerrit}"), &token)
            .await
            .status(),
        200
    );
    for id in ["abc", "0", "-1", "+1", "1.0", "99999999999999999999", "%20"] {
        for path in [
            format!("/api/v1/clients/{id}"),
            format!("/api/v1/clients/{id}/network"),
            format!("/api/v1/trajectories/{id}/plan"),
            format!("/api/v1/trajectories/{id}/plan/versions/1"),
            format!("/api/v1/trajectories/1/plan/versions/{id}"),
        ] {
            problem_of(app.api_get(&path, &token).await, 404).await;
        }
    }
    let trajectory = app.trajectory_of(gerrit).await;
    for goal in ["0", "abc", "4294967296"] {
        let response = app
            .client
            .post(app.url(&format!(
                "/api/v1/trajectories/{trajectory}/goals/{goal}/interventions"
            )))
            .bearer_auth(&token)
            .json(&json!({"catalogue_id": 1, "responsible": "client", "frequency": "dagelijks"}))
            .send()
            .await
            .unwrap();
        problem_of(response, 404).await;
    }
    // A goal number that is well formed but not in the plan: the path names nothing.
    let response = app
        .client
        .post(app.url(&format!(
            "/api/v1/trajectories/{trajectory}/goals/999/interventions"
        )))
        .bearer_auth(&token)
        .json(&json!({"catalogue_id": 1, "responsible": "client", "frequency": "dagelijks"}))
        .send()
        .await
        .unwrap();
    problem_of(response, 404).await;
}

async fn requests_that_clash_with_stored_data_are_409_problems(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("coordinator").await;
    let gerrit = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(gerrit).await;
    let post = |path: String, body: Value| {
        app.client
            .post(app.url(&path))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let today = time::OffsetDateTime::now_utc().date().to_string();
    // A coordinator from a team that does not serve Gerrit.
    let mut tx = app.db.begin().await.unwrap();
    let south = tx
        .user_by_username("fysiotherapeut")
        .await
        .unwrap()
        .unwrap()
        .id;
    let north = tx
        .user_by_username("coordinator")
        .await
        .unwrap()
        .unwrap()
        .id;
    tx.commit().await.unwrap();
    let start = |coordinator: i64| json!({"question": "Zelf boodschappen doen", "question_types": ["begeleiding"], "start_date": today, "coordinator_id": coordinator});
    let path = format!("/api/v1/clients/{gerrit}/trajectories");
    let problem = problem_of(post(path.clone(), start(south)).await.unwrap(), 409).await;
    assert_eq!(
        fields(&problem),
        [(
            "coordinator_id".into(),
            "error-coordinator-not-on-team".into()
        )]
    );
    assert_eq!(problem["title"], "Past niet bij de huidige gegevens");
    // Gerrit already has an open trajectory.
    let problem = problem_of(post(path, start(north)).await.unwrap(), 409).await;
    assert_eq!(
        fields(&problem),
        [("form".into(), "error-trajectory-active".into())]
    );
    // A visit answers each agreed activity exactly once, and no other: the issue asks 422
    // with the field named for an entry without an agreement, a second entry, or a missing
    // one, although the agreements are stored data.
    let visits = format!("/api/v1/trajectories/{trajectory}/visits");
    let problem = problem_of(
        post(
            visits.clone(),
            json!({"minutes": 20, "given": [{"activity": "toiletgang", "level": 1}, {"activity": "wassen", "level": 1}, {"activity": "aankleden", "level": 2}]}),
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    assert_eq!(
        fields(&problem),
        [("given".into(), "error-visit-no-agreement".into())]
    );
    // More support than agreed without a reason depends on the agreement in force: 409.
    let problem = problem_of(
        post(
            visits.clone(),
            json!({"minutes": 20, "given": [{"activity": "wassen", "level": 4}, {"activity": "aankleden", "level": 2}]}),
        )
        .await
        .unwrap(),
        409,
    )
    .await;
    assert_eq!(
        fields(&problem),
        [("reason-wassen".into(), "error-visit-reason".into())]
    );
    // A reason that is not in the list is a broken rule, needed or not.
    let problem = problem_of(
        post(
            visits,
            json!({"minutes": 20, "given": [{"activity": "wassen", "level": 0, "reason": "geen zin"}, {"activity": "aankleden", "level": 2}]}),
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    assert_eq!(
        fields(&problem),
        [("reason-wassen".into(), "error-choice-unknown".into())]
    );
    // The same key on a field with a fixed list stays a 422.
    let goals = format!("/api/v1/trajectories/{trajectory}/goals");
    let problem = problem_of(
        post(
            goals.clone(),
            json!({"words": "Zelf koken", "expressed_by": "buurman"}),
        )
        .await
        .unwrap(),
        422,
    )
    .await;
    assert_eq!(
        fields(&problem),
        [("expressed_by".into(), "error-choice-unknown".into())]
    );
    let problem = problem_of(
        post(goals, json!({"words": "Zelf koken", "expressed_by": "client", "life_domains": ["astrologie"]}))
            .await
            .unwrap(),
        409,
    )
    .await;
    assert_eq!(
        fields(&problem),
        [("life_domains".into(), "error-choice-unknown".into())]
    );
    // A team named twice is a broken rule (422), never a server error.
    let mut twice = new_client();
    twice["team_ids"] = json!([1, 1]);
    let problem = problem_of(post("/api/v1/clients".into(), twice).await.unwrap(), 422).await;
    assert_eq!(
        fields(&problem),
        [("team_ids".into(), "error-client-team-duplicate".into())]
    );
}

async fn whole_numbers_written_as_floats_are_taken(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("coordinator").await;
    let annie = app.client_id("Annie").await;
    let created = app
        .client
        .post(app.url(&format!("/api/v1/clients/{annie}/network")))
        .bearer_auth(&token)
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"name": "Mo", "relation": "kleinzoon", "asks": "asks", "carer_load": 3.0, "carer_capacity": 7e0}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let fraction = app
        .client
        .post(app.url(&format!("/api/v1/clients/{annie}/network")))
        .bearer_auth(&token)
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"name": "Mo", "relation": "kleinzoon", "asks": "asks", "carer_load": 3.5, "carer_capacity": 7}"#)
        .send()
        .await
        .unwrap();
    let problem = problem_of(fraction, 422).await;
    assert_eq!(
        fields(&problem),
        [("carer_load".into(), "error-json-value".into())]
    );
}

async fn control_characters_are_refused_not_stored(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("coordinator").await;
    let annie = app.client_id("Annie").await;
    let coordinator = {
        let mut tx = app.db.begin().await.unwrap();
        let id = tx
            .user_by_username("coordinator")
            .await
            .unwrap()
            .unwrap()
            .id;
        tx.commit().await.unwrap();
        id
    };
    let today = time::OffsetDateTime::now_utc().date().to_string();
    // PostgreSQL cannot store a NUL: refused as input, not a server error.
    let response = app
        .client
        .post(app.url(&format!("/api/v1/clients/{annie}/trajectories")))
        .bearer_auth(&token)
        .json(&json!({"question": "Zelf\u{0} koken", "question_types": ["begeleiding"], "start_date": today, "coordinator_id": coordinator}))
        .send()
        .await
        .unwrap();
    let problem = problem_of(response, 422).await;
    assert_eq!(
        fields(&problem),
        [("question".into(), "error-text-too-long".into())]
    );
    // Line breaks and tabs are text.
    let response = app
        .client
        .post(app.url(&format!("/api/v1/clients/{annie}/trajectories")))
        .bearer_auth(&token)
        .json(&json!({"question": "Zelf koken\n\tmet hulp van haar dochter", "question_types": ["begeleiding"], "start_date": today, "coordinator_id": coordinator}))
        .send()
        .await
        .unwrap();
    assert!(
        [201, 409].contains(&response.status().as_u16()),
        "{}",
        response.status()
    );
    // An idempotency key must be printable ASCII, not silently ignored.
    let gerrit = app.client_id("Gerrit").await;
    let trajectory = app.trajectory_of(gerrit).await;
    let response = app
        .client
        .post(app.url(&format!("/api/v1/trajectories/{trajectory}/visits")))
        .bearer_auth(&token)
        .header(
            "Idempotency-Key",
            reqwest::header::HeaderValue::from_bytes(b"tablet-\xe9").unwrap(),
        )
        .json(&json!({"minutes": 20, "success": "Zelf opgestaan"}))
        .send()
        .await
        .unwrap();
    let problem = problem_of(response, 422).await;
    assert_eq!(
        fields(&problem),
        [("idempotency_key".into(), "error-text-too-long".into())]
    );
}

async fn query_parameters_are_checked_against_their_ranges(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("coordinator").await;
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
        ("q=%00", "q"),
    ] {
        let response = app
            .api_get(&format!("/api/v1/clients?{query}"), &token)
            .await;
        let problem = problem_of(response, 422).await;
        assert_eq!(fields(&problem)[0].0, field, "{query}");
    }
    for query in [
        "limit=tien",
        "offset=9223372036854775808",
        "limit=1&limit=2",
    ] {
        let response = app
            .api_get(&format!("/api/v1/clients?{query}"), &token)
            .await;
        problem_of(response, 400).await;
    }
    let page: Value = app
        .api_get("/api/v1/clients?limit=100&offset=0&q=", &token)
        .await
        .json()
        .await
        .unwrap();
    assert!(page["total"].as_i64().unwrap() > 0);
}

async fn an_unsupported_method_is_a_405_problem_with_allow(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let token = app.token_for("coordinator").await;
    let response = app
        .client
        .delete(app.url("/api/v1/clients"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let allow = response.headers()["allow"].to_str().unwrap().to_string();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    problem_of(response, 405).await;
}

async fn the_served_document_lists_the_problems_of_every_operation(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let document: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    let schema = &document["components"]["schemas"]["ProblemSchema"];
    for field in ["type", "title", "status", "detail", "errors"] {
        assert!(
            schema["properties"][field].is_object(),
            "ProblemSchema.{field}"
        );
    }
    let mut operations = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            operations += 1;
            let responses = operation["responses"].as_object().unwrap();
            let has = |status: &str| responses.contains_key(status);
            let name = format!("{method} {path}");
            if path != "/health" {
                assert!(has("401"), "{name}");
            }
            if path.contains('{') {
                assert!(has("404"), "{name}");
            }
            if operation.get("requestBody").is_some() {
                for status in ["400", "413", "415", "422"] {
                    assert!(has(status), "{name} {status}");
                }
            }
            for (status, response) in responses {
                if status.starts_with('4') {
                    assert_eq!(
                        response["content"]["application/problem+json"]["schema"]["$ref"],
                        "#/components/schemas/ProblemSchema",
                        "{name} {status}"
                    );
                }
            }
        }
    }
    assert!(operations >= 19);
    // Dates bounded by today are stated as of today.
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let birth =
        document["components"]["schemas"]["NewClient"]["properties"]["date_of_birth"]["pattern"]
            .as_str()
            .unwrap();
    let pattern = regex::Regex::new(birth).unwrap();
    assert!(pattern.is_match(&today));
    assert!(!pattern.is_match("9999-12-31"));
}
