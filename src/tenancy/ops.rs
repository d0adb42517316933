//! Setting up communities, compounds, buildings and parties (administrators), each recorded on
//! the audit trail in the transaction that makes it.
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{
    BuildingView, CommunityDetail, CommunityView, CompoundDetail, CompoundRow, PartyView, building_views,
    compound_detail, compound_summaries, ensure_building, insert_community, insert_compound,
};
use crate::{
    audit,
    auth::Actor,
    db::write_txn,
    entities::{community, compound, party},
    error::{AppError, AppResult},
    msg,
    policy::Permission,
    text::{optional_text, required_text},
};

#[derive(Deserialize, ToSchema)]
pub struct NewCommunity {
    pub name: String,
    pub address: Option<String>,
    /// Name of the community office; defaults to "<name>居委会".
    pub office_name: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewCompound {
    pub name: String,
    pub address: Option<String>,
    pub property_company_name: String,
    /// Defaults to "<name>业主委员会".
    pub committee_name: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewBuilding {
    pub name: String,
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateParty {
    pub name: String,
}

/// The communities `actor` has a role in (all of them for administrators).
pub async fn communities_of(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<Vec<CommunityView>> {
    let mut find = community::Entity::find().order_by_asc(community::Column::Id);
    if !actor.is_admin() {
        find = find.filter(community::Column::Id.is_in(actor.memberships.iter().filter_map(|m| m.community_id)));
    }
    Ok(find.all(db).await?.iter().map(Into::into).collect())
}

/// Set up a community with its community office. Its concern categories are seeded by the
/// caller, in the same transaction.
pub async fn create_community(
    db: &impl ConnectionTrait,
    actor: &Actor,
    req: &NewCommunity,
) -> AppResult<community::Model> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let name = required_text("name", &req.name, 100)?;
    let address = optional_text("address", req.address.as_deref(), 200)?;
    let office =
        optional_text("office_name", req.office_name.as_deref(), 100)?.unwrap_or_else(|| format!("{name}居委会"));
    let c = insert_community(db, &name, address.as_deref(), &office).await?;
    audit::note(db, Some(actor.user.id), &c, "tenancy.community_created", json!({ "name": name })).await?;
    Ok(c)
}

/// A community with its compounds (and their totals) and parties.
pub async fn community_detail(db: &impl ConnectionTrait, c: &community::Model) -> AppResult<CommunityDetail> {
    let compounds = compound::Entity::find()
        .filter(compound::Column::CommunityId.eq(c.id))
        .order_by_asc(compound::Column::Id)
        .all(db)
        .await?;
    let parties = party::Entity::find()
        .filter(party::Column::CommunityId.eq(c.id))
        .order_by_asc(party::Column::Id)
        .all(db)
        .await?;
    Ok(CommunityDetail {
        community: c.into(),
        compounds: compound_summaries(db, &compounds).await?,
        parties: parties.iter().map(Into::into).collect(),
    })
}

/// The community `id` as `actor` may see it.
pub async fn community_for(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<CommunityDetail> {
    let c = community::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    actor.authorize_community(Permission::ViewCommunity, id)?;
    community_detail(db, &c).await
}

/// Add a compound to community `community_id`, with its property company and owners' committee.
pub async fn create_compound(
    db: &DatabaseConnection,
    actor: &Actor,
    community_id: i64,
    req: &NewCompound,
) -> AppResult<CompoundDetail> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let name = required_text("name", &req.name, 100)?;
    let address = optional_text("address", req.address.as_deref(), 200)?;
    let property = required_text("property_company_name", &req.property_company_name, 100)?;
    let committee = optional_text("committee_name", req.committee_name.as_deref(), 100)?
        .unwrap_or_else(|| format!("{name}业主委员会"));
    let txn = write_txn(db).await?;
    community::Entity::find_by_id(community_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let c = insert_compound(&txn, community_id, &name, address.as_deref(), &property, &committee).await?;
    let detail = json!({ "name": name, "property_company": property, "committee": committee });
    audit::note(&txn, Some(actor.user.id), &c, "tenancy.compound_created", detail).await?;
    txn.commit().await?;
    compound_detail(db, &c).await
}

/// Add a building named `req.name` to compound `compound_id`; a second of the same name is a 409.
pub async fn create_building(
    db: &DatabaseConnection,
    actor: &Actor,
    compound_id: i64,
    req: &NewBuilding,
) -> AppResult<BuildingView> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let name = required_text("name", &req.name, 50)?;
    let txn = write_txn(db).await?;
    let c = compound::Entity::find_by_id(compound_id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let (b, created) = ensure_building(&txn, compound_id, &name).await?;
    if !created {
        return Err(AppError::conflict("building_exists", msg!("building_exists", compound = c.name, name = name)));
    }
    let subject = CompoundRow { table: "building", id: b.id, compound: &c };
    audit::note(&txn, Some(actor.user.id), &subject, "tenancy.building_created", json!({ "name": name })).await?;
    txn.commit().await?;
    building_views(db, compound_id).await?.into_iter().find(|v| v.id == b.id).ok_or(AppError::NotFound)
}

/// Rename party `id`.
pub async fn rename_party(db: &DatabaseConnection, actor: &Actor, id: i64, req: &UpdateParty) -> AppResult<PartyView> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let name = required_text("name", &req.name, 100)?;
    let txn = write_txn(db).await?;
    let p = party::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let old = p.name.clone();
    let mut am: party::ActiveModel = p.into();
    am.name = Set(name.clone());
    let p = am.update(&txn).await?;
    audit::note(&txn, Some(actor.user.id), &p, "tenancy.party_renamed", json!({ "from": old, "to": name })).await?;
    txn.commit().await?;
    Ok((&p).into())
}
