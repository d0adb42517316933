//! `/communities/{id}/concern-categories`: the categories a community sorts concerns into, each
//! with the party on duty by default and the hours within which it should be settled.
use axum::{extract::State, http::StatusCode};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::concerns::{
    CategoryView, NewCategory, UpdateCategory,
    categories::{check_hours, check_key},
    categories_of,
};
use crate::{
    audit::{self, Event},
    auth::Actor,
    db::write_txn,
    entities::{community, concern_category},
    error::{AppError, AppResult, ErrorBody, is_unique_violation},
    http::AppState,
    http::extract::{Json, Path},
    policy::Permission,
    text::required_text,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_categories, create_category)).routes(routes!(update_category))
}

async fn community_for(state: &AppState, actor: &Actor, id: i64, p: Permission) -> AppResult<community::Model> {
    let c = community::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    actor.authorize_community(p, c.id)?;
    Ok(c)
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
    let c = community_for(&state, &actor, id, Permission::ViewCommunity).await?;
    Ok(Json(categories_of(&state.db, c.id).await?.iter().map(Into::into).collect()))
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
    let c = community_for(&state, &actor, id, Permission::ManageConcernCategories).await?;
    let key = check_key(&req.key)?;
    let name_zh = required_text("name_zh", &req.name_zh, 50)?;
    let name_en = required_text("name_en", &req.name_en, 50)?;
    let hours = check_hours(req.time_limit_hours)?;
    let txn = write_txn(&state.db).await?;
    let position = categories_of(&txn, c.id).await?.iter().map(|c| c.position).max().unwrap_or(0) + 1;
    let row = concern_category::Entity::insert(concern_category::ActiveModel {
        community_id: Set(c.id),
        key: Set(key.clone()),
        name_zh: Set(name_zh),
        name_en: Set(name_en),
        default_party_kind: Set(req.default_party_kind.as_str().into()),
        time_limit_hours: Set(hours),
        position: Set(position),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::conflict("category_exists", "this community already has a category with this key")
        } else {
            e.into()
        }
    })?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "concern_category.created",
            community_id: Some(c.id),
            compound_id: None,
            subject: format!("concern_category:{}", row.id),
            detail: json!({ "key": key, "party": row.default_party_kind, "hours": row.time_limit_hours }),
        },
    )
    .await?;
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
    let c = community_for(&state, &actor, id, Permission::ManageConcernCategories).await?;
    let row = concern_category::Entity::find_by_id(category_id)
        .filter(concern_category::Column::CommunityId.eq(c.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let before = CategoryView::from(&row);
    let mut am: concern_category::ActiveModel = row.into();
    if let Some(n) = &req.name_zh {
        am.name_zh = Set(required_text("name_zh", n, 50)?);
    }
    if let Some(n) = &req.name_en {
        am.name_en = Set(required_text("name_en", n, 50)?);
    }
    if let Some(k) = req.default_party_kind {
        am.default_party_kind = Set(k.as_str().into());
    }
    if let Some(h) = req.time_limit_hours {
        am.time_limit_hours = Set(check_hours(h)?);
    }
    if let Some(p) = req.position {
        am.position = Set(p);
    }
    let txn = write_txn(&state.db).await?;
    let row = am.update(&txn).await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "concern_category.changed",
            community_id: Some(c.id),
            compound_id: None,
            subject: format!("concern_category:{}", row.id),
            detail: json!({
                "key": row.key,
                "party": { "from": before.default_party_kind.as_str(), "to": row.default_party_kind },
                "hours": { "from": before.time_limit_hours, "to": row.time_limit_hours },
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Json((&row).into()))
}
