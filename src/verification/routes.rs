//! `/holders/{id}/links`, `/holders/{id}/invitations`, `/invitations/redeem`.
use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{claim_invitation, create_invitation, finish_invitation, link, unlink};
use crate::{
    auth::{Actor, ClientAddr, find_by_login, ratelimit},
    db::write_txn,
    entities::{compound, holder},
    error::{AppError, AppResult, ErrorBody},
    extract::{Json, Path},
    policy::Permission,
    roster::{HolderView, HoldingView, holder_views, holdings_of},
    state::AppState,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(link_user))
        .routes(routes!(unlink_user))
        .routes(routes!(invite))
        .routes(routes!(redeem))
}

#[derive(Deserialize, ToSchema)]
pub struct LinkRequest {
    /// The account's user name or phone number.
    pub login: String,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationView {
    /// Shown once: only its hash is kept.
    pub code: String,
    pub holder_id: i64,
    pub holder_key: String,
    pub holder_name: String,
    pub compound_name: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema)]
pub struct RedeemRequest {
    pub code: String,
}

async fn holder_for(state: &AppState, actor: &Actor, id: i64) -> AppResult<(holder::Model, compound::Model)> {
    let h = holder::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let c = crate::tenancy::compound_for(&state.db, actor, h.compound_id, Permission::VerifyOwners).await?;
    Ok((h, c))
}

/// Verify an account as this holder's (after checking their documents in person).
#[utoipa::path(post, path = "/holders/{id}/links", tag = "verification", request_body = LinkRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = HolderView), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn link_user(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<LinkRequest>,
) -> AppResult<(StatusCode, Json<HolderView>)> {
    let (h, _) = holder_for(&state, &actor, id).await?;
    let u = find_by_login(&state.db, &req.login)
        .await?
        .ok_or_else(|| AppError::field("login", "no account has this user name or phone number"))?;
    // Nobody verifies themselves: a second person checks the deeds.
    if u.id == actor.user.id {
        return Err(AppError::field("login", "you cannot verify your own account; another person must"));
    }
    let txn = write_txn(&state.db).await?;
    link(&txn, u.id, h.id, "staff", Some(actor.user.id)).await?;
    txn.commit().await?;
    let view = holder_views(&state.db, vec![h]).await?.pop().ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(view)))
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
    let (h, c) = holder_for(&state, &actor, id).await?;
    let txn = write_txn(&state.db).await?;
    unlink(&txn, user_id, &h, actor.user.id, c.community_id).await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Create a one-time invitation code for this holder, to print on a notice.
#[utoipa::path(post, path = "/holders/{id}/invitations", tag = "verification", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = InvitationView), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn invite(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<(StatusCode, Json<InvitationView>)> {
    let (h, c) = holder_for(&state, &actor, id).await?;
    let txn = write_txn(&state.db).await?;
    let (code, inv) = create_invitation(&txn, &h, c.community_id, actor.user.id).await?;
    txn.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(InvitationView {
            code,
            holder_id: h.id,
            holder_key: h.holder_key,
            holder_name: h.name,
            compound_name: c.name,
            expires_at: inv.expires_at,
        }),
    ))
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
    // Counted before the code is looked up, per account and per address, in the database.
    let keys: Vec<String> = std::iter::once(format!("code:account:{}", actor.user.id))
        .chain(addr.map(|ip| ratelimit::address_key("code", ip)))
        .collect();
    for key in &keys {
        ratelimit::attempt(&state.db, key, ratelimit::CODE).await?;
    }
    let txn = write_txn(&state.db).await?;
    let inv = claim_invitation(&txn, &req.code).await?;
    for key in &keys {
        ratelimit::succeeded(&txn, key, false).await?;
    }
    link(&txn, actor.user.id, inv.holder_id, "invitation", None).await?;
    finish_invitation(&txn, &inv, actor.user.id).await?;
    txn.commit().await?;
    holdings_of(&state.db, actor.user.id)
        .await?
        .into_iter()
        .find(|h| h.holder_id == inv.holder_id)
        .map(Json)
        .ok_or(AppError::NotFound)
}
