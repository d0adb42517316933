//! `/compounds/{id}/files`, `/files/{id}` and the unsealing of a secret slip's scan,
//! `/files/{id}/unseal-requests`.
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, prelude::Expr};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::files::{
    FileView, MAX_FILE_BYTES,
    unseal::{self, NewUnseal, UnsealView},
};
use crate::{
    accounts::user_names,
    audit::{self, Event},
    auth::Actor,
    db::write_txn,
    entities::{compound, file, scan_unseal, vote, vote_attachment},
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path, Query, Upload},
    policy::Permission,
    tenancy::compound_for,
    text::required_text,
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
    let c = compound_for(&state.db, &actor, id, Permission::UploadFiles).await?;
    let body = body.bytes()?;
    let name = required_text("name", &p.name, 200)?;
    let f = crate::files::store(&state.db, c.id, actor.user.id, name, &body, false).await?;
    Ok((StatusCode::CREATED, Json((&f).into())))
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
    if let Some(scan) = secrecy::sealed_scan(&state.db, f.id).await? {
        let clerk = scan.in_hand && actor.authorize_compound(Permission::CountPaper, &c).is_ok();
        if !clerk {
            let now = Utc::now();
            let grant = scan_unseal::Entity::find()
                .filter(scan_unseal::Column::FileId.eq(f.id))
                .filter(scan_unseal::Column::ApprovedBy.is_not_null())
                .all(&state.db)
                .await?
                .into_iter()
                .find(|u| unseal::may_open(u, actor.user.id, now))
                .ok_or_else(sealed)?;
            let txn = write_txn(&state.db).await?;
            record(
                &txn,
                &actor,
                &c,
                f.id,
                "file.unsealed_opened",
                json!({ "request": grant.id, "vote": scan.vote_id }),
            )
            .await?;
            txn.commit().await?;
        }
    }
    Ok(crate::http::files::serve(f))
}

fn sealed() -> AppError {
    AppError::denied(
        "scan_sealed",
        "this is the scan of a secret vote's signed slip: it is sealed, and opened only on an unsealing \
         asked by one party and approved by another",
    )
}

async fn record(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    c: &compound::Model,
    file_id: i64,
    action: &str,
    detail: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        db,
        Event {
            actor_id: Some(actor.user.id),
            action,
            community_id: Some(c.community_id),
            compound_id: Some(c.id),
            subject: format!("file:{file_id}"),
            detail,
        },
    )
    .await?;
    Ok(())
}

/// A file of a compound where `actor` may handle ballots (the community office, the owners'
/// committee).
async fn file_for_unsealing(state: &AppState, actor: &Actor, id: i64) -> AppResult<(file::Model, compound::Model)> {
    let f = file::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let c = compound::Entity::find_by_id(f.compound_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    actor.authorize_compound(Permission::CountPaper, &c)?;
    Ok((f, c))
}

async fn unseal_views(db: &impl sea_orm::ConnectionTrait, us: Vec<scan_unseal::Model>) -> AppResult<Vec<UnsealView>> {
    let people: Vec<i64> = us.iter().flat_map(|u| [Some(u.requested_by), u.approved_by]).flatten().collect();
    let names = user_names(db, people).await?;
    Ok(us
        .into_iter()
        .map(|u| UnsealView {
            id: u.id,
            file_id: u.file_id,
            reason: u.reason,
            requested_by: names.get(&u.requested_by).cloned(),
            requested_party: u.requested_party,
            requested_at: u.requested_at,
            approved_by: u.approved_by.and_then(|a| names.get(&a).cloned()),
            approved_party: u.approved_party,
            approved_at: u.approved_at,
            expires_at: u.expires_at,
        })
        .collect())
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
    let (f, c) = file_for_unsealing(&state, &actor, id).await?;
    let party = *unseal::unsealing_parties(&actor.roles_in_compound(&c)).first().ok_or(AppError::Forbidden)?;
    let reason = required_text("reason", &req.reason, 500)?;
    if secrecy::sealed_scan(&state.db, f.id).await?.is_none() {
        return Err(AppError::conflict("not_sealed", "only the scan of a secret vote's slip is sealed"));
    }
    let txn = write_txn(&state.db).await?;
    let u = scan_unseal::Entity::insert(scan_unseal::ActiveModel {
        file_id: Set(f.id),
        compound_id: Set(c.id),
        reason: Set(reason.clone()),
        requested_by: Set(actor.user.id),
        requested_party: Set(party.as_str().into()),
        requested_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    let detail = json!({ "request": u.id, "party": party.as_str(), "reason": reason });
    record(&txn, &actor, &c, f.id, "file.unseal_requested", detail).await?;
    txn.commit().await?;
    let out = unseal_views(&state.db, vec![u]).await?.pop().ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(out)))
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
    let (f, _) = file_for_unsealing(&state, &actor, id).await?;
    let us = scan_unseal::Entity::find()
        .filter(scan_unseal::Column::FileId.eq(f.id))
        .order_by_desc(scan_unseal::Column::Id)
        .all(&state.db)
        .await?;
    Ok(Json(unseal_views(&state.db, us).await?))
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
    let (f, c) = file_for_unsealing(&state, &actor, id).await?;
    let u = scan_unseal::Entity::find_by_id(request_id)
        .one(&state.db)
        .await?
        .filter(|u| u.file_id == f.id)
        .ok_or(AppError::NotFound)?;
    let already = || AppError::conflict("already_approved", "this unsealing has already been approved");
    if u.approved_by.is_some() {
        return Err(already());
    }
    let party = unseal::approving_party(&u, actor.user.id, &unseal::unsealing_parties(&actor.roles_in_compound(&c)))?;
    let now = Utc::now();
    let expires = unseal::expiry(now);
    let txn = write_txn(&state.db).await?;
    let moved = scan_unseal::Entity::update_many()
        .col_expr(scan_unseal::Column::ApprovedBy, Expr::value(actor.user.id))
        .col_expr(scan_unseal::Column::ApprovedParty, Expr::value(party.as_str()))
        .col_expr(scan_unseal::Column::ApprovedAt, Expr::value(now))
        .col_expr(scan_unseal::Column::ExpiresAt, Expr::value(expires))
        .filter(scan_unseal::Column::Id.eq(u.id))
        .filter(scan_unseal::Column::ApprovedBy.is_null())
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(already());
    }
    let detail = json!({ "request": u.id, "party": party.as_str(), "requested_by": u.requested_by,
                         "expires_at": expires.to_rfc3339() });
    record(&txn, &actor, &c, f.id, "file.unseal_approved", detail).await?;
    txn.commit().await?;
    let u = scan_unseal::Entity::find_by_id(u.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    Ok(Json(unseal_views(&state.db, vec![u]).await?.pop().ok_or(AppError::NotFound)?))
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
