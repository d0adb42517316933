//! The signed-in user of a request, with their roles read fresh from the database.
use std::net::IpAddr;

use sea_orm::{EntityTrait, QueryFilter, sea_query::SimpleExpr};

use crate::{
    entities::{compound, membership, refresh_token, user},
    error::{AppError, AppResult},
    policy::{Permission, Role, holds_community_wide, roles_for},
};

/// The authenticated caller. Roles are loaded on every request, so a removed membership or a
/// deactivated account takes effect at once, whatever the token says.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: user::Model,
    pub memberships: Vec<membership::Model>,
}

/// The caller a request's bearer token names, and the sign-in it belongs to, checked for
/// signature and expiry only.
///
/// Nothing is read from the database: whoever takes a `Caller` instead of an [`Actor`] must
/// check that the account is active and the sign-in live, and read its roles, before acting.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: i64,
    pub session: String,
}

/// Sign-ins that are still live: of `users.id`, named in `sessions`, not signed out or revoked.
/// Read from the database on every request, so every server process sees a sign-out at once.
pub fn live_session(sessions: impl IntoIterator<Item = String>) -> SimpleExpr {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(refresh_token::Entity)
            .and_where(
                Expr::col((refresh_token::Entity, refresh_token::Column::UserId))
                    .equals((user::Entity, user::Column::Id)),
            )
            .and_where(Expr::col((refresh_token::Entity, refresh_token::Column::FamilyId)).is_in(sessions))
            .and_where(Expr::col((refresh_token::Entity, refresh_token::Column::RevokedAt)).is_null())
            .to_owned(),
    )
}

impl Actor {
    /// The caller's active account with its roles, while its sign-in is live, in one query (this
    /// runs on every request).
    pub async fn load(db: &impl sea_orm::ConnectionTrait, caller: &Caller) -> AppResult<Actor> {
        let (user, memberships) = user::Entity::find_by_id(caller.user_id)
            .filter(live_session([caller.session.clone()]))
            .find_with_related(membership::Entity)
            .all(db)
            .await?
            .into_iter()
            .next()
            .filter(|(u, _)| u.is_active)
            .ok_or(AppError::Unauthorized("invalid_token"))?;
        Ok(Actor { user, memberships })
    }

    /// The language the account chose to read, if it chose.
    pub fn language(&self) -> Option<crate::i18n::Lang> {
        self.user.language.as_deref().and_then(crate::i18n::Lang::from_tag)
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

    /// Whether the caller holds `p` in every compound as an administrator: administrators reach
    /// every compound, with the permissions the table gives them.
    pub fn admin_holds(&self, p: Permission) -> bool {
        self.is_admin() && roles_for(p).contains(&Role::Admin)
    }

    /// Whether the caller holds `p` on every community as a whole as an administrator.
    pub fn admin_holds_community_wide(&self, p: Permission) -> bool {
        self.is_admin() && holds_community_wide(p, Role::Admin)
    }

    /// Allow `p` on `compound`, or refuse: 404 to a user with no role there, 403 to one whose role
    /// lacks the permission.
    pub fn authorize_compound(&self, p: Permission, compound: &compound::Model) -> AppResult<()> {
        if self.admin_holds(p) {
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
        if self.admin_holds_community_wide(p) {
            return Ok(());
        }
        let held = self.roles_in_community(community_id);
        // An administrator knows every community exists: what the table does not give them is
        // 403, as on a compound.
        if held.is_empty() && self.is_admin() {
            return Err(AppError::Forbidden);
        }
        decide_by(&held, |r| holds_community_wide(p, r))
    }

    /// Allow a permission that only global roles can hold.
    pub fn authorize_global(&self, p: Permission) -> AppResult<()> {
        if self.admin_holds(p) { Ok(()) } else { Err(AppError::Forbidden) }
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

/// The client's address, when the server knows it (not in in-process tests): the peer's, or —
/// when the peer is one of the configured trusted proxies — the nearest address in
/// `X-Forwarded-For` that is not a trusted proxy.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

/// A network in CIDR notation (`10.0.0.0/8`, `::1/128`), or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    addr: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Network {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (addr, prefix) = s.trim().split_once('/').map_or((s.trim(), None), |(a, p)| (a, Some(p)));
        let addr: IpAddr = addr.parse().map_err(|_| format!("'{s}' is not an address or network"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p.parse().ok().filter(|p| *p <= max).ok_or_else(|| format!("'{s}' has a bad prefix length"))?,
        };
        Ok(Network { addr, prefix })
    }
}

impl Network {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let bits = |ip: IpAddr| -> Option<u128> {
            match (self.addr, ip) {
                (IpAddr::V4(_), IpAddr::V4(v)) => Some(u128::from(u32::from(v)) << 96),
                (IpAddr::V6(_), IpAddr::V6(v)) => Some(u128::from(v)),
                _ => None,
            }
        };
        let (Some(net), Some(ip)) = (bits(self.addr), bits(ip)) else { return false };
        // An IPv4 address sits in the top 32 bits, so one mask of the top `prefix` bits serves both.
        let mask = if self.prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(self.prefix)) };
        net & mask == ip & mask
    }
}

/// The client behind `peer`: `peer` itself unless it is a trusted proxy, else the right-most
/// address of `X-Forwarded-For` that is not (each proxy appends the address it heard from, so
/// the ones further left were written by the client and prove nothing).
pub fn client_address<'a>(peer: IpAddr, forwarded: impl Iterator<Item = &'a str>, trusted: &[Network]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded.flat_map(|v| v.split(',')).map(str::trim).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_is_the_peer_unless_the_peer_is_a_trusted_proxy() {
        let trusted: Vec<Network> = ["10.0.0.0/8", "::1"].iter().map(|s| s.parse().unwrap()).collect();
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        // A client that is not a proxy cannot name another address.
        assert_eq!(client_address(ip("203.0.113.9"), ["1.2.3.4"].into_iter(), &trusted), ip("203.0.113.9"));
        // Behind the proxy: the right-most address it did not write itself.
        assert_eq!(
            client_address(ip("10.0.0.2"), ["1.2.3.4, 198.51.100.7, 10.0.0.5"].into_iter(), &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(client_address(ip("::1"), ["198.51.100.7"].into_iter(), &trusted), ip("198.51.100.7"));
        // A proxy that sent no header, or garbage, is the client.
        assert_eq!(client_address(ip("10.0.0.2"), std::iter::empty(), &trusted), ip("10.0.0.2"));
        assert_eq!(client_address(ip("10.0.0.2"), ["junk"].into_iter(), &trusted), ip("10.0.0.2"));
        assert!("10.0.0.0/33".parse::<Network>().is_err());
        assert!(!"10.0.0.0/8".parse::<Network>().unwrap().contains(ip("11.0.0.1")));
    }

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
