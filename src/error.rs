//! The one error type of every operation and its JSON shape; `http::error` renders it.
use std::collections::BTreeMap;

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

    /// The HTTP status, the code and the message this error answers with.
    pub fn parts(&self) -> (u16, &'static str, String) {
        match self {
            AppError::BadRequest { code, message } => (400, code, message.clone()),
            AppError::Validation(fields) => {
                let list: Vec<_> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                (422, "validation_failed", list.join("; "))
            }
            AppError::Rows { message, .. } => (422, "roster_invalid", message.clone()),
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
                (401, code, message.into())
            }
            AppError::Forbidden => (403, "forbidden", "your role does not allow this".into()),
            AppError::Denied { code, message } => (403, code, message.clone()),
            AppError::NotFound => (404, "not_found", "no such resource".into()),
            AppError::Conflict { code, message } => (409, code, message.clone()),
            AppError::TooManyRequests { retry_after_secs } => {
                (429, "too_many_requests", format!("too many attempts; try again in {retry_after_secs} s"))
            }
            AppError::PayloadTooLarge => (413, "payload_too_large", "the request body is too large".into()),
            AppError::Internal(_) => (500, "internal", "internal server error".into()),
        }
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

/// True when a database error is a unique-constraint violation (on SQLite or PostgreSQL).
pub fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

/// Map a unique violation to 409 `code` with `message`; any other database error stays internal.
/// The database guards the invariant (one ballot per holder, one name per community): insert and
/// map, never check and then insert.
pub fn unique_conflict(code: &'static str, message: impl Into<String>) -> impl FnOnce(sea_orm::DbErr) -> AppError {
    move |e| if is_unique_violation(&e) { AppError::conflict(code, message) } else { e.into() }
}
