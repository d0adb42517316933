//! The owner roster: buildings, units with their exclusive areas, holders, the import of the
//! property company's sheet, and each unit's history.
pub use crate::area;
mod holders;
mod import;
mod keys;
mod ops;
pub mod sheet;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

pub use holders::*;
pub use import::{ImportChoices, ImportReport, apply as apply_rows, import_roster};
pub use keys::{HolderNote, ProposedHolder, mask_phone, propose_keys, proposed_key};
pub use ops::*;
pub use sheet::AreaSource;

use crate::{
    entities::{building, community, compound, holder, owner_link, unit},
    error::AppResult,
    tenancy::natural_key,
};

/// A unit of the roster with its area and holder.
#[derive(Serialize, ToSchema, Clone)]
pub struct UnitView {
    pub id: i64,
    pub compound_id: i64,
    pub building_id: i64,
    pub building_name: String,
    pub number: String,
    /// Exclusive area, m² with two decimals.
    pub area: String,
    pub area_source: AreaSource,
    pub holder_id: i64,
    pub holder_key: String,
    pub holder_name: Option<String>,
}

/// The units one verified owner holds in one compound.
#[derive(Serialize, ToSchema)]
pub struct HoldingView {
    pub holder_id: i64,
    pub holder_key: String,
    pub holder_name: String,
    pub compound_id: i64,
    pub compound_name: String,
    pub community_id: i64,
    pub community_name: String,
    pub units: Vec<UnitView>,
    pub total_area: String,
    pub linked_at: DateTime<Utc>,
}

/// The names of buildings `ids`, by id.
pub async fn building_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, String>> {
    Ok(building::Entity::find()
        .filter(building::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect())
}

/// Describe units with their building and holder, in two extra queries whatever their number.
pub async fn unit_views(
    db: &impl ConnectionTrait,
    units: &[unit::Model],
    with_names: bool,
) -> AppResult<Vec<UnitView>> {
    let buildings = building_names(db, units.iter().map(|u| u.building_id)).await?;
    let holders: HashMap<i64, holder::Model> = holder::Entity::find()
        .filter(holder::Column::Id.is_in(units.iter().map(|u| u.holder_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let mut views: Vec<UnitView> = units
        .iter()
        .map(|u| {
            let h = holders.get(&u.holder_id);
            UnitView {
                id: u.id,
                compound_id: u.compound_id,
                building_id: u.building_id,
                building_name: buildings.get(&u.building_id).cloned().unwrap_or_default(),
                number: u.number.clone(),
                area: area::format(u.area_centi),
                area_source: AreaSource::parse(&u.area_source).unwrap_or(AreaSource::Registered),
                holder_id: u.holder_id,
                holder_key: h.map(|h| h.holder_key.clone()).unwrap_or_default(),
                holder_name: if with_names { h.map(|h| h.name.clone()) } else { None },
            }
        })
        .collect();
    views.sort_by(|a, b| {
        (natural_key(&a.building_name), natural_key(&a.number))
            .cmp(&(natural_key(&b.building_name), natural_key(&b.number)))
    });
    Ok(views)
}

/// The holders account `user_id` is verified for.
pub async fn holders_of_user(db: &impl ConnectionTrait, user_id: i64) -> AppResult<Vec<i64>> {
    let links = owner_link::Entity::find().filter(owner_link::Column::UserId.eq(user_id)).all(db).await?;
    Ok(links.into_iter().map(|l| l.holder_id).collect())
}

/// Everything a user holds as a verified owner, grouped by holder.
pub async fn holdings_of(db: &impl ConnectionTrait, user_id: i64) -> AppResult<Vec<HoldingView>> {
    let links = owner_link::Entity::find()
        .filter(owner_link::Column::UserId.eq(user_id))
        .order_by_asc(owner_link::Column::Id)
        .all(db)
        .await?;
    let holder_ids: Vec<i64> = links.iter().map(|l| l.holder_id).collect();
    let holders: HashMap<i64, holder::Model> = holder::Entity::find()
        .filter(holder::Column::Id.is_in(holder_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let units = unit::Entity::find().filter(unit::Column::HolderId.is_in(holder_ids)).all(db).await?;
    let views = unit_views(db, &units, true).await?;
    let compounds: HashMap<i64, compound::Model> = compound::Entity::find()
        .filter(compound::Column::Id.is_in(holders.values().map(|h| h.compound_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let communities: HashMap<i64, String> = community::Entity::find()
        .filter(community::Column::Id.is_in(compounds.values().map(|c| c.community_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let area_of: HashMap<i64, i64> = units.iter().fold(HashMap::new(), |mut m, u| {
        *m.entry(u.holder_id).or_default() += u.area_centi;
        m
    });
    Ok(links
        .iter()
        .filter_map(|l| {
            let h = holders.get(&l.holder_id)?;
            let c = compounds.get(&h.compound_id)?;
            Some(HoldingView {
                holder_id: h.id,
                holder_key: h.holder_key.clone(),
                holder_name: h.name.clone(),
                compound_id: c.id,
                compound_name: c.name.clone(),
                community_id: c.community_id,
                community_name: communities.get(&c.community_id).cloned().unwrap_or_default(),
                units: views.iter().filter(|u| u.holder_id == h.id).cloned().collect(),
                total_area: area::format(area_of.get(&h.id).copied().unwrap_or(0)),
                linked_at: l.created_at,
            })
        })
        .collect())
}
