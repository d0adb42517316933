//! The two-person rule, as plain functions: who may confirm a link, an invitation code, a proxy or
//! a recovery code, and from when a confirmed one may cast ballots.
use chrono::{DateTime, Duration, Utc};

use crate::policy::{PartyKind, Permission, Role, roles_for};

/// How long a link or proxy confirmed while a vote is open waits before it may cast, so that the
/// holder's accounts, told at once, can object.
pub const SETTLING_HOURS: i64 = 24;

/// Why a person may not be the second one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Holds no party role that carries the permission (an administrator, say).
    NoParty,
    /// Started it: another person must confirm.
    OwnRequest,
    /// Of the same party as the person who started it.
    SameParty,
    /// Is the account that would gain the right.
    OwnAccount,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NoParty => "party_required",
            Refusal::OwnRequest => "own_request",
            Refusal::SameParty => "same_party",
            Refusal::OwnAccount => "own_account",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Refusal::NoParty => "only a member of the community office or the owners' committee may do this",
            Refusal::OwnRequest => "you started this; a second person of another party must confirm it",
            Refusal::SameParty => "a second person of another party must confirm this, not one of your own",
            Refusal::OwnAccount => "the account that would gain the right cannot start or confirm it",
        }
    }
}

/// The parties whose roles among `roles` carry `p`, community office first.
pub fn parties(roles: &[Role], p: Permission) -> Vec<PartyKind> {
    let allowed = roles_for(p);
    let mut out: Vec<PartyKind> = roles.iter().filter(|r| allowed.contains(r)).filter_map(|r| r.party_kind()).collect();
    out.sort_by_key(|k| *k as u8);
    out.dedup();
    out
}

/// The party a person acts for when they start a link, a code or a proxy.
pub fn acting_party(roles: &[Role], p: Permission) -> Result<PartyKind, Refusal> {
    parties(roles, p).first().copied().ok_or(Refusal::NoParty)
}

/// Whether `confirmer`, holding `confirmer_parties`, may confirm what `requester` started for
/// `requested_party`, naming `account` (the account that would gain the right, when known).
pub fn second_person(
    requester: i64,
    requested_party: PartyKind,
    confirmer: i64,
    confirmer_parties: &[PartyKind],
    account: Option<i64>,
) -> Result<(), Refusal> {
    if account == Some(confirmer) {
        return Err(Refusal::OwnAccount);
    }
    if confirmer == requester {
        return Err(Refusal::OwnRequest);
    }
    if confirmer_parties.is_empty() {
        return Err(Refusal::NoParty);
    }
    if !confirmer_parties.iter().any(|k| *k != requested_party) {
        return Err(Refusal::SameParty);
    }
    Ok(())
}

/// From when a link or proxy confirmed `now` may cast: at once, unless a vote of the compound is
/// open and the holder has accounts that must first be told; then after [`SETTLING_HOURS`].
pub fn counts_from(now: DateTime<Utc>, vote_open: bool, holder_has_accounts: bool) -> Option<DateTime<Utc>> {
    (vote_open && holder_has_accounts).then(|| now + Duration::hours(SETTLING_HOURS))
}

/// How long an issued recovery code may wait to be confirmed and used.
pub const RECOVERY_TTL_HOURS: i64 = 72;

/// What is waiting to be confirmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PendingKind {
    /// An account to verify as the holder's, after a clerk checked the documents.
    Link,
    /// A one-time invitation code printed for the holder.
    Invitation,
    /// A written proxy to vote for the holder.
    Proxy,
}

#[cfg(test)]
mod tests {
    use super::*;
    use PartyKind::*;

    #[test]
    fn the_party_of_a_role_that_carries_the_permission() {
        assert_eq!(acting_party(&[Role::CommitteeMember], Permission::VerifyOwners), Ok(OwnersCommittee));
        assert_eq!(acting_party(&[Role::Secretary], Permission::VerifyOwners), Ok(CommunityOffice));
        assert_eq!(acting_party(&[Role::Admin], Permission::VerifyOwners), Err(Refusal::NoParty));
        // The property company does not verify owners.
        assert_eq!(acting_party(&[Role::PropertyManager], Permission::VerifyOwners), Err(Refusal::NoParty));
        assert_eq!(
            parties(&[Role::CommitteeChair, Role::CommunityStaff, Role::Owner], Permission::VerifyOwners),
            vec![CommunityOffice, OwnersCommittee]
        );
    }

    #[test]
    fn a_second_person_of_another_party_who_is_not_the_account() {
        assert_eq!(second_person(1, OwnersCommittee, 2, &[CommunityOffice], Some(3)), Ok(()));
        assert_eq!(second_person(1, OwnersCommittee, 1, &[CommunityOffice], Some(3)), Err(Refusal::OwnRequest));
        assert_eq!(second_person(1, OwnersCommittee, 2, &[OwnersCommittee], Some(3)), Err(Refusal::SameParty));
        assert_eq!(second_person(1, OwnersCommittee, 3, &[CommunityOffice], Some(3)), Err(Refusal::OwnAccount));
        assert_eq!(second_person(1, OwnersCommittee, 2, &[], None), Err(Refusal::NoParty));
        // Someone in both parties confirms for the one that did not start it.
        assert_eq!(second_person(1, OwnersCommittee, 2, &[CommunityOffice, OwnersCommittee], None), Ok(()));
    }

    #[test]
    fn settling_only_while_a_vote_is_open_and_someone_can_be_told() {
        let now = Utc::now();
        assert_eq!(counts_from(now, false, true), None);
        assert_eq!(counts_from(now, true, false), None);
        assert_eq!(counts_from(now, true, true), Some(now + Duration::hours(24)));
    }
}
