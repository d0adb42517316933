//! Password recovery without a single key-holder: a one-time code issued by one clerk of the
//! community office and confirmed by a second, neither of them the account nor linked to its
//! holders, handed over in person against the owner's documents. Using it ends every session of
//! the account and tells the holders' accounts; while a vote of the compound is open, the
//! account's links cast only after the settling period.
//!
//! `/users/{id}/recovery-codes`, `/communities/{id}/recovery-codes`,
//! `/recovery-codes/{id}/confirm`, `/auth/recover`.
use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::verification::recovery::{self, RecoverRequest, RecoveryCodeView};
use crate::{
    auth::{Actor, ClientAddr},
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(issue))
        .routes(routes!(list_pending_recovery_codes))
        .routes(routes!(confirm_recovery_code))
        .routes(routes!(recover))
}

/// Issue a one-time recovery code for an account, after checking the owner's documents in person.
/// It works once a second clerk of the community office has confirmed it.
#[utoipa::path(post, path = "/users/{id}/recovery-codes", tag = "auth", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = RecoveryCodeView), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn issue(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<(StatusCode, Json<RecoveryCodeView>)> {
    Ok((StatusCode::CREATED, Json(recovery::issue(&state.db, &actor, id).await?)))
}

/// Recovery codes of the community's accounts waiting for a second clerk, oldest first.
#[utoipa::path(get, path = "/communities/{id}/recovery-codes", tag = "auth", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<RecoveryCodeView>), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_pending_recovery_codes(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<RecoveryCodeView>>> {
    Ok(Json(recovery::pending_in(&state.db, &actor, id).await?))
}

/// Confirm a recovery code as the second clerk of the community office.
#[utoipa::path(post, path = "/recovery-codes/{id}/confirm", tag = "auth", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = RecoveryCodeView), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn confirm_recovery_code(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<RecoveryCodeView>> {
    Ok(Json(recovery::confirm(&state.db, &actor, id).await?))
}

/// Set a new password with a confirmed recovery code. Every session of the account ends, and the
/// accounts of its holders are told; while a vote of the compound is open, the account votes for
/// its holders only after the settling period.
#[utoipa::path(post, path = "/auth/recover", tag = "auth", request_body = RecoverRequest,
    responses((status = 204, description = "password set; sign in with it"), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn recover(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(req): Json<RecoverRequest>,
) -> AppResult<StatusCode> {
    recovery::recover(&state.db, &state.hasher, addr, &req).await?;
    Ok(StatusCode::NO_CONTENT)
}
