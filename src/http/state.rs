//! Shared application state, handed to handlers with `State`.
use std::sync::Arc;

use axum::extract::FromRef;
use sea_orm::DatabaseConnection;

use crate::{
    auth::{Network, jwt::JwtKeys, password::Hasher},
    votes::{BallotWriter, lifecycle::Rosters},
};

/// Cloned for every request (often more than once), so it is one shared pointer.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn from_parts(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What every handler shares.
pub struct Shared {
    pub db: DatabaseConnection,
    pub jwt: Arc<JwtKeys>,
    pub hasher: Hasher,
    /// The one writer of ballots.
    pub ballots: BallotWriter,
    /// Frozen rosters of opened votes.
    pub rosters: Arc<Rosters>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`SANFANG_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<Network>,
    /// The screens following live meetings.
    pub room: Arc<crate::meetings::Room>,
    /// The key that seals the codes meeting rooms show for signing in.
    pub sign_in_key: crate::meetings::SignInKey,
}

impl FromRef<AppState> for DatabaseConnection {
    fn from_ref(s: &AppState) -> Self {
        s.db.clone()
    }
}
