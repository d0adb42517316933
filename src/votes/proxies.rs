//! Written proxies: registered by a clerk, confirmed by a second person of another party, revoked
//! by the holder or by staff. A confirmed proxy votes for the holder in the period it names.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, prelude::Expr,
};
use serde_json::json;

use super::{access::check_scan, views::*};
use crate::{
    accounts::user_names,
    audit::{self, Subject},
    auth::{Actor, find_by_login},
    db::{claim, write_txn},
    entities::{compound, holder, owner_link, proxy},
    error::{AppError, AppResult},
    msg,
    policy::Permission,
    tenancy::compound_for,
    text::optional_text,
    verification,
};

/// A proxy as the audit trail names it: by the holder it speaks for, in its compound.
struct ProxyFor<'a> {
    holder_id: i64,
    compound: &'a compound::Model,
}

impl Subject for ProxyFor<'_> {
    fn subject(&self) -> String {
        format!("holder:{}", self.holder_id)
    }

    fn community_id(&self) -> Option<i64> {
        Some(self.compound.community_id)
    }

    fn compound_id(&self) -> Option<i64> {
        Some(self.compound.id)
    }
}

/// Proxies as the registry shows them, with the names and keys they refer to.
async fn proxy_views(db: &impl ConnectionTrait, ps: Vec<proxy::Model>) -> AppResult<Vec<ProxyView>> {
    let names =
        user_names(db, ps.iter().flat_map(|p| [p.proxy_user_id].into_iter().chain(p.confirmed_by)).collect::<Vec<_>>())
            .await?;
    let keys: HashMap<i64, String> = holder::Entity::find()
        .filter(holder::Column::Id.is_in(ps.iter().map(|p| p.holder_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h.holder_key))
        .collect();
    Ok(ps
        .into_iter()
        .map(|p| ProxyView {
            id: p.id,
            compound_id: p.compound_id,
            holder_id: p.holder_id,
            holder_key: keys.get(&p.holder_id).cloned().unwrap_or_default(),
            proxy_user_id: p.proxy_user_id,
            proxy_name: names.get(&p.proxy_user_id).cloned().unwrap_or_default(),
            valid_from: p.valid_from,
            valid_until: p.valid_until,
            note: p.note,
            scan_file_id: p.scan_file_id,
            revoked_at: p.revoked_at,
            confirmed_at: p.confirmed_at,
            confirmed_by_name: p.confirmed_by.and_then(|u| names.get(&u).cloned()),
            counts_from: p.counts_from,
        })
        .collect())
}

/// Register a written proxy. It waits for a second person of another party to confirm it; then
/// the proxy may vote for the holder in the period it names.
pub async fn register(
    db: &DatabaseConnection,
    actor: &Actor,
    compound_id: i64,
    req: &NewProxy,
) -> AppResult<ProxyView> {
    let c = compound_for(db, actor, compound_id, Permission::CountPaper).await?;
    let party = verification::acting_party(actor, &c, Permission::CountPaper)?;
    let h = holder::Entity::find_by_id(req.holder_id)
        .one(db)
        .await?
        .filter(|h| h.compound_id == c.id)
        .ok_or_else(|| AppError::field("holder_id", msg!("proxy_holder_not_in_compound")))?;
    let proxy_user = find_by_login(db, &req.proxy_login)
        .await?
        .ok_or_else(|| AppError::field("proxy_login", msg!("proxy_login_unknown")))?;
    // A clerk never registers a proxy that makes themselves the voter.
    if proxy_user.id == actor.user.id {
        return Err(AppError::field("proxy_login", msg!("proxy_naming_yourself")));
    }
    if req.valid_until <= req.valid_from || req.valid_until <= Utc::now() {
        return Err(AppError::field("valid_until", msg!("proxy_until_invalid")));
    }
    let note = optional_text("note", req.note.as_deref(), 500)?;
    check_scan(db, c.id, req.scan_file_id).await?;
    let txn = write_txn(db).await?;
    let p = proxy::Entity::insert(proxy::ActiveModel {
        compound_id: Set(c.id),
        holder_id: Set(h.id),
        proxy_user_id: Set(proxy_user.id),
        valid_from: Set(req.valid_from),
        valid_until: Set(req.valid_until),
        note: Set(note),
        created_by: Set(actor.user.id),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        revoked_by: Set(None),
        scan_file_id: Set(req.scan_file_id),
        registrar_party: Set(Some(party.as_str().into())),
        confirmed_by: Set(None),
        confirmed_at: Set(None),
        counts_from: Set(None),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    let detail = json!({
        "proxy": p.id, "proxy_user": proxy_user.id, "from": p.valid_from, "until": p.valid_until,
        "party": party.as_str(),
    });
    audit::note(&txn, Some(actor.user.id), &ProxyFor { holder_id: h.id, compound: &c }, "proxy.registered", detail)
        .await?;
    txn.commit().await?;
    proxy_views(db, vec![p]).await?.pop().ok_or(AppError::NotFound)
}

/// The compound's proxy registry, newest first.
pub async fn registry(db: &DatabaseConnection, actor: &Actor, compound_id: i64) -> AppResult<Vec<ProxyView>> {
    let c = compound_for(db, actor, compound_id, Permission::CountPaper).await?;
    let ps = proxy::Entity::find()
        .filter(proxy::Column::CompoundId.eq(c.id))
        .order_by_desc(proxy::Column::Id)
        .all(db)
        .await?;
    proxy_views(db, ps).await
}

/// Confirm a proxy as the second person: of another party than its registrar, and not the proxy.
/// It casts from `valid_from`, or 24 hours after confirmation when a vote of the compound is open
/// and the holder has accounts; the holder's accounts and the proxy are told.
pub async fn confirm(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<ProxyView> {
    let p = proxy::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let c = compound_for(db, actor, p.compound_id, Permission::CountPaper).await?;
    if p.revoked_at.is_some() {
        return Err(AppError::conflict("proxy_revoked", msg!("proxy_revoked")));
    }
    if p.confirmed_at.is_some() {
        return Err(AppError::conflict("already_confirmed", msg!("proxy_already_confirmed")));
    }
    verification::check_second_person(
        actor,
        &c,
        Permission::CountPaper,
        p.created_by,
        p.registrar_party.as_deref(),
        Some(p.proxy_user_id),
    )?;
    let txn = write_txn(db).await?;
    let counts_from =
        verification::settling(&txn, c.id, p.holder_id).await?.map_or(p.valid_from, |t| t.max(p.valid_from));
    let update = proxy::Entity::update_many()
        .col_expr(proxy::Column::ConfirmedAt, Expr::value(Utc::now()))
        .col_expr(proxy::Column::ConfirmedBy, Expr::value(actor.user.id))
        .col_expr(proxy::Column::CountsFrom, Expr::value(counts_from))
        .filter(proxy::Column::Id.eq(p.id))
        .filter(proxy::Column::ConfirmedAt.is_null())
        .filter(proxy::Column::RevokedAt.is_null());
    claim(&txn, update, || AppError::conflict("already_confirmed", msg!("proxy_already_confirmed"))).await?;
    let detail = json!({ "proxy": p.id, "registered_by": p.created_by, "counts_from": counts_from });
    audit::note(
        &txn,
        Some(actor.user.id),
        &ProxyFor { holder_id: p.holder_id, compound: &c },
        "proxy.confirmed",
        detail,
    )
    .await?;
    tell_of_confirmation(&txn, &c, &p, counts_from).await?;
    txn.commit().await?;
    let p = proxy::Entity::find_by_id(p.id).one(db).await?.ok_or(AppError::NotFound)?;
    proxy_views(db, vec![p]).await?.pop().ok_or(AppError::NotFound)
}

/// Tell the holder's accounts and the proxy that the proxy now votes for the holder.
async fn tell_of_confirmation(
    db: &impl ConnectionTrait,
    c: &compound::Model,
    p: &proxy::Model,
    counts_from: chrono::DateTime<Utc>,
) -> AppResult<()> {
    let key = holder::Entity::find_by_id(p.holder_id).one(db).await?.map(|h| h.holder_key).unwrap_or_default();
    let proxy_name = user_names(db, [p.proxy_user_id]).await?.remove(&p.proxy_user_id).unwrap_or_default();
    verification::tell_holder(
        db,
        c,
        p.holder_id,
        &[p.proxy_user_id],
        "holder_proxy",
        json!({ "holder": key, "proxy": proxy_name, "counts_from": counts_from, "valid_until": p.valid_until }),
    )
    .await
}

/// Revoke a proxy: by the holder (a verified owner of it) or by staff.
pub async fn revoke(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<ProxyView> {
    let p = proxy::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let c = compound::Entity::find_by_id(p.compound_id).one(db).await?.ok_or(AppError::NotFound)?;
    let is_holder = owner_link::Entity::find()
        .filter(owner_link::Column::UserId.eq(actor.user.id))
        .filter(owner_link::Column::HolderId.eq(p.holder_id))
        .one(db)
        .await?
        .is_some();
    if !is_holder {
        actor.authorize_compound(Permission::CountPaper, &c)?;
    }
    if p.revoked_at.is_some() {
        return Err(AppError::conflict("proxy_revoked", msg!("proxy_revoked")));
    }
    let txn = write_txn(db).await?;
    let mut am: proxy::ActiveModel = p.clone().into();
    am.revoked_at = Set(Some(Utc::now()));
    am.revoked_by = Set(Some(actor.user.id));
    let p = am.update(&txn).await?;
    let detail = json!({ "proxy": p.id, "by_holder": is_holder });
    audit::note(&txn, Some(actor.user.id), &ProxyFor { holder_id: p.holder_id, compound: &c }, "proxy.revoked", detail)
        .await?;
    let key = holder::Entity::find_by_id(p.holder_id).one(&txn).await?.map(|h| h.holder_key).unwrap_or_default();
    verification::tell_holder(
        &txn,
        &c,
        p.holder_id,
        &[p.proxy_user_id],
        "holder_proxy_revoked",
        json!({ "holder": key }),
    )
    .await?;
    txn.commit().await?;
    proxy_views(db, vec![p]).await?.pop().ok_or(AppError::NotFound)
}
