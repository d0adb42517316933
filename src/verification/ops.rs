//! The steps of verifying an owner, each in its own transaction: a staff link asked for,
//! confirmed or withdrawn, an invitation code issued, confirmed and redeemed, a link undone.
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, prelude::Expr,
};
use serde_json::json;

use super::rules::{InvitationStatus, LinkRequestStatus, already_confirmed};
use super::views::{InvitationState, InvitationView, Pending, PendingConfirmation, pending_views};
use super::{Confirmed, acting_party, check_redeemer, check_second_person, claim_invitation, create_invitation};
use super::{finish_invitation, link, tell_holder, unlink};
use crate::{
    audit,
    auth::{Actor, find_by_login, ratelimit},
    db::{claim, write_txn},
    entities::{compound, holder, invitation, link_request, owner_link, proxy, user},
    error::{AppError, AppResult},
    msg,
    policy::Permission,
    roster::{HolderView, HoldingView, holder_subject, holder_views, holdings_of},
    tenancy::compound_for,
};

/// Holder `id` and its compound, where `actor` verifies owners.
async fn holder_for(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<(holder::Model, compound::Model)> {
    let h = holder::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let c = compound_for(db, actor, h.compound_id, Permission::VerifyOwners).await?;
    Ok((h, c))
}

/// The account `login` names, which `actor` may ask to link to holder `holder_id`: another
/// person's, not yet linked.
async fn account_to_link(
    db: &impl ConnectionTrait,
    actor: &Actor,
    holder_id: i64,
    login: &str,
) -> AppResult<user::Model> {
    let u = find_by_login(db, login).await?.ok_or_else(|| AppError::field("login", msg!("login_unknown")))?;
    // Nobody verifies themselves: a second person checks the deeds.
    if u.id == actor.user.id {
        return Err(AppError::field("login", msg!("verify_own_account")));
    }
    let linked = owner_link::Entity::find()
        .filter(owner_link::Column::HolderId.eq(holder_id))
        .filter(owner_link::Column::UserId.eq(u.id))
        .count(db)
        .await?;
    if linked > 0 {
        return Err(AppError::conflict("already_linked", msg!("already_linked")));
    }
    Ok(u)
}

/// A link request neither confirmed nor withdrawn.
fn request_waiting() -> Condition {
    Condition::all().add(link_request::Column::ConfirmedAt.is_null()).add(link_request::Column::CancelledAt.is_null())
}

/// Refuse a second request to link account `user_id` to holder `holder_id` while one waits.
async fn check_not_waiting(db: &impl ConnectionTrait, holder_id: i64, user_id: i64) -> AppResult<()> {
    let waiting = link_request::Entity::find()
        .filter(link_request::Column::HolderId.eq(holder_id))
        .filter(link_request::Column::UserId.eq(user_id))
        .filter(request_waiting())
        .count(db)
        .await?;
    if waiting > 0 {
        return Err(AppError::conflict("link_pending", msg!("link_pending")));
    }
    Ok(())
}

/// Ask to verify the account `login` as holder `holder_id`'s, after checking the documents in
/// person; the link waits for a second person of another party.
pub async fn request_link(
    db: &DatabaseConnection,
    actor: &Actor,
    holder_id: i64,
    login: &str,
) -> AppResult<PendingConfirmation> {
    let (h, c) = holder_for(db, actor, holder_id).await?;
    let party = acting_party(actor, &c, Permission::VerifyOwners)?;
    let u = account_to_link(db, actor, h.id, login).await?;
    let txn = write_txn(db).await?;
    check_not_waiting(&txn, h.id, u.id).await?;
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
    let detail = json!({ "request": r.id, "user": u.id, "party": party.as_str() });
    audit::note(&txn, Some(actor.user.id), &holder_subject(h.id, &c), "owner.link_requested", detail).await?;
    txn.commit().await?;
    pending_views(db, actor, &c, vec![Pending::of_link(&r)]).await?.pop().ok_or(AppError::NotFound)
}

/// Link request `id` and its compound, while it still waits.
async fn waiting_request(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> AppResult<(link_request::Model, compound::Model)> {
    let r = link_request::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let c = compound_for(db, actor, r.compound_id, Permission::VerifyOwners).await?;
    LinkRequestStatus::of(r.confirmed_at, r.cancelled_at).check_waiting()?;
    Ok((r, c))
}

/// Confirm link request `id` as the second person; the account is linked at once.
pub async fn confirm_link(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<HolderView> {
    let (r, c) = waiting_request(db, actor, id).await?;
    let party = Some(r.requested_party.as_str());
    check_second_person(actor, &c, Permission::VerifyOwners, r.requested_by, party, Some(r.user_id))?;
    let txn = write_txn(db).await?;
    let confirm = link_request::Entity::update_many()
        .col_expr(link_request::Column::ConfirmedAt, Expr::value(Utc::now()))
        .col_expr(link_request::Column::ConfirmedBy, Expr::value(actor.user.id))
        .filter(link_request::Column::Id.eq(r.id))
        .filter(request_waiting());
    claim(&txn, confirm, already_confirmed).await?;
    let how = Confirmed { method: "staff", verified_by: Some(r.requested_by), confirmed_by: Some(actor.user.id) };
    link(&txn, r.user_id, r.holder_id, how).await?;
    txn.commit().await?;
    let h = holder::Entity::find_by_id(r.holder_id).one(db).await?.ok_or(AppError::NotFound)?;
    holder_views(db, vec![h]).await?.pop().ok_or(AppError::NotFound)
}

/// Withdraw link request `id` while it waits (either party may).
pub async fn cancel_link(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<()> {
    let (r, c) = waiting_request(db, actor, id).await?;
    let txn = write_txn(db).await?;
    let cancel = link_request::Entity::update_many()
        .col_expr(link_request::Column::CancelledAt, Expr::value(Utc::now()))
        .col_expr(link_request::Column::CancelledBy, Expr::value(actor.user.id))
        .filter(link_request::Column::Id.eq(r.id))
        .filter(request_waiting());
    claim(&txn, cancel, already_confirmed).await?;
    let detail = json!({ "request": r.id, "user": r.user_id });
    audit::note(&txn, Some(actor.user.id), &holder_subject(r.holder_id, &c), "owner.link_withdrawn", detail).await?;
    txn.commit().await?;
    Ok(())
}

/// Withdraw account `user_id`'s verification for holder `holder_id`.
pub async fn unlink_account(db: &DatabaseConnection, actor: &Actor, holder_id: i64, user_id: i64) -> AppResult<()> {
    let (h, c) = holder_for(db, actor, holder_id).await?;
    let txn = write_txn(db).await?;
    unlink(&txn, user_id, &h, &c, actor.user.id).await?;
    txn.commit().await?;
    Ok(())
}

/// Issue a one-time invitation code for holder `holder_id`, to be confirmed by a second person.
pub async fn invite(db: &DatabaseConnection, actor: &Actor, holder_id: i64) -> AppResult<InvitationView> {
    let (h, c) = holder_for(db, actor, holder_id).await?;
    let party = acting_party(actor, &c, Permission::VerifyOwners)?;
    let txn = write_txn(db).await?;
    let (code, inv) = create_invitation(&txn, &h, &c, actor.user.id, party).await?;
    txn.commit().await?;
    Ok(InvitationView {
        id: inv.id,
        code,
        confirmed: false,
        holder_id: h.id,
        holder_key: h.holder_key,
        holder_name: h.name,
        compound_name: c.name,
        expires_at: inv.expires_at,
    })
}

/// Confirm invitation `id` as the second person; the holder's accounts are told.
pub async fn confirm_invitation(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<InvitationState> {
    let inv = invitation::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let (h, c) = holder_for(db, actor, inv.holder_id).await?;
    InvitationStatus::at(Utc::now(), inv.expires_at, inv.confirmed_at, inv.redeemed_at).check_confirm()?;
    check_second_person(actor, &c, Permission::VerifyOwners, inv.created_by, inv.issuer_party.as_deref(), None)?;
    let now = Utc::now();
    let txn = write_txn(db).await?;
    let confirm = invitation::Entity::update_many()
        .col_expr(invitation::Column::ConfirmedAt, Expr::value(now))
        .col_expr(invitation::Column::ConfirmedBy, Expr::value(actor.user.id))
        .filter(invitation::Column::Id.eq(inv.id))
        .filter(invitation::Column::ConfirmedAt.is_null());
    claim(&txn, confirm, already_confirmed).await?;
    let detail = json!({ "invitation": inv.id, "issued_by": inv.created_by });
    audit::note(&txn, Some(actor.user.id), &holder_subject(h.id, &c), "owner.invitation_confirmed", detail).await?;
    tell_holder(&txn, &c, h.id, &[], "holder_invitation", json!({ "holder": h.holder_key })).await?;
    txn.commit().await?;
    Ok(InvitationState {
        id: inv.id,
        holder_id: h.id,
        holder_key: h.holder_key,
        expires_at: inv.expires_at,
        confirmed_at: Some(now),
    })
}

/// Redeem invitation `code` for `actor`, who becomes a verified owner of its holder's units.
pub async fn redeem(
    db: &DatabaseConnection,
    actor: &Actor,
    addr: Option<IpAddr>,
    code: &str,
) -> AppResult<HoldingView> {
    // Counted before the code is looked up, per account and per address, in the database.
    let keys = ratelimit::code_attempt(db, Some(format!("code:account:{}", actor.user.id)), addr).await?;
    let txn = write_txn(db).await?;
    let inv = claim_invitation(&txn, code).await?;
    for key in &keys {
        ratelimit::succeeded(&txn, key, false).await?;
    }
    check_redeemer(&inv, actor.user.id)?;
    let how = Confirmed { method: "invitation", verified_by: None, confirmed_by: inv.confirmed_by };
    link(&txn, actor.user.id, inv.holder_id, how).await?;
    finish_invitation(&txn, &inv, actor.user.id).await?;
    txn.commit().await?;
    holdings_of(db, actor.user.id).await?.into_iter().find(|h| h.holder_id == inv.holder_id).ok_or(AppError::NotFound)
}

/// Invitation codes of compound `c` waiting for a second person at `now`.
async fn waiting_codes(
    db: &impl ConnectionTrait,
    c: &compound::Model,
    now: DateTime<Utc>,
) -> AppResult<Vec<invitation::Model>> {
    let holders_here = holder::Entity::find()
        .select_only()
        .column(holder::Column::Id)
        .filter(holder::Column::CompoundId.eq(c.id))
        .into_query();
    Ok(invitation::Entity::find()
        .filter(invitation::Column::HolderId.in_subquery(holders_here))
        .filter(invitation::Column::ConfirmedAt.is_null())
        .filter(invitation::Column::RedeemedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .all(db)
        .await?)
}

/// Proxies of compound `c` waiting for a second person at `now`.
async fn waiting_proxies(
    db: &impl ConnectionTrait,
    c: &compound::Model,
    now: DateTime<Utc>,
) -> AppResult<Vec<proxy::Model>> {
    Ok(proxy::Entity::find()
        .filter(proxy::Column::CompoundId.eq(c.id))
        .filter(proxy::Column::ConfirmedAt.is_null())
        .filter(proxy::Column::RevokedAt.is_null())
        .filter(proxy::Column::ValidUntil.gt(now))
        .order_by_asc(proxy::Column::Id)
        .all(db)
        .await?)
}

/// Everything in compound `compound_id` waiting for a second person: staff links, invitation
/// codes and proxies, oldest first.
pub async fn pending_in(
    db: &impl ConnectionTrait,
    actor: &Actor,
    compound_id: i64,
) -> AppResult<Vec<PendingConfirmation>> {
    let c = compound_for(db, actor, compound_id, Permission::VerifyOwners).await?;
    let now = Utc::now();
    let links = link_request::Entity::find()
        .filter(link_request::Column::CompoundId.eq(c.id))
        .filter(request_waiting())
        .all(db)
        .await?;
    let mut items: Vec<Pending> = links.iter().map(Pending::of_link).collect();
    items.extend(waiting_codes(db, &c, now).await?.iter().map(Pending::of_invitation));
    items.extend(waiting_proxies(db, &c, now).await?.iter().map(Pending::of_proxy));
    items.sort_by_key(|i| i.requested_at);
    pending_views(db, actor, &c, items).await
}
