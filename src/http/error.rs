//! How an [`AppError`] answers: `{"error":{"code","message","fields"?,"rows"?}}` with its status,
//! and how axum's own rejections become one.
use axum::{
    Json,
    extract::rejection::{JsonRejection, QueryRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::error::{AppError, ErrorBody, ErrorDetail};

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        let (status, code, message) = self.parts();
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry = match &self {
            AppError::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        let (fields, rows) = match self {
            AppError::Validation(f) => (Some(f), None),
            AppError::Rows { rows, .. } => (None, Some(rows)),
            _ => (None, None),
        };
        let body = ErrorBody { error: ErrorDetail { code: code.to_owned(), message, fields, rows } };
        let mut res = (status, Json(body)).into_response();
        if let Some(secs) = retry {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
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
                AppError::bad_request("unsupported_media_type", "expected Content-Type: application/json")
            }
            JsonRejection::JsonSyntaxError(e) => AppError::bad_request("invalid_json", e.body_text()),
            JsonRejection::JsonDataError(e) => AppError::bad_request("invalid_body", e.body_text()),
            other => AppError::bad_request("invalid_body", other.body_text()),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(r: QueryRejection) -> Self {
        AppError::bad_request("invalid_query", r.body_text())
    }
}
