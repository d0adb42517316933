//! The conventions' rules, pure: who drafts which kind, where a consultation stands, when a
//! consultation period may be set, and when an amendment has been overtaken by the text.
use chrono::{DateTime, Duration, Utc};

use std::collections::{BTreeMap, HashSet};

use super::views::{AdoptionAction, AdoptionRoute, AdoptionStatus, ConventionKind, ConventionPhase, ConventionStatus};
use crate::{entities::meeting::MeetingKind, policy::PartyKind};

/// How far ahead a consultation may be announced.
pub const ANNOUNCE_MAX_DAYS: i64 = 30;
/// The longest consultation.
pub const CONSULT_MAX_DAYS: i64 = 90;

/// Whether the party `kind` may draft a convention of `convention` kind, for one compound or (when
/// `community_wide`) for the whole community.
///
/// The management covenant and the assembly's rules of procedure bind the owners and are the
/// owners' assembly's to adopt (Civil Code Art. 278 ¶1 items 1–2): their draft is the owners'
/// committee's. A residents' convention may come from any of the three parties of the compound;
/// one for the whole community, from the community office, which serves every compound.
pub fn may_draft(convention: ConventionKind, community_wide: bool, kind: PartyKind) -> bool {
    match (convention, community_wide) {
        (ConventionKind::Covenant | ConventionKind::Rules, false) => kind == PartyKind::OwnersCommittee,
        (ConventionKind::Covenant | ConventionKind::Rules, true) => false,
        (ConventionKind::Residents, false) => true,
        (ConventionKind::Residents, true) => kind == PartyKind::CommunityOffice,
    }
}

/// The party that drafts, of those the caller speaks for: the owners' committee before the
/// property company before the community office, as the first is the owners' own.
pub fn drafting_party(convention: ConventionKind, community_wide: bool, kinds: &[PartyKind]) -> Option<PartyKind> {
    [PartyKind::OwnersCommittee, PartyKind::PropertyCompany, PartyKind::CommunityOffice]
        .into_iter()
        .find(|k| kinds.contains(k) && may_draft(convention, community_wide, *k))
}

/// Where a convention stands at `now`.
pub fn phase(
    status: ConventionStatus,
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ConventionPhase {
    match (status, from, until) {
        (ConventionStatus::Drafting, _, _) => ConventionPhase::Drafting,
        (ConventionStatus::Consulting, Some(from), _) if now < from => ConventionPhase::Announced,
        (ConventionStatus::Consulting, _, Some(until)) if now >= until => ConventionPhase::Consulted,
        (ConventionStatus::Consulting, _, _) => ConventionPhase::Consulting,
        (ConventionStatus::Adopting, _, _) => ConventionPhase::Adopting,
        (ConventionStatus::InForce, _, _) => ConventionPhase::InForce,
        (ConventionStatus::Repealed, _, _) => ConventionPhase::Repealed,
    }
}

/// The routes by which a convention of `kind` may be adopted or repealed.
///
/// The management covenant and the rules of procedure are the owners' assembly's to adopt (Civil
/// Code Art. 278 ¶1 items 1–2, ¶2): only by a vote. A residents' convention binds owners only
/// through a vote of each compound's owners; it may instead be adopted by a residents' meeting
/// and filed with the street office (城市居民委员会组织法 Art. 15), or stand as a residents'
/// pledge (倡议) by a recorded decision, which binds nobody and says so.
pub fn routes(kind: ConventionKind) -> &'static [AdoptionRoute] {
    match kind {
        ConventionKind::Covenant | ConventionKind::Rules => &[AdoptionRoute::Vote],
        ConventionKind::Residents => &[AdoptionRoute::Vote, AdoptionRoute::ResidentsMeeting, AdoptionRoute::Pledge],
    }
}

/// The bodies whose recorded decision may make a residents' pledge.
pub const PLEDGE_BODIES: &[&str] = &["owners_committee", "three_party", "residents_council"];

/// The kind of meeting whose minutes may record a decision by `route`: a residents' meeting for
/// that route; for a pledge, the meeting of the body that decided it. None for a vote.
pub fn meeting_kind(route: AdoptionRoute, decided_by: Option<&str>) -> Option<MeetingKind> {
    match (route, decided_by) {
        (AdoptionRoute::ResidentsMeeting, _) => Some(MeetingKind::ResidentsMeeting),
        (AdoptionRoute::Pledge, Some("owners_committee")) => Some(MeetingKind::Committee),
        (AdoptionRoute::Pledge, Some("three_party")) => Some(MeetingKind::Consultation),
        (AdoptionRoute::Pledge, Some("residents_council")) => Some(MeetingKind::ResidentsCouncil),
        _ => None,
    }
}

/// Why a convention may not be put for adoption or repeal now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutError {
    /// The consultation is announced or open: it must end first.
    Consulting,
    /// An adoption or repeal is already before the owners.
    Pending,
    /// The version in force is the current one: there is nothing new to adopt.
    NothingNew,
    /// Not in force: there is nothing to repeal.
    NotInForce,
    /// Repealed: a repealed convention is read, not revived.
    Repealed,
}

/// Whether a convention in `phase`, with `in_force` the version in force (if any) and `version`
/// the current one, may be put for `action` now.
pub fn may_put(
    phase: ConventionPhase,
    in_force: Option<i32>,
    version: i32,
    action: AdoptionAction,
) -> Result<(), PutError> {
    match (phase, action) {
        (ConventionPhase::Repealed, _) => Err(PutError::Repealed),
        (ConventionPhase::Adopting, _) => Err(PutError::Pending),
        (ConventionPhase::Announced | ConventionPhase::Consulting, _) => Err(PutError::Consulting),
        (_, AdoptionAction::Adopt) if in_force == Some(version) => Err(PutError::NothingNew),
        (_, AdoptionAction::Adopt) => Ok(()),
        (_, AdoptionAction::Repeal) if in_force.is_none() => Err(PutError::NotInForce),
        (_, AdoptionAction::Repeal) => Ok(()),
    }
}

/// What a closed vote makes of the adoption it carries: a motion passes or it does not (a missed
/// quorum does not pass). A cancelled vote withdraws it.
pub fn outcome(cancelled: bool, passed: Option<bool>) -> AdoptionStatus {
    match (cancelled, passed) {
        (true, _) => AdoptionStatus::Withdrawn,
        (false, Some(true)) => AdoptionStatus::Adopted,
        (false, _) => AdoptionStatus::Failed,
    }
}

/// Where a round of adoptions (one vote per compound, or one decision) leaves the convention:
/// `None` while any is still pending; otherwise whether any was adopted — a residents'
/// convention is in force where its vote passed.
pub fn round(statuses: &[AdoptionStatus]) -> Option<bool> {
    if statuses.contains(&AdoptionStatus::Pending) {
        return None;
    }
    Some(statuses.contains(&AdoptionStatus::Adopted))
}

/// Households acknowledged by place: for each place (the compound and building of each
/// household's first home), how many households there are and how many acknowledged. The
/// developer's unsold homes are not households to ask and must not be passed in.
pub fn coverage<K: Ord>(
    households: impl IntoIterator<Item = (i64, K)>,
    acknowledged: &HashSet<i64>,
) -> BTreeMap<K, (i64, i64)> {
    let mut out: BTreeMap<K, (i64, i64)> = BTreeMap::new();
    for (holder, building) in households {
        let e = out.entry(building).or_default();
        e.0 += 1;
        if acknowledged.contains(&holder) {
            e.1 += 1;
        }
    }
    out
}

/// What is wrong with a consultation from `from` until `until`, set at `now`: the field and why.
pub fn check_period(
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), (&'static str, PeriodError)> {
    // A minute's grace: "now" on the phone is a little behind "now" on the server.
    if from < now - Duration::minutes(1) {
        return Err(("from", PeriodError::Past));
    }
    if from > now + Duration::days(ANNOUNCE_MAX_DAYS) {
        return Err(("from", PeriodError::TooFarAhead));
    }
    if until < from + Duration::days(1) {
        return Err(("until", PeriodError::TooShort));
    }
    if until > from + Duration::days(CONSULT_MAX_DAYS) {
        return Err(("until", PeriodError::TooLong));
    }
    Ok(())
}

/// Why a consultation period is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodError {
    Past,
    TooFarAhead,
    TooShort,
    TooLong,
}

/// Whether an amendment written on an article that read `written_on` must be rebased before it
/// can be adopted, the article now reading `now` (`None`: removed since). Only a change of that
/// article overtakes it; changes elsewhere in the text do not.
pub fn stale(written_on: Option<&str>, now: Option<&str>) -> bool {
    written_on != now
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
    }

    #[test]
    fn the_covenant_and_the_rules_are_the_committees_to_draft() {
        for k in [ConventionKind::Covenant, ConventionKind::Rules] {
            assert!(may_draft(k, false, PartyKind::OwnersCommittee));
            assert!(!may_draft(k, false, PartyKind::PropertyCompany));
            assert!(!may_draft(k, false, PartyKind::CommunityOffice));
            assert!(!may_draft(k, true, PartyKind::OwnersCommittee));
        }
    }

    #[test]
    fn a_residents_convention_comes_from_any_party_and_community_wide_from_the_office() {
        for p in [PartyKind::OwnersCommittee, PartyKind::PropertyCompany, PartyKind::CommunityOffice] {
            assert!(may_draft(ConventionKind::Residents, false, p));
        }
        assert!(may_draft(ConventionKind::Residents, true, PartyKind::CommunityOffice));
        assert!(!may_draft(ConventionKind::Residents, true, PartyKind::OwnersCommittee));
        assert!(!may_draft(ConventionKind::Residents, true, PartyKind::PropertyCompany));
    }

    #[test]
    fn the_committee_drafts_before_the_other_parties_it_speaks_for() {
        let both = [PartyKind::CommunityOffice, PartyKind::OwnersCommittee];
        assert_eq!(drafting_party(ConventionKind::Residents, false, &both), Some(PartyKind::OwnersCommittee));
        assert_eq!(drafting_party(ConventionKind::Covenant, false, &[PartyKind::PropertyCompany]), None);
        assert_eq!(drafting_party(ConventionKind::Residents, true, &both), Some(PartyKind::CommunityOffice));
    }

    #[test]
    fn the_phase_follows_the_period() {
        let (from, until) = (Some(at(10, 0)), Some(at(20, 0)));
        assert_eq!(phase(ConventionStatus::Drafting, None, None, at(1, 0)), ConventionPhase::Drafting);
        assert_eq!(phase(ConventionStatus::Consulting, from, until, at(9, 23)), ConventionPhase::Announced);
        assert_eq!(phase(ConventionStatus::Consulting, from, until, at(10, 0)), ConventionPhase::Consulting);
        assert_eq!(phase(ConventionStatus::Consulting, from, until, at(19, 23)), ConventionPhase::Consulting);
        assert_eq!(phase(ConventionStatus::Consulting, from, until, at(20, 0)), ConventionPhase::Consulted);
    }

    #[test]
    fn a_period_lasts_a_day_to_ninety_and_starts_within_thirty_days() {
        let now = at(1, 8);
        assert_eq!(check_period(now, now + Duration::days(14), now), Ok(()));
        assert_eq!(check_period(now - Duration::seconds(30), now + Duration::days(1), now), Ok(()));
        assert_eq!(
            check_period(now - Duration::hours(1), now + Duration::days(3), now),
            Err(("from", PeriodError::Past))
        );
        let late = now + Duration::days(31);
        assert_eq!(check_period(late, late + Duration::days(3), now), Err(("from", PeriodError::TooFarAhead)));
        assert_eq!(check_period(now, now + Duration::hours(23), now), Err(("until", PeriodError::TooShort)));
        assert_eq!(check_period(now, now + Duration::days(91), now), Err(("until", PeriodError::TooLong)));
    }

    #[test]
    fn the_covenant_and_the_rules_are_adopted_only_by_vote() {
        assert_eq!(routes(ConventionKind::Covenant), &[AdoptionRoute::Vote]);
        assert_eq!(routes(ConventionKind::Rules), &[AdoptionRoute::Vote]);
        assert!(routes(ConventionKind::Residents).contains(&AdoptionRoute::Pledge));
        assert!(routes(ConventionKind::Residents).contains(&AdoptionRoute::ResidentsMeeting));
    }

    #[test]
    fn a_convention_is_put_once_its_consultation_is_over_and_only_with_something_new() {
        use AdoptionAction::*;
        assert_eq!(may_put(ConventionPhase::Drafting, None, 1, Adopt), Ok(()));
        assert_eq!(may_put(ConventionPhase::Consulted, None, 3, Adopt), Ok(()));
        assert_eq!(may_put(ConventionPhase::Consulting, None, 3, Adopt), Err(PutError::Consulting));
        assert_eq!(may_put(ConventionPhase::Announced, None, 3, Adopt), Err(PutError::Consulting));
        assert_eq!(may_put(ConventionPhase::Adopting, None, 3, Adopt), Err(PutError::Pending));
        assert_eq!(may_put(ConventionPhase::InForce, Some(3), 3, Adopt), Err(PutError::NothingNew));
        assert_eq!(may_put(ConventionPhase::Drafting, Some(3), 4, Adopt), Ok(()));
        assert_eq!(may_put(ConventionPhase::InForce, Some(3), 3, Repeal), Ok(()));
        assert_eq!(may_put(ConventionPhase::Drafting, None, 3, Repeal), Err(PutError::NotInForce));
        assert_eq!(may_put(ConventionPhase::Repealed, Some(3), 3, Adopt), Err(PutError::Repealed));
    }

    #[test]
    fn only_a_passed_vote_adopts_and_a_round_ends_when_no_vote_is_pending() {
        assert_eq!(outcome(false, Some(true)), AdoptionStatus::Adopted);
        assert_eq!(outcome(false, Some(false)), AdoptionStatus::Failed);
        assert_eq!(outcome(false, None), AdoptionStatus::Failed);
        assert_eq!(outcome(true, Some(true)), AdoptionStatus::Withdrawn);
        use AdoptionStatus::*;
        assert_eq!(round(&[Adopted, Pending]), None);
        assert_eq!(round(&[Adopted, Failed]), Some(true));
        assert_eq!(round(&[Failed, Withdrawn]), Some(false));
        assert_eq!(round(&[]), Some(false));
    }

    #[test]
    fn coverage_counts_households_by_building() {
        let households = [(1, "1号楼"), (2, "1号楼"), (3, "2号楼"), (4, "1号楼")];
        let acknowledged: HashSet<i64> = [2, 3, 9].into_iter().collect();
        let c = coverage(households, &acknowledged);
        assert_eq!(c.get("1号楼"), Some(&(3, 1)));
        assert_eq!(c.get("2号楼"), Some(&(1, 1)));
        // A building of the same name in two compounds of a community-wide convention is two places.
        let two = coverage([(1, ("太阳城二期", "1号楼")), (2, ("上河时代", "1号楼"))], &acknowledged);
        assert_eq!((two.len(), two.get(&("上河时代", "1号楼"))), (2, Some(&(1, 1))));
        assert_eq!(c.values().map(|v| v.1).sum::<i64>(), 2, "an acknowledgement of no household here is not counted");
        assert!(coverage::<&str>([], &acknowledged).is_empty());
    }

    #[test]
    fn only_a_change_of_its_own_article_overtakes_an_amendment() {
        assert!(!stale(Some("养犬须拴绳。"), Some("养犬须拴绳。")));
        assert!(stale(Some("养犬须拴绳。"), Some("养犬出门须拴绳。")));
        assert!(stale(Some("养犬须拴绳。"), None));
    }

    #[test]
    fn a_decision_is_minuted_by_the_meeting_of_the_body_that_made_it() {
        assert_eq!(meeting_kind(AdoptionRoute::ResidentsMeeting, None), Some(MeetingKind::ResidentsMeeting));
        assert_eq!(meeting_kind(AdoptionRoute::Pledge, Some("three_party")), Some(MeetingKind::Consultation));
        assert_eq!(meeting_kind(AdoptionRoute::Pledge, Some("owners_committee")), Some(MeetingKind::Committee));
        assert_eq!(meeting_kind(AdoptionRoute::Pledge, Some("residents_council")), Some(MeetingKind::ResidentsCouncil));
        assert_eq!(meeting_kind(AdoptionRoute::Pledge, Some("street_office")), None);
        assert_eq!(meeting_kind(AdoptionRoute::Vote, Some("three_party")), None);
    }
}
