//! Extractors whose rejections speak our JSON error shape.
use axum::extract::{FromRequest, FromRequestParts};

use crate::{error::AppError, msg};

/// `axum::Json`, but malformed bodies answer `{"error":{…}}`, and a body with a NUL in one of
/// its strings is refused before any handler sees it: PostgreSQL cannot store or even compare
/// text holding NUL, so such a string would otherwise fail deep inside a query. A string holding
/// an invisible or direction-changing character ([`crate::text::has_hidden`]) is refused here
/// too, with 422 naming its field, so that no field of any body can forget the check.
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::Bytes::from_request(axum::extract::Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|r| {
                if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge
                } else {
                    AppError::bad_request("invalid_body", msg!("body_unreadable", detail = r.body_text()))
                }
            })?;
        if has_nul_escape(&bytes) {
            return Err(AppError::bad_request("invalid_body", msg!("body_nul")));
        }
        if let Some(field) = hidden_field(&bytes) {
            return Err(AppError::field(&field, crate::text::HIDDEN_MESSAGE));
        }
        let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Json(value))
    }
}

/// A raw request body (a file, a roster sheet). Reading it never fails the request by itself:
/// the handler first checks who is asking and what they ask for, then takes the bytes with
/// [`Upload::bytes`], so that a stranger learns nothing from a 413. Too large answers 413,
/// unreadable 400 `unreadable_body`.
pub struct Upload(Result<axum::body::Bytes, AppError>);

impl Upload {
    /// The body, or why it could not be read.
    pub fn bytes(self) -> Result<axum::body::Bytes, AppError> {
        self.0
    }
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = axum::body::Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::bad_request("unreadable_body", msg!("body_unreadable", detail = r.body_text()))
            }
        });
        Ok(Upload(body))
    }
}

/// Whether JSON text holds the escape `\u0000` (a raw NUL is not valid JSON at all).
fn has_nul_escape(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes.get(i + 1) == Some(&b'u') && bytes.get(i + 2..i + 6) == Some(b"0000".as_slice()) {
                return true;
            }
            // Skip the escaped character, so that `\\u0000` (a backslash, then text) is not taken for one.
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// The path (`title`, `questions[2].options[0]`) of the first string of a JSON body, or of an
/// object key, that holds a hidden character. Bodies of plain ASCII without escapes, most of
/// them, are passed over without being parsed twice; a body that is not JSON is left to the
/// deserializer to refuse.
fn hidden_field(bytes: &[u8]) -> Option<String> {
    if bytes.is_ascii() && !bytes.windows(2).any(|w| w == b"\\u") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    fn walk(v: &serde_json::Value, path: &str) -> Option<String> {
        let at = |key: &str| if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
        match v {
            serde_json::Value::String(s) => crate::text::has_hidden(s).then(|| path.to_owned()),
            serde_json::Value::Array(items) => {
                items.iter().enumerate().find_map(|(i, item)| walk(item, &format!("{path}[{i}]")))
            }
            serde_json::Value::Object(map) => map
                .iter()
                .find_map(|(k, item)| if crate::text::has_hidden(k) { Some(at("(key)")) } else { walk(item, &at(k)) }),
            _ => None,
        }
    }
    walk(&value, "").map(|p| if p.is_empty() { "body".to_owned() } else { p })
}

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// `axum::extract::Query`, but bad query strings answer `{"error":{…}}`.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

/// `axum::extract::Path`, but a malformed id answers 404 in our shape.
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|_| AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{required_text, search_words};

    #[test]
    fn a_nul_escape_is_found_only_where_it_is_one() {
        assert!(has_nul_escape(br#"{"a":"x\u0000y"}"#));
        assert!(has_nul_escape(br#"{"a":"\\\u0000"}"#));
        assert!(!has_nul_escape(br#"{"a":"\\u0000"}"#));
        assert!(!has_nul_escape(br#"{"a":"\u0001 \n"}"#));
    }

    #[test]
    fn a_hidden_character_is_found_in_any_string_and_named_by_its_path() {
        assert_eq!(hidden_field(br#"{"title":"ok","body":"x"}"#), None);
        assert_eq!(hidden_field("{\"title\":\"李\u{202E}书记\"}".as_bytes()).as_deref(), Some("title"));
        assert_eq!(hidden_field(br#"{"title":"a\u202eb"}"#).as_deref(), Some("title"));
        assert_eq!(hidden_field(br#"{"title":"a\\u202eb"}"#), None);
        let nested = br#"{"questions":[{"text":"q","options":["a","b\u200bc"]}]}"#;
        assert_eq!(hidden_field(nested).as_deref(), Some("questions[0].options[1]"));
        assert_eq!(hidden_field(br#""\ufeff""#).as_deref(), Some("body"));
        assert_eq!(hidden_field("{\"a\u{200B}\":1}".as_bytes()).as_deref(), Some("(key)"));
        assert_eq!(hidden_field("{\"body\":\"👩\u{200D}💻\"}".as_bytes()), None);
        assert_eq!(hidden_field(b"{not json \\u202e"), None);
        assert!(required_text("title", "a\u{2066}b", 10).is_err());
        assert!(search_words("q", Some("a\u{200B}")).is_err());
    }
}
