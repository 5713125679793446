//! The JSON request body of every API operation, read the same way everywhere so that the
//! statuses the OpenAPI document promises for a body hold for each of them: 415 when it is not
//! sent as JSON, 413 when it is larger than [`BODY_LIMIT`], 400 when it is not JSON at all, and
//! 422 with the offending field when its values do not fit the request's type.

use crate::AppError;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::marker::PhantomData;

/// The largest request body the API reads. The largest real body, an assessment of every life
/// domain with notes, stays well under 300 KiB even with every character escaped.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Like `axum::Json`, but with RFC 9457 rejections that name the field, and in two steps:
/// whether the body is JSON at all (415, 413, 400) is answered before the handler runs; whether
/// its values fit (422) only when the handler [`reads`](ApiJson::read) it, after the access
/// check, so someone refused learns nothing from validation and is answered 403.
pub struct ApiJson<T> {
    value: Value,
    read_as: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> ApiJson<T> {
    /// The body's values as `T`, or a 422 naming the field that does not fit.
    pub fn read(self) -> Result<T, AppError> {
        serde_path_to_error::deserialize(self.value).map_err(bad_value)
    }
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        if !is_json(request.headers()) {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes =
            Bytes::from_request(request, state)
                .await
                .map_err(|rejection| match rejection {
                    BytesRejection::FailedToBufferBody(e)
                        if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
                    {
                        AppError::TooLarge
                    }
                    _ => AppError::Malformed,
                })?;
        let mut value: Value = serde_json::from_slice(&bytes).map_err(|_| AppError::Malformed)?;
        whole_numbers(&mut value);
        Ok(ApiJson {
            value,
            read_as: PhantomData,
        })
    }
}

/// `application/json`, or a `+json` type, with any parameters.
fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// JSON Schema counts `3.0` as an integer, so the API does too: a number without a fraction is
/// read as the integer it is.
fn whole_numbers(value: &mut Value) {
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() < 9.2e18
            {
                // In range and without a fraction, so the conversion is exact.
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// Names the field serde stopped at, so the problem document can point at it.
fn bad_value(error: serde_path_to_error::Error<serde_json::Error>) -> AppError {
    let path = error.path().to_string();
    let message = error.inner().to_string();
    let within = |name: &str| {
        if path == "." {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(within)
    };
    if let Some(field) = named("missing field `") {
        AppError::BadValue {
            field,
            key: "error-required",
        }
    } else if message.starts_with("unknown field `") {
        // The path already ends in the unknown field.
        AppError::BadValue {
            field: path,
            key: "error-json-unknown-field",
        }
    } else {
        AppError::BadValue {
            field: if path == "." { String::new() } else { path },
            key: "error-json-value",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_floats_become_integers_and_fractions_stay() {
        let mut value =
            serde_json::json!({"a": 3.0, "b": [1.5, -0.0, 2e3], "c": 1e300, "d": "4.0"});
        whole_numbers(&mut value);
        assert_eq!(
            value,
            serde_json::json!({"a": 3, "b": [1.5, 0, 2000], "c": 1e300, "d": "4.0"})
        );
    }

    #[test]
    fn large_whole_floats_are_read_exactly() {
        let mut value: Value = serde_json::from_str(r#"{"id": 4093426626856294.0}"#).unwrap();
        whole_numbers(&mut value);
        assert_eq!(value["id"], 4093426626856294i64);
    }

    #[test]
    fn json_types_are_recognised_with_parameters() {
        let with = |v: &'static str| {
            let mut headers = axum::http::HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, v.parse().unwrap());
            is_json(&headers)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(with("application/merge-patch+json"));
        assert!(!with("text/plain"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!is_json(&axum::http::HeaderMap::new()));
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        inner: Vec<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        level: u8,
    }

    fn field_of(value: Value) -> (String, &'static str) {
        match serde_path_to_error::deserialize::<_, Outer>(value).map_err(bad_value) {
            Err(AppError::BadValue { field, key }) => (field, key),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn value_errors_name_the_field() {
        use serde_json::json;
        assert_eq!(
            field_of(json!({"inner": []})),
            ("name".into(), "error-required")
        );
        assert_eq!(
            field_of(json!({"name": "x", "inner": [{"level": 1}, {"level": 300}]})),
            ("inner[1].level".into(), "error-json-value")
        );
        assert_eq!(
            field_of(json!({"name": "x", "inner": [{"level": 1, "kleur": 2}]})),
            ("inner[0].kleur".into(), "error-json-unknown-field")
        );
        assert_eq!(
            field_of(json!("tekst")),
            (String::new(), "error-json-value")
        );
    }
}
