//! The caller of a request: who the bearer token names ([`Caller`]), with their roles read
//! fresh ([`Actor`]), and from where ([`ClientAddr`]).
use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{header, request::Parts},
};

use super::AppState;
use crate::{
    auth::{Actor, Caller, ClientAddr, client_address, jwt::TokenError},
    error::{AppError, AppResult},
};

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .ok_or(AppError::Unauthorized("unauthorized"))?;
        let (user_id, session) = state.jwt.verify(token.trim()).map_err(|e| match e {
            TokenError::Expired => AppError::Unauthorized("token_expired"),
            TokenError::Invalid => AppError::Unauthorized("invalid_token"),
        })?;
        Ok(Caller { user_id, session })
    }
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let actor = Actor::load(&state.db, &caller).await?;
        super::language::SavedLang::set(parts, actor.language());
        Ok(actor)
    }
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
        Ok(ClientAddr(peer.map(|p| client_address(p, forwarded, &state.trusted_proxies))))
    }
}
