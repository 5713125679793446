//! The OpenAPI document is part of the API's contract: any change to it shows up in review as a
//! snapshot diff (`cargo insta review`).

#[test]
fn the_openapi_document_matches_the_snapshot() {
    let document = serde_json::to_value(regie_web::api::openapi()).expect("serialisable");
    insta::assert_json_snapshot!("openapi", document);
}
