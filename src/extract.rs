//! Extractors whose rejections speak our JSON error shape.
use axum::extract::{FromRequest, FromRequestParts};

use crate::error::AppError;

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
                    AppError::bad_request("invalid_body", r.body_text())
                }
            })?;
        if has_nul_escape(&bytes) {
            return Err(AppError::bad_request("invalid_body", "text in the body must not contain NUL characters"));
        }
        if let Some(field) = hidden_field(&bytes) {
            return Err(AppError::field(&field, crate::text::HIDDEN_MESSAGE));
        }
        let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Json(value))
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

/// The language the caller reads, from `Accept-Language`: Chinese when its first choice is
/// Chinese, English otherwise. Messages meant for people (a sheet's bad rows) follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn from_header(value: Option<&str>) -> Lang {
        let first = value.unwrap_or("").split(',').next().unwrap_or("").trim().to_ascii_lowercase();
        if first.starts_with("zh") { Lang::Zh } else { Lang::En }
    }

    /// Pick the text in this language.
    pub fn pick(self, zh: String, en: String) -> String {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        let v = parts.headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        Ok(Lang::from_header(v))
    }
}

/// Trimmed, non-empty text of at most `max` characters, or a validation error naming `field`.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::field(field, "is required"));
    }
    if v.chars().count() > max {
        return Err(AppError::field(field, format!("must be at most {max} characters")));
    }
    if has_control(v) {
        return Err(AppError::field(field, "must not contain control characters"));
    }
    if crate::text::has_hidden(v) {
        return Err(AppError::field(field, crate::text::HIDDEN_MESSAGE));
    }
    Ok(v.to_owned())
}

/// The one cap on every search parameter of the API: at most this many words …
pub const SEARCH_MAX_WORDS: usize = 5;
/// … and this many characters in all.
pub const SEARCH_MAX_CHARS: usize = 100;

/// The words of search parameter `param`; refused with 400 `search_too_long` naming
/// the parameter beyond [`SEARCH_MAX_WORDS`] words or [`SEARCH_MAX_CHARS`] characters, so that no
/// search costs more than a handful of conditions.
pub fn search_words(param: &str, text: Option<&str>) -> Result<Vec<String>, AppError> {
    let text = text.unwrap_or("").trim();
    let words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    if text.chars().count() > SEARCH_MAX_CHARS || words.len() > SEARCH_MAX_WORDS {
        return Err(AppError::bad_request(
            "search_too_long",
            format!("{param}: search with at most {SEARCH_MAX_WORDS} words and {SEARCH_MAX_CHARS} characters"),
        ));
    }
    if words.iter().any(|w| has_control(w)) {
        return Err(AppError::bad_request("invalid_query", format!("{param}: must not contain control characters")));
    }
    if words.iter().any(|w| crate::text::has_hidden(w)) {
        return Err(AppError::bad_request("invalid_query", format!("{param}: {}", crate::text::HIDDEN_MESSAGE)));
    }
    Ok(words)
}

/// Whether text holds a control character other than tab and line breaks. PostgreSQL cannot
/// store NUL in text at all; the others are never typed on purpose.
pub fn has_control(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Like [`required_text`] for optional fields: blank becomes `None`.
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => required_text(field, v, max).map(Some),
    }
}

/// One page of a list, from the `page` (1-based) and `per_page` query values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageWindow {
    pub page: u64,
    pub per_page: u64,
    /// Rows to skip; saturates, so no page number overflows (a page past the end is empty).
    pub offset: u64,
}

/// Bring `page` and `per_page` into range (`per_page` defaults to `default` and is at most `max`).
pub fn page_window(page: Option<i64>, per_page: Option<i64>, default: u64, max: u64) -> PageWindow {
    let per_page = per_page.map_or(default, |p| p.clamp(1, max as i64) as u64);
    let page = page.map_or(1, |p| p.max(1) as u64);
    let offset = (page - 1).saturating_mul(per_page).min(i64::MAX as u64);
    PageWindow { page, per_page, offset }
}

/// A mainland mobile number in canonical form: 11 digits starting with 1 (a leading +86 or 86,
/// spaces and dashes are dropped).
pub fn normalize_phone(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
    let digits = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("0086")).unwrap_or(&digits);
    let digits = if digits.len() == 13 { digits.strip_prefix("86").unwrap_or(digits) } else { digits };
    (digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| digits.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_escape_is_found_only_where_it_is_one() {
        assert!(has_nul_escape(br#"{"a":"x\u0000y"}"#));
        assert!(has_nul_escape(br#"{"a":"\\\u0000"}"#));
        assert!(!has_nul_escape(br#"{"a":"\\u0000"}"#));
        assert!(!has_nul_escape(br#"{"a":"\u0001 \n"}"#));
    }

    #[test]
    fn text_with_a_control_character_is_refused_naming_the_field() {
        assert!(matches!(required_text("title", "a\0b", 10), Err(AppError::Validation(_))));
        assert!(optional_text("note", Some("\u{7}"), 10).is_err());
        assert_eq!(required_text("title", " 第一行\n第二行\t。 ", 10).unwrap(), "第一行\n第二行\t。");
        assert!(has_control("\u{1b}[31m") && !has_control("业主\r\n"));
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

    #[test]
    fn phones_are_brought_to_eleven_digits() {
        assert_eq!(normalize_phone("138 0013 8000").as_deref(), Some("13800138000"));
        assert_eq!(normalize_phone("+86 138-0013-8000").as_deref(), Some("13800138000"));
        assert_eq!(normalize_phone("8613800138000").as_deref(), Some("13800138000"));
        assert_eq!(normalize_phone("2380013800"), None);
        assert_eq!(normalize_phone("1380013800x"), None);
    }

    #[test]
    fn pages_are_brought_into_range_and_never_overflow() {
        assert_eq!(page_window(None, None, 20, 50), PageWindow { page: 1, per_page: 20, offset: 0 });
        assert_eq!(page_window(Some(3), Some(10), 20, 50), PageWindow { page: 3, per_page: 10, offset: 20 });
        assert_eq!(page_window(Some(-5), Some(0), 20, 50), PageWindow { page: 1, per_page: 1, offset: 0 });
        assert_eq!(page_window(Some(2), Some(1000), 20, 50).per_page, 50);
        let far = page_window(Some(i64::MAX), Some(50), 20, 50);
        assert_eq!(far.offset, i64::MAX as u64);
    }

    #[test]
    fn chinese_is_chosen_when_it_comes_first() {
        assert_eq!(Lang::from_header(Some("zh-CN,zh;q=0.9,en;q=0.8")), Lang::Zh);
        assert_eq!(Lang::from_header(Some("en-US,zh-CN;q=0.5")), Lang::En);
        assert_eq!(Lang::from_header(None), Lang::En);
    }

    #[test]
    fn blank_text_is_required_and_long_text_refused() {
        assert!(required_text("name", "  ", 10).is_err());
        assert!(required_text("name", "12345678901", 10).is_err());
        assert_eq!(required_text("name", " 太阳城 ", 10).unwrap(), "太阳城");
        assert_eq!(optional_text("x", Some("  "), 10).unwrap(), None);
    }
}
