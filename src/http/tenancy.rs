//! `/communities`, `/compounds`, `/parties`: setting up where people live and who serves them.
use axum::{extract::State, http::StatusCode};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::tenancy::{
    BuildingView, CommunityDetail, CommunityView, CompoundDetail, PartyView, building_views, compound_detail,
    compound_for, compound_summaries, ensure_building, insert_community, insert_compound,
};
use crate::{
    audit::{self, Event},
    auth::Actor,
    db::write_txn,
    entities::{community, compound, party},
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
    policy::Permission,
    text::{optional_text, required_text},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_communities, create_community))
        .routes(routes!(get_community))
        .routes(routes!(create_compound))
        .routes(routes!(get_compound))
        .routes(routes!(create_building))
        .routes(routes!(rename_party))
}

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

/// The communities I have a role in (all of them for administrators).
#[utoipa::path(get, path = "/communities", tag = "tenancy", security(("bearer" = [])),
    responses((status = 200, body = Vec<CommunityView>), (status = 401, body = ErrorBody)))]
async fn list_communities(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Vec<CommunityView>>> {
    let mut find = community::Entity::find().order_by_asc(community::Column::Id);
    if !actor.is_admin() {
        find = find.filter(community::Column::Id.is_in(actor.memberships.iter().filter_map(|m| m.community_id)));
    }
    Ok(Json(find.all(&state.db).await?.iter().map(Into::into).collect()))
}

/// Set up a community and its community office (administrators).
#[utoipa::path(post, path = "/communities", tag = "tenancy", request_body = NewCommunity, security(("bearer" = [])),
    responses((status = 201, body = CommunityDetail), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_community(
    State(state): State<AppState>,
    actor: Actor,
    Json(req): Json<NewCommunity>,
) -> AppResult<(StatusCode, Json<CommunityDetail>)> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let name = required_text("name", &req.name, 100)?;
    let address = optional_text("address", req.address.as_deref(), 200)?;
    let office =
        optional_text("office_name", req.office_name.as_deref(), 100)?.unwrap_or_else(|| format!("{name}居委会"));
    let txn = write_txn(&state.db).await?;
    let c = insert_community(&txn, &name, address.as_deref(), &office).await?;
    crate::concerns::seed_categories(&txn, c.id).await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "tenancy.community_created",
            community_id: Some(c.id),
            compound_id: None,
            subject: format!("community:{}", c.id),
            detail: json!({ "name": name }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(community_detail(&state, &c).await?)))
}

async fn community_detail(state: &AppState, c: &community::Model) -> AppResult<CommunityDetail> {
    let compounds = compound::Entity::find()
        .filter(compound::Column::CommunityId.eq(c.id))
        .order_by_asc(compound::Column::Id)
        .all(&state.db)
        .await?;
    let parties = party::Entity::find()
        .filter(party::Column::CommunityId.eq(c.id))
        .order_by_asc(party::Column::Id)
        .all(&state.db)
        .await?;
    Ok(CommunityDetail {
        community: c.into(),
        compounds: compound_summaries(&state.db, &compounds).await?,
        parties: parties.iter().map(Into::into).collect(),
    })
}

/// A community with its compounds (and their totals) and parties.
#[utoipa::path(get, path = "/communities/{id}", tag = "tenancy", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = CommunityDetail), (status = 404, body = ErrorBody)))]
async fn get_community(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<CommunityDetail>> {
    let c = community::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    actor.authorize_community(Permission::ViewCommunity, id)?;
    Ok(Json(community_detail(&state, &c).await?))
}

/// Add a compound to a community, with its property company and owners' committee (administrators).
#[utoipa::path(post, path = "/communities/{id}/compounds", tag = "tenancy", request_body = NewCompound,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = CompoundDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_compound(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewCompound>,
) -> AppResult<(StatusCode, Json<CompoundDetail>)> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let name = required_text("name", &req.name, 100)?;
    let address = optional_text("address", req.address.as_deref(), 200)?;
    let property = required_text("property_company_name", &req.property_company_name, 100)?;
    let committee = optional_text("committee_name", req.committee_name.as_deref(), 100)?
        .unwrap_or_else(|| format!("{name}业主委员会"));
    let txn = write_txn(&state.db).await?;
    community::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let c = insert_compound(&txn, id, &name, address.as_deref(), &property, &committee).await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "tenancy.compound_created",
            community_id: Some(id),
            compound_id: Some(c.id),
            subject: format!("compound:{}", c.id),
            detail: json!({ "name": name, "property_company": property, "committee": committee }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(compound_detail(&state.db, &c).await?)))
}

/// A compound with its buildings, parties and roster totals.
#[utoipa::path(get, path = "/compounds/{id}", tag = "tenancy", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = CompoundDetail), (status = 404, body = ErrorBody)))]
async fn get_compound(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<CompoundDetail>> {
    let c = compound_for(&state.db, &actor, id, Permission::ViewCompound).await?;
    Ok(Json(compound_detail(&state.db, &c).await?))
}

/// Add a building to a compound (administrators; the roster import also creates buildings).
#[utoipa::path(post, path = "/compounds/{id}/buildings", tag = "tenancy", request_body = NewBuilding,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = BuildingView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn create_building(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewBuilding>,
) -> AppResult<(StatusCode, Json<BuildingView>)> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let name = required_text("name", &req.name, 50)?;
    let txn = write_txn(&state.db).await?;
    let c = compound::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let (b, created) = ensure_building(&txn, id, &name).await?;
    if !created {
        return Err(AppError::conflict("building_exists", format!("{} already has a building named {name}", c.name)));
    }
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "tenancy.building_created",
            community_id: Some(c.community_id),
            compound_id: Some(id),
            subject: format!("building:{}", b.id),
            detail: json!({ "name": name }),
        },
    )
    .await?;
    txn.commit().await?;
    let view = building_views(&state.db, id).await?.into_iter().find(|v| v.id == b.id).ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Rename a party (administrators).
#[utoipa::path(patch, path = "/parties/{id}", tag = "tenancy", request_body = UpdateParty,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = PartyView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn rename_party(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<UpdateParty>,
) -> AppResult<Json<PartyView>> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let name = required_text("name", &req.name, 100)?;
    let txn = write_txn(&state.db).await?;
    let p = party::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let old = p.name.clone();
    let mut am: party::ActiveModel = p.into();
    am.name = Set(name.clone());
    let p = am.update(&txn).await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "tenancy.party_renamed",
            community_id: Some(p.community_id),
            compound_id: p.compound_id,
            subject: format!("party:{id}"),
            detail: json!({ "from": old, "to": name }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Json((&p).into()))
}
