//! The conventions' rules, pure: who drafts which kind, where a consultation stands, when a
//! consultation period may be set, and when an amendment has been overtaken by the text.
use chrono::{DateTime, Duration, Utc};

use super::views::{ConventionKind, ConventionPhase, ConventionStatus};
use crate::policy::PartyKind;

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
    }
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
    fn only_a_change_of_its_own_article_overtakes_an_amendment() {
        assert!(!stale(Some("养犬须拴绳。"), Some("养犬须拴绳。")));
        assert!(stale(Some("养犬须拴绳。"), Some("养犬出门须拴绳。")));
        assert!(stale(Some("养犬须拴绳。"), None));
    }
}
