//! Opening the sealed scan of a secret vote's signed paper slip.
//!
//! Such a scan shows a choice next to a signature, so it is sealed to everyone (see
//! `votes::secrecy`). It is opened only on a recorded request: a person of one party (the
//! community office or the owners' committee) asks, giving a reason, and a person of the other
//! party approves. Both steps are on the audit chain. Then those two people, and no one else, may
//! open the scan for [`UNSEAL_DAYS`] days; each opening is recorded too.
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    entities::scan_unseal,
    error::AppError,
    msg,
    policy::{PartyKind, Role},
};

/// How long an approved unsealing lets its two people open the scan.
pub const UNSEAL_DAYS: i64 = 7;

/// The parties that may ask for or approve an unsealing, as held through `roles` in the scan's
/// compound. The property company never handles ballots, and an administrator is no party.
pub fn unsealing_parties(roles: &[Role]) -> Vec<PartyKind> {
    let mut out = Vec::new();
    for r in roles {
        let p = match r {
            Role::Secretary | Role::CommunityStaff => PartyKind::CommunityOffice,
            Role::CommitteeChair | Role::CommitteeMember => PartyKind::OwnersCommittee,
            _ => continue,
        };
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The party an approver approves for: another person than the requester, holding no role in
/// the requester's party.
pub fn approving_party(
    u: &scan_unseal::Model,
    approver: i64,
    approver_parties: &[PartyKind],
) -> Result<PartyKind, AppError> {
    let requested = PartyKind::parse(&u.requested_party);
    let other = || AppError::conflict("other_party_required", msg!("unsealing_other_party"));
    if approver == u.requested_by || requested.is_some_and(|r| approver_parties.contains(&r)) {
        return Err(other());
    }
    approver_parties.iter().copied().find(|p| Some(*p) != requested).ok_or_else(other)
}

/// Whether `user` may open the scan under `u` at `now`: approved, not expired, and `user` is one
/// of its two people.
pub fn may_open(u: &scan_unseal::Model, user: i64, now: DateTime<Utc>) -> bool {
    let approved = u.approved_by.is_some() && u.expires_at.is_some_and(|t| now < t);
    approved && (u.requested_by == user || u.approved_by == Some(user))
}

/// When an unsealing approved at `at` ends.
pub fn expiry(at: DateTime<Utc>) -> DateTime<Utc> {
    at + Duration::days(UNSEAL_DAYS)
}

#[derive(Deserialize, ToSchema)]
pub struct NewUnseal {
    /// Why the scan must be opened (a dispute, a court's or the street office's request…).
    pub reason: String,
}

/// A request to open a sealed scan, and its approval.
#[derive(Serialize, ToSchema)]
pub struct UnsealView {
    pub id: i64,
    pub file_id: i64,
    pub reason: String,
    pub requested_by: Option<String>,
    pub requested_party: String,
    pub requested_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub approved_party: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    /// Until when the requester and the approver may open the scan.
    pub expires_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(by: i64, party: PartyKind) -> scan_unseal::Model {
        scan_unseal::Model {
            id: 1,
            file_id: 1,
            compound_id: 1,
            reason: "dispute".into(),
            requested_by: by,
            requested_party: party.as_str().into(),
            requested_at: Utc::now(),
            approved_by: None,
            approved_party: None,
            approved_at: None,
            expires_at: None,
        }
    }

    #[test]
    fn only_the_community_office_and_the_owners_committee_unseal() {
        assert_eq!(unsealing_parties(&[Role::Secretary, Role::CommunityStaff]), [PartyKind::CommunityOffice]);
        assert_eq!(unsealing_parties(&[Role::CommitteeMember]), [PartyKind::OwnersCommittee]);
        assert!(unsealing_parties(&[Role::Admin, Role::PropertyManager, Role::PropertyStaff, Role::Owner]).is_empty());
    }

    #[test]
    fn a_person_of_the_other_party_approves_and_no_one_else() {
        let u = request(1, PartyKind::CommunityOffice);
        assert_eq!(approving_party(&u, 2, &[PartyKind::OwnersCommittee]).unwrap(), PartyKind::OwnersCommittee);
        for (who, parties) in [
            (1, vec![PartyKind::OwnersCommittee]),
            (2, vec![PartyKind::CommunityOffice]),
            (2, vec![PartyKind::CommunityOffice, PartyKind::OwnersCommittee]),
            (2, vec![]),
        ] {
            assert!(approving_party(&u, who, &parties).is_err(), "{who} {parties:?}");
        }
    }

    #[test]
    fn the_two_people_open_the_scan_until_it_expires() {
        let now = Utc::now();
        let mut u = request(1, PartyKind::CommunityOffice);
        assert!(!may_open(&u, 1, now), "not before approval");
        u.approved_by = Some(2);
        u.approved_at = Some(now);
        u.expires_at = Some(expiry(now));
        assert!(may_open(&u, 1, now) && may_open(&u, 2, now));
        assert!(!may_open(&u, 3, now));
        assert!(!may_open(&u, 1, now + Duration::days(UNSEAL_DAYS)));
    }
}
