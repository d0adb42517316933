//! The one error type of every operation and its JSON shape; `http::error` renders it.
use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    i18n::{Lang, Msg},
    msg,
};

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
    BadRequest { code: &'static str, message: Msg },
    #[error("validation failed")]
    Validation(BTreeMap<String, Msg>),
    /// A rejected sheet: its rows' messages are already in the reader's language.
    #[error("{message}")]
    Rows { message: Msg, rows: Vec<RowError> },
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("forbidden")]
    Forbidden,
    /// Refused for a reason the caller should know (a sealed scan), with its own code.
    #[error("{message}")]
    Denied { code: &'static str, message: Msg },
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    Conflict { code: &'static str, message: Msg },
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

/// Go on when `allowed`, else refuse with 403: for a rule that decides who may act on an
/// object the caller can already see.
pub fn require(allowed: bool) -> AppResult<()> {
    if allowed { Ok(()) } else { Err(AppError::Forbidden) }
}

impl AppError {
    /// A validation error about one field.
    pub fn field(field: &str, message: impl Into<Msg>) -> Self {
        AppError::Validation(BTreeMap::from([(field.to_owned(), message.into())]))
    }

    pub fn conflict(code: &'static str, message: impl Into<Msg>) -> Self {
        AppError::Conflict { code, message: message.into() }
    }

    pub fn bad_request(code: &'static str, message: impl Into<Msg>) -> Self {
        AppError::BadRequest { code, message: message.into() }
    }

    pub fn denied(code: &'static str, message: impl Into<Msg>) -> Self {
        AppError::Denied { code, message: message.into() }
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::BadRequest { .. } => 400,
            AppError::Validation(_) | AppError::Rows { .. } => 422,
            AppError::Unauthorized(_) => 401,
            AppError::Forbidden | AppError::Denied { .. } => 403,
            AppError::NotFound => 404,
            AppError::Conflict { .. } => 409,
            AppError::TooManyRequests { .. } => 429,
            AppError::PayloadTooLarge => 413,
            AppError::Internal(_) => 500,
        }
    }

    /// The stable code programs read.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest { code, .. } | AppError::Denied { code, .. } | AppError::Conflict { code, .. } => code,
            AppError::Validation(_) => "validation_failed",
            AppError::Rows { .. } => "roster_invalid",
            AppError::Unauthorized(code) => code,
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::Internal(_) => "internal",
        }
    }

    /// The message for a person who reads `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::BadRequest { message, .. }
            | AppError::Rows { message, .. }
            | AppError::Denied { message, .. }
            | AppError::Conflict { message, .. } => message.render(lang),
            AppError::Validation(fields) => {
                let items = fields.iter().map(|(field, m)| {
                    msg!("validation_item", field = field_label(field, lang), message = m.render(lang)).render(lang)
                });
                items.collect::<Vec<_>>().join(&msg!("list_separator").render(lang))
            }
            AppError::Unauthorized(code) => match *code {
                "invalid_credentials" => msg!("invalid_credentials"),
                "token_expired" => msg!("token_expired"),
                "invalid_token" => msg!("invalid_token"),
                "refresh_token_reused" => msg!("refresh_token_reused"),
                _ => msg!("unauthorized"),
            }
            .render(lang),
            AppError::Forbidden => msg!("forbidden").render(lang),
            AppError::NotFound => msg!("not_found").render(lang),
            AppError::TooManyRequests { retry_after_secs } => {
                msg!("too_many_requests", seconds = retry_after_secs).render(lang)
            }
            AppError::PayloadTooLarge => msg!("payload_too_large").render(lang),
            AppError::Internal(_) => msg!("internal").render(lang),
        }
    }

    /// Each field's message for a person who reads `lang`, for a validation error.
    pub fn fields(&self, lang: Lang) -> Option<BTreeMap<String, String>> {
        match self {
            AppError::Validation(fields) => Some(fields.iter().map(|(k, m)| (k.clone(), m.render(lang))).collect()),
            _ => None,
        }
    }

    /// The whole body this error answers with, for a person who reads `lang`.
    pub fn body(&self, lang: Lang) -> ErrorBody {
        let rows = match self {
            AppError::Rows { rows, .. } => Some(rows.clone()),
            _ => None,
        };
        let detail =
            ErrorDetail { code: self.code().to_owned(), message: self.message(lang), fields: self.fields(lang), rows };
        ErrorBody { error: detail }
    }
}

/// A request field by the name people know it by: `candidates[2]` is a candidate.
fn field_label(field: &str, lang: Lang) -> String {
    let base = field.split('[').next().unwrap_or(field);
    crate::i18n::render(lang, &format!("field.{base}"), |_| None).unwrap_or_else(|| field.to_owned())
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
pub fn unique_conflict(code: &'static str, message: impl Into<Msg>) -> impl FnOnce(sea_orm::DbErr) -> AppError {
    move |e| if is_unique_violation(&e) { AppError::conflict(code, message) } else { e.into() }
}
