//! Accounts and the roles they hold: the administrator's user and membership screens.
pub mod can;
pub mod names;
mod ops;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    entities::{community, membership, user},
    error::{AppError, AppResult, is_unique_violation, unique_conflict},
    msg,
    policy::{PartyKind, Role},
};

pub use ops::*;

/// An account as others may see it (never its password hash).
#[derive(Serialize, ToSchema, Clone)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub phone: Option<String>,
    pub display_name: String,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<&user::Model> for UserView {
    fn from(u: &user::Model) -> Self {
        Self {
            id: u.id,
            username: u.username.clone(),
            phone: u.phone.clone(),
            display_name: u.display_name.clone(),
            is_active: u.is_active,
            created_at: u.created_at,
        }
    }
}

/// A role held by a user, with the names of where it is held.
#[derive(Serialize, ToSchema, Clone)]
pub struct MembershipView {
    pub id: i64,
    pub user_id: i64,
    pub role: Role,
    pub community_id: Option<i64>,
    pub community_name: Option<String>,
    pub compound_id: Option<i64>,
    pub compound_name: Option<String>,
    pub party_id: Option<i64>,
    pub party_name: Option<String>,
    pub party_kind: Option<PartyKind>,
}

/// Describe memberships with the names of their communities, compounds and parties, in three
/// queries whatever their number.
pub async fn membership_views(db: &impl ConnectionTrait, ms: &[membership::Model]) -> AppResult<Vec<MembershipView>> {
    let ids = |f: fn(&membership::Model) -> Option<i64>| -> Vec<i64> { ms.iter().filter_map(f).collect() };
    let communities: HashMap<i64, community::Model> = community::Entity::find()
        .filter(community::Column::Id.is_in(ids(|m| m.community_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let compounds = crate::tenancy::compounds_by_id(db, ids(|m| m.compound_id)).await?;
    let parties = crate::tenancy::parties_by_id(db, ids(|m| m.party_id)).await?;
    Ok(ms
        .iter()
        .filter_map(|m| {
            let role = Role::parse(&m.role)?;
            let p = m.party_id.and_then(|id| parties.get(&id));
            Some(MembershipView {
                id: m.id,
                user_id: m.user_id,
                role,
                community_id: m.community_id,
                community_name: m.community_id.and_then(|id| communities.get(&id)).map(|c| c.name.clone()),
                compound_id: m.compound_id,
                compound_name: m.compound_id.and_then(|id| compounds.get(&id)).map(|c| c.name.clone()),
                party_id: m.party_id,
                party_name: p.map(|p| p.name.clone()),
                party_kind: p.and_then(|p| PartyKind::parse(&p.kind)),
            })
        })
        .collect())
}

/// A person's name as others see it: official when they hold a role in one of the three parties.
/// The flag comes from their memberships, never from what the name says.
#[derive(Serialize, ToSchema, Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonName {
    pub name: String,
    /// A member of the community office, the property company or the owners' committee.
    pub official: bool,
    /// The party they are a member of (the community office first when several).
    pub party_kind: Option<PartyKind>,
}

/// The parties each of these accounts is a member of, by account, for those that are members.
pub async fn party_kinds(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, Vec<PartyKind>>> {
    let party_roles: Vec<&str> = Role::ALL.into_iter().filter(|r| r.party_kind().is_some()).map(Role::as_str).collect();
    let mut kinds: HashMap<i64, Vec<PartyKind>> = HashMap::new();
    for m in membership::Entity::find()
        .filter(membership::Column::UserId.is_in(ids))
        .filter(membership::Column::Role.is_in(party_roles))
        .all(db)
        .await?
    {
        if let Some(k) = Role::parse(&m.role).and_then(Role::party_kind) {
            kinds.entry(m.user_id).or_default().push(k);
        }
    }
    Ok(kinds)
}

/// Names of accounts with their official flag, by id.
pub async fn person_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, PersonName>> {
    let ids: Vec<i64> = ids.into_iter().collect();
    let names = user_names(db, ids.iter().copied()).await?;
    let kinds = party_kinds(db, ids).await?;
    Ok(names
        .into_iter()
        .map(|(id, name)| {
            let party_kind = kinds.get(&id).and_then(|k| {
                [PartyKind::CommunityOffice, PartyKind::OwnersCommittee, PartyKind::PropertyCompany]
                    .into_iter()
                    .find(|p| k.contains(p))
            });
            (id, PersonName { name, official: party_kind.is_some(), party_kind })
        })
        .collect())
}

/// Display names of accounts, by id.
pub async fn user_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, String>> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// Insert an account; a taken user name or phone number is a 409 naming which.
pub async fn insert_user(
    db: &impl ConnectionTrait,
    username: &str,
    display_name: &str,
    phone: Option<&str>,
    password_hash: &str,
) -> AppResult<user::Model> {
    let taken = user::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(user::Column::Username.eq(username))
                .add(user::Column::Phone.is_in(phone.map(|p| vec![p.to_owned()]).unwrap_or_default())),
        )
        .one(db)
        .await?;
    if let Some(t) = taken {
        return Err(if t.username == username {
            AppError::conflict("username_taken", msg!("username_taken", username = username))
        } else {
            AppError::conflict("phone_taken", msg!("phone_taken"))
        });
    }
    let row = user::ActiveModel {
        username: Set(username.to_owned()),
        phone: Set(phone.map(str::to_owned)),
        display_name: Set(display_name.to_owned()),
        password_hash: Set(password_hash.to_owned()),
        is_active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    user::Entity::insert(row)
        .exec_with_returning(db)
        .await
        .map_err(unique_conflict("username_taken", msg!("username_or_phone_taken")))
}

/// Where a membership is held.
pub struct Scope {
    pub community_id: Option<i64>,
    pub compound_id: Option<i64>,
    pub party_id: Option<i64>,
}

impl Scope {
    fn key(&self) -> String {
        match (self.party_id, self.compound_id, self.community_id) {
            (Some(p), _, _) => format!("party:{p}"),
            (None, Some(c), _) => format!("compound:{c}"),
            (None, None, Some(c)) => format!("community:{c}"),
            (None, None, None) => "global".into(),
        }
    }
}

/// Grant `role` in `scope`; granting a role already held returns the existing membership.
pub async fn grant(db: &impl ConnectionTrait, user_id: i64, role: Role, scope: Scope) -> AppResult<membership::Model> {
    Ok(grant_new(db, user_id, role, scope).await?.0)
}

/// Like [`grant`], also telling whether the membership is new.
pub async fn grant_new(
    db: &impl ConnectionTrait,
    user_id: i64,
    role: Role,
    scope: Scope,
) -> AppResult<(membership::Model, bool)> {
    let key = scope.key();
    let find = || {
        membership::Entity::find()
            .filter(membership::Column::UserId.eq(user_id))
            .filter(membership::Column::Role.eq(role.as_str()))
            .filter(membership::Column::ScopeKey.eq(key.clone()))
            .one(db)
    };
    if let Some(m) = find().await? {
        return Ok((m, false));
    }
    let row = membership::ActiveModel {
        user_id: Set(user_id),
        role: Set(role.as_str().into()),
        community_id: Set(scope.community_id),
        compound_id: Set(scope.compound_id),
        party_id: Set(scope.party_id),
        scope_key: Set(key.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    match membership::Entity::insert(row).exec_with_returning(db).await {
        Ok(m) => Ok((m, true)),
        // Granted meanwhile by someone else: the unique index keeps one.
        Err(e) if is_unique_violation(&e) => Ok((find().await?.ok_or(AppError::NotFound)?, false)),
        Err(e) => Err(e.into()),
    }
}

/// Create an administrator (the `create-admin` command).
pub async fn create_admin(
    db: &sea_orm::DatabaseConnection,
    username: &str,
    display_name: &str,
    password: &str,
) -> AppResult<user::Model> {
    crate::auth::password::check_strength(password).map_err(|m| AppError::field("password", m))?;
    let hash = {
        let pw = password.to_owned();
        tokio::task::spawn_blocking(move || crate::auth::password::hash_blocking(&pw))
            .await
            .map_err(anyhow::Error::from)??
    };
    let txn = crate::db::write_txn(db).await?;
    let u = insert_user(&txn, username, display_name, None, &hash).await?;
    grant(&txn, u.id, Role::Admin, Scope { community_id: None, compound_id: None, party_id: None }).await?;
    crate::audit::note(&txn, None, &u, "account.admin_created", serde_json::json!({ "username": username })).await?;
    txn.commit().await?;
    Ok(u)
}
