//! `/agendas/{id}/comments`: an agenda's discussion, with one level of replies. Comments by the
//! three parties' members are badged official; moderators hide a comment with a reason, and the
//! thread shows who hid it and why.
use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::agendas::{CommentView, HideRequest, NewComment, comments};
use crate::{
    auth::Actor,
    db::write_txn,
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_comments, add_comment)).routes(routes!(hide_comment))
}

/// The discussion, oldest first, replies under their comments.
#[utoipa::path(get, path = "/agendas/{id}/comments", tag = "agendas", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<CommentView>), (status = 404, body = ErrorBody)))]
async fn list_comments(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<CommentView>>> {
    Ok(Json(comments::list_comments(&state.db, &actor, id).await?))
}

/// Add a comment, or a reply to a top-level comment. A party member's comment is official.
#[utoipa::path(post, path = "/agendas/{id}/comments", tag = "agendas", request_body = NewComment,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = CommentView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn add_comment(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewComment>,
) -> AppResult<(StatusCode, Json<CommentView>)> {
    let txn = write_txn(&state.db).await?;
    let comment = comments::add_comment(&txn, &actor, id, req).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(comment)))
}

/// Hide a comment from the discussion, with the reason: the secretary, or the owners' committee
/// of the agenda's compound (a community-wide agenda is moderated by the secretary alone).
#[utoipa::path(post, path = "/agendas/{id}/comments/{comment_id}/hide", tag = "agendas", request_body = HideRequest,
    security(("bearer" = [])), params(("id" = i64, Path), ("comment_id" = i64, Path)),
    responses((status = 204, description = "hidden"), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn hide_comment(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, comment_id)): Path<(i64, i64)>,
    Json(req): Json<HideRequest>,
) -> AppResult<StatusCode> {
    let txn = write_txn(&state.db).await?;
    comments::hide_comment(&txn, &actor, id, comment_id, req).await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
