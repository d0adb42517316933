//! Communities, their compounds and buildings, and the three parties.
mod ops;

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
    prelude::Expr, sea_query::ExprTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    area,
    audit::Subject,
    auth::Actor,
    entities::{building, community, compound, party, unit},
    error::{AppError, AppResult, unique_conflict},
    msg,
    policy::{PartyKind, Permission},
};

pub use ops::*;

impl Subject for community::Model {
    fn subject(&self) -> String {
        format!("community:{}", self.id)
    }
    fn community_id(&self) -> Option<i64> {
        Some(self.id)
    }
}

impl Subject for compound::Model {
    fn subject(&self) -> String {
        format!("compound:{}", self.id)
    }
    fn community_id(&self) -> Option<i64> {
        Some(self.community_id)
    }
    fn compound_id(&self) -> Option<i64> {
        Some(self.id)
    }
}

impl Subject for party::Model {
    fn subject(&self) -> String {
        format!("party:{}", self.id)
    }
    fn community_id(&self) -> Option<i64> {
        Some(self.community_id)
    }
    fn compound_id(&self) -> Option<i64> {
        self.compound_id
    }
}

/// A row of one of a compound's tables as the audit trail names it (`holder:7`, `building:3`),
/// for tables whose rows do not carry their community.
pub struct CompoundRow<'a> {
    /// The table's singular name, as in `holder`.
    pub table: &'static str,
    pub id: i64,
    pub compound: &'a compound::Model,
}

impl Subject for CompoundRow<'_> {
    fn subject(&self) -> String {
        format!("{}:{}", self.table, self.id)
    }
    fn community_id(&self) -> Option<i64> {
        Some(self.compound.community_id)
    }
    fn compound_id(&self) -> Option<i64> {
        Some(self.compound.id)
    }
}

#[derive(Serialize, ToSchema)]
pub struct CommunityView {
    pub id: i64,
    pub name: String,
    pub address: Option<String>,
}

impl From<&community::Model> for CommunityView {
    fn from(c: &community::Model) -> Self {
        Self { id: c.id, name: c.name.clone(), address: c.address.clone() }
    }
}

/// A compound with its roster totals.
#[derive(Serialize, ToSchema)]
pub struct CompoundSummary {
    pub id: i64,
    pub community_id: i64,
    pub name: String,
    pub address: Option<String>,
    pub buildings: i64,
    pub units: i64,
    /// Distinct holders: the headcount the law counts.
    pub holders: i64,
    /// Sum of exclusive areas, m² with two decimals.
    pub total_area: String,
    /// Days between publishing a vote and its opening.
    pub notice_days: i32,
    /// Days a vote's result stays on public display.
    pub publicity_days: i32,
}

#[derive(Serialize, ToSchema)]
pub struct PartyView {
    pub id: i64,
    pub kind: PartyKind,
    pub name: String,
    pub community_id: i64,
    pub compound_id: Option<i64>,
}

impl From<&party::Model> for PartyView {
    fn from(p: &party::Model) -> Self {
        Self {
            id: p.id,
            kind: PartyKind::parse(&p.kind).unwrap_or(PartyKind::CommunityOffice),
            name: p.name.clone(),
            community_id: p.community_id,
            compound_id: p.compound_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BuildingView {
    pub id: i64,
    pub compound_id: i64,
    pub name: String,
    pub units: i64,
    pub total_area: String,
}

#[derive(Serialize, ToSchema)]
pub struct CommunityDetail {
    pub community: CommunityView,
    pub compounds: Vec<CompoundSummary>,
    pub parties: Vec<PartyView>,
}

#[derive(Serialize, ToSchema)]
pub struct CompoundDetail {
    pub compound: CompoundSummary,
    pub community: CommunityView,
    pub buildings: Vec<BuildingView>,
    pub parties: Vec<PartyView>,
}

/// Load a compound and check the actor may do `p` there (404 when they have no role in it).
pub async fn compound_for(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    p: Permission,
) -> AppResult<compound::Model> {
    let c = compound::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    actor.authorize_compound(p, &c)?;
    Ok(c)
}

#[derive(FromQueryResult)]
struct Totals {
    key: i64,
    units: i64,
    holders: i64,
    area: Option<i64>,
}

/// Unit count, holder count and area per compound, in one grouped query.
async fn totals_by_compound(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<HashMap<i64, Totals>> {
    let rows = unit::Entity::find()
        .select_only()
        .column_as(unit::Column::CompoundId, "key")
        .column_as(Expr::col(unit::Column::Id).count(), "units")
        .column_as(Expr::col(unit::Column::HolderId).count_distinct(), "holders")
        .column_as(Expr::col(unit::Column::AreaCenti).sum().cast_as("bigint"), "area")
        .filter(unit::Column::CompoundId.is_in(ids.iter().copied()))
        .group_by(unit::Column::CompoundId)
        .into_model::<Totals>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|t| (t.key, t)).collect())
}

pub async fn compound_summaries(db: &impl ConnectionTrait, cs: &[compound::Model]) -> AppResult<Vec<CompoundSummary>> {
    let ids: Vec<i64> = cs.iter().map(|c| c.id).collect();
    let totals = totals_by_compound(db, &ids).await?;
    #[derive(FromQueryResult)]
    struct Count {
        key: i64,
        n: i64,
    }
    let buildings: HashMap<i64, i64> = building::Entity::find()
        .select_only()
        .column_as(building::Column::CompoundId, "key")
        .column_as(Expr::col(building::Column::Id).count(), "n")
        .filter(building::Column::CompoundId.is_in(ids))
        .group_by(building::Column::CompoundId)
        .into_model::<Count>()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.key, c.n))
        .collect();
    Ok(cs
        .iter()
        .map(|c| {
            let t = totals.get(&c.id);
            CompoundSummary {
                id: c.id,
                community_id: c.community_id,
                name: c.name.clone(),
                address: c.address.clone(),
                buildings: buildings.get(&c.id).copied().unwrap_or(0),
                units: t.map_or(0, |t| t.units),
                holders: t.map_or(0, |t| t.holders),
                total_area: area::format(t.and_then(|t| t.area).unwrap_or(0)),
                notice_days: c.notice_days,
                publicity_days: c.publicity_days,
            }
        })
        .collect())
}

pub async fn building_views(db: &impl ConnectionTrait, compound_id: i64) -> AppResult<Vec<BuildingView>> {
    let bs = building::Entity::find().filter(building::Column::CompoundId.eq(compound_id)).all(db).await?;
    let totals: HashMap<i64, Totals> = unit::Entity::find()
        .select_only()
        .column_as(unit::Column::BuildingId, "key")
        .column_as(Expr::col(unit::Column::Id).count(), "units")
        .column_as(Expr::col(unit::Column::HolderId).count_distinct(), "holders")
        .column_as(Expr::col(unit::Column::AreaCenti).sum().cast_as("bigint"), "area")
        .filter(unit::Column::CompoundId.eq(compound_id))
        .group_by(unit::Column::BuildingId)
        .into_model::<Totals>()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.key, t))
        .collect();
    let mut views: Vec<BuildingView> = bs
        .iter()
        .map(|b| {
            let t = totals.get(&b.id);
            BuildingView {
                id: b.id,
                compound_id: b.compound_id,
                name: b.name.clone(),
                units: t.map_or(0, |t| t.units),
                total_area: area::format(t.and_then(|t| t.area).unwrap_or(0)),
            }
        })
        .collect();
    views.sort_by_key(|v| natural_key(&v.name));
    Ok(views)
}

/// Sort key that puts "2号楼" before "10号楼".
pub fn natural_key(s: &str) -> (u64, String) {
    let digits: String = s.chars().skip_while(|c| !c.is_ascii_digit()).take_while(|c| c.is_ascii_digit()).collect();
    (digits.parse().unwrap_or(u64::MAX), s.to_owned())
}

pub async fn compound_detail(db: &impl ConnectionTrait, c: &compound::Model) -> AppResult<CompoundDetail> {
    let community = community::Entity::find_by_id(c.community_id).one(db).await?.ok_or(AppError::NotFound)?;
    let parties = party::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(party::Column::CompoundId.eq(c.id))
                .add(party::Column::CommunityId.eq(c.community_id).and(party::Column::CompoundId.is_null())),
        )
        .all(db)
        .await?;
    Ok(CompoundDetail {
        compound: compound_summaries(db, std::slice::from_ref(c)).await?.pop().ok_or(AppError::NotFound)?,
        community: (&community).into(),
        buildings: building_views(db, c.id).await?,
        parties: parties.iter().map(Into::into).collect(),
    })
}

/// Create a building, or return the existing one of that name.
pub async fn ensure_building(
    db: &impl ConnectionTrait,
    compound_id: i64,
    name: &str,
) -> AppResult<(building::Model, bool)> {
    if let Some(b) = building::Entity::find()
        .filter(building::Column::CompoundId.eq(compound_id))
        .filter(building::Column::Name.eq(name))
        .one(db)
        .await?
    {
        return Ok((b, false));
    }
    let b = building::Entity::insert(building::ActiveModel {
        compound_id: Set(compound_id),
        name: Set(name.to_owned()),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    Ok((b, true))
}

pub async fn insert_party(
    db: &impl ConnectionTrait,
    community_id: i64,
    compound_id: Option<i64>,
    kind: PartyKind,
    name: &str,
) -> AppResult<party::Model> {
    let scope_key = match compound_id {
        Some(c) => format!("compound:{c}:{}", kind.as_str()),
        None => format!("community:{community_id}:{}", kind.as_str()),
    };
    party::Entity::insert(party::ActiveModel {
        community_id: Set(community_id),
        compound_id: Set(compound_id),
        kind: Set(kind.as_str().into()),
        name: Set(name.to_owned()),
        scope_key: Set(scope_key),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await
    .map_err(Into::into)
}

/// The party of `kind` that serves compound `c`: the compound's own, or the community's office.
pub async fn party_of(
    db: &impl ConnectionTrait,
    c: &compound::Model,
    kind: PartyKind,
) -> AppResult<Option<party::Model>> {
    let find = party::Entity::find().filter(party::Column::Kind.eq(kind.as_str()));
    let find = match kind {
        PartyKind::CommunityOffice => {
            find.filter(party::Column::CommunityId.eq(c.community_id)).filter(party::Column::CompoundId.is_null())
        }
        _ => find.filter(party::Column::CompoundId.eq(c.id)),
    };
    Ok(find.one(db).await?)
}

/// The compounds `ids`, by id.
pub async fn compounds_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, compound::Model>> {
    Ok(compound::Entity::find()
        .filter(compound::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

/// The parties `ids`, by id.
pub async fn parties_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, party::Model>> {
    Ok(party::Entity::find()
        .filter(party::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect())
}

pub async fn building_names(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<Vec<String>> {
    let found = building::Entity::find().filter(building::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    Ok(found.into_iter().map(|b| b.name).collect())
}

/// A compound's building names by building id.
pub async fn building_names_in(db: &impl ConnectionTrait, compound_id: i64) -> AppResult<HashMap<i64, String>> {
    let found = building::Entity::find().filter(building::Column::CompoundId.eq(compound_id)).all(db).await?;
    Ok(found.into_iter().map(|b| (b.id, b.name)).collect())
}

/// Create a community with its community office (its creator seeds the concern categories).
pub async fn insert_community(
    db: &impl ConnectionTrait,
    name: &str,
    address: Option<&str>,
    office_name: &str,
) -> AppResult<community::Model> {
    // jscpd:ignore-start: a community row begins as a compound row does (name, address, time).
    let c = community::Entity::insert(community::ActiveModel {
        name: Set(name.to_owned()),
        address: Set(address.map(str::to_owned)),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await
    .map_err(unique_conflict("community_exists", msg!("community_exists", name = name)))?;
    // jscpd:ignore-end
    insert_party(db, c.id, None, PartyKind::CommunityOffice, office_name).await?;
    Ok(c)
}

/// Create a compound with its property company and owners' committee.
pub async fn insert_compound(
    db: &impl ConnectionTrait,
    community_id: i64,
    name: &str,
    address: Option<&str>,
    property_company: &str,
    committee: &str,
) -> AppResult<compound::Model> {
    let c = compound::Entity::insert(compound::ActiveModel {
        community_id: Set(community_id),
        name: Set(name.to_owned()),
        address: Set(address.map(str::to_owned)),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await
    .map_err(unique_conflict("compound_exists", msg!("compound_exists", name = name)))?;
    insert_party(db, community_id, Some(c.id), PartyKind::PropertyCompany, property_company).await?;
    insert_party(db, community_id, Some(c.id), PartyKind::OwnersCommittee, committee).await?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buildings_sort_by_their_number() {
        let mut v = vec!["10号楼", "2号楼", "1号楼", "商铺"];
        v.sort_by_key(|s| natural_key(s));
        assert_eq!(v, ["1号楼", "2号楼", "10号楼", "商铺"]);
    }

    #[test]
    fn the_trail_names_a_compound_and_its_rows_as_it_always_has() {
        let c = compound::Model {
            id: 4,
            community_id: 2,
            name: "A".into(),
            address: None,
            created_at: Utc::now(),
            notice_days: 7,
            publicity_days: 7,
        };
        assert_eq!((c.subject(), c.community_id(), c.compound_id()), ("compound:4".into(), Some(2), Some(4)));
        let b = CompoundRow { table: "building", id: 9, compound: &c };
        assert_eq!((b.subject(), b.community_id(), b.compound_id()), ("building:9".into(), Some(2), Some(4)));
    }
}
