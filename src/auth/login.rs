//! Signing in with a user name or phone number and a password, held back after repeated
//! failures for one account or from one address.
use std::net::IpAddr;

use sea_orm::DatabaseConnection;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{TokenResponse, devices, find_by_login, jwt::JwtKeys, password::Hasher, ratelimit, refresh, tokens_for};
use crate::{
    audit,
    db::write_txn,
    entities::user,
    error::{AppError, AppResult},
    msg,
    text::normalize_phone,
};

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    /// User name or mobile number.
    pub login: String,
    pub password: String,
    /// The device token this device was given at an earlier sign-in to this account, if any: a
    /// device that has signed in before is not held back by others' wrong guesses at the account.
    #[serde(default)]
    pub device: Option<String>,
}

/// The limiter's key for the account a login names: one however it is named.
async fn account_key(db: &DatabaseConnection, found: Option<&user::Model>, login: &str) -> AppResult<String> {
    // " Alice", "alice" and its phone number in any format are one key. A login naming no account
    // is limited by what was typed.
    let typed = normalize_phone(login).unwrap_or_else(|| login.trim().to_lowercase());
    let named = match found {
        Some(u) => Some(u.id),
        None => find_by_login(db, &typed).await?.map(|u| u.id),
    };
    Ok(match named {
        Some(id) => format!("account:{id}"),
        None => format!("login:{typed}"),
    })
}

/// Check the password of the account `req` names, counting the attempt first.
///
/// Unknown accounts and wrong passwords get the same answer in the same time.
async fn check_password(
    db: &DatabaseConnection,
    hasher: &Hasher,
    req: &LoginRequest,
    address_key: Option<&str>,
) -> AppResult<(user::Model, String)> {
    // The account is found first (a quick lookup), so that its limit is one however it is named.
    let found = find_by_login(db, &req.login).await?;
    let account_key = account_key(db, found.as_ref(), &req.login).await?;
    let known_device = match (&found, req.device.as_deref()) {
        (Some(u), Some(device)) => devices::known(db, u.id, device).await?,
        _ => false,
    };
    // Counted before the slow password check, in the database: parallel guesses and guesses
    // spread over several server processes are counted alike.
    if let Some(key) = address_key {
        ratelimit::attempt(db, key, ratelimit::ADDRESS).await?;
    }
    if !known_device {
        ratelimit::attempt(db, &account_key, ratelimit::ACCOUNT).await?;
    }
    let found = found.filter(|u| u.is_active);
    let ok = hasher.verify(&req.password, found.as_ref().map(|u| u.password_hash.as_str())).await?;
    let user = found.filter(|_| ok).ok_or(AppError::Unauthorized("invalid_credentials"))?;
    Ok((user, account_key))
}

/// Sign in from address `addr`: a new sign-in's tokens, with this device's token for the account.
/// Repeated failures for one account or from one address answer 429.
pub async fn sign_in(
    db: &DatabaseConnection,
    hasher: &Hasher,
    jwt: &JwtKeys,
    req: &LoginRequest,
    addr: Option<IpAddr>,
) -> AppResult<TokenResponse> {
    if req.password.len() > 1024 {
        return Err(AppError::field("password", msg!("password_input_too_long")));
    }
    let address_key = addr.map(|ip| ratelimit::address_key("login", ip));
    let (user, account_key) = check_password(db, hasher, req, address_key.as_deref()).await?;
    ratelimit::succeeded(db, &account_key, true).await?;
    if let Some(key) = &address_key {
        ratelimit::succeeded(db, key, false).await?;
    }
    let txn = write_txn(db).await?;
    let refresh_token = refresh::issue(&txn, user.id, None).await?;
    let detail = json!({ "address": addr.map(|a| a.to_string()) });
    audit::note(&txn, Some(user.id), &user, "auth.sign_in", detail).await?;
    let device = devices::remember(&txn, user.id, req.device.as_deref()).await?;
    txn.commit().await?;
    let mut tokens = tokens_for(jwt, user.id, refresh_token)?;
    tokens.device = Some(device);
    Ok(tokens)
}
