//! What waits for a second person: staff links, invitation codes and proxies, listed per compound
//! and confirmed one by one. `/compounds/{id}/confirmations`, `/link-requests/{id}/…`,
//! `/invitations/{id}/confirm`.
use std::collections::HashMap;

use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, prelude::Expr,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::verification::PendingKind;
use crate::verification::{Confirmed, check_second_person, link, rules, tell_holder};
use crate::{
    accounts::user_names,
    audit::{self, Event},
    auth::Actor,
    db::write_txn,
    entities::{compound, holder, invitation, link_request, proxy},
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
    policy::{PartyKind, Permission},
    roster::{HolderView, holder_views},
    tenancy::compound_for,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_pending))
        .routes(routes!(confirm_link))
        .routes(routes!(cancel_link))
        .routes(routes!(confirm_invitation))
}

/// A link, code or proxy started by one person and waiting for a second of another party.
#[derive(Serialize, ToSchema)]
pub struct PendingConfirmation {
    pub kind: PendingKind,
    /// The link request's, invitation's or proxy's id.
    pub id: i64,
    pub compound_id: i64,
    pub holder_id: i64,
    pub holder_key: String,
    pub holder_name: String,
    /// The account that would gain the right: the one to link, or the proxy. A code names none
    /// until it is used.
    pub account_id: Option<i64>,
    pub account_name: Option<String>,
    pub requested_by: i64,
    pub requested_by_name: String,
    pub requested_party: Option<PartyKind>,
    pub requested_at: DateTime<Utc>,
    /// A proxy's period.
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    /// Whether the caller may confirm it; when not, `refusal` says why (`own_request`,
    /// `same_party`, `own_account`, `party_required`).
    pub can_confirm: bool,
    pub refusal: Option<String>,
}

/// One pending item before names are attached.
pub struct Pending {
    pub kind: PendingKind,
    pub id: i64,
    pub holder_id: i64,
    pub account_id: Option<i64>,
    pub requested_by: i64,
    pub requested_party: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub period: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Pending {
    pub fn of_link(r: &link_request::Model) -> Self {
        Pending {
            kind: PendingKind::Link,
            id: r.id,
            holder_id: r.holder_id,
            account_id: Some(r.user_id),
            requested_by: r.requested_by,
            requested_party: Some(r.requested_party.clone()),
            requested_at: r.requested_at,
            period: None,
        }
    }

    pub fn of_invitation(i: &invitation::Model) -> Self {
        Pending {
            kind: PendingKind::Invitation,
            id: i.id,
            holder_id: i.holder_id,
            account_id: None,
            requested_by: i.created_by,
            requested_party: i.issuer_party.clone(),
            requested_at: i.created_at,
            period: None,
        }
    }

    pub fn of_proxy(p: &proxy::Model) -> Self {
        Pending {
            kind: PendingKind::Proxy,
            id: p.id,
            holder_id: p.holder_id,
            account_id: Some(p.proxy_user_id),
            requested_by: p.created_by,
            requested_party: p.registrar_party.clone(),
            requested_at: p.created_at,
            period: Some((p.valid_from, p.valid_until)),
        }
    }
}

/// The permission a kind is confirmed with: proxies by those who handle ballots.
fn permission(kind: PendingKind) -> Permission {
    match kind {
        PendingKind::Proxy => Permission::CountPaper,
        PendingKind::Link | PendingKind::Invitation => Permission::VerifyOwners,
    }
}

/// Describe pending items of compound `c` for `actor`, in a fixed number of queries.
pub async fn pending_views(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &compound::Model,
    items: Vec<Pending>,
) -> AppResult<Vec<PendingConfirmation>> {
    let holders: HashMap<i64, holder::Model> = holder::Entity::find()
        .filter(holder::Column::Id.is_in(items.iter().map(|i| i.holder_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let people: Vec<i64> = items.iter().flat_map(|i| std::iter::once(i.requested_by).chain(i.account_id)).collect();
    let names = user_names(db, people).await?;
    let roles = actor.roles_in_compound(c);
    Ok(items
        .into_iter()
        .map(|i| {
            let party = i.requested_party.as_deref().and_then(PartyKind::parse);
            let mine = rules::parties(&roles, permission(i.kind));
            let verdict = match party {
                Some(k) => rules::second_person(i.requested_by, k, actor.user.id, &mine, i.account_id),
                None => Err(rules::Refusal::SameParty),
            };
            let h = holders.get(&i.holder_id);
            PendingConfirmation {
                kind: i.kind,
                id: i.id,
                compound_id: c.id,
                holder_id: i.holder_id,
                holder_key: h.map(|h| h.holder_key.clone()).unwrap_or_default(),
                holder_name: h.map(|h| h.name.clone()).unwrap_or_default(),
                account_id: i.account_id,
                account_name: i.account_id.and_then(|a| names.get(&a).cloned()),
                requested_by: i.requested_by,
                requested_by_name: names.get(&i.requested_by).cloned().unwrap_or_default(),
                requested_party: party,
                requested_at: i.requested_at,
                valid_from: i.period.map(|p| p.0),
                valid_until: i.period.map(|p| p.1),
                can_confirm: verdict.is_ok(),
                refusal: verdict.err().map(|r| r.code().to_owned()),
            }
        })
        .collect())
}

/// Everything in the compound waiting for a second person: staff links, invitation codes and
/// proxies, oldest first.
#[utoipa::path(get, path = "/compounds/{id}/confirmations", tag = "verification", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PendingConfirmation>), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_pending(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<PendingConfirmation>>> {
    let c = compound_for(&state.db, &actor, id, Permission::VerifyOwners).await?;
    let now = Utc::now();
    let links = link_request::Entity::find()
        .filter(link_request::Column::CompoundId.eq(c.id))
        .filter(link_request::Column::ConfirmedAt.is_null())
        .filter(link_request::Column::CancelledAt.is_null())
        .all(&state.db)
        .await?;
    let holders_here = holder::Entity::find()
        .select_only()
        .column(holder::Column::Id)
        .filter(holder::Column::CompoundId.eq(c.id))
        .into_query();
    let codes = invitation::Entity::find()
        .filter(invitation::Column::HolderId.in_subquery(holders_here))
        .filter(invitation::Column::ConfirmedAt.is_null())
        .filter(invitation::Column::RedeemedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .all(&state.db)
        .await?;
    let proxies = proxy::Entity::find()
        .filter(proxy::Column::CompoundId.eq(c.id))
        .filter(proxy::Column::ConfirmedAt.is_null())
        .filter(proxy::Column::RevokedAt.is_null())
        .filter(proxy::Column::ValidUntil.gt(now))
        .order_by_asc(proxy::Column::Id)
        .all(&state.db)
        .await?;
    let mut items: Vec<Pending> = links.iter().map(Pending::of_link).collect();
    items.extend(codes.iter().map(Pending::of_invitation));
    items.extend(proxies.iter().map(Pending::of_proxy));
    items.sort_by_key(|i| i.requested_at);
    Ok(Json(pending_views(&state.db, &actor, &c, items).await?))
}

async fn open_request(state: &AppState, actor: &Actor, id: i64) -> AppResult<(link_request::Model, compound::Model)> {
    let r = link_request::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let c = compound_for(&state.db, actor, r.compound_id, Permission::VerifyOwners).await?;
    if r.cancelled_at.is_some() {
        return Err(AppError::conflict("request_cancelled", "this request was withdrawn"));
    }
    if r.confirmed_at.is_some() {
        return Err(AppError::conflict("already_confirmed", "this has already been confirmed"));
    }
    Ok((r, c))
}

/// Confirm a staff link as the second person: of another party than the clerk who checked the
/// documents, and not the account itself. The account is linked at once, and casts ballots after
/// 24 hours when a vote is open and the holder has accounts, who are told.
#[utoipa::path(post, path = "/link-requests/{id}/confirm", tag = "verification", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = HolderView), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn confirm_link(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<HolderView>> {
    let (r, c) = open_request(&state, &actor, id).await?;
    check_second_person(
        &actor,
        &c,
        Permission::VerifyOwners,
        r.requested_by,
        Some(&r.requested_party),
        Some(r.user_id),
    )?;
    let txn = write_txn(&state.db).await?;
    let done = link_request::Entity::update_many()
        .col_expr(link_request::Column::ConfirmedAt, Expr::value(Utc::now()))
        .col_expr(link_request::Column::ConfirmedBy, Expr::value(actor.user.id))
        .filter(link_request::Column::Id.eq(r.id))
        .filter(link_request::Column::ConfirmedAt.is_null())
        .filter(link_request::Column::CancelledAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::conflict("already_confirmed", "this has already been confirmed"));
    }
    let how = Confirmed { method: "staff", verified_by: Some(r.requested_by), confirmed_by: Some(actor.user.id) };
    link(&txn, r.user_id, r.holder_id, how).await?;
    txn.commit().await?;
    let h = holder::Entity::find_by_id(r.holder_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    Ok(Json(holder_views(&state.db, vec![h]).await?.pop().ok_or(AppError::NotFound)?))
}

/// Withdraw a staff link that is still waiting (either party may).
#[utoipa::path(post, path = "/link-requests/{id}/cancel", tag = "verification", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "withdrawn"), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn cancel_link(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<StatusCode> {
    let (r, c) = open_request(&state, &actor, id).await?;
    let txn = write_txn(&state.db).await?;
    let done = link_request::Entity::update_many()
        .col_expr(link_request::Column::CancelledAt, Expr::value(Utc::now()))
        .col_expr(link_request::Column::CancelledBy, Expr::value(actor.user.id))
        .filter(link_request::Column::Id.eq(r.id))
        .filter(link_request::Column::ConfirmedAt.is_null())
        .filter(link_request::Column::CancelledAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::conflict("already_confirmed", "this has already been confirmed"));
    }
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "owner.link_withdrawn",
            community_id: Some(c.community_id),
            compound_id: Some(c.id),
            subject: format!("holder:{}", r.holder_id),
            detail: json!({ "request": r.id, "user": r.user_id }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An invitation code's state, without the code.
#[derive(Serialize, ToSchema)]
pub struct InvitationState {
    pub id: i64,
    pub holder_id: i64,
    pub holder_key: String,
    pub expires_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
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
    let inv = invitation::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let h = holder::Entity::find_by_id(inv.holder_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let c = compound_for(&state.db, &actor, h.compound_id, Permission::VerifyOwners).await?;
    if inv.redeemed_at.is_some() {
        return Err(AppError::conflict("invitation_used", "this invitation code has already been used"));
    }
    if inv.expires_at < Utc::now() {
        return Err(AppError::conflict("invitation_expired", "this invitation code has expired"));
    }
    if inv.confirmed_at.is_some() {
        return Err(AppError::conflict("already_confirmed", "this has already been confirmed"));
    }
    check_second_person(&actor, &c, Permission::VerifyOwners, inv.created_by, inv.issuer_party.as_deref(), None)?;
    let now = Utc::now();
    let txn = write_txn(&state.db).await?;
    let done = invitation::Entity::update_many()
        .col_expr(invitation::Column::ConfirmedAt, Expr::value(now))
        .col_expr(invitation::Column::ConfirmedBy, Expr::value(actor.user.id))
        .filter(invitation::Column::Id.eq(inv.id))
        .filter(invitation::Column::ConfirmedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::conflict("already_confirmed", "this has already been confirmed"));
    }
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "owner.invitation_confirmed",
            community_id: Some(c.community_id),
            compound_id: Some(c.id),
            subject: format!("holder:{}", h.id),
            detail: json!({ "invitation": inv.id, "issued_by": inv.created_by }),
        },
    )
    .await?;
    tell_holder(
        &txn,
        &c,
        h.id,
        &[],
        "holder_invitation",
        format!("已为 {} 签发一个业主认证邀请码", h.holder_key),
        "凭此码注册或认证的账号将成为本户的认证业主。如非本户申请，请立即联系社区居委会。".into(),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(InvitationState {
        id: inv.id,
        holder_id: h.id,
        holder_key: h.holder_key,
        expires_at: inv.expires_at,
        confirmed_at: Some(now),
    }))
}
