//! The signed-in user of a request, with their roles read fresh from the database.
use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{header, request::Parts},
};
use sea_orm::EntityTrait;

use super::jwt::TokenError;
use crate::{
    entities::{compound, membership, user},
    error::{AppError, AppResult},
    policy::{Permission, Role, holds_community_wide, roles_for},
    state::AppState,
};

/// The authenticated caller. Roles are loaded on every request, so a removed membership or a
/// deactivated account takes effect at once, whatever the token says.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: user::Model,
    pub memberships: Vec<membership::Model>,
}

/// The id of the caller a request's bearer token names, checked for signature and expiry only.
///
/// Nothing is read from the database: whoever takes a `Caller` instead of an [`Actor`] must
/// check that the account exists and is active, and read its roles, before acting on it.
#[derive(Debug, Clone, Copy)]
pub struct Caller(pub i64);

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .ok_or(AppError::Unauthorized("unauthorized"))?;
        let user_id = state.jwt.verify(token.trim()).map_err(|e| match e {
            TokenError::Expired => AppError::Unauthorized("token_expired"),
            TokenError::Invalid => AppError::Unauthorized("invalid_token"),
        })?;
        Ok(Caller(user_id))
    }
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let Caller(user_id) = Caller::from_request_parts(parts, state).await?;
        Actor::load(&state.db, user_id).await
    }
}

impl Actor {
    /// The active account `user_id` with its roles, in one query (this runs on every request).
    pub async fn load(db: &impl sea_orm::ConnectionTrait, user_id: i64) -> AppResult<Actor> {
        let (user, memberships) = user::Entity::find_by_id(user_id)
            .find_with_related(membership::Entity)
            .all(db)
            .await?
            .into_iter()
            .next()
            .filter(|(u, _)| u.is_active)
            .ok_or(AppError::Unauthorized("invalid_token"))?;
        Ok(Actor { user, memberships })
    }

    pub fn roles(&self) -> impl Iterator<Item = (Role, &membership::Model)> {
        self.memberships.iter().filter_map(|m| Role::parse(&m.role).map(|r| (r, m)))
    }

    pub fn is_admin(&self) -> bool {
        self.roles().any(|(r, _)| r == Role::Admin)
    }

    /// The roles this user holds that reach `compound`: their roles in it, and their
    /// community-office roles in its community.
    pub fn roles_in_compound(&self, compound: &compound::Model) -> Vec<Role> {
        self.roles()
            .filter(|(r, m)| match m.compound_id {
                Some(c) => c == compound.id,
                None => *r != Role::Admin && m.community_id == Some(compound.community_id),
            })
            .map(|(r, _)| r)
            .collect()
    }

    /// The roles this user holds anywhere in a community.
    pub fn roles_in_community(&self, community_id: i64) -> Vec<Role> {
        self.roles().filter(|(_, m)| m.community_id == Some(community_id)).map(|(r, _)| r).collect()
    }

    /// Allow `p` on `compound`, or refuse: 404 to a user with no role there, 403 to one whose role
    /// lacks the permission.
    pub fn authorize_compound(&self, p: Permission, compound: &compound::Model) -> AppResult<()> {
        // Administrators reach every compound, with the permissions the table gives them.
        if self.is_admin() && roles_for(p).contains(&Role::Admin) {
            return Ok(());
        }
        let held = self.roles_in_compound(compound);
        if held.is_empty() && self.is_admin() {
            return Err(AppError::Forbidden);
        }
        decide(p, &held)
    }

    /// Allow `p` on a community as a whole, or on an object of the whole community (a
    /// community-wide agenda): anyone with a role in the community takes part as the table says,
    /// only the community office manages ([`holds_community_wide`]). 404 to a user with no role
    /// in the community, 403 to the others.
    pub fn authorize_community(&self, p: Permission, community_id: i64) -> AppResult<()> {
        if self.is_admin() && holds_community_wide(p, Role::Admin) {
            return Ok(());
        }
        decide_by(&self.roles_in_community(community_id), |r| holds_community_wide(p, r))
    }

    /// Allow a permission that only global roles can hold.
    pub fn authorize_global(&self, p: Permission) -> AppResult<()> {
        if self.is_admin() && roles_for(p).contains(&Role::Admin) { Ok(()) } else { Err(AppError::Forbidden) }
    }
}

fn decide(p: Permission, held: &[Role]) -> AppResult<()> {
    decide_by(held, |r| roles_for(p).contains(&r))
}

/// 404 when no role is held, 403 when none of those held is allowed.
fn decide_by(held: &[Role], allowed: impl Fn(Role) -> bool) -> AppResult<()> {
    if held.is_empty() {
        return Err(AppError::NotFound);
    }
    if held.iter().any(|r| allowed(*r)) { Ok(()) } else { Err(AppError::Forbidden) }
}

/// The client's address, when the server knows it (not in in-process tests).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_role_is_not_found_and_a_wrong_role_is_forbidden() {
        assert!(matches!(decide(Permission::ImportRoster, &[]), Err(AppError::NotFound)));
        assert!(matches!(decide(Permission::ImportRoster, &[Role::Owner]), Err(AppError::Forbidden)));
        assert!(decide(Permission::ImportRoster, &[Role::Owner, Role::CommitteeMember]).is_ok());
    }

    #[test]
    fn a_compound_party_is_forbidden_to_manage_what_the_whole_community_owns() {
        let wide = |p, held: &[Role]| decide_by(held, |r| holds_community_wide(p, r));
        assert!(matches!(wide(Permission::ModerateAgendas, &[]), Err(AppError::NotFound)));
        assert!(matches!(wide(Permission::ModerateAgendas, &[Role::CommitteeMember]), Err(AppError::Forbidden)));
        assert!(matches!(wide(Permission::ManageAgendas, &[Role::CommitteeChair]), Err(AppError::Forbidden)));
        assert!(wide(Permission::CommentAgendas, &[Role::CommitteeMember]).is_ok());
        assert!(wide(Permission::ModerateAgendas, &[Role::CommitteeMember, Role::Secretary]).is_ok());
    }
}
