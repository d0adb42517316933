use crate::verification::rules::Refusal;
use crate::{
    accounts::user_names,
    auth::Actor,
    entities::{compound, holder, owner_link, recovery_code, user},
    error::{AppError, AppResult},
    verification,
};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

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
    (!mine.is_disjoint(theirs))
        .then(|| AppError::denied("linked_to_holder", "you are linked to this account's home; another clerk must"))
}

/// Allow `clerk` to take part in recovering `user_id`, or refuse (see [`clerk_refusal`]).
pub async fn check_clerk(db: &impl ConnectionTrait, clerk: i64, user_id: i64) -> AppResult<()> {
    match clerk_refusal(clerk, user_id, &homes_of(db, &[clerk, user_id]).await?) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

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
        let body = match until {
            Some(t) => format!(
                "该账号的全部登录已失效。因本小区有表决正在进行，该账号自 {} 起方可代表本户投票。如非本人所为，请立即联系社区居委会。",
                verification::beijing(t)
            ),
            None => "该账号的全部登录已失效。如非本人所为，请立即联系社区居委会。".into(),
        };
        verification::tell_holder(
            db,
            &c,
            h.id,
            &[],
            "account_recovered",
            format!("账号“{name}”已通过社区居委会重设密码"),
            body,
        )
        .await?;
    }
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
