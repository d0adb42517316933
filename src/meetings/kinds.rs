//! The kinds of meeting and the rules each carries, as one table.
//!
//! | kind | convened by | invited | quorum / rule | decides an agenda |
//! |---|---|---|---|---|
//! | three-party consultation 三方协同协商会议 | community office | the parties of one or several compounds | flagged when one of the three parties is absent | yes |
//! | owners' committee meeting 业委会会议 | committee chair | committee members; owners may attend | announced 7 days ahead; more than half of the members present; a decision needs at least half of all members; no one sent in a member's place | yes |
//! | owners' assembly sitting 业主大会现场会议 | owners' committee | the compound's owners | binding decisions only through the votes engine, with its notice period | no: an item is handed to a binding vote |
//! | residents' council 居民议事会 | community office | chosen residents and parties | — | no: its position is recorded |
//! | residents' meeting 居民会议 | community office | residents or their households' representatives | more than half present; a decision needs more than half of those present | yes |
//! | mediation 调解 | community office | the named sides | private to the sides and the office | no: private |
//!
//! An outcome (agreed or not agreed) decides the agenda an item is drawn from only where the kind
//! decides agendas and the chair may manage that agenda; otherwise the meeting's position goes on
//! the agenda's record. A concern is never decided by a meeting: its timeline tells what the
//! meeting reached, and the party handling it resolves it.
//!
//! Sources: 《业主大会和业主委员会指导规则》 (建房〔2009〕274号) Arts. 38–39 for the committee
//! meeting; 《中华人民共和国城市居民委员会组织法》 Art. 10 for the residents' meeting; Civil Code
//! Art. 278 and the votes engine for the owners' assembly.
pub use crate::entities::meeting::MeetingKind;
use crate::policy::{PartyKind, Role};

/// Who is asked to a meeting of a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invitees {
    /// The three parties of each compound taking part.
    Parties,
    /// The members of the owners' committee; owners may come and listen.
    CommitteeMembers,
    /// Every owner of the compound.
    Owners,
    /// People and parties the convener names.
    Chosen,
    /// Residents, or one representative per household.
    Residents,
    /// The two sides the convener names.
    Sides,
}

/// How many must be present for the meeting to be held, or what its absence means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quorum {
    /// No count; the absence of one of the three parties is flagged and said in the minutes.
    AllPartiesFlagged,
    /// More than half of those expected (members, residents or representatives).
    MoreThanHalf,
    /// No quorum at the sitting: binding decisions are votes, counted by the votes engine.
    ThroughVotes,
    /// No quorum.
    None,
}

/// How the meeting reaches a decision on an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Each party states its position (agree, disagree, reserve); agreed when no party present
    /// disagrees.
    PartyPositions,
    /// Members vote; agreed with at least half of ALL members (全体委员半数以上, "以上" includes half).
    HalfOfAllMembers,
    /// A binding vote through the votes engine.
    Vote,
    /// The outcome is recorded as the meeting reached it.
    Recorded,
    /// More than half of those present.
    MoreThanHalfPresent,
    /// The sides' agreement, in words.
    AgreementText,
}

/// Who may see the meeting and its record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Everyone with a role in the compounds taking part (or the community, for a community-wide one).
    Compounds,
    /// The sides and the community office only.
    SidesAndOffice,
}

/// The rules a kind of meeting carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindRules {
    pub kind: MeetingKind,
    /// The roles that may convene it (within the scope of the compound or community).
    pub convened_by: &'static [Role],
    pub invitees: Invitees,
    /// Whether an invited party may send someone in its place. Committee members may not
    /// (指导规则 Art. 38); a deputy is never a ballot proxy, whatever the kind.
    pub deputies: bool,
    /// Days between announcing the meeting and holding it, at the least.
    pub notice_days: i64,
    pub quorum: Quorum,
    pub decision: Decision,
    /// Whether an item's outcome decides the agenda it is drawn from, where the chair may manage
    /// that agenda. Where not, the meeting's position goes on the agenda's record; a concern is
    /// never decided by a meeting (the party handling it resolves it), only told on its timeline.
    pub decides_agendas: bool,
    pub visibility: Visibility,
}

use Role::*;

/// The whole table, one row per kind.
pub const KINDS: [KindRules; 6] = [
    KindRules {
        kind: MeetingKind::Consultation,
        convened_by: &[Secretary, CommunityStaff],
        invitees: Invitees::Parties,
        deputies: true,
        notice_days: 0,
        quorum: Quorum::AllPartiesFlagged,
        decision: Decision::PartyPositions,
        decides_agendas: true,
        visibility: Visibility::Compounds,
    },
    KindRules {
        kind: MeetingKind::Committee,
        convened_by: &[CommitteeChair],
        invitees: Invitees::CommitteeMembers,
        deputies: false,
        // 指导规则 Art. 39: the content and agenda are announced in the compound 7 days ahead.
        notice_days: 7,
        quorum: Quorum::MoreThanHalf,
        decision: Decision::HalfOfAllMembers,
        decides_agendas: true,
        visibility: Visibility::Compounds,
    },
    KindRules {
        kind: MeetingKind::AssemblySitting,
        convened_by: &[CommitteeChair, CommitteeMember],
        invitees: Invitees::Owners,
        deputies: true,
        notice_days: 0,
        quorum: Quorum::ThroughVotes,
        decision: Decision::Vote,
        decides_agendas: false,
        visibility: Visibility::Compounds,
    },
    KindRules {
        kind: MeetingKind::ResidentsCouncil,
        convened_by: &[Secretary, CommunityStaff],
        invitees: Invitees::Chosen,
        deputies: true,
        notice_days: 0,
        quorum: Quorum::None,
        decision: Decision::Recorded,
        decides_agendas: false,
        visibility: Visibility::Compounds,
    },
    KindRules {
        kind: MeetingKind::ResidentsMeeting,
        convened_by: &[Secretary, CommunityStaff],
        invitees: Invitees::Residents,
        deputies: false,
        notice_days: 0,
        // 城市居民委员会组织法 Art. 10: more than half of the adult residents, the households'
        // representatives or the groups' representatives present; decisions by more than half of
        // those present.
        quorum: Quorum::MoreThanHalf,
        decision: Decision::MoreThanHalfPresent,
        decides_agendas: true,
        visibility: Visibility::Compounds,
    },
    KindRules {
        kind: MeetingKind::Mediation,
        convened_by: &[Secretary, CommunityStaff],
        invitees: Invitees::Sides,
        deputies: false,
        notice_days: 0,
        quorum: Quorum::None,
        decision: Decision::AgreementText,
        decides_agendas: false,
        visibility: Visibility::SidesAndOffice,
    },
];

impl MeetingKind {
    pub const ALL: [MeetingKind; 6] = [
        MeetingKind::Consultation,
        MeetingKind::Committee,
        MeetingKind::AssemblySitting,
        MeetingKind::ResidentsCouncil,
        MeetingKind::ResidentsMeeting,
        MeetingKind::Mediation,
    ];

    /// This kind's row of [`KINDS`].
    pub fn rules(self) -> &'static KindRules {
        KINDS.iter().find(|r| r.kind == self).expect("every kind has a row")
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::Consultation => "consultation",
            MeetingKind::Committee => "committee",
            MeetingKind::AssemblySitting => "assembly_sitting",
            MeetingKind::ResidentsCouncil => "residents_council",
            MeetingKind::ResidentsMeeting => "residents_meeting",
            MeetingKind::Mediation => "mediation",
        }
    }

    pub fn parse(s: &str) -> Option<MeetingKind> {
        MeetingKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Whether `role` may convene a meeting of `kind` (in the compound or community it acts on).
pub fn may_convene(kind: MeetingKind, role: Role) -> bool {
    kind.rules().convened_by.contains(&role)
}

/// The parties a consultation is missing, given the parties present: each one is flagged and
/// said in the minutes. Other kinds flag nothing.
pub fn absent_parties(kind: MeetingKind, present: &[PartyKind]) -> Vec<PartyKind> {
    if kind.rules().quorum != Quorum::AllPartiesFlagged {
        return Vec::new();
    }
    [PartyKind::CommunityOffice, PartyKind::PropertyCompany, PartyKind::OwnersCommittee]
        .into_iter()
        .filter(|p| !present.contains(p))
        .collect()
}

/// Whether the meeting may be held with `present` of the `expected` (members, residents or
/// representatives), and the least number that would do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuorumState {
    pub met: bool,
    /// The fewest present that meet it (0 where the kind has no quorum).
    pub needed: i64,
}

pub fn quorum(kind: MeetingKind, present: i64, expected: i64) -> QuorumState {
    match kind.rules().quorum {
        // More than half: 2 × present > expected.
        Quorum::MoreThanHalf => QuorumState { met: 2 * present > expected, needed: expected / 2 + 1 },
        Quorum::AllPartiesFlagged | Quorum::ThroughVotes | Quorum::None => QuorumState { met: true, needed: 0 },
    }
}

/// Whether an item is agreed by a count: `agree` of `members` (all members of the body) for a
/// committee, of `present` for a residents' meeting. `None` where the kind does not decide by a
/// count (positions, a vote, a recorded outcome or an agreement text decide instead).
pub fn agreed_by_count(kind: MeetingKind, agree: i64, members: i64, present: i64) -> Option<bool> {
    match kind.rules().decision {
        // 全体委员半数以上同意: "以上" includes half, so 2 × agree ≥ members.
        Decision::HalfOfAllMembers => Some(2 * agree >= members),
        Decision::MoreThanHalfPresent => Some(2 * agree > present),
        Decision::PartyPositions | Decision::Vote | Decision::Recorded | Decision::AgreementText => None,
    }
}

/// The size the rules give an owners' committee: an odd number from 5 to 11 (指导规则 Art. 31).
pub fn committee_size_is_valid(members: i64) -> bool {
    (5..=11).contains(&members) && members % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_row() {
        for kind in MeetingKind::ALL {
            assert_eq!(KINDS.iter().filter(|r| r.kind == kind).count(), 1, "{kind:?}");
            assert_eq!(MeetingKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(MeetingKind::parse("party"), None);
    }

    #[test]
    fn a_consultation_is_the_community_offices_and_flags_each_absent_party() {
        let k = MeetingKind::Consultation;
        assert!(may_convene(k, Secretary) && may_convene(k, CommunityStaff));
        assert!(!may_convene(k, CommitteeChair) && !may_convene(k, PropertyManager) && !may_convene(k, Owner));
        assert!(k.rules().deputies, "a party may send a deputy");
        assert_eq!(
            absent_parties(k, &[PartyKind::CommunityOffice, PartyKind::OwnersCommittee]),
            [PartyKind::PropertyCompany]
        );
        assert!(
            absent_parties(k, &[PartyKind::CommunityOffice, PartyKind::PropertyCompany, PartyKind::OwnersCommittee])
                .is_empty()
        );
        assert_eq!(quorum(k, 0, 3), QuorumState { met: true, needed: 0 }, "flagged, never blocking");
        assert_eq!(agreed_by_count(k, 3, 3, 3), None, "decided by the parties' positions");
    }

    #[test]
    fn a_committee_meeting_needs_more_than_half_present_and_half_of_all_members_agreeing() {
        let k = MeetingKind::Committee;
        assert!(may_convene(k, CommitteeChair));
        assert!(!may_convene(k, CommitteeMember) && !may_convene(k, Secretary));
        assert!(!k.rules().deputies, "members attend in person");
        assert_eq!(k.rules().notice_days, 7);
        // Seven members: four present is more than half, three is not.
        assert_eq!(quorum(k, 4, 7), QuorumState { met: true, needed: 4 });
        assert!(!quorum(k, 3, 7).met);
        // Six members: three is exactly half, not more than half.
        assert!(!quorum(k, 3, 6).met);
        assert_eq!(quorum(k, 4, 6).needed, 4);
        // Agreement counts against ALL members, not those present; "半数以上" includes half.
        assert_eq!(agreed_by_count(k, 4, 7, 4), Some(true));
        assert_eq!(agreed_by_count(k, 3, 7, 4), Some(false), "3 of 4 present is not half of 7");
        assert_eq!(agreed_by_count(k, 3, 6, 5), Some(true), "exactly half of all members");
        assert!(absent_parties(k, &[]).is_empty());
    }

    #[test]
    fn an_assembly_sitting_decides_only_through_votes() {
        let k = MeetingKind::AssemblySitting;
        assert!(may_convene(k, CommitteeChair) && may_convene(k, CommitteeMember));
        assert!(!may_convene(k, Secretary));
        assert_eq!(k.rules().decision, Decision::Vote);
        assert!(quorum(k, 0, 200).met, "the votes engine counts, not the room");
        assert_eq!(agreed_by_count(k, 150, 200, 150), None);
    }

    #[test]
    fn a_residents_council_has_no_quorum_and_records_its_outcome() {
        let k = MeetingKind::ResidentsCouncil;
        assert!(may_convene(k, Secretary) && !may_convene(k, CommitteeChair));
        assert!(quorum(k, 1, 30).met);
        assert_eq!(agreed_by_count(k, 1, 30, 1), None);
    }

    #[test]
    fn a_residents_meeting_needs_more_than_half_present_and_decides_by_more_than_half_of_them() {
        let k = MeetingKind::ResidentsMeeting;
        assert!(may_convene(k, Secretary) && !may_convene(k, PropertyManager));
        assert!(quorum(k, 101, 200).met && !quorum(k, 100, 200).met);
        assert_eq!(agreed_by_count(k, 51, 200, 101), Some(true));
        assert_eq!(agreed_by_count(k, 50, 200, 100), Some(false), "half is not more than half");
    }

    #[test]
    fn a_mediation_is_private_to_its_sides_and_the_office() {
        let k = MeetingKind::Mediation;
        assert!(may_convene(k, Secretary) && !may_convene(k, CommitteeChair) && !may_convene(k, Owner));
        assert_eq!(k.rules().visibility, Visibility::SidesAndOffice);
        assert_eq!(k.rules().invitees, Invitees::Sides);
        assert_eq!(agreed_by_count(k, 2, 2, 2), None, "the agreement is in words");
        for other in MeetingKind::ALL.into_iter().filter(|&o| o != k) {
            assert_eq!(other.rules().visibility, Visibility::Compounds, "{other:?}");
        }
    }

    #[test]
    fn an_owners_committee_has_an_odd_number_of_members_from_five_to_eleven() {
        assert!([5, 7, 9, 11].into_iter().all(committee_size_is_valid));
        assert!(![3, 4, 6, 8, 10, 12, 13].into_iter().any(committee_size_is_valid));
    }
}
