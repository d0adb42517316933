//! `/compounds/{id}/roster`, `/compounds/{id}/units`, `/compounds/{id}/holders`, `/units/{id}/history`.
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::roster::{self, HolderView, ImportReport, UnitChangeView, UnitView};
use crate::{
    auth::Actor,
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path, Query, Upload},
    i18n::Lang,
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
/// Columns (header row, English or Chinese): building 楼栋, entrance 单元 (optional, joined to the
/// room: 2 + 1201 → 2单元1201), unit 房号, area 面积 (m², ≤ 2 decimals), area_source 面积来源
/// (registered | surveyed | contract; may be left out when the area column is headed 产权面积,
/// 测绘面积 or 合同面积), holder_name 业主姓名, holder_phone 联系电话 (optional), holder_key 业主编号 (one
/// per holder; a holder's units share it; `developer` marks the developer's unsold units). The
/// header is looked for in the first 20 lines; title lines above it, blank lines and 合计 lines
/// are passed over and reported in `layout`, with how each column was understood. A dry run
/// reports every bad row and writes nothing; a real import with bad rows is refused whole with
/// 422 `roster_invalid` and the rows.
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
    Ok(Json(roster::import(&state.db, &actor, id, body.bytes(), p.dry_run, lang).await?))
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
    Ok(Json(roster::units_of(&state.db, &actor, id, q.building_id, q.q.as_deref()).await?))
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
    Ok(Json(roster::unit_history(&state.db, &actor, id).await?))
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
    Ok(Json(roster::holders_of(&state.db, &actor, id, q.q.as_deref()).await?))
}
