//! How an [`AppError`] answers: `{"error":{"code","message","fields"?,"rows"?}}` with its status,
//! and how axum's own rejections become one.
use axum::{
    Json,
    extract::rejection::{JsonRejection, QueryRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use std::sync::Arc;

use crate::{error::AppError, i18n::Lang, msg};

/// The error a response answers with, kept on it until `in_reader_language` knows who reads it.
#[derive(Clone)]
pub struct Answered(pub Arc<AppError>);

/// Answers in English; `language::in_reader_language` writes the body again for a reader of
/// another language.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = (status, Json(self.body(Lang::En))).into_response();
        if let AppError::TooManyRequests { retry_after_secs } = &self {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from((*retry_after_secs).max(1)));
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res.extensions_mut().insert(Answered(Arc::new(self)));
        res
    }
}

impl From<JsonRejection> for AppError {
    fn from(r: JsonRejection) -> Self {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return AppError::PayloadTooLarge;
        }
        match r {
            JsonRejection::MissingJsonContentType(_) => {
                AppError::bad_request("unsupported_media_type", msg!("content_type_json"))
            }
            JsonRejection::JsonSyntaxError(e) => {
                AppError::bad_request("invalid_json", msg!("body_invalid_json", detail = e.body_text()))
            }
            JsonRejection::JsonDataError(e) => {
                AppError::bad_request("invalid_body", msg!("body_invalid", detail = e.body_text()))
            }
            other => AppError::bad_request("invalid_body", msg!("body_invalid", detail = other.body_text())),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(r: QueryRejection) -> Self {
        AppError::bad_request("invalid_query", msg!("query_invalid", detail = r.body_text()))
    }
}
