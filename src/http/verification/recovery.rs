//! Password recovery without a single key-holder: a one-time code issued by one clerk of the
//! community office and confirmed by a second, neither of them the account nor linked to its
//! holders, handed over in person against the owner's documents. Using it ends every session of
//! the account and tells the holders' accounts; while a vote of the compound is open, the
//! account's links cast only after the settling period.
//!
//! `/users/{id}/recovery-codes`, `/communities/{id}/recovery-codes`,
//! `/recovery-codes/{id}/confirm`, `/auth/recover`.
use std::collections::HashSet;

use axum::{extract::State, http::StatusCode};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    prelude::Expr,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::verification::RECOVERY_TTL_HOURS;
use crate::verification::recovery::{RecoverRequest, RecoveryCodeView, check_clerk, settle_links, views};
use crate::verification::{code_hash, new_code, rules::Refusal};
use crate::{
    audit::{self, Event},
    auth::{Actor, ClientAddr, find_by_login, password, ratelimit, refresh},
    db::write_txn,
    entities::{membership, recovery_code, user},
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
    policy::Permission,
    verification,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(issue))
        .routes(routes!(list_pending))
        .routes(routes!(confirm))
        .routes(routes!(recover))
}

/// The community, among the account's, where `actor` recovers accounts: 404 when the account
/// is in none of the actor's communities.
async fn community_for(db: &impl ConnectionTrait, actor: &Actor, user_id: i64) -> AppResult<(user::Model, i64)> {
    let u = user::Entity::find_by_id(user_id).one(db).await?.ok_or(AppError::NotFound)?;
    let theirs: HashSet<i64> = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| m.community_id)
        .collect();
    let mut refusal = AppError::NotFound;
    for c in theirs {
        match actor.authorize_community(Permission::RecoverAccounts, c) {
            Ok(()) => return Ok((u, c)),
            Err(AppError::Forbidden) => refusal = AppError::Forbidden,
            Err(_) => {}
        }
    }
    Err(refusal)
}

/// Issue a one-time recovery code for an account, after checking the owner's documents in person.
/// It works once a second clerk of the community office has confirmed it.
#[utoipa::path(post, path = "/users/{id}/recovery-codes", tag = "auth", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = RecoveryCodeView), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn issue(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<(StatusCode, Json<RecoveryCodeView>)> {
    let (u, community_id) = community_for(&state.db, &actor, id).await?;
    check_clerk(&state.db, actor.user.id, u.id).await?;
    let code = new_code();
    let now = Utc::now();
    let txn = write_txn(&state.db).await?;
    let row = recovery_code::Entity::insert(recovery_code::ActiveModel {
        community_id: Set(community_id),
        user_id: Set(u.id),
        code_hash: Set(code_hash(&code)),
        issued_by: Set(actor.user.id),
        issued_at: Set(now),
        expires_at: Set(now + Duration::hours(RECOVERY_TTL_HOURS)),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "account.recovery_issued",
            community_id: Some(community_id),
            compound_id: None,
            subject: format!("user:{}", u.id),
            detail: json!({ "recovery": row.id, "expires_at": row.expires_at }),
        },
    )
    .await?;
    txn.commit().await?;
    let mut view = views(&state.db, &actor, vec![row]).await?.pop().ok_or(AppError::NotFound)?;
    view.code = Some(code);
    Ok((StatusCode::CREATED, Json(view)))
}

/// Recovery codes of the community's accounts waiting for a second clerk, oldest first.
#[utoipa::path(get, path = "/communities/{id}/recovery-codes", tag = "auth", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<RecoveryCodeView>), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_pending(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<RecoveryCodeView>>> {
    actor.authorize_community(Permission::RecoverAccounts, id)?;
    let rows = recovery_code::Entity::find()
        .filter(recovery_code::Column::CommunityId.eq(id))
        .filter(recovery_code::Column::ConfirmedAt.is_null())
        .filter(recovery_code::Column::UsedAt.is_null())
        .filter(recovery_code::Column::ExpiresAt.gt(Utc::now()))
        .order_by_asc(recovery_code::Column::Id)
        .all(&state.db)
        .await?;
    Ok(Json(views(&state.db, &actor, rows).await?))
}

/// Confirm a recovery code as the second clerk of the community office.
#[utoipa::path(post, path = "/recovery-codes/{id}/confirm", tag = "auth", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = RecoveryCodeView), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn confirm(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<RecoveryCodeView>> {
    let r = recovery_code::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    actor.authorize_community(Permission::RecoverAccounts, r.community_id)?;
    if r.used_at.is_some() || r.expires_at < Utc::now() {
        return Err(AppError::conflict("recovery_spent", "this recovery code has been used or has expired"));
    }
    if r.confirmed_at.is_some() {
        return Err(AppError::conflict("already_confirmed", "this has already been confirmed"));
    }
    if r.issued_by == actor.user.id {
        return Err(verification::refused(Refusal::OwnRequest));
    }
    check_clerk(&state.db, actor.user.id, r.user_id).await?;
    let txn = write_txn(&state.db).await?;
    let done = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::ConfirmedAt, Expr::value(Utc::now()))
        .col_expr(recovery_code::Column::ConfirmedBy, Expr::value(actor.user.id))
        .filter(recovery_code::Column::Id.eq(r.id))
        .filter(recovery_code::Column::ConfirmedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::conflict("already_confirmed", "this has already been confirmed"));
    }
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "account.recovery_confirmed",
            community_id: Some(r.community_id),
            compound_id: None,
            subject: format!("user:{}", r.user_id),
            detail: json!({ "recovery": r.id, "issued_by": r.issued_by }),
        },
    )
    .await?;
    txn.commit().await?;
    let r = recovery_code::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    Ok(Json(views(&state.db, &actor, vec![r]).await?.pop().ok_or(AppError::NotFound)?))
}

/// Set a new password with a confirmed recovery code. Every session of the account ends, and the
/// accounts of its holders are told; while a vote of the compound is open, the account votes for
/// its holders only after the settling period.
#[utoipa::path(post, path = "/auth/recover", tag = "auth", request_body = RecoverRequest,
    responses((status = 204, description = "password set; sign in with it"), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn recover(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(req): Json<RecoverRequest>,
) -> AppResult<StatusCode> {
    password::check_strength(&req.new_password).map_err(|m| AppError::field("new_password", m))?;
    let u = find_by_login(&state.db, &req.login).await?;
    // Counted before the code is looked up, per account and per address, in the database.
    let keys: Vec<String> = u
        .as_ref()
        .map(|u| format!("recover:account:{}", u.id))
        .into_iter()
        .chain(addr.map(|ip| ratelimit::address_key("code", ip)))
        .collect();
    for key in &keys {
        ratelimit::attempt(&state.db, key, ratelimit::CODE).await?;
    }
    let invalid = || AppError::field("recovery_code", "is not a valid recovery code for this account");
    let u = u.ok_or_else(invalid)?;
    let r = recovery_code::Entity::find()
        .filter(recovery_code::Column::CodeHash.eq(code_hash(&req.recovery_code)))
        .filter(recovery_code::Column::UserId.eq(u.id))
        .one(&state.db)
        .await?
        .ok_or_else(invalid)?;
    if r.used_at.is_some() || r.expires_at < Utc::now() {
        return Err(AppError::conflict("recovery_spent", "this recovery code has been used or has expired"));
    }
    if r.confirmed_at.is_none() {
        return Err(AppError::conflict(
            "recovery_unconfirmed",
            "this recovery code has not yet been confirmed by a second clerk of the community office",
        ));
    }
    let hash = state.hasher.hash(&req.new_password).await?;
    let now = Utc::now();
    let txn = write_txn(&state.db).await?;
    let done = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(now))
        .filter(recovery_code::Column::Id.eq(r.id))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::conflict("recovery_spent", "this recovery code has been used or has expired"));
    }
    for key in &keys {
        ratelimit::succeeded(&txn, key, true).await?;
    }
    let mut am: user::ActiveModel = u.clone().into();
    am.password_hash = Set(hash);
    am.update(&txn).await?;
    refresh::revoke_user(&txn, u.id, None).await?;
    settle_links(&txn, u.id).await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(u.id),
            action: "account.recovered",
            community_id: Some(r.community_id),
            compound_id: None,
            subject: format!("user:{}", u.id),
            detail: json!({ "recovery": r.id, "issued_by": r.issued_by, "confirmed_by": r.confirmed_by }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
