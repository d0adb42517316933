//! `/compounds/{id}/files`, `/files/{id}` and the unsealing of a secret slip's scan,
//! `/files/{id}/unseal-requests`.
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::files::{
    FileView, MAX_FILE_BYTES, ops,
    unseal::{NewUnseal, UnsealView},
};
use crate::{
    auth::Actor,
    entities::{file, vote, vote_attachment},
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path, Query, Upload},
    policy::Permission,
    votes::{model::VoteStatus, secrecy},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        .routes(routes!(download))
        .routes(routes!(request_unseal, list_unseals))
        .routes(routes!(approve_unseal))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_FILE_BYTES))
}

#[derive(Deserialize, IntoParams)]
struct UploadParams {
    /// The file's name as the uploader knows it.
    name: String,
}

/// Upload a file (JPEG, PNG or PDF, at most 10 MiB) for use in this compound: a vote's
/// attachment, or the scan of a signed paper ballot or proxy. Photos lose their embedded metadata.
#[utoipa::path(post, path = "/compounds/{id}/files", tag = "files", security(("bearer" = [])),
    params(("id" = i64, Path), UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the file as it is"),
    responses((status = 201, body = FileView), (status = 422, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn upload(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(p): Query<UploadParams>,
    body: Upload,
) -> AppResult<(StatusCode, Json<FileView>)> {
    Ok((StatusCode::CREATED, Json(ops::upload(&state.db, &actor, id, &p.name, body.bytes()).await?)))
}

/// Whether file `file_id` is attached to a vote that is out of its draft.
// The files area sits below the votes, so what a file is to a vote is asked here, at the edge.
async fn attached_to_published_vote(db: &impl ConnectionTrait, file_id: i64) -> AppResult<bool> {
    let attached = vote_attachment::Entity::find().filter(vote_attachment::Column::FileId.eq(file_id)).all(db).await?;
    let published = vote::Entity::find()
        .filter(vote::Column::Id.is_in(attached.iter().map(|a| a.vote_id)))
        .filter(vote::Column::Status.ne(VoteStatus::Draft.as_str()))
        .one(db)
        .await?;
    Ok(published.is_some())
}

/// Download a file: staff of its compound, and — for attachments of a published vote — anyone
/// with a role in the compound. The scan of a secret vote's signed slip is sealed (403
/// `scan_sealed`): the clerks may look at it while the slip awaits confirmation on an open vote,
/// and afterwards only the two people of an approved unsealing, until it expires, each opening
/// recorded on the audit trail.
#[utoipa::path(get, path = "/files/{id}", tag = "files", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn download(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Response> {
    let f = ops::file_in(&state.db, id).await?;
    if actor.authorize_compound(Permission::UploadFiles, &f.compound).is_err() {
        actor.authorize_compound(Permission::ViewVotes, &f.compound)?;
        if !attached_to_published_vote(&state.db, f.file.id).await? {
            return Err(AppError::NotFound);
        }
    }
    if let Some(scan) = secrecy::sealed_scan(&state.db, f.file.id).await? {
        ops::open_sealed(&state.db, &actor, &f, scan.vote_id, scan.in_hand).await?;
    }
    Ok(serve(f.file))
}

/// Ask to open the sealed scan of a secret vote's slip, giving the reason. The community office
/// or the owners' committee asks; a person of the other party must approve.
#[utoipa::path(post, path = "/files/{id}/unseal-requests", tag = "files", request_body = NewUnseal,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = UnsealView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn request_unseal(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewUnseal>,
) -> AppResult<(StatusCode, Json<UnsealView>)> {
    let sealed = secrecy::sealed_scan(&state.db, id).await?.is_some();
    Ok((StatusCode::CREATED, Json(ops::request_unseal(&state.db, &actor, id, sealed, &req).await?)))
}

/// The requests to open a file, newest first.
#[utoipa::path(get, path = "/files/{id}/unseal-requests", tag = "files", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<UnsealView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_unseals(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<UnsealView>>> {
    Ok(Json(ops::list_unseals(&state.db, &actor, id).await?))
}

/// Approve a request to open a sealed scan, as a person of another party than the requester's.
/// The requester and the approver may then open the scan for seven days.
#[utoipa::path(post, path = "/files/{id}/unseal-requests/{request_id}/approve", tag = "files",
    security(("bearer" = [])), params(("id" = i64, Path), ("request_id" = i64, Path)),
    responses((status = 200, body = UnsealView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn approve_unseal(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, request_id)): Path<(i64, i64)>,
) -> AppResult<Json<UnsealView>> {
    Ok(Json(ops::approve_unseal(&state.db, &actor, id, request_id).await?))
}

/// Answer a stored file's bytes, shown inline under its own name.
pub fn serve(f: file::Model) -> Response {
    (
        [
            (header::CONTENT_TYPE, f.content_type),
            (header::CONTENT_DISPOSITION, crate::files::inline_disposition(&f.name)),
            (header::CACHE_CONTROL, "private, max-age=3600".into()),
        ],
        f.data,
    )
        .into_response()
}
