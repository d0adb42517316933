//! The one error type of the API and its JSON shape.
use std::collections::BTreeMap;

use axum::{
    Json,
    extract::rejection::{JsonRejection, QueryRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

/// A problem with one row of an uploaded sheet.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct RowError {
    /// Line number in the file (the header is line 1).
    pub line: u64,
    /// Column the problem is in, when it is about one column.
    pub field: Option<String>,
    pub message: String,
}

/// Body of every error response.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code for programs.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// Per-field messages for validation errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    /// Per-row messages for rejected sheets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<RowError>>,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("validation failed")]
    Validation(BTreeMap<String, String>),
    #[error("{message}")]
    Rows { message: String, rows: Vec<RowError> },
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("forbidden")]
    Forbidden,
    /// Refused for a reason the caller should know (a sealed scan), with its own code.
    #[error("{message}")]
    Denied { code: &'static str, message: String },
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A validation error about one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(BTreeMap::from([(field.to_owned(), message.into())]))
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Conflict { code, message: message.into() }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        AppError::BadRequest { code, message: message.into() }
    }

    pub fn denied(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Denied { code, message: message.into() }
    }

    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            AppError::BadRequest { code, message } => (StatusCode::BAD_REQUEST, code, message.clone()),
            AppError::Validation(fields) => {
                let list: Vec<_> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", list.join("; "))
            }
            AppError::Rows { message, .. } => (StatusCode::UNPROCESSABLE_ENTITY, "roster_invalid", message.clone()),
            AppError::Unauthorized(code) => {
                let message = match *code {
                    "invalid_credentials" => "wrong user name, phone number or password",
                    "token_expired" => "the access token has expired; refresh it or sign in again",
                    "invalid_token" => "the token is not valid; sign in again",
                    "refresh_token_reused" => {
                        "this refresh token was already used, so the session was ended; sign in again"
                    }
                    _ => "sign in first",
                };
                (StatusCode::UNAUTHORIZED, code, message.into())
            }
            AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", "your role does not allow this".into()),
            AppError::Denied { code, message } => (StatusCode::FORBIDDEN, code, message.clone()),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", "no such resource".into()),
            AppError::Conflict { code, message } => (StatusCode::CONFLICT, code, message.clone()),
            AppError::TooManyRequests { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                format!("too many attempts; try again in {retry_after_secs} s"),
            ),
            AppError::PayloadTooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the request body is too large".into())
            }
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal server error".into()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        let (status, code, message) = self.parts();
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

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(e: sea_orm::TransactionError<AppError>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(e) => e.into(),
            sea_orm::TransactionError::Transaction(e) => e,
        }
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

/// True when a database error is a unique-constraint violation (on SQLite or PostgreSQL).
pub fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}
