//! `/users` and `/memberships`: the administrator manages accounts and their roles.
use axum::{extract::State, http::StatusCode};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::accounts::{MembershipView, Scope, UserView, grant_new, insert_user, membership_views};
use crate::{
    audit::{self, Event},
    auth::{Actor, password, refresh},
    db::write_txn,
    entities::{community, compound, membership, party, user},
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path, Query},
    policy::{PartyKind, Permission, Role, RoleScope},
    text::{normalize_phone, optional_text, required_text, search_words},
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

#[derive(serde::Serialize, ToSchema)]
pub struct UserListItem {
    pub user: UserView,
    pub memberships: Vec<MembershipView>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateUser {
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub is_active: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewMembership {
    pub role: Role,
    /// For community-office roles (secretary, community_staff).
    pub community_id: Option<i64>,
    /// For property-company and owners'-committee roles: the compound whose party it is.
    pub compound_id: Option<i64>,
}

/// List accounts with their roles (administrators only).
#[utoipa::path(get, path = "/users", tag = "accounts", params(UserQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<UserListItem>), (status = 403, body = ErrorBody)))]
async fn list_users(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<UserQuery>,
) -> AppResult<Json<Vec<UserListItem>>> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let mut find = user::Entity::find().order_by_asc(user::Column::Id).limit(500);
    search_words("q", q.q.as_deref())?;
    if let Some(q) = q.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        find = find.filter(
            Condition::any()
                .add(user::Column::Username.contains(q))
                .add(user::Column::DisplayName.contains(q))
                .add(user::Column::Phone.contains(q)),
        );
    }
    let users = find.all(&state.db).await?;
    let ms = membership::Entity::find()
        .filter(membership::Column::UserId.is_in(users.iter().map(|u| u.id)))
        .all(&state.db)
        .await?;
    let views = membership_views(&state.db, &ms).await?;
    Ok(Json(
        users
            .iter()
            .map(|u| UserListItem {
                user: u.into(),
                memberships: views.iter().filter(|m| m.user_id == u.id).cloned().collect(),
            })
            .collect(),
    ))
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
    actor.authorize_global(Permission::ManageTenancy)?;
    let username = required_text("username", &req.username, 40)?;
    if !username.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')) {
        return Err(AppError::field("username", "may contain only letters, digits, '_', '-' and '.'"));
    }
    let display_name = required_text("display_name", &req.display_name, 50)?;
    let phone = match optional_text("phone", req.phone.as_deref(), 20)? {
        Some(p) => {
            Some(normalize_phone(&p).ok_or_else(|| AppError::field("phone", "is not an 11-digit mobile number"))?)
        }
        None => None,
    };
    password::check_strength(&req.password).map_err(|m| AppError::field("password", m))?;
    let hash = state.hasher.hash(&req.password).await?;
    let txn = write_txn(&state.db).await?;
    let u = insert_user(&txn, &username, &display_name, phone.as_deref(), &hash).await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "account.created",
            community_id: None,
            compound_id: None,
            subject: format!("user:{}", u.id),
            detail: json!({ "username": u.username }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json((&u).into())))
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
    actor.authorize_global(Permission::ManageTenancy)?;
    let txn = write_txn(&state.db).await?;
    let u = user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let mut am: user::ActiveModel = u.into();
    if let Some(n) = &req.display_name {
        let party_member = crate::accounts::party_kinds(&txn, [id]).await?.contains_key(&id);
        am.display_name = Set(crate::accounts::names::display_name("display_name", n, party_member)?);
    }
    if let Some(p) = &req.phone {
        am.phone = Set(match optional_text("phone", Some(p), 20)? {
            Some(p) => {
                Some(normalize_phone(&p).ok_or_else(|| AppError::field("phone", "is not an 11-digit mobile number"))?)
            }
            None => None,
        });
    }
    if let Some(active) = req.is_active {
        if id == actor.user.id && !active {
            return Err(AppError::field("is_active", "you cannot deactivate your own account"));
        }
        am.is_active = Set(active);
        if !active {
            refresh::revoke_user(&txn, id, None).await?;
        }
    }
    let u = am.update(&txn).await.map_err(|e| {
        if crate::error::is_unique_violation(&e) {
            AppError::conflict("phone_taken", "an account with this phone number already exists")
        } else {
            e.into()
        }
    })?;
    audit::record(&txn, Event {
        actor_id: Some(actor.user.id),
        action: "account.updated",
        community_id: None,
        compound_id: None,
        subject: format!("user:{id}"),
        detail: json!({ "display_name": req.display_name, "phone_changed": req.phone.is_some(), "is_active": req.is_active }),
    })
    .await?;
    txn.commit().await?;
    Ok(Json((&u).into()))
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
    actor.authorize_global(Permission::ManageTenancy)?;
    let txn = write_txn(&state.db).await?;
    user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let scope = match req.role.scope() {
        RoleScope::Global => Scope { community_id: None, compound_id: None, party_id: None },
        RoleScope::Community => {
            let cid = req.community_id.ok_or_else(|| AppError::field("community_id", "is required for this role"))?;
            community::Entity::find_by_id(cid)
                .one(&txn)
                .await?
                .ok_or_else(|| AppError::field("community_id", "no such community"))?;
            let office = party::Entity::find()
                .filter(party::Column::CommunityId.eq(cid))
                .filter(party::Column::Kind.eq(PartyKind::CommunityOffice.as_str()))
                .one(&txn)
                .await?;
            Scope { community_id: Some(cid), compound_id: None, party_id: office.map(|p| p.id) }
        }
        RoleScope::Party(kind) => {
            let cid = req.compound_id.ok_or_else(|| AppError::field("compound_id", "is required for this role"))?;
            let c = compound::Entity::find_by_id(cid)
                .one(&txn)
                .await?
                .ok_or_else(|| AppError::field("compound_id", "no such compound"))?;
            let p = party::Entity::find()
                .filter(party::Column::CompoundId.eq(cid))
                .filter(party::Column::Kind.eq(kind.as_str()))
                .one(&txn)
                .await?
                .ok_or_else(|| AppError::field("compound_id", "this compound has no such party"))?;
            Scope { community_id: Some(c.community_id), compound_id: Some(cid), party_id: Some(p.id) }
        }
        RoleScope::Compound => {
            return Err(AppError::field("role", "owners are verified against the roster, not granted a role"));
        }
    };
    let (community_id, compound_id) = (scope.community_id, scope.compound_id);
    let (m, created) = grant_new(&txn, id, req.role, scope).await?;
    if !created {
        txn.commit().await?;
        let view = membership_views(&state.db, std::slice::from_ref(&m)).await?.pop().ok_or(AppError::NotFound)?;
        return Ok((StatusCode::OK, Json(view)));
    }
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "role.granted",
            community_id,
            compound_id,
            subject: format!("user:{id}"),
            detail: json!({ "role": req.role.as_str(), "membership": m.id }),
        },
    )
    .await?;
    txn.commit().await?;
    let view = membership_views(&state.db, std::slice::from_ref(&m)).await?.pop().ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Take a role away. It takes effect on the holder's very next request.
#[utoipa::path(delete, path = "/memberships/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "removed"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn remove_membership(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<StatusCode> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let txn = write_txn(&state.db).await?;
    let m = membership::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if m.user_id == actor.user.id && m.role == Role::Admin.as_str() {
        return Err(AppError::field("id", "you cannot remove your own administrator role"));
    }
    if m.role == Role::Owner.as_str() {
        return Err(AppError::field(
            "id",
            "an owner's role follows their verified holdings; unlink the holder instead",
        ));
    }
    membership::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "role.revoked",
            community_id: m.community_id,
            compound_id: m.compound_id,
            subject: format!("user:{}", m.user_id),
            detail: json!({ "role": m.role, "membership": m.id }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
