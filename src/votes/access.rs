//! Who reaches a vote: the caller's roles in its compound, or a written proxy they hold; a draft
//! only for those who may manage votes.
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{lifecycle::advance, rules::may_see};
use crate::{
    auth::Actor,
    entities::{compound, file, proxy, vote},
    error::{AppError, AppResult},
    msg,
    policy::Permission,
};

/// Whether `actor` holds permission `p` in compound `c`.
pub fn allowed(actor: &Actor, c: &compound::Model, p: Permission) -> bool {
    actor.authorize_compound(p, c).is_ok()
}

/// Load a vote with its compound, brought up to date with the clock, and check `p`. Drafts are
/// seen only by those who may manage votes.
pub async fn vote_for(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    p: Permission,
) -> AppResult<(vote::Model, compound::Model)> {
    let v = vote::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let c = compound::Entity::find_by_id(v.compound_id).one(db).await?.ok_or(AppError::NotFound)?;
    // A written proxy may vote for a holder here without a role of their own (a relative, say),
    // so they may also read what they vote on.
    let proxy_reader = p == Permission::ViewVotes
        && actor.roles_in_compound(&c).is_empty()
        && !actor.is_admin()
        && holds_valid_proxy(db, actor, c.id).await?;
    if !proxy_reader {
        actor.authorize_compound(Permission::ViewVotes, &c)?;
    }
    if !may_see(v.status, allowed(actor, &c, Permission::ManageVotes)) {
        return Err(AppError::NotFound);
    }
    if !proxy_reader {
        actor.authorize_compound(p, &c)?;
    }
    let v = advance(db, v).await?;
    Ok((v, c))
}

/// Whether `actor` holds a written proxy for a holder of the compound that is valid now.
async fn holds_valid_proxy(db: &impl ConnectionTrait, actor: &Actor, compound_id: i64) -> AppResult<bool> {
    let now = Utc::now();
    Ok(proxy::Entity::find()
        .filter(proxy::Column::ProxyUserId.eq(actor.user.id))
        .filter(proxy::Column::CompoundId.eq(compound_id))
        .filter(proxy::Column::RevokedAt.is_null())
        // Unset until a second person confirmed it.
        .filter(proxy::Column::CountsFrom.lte(now))
        .filter(proxy::Column::ValidUntil.gte(now))
        .one(db)
        .await?
        .is_some())
}

/// A scan must be a file uploaded to the same compound.
pub async fn check_scan(db: &impl ConnectionTrait, compound_id: i64, scan: Option<i64>) -> AppResult<()> {
    if let Some(id) = scan {
        file::Entity::find_by_id(id)
            .one(db)
            .await?
            .filter(|f| f.compound_id == compound_id)
            .ok_or_else(|| AppError::field("scan_file_id", msg!("vote_scan_not_in_compound")))?;
    }
    Ok(())
}
