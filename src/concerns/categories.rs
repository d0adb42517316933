//! The categories a community sorts concerns into, each with the party on duty by default and
//! the hours within which it should be settled.
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::{CategoryView, NewCategory, UpdateCategory};
use crate::{
    audit,
    auth::Actor,
    entities::{community, concern_category},
    error::{AppError, AppResult, unique_conflict},
    msg,
    policy::{PartyKind, Permission},
    text::required_text,
};

/// The categories every community starts with: (key, 中文, English, party on duty, hours to settle).
pub const DEFAULT_CATEGORIES: [(&str, &str, &str, PartyKind, i32); 8] = [
    ("hygiene", "环境卫生", "Hygiene", PartyKind::PropertyCompany, 72),
    ("facilities", "公共设施", "Public facilities", PartyKind::PropertyCompany, 168),
    ("repairs", "维修", "Repairs", PartyKind::PropertyCompany, 72),
    ("safety", "安全隐患", "Safety", PartyKind::PropertyCompany, 24),
    ("pets", "养犬宠物", "Pets", PartyKind::OwnersCommittee, 168),
    ("parking", "停车", "Parking", PartyKind::PropertyCompany, 168),
    ("noise", "噪音扰民", "Noise", PartyKind::CommunityOffice, 72),
    ("other", "其他", "Other", PartyKind::CommunityOffice, 168),
];

/// The rows of the default categories of community `community_id`.
pub fn category_rows(community_id: i64) -> Vec<concern_category::ActiveModel> {
    DEFAULT_CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, (key, zh, en, party, hours))| concern_category::ActiveModel {
            community_id: Set(community_id),
            key: Set((*key).into()),
            name_zh: Set((*zh).into()),
            name_en: Set((*en).into()),
            default_party_kind: Set(party.as_str().into()),
            time_limit_hours: Set(*hours),
            position: Set(i as i32 + 1),
            ..Default::default()
        })
        .collect()
}

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
        Err(AppError::field("time_limit_hours", msg!("category_hours_out_of_range")))
    }
}

/// A category key: 1 to 40 lowercase letters, digits or `_`.
pub fn check_key(key: &str) -> AppResult<String> {
    let k = key.trim();
    let ok =
        !k.is_empty() && k.len() <= 40 && k.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok { Ok(k.to_owned()) } else { Err(AppError::field("key", msg!("category_key_invalid"))) }
}

/// Load community `id` where the actor may do `p`.
async fn community_for(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    p: Permission,
) -> AppResult<community::Model> {
    let c = community::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    actor.authorize_community(p, c.id)?;
    Ok(c)
}

/// The categories of community `community_id`, to anyone who may see the community.
pub async fn list_categories(
    db: &impl ConnectionTrait,
    actor: &Actor,
    community_id: i64,
) -> AppResult<Vec<CategoryView>> {
    let c = community_for(db, actor, community_id, Permission::ViewCommunity).await?;
    Ok(categories_of(db, c.id).await?.iter().map(Into::into).collect())
}

/// Add a category to community `community_id`, last in display order (the secretary).
pub async fn create_category(
    db: &impl ConnectionTrait,
    actor: &Actor,
    community_id: i64,
    req: NewCategory,
) -> AppResult<concern_category::Model> {
    let c = community_for(db, actor, community_id, Permission::ManageConcernCategories).await?;
    let key = check_key(&req.key)?;
    let name_zh = required_text("name_zh", &req.name_zh, 50)?;
    let name_en = required_text("name_en", &req.name_en, 50)?;
    let hours = check_hours(req.time_limit_hours)?;
    let position = categories_of(db, c.id).await?.iter().map(|c| c.position).max().unwrap_or(0) + 1;
    let row = concern_category::Entity::insert(concern_category::ActiveModel {
        community_id: Set(c.id),
        key: Set(key.clone()),
        name_zh: Set(name_zh),
        name_en: Set(name_en),
        default_party_kind: Set(req.default_party_kind.as_str().into()),
        time_limit_hours: Set(hours),
        position: Set(position),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await
    .map_err(unique_conflict("category_exists", msg!("category_exists")))?;
    let detail = json!({ "key": key, "party": row.default_party_kind, "hours": row.time_limit_hours });
    audit::note(db, Some(actor.user.id), &row, "concern_category.created", detail).await?;
    Ok(row)
}

/// Change a category's names, default party, time limit or position (the secretary).
pub async fn update_category(
    db: &impl ConnectionTrait,
    actor: &Actor,
    community_id: i64,
    category_id: i64,
    req: UpdateCategory,
) -> AppResult<concern_category::Model> {
    let c = community_for(db, actor, community_id, Permission::ManageConcernCategories).await?;
    let row = concern_category::Entity::find_by_id(category_id)
        .filter(concern_category::Column::CommunityId.eq(c.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let before = CategoryView::from(&row);
    let row = changed(row.into(), &req)?.update(db).await?;
    let detail = json!({
        "key": row.key,
        "party": { "from": before.default_party_kind.as_str(), "to": row.default_party_kind },
        "hours": { "from": before.time_limit_hours, "to": row.time_limit_hours },
    });
    audit::note(db, Some(actor.user.id), &row, "concern_category.changed", detail).await?;
    Ok(row)
}

/// The category with the changes asked for, each checked.
fn changed(mut am: concern_category::ActiveModel, req: &UpdateCategory) -> AppResult<concern_category::ActiveModel> {
    if let Some(n) = &req.name_zh {
        am.name_zh = Set(required_text("name_zh", n, 50)?);
    }
    if let Some(n) = &req.name_en {
        am.name_en = Set(required_text("name_en", n, 50)?);
    }
    if let Some(k) = req.default_party_kind {
        am.default_party_kind = Set(k.as_str().into());
    }
    if let Some(h) = req.time_limit_hours {
        am.time_limit_hours = Set(check_hours(h)?);
    }
    if let Some(p) = req.position {
        am.position = Set(p);
    }
    Ok(am)
}
