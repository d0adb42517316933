//! `/compounds/{id}/roster`, `/compounds/{id}/units`, `/compounds/{id}/holders`, `/units/{id}/history`.
use std::collections::HashMap;

use axum::extract::State;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::roster::{AreaSource, ImportReport, UnitView, area, import_roster, unit_views};
use crate::roster::{HolderView, holder_views};
use crate::{
    accounts::user_names,
    auth::Actor,
    entities::{building, holder, unit, unit_change},
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path, Query, Upload},
    policy::Permission,
    tenancy::{compound_for, natural_key},
    text::{Lang, search_words},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import))
        .routes(routes!(list_units))
        .routes(routes!(unit_history))
        .routes(routes!(list_holders))
}

#[derive(Deserialize, IntoParams)]
struct ImportParams {
    /// Check the file and report what would change, writing nothing.
    #[serde(default)]
    dry_run: bool,
}

/// Import the owner roster from the sheet the property company keeps (CSV UTF-8 or XLSX).
///
/// Columns (header row, English or Chinese): building 楼栋, unit 房号, area 面积 (m², ≤ 2 decimals),
/// area_source 面积来源 (registered | surveyed | contract), holder_name 业主姓名, holder_phone 联系电话
/// (optional), holder_key 业主编号 (one per holder; a holder's units share it; `developer` marks the
/// developer's unsold units). A dry run reports every bad row and writes nothing; a real import
/// with bad rows is refused whole with 422 `roster_invalid` and the rows.
#[utoipa::path(post, path = "/compounds/{id}/roster", tag = "roster", security(("bearer" = [])),
    params(("id" = i64, Path), ImportParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
                 description = "the CSV or XLSX file as it is"),
    responses((status = 200, body = ImportReport), (status = 422, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(p): Query<ImportParams>,
    lang: Lang,
    body: Upload,
) -> AppResult<Json<ImportReport>> {
    let c = compound_for(&state.db, &actor, id, Permission::ImportRoster).await?;
    let body = body.bytes()?;
    if body.is_empty() {
        return Err(AppError::field("file", "the request carries no file"));
    }
    Ok(Json(import_roster(&state.db, &c, actor.user.id, &body, p.dry_run, lang).await?))
}

#[derive(Deserialize, IntoParams)]
struct UnitQuery {
    building_id: Option<i64>,
    /// Words that must each match part of the building, the unit number, or its holder's key or name:
    /// at most 5 words and 100 characters (400 `search_too_long` beyond).
    q: Option<String>,
}

/// The compound's units with areas and holders.
#[utoipa::path(get, path = "/compounds/{id}/units", tag = "roster", security(("bearer" = [])),
    params(("id" = i64, Path), UnitQuery),
    responses((status = 200, body = Vec<UnitView>), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_units(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(q): Query<UnitQuery>,
) -> AppResult<Json<Vec<UnitView>>> {
    compound_for(&state.db, &actor, id, Permission::ViewRoster).await?;
    let mut find = unit::Entity::find().filter(unit::Column::CompoundId.eq(id));
    if let Some(b) = q.building_id {
        find = find.filter(unit::Column::BuildingId.eq(b));
    }
    // "5号楼 2单元301", "5号楼" or "301": every word must match the building, the unit or its holder.
    // Each word is one condition with two subqueries, never a list of ids read first: a word
    // such as "1" may match every holder of a large compound.
    for word in search_words("q", q.q.as_deref())? {
        let word = word.as_str();
        let buildings = building::Entity::find()
            .select_only()
            .column(building::Column::Id)
            .filter(building::Column::CompoundId.eq(id))
            .filter(building::Column::Name.contains(word))
            .into_query();
        let holders = holder::Entity::find()
            .select_only()
            .column(holder::Column::Id)
            .filter(holder::Column::CompoundId.eq(id))
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
    let units = find.all(&state.db).await?;
    Ok(Json(unit_views(&state.db, &units, true).await?))
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

/// The history of a unit's area and holder, oldest first.
#[utoipa::path(get, path = "/units/{id}/history", tag = "roster", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<UnitChangeView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn unit_history(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<UnitChangeView>>> {
    let u = unit::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    compound_for(&state.db, &actor, u.compound_id, Permission::ViewRoster).await?;
    let changes = unit_change::Entity::find()
        .filter(unit_change::Column::UnitId.eq(id))
        .order_by_asc(unit_change::Column::Id)
        .all(&state.db)
        .await?;
    let holder_ids = changes.iter().flat_map(|c| [c.holder_before, c.holder_after]).flatten();
    let keys: HashMap<i64, String> = holder::Entity::find()
        .filter(holder::Column::Id.is_in(holder_ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|h| (h.id, h.holder_key))
        .collect();
    let names = user_names(&state.db, changes.iter().filter_map(|c| c.by_user_id)).await?;
    Ok(Json(
        changes
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
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
struct HolderQuery {
    /// Part of a holder key, name or phone, or a unit number:
    /// at most 5 words and 100 characters (400 `search_too_long` beyond).
    q: Option<String>,
}

/// The compound's holders with their units, area and verified accounts.
#[utoipa::path(get, path = "/compounds/{id}/holders", tag = "roster", security(("bearer" = [])),
    params(("id" = i64, Path), HolderQuery),
    responses((status = 200, body = Vec<HolderView>), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_holders(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(q): Query<HolderQuery>,
) -> AppResult<Json<Vec<HolderView>>> {
    compound_for(&state.db, &actor, id, Permission::ViewRoster).await?;
    let mut find = holder::Entity::find().filter(holder::Column::CompoundId.eq(id));
    search_words("q", q.q.as_deref())?;
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let by_unit = unit::Entity::find()
            .select_only()
            .column(unit::Column::HolderId)
            .filter(unit::Column::CompoundId.eq(id))
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
    let mut holders = find.all(&state.db).await?;
    holders.sort_by_key(|h| natural_key(&h.holder_key));
    Ok(Json(holder_views(&state.db, holders).await?))
}
