//! `/compounds/{id}/concerns` and `/concerns/{id}/…`: raising a concern and every step after.
mod categories;
mod dashboard;

use axum::{extract::State, http::StatusCode, response::Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::concerns::Act;
use crate::concerns::{
    self, ConcernFilter, ConcernPage, ConcernView, DepartmentResponse, EscalateRequest, NewConcern, NoteRequest,
    RateRequest, ReopenRequest, ReplyRequest, RouteRequest,
};
use crate::{
    auth::Actor,
    db::write_txn,
    error::{AppResult, ErrorBody},
    files::{FileView, MAX_FILE_BYTES},
    http::AppState,
    http::extract::{Json, Path, Query, Upload},
    i18n::Lang,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(categories::router())
        .merge(dashboard::router())
        .routes(routes!(list_concerns, raise))
        .routes(routes!(get_concern))
        .routes(routes!(route))
        .routes(routes!(acknowledge))
        .routes(routes!(reply))
        .routes(routes!(resolve))
        .routes(routes!(confirm_concern))
        .routes(routes!(reopen))
        .routes(routes!(rate))
        .routes(routes!(escalate))
        .routes(routes!(department_response))
        .routes(routes!(photo))
        // Only the photo upload takes a large body.
        .merge(
            OpenApiRouter::new().routes(routes!(add_photo)).layer(axum::extract::DefaultBodyLimit::max(MAX_FILE_BYTES)),
        )
}

/// Reload after a change and answer the concern, its timeline told in `lang`.
async fn answer(state: &AppState, actor: &Actor, id: i64, lang: Lang) -> AppResult<Json<ConcernView>> {
    Ok(Json(concerns::show(&state.db, actor, id, lang).await?))
}

/// Take one step on concern `id` in a write transaction, then answer the concern as it now is.
async fn take(state: &AppState, actor: &Actor, id: i64, lang: Lang, act: Act) -> AppResult<Json<ConcernView>> {
    let txn = write_txn(&state.db).await?;
    concerns::act(&txn, actor, id, act).await?;
    txn.commit().await?;
    answer(state, actor, id, lang).await
}

/// A compound's concerns, newest first, a page at a time. The three parties and the community
/// office see them all; anyone else sees their own.
#[utoipa::path(get, path = "/compounds/{id}/concerns", tag = "concerns", security(("bearer" = [])),
    params(("id" = i64, Path), ConcernFilter),
    responses((status = 200, body = ConcernPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn list_concerns(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(f): Query<ConcernFilter>,
) -> AppResult<Json<ConcernPage>> {
    Ok(Json(concerns::list(&state.db, &actor, id, f).await?))
}

/// Raise a concern in a compound. The community office is told, and routes it.
#[utoipa::path(post, path = "/compounds/{id}/concerns", tag = "concerns", request_body = NewConcern,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = ConcernView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn raise(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Path(id): Path<i64>,
    Json(req): Json<NewConcern>,
) -> AppResult<(StatusCode, Json<ConcernView>)> {
    let txn = write_txn(&state.db).await?;
    let row = concerns::raise(&txn, &actor, id, req).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, answer(&state, &actor, row.id, lang).await?))
}

/// A concern with its photos, timeline and escalations, and what the caller may do with it.
#[utoipa::path(get, path = "/concerns/{id}", tag = "concerns", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 404, body = ErrorBody)))]
async fn get_concern(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Path(id): Path<i64>,
) -> AppResult<Json<ConcernView>> {
    answer(&state, &actor, id, lang).await
}

/// Route a concern to the party on duty (the category's default unless another is named), or
// jscpd:ignore-start: the step routes differ only in path, body and step; each declares its own
// OpenAPI operation.
/// to the community office itself. The party's members are told.
#[utoipa::path(post, path = "/concerns/{id}/route", tag = "concerns", request_body = RouteRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn route(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Path(id): Path<i64>,
    Json(req): Json<RouteRequest>,
) -> AppResult<Json<ConcernView>> {
    take(&state, &actor, id, lang, Act::Route(req)).await
}

/// The assigned party takes the concern on.
#[utoipa::path(post, path = "/concerns/{id}/acknowledge", tag = "concerns", request_body = NoteRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn acknowledge(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Path(id): Path<i64>,
    Json(req): Json<NoteRequest>,
) -> AppResult<Json<ConcernView>> {
    take(&state, &actor, id, lang, Act::Acknowledge(req)).await
}

/// Answer the raiser: the assigned party, or the community office. The raiser is told.
#[utoipa::path(post, path = "/concerns/{id}/replies", tag = "concerns", request_body = ReplyRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn reply(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Path(id): Path<i64>,
    Json(req): Json<ReplyRequest>,
) -> AppResult<Json<ConcernView>> {
    take(&state, &actor, id, lang, Act::Reply(req)).await
}

/// The assigned party marks the concern resolved; the raiser is asked to confirm and rate.
#[utoipa::path(post, path = "/concerns/{id}/resolve", tag = "concerns", request_body = NoteRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn resolve(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Path(id): Path<i64>,
    Json(req): Json<NoteRequest>,
) -> AppResult<Json<ConcernView>> {
    take(&state, &actor, id, lang, Act::Resolve(req)).await
}

/// The raiser confirms that the concern is settled.
#[utoipa::path(post, path = "/concerns/{id}/confirm", tag = "concerns", request_body = NoteRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn confirm_concern(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Path(id): Path<i64>,
    Json(req): Json<NoteRequest>,
) -> AppResult<Json<ConcernView>> {
    take(&state, &actor, id, lang, Act::Confirm(req)).await
}

/// The raiser says it is not settled; the assigned party is told.
#[utoipa::path(post, path = "/concerns/{id}/reopen", tag = "concerns", request_body = ReopenRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn reopen(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Path(id): Path<i64>,
    Json(req): Json<ReopenRequest>,
) -> AppResult<Json<ConcernView>> {
    take(&state, &actor, id, lang, Act::Reopen(req)).await
}

/// The raiser rates satisfaction, 1 to 5, once the concern is resolved.
#[utoipa::path(post, path = "/concerns/{id}/rating", tag = "concerns", request_body = RateRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn rate(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Path(id): Path<i64>,
    Json(req): Json<RateRequest>,
) -> AppResult<Json<ConcernView>> {
    take(&state, &actor, id, lang, Act::Rate(req)).await
}

/// Escalate to an outside department (吹哨): which one, and what it was asked.
#[utoipa::path(post, path = "/concerns/{id}/escalations", tag = "concerns", request_body = EscalateRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn escalate(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Path(id): Path<i64>,
    Json(req): Json<EscalateRequest>,
) -> AppResult<Json<ConcernView>> {
    take(&state, &actor, id, lang, Act::Escalate(req)).await
}
// jscpd:ignore-end

/// Record the department's response (报到).
#[utoipa::path(post, path = "/concerns/{id}/escalations/{escalation_id}/response", tag = "concerns",
    request_body = DepartmentResponse, security(("bearer" = [])),
    params(("id" = i64, Path), ("escalation_id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn department_response(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Path((id, escalation_id)): Path<(i64, i64)>,
    Json(req): Json<DepartmentResponse>,
) -> AppResult<Json<ConcernView>> {
    let txn = write_txn(&state.db).await?;
    concerns::record_department_response(&txn, &actor, id, escalation_id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, id, lang).await
}

#[derive(Deserialize, IntoParams)]
struct PhotoParams {
    /// The photo's file name on the phone.
    name: String,
}

/// Add a photo (JPEG or PNG, at most 10 MiB; location and other metadata are stripped) to my
/// concern: at most six.
#[utoipa::path(post, path = "/concerns/{id}/photos", tag = "concerns", security(("bearer" = [])),
    params(("id" = i64, Path), PhotoParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the photo as it is"),
    responses((status = 201, body = FileView), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn add_photo(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(p): Query<PhotoParams>,
    body: Upload,
) -> AppResult<(StatusCode, Json<FileView>)> {
    let txn = write_txn(&state.db).await?;
    let f = concerns::add_photo(&txn, &actor, id, &p.name, body.bytes()).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json((&f).into())))
}

/// One of a concern's photos, to those who may see the concern.
#[utoipa::path(get, path = "/concerns/{id}/photos/{file_id}", tag = "concerns", security(("bearer" = [])),
    params(("id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = ErrorBody)))]
async fn photo(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, file_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let f = concerns::photo(&state.db, &actor, id, file_id).await?;
    Ok(crate::http::files::serve(f))
}
