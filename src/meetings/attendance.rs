//! Who is in the room: attendance per party, the parties a consultation is missing, and the
//! kind's quorum, counted from the sign-ins.
use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::{Capacity, MeetingKind, absent_parties, quorum};
use crate::{
    entities::{meeting_invitation, party},
    policy::PartyKind,
};

/// Those of one party invited and signed in.
#[derive(Serialize, ToSchema, Debug, Clone, PartialEq)]
pub struct PartyAttendance {
    pub party_id: i64,
    pub party_kind: Option<PartyKind>,
    pub party_name: String,
    pub invited: i64,
    pub present: i64,
}

/// Attendance at a meeting, as the room screen shows it.
#[derive(Serialize, ToSchema, Debug, Clone, PartialEq)]
pub struct Attendance {
    /// Everyone signed in, and everyone invited.
    pub present: i64,
    pub invited: i64,
    /// Per party, in the order of the three parties.
    pub parties: Vec<PartyAttendance>,
    /// For a consultation: the parties with no one signed in (flagged, never blocking).
    pub absent_parties: Vec<PartyKind>,
    /// For a kind with a quorum: those it counts (members, residents) present and expected, and
    /// the fewest present that meet it.
    pub quorum_present: i64,
    pub quorum_expected: i64,
    pub quorum_needed: i64,
    pub quorum_met: bool,
}

/// Whether an invitation counts toward the kind's quorum: committee members at a committee
/// meeting, residents (or their households' representatives) at a residents' meeting.
fn counted(kind: MeetingKind, capacity: Capacity) -> bool {
    match kind {
        MeetingKind::Committee => capacity == Capacity::Member,
        MeetingKind::ResidentsMeeting => capacity == Capacity::Resident,
        _ => false,
    }
}

fn order(kind: Option<PartyKind>) -> usize {
    match kind {
        Some(PartyKind::CommunityOffice) => 0,
        Some(PartyKind::PropertyCompany) => 1,
        Some(PartyKind::OwnersCommittee) => 2,
        None => 3,
    }
}

/// Count the attendance at a meeting of `kind` from its invitations and the parties they name.
pub fn attendance(
    kind: MeetingKind,
    invitations: &[meeting_invitation::Model],
    parties: &std::collections::HashMap<i64, party::Model>,
) -> Attendance {
    let present = |i: &&meeting_invitation::Model| i.signed_in_at.is_some();
    let mut per_party: BTreeMap<i64, PartyAttendance> = BTreeMap::new();
    for i in invitations.iter().filter(|i| matches!(i.capacity, Capacity::Party | Capacity::Member)) {
        let Some(p) = i.party_id.and_then(|id| parties.get(&id)) else { continue };
        let row = per_party.entry(p.id).or_insert_with(|| PartyAttendance {
            party_id: p.id,
            party_kind: PartyKind::parse(&p.kind),
            party_name: p.name.clone(),
            invited: 0,
            present: 0,
        });
        row.invited += 1;
        row.present += i64::from(i.signed_in_at.is_some());
    }
    let mut rows: Vec<PartyAttendance> = per_party.into_values().collect();
    rows.sort_by_key(|r| (order(r.party_kind), r.party_id));
    let kinds_present: Vec<PartyKind> = rows.iter().filter(|r| r.present > 0).filter_map(|r| r.party_kind).collect();
    let expected = invitations.iter().filter(|i| counted(kind, i.capacity)).count() as i64;
    let counted_present = invitations.iter().filter(|i| counted(kind, i.capacity)).filter(present).count() as i64;
    let q = quorum(kind, counted_present, expected);
    Attendance {
        present: invitations.iter().filter(present).count() as i64,
        invited: invitations.len() as i64,
        parties: rows,
        absent_parties: absent_parties(kind, &kinds_present),
        quorum_present: counted_present,
        quorum_expected: expected,
        quorum_needed: q.needed,
        quorum_met: q.met,
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::meetings::Answer;

    fn party(id: i64, kind: PartyKind) -> (i64, party::Model) {
        let name = format!("{} {id}", kind.as_str());
        (
            id,
            party::Model {
                id,
                community_id: 1,
                compound_id: None,
                kind: kind.as_str().into(),
                name,
                scope_key: String::new(),
            },
        )
    }

    fn inv(user_id: i64, party_id: Option<i64>, capacity: Capacity, here: bool) -> meeting_invitation::Model {
        meeting_invitation::Model {
            id: user_id,
            meeting_id: 1,
            user_id,
            party_id,
            capacity,
            answer: Answer::Attending,
            deputy_user_id: None,
            deputy_name: None,
            answered_at: None,
            signed_in_at: here.then(Utc::now),
            sign_in_method: None,
            signed_in_by: None,
        }
    }

    #[test]
    fn a_consultation_counts_each_party_and_flags_the_one_with_no_one_in_the_room() {
        let parties = std::collections::HashMap::from([
            party(1, PartyKind::CommunityOffice),
            party(2, PartyKind::PropertyCompany),
            party(3, PartyKind::OwnersCommittee),
        ]);
        let invitations = [
            inv(10, Some(3), Capacity::Party, true),
            inv(11, Some(1), Capacity::Party, true),
            inv(12, Some(2), Capacity::Party, false),
            inv(13, Some(3), Capacity::Party, false),
        ];
        let a = attendance(MeetingKind::Consultation, &invitations, &parties);
        assert_eq!((a.present, a.invited), (2, 4));
        let rows: Vec<(i64, i64, i64)> = a.parties.iter().map(|p| (p.party_id, p.invited, p.present)).collect();
        assert_eq!(rows, [(1, 1, 1), (2, 1, 0), (3, 2, 1)], "office, property company, committee");
        assert_eq!(a.absent_parties, [PartyKind::PropertyCompany]);
        assert!(a.quorum_met, "a missing party is flagged, never blocking");
    }

    #[test]
    fn a_committee_meeting_needs_more_than_half_of_its_members_signed_in() {
        let parties = std::collections::HashMap::from([party(3, PartyKind::OwnersCommittee)]);
        let mut invitations: Vec<_> = (0..7).map(|u| inv(u, Some(3), Capacity::Member, u < 3)).collect();
        invitations.push(inv(99, None, Capacity::Owner, true));
        let a = attendance(MeetingKind::Committee, &invitations, &parties);
        assert_eq!((a.quorum_present, a.quorum_expected, a.quorum_needed, a.quorum_met), (3, 7, 4, false));
        assert!(a.absent_parties.is_empty());
        invitations[3].signed_in_at = Some(Utc::now());
        assert!(attendance(MeetingKind::Committee, &invitations, &parties).quorum_met);
    }
}
