//! `/compounds/{id}/files` and `/files/{id}`.
use axum::{
    body::Bytes,
    extract::{State, rejection::BytesRejection},
    http::StatusCode,
    response::Response,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{FileView, MAX_FILE_BYTES};
use crate::{
    auth::Actor,
    entities::{compound, file, vote, vote_attachment},
    error::{AppError, AppResult, ErrorBody},
    extract::{Json, Path, Query, required_text},
    policy::Permission,
    state::AppState,
    tenancy::compound_for,
    votes::model::VoteStatus,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        .routes(routes!(download))
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
    body: Result<Bytes, BytesRejection>,
) -> AppResult<(StatusCode, Json<FileView>)> {
    let c = compound_for(&state.db, &actor, id, Permission::UploadFiles).await?;
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::bad_request("unreadable_body", r.body_text())
        }
    })?;
    let name = required_text("name", &p.name, 200)?;
    let f = super::store(&state.db, c.id, actor.user.id, name, &body, false).await?;
    Ok((StatusCode::CREATED, Json((&f).into())))
}

/// Download a file: staff of its compound, and — for attachments of a published vote — anyone
/// with a role in the compound.
#[utoipa::path(get, path = "/files/{id}", tag = "files", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = ErrorBody)))]
async fn download(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Response> {
    let f = file::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let c = compound::Entity::find_by_id(f.compound_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    if actor.authorize_compound(Permission::UploadFiles, &c).is_err() {
        actor.authorize_compound(Permission::ViewVotes, &c)?;
        let attached =
            vote_attachment::Entity::find().filter(vote_attachment::Column::FileId.eq(f.id)).all(&state.db).await?;
        let published = vote::Entity::find()
            .filter(vote::Column::Id.is_in(attached.iter().map(|a| a.vote_id)))
            .filter(vote::Column::Status.ne(VoteStatus::Draft.as_str()))
            .one(&state.db)
            .await?;
        if published.is_none() {
            return Err(AppError::NotFound);
        }
    }
    Ok(super::serve(f))
}
