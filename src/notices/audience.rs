//! Who a message to a compound reaches: everyone with a role in it, or the verified owners of
//! some of its buildings.
use std::collections::BTreeSet;

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{
    entities::{compound, holder, membership, owner_link, unit},
    error::AppResult,
    policy::Role,
};

/// Parse a stored JSON list of building ids.
pub fn parse_ids(s: Option<&str>) -> Option<Vec<i64>> {
    s.and_then(|s| serde_json::from_str(s).ok())
}

/// The units of a compound, or of the chosen buildings.
pub async fn units_in_scope(
    db: &impl ConnectionTrait,
    compound_id: i64,
    buildings: Option<&[i64]>,
) -> AppResult<Vec<unit::Model>> {
    let mut find = unit::Entity::find().filter(unit::Column::CompoundId.eq(compound_id));
    if let Some(ids) = buildings {
        find = find.filter(unit::Column::BuildingId.is_in(ids.iter().copied()));
    }
    Ok(find.all(db).await?)
}

/// The holders of `units` who are owners to ask: the developer's unsold flats are nobody's
/// household and are not asked.
pub async fn owning_holders(db: &impl ConnectionTrait, units: &[unit::Model]) -> AppResult<BTreeSet<i64>> {
    let ids: BTreeSet<i64> = units.iter().map(|u| u.holder_id).collect();
    let developers: BTreeSet<i64> = holder::Entity::find()
        .filter(holder::Column::Id.is_in(ids.iter().copied()))
        .filter(holder::Column::IsDeveloper.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|h| h.id)
        .collect();
    Ok(ids.difference(&developers).copied().collect())
}

/// Everyone with a role in compound `c`: its owners and its parties' people, and the community
/// office of its community.
pub async fn people_of_compound(db: &impl ConnectionTrait, c: &compound::Model) -> AppResult<Vec<i64>> {
    let ms = membership::Entity::find()
        .filter(
            Condition::any().add(membership::Column::CompoundId.eq(c.id)).add(
                Condition::all()
                    .add(membership::Column::CommunityId.eq(c.community_id))
                    .add(membership::Column::CompoundId.is_null())
                    .add(membership::Column::Role.is_in([Role::Secretary.as_str(), Role::CommunityStaff.as_str()])),
            ),
        )
        .all(db)
        .await?;
    let ids: BTreeSet<i64> = ms.into_iter().map(|m| m.user_id).collect();
    Ok(ids.into_iter().collect())
}

/// The verified owners of the chosen buildings of a compound (all of its buildings when `None`).
pub async fn owners_in(db: &impl ConnectionTrait, compound_id: i64, buildings: Option<&[i64]>) -> AppResult<Vec<i64>> {
    let units = units_in_scope(db, compound_id, buildings).await?;
    let holders = owning_holders(db, &units).await?;
    let links =
        owner_link::Entity::find().filter(owner_link::Column::HolderId.is_in(holders.iter().copied())).all(db).await?;
    let ids: BTreeSet<i64> = links.into_iter().map(|l| l.user_id).collect();
    Ok(ids.into_iter().collect())
}
