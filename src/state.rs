//! Shared application state, handed to handlers with `State`.
use std::sync::Arc;

use axum::extract::FromRef;
use sea_orm::DatabaseConnection;

use crate::{
    auth::{jwt::JwtKeys, password::Hasher, ratelimit::LoginLimiter},
    votes::{BallotWriter, lifecycle::Rosters},
};

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub jwt: Arc<JwtKeys>,
    pub hasher: Hasher,
    pub limiter: Arc<LoginLimiter>,
    /// The one writer of ballots.
    pub ballots: BallotWriter,
    /// Frozen rosters of opened votes.
    pub rosters: Arc<Rosters>,
}

impl FromRef<AppState> for DatabaseConnection {
    fn from_ref(s: &AppState) -> Self {
        s.db.clone()
    }
}
