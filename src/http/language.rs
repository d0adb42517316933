//! The reader's language: the one their account saved, else their `Accept-Language`. Handlers
//! that write text take a [`Lang`]; error bodies are written in it once the request is done.
use std::sync::{Arc, OnceLock};

use axum::{
    Json,
    extract::{FromRequestParts, Request},
    http::{header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::error::Answered;
use crate::i18n::Lang;

/// The language the signed-in caller saved, set by the `Actor` extractor once it has read the
/// account; the request's other extractors and [`in_reader_language`] read it.
#[derive(Clone, Default)]
pub struct SavedLang(Arc<OnceLock<Lang>>);

impl SavedLang {
    pub fn set(parts: &Parts, lang: Option<Lang>) {
        if let (Some(slot), Some(lang)) = (parts.extensions.get::<SavedLang>(), lang) {
            let _ = slot.0.set(lang);
        }
    }
}

fn header_lang(headers: &axum::http::HeaderMap) -> Lang {
    Lang::from_header(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

/// The reader's language. Take it after the `Actor`, so that the account's choice is known.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let saved = parts.extensions.get::<SavedLang>().and_then(|s| s.0.get().copied());
        Ok(saved.unwrap_or_else(|| header_lang(&parts.headers)))
    }
}

/// Write an error's body in the reader's language (handlers answer errors in English).
pub async fn in_reader_language(mut req: Request, next: Next) -> Response {
    let slot = SavedLang::default();
    let asked = header_lang(req.headers());
    req.extensions_mut().insert(slot.clone());
    let mut res = next.run(req).await;
    let lang = slot.0.get().copied().unwrap_or(asked);
    match res.extensions_mut().remove::<Answered>() {
        Some(Answered(error)) if lang != Lang::En => {
            let (mut parts, _) = res.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            let body = Json(error.body(lang)).into_response().into_body();
            Response::from_parts(parts, body)
        }
        _ => res,
    }
}
