//! `/auth/*` and `/me`: signing in and out, tokens, sign-up by invitation, own password.
use axum::{extract::State, http::StatusCode};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{Actor, Caller, ClientAddr, login, login::LoginRequest, password, ratelimit, refresh};
use crate::auth::{TokenResponse, tokens_for};
use crate::{
    accounts::{
        self, MembershipView, UserView,
        can::{self, CommunityAccess, CompoundAccess, GlobalCan},
    },
    audit,
    db::write_txn,
    entities::user,
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::Json,
    msg,
    roster::{self, HoldingView},
    text::normalize_phone,
    verification,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(refresh_tokens))
        .routes(routes!(logout))
        .routes(routes!(register))
        .routes(routes!(me))
        .routes(routes!(set_language))
        .routes(routes!(change_password))
}

#[derive(Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Deserialize, ToSchema)]
pub struct RegisterRequest {
    /// The invitation code printed for the holder.
    pub code: String,
    pub display_name: String,
    pub phone: String,
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user: UserView,
    /// The language I chose to read the server's text in (`zh-CN` or `en`); none until I choose,
    /// and then my browser's `Accept-Language` decides.
    pub language: Option<String>,
    pub memberships: Vec<MembershipView>,
    pub holdings: Vec<HoldingView>,
    /// What I may do everywhere, and in any compound or community not listed below.
    pub can: GlobalCan,
    /// What I may do in each compound I hold a role in or my community-office role reaches.
    pub compounds: Vec<CompoundAccess>,
    /// What I may do in each community I hold a role in, as a whole.
    pub communities: Vec<CommunityAccess>,
}

/// Sign in with user name or phone number and password.
///
/// Unknown accounts and wrong passwords get the same answer in the same time. Repeated failures
/// for one account or from one address answer 429 with `Retry-After`.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorBody),
              (status = 429, body = ErrorBody), (status = 400, body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(req): Json<LoginRequest>,
) -> AppResult<Json<TokenResponse>> {
    Ok(Json(login::sign_in(&state.db, &state.hasher, &state.jwt, &req, addr).await?))
}

/// Trade a refresh token for a new pair. The presented token is spent; presenting a spent token
/// again revokes every token of its sign-in.
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorBody)))]
async fn refresh_tokens(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> AppResult<Json<TokenResponse>> {
    let txn = write_txn(&state.db).await?;
    let outcome = refresh::rotate(&txn, &req.refresh_token).await?;
    txn.commit().await?;
    match outcome {
        Ok((user_id, token)) => {
            let active = user::Entity::find_by_id(user_id).one(&state.db).await?.is_some_and(|u| u.is_active);
            if !active {
                return Err(AppError::Unauthorized("invalid_token"));
            }
            Ok(Json(tokens_for(&state.jwt, user_id, token)?))
        }
        Err(refresh::RefreshError::Reused) => Err(AppError::Unauthorized("refresh_token_reused")),
        Err(refresh::RefreshError::Invalid) => Err(AppError::Unauthorized("invalid_token")),
    }
}

/// Sign out: the refresh token and every token rotated from it stop working.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204, description = "signed out")))]
async fn logout(State(state): State<AppState>, Json(req): Json<RefreshRequest>) -> AppResult<StatusCode> {
    refresh::revoke_token(&state.db, &req.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Create an owner's account with an invitation code: the account is verified as the invited
/// holder's in the same step, and signed in.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = TokenResponse), (status = 422, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn register(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Json(req): Json<RegisterRequest>,
) -> AppResult<(StatusCode, Json<TokenResponse>)> {
    // A new account holds no party role, so it may not take an official title.
    let display_name = accounts::names::display_name("display_name", &req.display_name, false)?;
    let phone = normalize_phone(&req.phone).ok_or_else(|| AppError::field("phone", msg!("phone_not_mobile")))?;
    password::check_strength(&req.password).map_err(|m| AppError::field("password", m))?;
    // Wrong codes are limited per address, counted before the code is looked up: the code is the
    // secret here.
    let address_key = addr.map(|ip| ratelimit::address_key("code", ip));
    if let Some(key) = &address_key {
        ratelimit::attempt(&state.db, key, ratelimit::CODE).await?;
    }
    let hash = state.hasher.hash(&req.password).await?;

    let txn = write_txn(&state.db).await?;
    let invitation = verification::claim_invitation(&txn, &req.code).await?;
    if let Some(key) = &address_key {
        ratelimit::succeeded(&txn, key, false).await?;
    }
    let user = accounts::insert_user(&txn, &phone, &display_name, Some(&phone), &hash).await?;
    let how =
        verification::Confirmed { method: "invitation", verified_by: None, confirmed_by: invitation.confirmed_by };
    verification::link(&txn, user.id, invitation.holder_id, how).await?;
    verification::finish_invitation(&txn, &invitation, user.id).await?;
    let refresh_token = refresh::issue(&txn, user.id, None).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(tokens_for(&state.jwt, user.id, refresh_token)?)))
}

/// Who I am: my account, my roles and the units I hold.
#[utoipa::path(get, path = "/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn me(State(state): State<AppState>, actor: Actor) -> AppResult<Json<Me>> {
    let memberships = accounts::membership_views(&state.db, &actor.memberships).await?;
    let holdings = roster::holdings_of(&state.db, actor.user.id).await?;
    let language = actor.language().map(|l| l.tag().to_owned());
    let (compounds, communities) = can::access_of(&state.db, &actor).await?;
    let user = UserView::from(&actor.user);
    Ok(Json(Me { user, language, memberships, holdings, can: can::global_can(&actor), compounds, communities }))
}

#[derive(Deserialize, ToSchema)]
pub struct LanguageRequest {
    /// `zh-CN` or `en`.
    pub language: String,
}

/// Choose the language the server writes my notices, timelines and errors in, on every device.
#[utoipa::path(put, path = "/me/language", tag = "auth", request_body = LanguageRequest,
    security(("bearer" = [])),
    responses((status = 204, description = "saved"), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn set_language(
    State(state): State<AppState>,
    actor: Actor,
    Json(req): Json<LanguageRequest>,
) -> AppResult<StatusCode> {
    accounts::set_language(&state.db, &actor, &req.language).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Change my password. All my other sessions are signed out.
#[utoipa::path(post, path = "/me/password", tag = "auth", request_body = ChangePasswordRequest,
    security(("bearer" = [])),
    responses((status = 204, description = "changed"), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    actor: Actor,
    caller: Caller,
    Json(req): Json<ChangePasswordRequest>,
) -> AppResult<StatusCode> {
    if !state.hasher.verify(&req.current_password, Some(&actor.user.password_hash)).await? {
        return Err(AppError::field("current_password", msg!("current_password_wrong")));
    }
    password::check_strength(&req.new_password).map_err(|m| AppError::field("new_password", m))?;
    let hash = state.hasher.hash(&req.new_password).await?;
    let txn = write_txn(&state.db).await?;
    let mut u: user::ActiveModel = actor.user.into();
    u.password_hash = Set(hash);
    let u = u.update(&txn).await?;
    refresh::revoke_user(&txn, u.id, Some(&caller.session)).await?;
    audit::note(&txn, Some(u.id), &u, "auth.password_changed", json!({})).await?;
    txn.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
