//! Password recovery without a single key-holder: a one-time code issued by one clerk of the
//! community office and confirmed by a second, neither of them the account nor linked to its
//! holders, handed over in person against the owner's documents. Using it ends every session of
//! the account and tells the holders' accounts; while a vote of the compound is open, the
//! account's links cast only after the settling period.
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, prelude::Expr,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::rules::{RECOVERY_TTL_HOURS, RecoveryStatus, Refusal, already_confirmed, recovery_spent};
use super::{code_hash, new_code};
use crate::{
    accounts::user_names,
    audit::{self, Subject},
    auth::{Actor, find_by_login, password, ratelimit, refresh},
    db::{claim, write_txn},
    entities::{compound, holder, membership, owner_link, recovery_code, user},
    error::{AppError, AppResult},
    msg,
    policy::Permission,
    verification,
};

/// A recovery code is recorded on the account it recovers, in the community that issued it.
impl Subject for recovery_code::Model {
    fn subject(&self) -> String {
        format!("user:{}", self.user_id)
    }
    fn community_id(&self) -> Option<i64> {
        Some(self.community_id)
    }
}

/// A recovery code; `code` is shown once, to the clerk who issued it.
#[derive(Serialize, ToSchema)]
pub struct RecoveryCodeView {
    pub id: i64,
    pub community_id: i64,
    pub user_id: i64,
    pub username: String,
    pub user_name: String,
    pub code: Option<String>,
    pub issued_by_name: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Whether the caller may confirm it; when not, `refusal` says why.
    pub can_confirm: bool,
    pub refusal: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct RecoverRequest {
    /// The account's user name or phone number.
    pub login: String,
    /// The code handed over by the community office.
    pub recovery_code: String,
    pub new_password: String,
}

/// The holders each of `users` is linked to, in one query.
pub async fn homes_of(db: &impl ConnectionTrait, users: &[i64]) -> AppResult<HashMap<i64, HashSet<i64>>> {
    let mut out: HashMap<i64, HashSet<i64>> = HashMap::new();
    for l in owner_link::Entity::find().filter(owner_link::Column::UserId.is_in(users.iter().copied())).all(db).await? {
        out.entry(l.user_id).or_default().insert(l.holder_id);
    }
    Ok(out)
}

/// Why `clerk` may take no part in recovering `user`, from the holders each is linked to: they
/// are the account, or a relative who shares its home.
pub fn clerk_refusal(clerk: i64, user: i64, homes: &HashMap<i64, HashSet<i64>>) -> Option<AppError> {
    if clerk == user {
        return Some(verification::refused(Refusal::OwnAccount));
    }
    let (mine, theirs) = (homes.get(&clerk)?, homes.get(&user)?);
    (!mine.is_disjoint(theirs)).then(|| AppError::denied("linked_to_holder", msg!("linked_to_holder")))
}

/// Allow `clerk` to take part in recovering `user_id`, or refuse (see [`clerk_refusal`]).
pub async fn check_clerk(db: &impl ConnectionTrait, clerk: i64, user_id: i64) -> AppResult<()> {
    match clerk_refusal(clerk, user_id, &homes_of(db, &[clerk, user_id]).await?) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Describe recovery codes for `actor`, with whether they may confirm each.
pub async fn views(
    db: &impl ConnectionTrait,
    actor: &Actor,
    rows: Vec<recovery_code::Model>,
) -> AppResult<Vec<RecoveryCodeView>> {
    let users: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|r| r.user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let names = user_names(db, rows.iter().map(|r| r.issued_by).collect::<Vec<_>>()).await?;
    let people: Vec<i64> = std::iter::once(actor.user.id).chain(rows.iter().map(|r| r.user_id)).collect();
    let homes = homes_of(db, &people).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let verdict = if r.confirmed_at.is_some() {
            Ok(())
        } else if r.issued_by == actor.user.id {
            Err(Refusal::OwnRequest.code().to_owned())
        } else {
            match clerk_refusal(actor.user.id, r.user_id, &homes) {
                Some(AppError::Denied { code, .. }) => Err(code.to_owned()),
                Some(_) => Err("forbidden".to_owned()),
                None => Ok(()),
            }
        };
        let u = users.get(&r.user_id);
        out.push(RecoveryCodeView {
            id: r.id,
            community_id: r.community_id,
            user_id: r.user_id,
            username: u.map(|u| u.username.clone()).unwrap_or_default(),
            user_name: u.map(|u| u.display_name.clone()).unwrap_or_default(),
            code: None,
            issued_by_name: names.get(&r.issued_by).cloned().unwrap_or_default(),
            issued_at: r.issued_at,
            expires_at: r.expires_at,
            confirmed_at: r.confirmed_at,
            can_confirm: r.confirmed_at.is_none() && verdict.is_ok(),
            refusal: verdict.err(),
        });
    }
    Ok(out)
}

/// After a recovery: tell each of the account's holders, and hold its links back from casting for
/// the settling period wherever a vote is open.
pub async fn settle_links(db: &impl ConnectionTrait, user_id: i64) -> AppResult<()> {
    let links = owner_link::Entity::find().filter(owner_link::Column::UserId.eq(user_id)).all(db).await?;
    let name = user::Entity::find_by_id(user_id).one(db).await?.map(|u| u.display_name).unwrap_or_default();
    for l in links {
        let Some(h) = holder::Entity::find_by_id(l.holder_id).one(db).await? else { continue };
        let Some(c) = compound::Entity::find_by_id(h.compound_id).one(db).await? else { continue };
        let until = verification::settling(db, c.id, h.id).await?;
        if let Some(t) = until {
            let mut am: owner_link::ActiveModel = l.clone().into();
            am.counts_from = Set(Some(l.counts_from.map_or(t, |f| f.max(t))));
            am.update(db).await?;
        }
        let params = json!({ "name": name, "settling": until.is_some(), "counts_from": until });
        verification::tell_holder(db, &c, h.id, &[], "account_recovered", params).await?;
    }
    Ok(())
}

/// Account `user_id` and the community, among its own, where `actor` recovers accounts: 404
/// when it is in none of the actor's communities.
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

/// Issue a one-time recovery code for account `user_id`, after checking the owner's documents in
/// person; it works once a second clerk has confirmed it. The view carries the code, shown once.
pub async fn issue(db: &DatabaseConnection, actor: &Actor, user_id: i64) -> AppResult<RecoveryCodeView> {
    let (u, community_id) = community_for(db, actor, user_id).await?;
    check_clerk(db, actor.user.id, u.id).await?;
    let code = new_code();
    let now = Utc::now();
    let txn = write_txn(db).await?;
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
    let detail = json!({ "recovery": row.id, "expires_at": row.expires_at });
    audit::note(&txn, Some(actor.user.id), &row, "account.recovery_issued", detail).await?;
    txn.commit().await?;
    let mut view = views(db, actor, vec![row]).await?.pop().ok_or(AppError::NotFound)?;
    view.code = Some(code);
    Ok(view)
}

/// Recovery codes of community `community_id`'s accounts waiting for a second clerk, oldest
/// first.
pub async fn pending_in(
    db: &impl ConnectionTrait,
    actor: &Actor,
    community_id: i64,
) -> AppResult<Vec<RecoveryCodeView>> {
    actor.authorize_community(Permission::RecoverAccounts, community_id)?;
    let rows = recovery_code::Entity::find()
        .filter(recovery_code::Column::CommunityId.eq(community_id))
        .filter(recovery_code::Column::ConfirmedAt.is_null())
        .filter(recovery_code::Column::UsedAt.is_null())
        .filter(recovery_code::Column::ExpiresAt.gt(Utc::now()))
        .order_by_asc(recovery_code::Column::Id)
        .all(db)
        .await?;
    views(db, actor, rows).await
}

/// Confirm recovery code `id` as the second clerk of the community office.
pub async fn confirm(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<RecoveryCodeView> {
    let r = recovery_code::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    actor.authorize_community(Permission::RecoverAccounts, r.community_id)?;
    RecoveryStatus::at(Utc::now(), r.expires_at, r.confirmed_at, r.used_at).check_confirm()?;
    if r.issued_by == actor.user.id {
        return Err(verification::refused(Refusal::OwnRequest));
    }
    check_clerk(db, actor.user.id, r.user_id).await?;
    let txn = write_txn(db).await?;
    let confirm = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::ConfirmedAt, Expr::value(Utc::now()))
        .col_expr(recovery_code::Column::ConfirmedBy, Expr::value(actor.user.id))
        .filter(recovery_code::Column::Id.eq(r.id))
        .filter(recovery_code::Column::ConfirmedAt.is_null());
    claim(&txn, confirm, already_confirmed).await?;
    let detail = json!({ "recovery": r.id, "issued_by": r.issued_by });
    audit::note(&txn, Some(actor.user.id), &r, "account.recovery_confirmed", detail).await?;
    txn.commit().await?;
    let r = recovery_code::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    views(db, actor, vec![r]).await?.pop().ok_or(AppError::NotFound)
}

/// Set a new password with a confirmed recovery code, from address `addr`. Every session of the
/// account ends, and the holders' accounts are told (see [`settle_links`]).
pub async fn recover(
    db: &DatabaseConnection,
    hasher: &password::Hasher,
    addr: Option<IpAddr>,
    req: &RecoverRequest,
) -> AppResult<()> {
    password::check_strength(&req.new_password).map_err(|m| AppError::field("new_password", m))?;
    let u = find_by_login(db, &req.login).await?;
    // Counted before the code is looked up, per account and per address, in the database.
    let keys = ratelimit::code_attempt(db, u.as_ref().map(|u| format!("recover:account:{}", u.id)), addr).await?;
    let invalid = || AppError::field("recovery_code", msg!("recovery_code_invalid"));
    let u = u.ok_or_else(invalid)?;
    let r = recovery_code::Entity::find()
        .filter(recovery_code::Column::CodeHash.eq(code_hash(&req.recovery_code)))
        .filter(recovery_code::Column::UserId.eq(u.id))
        .one(db)
        .await?
        .ok_or_else(invalid)?;
    RecoveryStatus::at(Utc::now(), r.expires_at, r.confirmed_at, r.used_at).check_use()?;
    let hash = hasher.hash(&req.new_password).await?;
    let txn = write_txn(db).await?;
    let spend = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(Utc::now()))
        .filter(recovery_code::Column::Id.eq(r.id))
        .filter(recovery_code::Column::UsedAt.is_null());
    claim(&txn, spend, recovery_spent).await?;
    for key in &keys {
        ratelimit::succeeded(&txn, key, true).await?;
    }
    let mut am: user::ActiveModel = u.clone().into();
    am.password_hash = Set(hash);
    am.update(&txn).await?;
    refresh::revoke_user(&txn, u.id, None).await?;
    settle_links(&txn, u.id).await?;
    let detail = json!({ "recovery": r.id, "issued_by": r.issued_by, "confirmed_by": r.confirmed_by });
    audit::note(&txn, Some(u.id), &r, "account.recovered", detail).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(e: Option<AppError>) -> Option<&'static str> {
        e.map(|e| match e {
            AppError::Denied { code, .. } => code,
            _ => "other",
        })
    }

    #[test]
    fn a_clerk_who_is_the_account_or_shares_its_home_takes_no_part() {
        let homes = HashMap::from([(1, HashSet::from([10])), (2, HashSet::from([10, 11])), (3, HashSet::from([12]))]);
        assert_eq!(code(clerk_refusal(2, 2, &homes)), Some("own_account"));
        assert_eq!(code(clerk_refusal(1, 2, &homes)), Some("linked_to_holder"));
        assert_eq!(code(clerk_refusal(3, 2, &homes)), None);
        // A clerk with no home of their own here, or an account with none.
        assert_eq!(code(clerk_refusal(4, 2, &homes)), None);
        assert_eq!(code(clerk_refusal(1, 5, &homes)), None);
    }
}
