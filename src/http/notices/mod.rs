//! `/me/inbox`: what concerns me, newest first.
mod published;

use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::Actor,
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
    i18n::Lang,
    notices::{ops, views::InboxItem},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(inbox)).routes(routes!(mark_read)).merge(published::router())
}

/// My inbox, newest first (the latest 200), in my language.
#[utoipa::path(get, path = "/me/inbox", tag = "notices", security(("bearer" = [])),
    responses((status = 200, body = Vec<InboxItem>), (status = 401, body = ErrorBody)))]
async fn inbox(State(state): State<AppState>, actor: Actor, lang: Lang) -> AppResult<Json<Vec<InboxItem>>> {
    Ok(Json(ops::inbox(&state.db, actor.user.id, lang).await?))
}

/// Mark a notice in my inbox as read (the first reading is kept).
#[utoipa::path(post, path = "/me/inbox/{id}/read", tag = "notices", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "read"), (status = 404, body = ErrorBody)))]
async fn mark_read(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<StatusCode> {
    ops::mark_read(&state.db, actor.user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
