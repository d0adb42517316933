//! `/compounds/{id}/files` and `/files/{id}`.
use axum::{
    body::Bytes,
    extract::{State, rejection::BytesRejection},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{FileView, MAX_FILE_BYTES, sniff, strip_jpeg_metadata, strip_png_metadata};
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
    let content_type = sniff(&body).ok_or_else(|| AppError::field("file", "must be a JPEG, PNG or PDF file"))?;
    let data = match content_type {
        "image/jpeg" => {
            strip_jpeg_metadata(&body).ok_or_else(|| AppError::field("file", "the JPEG file is damaged"))?
        }
        "image/png" => strip_png_metadata(&body).ok_or_else(|| AppError::field("file", "the PNG file is damaged"))?,
        _ => body.to_vec(),
    };
    let f = file::Entity::insert(file::ActiveModel {
        compound_id: Set(c.id),
        name: Set(name),
        content_type: Set(content_type.into()),
        size: Set(data.len() as i64),
        sha256: Set(hex::encode(Sha256::digest(&data))),
        data: Set(data),
        uploaded_by: Set(actor.user.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&state.db)
    .await?;
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
    let disposition = format!("inline; filename*=UTF-8''{}", percent_encode(&f.name));
    Ok((
        [
            (header::CONTENT_TYPE, f.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, max-age=3600".into()),
        ],
        f.data,
    )
        .into_response())
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
