//! Verifying owners: linking an account to a roster holder, by staff or by a one-time
//! invitation code printed on a notice, and recovering an owner's password. No one person gains
//! the right to act for a holder: what one party starts, a second person of another party
//! confirms ([`rules`]).
mod ops;
pub mod recovery;
pub mod rules;
mod views;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, prelude::Expr,
};
use serde_json::json;
use sha2::{Digest, Sha256};

pub use ops::*;
pub use rules::{PendingKind, RECOVERY_TTL_HOURS};
pub use views::*;

use crate::{
    accounts::{Scope, grant},
    audit,
    auth::Actor,
    db::claim,
    entities::{audit_event, compound, holder, invitation, membership, owner_link, user, vote, vote::VoteStatus},
    error::{AppError, AppResult, unique_conflict},
    msg,
    notices::{self, NewNotice},
    policy::{PartyKind, Permission, Role},
    roster::holder_subject,
};

/// How long a printed invitation code stays valid.
pub const INVITATION_TTL_DAYS: i64 = 30;

/// No 0/O, 1/I/L: codes are read off paper by elderly owners.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A fresh code like `K7QM-4XPA`: 8 symbols of 31, about 40 bits, single use and expiring, and
/// redemption attempts are rate-limited.
pub fn new_code() -> String {
    let mut rng = rand::rng();
    let s: String = (0..8).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
    format!("{}-{}", &s[..4], &s[4..])
}

/// The stored form of a code: its hash, after forgiving case, spaces and dashes.
pub fn code_hash(code: &str) -> String {
    let norm: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    hex::encode(Sha256::digest(norm.as_bytes()))
}

/// Find a usable invitation for `code`: confirmed by a second person, unused and unexpired.
pub async fn claim_invitation(db: &impl ConnectionTrait, code: &str) -> AppResult<invitation::Model> {
    let inv = invitation::Entity::find()
        .filter(invitation::Column::CodeHash.eq(code_hash(code)))
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("code", msg!("invitation_code_invalid")))?;
    rules::InvitationStatus::at(Utc::now(), inv.expires_at, inv.confirmed_at, inv.redeemed_at).check_redeem()?;
    Ok(inv)
}

/// Refuse a code to the two people who issued and confirmed it.
pub fn check_redeemer(inv: &invitation::Model, user_id: i64) -> AppResult<()> {
    if inv.created_by == user_id || inv.confirmed_by == Some(user_id) {
        return Err(AppError::denied(rules::Refusal::OwnAccount.code(), rules::Refusal::OwnAccount.message()));
    }
    Ok(())
}

/// Mark an invitation used by `user_id`. The update is conditional, so two racing redemptions
/// cannot both succeed.
pub async fn finish_invitation(db: &impl ConnectionTrait, inv: &invitation::Model, user_id: i64) -> AppResult<()> {
    let redeem = invitation::Entity::update_many()
        .col_expr(invitation::Column::RedeemedAt, Expr::value(Utc::now()))
        .col_expr(invitation::Column::RedeemedBy, Expr::value(user_id))
        .filter(invitation::Column::Id.eq(inv.id))
        .filter(invitation::Column::RedeemedAt.is_null());
    claim(db, redeem, rules::invitation_used).await
}

/// The party `actor` acts for when starting a link, a code or a proxy with `p` on `c`.
pub fn acting_party(actor: &Actor, c: &compound::Model, p: Permission) -> AppResult<PartyKind> {
    rules::acting_party(&actor.roles_in_compound(c), p).map_err(refused)
}

/// Allow `actor` to confirm, as the second person, what `requester` started for `party`.
pub fn check_second_person(
    actor: &Actor,
    c: &compound::Model,
    p: Permission,
    requester: i64,
    party: Option<&str>,
    account: Option<i64>,
) -> AppResult<()> {
    actor.authorize_compound(p, c)?;
    // Started before parties were recorded: any other party than the confirmer's own will not do.
    let party = party.and_then(PartyKind::parse).ok_or_else(|| refused(rules::Refusal::SameParty))?;
    let mine = rules::parties(&actor.roles_in_compound(c), p);
    rules::second_person(requester, party, actor.user.id, &mine, account).map_err(refused)
}

pub fn refused(r: rules::Refusal) -> AppError {
    AppError::denied(r.code(), r.message())
}

/// From when a link or proxy for `holder_id`, confirmed now, may cast ballots. The holder's
/// accounts are those linked now and those unlinked since the compound's open votes opened, so
/// that unlinking an owner and linking someone else waits too.
pub async fn settling(db: &impl ConnectionTrait, compound_id: i64, holder_id: i64) -> AppResult<Option<DateTime<Utc>>> {
    let now = Utc::now();
    let opened = vote::Entity::find()
        .filter(vote::Column::CompoundId.eq(compound_id))
        .filter(vote::Column::Status.eq(VoteStatus::Open.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|v| v.opens_at)
        .min();
    let Some(since) = opened else { return Ok(None) };
    let linked = owner_link::Entity::find().filter(owner_link::Column::HolderId.eq(holder_id)).count(db).await?;
    let unlinked = audit_event::Entity::find()
        .filter(audit_event::Column::Subject.eq(format!("holder:{holder_id}")))
        .filter(audit_event::Column::Action.eq("owner.unlinked"))
        .filter(audit_event::Column::At.gte(since))
        .count(db)
        .await?;
    Ok(rules::counts_from(now, true, linked + unlinked > 0))
}

/// Put a notice about a holder in the inbox of its linked accounts and of `also`: a notice of
/// `kind` with the parameters of its messages.
pub async fn tell_holder(
    db: &impl ConnectionTrait,
    c: &compound::Model,
    holder_id: i64,
    also: &[i64],
    kind: &str,
    params: serde_json::Value,
) -> AppResult<()> {
    let mut to: Vec<i64> = owner_link::Entity::find()
        .filter(owner_link::Column::HolderId.eq(holder_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.user_id)
        .collect();
    to.extend_from_slice(also);
    if to.is_empty() {
        return Ok(());
    }
    notices::publish(db, NewNotice::in_compound(c, kind, params, "/me".into()), &to).await?;
    Ok(())
}

/// How a link came about.
pub struct Confirmed {
    /// `staff` or `invitation`.
    pub method: &'static str,
    /// Who checked the documents (a staff link's requester); unset for an invitation code.
    pub verified_by: Option<i64>,
    /// The second person: for a staff link its confirmer, for a code the one who confirmed it.
    pub confirmed_by: Option<i64>,
}

/// Link `user_id` to a holder as a verified owner, grant the owner role in its compound, record
/// it, and tell the holder's accounts. While a vote of the compound is open and the holder has
/// accounts, the link casts only after the settling period.
pub async fn link(
    db: &impl ConnectionTrait,
    user_id: i64,
    holder_id: i64,
    how: Confirmed,
) -> AppResult<owner_link::Model> {
    let h = holder::Entity::find_by_id(holder_id).one(db).await?.ok_or(AppError::NotFound)?;
    let c = compound::Entity::find_by_id(h.compound_id).one(db).await?.ok_or(AppError::NotFound)?;
    let counts_from = settling(db, c.id, h.id).await?;
    // Told before the new account is linked: these are the accounts that may object.
    let name = user::Entity::find_by_id(user_id).one(db).await?.map(|u| u.display_name).unwrap_or_default();
    let params =
        json!({ "name": name, "holder": h.holder_key, "settling": counts_from.is_some(), "counts_from": counts_from });
    tell_holder(db, &c, h.id, &[user_id], "holder_linked", params).await?;
    let l = owner_link::Entity::insert(owner_link::ActiveModel {
        user_id: Set(user_id),
        holder_id: Set(holder_id),
        method: Set(how.method.into()),
        verified_by: Set(how.verified_by),
        confirmed_by: Set(how.confirmed_by),
        counts_from: Set(counts_from),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await
    .map_err(unique_conflict("already_linked", msg!("already_linked")))?;
    grant(
        db,
        user_id,
        Role::Owner,
        Scope { community_id: Some(c.community_id), compound_id: Some(c.id), party_id: None },
    )
    .await?;
    // The owner redeeming a code acts; a staff link is made by its confirmation.
    let actor_id = if how.method == "invitation" { Some(user_id) } else { how.confirmed_by.or(how.verified_by) };
    let detail = json!({
        "user": user_id, "method": how.method, "verified_by": how.verified_by,
        "confirmed_by": how.confirmed_by, "counts_from": counts_from,
    });
    audit::note(db, actor_id, &holder_subject(holder_id, &c), "owner.linked", detail).await?;
    Ok(l)
}

/// Undo a link; the owner role in the compound goes when the user holds nothing else there. The
/// holder's accounts, the unlinked one included, are told.
pub async fn unlink(
    db: &impl ConnectionTrait,
    user_id: i64,
    h: &holder::Model,
    c: &compound::Model,
    by: i64,
) -> AppResult<()> {
    let gone = owner_link::Entity::delete_many()
        .filter(owner_link::Column::UserId.eq(user_id))
        .filter(owner_link::Column::HolderId.eq(h.id))
        .exec(db)
        .await?;
    if gone.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    let holders_here: Vec<i64> = holder::Entity::find()
        .filter(holder::Column::CompoundId.eq(h.compound_id))
        .all(db)
        .await?
        .into_iter()
        .map(|h| h.id)
        .collect();
    let still = owner_link::Entity::find()
        .filter(owner_link::Column::UserId.eq(user_id))
        .filter(owner_link::Column::HolderId.is_in(holders_here))
        .count(db)
        .await?;
    if still == 0 {
        membership::Entity::delete_many()
            .filter(membership::Column::UserId.eq(user_id))
            .filter(membership::Column::Role.eq(Role::Owner.as_str()))
            .filter(membership::Column::CompoundId.eq(h.compound_id))
            .exec(db)
            .await?;
    }
    audit::note(db, Some(by), &holder_subject(h.id, c), "owner.unlinked", json!({ "user": user_id })).await?;
    let name = user::Entity::find_by_id(user_id).one(db).await?.map(|u| u.display_name).unwrap_or_default();
    tell_holder(db, c, h.id, &[user_id], "holder_unlinked", json!({ "name": name, "holder": h.holder_key })).await
}

/// Store a new invitation for a holder and return its code (shown once, stored only hashed). It
/// can be used once a second person of another party has confirmed it.
pub async fn create_invitation(
    db: &impl ConnectionTrait,
    h: &holder::Model,
    c: &compound::Model,
    by: i64,
    party: PartyKind,
) -> AppResult<(String, invitation::Model)> {
    let code = new_code();
    let now = Utc::now();
    let inv = invitation::Entity::insert(invitation::ActiveModel {
        holder_id: Set(h.id),
        code_hash: Set(code_hash(&code)),
        created_by: Set(by),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(INVITATION_TTL_DAYS)),
        redeemed_by: Set(None),
        redeemed_at: Set(None),
        issuer_party: Set(Some(party.as_str().into())),
        confirmed_by: Set(None),
        confirmed_at: Set(None),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    let detail = json!({ "invitation": inv.id, "expires_at": inv.expires_at, "party": party.as_str() });
    audit::note(db, Some(by), &holder_subject(h.id, c), "owner.invitation_created", detail).await?;
    Ok((code, inv))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_forgiving() {
        let c = new_code();
        assert_eq!(c.len(), 9);
        assert!(c.chars().all(|ch| ch == '-' || ALPHABET.contains(&(ch as u8))));
        assert_eq!(code_hash(&c), code_hash(&c.to_lowercase().replace('-', " ")));
        assert_ne!(code_hash("AAAA-AAAA"), code_hash("AAAA-AAAB"));
    }

    #[test]
    fn codes_differ() {
        let a: std::collections::HashSet<String> = (0..1000).map(|_| new_code()).collect();
        assert_eq!(a.len(), 1000);
    }
}
