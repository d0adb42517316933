//! `/holders/{id}/links`, `/holders/{id}/invitations`, `/invitations/redeem`.
mod confirmations;
mod recovery;

use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::verification::{
    Confirmed, acting_party, check_redeemer, claim_invitation, create_invitation, finish_invitation, link, unlink,
};
use crate::{
    audit::{self, Event},
    auth::{Actor, ClientAddr, find_by_login, ratelimit},
    db::write_txn,
    entities::{compound, holder, link_request, owner_link},
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
    policy::Permission,
    roster::{HoldingView, holdings_of},
};
use confirmations::{Pending, PendingConfirmation, pending_views};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(confirmations::router())
        .merge(recovery::router())
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
    pub id: i64,
    /// Shown once: only its hash is kept. It can be used once a second person of another party
    /// has confirmed it.
    pub code: String,
    pub confirmed: bool,
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
    let (h, c) = holder_for(&state, &actor, id).await?;
    let party = acting_party(&actor, &c, Permission::VerifyOwners)?;
    let u = find_by_login(&state.db, &req.login)
        .await?
        .ok_or_else(|| AppError::field("login", "no account has this user name or phone number"))?;
    // Nobody verifies themselves: a second person checks the deeds.
    if u.id == actor.user.id {
        return Err(AppError::field("login", "you cannot verify your own account; another person must"));
    }
    let linked = owner_link::Entity::find()
        .filter(owner_link::Column::HolderId.eq(h.id))
        .filter(owner_link::Column::UserId.eq(u.id))
        .count(&state.db)
        .await?;
    if linked > 0 {
        return Err(AppError::conflict("already_linked", "this account is already verified for this holder"));
    }
    let txn = write_txn(&state.db).await?;
    let waiting = link_request::Entity::find()
        .filter(link_request::Column::HolderId.eq(h.id))
        .filter(link_request::Column::UserId.eq(u.id))
        .filter(link_request::Column::ConfirmedAt.is_null())
        .filter(link_request::Column::CancelledAt.is_null())
        .count(&txn)
        .await?;
    if waiting > 0 {
        return Err(AppError::conflict(
            "link_pending",
            "this account is already waiting to be confirmed for this holder",
        ));
    }
    let r = link_request::Entity::insert(link_request::ActiveModel {
        compound_id: Set(c.id),
        holder_id: Set(h.id),
        user_id: Set(u.id),
        requested_by: Set(actor.user.id),
        requested_party: Set(party.as_str().into()),
        requested_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "owner.link_requested",
            community_id: Some(c.community_id),
            compound_id: Some(c.id),
            subject: format!("holder:{}", h.id),
            detail: json!({ "request": r.id, "user": u.id, "party": party.as_str() }),
        },
    )
    .await?;
    txn.commit().await?;
    let view =
        pending_views(&state.db, &actor, &c, vec![Pending::of_link(&r)]).await?.pop().ok_or(AppError::NotFound)?;
    Ok((StatusCode::ACCEPTED, Json(view)))
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
    let (h, c) = holder_for(&state, &actor, id).await?;
    let party = acting_party(&actor, &c, Permission::VerifyOwners)?;
    let txn = write_txn(&state.db).await?;
    let (code, inv) = create_invitation(&txn, &h, c.community_id, actor.user.id, party).await?;
    txn.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(InvitationView {
            id: inv.id,
            code,
            confirmed: false,
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
    check_redeemer(&inv, actor.user.id)?;
    let how = Confirmed { method: "invitation", verified_by: None, confirmed_by: inv.confirmed_by };
    link(&txn, actor.user.id, inv.holder_id, how).await?;
    finish_invitation(&txn, &inv, actor.user.id).await?;
    txn.commit().await?;
    holdings_of(&state.db, actor.user.id)
        .await?
        .into_iter()
        .find(|h| h.holder_id == inv.holder_id)
        .map(Json)
        .ok_or(AppError::NotFound)
}
