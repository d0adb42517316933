//! `/users` and `/memberships`: the administrator manages accounts and their roles.
use axum::{extract::State, http::StatusCode};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::accounts::{self, MembershipView, NewMembership, NewUser, UpdateUser, UserListItem, UserView};
use crate::{
    auth::Actor,
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path, Query},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(update_user))
        .routes(routes!(add_membership))
        .routes(routes!(remove_membership))
}

#[derive(Deserialize, IntoParams)]
struct UserQuery {
    /// Part of a user name, display name or phone number:
    /// at most 5 words and 100 characters (400 `search_too_long` beyond).
    q: Option<String>,
}

/// List accounts with their roles (administrators only).
#[utoipa::path(get, path = "/users", tag = "accounts", params(UserQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<UserListItem>), (status = 403, body = ErrorBody)))]
async fn list_users(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<UserQuery>,
) -> AppResult<Json<Vec<UserListItem>>> {
    Ok(Json(accounts::list_users(&state.db, &actor, q.q.as_deref()).await?))
}

/// Create an account (administrators only).
#[utoipa::path(post, path = "/users", tag = "accounts", request_body = NewUser, security(("bearer" = [])),
    responses((status = 201, body = UserView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn create_user(
    State(state): State<AppState>,
    actor: Actor,
    Json(req): Json<NewUser>,
) -> AppResult<(StatusCode, Json<UserView>)> {
    Ok((StatusCode::CREATED, Json(accounts::create_user(&state.db, &state.hasher, &actor, &req).await?)))
}

/// Change an account's name or phone, or (de)activate it. Deactivation signs it out everywhere.
#[utoipa::path(patch, path = "/users/{id}", tag = "accounts", request_body = UpdateUser, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = UserView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn update_user(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<UpdateUser>,
) -> AppResult<Json<UserView>> {
    Ok(Json(accounts::update_user(&state.db, &actor, id, &req).await?))
}

/// Give an account a role. Community-office roles take `community_id`; property-company and
/// owners'-committee roles take `compound_id`. Owners are never granted here: they are verified
/// against the roster.
#[utoipa::path(post, path = "/users/{id}/memberships", tag = "accounts", request_body = NewMembership,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = MembershipView), (status = 200, description = "the role was already held", body = MembershipView),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_membership(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewMembership>,
) -> AppResult<(StatusCode, Json<MembershipView>)> {
    let (view, created) = accounts::add_membership(&state.db, &actor, id, &req).await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(view)))
}

/// Take a role away. It takes effect on the holder's very next request.
#[utoipa::path(delete, path = "/memberships/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "removed"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn remove_membership(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<StatusCode> {
    accounts::remove_membership(&state.db, &actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
