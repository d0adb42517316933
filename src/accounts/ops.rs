//! The administrator's account screens: listing, creating and changing accounts, and granting
//! and taking away roles, each change recorded on the audit trail.
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{MembershipView, Scope, UserView, grant_new, insert_user, membership_views, names, party_kinds};
use crate::{
    audit,
    auth::{Actor, password, refresh},
    db::write_txn,
    entities::{community, compound, membership, party, user},
    error::{AppError, AppResult, unique_conflict},
    i18n::Lang,
    msg,
    policy::{PartyKind, Permission, Role, RoleScope},
    text::{normalize_phone, optional_text, required_text, search_words},
};

#[derive(Serialize, ToSchema)]
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

/// A role is recorded on the account that holds it, where it is held.
impl audit::Subject for membership::Model {
    fn subject(&self) -> String {
        format!("user:{}", self.user_id)
    }
    fn community_id(&self) -> Option<i64> {
        self.community_id
    }
    fn compound_id(&self) -> Option<i64> {
        self.compound_id
    }
}

/// Accounts whose user name, display name or phone holds `q`, at most 500, with their roles.
pub async fn list_users(db: &impl ConnectionTrait, actor: &Actor, q: Option<&str>) -> AppResult<Vec<UserListItem>> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let mut find = user::Entity::find().order_by_asc(user::Column::Id).limit(500);
    search_words("q", q)?;
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        find = find.filter(
            Condition::any()
                .add(user::Column::Username.contains(q))
                .add(user::Column::DisplayName.contains(q))
                .add(user::Column::Phone.contains(q)),
        );
    }
    let users = find.all(db).await?;
    let ms =
        membership::Entity::find().filter(membership::Column::UserId.is_in(users.iter().map(|u| u.id))).all(db).await?;
    let views = membership_views(db, &ms).await?;
    Ok(users
        .iter()
        .map(|u| UserListItem {
            user: u.into(),
            memberships: views.iter().filter(|m| m.user_id == u.id).cloned().collect(),
        })
        .collect())
}

/// A phone number as typed, checked and in its stored form; blank means none.
fn phone_number(typed: Option<&str>) -> AppResult<Option<String>> {
    match optional_text("phone", typed, 20)? {
        Some(p) => Ok(Some(normalize_phone(&p).ok_or_else(|| AppError::field("phone", msg!("phone_not_mobile")))?)),
        None => Ok(None),
    }
}

/// Create an account.
pub async fn create_user(
    db: &DatabaseConnection,
    hasher: &password::Hasher,
    actor: &Actor,
    req: &NewUser,
) -> AppResult<UserView> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let username = required_text("username", &req.username, 40)?;
    if !username.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')) {
        return Err(AppError::field("username", msg!("username_chars")));
    }
    let display_name = required_text("display_name", &req.display_name, 50)?;
    let phone = phone_number(req.phone.as_deref())?;
    password::check_strength(&req.password).map_err(|m| AppError::field("password", m))?;
    let hash = hasher.hash(&req.password).await?;
    let txn = write_txn(db).await?;
    let u = insert_user(&txn, &username, &display_name, phone.as_deref(), &hash).await?;
    audit::note(&txn, Some(actor.user.id), &u, "account.created", json!({ "username": u.username })).await?;
    txn.commit().await?;
    Ok((&u).into())
}

/// Change account `id`'s name or phone, or (de)activate it; deactivation signs it out everywhere.
pub async fn update_user(db: &DatabaseConnection, actor: &Actor, id: i64, req: &UpdateUser) -> AppResult<UserView> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let txn = write_txn(db).await?;
    let u = user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let mut am: user::ActiveModel = u.into();
    if let Some(n) = &req.display_name {
        let party_member = party_kinds(&txn, [id]).await?.contains_key(&id);
        am.display_name = Set(names::display_name("display_name", n, party_member)?);
    }
    if let Some(p) = &req.phone {
        am.phone = Set(phone_number(Some(p))?);
    }
    if let Some(active) = req.is_active {
        if id == actor.user.id && !active {
            return Err(AppError::field("is_active", msg!("deactivate_self")));
        }
        am.is_active = Set(active);
        if !active {
            refresh::revoke_user(&txn, id, None).await?;
        }
    }
    let u = am.update(&txn).await.map_err(unique_conflict("phone_taken", msg!("phone_taken")))?;
    let detail =
        json!({ "display_name": req.display_name, "phone_changed": req.phone.is_some(), "is_active": req.is_active });
    audit::note(&txn, Some(actor.user.id), &u, "account.updated", detail).await?;
    txn.commit().await?;
    Ok((&u).into())
}

/// Where `req` asks the role to be held, checked against the communities, compounds and parties
/// there are.
async fn scope_of(db: &impl ConnectionTrait, req: &NewMembership) -> AppResult<Scope> {
    match req.role.scope() {
        RoleScope::Global => Ok(Scope { community_id: None, compound_id: None, party_id: None }),
        RoleScope::Community => {
            let cid = req.community_id.ok_or_else(|| AppError::field("community_id", msg!("role_scope_required")))?;
            community::Entity::find_by_id(cid)
                .one(db)
                .await?
                .ok_or_else(|| AppError::field("community_id", msg!("community_unknown")))?;
            let office = party::Entity::find()
                .filter(party::Column::CommunityId.eq(cid))
                .filter(party::Column::Kind.eq(PartyKind::CommunityOffice.as_str()))
                .one(db)
                .await?;
            Ok(Scope { community_id: Some(cid), compound_id: None, party_id: office.map(|p| p.id) })
        }
        RoleScope::Party(kind) => {
            let cid = req.compound_id.ok_or_else(|| AppError::field("compound_id", msg!("role_scope_required")))?;
            let c = compound::Entity::find_by_id(cid)
                .one(db)
                .await?
                .ok_or_else(|| AppError::field("compound_id", msg!("compound_unknown")))?;
            let p = crate::tenancy::party_of(db, &c, kind)
                .await?
                .ok_or_else(|| AppError::field("compound_id", msg!("party_unknown")))?;
            Ok(Scope { community_id: Some(c.community_id), compound_id: Some(cid), party_id: Some(p.id) })
        }
        RoleScope::Compound => Err(AppError::field("role", msg!("owner_not_granted"))),
    }
}

/// Give account `id` a role; answers the membership and whether it is new (a role already held
/// is answered as it is).
pub async fn add_membership(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    req: &NewMembership,
) -> AppResult<(MembershipView, bool)> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let txn = write_txn(db).await?;
    user::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let scope = scope_of(&txn, req).await?;
    let (m, created) = grant_new(&txn, id, req.role, scope).await?;
    if created {
        let detail = json!({ "role": req.role.as_str(), "membership": m.id });
        audit::note(&txn, Some(actor.user.id), &m, "role.granted", detail).await?;
    }
    txn.commit().await?;
    let view = membership_views(db, std::slice::from_ref(&m)).await?.pop().ok_or(AppError::NotFound)?;
    Ok((view, created))
}

/// Take membership `id` away; it takes effect on the holder's very next request.
pub async fn remove_membership(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<()> {
    actor.authorize_global(Permission::ManageTenancy)?;
    let txn = write_txn(db).await?;
    let m = membership::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    if m.user_id == actor.user.id && m.role == Role::Admin.as_str() {
        return Err(AppError::field("id", msg!("admin_self_removal")));
    }
    if m.role == Role::Owner.as_str() {
        return Err(AppError::field("id", msg!("owner_role_follows_holdings")));
    }
    membership::Entity::delete_by_id(id).exec(&txn).await?;
    let detail = json!({ "role": m.role, "membership": m.id });
    audit::note(&txn, Some(actor.user.id), &m, "role.revoked", detail).await?;
    txn.commit().await?;
    Ok(())
}

/// Save the language `actor` reads the server's text in: `zh-CN` or `en`.
pub async fn set_language(db: &DatabaseConnection, actor: &Actor, tag: &str) -> AppResult<Lang> {
    let lang = Lang::from_tag(tag.trim()).ok_or_else(|| AppError::field("language", msg!("language_unknown")))?;
    user::Entity::update_many()
        .col_expr(user::Column::Language, sea_orm::sea_query::Expr::value(lang.tag()))
        .filter(user::Column::Id.eq(actor.user.id))
        .exec(db)
        .await?;
    Ok(lang)
}
