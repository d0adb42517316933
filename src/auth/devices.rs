//! The devices an account has signed in from: each is given a random token at a successful
//! sign-in, kept only as its SHA-256. A device that presents one is spared the account's back-off
//! (see [`super::ratelimit`]), so a stranger's wrong guesses cannot keep the owner out.
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use chrono::Utc;
use rand::RngCore;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::refresh::token_hash;
use crate::{entities::known_device, error::AppResult};

/// The most devices remembered per account; the least recently used is forgotten first.
pub const MAX_DEVICES: usize = 20;

/// Whether `token` is a device `user_id` has signed in from.
pub async fn known(db: &impl ConnectionTrait, user_id: i64, token: &str) -> AppResult<bool> {
    if token.is_empty() || token.len() > 100 {
        return Ok(false);
    }
    Ok(known_device::Entity::find()
        .filter(known_device::Column::UserId.eq(user_id))
        .filter(known_device::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await?
        .is_some())
}

/// After a successful sign-in: the device's token for the account — the one it presented when
/// known, else a new one.
pub async fn remember(db: &impl ConnectionTrait, user_id: i64, presented: Option<&str>) -> AppResult<String> {
    let now = Utc::now();
    if let Some(token) = presented
        && known(db, user_id, token).await?
    {
        known_device::Entity::update_many()
            .col_expr(known_device::Column::LastUsedAt, sea_orm::sea_query::Expr::value(now))
            .filter(known_device::Column::UserId.eq(user_id))
            .filter(known_device::Column::TokenHash.eq(token_hash(token)))
            .exec(db)
            .await?;
        return Ok(token.to_owned());
    }
    let mut raw = [0u8; 24];
    rand::rng().fill_bytes(&mut raw);
    let token = B64.encode(raw);
    known_device::Entity::insert(known_device::ActiveModel {
        user_id: Set(user_id),
        token_hash: Set(token_hash(&token)),
        created_at: Set(now),
        last_used_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?;
    let kept: Vec<i64> = known_device::Entity::find()
        .select_only()
        .column(known_device::Column::Id)
        .filter(known_device::Column::UserId.eq(user_id))
        .order_by_desc(known_device::Column::LastUsedAt)
        .order_by_desc(known_device::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let stale: Vec<i64> = kept.into_iter().skip(MAX_DEVICES).collect();
    if !stale.is_empty() {
        known_device::Entity::delete_many().filter(known_device::Column::Id.is_in(stale)).exec(db).await?;
    }
    Ok(token)
}
