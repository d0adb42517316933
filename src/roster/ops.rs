//! What the roster screens ask for: a sheet imported, units and holders found by words, a unit's
//! history.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    AreaSource, HolderView, ImportChoices, ImportReport, UnitView, area, holder_views, import_roster, unit_views,
};
use crate::{
    accounts::user_names,
    auth::Actor,
    entities::{building, holder, unit, unit_change},
    error::{AppError, AppResult},
    i18n::Lang,
    msg,
    policy::Permission,
    tenancy::{compound_for, natural_key},
    text::search_words,
};

/// Check and (unless `dry_run`) apply the uploaded roster sheet `upload` to compound
/// `compound_id`.
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    compound_id: i64,
    upload: AppResult<impl AsRef<[u8]>>,
    dry_run: bool,
    choices: &ImportChoices,
    lang: Lang,
) -> AppResult<ImportReport> {
    let c = compound_for(db, actor, compound_id, Permission::ImportRoster).await?;
    // Read only once the caller may import here: a stranger learns nothing from a 413.
    let upload = upload?;
    let bytes = upload.as_ref();
    if bytes.is_empty() {
        return Err(AppError::field("file", msg!("roster_no_file")));
    }
    import_roster(db, &c, actor.user.id, bytes, dry_run, choices, lang).await
}

/// The units of compound `compound_id`, in building `building_id` when given, whose building,
/// number or holder match every word of `q`.
pub async fn units_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    compound_id: i64,
    building_id: Option<i64>,
    q: Option<&str>,
) -> AppResult<Vec<UnitView>> {
    compound_for(db, actor, compound_id, Permission::ViewRoster).await?;
    let mut find = unit::Entity::find().filter(unit::Column::CompoundId.eq(compound_id));
    if let Some(b) = building_id {
        find = find.filter(unit::Column::BuildingId.eq(b));
    }
    // "5号楼 2单元301", "5号楼" or "301": every word must match the building, the unit or its holder.
    // Each word is one condition with two subqueries, never a list of ids read first: a word
    // such as "1" may match every holder of a large compound.
    for word in search_words("q", q)? {
        let word = word.as_str();
        let buildings = building::Entity::find()
            .select_only()
            .column(building::Column::Id)
            .filter(building::Column::CompoundId.eq(compound_id))
            .filter(building::Column::Name.contains(word))
            .into_query();
        let holders = holder::Entity::find()
            .select_only()
            .column(holder::Column::Id)
            .filter(holder::Column::CompoundId.eq(compound_id))
            .filter(
                Condition::any().add(holder::Column::HolderKey.contains(word)).add(holder::Column::Name.contains(word)),
            )
            .into_query();
        find = find.filter(
            Condition::any()
                .add(unit::Column::Number.contains(word))
                .add(unit::Column::BuildingId.in_subquery(buildings))
                .add(unit::Column::HolderId.in_subquery(holders)),
        );
    }
    let units = find.all(db).await?;
    unit_views(db, &units, true).await
}

/// One recorded change of a unit: its creation by an import, or a new area or holder.
#[derive(Serialize, ToSchema)]
pub struct UnitChangeView {
    pub id: i64,
    pub unit_id: i64,
    pub at: DateTime<Utc>,
    /// Display name of who made the change.
    pub by: Option<String>,
    /// `import` or `manual`.
    pub source: String,
    pub area_before: Option<String>,
    pub area_after: Option<String>,
    /// Holder keys before and after.
    pub holder_before: Option<String>,
    pub holder_after: Option<String>,
    pub area_source: AreaSource,
}

/// The history of unit `unit_id`'s area and holder, oldest first.
pub async fn unit_history(db: &impl ConnectionTrait, actor: &Actor, unit_id: i64) -> AppResult<Vec<UnitChangeView>> {
    let u = unit::Entity::find_by_id(unit_id).one(db).await?.ok_or(AppError::NotFound)?;
    compound_for(db, actor, u.compound_id, Permission::ViewRoster).await?;
    let changes = unit_change::Entity::find()
        .filter(unit_change::Column::UnitId.eq(unit_id))
        .order_by_asc(unit_change::Column::Id)
        .all(db)
        .await?;
    let holder_ids = changes.iter().flat_map(|c| [c.holder_before, c.holder_after]).flatten();
    let keys: HashMap<i64, String> = holder::Entity::find()
        .filter(holder::Column::Id.is_in(holder_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h.holder_key))
        .collect();
    let names = user_names(db, changes.iter().filter_map(|c| c.by_user_id)).await?;
    Ok(changes
        .into_iter()
        .map(|c| UnitChangeView {
            id: c.id,
            unit_id: c.unit_id,
            at: c.at,
            by: c.by_user_id.and_then(|u| names.get(&u).cloned()),
            source: c.source,
            area_before: c.area_before.map(area::format),
            area_after: c.area_after.map(area::format),
            holder_before: c.holder_before.and_then(|h| keys.get(&h).cloned()),
            holder_after: c.holder_after.and_then(|h| keys.get(&h).cloned()),
            area_source: AreaSource::parse(&c.area_source).unwrap_or(AreaSource::Registered),
        })
        .collect())
}

/// The holders of compound `compound_id` whose key, name, phone or unit number holds `q`, in
/// the natural order of their keys.
pub async fn holders_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    compound_id: i64,
    q: Option<&str>,
) -> AppResult<Vec<HolderView>> {
    compound_for(db, actor, compound_id, Permission::ViewRoster).await?;
    let mut find = holder::Entity::find().filter(holder::Column::CompoundId.eq(compound_id));
    search_words("q", q)?;
    if let Some(text) = q.map(str::trim).filter(|t| !t.is_empty()) {
        let by_unit = unit::Entity::find()
            .select_only()
            .column(unit::Column::HolderId)
            .filter(unit::Column::CompoundId.eq(compound_id))
            .filter(unit::Column::Number.contains(text))
            .into_query();
        find = find.filter(
            Condition::any()
                .add(holder::Column::HolderKey.contains(text))
                .add(holder::Column::Name.contains(text))
                .add(holder::Column::Phone.contains(text))
                .add(holder::Column::Id.in_subquery(by_unit)),
        );
    }
    let mut holders = find.all(db).await?;
    holders.sort_by_key(|h| natural_key(&h.holder_key));
    holder_views(db, holders).await
}
