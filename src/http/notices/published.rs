//! `/compounds/{id}/notices`: notices a party publishes to everyone in the compound (or to chosen
//! buildings' owners), and how many of their recipients have read them.
use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::Actor,
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
    notices::{
        ops,
        views::{NewPartyNotice, PublishedNotice},
    },
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_published, publish_notice))
}

/// The notices the parties published in the compound, newest first (at most 100), each with how
/// many of its recipients have read it.
#[utoipa::path(get, path = "/compounds/{id}/notices", tag = "notices", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PublishedNotice>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_published(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<PublishedNotice>>> {
    Ok(Json(ops::list_published(&state.db, &actor, id).await?))
}

/// Publish a notice as one's party: it lands in the inbox of everyone with a role in the compound,
/// or of the chosen buildings' verified owners.
#[utoipa::path(post, path = "/compounds/{id}/notices", tag = "notices", request_body = NewPartyNotice,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = PublishedNotice), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn publish_notice(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewPartyNotice>,
) -> AppResult<(StatusCode, Json<PublishedNotice>)> {
    Ok((StatusCode::CREATED, Json(ops::publish_party_notice(&state.db, &actor, id, &req).await?)))
}
