//! `/me/inbox`: what concerns me, newest first.
mod published;

use std::collections::HashMap;

use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, prelude::Expr};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::Actor,
    entities::{notice, notice_recipient, party},
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(inbox)).routes(routes!(mark_read)).merge(published::router())
}

#[derive(Serialize, ToSchema)]
pub struct InboxItem {
    /// The notice's id.
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub compound_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    /// The party that published it, for notices a party wrote.
    pub party_name: Option<String>,
}

/// My inbox, newest first (the latest 200).
#[utoipa::path(get, path = "/me/inbox", tag = "notices", security(("bearer" = [])),
    responses((status = 200, body = Vec<InboxItem>), (status = 401, body = ErrorBody)))]
async fn inbox(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Vec<InboxItem>>> {
    let mine = notice_recipient::Entity::find()
        .filter(notice_recipient::Column::UserId.eq(actor.user.id))
        .order_by_desc(notice_recipient::Column::NoticeId)
        .limit(200)
        .all(&state.db)
        .await?;
    let notices: HashMap<i64, notice::Model> = notice::Entity::find()
        .filter(notice::Column::Id.is_in(mine.iter().map(|r| r.notice_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let parties: HashMap<i64, String> = party::Entity::find()
        .filter(party::Column::Id.is_in(notices.values().filter_map(|n| n.party_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    Ok(Json(
        mine.into_iter()
            .filter_map(|r| {
                let n = notices.get(&r.notice_id)?;
                Some(InboxItem {
                    id: n.id,
                    kind: n.kind.clone(),
                    title: n.title.clone(),
                    body: n.body.clone(),
                    link: n.link.clone(),
                    compound_id: n.compound_id,
                    created_at: n.created_at,
                    read_at: r.read_at,
                    party_name: n.party_id.and_then(|p| parties.get(&p).cloned()),
                })
            })
            .collect(),
    ))
}

/// Mark a notice in my inbox as read (the first reading is kept).
#[utoipa::path(post, path = "/me/inbox/{id}/read", tag = "notices", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "read"), (status = 404, body = ErrorBody)))]
async fn mark_read(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<StatusCode> {
    let r = notice_recipient::Entity::find()
        .filter(notice_recipient::Column::NoticeId.eq(id))
        .filter(notice_recipient::Column::UserId.eq(actor.user.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if r.read_at.is_none() {
        notice_recipient::Entity::update_many()
            .col_expr(notice_recipient::Column::ReadAt, Expr::value(Utc::now()))
            .filter(notice_recipient::Column::Id.eq(r.id))
            .filter(notice_recipient::Column::ReadAt.is_null())
            .exec(&state.db)
            .await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
