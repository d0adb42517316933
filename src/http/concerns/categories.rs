//! `/communities/{id}/concern-categories`: the categories a community sorts concerns into, each
//! with the party on duty by default and the hours within which it should be settled.
use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::concerns::{
    CategoryView, NewCategory, UpdateCategory,
    categories::{create_category as create, list_categories as list, update_category as update},
};
use crate::{
    auth::Actor,
    db::write_txn,
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_categories, create_category)).routes(routes!(update_category))
}

/// The community's concern categories, in display order.
#[utoipa::path(get, path = "/communities/{id}/concern-categories", tag = "concerns", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<CategoryView>), (status = 404, body = ErrorBody)))]
async fn list_categories(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<CategoryView>>> {
    Ok(Json(list(&state.db, &actor, id).await?))
}

/// Add a category (the secretary).
#[utoipa::path(post, path = "/communities/{id}/concern-categories", tag = "concerns", request_body = NewCategory,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = CategoryView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn create_category(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewCategory>,
) -> AppResult<(StatusCode, Json<CategoryView>)> {
    let txn = write_txn(&state.db).await?;
    let row = create(&txn, &actor, id, req).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json((&row).into())))
}

/// Change a category's names, default party, time limit or position (the secretary).
#[utoipa::path(patch, path = "/communities/{id}/concern-categories/{category_id}", tag = "concerns",
    request_body = UpdateCategory, security(("bearer" = [])),
    params(("id" = i64, Path), ("category_id" = i64, Path)),
    responses((status = 200, body = CategoryView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn update_category(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, category_id)): Path<(i64, i64)>,
    Json(req): Json<UpdateCategory>,
) -> AppResult<Json<CategoryView>> {
    let txn = write_txn(&state.db).await?;
    let row = update(&txn, &actor, id, category_id, req).await?;
    txn.commit().await?;
    Ok(Json((&row).into()))
}
