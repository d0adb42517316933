//! `/communities`, `/compounds`, `/parties`: setting up where people live and who serves them.
use axum::{extract::State, http::StatusCode};

use crate::tenancy::{
    self, BuildingView, CommunityDetail, CommunityView, CompoundDetail, NewBuilding, NewCommunity, NewCompound,
    PartyView, UpdateParty, compound_detail, compound_for,
};
use crate::{
    auth::Actor,
    db::write_txn,
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
    policy::Permission,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_communities, create_community))
        .routes(routes!(get_community))
        .routes(routes!(create_compound))
        .routes(routes!(get_compound))
        .routes(routes!(create_building))
        .routes(routes!(rename_party))
}

/// The communities I have a role in (all of them for administrators).
#[utoipa::path(get, path = "/communities", tag = "tenancy", security(("bearer" = [])),
    responses((status = 200, body = Vec<CommunityView>), (status = 401, body = ErrorBody)))]
async fn list_communities(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Vec<CommunityView>>> {
    Ok(Json(tenancy::communities_of(&state.db, &actor).await?))
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
    let txn = write_txn(&state.db).await?;
    let c = tenancy::create_community(&txn, &actor, &req).await?;
    // Concerns sit above tenancy: a new community's categories are seeded from here.
    crate::concerns::seed_categories(&txn, c.id).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(tenancy::community_detail(&state.db, &c).await?)))
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
    Ok(Json(tenancy::community_for(&state.db, &actor, id).await?))
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
    Ok((StatusCode::CREATED, Json(tenancy::create_compound(&state.db, &actor, id, &req).await?)))
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
    Ok((StatusCode::CREATED, Json(tenancy::create_building(&state.db, &actor, id, &req).await?)))
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
    Ok(Json(tenancy::rename_party(&state.db, &actor, id, &req).await?))
}
