//! `/agendas/{id}/comments`: an agenda's discussion, with one level of replies. Comments by the
//! three parties' members are badged official; moderators hide a comment with a reason, and the
//! thread shows who hid it and why.
use std::collections::HashMap;

use axum::{extract::State, http::StatusCode};
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, prelude::Expr};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::agendas::comments::{MAX_COMMENTS, comment_view, thread};
use crate::agendas::{CommentView, HideRequest, NewComment, agenda_for, authorize};
use crate::{
    accounts::user_names,
    audit::{self, Event},
    auth::Actor,
    concerns::main_party,
    db::write_txn,
    entities::agenda_comment,
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
    policy::Permission,
    text::required_text,
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
    let a = agenda_for(&state.db, &actor, id).await?;
    let rows = agenda_comment::Entity::find()
        .filter(agenda_comment::Column::AgendaId.eq(a.agenda.id))
        .order_by_asc(agenda_comment::Column::Id)
        .limit(MAX_COMMENTS)
        .all(&state.db)
        .await?;
    let people: Vec<i64> = rows.iter().flat_map(|c| [Some(c.author_id), c.hidden_by]).flatten().collect();
    let names = user_names(&state.db, people).await?;
    let moderator = authorize(&actor, &a, Permission::ModerateAgendas).is_ok();
    Ok(Json(thread(rows, &names, actor.user.id, moderator)))
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
    let a = agenda_for(&state.db, &actor, id).await?;
    authorize(&actor, &a, Permission::CommentAgendas)?;
    if !a.status().is_active() {
        return Err(AppError::conflict("agenda_not_active", "the discussion of this agenda is closed"));
    }
    let body = required_text("body", &req.body, 5000)?;
    if let Some(p) = req.parent_id {
        let parent = agenda_comment::Entity::find_by_id(p)
            .filter(agenda_comment::Column::AgendaId.eq(a.agenda.id))
            .one(&state.db)
            .await?
            .ok_or_else(|| AppError::field("parent_id", "no such comment on this agenda"))?;
        if parent.parent_id.is_some() {
            return Err(AppError::field("parent_id", "answer the comment at the top of the thread"));
        }
    }
    let official = main_party(&a.kinds);
    let txn = write_txn(&state.db).await?;
    let row = agenda_comment::Entity::insert(agenda_comment::ActiveModel {
        agenda_id: Set(a.agenda.id),
        parent_id: Set(req.parent_id),
        author_id: Set(actor.user.id),
        body: Set(body),
        official_kind: Set(official.map(|k| k.as_str().into())),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "agenda.commented",
            community_id: Some(a.agenda.community_id),
            compound_id: a.agenda.compound_id,
            subject: format!("agenda:{}", a.agenda.id),
            detail: json!({ "comment_id": row.id, "parent_id": row.parent_id, "official": row.official_kind }),
        },
    )
    .await?;
    txn.commit().await?;
    let names = HashMap::from([(actor.user.id, actor.user.display_name.clone())]);
    Ok((StatusCode::CREATED, Json(comment_view(&row, &names, actor.user.id, false))))
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
    let a = agenda_for(&state.db, &actor, id).await?;
    authorize(&actor, &a, Permission::ModerateAgendas)?;
    let reason = required_text("reason", &req.reason, 500)?;
    let c = agenda_comment::Entity::find_by_id(comment_id)
        .filter(agenda_comment::Column::AgendaId.eq(a.agenda.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = write_txn(&state.db).await?;
    let moved = agenda_comment::Entity::update_many()
        .col_expr(agenda_comment::Column::HiddenAt, Expr::value(Utc::now()))
        .col_expr(agenda_comment::Column::HiddenBy, Expr::value(actor.user.id))
        .col_expr(agenda_comment::Column::HiddenReason, Expr::value(reason.clone()))
        .filter(agenda_comment::Column::Id.eq(c.id))
        .filter(agenda_comment::Column::HiddenAt.is_null())
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::conflict("already_hidden", "this comment is already hidden"));
    }
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "agenda.comment_hidden",
            community_id: Some(a.agenda.community_id),
            compound_id: a.agenda.compound_id,
            subject: format!("agenda:{}", a.agenda.id),
            detail: json!({ "comment_id": c.id, "author_id": c.author_id, "reason": reason }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
