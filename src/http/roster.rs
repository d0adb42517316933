//! `/compounds/{id}/roster`, `/compounds/{id}/units`, `/compounds/{id}/holders`, `/units/{id}/history`.
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::roster::{
    self, AreaSource, HolderView, ImportChoices, ImportReport, UnitChangeView, UnitView, sheet::Choices,
};
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
    /// The secretary's reading of the columns, replacing the headings' guess: for each column of
    /// the header row from A, in order and separated by commas, the field it is read as
    /// (building, entrance, unit, area, area_source, holder_name, holder_phone, holder_key) or
    /// `-` to leave it unread, e.g. `building,entrance,unit,area,-,holder_name,holder_phone`.
    /// The header is still found below titles. A field given twice, a needed field (building,
    /// unit, area, holder_name) given to none, an unknown field or a count other than the
    /// header's columns is refused with 422 naming the column by letter and heading.
    columns: Option<String>,
    /// The area source of every row, for a sheet without a 面积来源 column whose area heading
    /// names no source (建筑面积 does not): registered 产权登记, surveyed 实测 or contract 合同.
    /// A sheet that names its source keeps it.
    area_source: Option<AreaSource>,
    /// `proposed`: the secretary checked the holders proposed by the dry run and confirms their
    /// keys. Needed to import a sheet without a holder key column (422 on `holder_keys` without).
    #[param(inline)]
    holder_keys: Option<HolderKeysChoice>,
}

/// Confirmation of the holder keys proposed for a sheet without them.
#[derive(Deserialize, utoipa::ToSchema, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum HolderKeysChoice {
    Proposed,
}

/// Import the owner roster from the sheet the property company keeps (CSV UTF-8 or XLSX).
///
/// Columns (header row, English or Chinese): building 楼栋, entrance 单元 (optional, joined to the
/// room: 2 + 1201 → 2单元1201), unit 房号, area 面积 (m², ≤ 2 decimals), area_source 面积来源
/// (registered | surveyed | contract; may be left out when the area column is headed 产权面积,
/// 测绘面积 or 合同面积, or chosen for the whole sheet with `area_source`), holder_name 业主姓名,
/// holder_phone 联系电话 (optional), holder_key 业主编号 (optional: one per holder; a holder's units
/// share it; `developer` marks the developer's unsold units). The header is looked for in the
/// first 20 lines; title lines above it, blank lines and 合计 lines are passed over and reported
/// in `layout`, with how each column was understood (and sample cells) and which area basis
/// applies; `columns` corrects how the columns are read.
///
/// Without a holder key column, keys are proposed (`proposed_holders`): rows with the same name
/// and phone are one holder; the same name with another phone is another holder, flagged; rows
/// without a phone join their name's one phone, else stand together by name, flagged. A key is
/// `P` + 10 hex digits of SHA-256 over name and phone, so the same sheet gives the same keys;
/// a holder already in the compound with that name and phone keeps its key. The real import
/// takes them only with `holder_keys=proposed`, recorded in the audit trail with who confirmed.
///
/// A dry run reports every bad row and writes nothing; a real import with bad rows (a missing
/// area basis among them) is refused whole with 422 `roster_invalid` and the rows.
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
    let choices = ImportChoices {
        sheet: Choices {
            columns: p.columns.as_deref().map(|c| c.split(',').map(|f| f.trim().to_owned()).collect()),
            area_source: p.area_source,
        },
        confirm_proposed_keys: p.holder_keys == Some(HolderKeysChoice::Proposed),
    };
    Ok(Json(roster::import(&state.db, &actor, id, body.bytes(), p.dry_run, &choices, lang).await?))
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
