//! Verifying owners: linking an account to a roster holder, by staff or by a one-time
//! invitation code printed on a notice.
mod routes;

use chrono::{Duration, Utc};
use rand::Rng;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, prelude::Expr,
};
use serde_json::json;
use sha2::{Digest, Sha256};

pub use routes::router;

use crate::{
    accounts::{Scope, grant},
    audit::{self, Event},
    entities::{compound, holder, invitation, membership, owner_link},
    error::{AppError, AppResult, is_unique_violation},
    policy::Role,
};

/// How long a printed invitation code stays valid.
pub const INVITATION_TTL_DAYS: i64 = 30;

/// No 0/O, 1/I/L: codes are read off paper by elderly owners.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A fresh code like `K7QM-4XPA`: 8 symbols of 31, about 40 bits, single use and expiring, and
/// redemption attempts are rate-limited.
pub fn new_code() -> String {
    let mut rng = rand::rng();
    let s: String = (0..8).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
    format!("{}-{}", &s[..4], &s[4..])
}

/// The stored form of a code: its hash, after forgiving case, spaces and dashes.
pub fn code_hash(code: &str) -> String {
    let norm: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    hex::encode(Sha256::digest(norm.as_bytes()))
}

/// Find a usable invitation for `code`.
pub async fn claim_invitation(db: &impl ConnectionTrait, code: &str) -> AppResult<invitation::Model> {
    let inv = invitation::Entity::find()
        .filter(invitation::Column::CodeHash.eq(code_hash(code)))
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("code", "is not a valid invitation code"))?;
    if inv.redeemed_at.is_some() {
        return Err(AppError::conflict("invitation_used", "this invitation code has already been used"));
    }
    if inv.expires_at < Utc::now() {
        return Err(AppError::field("code", "has expired; ask the community office for a new one"));
    }
    Ok(inv)
}

/// Mark an invitation used by `user_id`. The update is conditional, so two racing redemptions
/// cannot both succeed.
pub async fn finish_invitation(db: &impl ConnectionTrait, inv: &invitation::Model, user_id: i64) -> AppResult<()> {
    let done = invitation::Entity::update_many()
        .col_expr(invitation::Column::RedeemedAt, Expr::value(Utc::now()))
        .col_expr(invitation::Column::RedeemedBy, Expr::value(user_id))
        .filter(invitation::Column::Id.eq(inv.id))
        .filter(invitation::Column::RedeemedAt.is_null())
        .exec(db)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::conflict("invitation_used", "this invitation code has already been used"));
    }
    Ok(())
}

/// Link `user_id` to a holder as a verified owner, grant the owner role in its compound, and
/// record it.
pub async fn link(
    db: &impl ConnectionTrait,
    user_id: i64,
    holder_id: i64,
    method: &str,
    verified_by: Option<i64>,
) -> AppResult<owner_link::Model> {
    let h = holder::Entity::find_by_id(holder_id).one(db).await?.ok_or(AppError::NotFound)?;
    let c = compound::Entity::find_by_id(h.compound_id).one(db).await?.ok_or(AppError::NotFound)?;
    let l = owner_link::Entity::insert(owner_link::ActiveModel {
        user_id: Set(user_id),
        holder_id: Set(holder_id),
        method: Set(method.into()),
        verified_by: Set(verified_by),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::conflict("already_linked", "this account is already verified for this holder")
        } else {
            e.into()
        }
    })?;
    grant(
        db,
        user_id,
        Role::Owner,
        Scope { community_id: Some(c.community_id), compound_id: Some(c.id), party_id: None },
    )
    .await?;
    audit::record(
        db,
        Event {
            actor_id: verified_by.or(Some(user_id)),
            action: "owner.linked",
            community_id: Some(c.community_id),
            compound_id: Some(c.id),
            subject: format!("holder:{holder_id}"),
            detail: json!({ "user": user_id, "method": method }),
        },
    )
    .await?;
    Ok(l)
}

/// Undo a link; the owner role in the compound goes when the user holds nothing else there.
pub async fn unlink(
    db: &impl ConnectionTrait,
    user_id: i64,
    h: &holder::Model,
    by: i64,
    community_id: i64,
) -> AppResult<()> {
    let gone = owner_link::Entity::delete_many()
        .filter(owner_link::Column::UserId.eq(user_id))
        .filter(owner_link::Column::HolderId.eq(h.id))
        .exec(db)
        .await?;
    if gone.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    let holders_here: Vec<i64> = holder::Entity::find()
        .filter(holder::Column::CompoundId.eq(h.compound_id))
        .all(db)
        .await?
        .into_iter()
        .map(|h| h.id)
        .collect();
    let still = owner_link::Entity::find()
        .filter(owner_link::Column::UserId.eq(user_id))
        .filter(owner_link::Column::HolderId.is_in(holders_here))
        .count(db)
        .await?;
    if still == 0 {
        membership::Entity::delete_many()
            .filter(membership::Column::UserId.eq(user_id))
            .filter(membership::Column::Role.eq(Role::Owner.as_str()))
            .filter(membership::Column::CompoundId.eq(h.compound_id))
            .exec(db)
            .await?;
    }
    audit::record(
        db,
        Event {
            actor_id: Some(by),
            action: "owner.unlinked",
            community_id: Some(community_id),
            compound_id: Some(h.compound_id),
            subject: format!("holder:{}", h.id),
            detail: json!({ "user": user_id }),
        },
    )
    .await?;
    Ok(())
}

/// Store a new invitation for a holder and return its code (shown once, stored only hashed).
pub async fn create_invitation(
    db: &impl ConnectionTrait,
    h: &holder::Model,
    community_id: i64,
    by: i64,
) -> AppResult<(String, invitation::Model)> {
    let code = new_code();
    let now = Utc::now();
    let inv = invitation::Entity::insert(invitation::ActiveModel {
        holder_id: Set(h.id),
        code_hash: Set(code_hash(&code)),
        created_by: Set(by),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(INVITATION_TTL_DAYS)),
        redeemed_by: Set(None),
        redeemed_at: Set(None),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    audit::record(
        db,
        Event {
            actor_id: Some(by),
            action: "owner.invitation_created",
            community_id: Some(community_id),
            compound_id: Some(h.compound_id),
            subject: format!("holder:{}", h.id),
            detail: json!({ "invitation": inv.id, "expires_at": inv.expires_at }),
        },
    )
    .await?;
    Ok((code, inv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_forgiving() {
        let c = new_code();
        assert_eq!(c.len(), 9);
        assert!(c.chars().all(|ch| ch == '-' || ALPHABET.contains(&(ch as u8))));
        assert_eq!(code_hash(&c), code_hash(&c.to_lowercase().replace('-', " ")));
        assert_ne!(code_hash("AAAA-AAAA"), code_hash("AAAA-AAAB"));
    }

    #[test]
    fn codes_differ() {
        let a: std::collections::HashSet<String> = (0..1000).map(|_| new_code()).collect();
        assert_eq!(a.len(), 1000);
    }
}
