//! Opaque refresh tokens: stored hashed, spent on use, and a reused token burns its family.
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use chrono::{Duration, Utc};
use rand::RngCore;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, prelude::Expr};
use sha2::{Digest, Sha256};

use crate::entities::refresh_token;

pub const REFRESH_TTL_DAYS: i64 = 30;

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Why a refresh was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum RefreshError {
    /// Unknown, expired or revoked.
    Invalid,
    /// Already spent: someone else holds a copy, so the whole family is now revoked.
    Reused,
}

/// Create a refresh token for `user_id`, in `family` (a new family, that is a new sign-in, at
/// login). Returns the token and its family, which the access tokens issued with it name.
pub async fn issue(
    db: &impl ConnectionTrait,
    user_id: i64,
    family: Option<String>,
) -> Result<(String, String), sea_orm::DbErr> {
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    let token = B64.encode(raw);
    let now = Utc::now();
    let family = family.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    refresh_token::Entity::insert(refresh_token::ActiveModel {
        user_id: Set(user_id),
        family_id: Set(family.clone()),
        token_hash: Set(token_hash(&token)),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(REFRESH_TTL_DAYS)),
        used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok((token, family))
}

/// Spend `presented` and issue its successor in the same family. Returns the user and the new token.
///
/// Spending is one conditional update (`used_at IS NULL`), so of two racing refreshes with the
/// same token exactly one wins and the other is treated as reuse.
pub async fn rotate(
    db: &impl ConnectionTrait,
    presented: &str,
) -> Result<Result<(i64, (String, String)), RefreshError>, sea_orm::DbErr> {
    let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash(presented)))
        .one(db)
        .await?
    else {
        return Ok(Err(RefreshError::Invalid));
    };
    if row.revoked_at.is_some() || row.expires_at < Utc::now() {
        return Ok(Err(RefreshError::Invalid));
    }
    let spent = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if spent.rows_affected != 1 {
        revoke_family(db, &row.family_id).await?;
        return Ok(Err(RefreshError::Reused));
    }
    let next = issue(db, row.user_id, Some(row.family_id)).await?;
    Ok(Ok((row.user_id, next)))
}

pub async fn revoke_family(db: &impl ConnectionTrait, family_id: &str) -> Result<(), sea_orm::DbErr> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revoke the family `presented` belongs to (logout). Unknown tokens are ignored.
pub async fn revoke_token(db: &impl ConnectionTrait, presented: &str) -> Result<Option<i64>, sea_orm::DbErr> {
    let row = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash(presented)))
        .one(db)
        .await?;
    match row {
        Some(r) => {
            revoke_family(db, &r.family_id).await?;
            Ok(Some(r.user_id))
        }
        None => Ok(None),
    }
}

/// End every sign-in of a user but `keep` (a password change keeps the sign-in that made it;
/// deactivation keeps none). Their access tokens stop working on the next request.
pub async fn revoke_user(db: &impl ConnectionTrait, user_id: i64, keep: Option<&str>) -> Result<(), sea_orm::DbErr> {
    let mut q = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null());
    if let Some(family) = keep {
        q = q.filter(refresh_token::Column::FamilyId.ne(family));
    }
    q.exec(db).await?;
    Ok(())
}
