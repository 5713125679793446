//! The API's problem responses (RFC 9457), described once and used by every operation.
//!
//! Statuses that follow from an operation's shape are added to the document by
//! [`super::contract`], so no operation can forget them: 401 wherever a bearer token is
//! required, 404 wherever the path names a record, 400/413/415/422 wherever a JSON body is
//! read, and 400/422 wherever a query string is read. Statuses that depend on what a handler
//! does are listed on the handler with the types below, for example
//! `responses((status = 201, body = X), problems::Forbidden, problems::Conflict)`.

use axum::http::StatusCode;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{IntoResponses, ToSchema};

/// An RFC 9457 problem document, as every error of the API is answered
/// (`application/problem+json`). `title` and `detail` follow the caller's language.
#[derive(Serialize, ToSchema)]
pub struct ProblemSchema {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    #[schema(example = "about:blank")]
    pub kind: String,
    pub title: String,
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    pub detail: String,
    /// With 409 and 422: each field that is wrong, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

/// One field of a request that was refused.
#[derive(Serialize, ToSchema)]
pub struct ProblemField {
    /// The field: a property name (`name`), a path into the body (`domains[2].level`), a
    /// property with the item it concerns (`level-financien`), or `form` for the request as a
    /// whole.
    pub field: String,
    /// A stable code to act on, e.g. `error-required`.
    pub code: String,
    /// The same in words, in the caller's language.
    pub message: String,
}

/// What each problem status means in this API. One table, so the document and the tests agree.
pub const MEANINGS: &[(u16, &str)] = &[
    (
        400,
        "The request cannot be read: the body is not JSON, or the query string does not fit its parameters' types.",
    ),
    (
        401,
        "No bearer token, or one that is unknown, revoked or expired, or whose user is deactivated.",
    ),
    (
        403,
        "The caller may not do this (for example: no team of theirs serves the client, or an analyst asking for a record). Every refusal is audited.",
    ),
    (
        404,
        "No such record; also answered for an id that is not a whole number of 1 or more.",
    ),
    (
        409,
        "The request is valid, but refers to something that does not exist or may not be used here (a team, user, catalogue entry, instrument item or activity without an agreement), or clashes with the record as it is now (an open trajectory, a number already registered, a change made meanwhile). `errors` names the field.",
    ),
    (
        412,
        "`If-Match` names a version that is no longer current: read the record again.",
    ),
    (413, "The request body is larger than 1 MiB."),
    (
        415,
        "The request body is not sent as `application/json` (or a `+json` type).",
    ),
    (
        422,
        "The request breaks a rule its schema states: a missing or unknown field, a wrong type, a value out of range or not in the list. `errors` lists each field with a code and a message.",
    ),
    (
        428,
        "This change needs `If-Match` with the version it was based on.",
    ),
    (
        429,
        "Too many attempts in a short time; `Retry-After` says when to try again.",
    ),
];

/// The description of a problem status, as the document gives it.
pub fn meaning(status: u16) -> &'static str {
    MEANINGS
        .iter()
        .find(|(s, _)| *s == status)
        .map(|(_, m)| *m)
        .unwrap_or("A problem with the request.")
}

/// A problem response with its shared description and the problem schema.
pub fn response(status: u16) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(meaning(status))
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ProblemSchema")))
                .build(),
        )
        .build()
        .into()
}

fn responses(statuses: &[u16]) -> BTreeMap<String, RefOr<Response>> {
    statuses
        .iter()
        .map(|s| (s.to_string(), response(*s)))
        .collect()
}

/// 403: the handler checks who may do this.
pub struct Forbidden;

impl IntoResponses for Forbidden {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses(&[403])
    }
}

/// 409: the handler checks the request against what is stored (see [`classify`]).
pub struct Conflict;

impl IntoResponses for Conflict {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses(&[409])
    }
}

/// 412 and 428: a conditional write that needs `If-Match`.
pub struct Preconditions;

impl IntoResponses for Preconditions {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        responses(&[412, 428])
    }
}

/// Field errors that depend on what is stored, not on the request: the body keeps every rule
/// its schema states, but names something that does not exist or may not be used here, or
/// clashes with the record as it is now. The pages show them like any other message; the API
/// answers them with their own status, so that 422 keeps meaning "this request breaks a stated
/// rule". A field ending in `-` matches every field with that prefix (`reason-wassen`).
const STATE: &[(&str, &str, StatusCode)] = &[
    (
        "team_ids",
        "error-client-team-not-yours",
        StatusCode::CONFLICT,
    ),
    // A team that does not exist (or no longer serves anyone) to serve a client.
    ("team_ids", "error-choice-unknown", StatusCode::CONFLICT),
    ("bsn", "error-bsn-taken", StatusCode::CONFLICT),
    (
        "coordinator_id",
        "error-coordinator-not-on-team",
        StatusCode::CONFLICT,
    ),
    ("form", "error-trajectory-active", StatusCode::CONFLICT),
    ("form", "error-trajectory-closed", StatusCode::CONFLICT),
    ("form", "error-plan-changed-meanwhile", StatusCode::CONFLICT),
    ("domains", "error-domain-missing", StatusCode::CONFLICT),
    ("domains", "error-domain-unknown", StatusCode::CONFLICT),
    ("life_domains", "error-choice-unknown", StatusCode::CONFLICT),
    ("activities", "error-choice-unknown", StatusCode::CONFLICT),
    ("activity", "error-choice-unknown", StatusCode::CONFLICT),
    ("aid_ids", "error-choice-unknown", StatusCode::CONFLICT),
    ("catalogue_id", "error-choice-unknown", StatusCode::CONFLICT),
    (
        "responsible",
        "error-responsible-absent",
        StatusCode::CONFLICT,
    ),
    ("user_id", "error-choice-unknown", StatusCode::CONFLICT),
    ("user_id", "error-team-member-already", StatusCode::CONFLICT),
    ("given", "error-choice-unknown", StatusCode::CONFLICT),
    // More support than the agreement in force, without a reason: the agreement is stored.
    ("reason-", "error-visit-reason", StatusCode::CONFLICT),
    // A visit dated before its trajectory started: the start date is stored.
    ("date", "error-visit-before-start", StatusCode::CONFLICT),
    // Closing: what the trajectory's phase, start and plan allow.
    (
        "option",
        "error-closure-stopped-early-only",
        StatusCode::CONFLICT,
    ),
    ("goals", "error-closure-goal-open", StatusCode::CONFLICT),
    ("goals", "error-goal-unknown", StatusCode::CONFLICT),
    ("scores", "error-goal-unknown", StatusCode::CONFLICT),
    // An assessment dated before its trajectory started: the start date is stored.
    ("date", "error-date-before-start", StatusCode::CONFLICT),
    // The goal in the path does not exist.
    ("goal", "error-goal-unknown", StatusCode::NOT_FOUND),
];

/// Errors that only follow from others: a visit whose every activity was refused is also
/// empty. They do not decide the status on their own.
const CONSEQUENTIAL: &[(&str, &str)] = &[("given", "error-visit-empty")];

fn matches(pattern: &str, field: &str) -> bool {
    if pattern.ends_with('-') {
        field.starts_with(pattern) && field.len() > pattern.len()
    } else {
        pattern == field
    }
}

/// The status, title and detail an API answer with these field errors gets, when it is not
/// the 422 the domain reported: 409 (or 404) when every error is about stored state.
pub fn classify(
    status: StatusCode,
    fields: &[(String, &'static str)],
) -> Option<(StatusCode, &'static str, &'static str)> {
    if status != StatusCode::UNPROCESSABLE_ENTITY {
        return None;
    }
    let mut decided = None;
    for (field, key) in fields {
        if CONSEQUENTIAL.contains(&(field.as_str(), *key)) {
            continue;
        }
        let state = STATE
            .iter()
            .find(|(f, k, _)| k == key && matches(f, field))
            .map(|(_, _, s)| *s)?;
        // 404 wins: the record in the path does not exist, whatever else is wrong.
        if decided != Some(StatusCode::NOT_FOUND) {
            decided = Some(state);
        }
    }
    match decided? {
        StatusCode::NOT_FOUND => Some((
            StatusCode::NOT_FOUND,
            "error-not-found-title",
            "error-not-found-detail",
        )),
        other => Some((other, "error-state-title", "error-state-detail")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(list: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
        list.iter().map(|(f, k)| (f.to_string(), *k)).collect()
    }

    #[test]
    fn only_state_errors_make_a_conflict() {
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        let conflict = classify(
            unprocessable,
            &fields(&[("coordinator_id", "error-coordinator-not-on-team")]),
        );
        assert_eq!(conflict.map(|c| c.0), Some(StatusCode::CONFLICT));
        // A broken rule among them keeps the 422.
        let mixed = fields(&[
            ("activity", "error-choice-unknown"),
            ("support", "error-support-range"),
        ]);
        assert_eq!(classify(unprocessable, &mixed), None);
        // The same key on an enum field is a broken rule.
        let choice = fields(&[("expressed_by", "error-choice-unknown")]);
        assert_eq!(classify(unprocessable, &choice), None);
        assert_eq!(classify(StatusCode::FORBIDDEN, &[]), None);
        assert_eq!(classify(unprocessable, &[]), None);
    }

    #[test]
    fn consequences_and_prefixes_are_understood() {
        let refused_visit = fields(&[
            ("given", "error-choice-unknown"),
            ("given", "error-visit-empty"),
        ]);
        assert_eq!(
            classify(StatusCode::UNPROCESSABLE_ENTITY, &refused_visit).map(|c| c.0),
            Some(StatusCode::CONFLICT)
        );
        let empty = fields(&[("given", "error-visit-empty")]);
        assert_eq!(classify(StatusCode::UNPROCESSABLE_ENTITY, &empty), None);
        let reason = fields(&[("reason-wassen", "error-visit-reason")]);
        assert!(classify(StatusCode::UNPROCESSABLE_ENTITY, &reason).is_some());
        let unknown_goal = fields(&[("goal", "error-goal-unknown")]);
        assert_eq!(
            classify(StatusCode::UNPROCESSABLE_ENTITY, &unknown_goal).map(|c| c.0),
            Some(StatusCode::NOT_FOUND)
        );
    }

    #[test]
    fn every_listed_status_has_a_meaning() {
        for status in [400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429] {
            assert_ne!(meaning(status), meaning(999), "{status}");
        }
    }
}
