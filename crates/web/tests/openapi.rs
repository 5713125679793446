//! The OpenAPI document is part of the API's contract: any change to it shows up in review as a
//! snapshot diff (`cargo insta review`). Some of its patterns count from today (a date of birth
//! may not lie in the future), so the snapshot is taken as of a fixed day.

#[test]
fn the_openapi_document_matches_the_snapshot() {
    let document = regie_web::api::openapi_at(time::macros::date!(2026 - 06 - 15));
    insta::assert_json_snapshot!("openapi", document);
}
