//! `/holders/{id}/links`, `/holders/{id}/invitations`, `/invitations/redeem`.
mod confirmations;
mod recovery;

use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::verification::{self, InvitationView, LinkRequest, PendingConfirmation, RedeemRequest};
use crate::{
    auth::{Actor, ClientAddr},
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
    roster::HoldingView,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(confirmations::router())
        .merge(recovery::router())
        .routes(routes!(link_user))
        .routes(routes!(unlink_user))
        .routes(routes!(invite))
        .routes(routes!(redeem))
}

/// Ask to verify an account as this holder's, after checking their documents in person. The link
/// waits for a second person of another party to confirm it (`/link-requests/{id}/confirm`).
#[utoipa::path(post, path = "/holders/{id}/links", tag = "verification", request_body = LinkRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 202, body = PendingConfirmation), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn link_user(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<LinkRequest>,
) -> AppResult<(StatusCode, Json<PendingConfirmation>)> {
    Ok((StatusCode::ACCEPTED, Json(verification::request_link(&state.db, &actor, id, &req.login).await?)))
}

/// Withdraw an account's verification for this holder.
#[utoipa::path(delete, path = "/holders/{id}/links/{user_id}", tag = "verification", security(("bearer" = [])),
    params(("id" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 204, description = "unlinked"), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn unlink_user(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, user_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    verification::unlink_account(&state.db, &actor, id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Create a one-time invitation code for this holder, to print on a notice. It can be redeemed once
/// a second person of another party has confirmed it (`/invitations/{id}/confirm`).
#[utoipa::path(post, path = "/holders/{id}/invitations", tag = "verification", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = InvitationView), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn invite(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<(StatusCode, Json<InvitationView>)> {
    Ok((StatusCode::CREATED, Json(verification::invite(&state.db, &actor, id).await?)))
}

/// Redeem an invitation code: the signed-in account becomes a verified owner of the holder's units.
#[utoipa::path(post, path = "/invitations/redeem", tag = "verification", request_body = RedeemRequest,
    security(("bearer" = [])),
    responses((status = 200, body = HoldingView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 429, body = ErrorBody)))]
async fn redeem(
    State(state): State<AppState>,
    actor: Actor,
    ClientAddr(addr): ClientAddr,
    Json(req): Json<RedeemRequest>,
) -> AppResult<Json<HoldingView>> {
    Ok(Json(verification::redeem(&state.db, &actor, addr, &req.code).await?))
}
