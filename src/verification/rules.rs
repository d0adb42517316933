//! The two-person rule, as plain functions: who may confirm a link, an invitation code, a proxy or
//! a recovery code, and from when a confirmed one may cast ballots.
use chrono::{DateTime, Duration, Utc};

use crate::{
    error::{AppError, AppResult},
    i18n::Msg,
    msg,
    policy::{PartyKind, Permission, Role, roles_for},
};

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

    pub fn message(self) -> Msg {
        match self {
            Refusal::NoParty => msg!("refusal_no_party"),
            Refusal::OwnRequest => msg!("refusal_own_request"),
            Refusal::SameParty => msg!("refusal_same_party"),
            Refusal::OwnAccount => msg!("refusal_own_account"),
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

impl PendingKind {
    /// The permission it is started and confirmed with: proxies by those who handle ballots.
    pub fn permission(self) -> Permission {
        match self {
            PendingKind::Proxy => Permission::CountPaper,
            PendingKind::Link | PendingKind::Invitation => Permission::VerifyOwners,
        }
    }
}

/// The answer when a second person has already confirmed it.
pub fn already_confirmed() -> AppError {
    AppError::conflict("already_confirmed", msg!("verification_already_confirmed"))
}

/// Where a staff link request stands, from when it was confirmed or withdrawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkRequestStatus {
    /// Waiting for a second person.
    Waiting,
    Confirmed,
    /// Withdrawn by either party.
    Cancelled,
}

impl LinkRequestStatus {
    pub fn of(confirmed_at: Option<DateTime<Utc>>, cancelled_at: Option<DateTime<Utc>>) -> Self {
        match (cancelled_at, confirmed_at) {
            (Some(_), _) => LinkRequestStatus::Cancelled,
            (None, Some(_)) => LinkRequestStatus::Confirmed,
            (None, None) => LinkRequestStatus::Waiting,
        }
    }

    /// Only a waiting request may be confirmed or withdrawn.
    pub fn check_waiting(self) -> AppResult<()> {
        match self {
            LinkRequestStatus::Waiting => Ok(()),
            LinkRequestStatus::Cancelled => {
                Err(AppError::conflict("request_cancelled", msg!("link_request_cancelled")))
            }
            LinkRequestStatus::Confirmed => Err(already_confirmed()),
        }
    }
}

/// Where an invitation code stands at a moment, from its timestamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvitationStatus {
    /// Waiting for a second person.
    Waiting,
    /// Confirmed, ready to be redeemed.
    Confirmed,
    /// Used: it links no one else.
    Redeemed,
    /// Past its expiry without being used.
    Expired,
}

impl InvitationStatus {
    pub fn at(
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        confirmed_at: Option<DateTime<Utc>>,
        redeemed_at: Option<DateTime<Utc>>,
    ) -> Self {
        if redeemed_at.is_some() {
            InvitationStatus::Redeemed
        } else if expires_at < now {
            InvitationStatus::Expired
        } else if confirmed_at.is_some() {
            InvitationStatus::Confirmed
        } else {
            InvitationStatus::Waiting
        }
    }

    /// Only a waiting code may be confirmed.
    pub fn check_confirm(self) -> AppResult<()> {
        match self {
            InvitationStatus::Waiting => Ok(()),
            InvitationStatus::Redeemed => Err(invitation_used()),
            InvitationStatus::Expired => Err(AppError::conflict("invitation_expired", msg!("invitation_expired"))),
            InvitationStatus::Confirmed => Err(already_confirmed()),
        }
    }

    /// Only a confirmed code may be redeemed.
    pub fn check_redeem(self) -> AppResult<()> {
        match self {
            InvitationStatus::Confirmed => Ok(()),
            InvitationStatus::Redeemed => Err(invitation_used()),
            InvitationStatus::Expired => Err(AppError::field("code", msg!("invitation_code_expired"))),
            InvitationStatus::Waiting => {
                Err(AppError::conflict("invitation_unconfirmed", msg!("invitation_unconfirmed")))
            }
        }
    }
}

/// The answer when an invitation code was already used.
pub fn invitation_used() -> AppError {
    AppError::conflict("invitation_used", msg!("invitation_used"))
}

/// Where a recovery code stands at a moment, from its timestamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoveryStatus {
    /// Waiting for a second clerk.
    Waiting,
    /// Confirmed, ready to set a new password.
    Confirmed,
    /// Used, or past its expiry.
    Spent,
}

impl RecoveryStatus {
    pub fn at(
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        confirmed_at: Option<DateTime<Utc>>,
        used_at: Option<DateTime<Utc>>,
    ) -> Self {
        if used_at.is_some() || expires_at < now {
            RecoveryStatus::Spent
        } else if confirmed_at.is_some() {
            RecoveryStatus::Confirmed
        } else {
            RecoveryStatus::Waiting
        }
    }

    /// Only a waiting code may be confirmed.
    pub fn check_confirm(self) -> AppResult<()> {
        match self {
            RecoveryStatus::Waiting => Ok(()),
            RecoveryStatus::Spent => Err(recovery_spent()),
            RecoveryStatus::Confirmed => Err(already_confirmed()),
        }
    }

    /// Only a confirmed code may set a password.
    pub fn check_use(self) -> AppResult<()> {
        match self {
            RecoveryStatus::Confirmed => Ok(()),
            RecoveryStatus::Spent => Err(recovery_spent()),
            RecoveryStatus::Waiting => Err(AppError::conflict("recovery_unconfirmed", msg!("recovery_unconfirmed"))),
        }
    }
}

/// The answer when a recovery code was used or has expired.
pub fn recovery_spent() -> AppError {
    AppError::conflict("recovery_spent", msg!("recovery_spent"))
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

    fn code(r: AppResult<()>) -> &'static str {
        r.err().map_or("ok", |e| e.code())
    }

    #[test]
    fn a_link_request_is_confirmed_or_withdrawn_only_while_it_waits() {
        let t = Some(Utc::now());
        assert_eq!(code(LinkRequestStatus::of(None, None).check_waiting()), "ok");
        assert_eq!(code(LinkRequestStatus::of(t, None).check_waiting()), "already_confirmed");
        assert_eq!(code(LinkRequestStatus::of(None, t).check_waiting()), "request_cancelled");
        // A withdrawal answers first, as it did before anyone could confirm it.
        assert_eq!(LinkRequestStatus::of(t, t), LinkRequestStatus::Cancelled);
    }

    #[test]
    fn an_invitation_code_is_confirmed_while_it_waits_and_redeemed_once_confirmed() {
        let now = Utc::now();
        let (later, earlier) = (now + Duration::days(1), now - Duration::days(1));
        let waiting = InvitationStatus::at(now, later, None, None);
        let confirmed = InvitationStatus::at(now, later, Some(earlier), None);
        assert_eq!((waiting, confirmed), (InvitationStatus::Waiting, InvitationStatus::Confirmed));
        assert_eq!(code(waiting.check_confirm()), "ok");
        assert_eq!(code(waiting.check_redeem()), "invitation_unconfirmed");
        assert_eq!(code(confirmed.check_confirm()), "already_confirmed");
        assert_eq!(code(confirmed.check_redeem()), "ok");
    }

    #[test]
    fn a_used_or_expired_invitation_code_takes_no_step() {
        let now = Utc::now();
        let (later, earlier) = (now + Duration::days(1), now - Duration::days(1));
        let used = InvitationStatus::at(now, earlier, Some(earlier), Some(earlier));
        let expired = InvitationStatus::at(now, earlier, Some(earlier), None);
        assert_eq!((used, expired), (InvitationStatus::Redeemed, InvitationStatus::Expired));
        assert_eq!(code(used.check_confirm()), "invitation_used");
        assert_eq!(code(used.check_redeem()), "invitation_used");
        assert_eq!(code(expired.check_confirm()), "invitation_expired");
        assert_eq!(code(expired.check_redeem()), "validation_failed");
        assert_eq!(InvitationStatus::at(now, later, None, Some(earlier)), InvitationStatus::Redeemed);
    }

    #[test]
    fn a_recovery_code_is_confirmed_while_it_waits_and_used_once_confirmed_and_unspent() {
        let now = Utc::now();
        let (later, earlier) = (now + Duration::hours(1), now - Duration::hours(1));
        let waiting = RecoveryStatus::at(now, later, None, None);
        let confirmed = RecoveryStatus::at(now, later, Some(earlier), None);
        assert_eq!(code(waiting.check_confirm()), "ok");
        assert_eq!(code(waiting.check_use()), "recovery_unconfirmed");
        assert_eq!(code(confirmed.check_confirm()), "already_confirmed");
        assert_eq!(code(confirmed.check_use()), "ok");
        let expired = RecoveryStatus::at(now, earlier, Some(earlier), None);
        let used = RecoveryStatus::at(now, later, Some(earlier), Some(earlier));
        for spent in [expired, used] {
            assert_eq!(spent, RecoveryStatus::Spent);
            assert_eq!(code(spent.check_confirm()), "recovery_spent");
            assert_eq!(code(spent.check_use()), "recovery_spent");
        }
    }

    #[test]
    fn proxies_are_confirmed_by_those_who_count_paper_and_the_rest_by_those_who_verify_owners() {
        assert_eq!(PendingKind::Proxy.permission(), Permission::CountPaper);
        assert_eq!(PendingKind::Link.permission(), Permission::VerifyOwners);
        assert_eq!(PendingKind::Invitation.permission(), Permission::VerifyOwners);
    }
}
