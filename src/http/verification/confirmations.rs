//! What waits for a second person: staff links, invitation codes and proxies, listed per compound
//! and confirmed one by one. `/compounds/{id}/confirmations`, `/link-requests/{id}/…`,
//! `/invitations/{id}/confirm`.
use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::verification::{self, InvitationState, PendingConfirmation};
use crate::{
    auth::Actor,
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
    roster::HolderView,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_pending_confirmations))
        .routes(routes!(confirm_link))
        .routes(routes!(cancel_link))
        .routes(routes!(confirm_invitation))
}

/// Everything in the compound waiting for a second person: staff links, invitation codes and
/// proxies, oldest first.
#[utoipa::path(get, path = "/compounds/{id}/confirmations", tag = "verification", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PendingConfirmation>), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_pending_confirmations(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<PendingConfirmation>>> {
    Ok(Json(verification::pending_in(&state.db, &actor, id).await?))
}

/// Confirm a staff link as the second person: of another party than the clerk who checked the
/// documents, and not the account itself. The account is linked at once, and casts ballots after
/// 24 hours when a vote is open and the holder has accounts, who are told.
#[utoipa::path(post, path = "/link-requests/{id}/confirm", tag = "verification", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = HolderView), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn confirm_link(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<HolderView>> {
    Ok(Json(verification::confirm_link(&state.db, &actor, id).await?))
}

/// Withdraw a staff link that is still waiting (either party may).
#[utoipa::path(post, path = "/link-requests/{id}/cancel", tag = "verification", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "withdrawn"), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn cancel_link(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<StatusCode> {
    verification::cancel_link(&state.db, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Confirm an invitation code as the second person, of another party than its issuer; only then
/// can it be redeemed, and never by either of the two. The holder's accounts are told.
#[utoipa::path(post, path = "/invitations/{id}/confirm", tag = "verification", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = InvitationState), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn confirm_invitation(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<InvitationState>> {
    Ok(Json(verification::confirm_invitation(&state.db, &actor, id).await?))
}
