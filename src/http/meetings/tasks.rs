//! `/meetings/{id}/items/{item_id}/tasks`, `/communities/{id}/tasks`, `/tasks/{id}/…`: action
//! items (督办) from a meeting's decisions to done.
use axum::{extract::State, http::StatusCode, response::Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::meetings::tasks::{self, NewTask, TaskFilter, TaskReview, TaskSummary, TaskUpdateRequest, TaskView};
use crate::{
    auth::Actor,
    concerns::{self, ConcernStep},
    db::write_txn,
    error::{AppResult, ErrorBody},
    files::FileView,
    http::AppState,
    http::extract::{Json, Path, Query, Upload},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_task))
        .routes(routes!(list_tasks))
        .routes(routes!(get_task))
        .routes(routes!(post_task_update))
        .routes(routes!(add_task_photo))
        .routes(routes!(task_photo))
        .routes(routes!(review_task))
}

/// Set an action item going from an item of the meeting: the party responsible is told.
#[utoipa::path(post, path = "/meetings/{id}/items/{item_id}/tasks", tag = "meetings", request_body = NewTask,
    security(("bearer" = [])), params(("id" = i64, Path), ("item_id" = i64, Path)),
    responses((status = 201, body = TaskView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn create_task(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, item_id)): Path<(i64, i64)>,
    Json(req): Json<NewTask>,
) -> AppResult<(StatusCode, Json<TaskView>)> {
    let txn = write_txn(&state.db).await?;
    let t = tasks::create_task(&txn, &actor, id, item_id, req).await?;
    if let Some((concern, detail)) = tasks::concern_of(&txn, &t).await? {
        concerns::from_meeting(&txn, &actor, concern, ConcernStep::TaskSet, detail).await?;
    }
    txn.commit().await?;
    state.room.changed(id).await;
    Ok((StatusCode::CREATED, Json(tasks::show(&state.db, &actor, t.id).await?)))
}

/// The community's action items, soonest due first: all to the community office, their own
/// party's to the others; `status=overdue` for those past their day.
#[utoipa::path(get, path = "/communities/{id}/tasks", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path), TaskFilter),
    responses((status = 200, body = Vec<TaskSummary>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_tasks(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(filter): Query<TaskFilter>,
) -> AppResult<Json<Vec<TaskSummary>>> {
    Ok(Json(tasks::list(&state.db, &actor, id, filter).await?))
}

/// An action item with its progress and photos.
#[utoipa::path(get, path = "/tasks/{id}", tag = "meetings", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = TaskView), (status = 404, body = ErrorBody)))]
async fn get_task(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<TaskView>> {
    Ok(Json(tasks::show(&state.db, &actor, id).await?))
}

/// Post progress, or report the item done (the party responsible): the convening office is
/// asked to confirm.
#[utoipa::path(post, path = "/tasks/{id}/updates", tag = "meetings", request_body = TaskUpdateRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = TaskView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn post_task_update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<TaskUpdateRequest>,
) -> AppResult<Json<TaskView>> {
    let txn = write_txn(&state.db).await?;
    tasks::post_update(&txn, &actor, id, req).await?;
    txn.commit().await?;
    Ok(Json(tasks::show(&state.db, &actor, id).await?))
}

#[derive(Deserialize, IntoParams)]
struct PhotoParams {
    /// The photo's file name on the phone.
    name: String,
}

/// Add a photo as evidence (JPEG or PNG, at most 10 MiB, at most six; location and other
/// metadata are stripped).
#[utoipa::path(post, path = "/tasks/{id}/photos", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path), PhotoParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the photo as it is"),
    responses((status = 201, body = FileView), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn add_task_photo(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(photo): Query<PhotoParams>,
    body: Upload,
) -> AppResult<(StatusCode, Json<FileView>)> {
    let txn = write_txn(&state.db).await?;
    let f = tasks::add_photo(&txn, &actor, id, &photo.name, body.bytes()).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json((&f).into())))
}

/// One of an action item's photos.
#[utoipa::path(get, path = "/tasks/{id}/photos/{file_id}", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = ErrorBody)))]
async fn task_photo(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, file_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    Ok(crate::http::files::serve(tasks::photo(&state.db, &actor, id, file_id).await?))
}

/// Confirm an action item done, or send it back with a reason (the convening office).
#[utoipa::path(post, path = "/tasks/{id}/review", tag = "meetings", request_body = TaskReview,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = TaskView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn review_task(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<TaskReview>,
) -> AppResult<Json<TaskView>> {
    let txn = write_txn(&state.db).await?;
    let accept = req.accept;
    let t = tasks::review(&txn, &actor, id, req).await?;
    if accept && let Some((concern, detail)) = tasks::concern_of(&txn, &t).await? {
        concerns::from_meeting(&txn, &actor, concern, ConcernStep::TaskDone, detail).await?;
    }
    txn.commit().await?;
    Ok(Json(tasks::show(&state.db, &actor, id).await?))
}
