//! The categories a community sorts concerns into, each with the party on duty by default and
//! the hours within which it should be settled.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::category_rows;
use crate::{
    entities::concern_category,
    error::{AppError, AppResult},
};

/// Give a new community the default categories (inside the caller's transaction).
pub async fn seed_categories(db: &impl ConnectionTrait, community_id: i64) -> AppResult<()> {
    concern_category::Entity::insert_many(category_rows(community_id)).exec(db).await?;
    Ok(())
}

/// A community's categories in their display order.
pub async fn categories_of(db: &impl ConnectionTrait, community_id: i64) -> AppResult<Vec<concern_category::Model>> {
    Ok(concern_category::Entity::find()
        .filter(concern_category::Column::CommunityId.eq(community_id))
        .order_by_asc(concern_category::Column::Position)
        .order_by_asc(concern_category::Column::Id)
        .all(db)
        .await?)
}

/// The hours a category allows, between one and a year.
pub fn check_hours(hours: i32) -> AppResult<i32> {
    // A year at most: a limit beyond that flags nothing.
    if (1..=24 * 366).contains(&hours) {
        Ok(hours)
    } else {
        Err(AppError::field("time_limit_hours", "must be between 1 and 8784 hours"))
    }
}

/// A category key: 1 to 40 lowercase letters, digits or `_`.
pub fn check_key(key: &str) -> AppResult<String> {
    let k = key.trim();
    let ok =
        !k.is_empty() && k.len() <= 40 && k.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok { Ok(k.to_owned()) } else { Err(AppError::field("key", "use 1 to 40 lowercase letters, digits or '_'")) }
}
