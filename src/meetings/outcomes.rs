//! The outcome of an item, checked against how the kind of meeting decides: each party's
//! position in a consultation, each member's vote in a committee meeting, a show of hands at a
//! residents' meeting, the agreement's words in a mediation.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Decision, ItemOutcome, MeetingKind, agreed_by_count};
pub use crate::entities::meeting_position::Position;
use crate::{error::AppError, msg};

/// A show of hands.
#[derive(Deserialize, Serialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hands {
    #[serde(rename = "for")]
    pub in_favour: i32,
    pub against: i32,
    pub abstaining: i32,
}

/// A party's position on an item (a consultation).
#[derive(Deserialize, ToSchema, Debug, Clone, Copy)]
pub struct PartyPosition {
    pub party_id: i64,
    pub position: Position,
}

/// A member's vote on an item (a committee meeting): agree, disagree, or `reserve` to abstain.
#[derive(Deserialize, ToSchema, Debug, Clone, Copy)]
pub struct MemberVote {
    pub user_id: i64,
    pub position: Position,
}

/// The outcome the chair records for an item.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct OutcomeRequest {
    pub outcome: ItemOutcome,
    /// A consultation: the position of each party present.
    #[serde(default)]
    pub positions: Vec<PartyPosition>,
    /// A committee meeting: the vote of each member present.
    #[serde(default)]
    pub votes: Vec<MemberVote>,
    /// A show of hands: required at a residents' meeting, optional at a residents' council.
    pub hands: Option<Hands>,
    /// The agreement's words (required when a mediation agrees), or a note on the outcome: at
    /// most 5 000 characters.
    pub text: Option<String>,
}

/// Who is in the room when the outcome is recorded.
#[derive(Debug, Clone, Default)]
pub struct Present {
    /// The parties with someone signed in.
    pub parties: Vec<i64>,
    /// The committee members signed in, and how many members the committee has.
    pub members: Vec<i64>,
    pub members_total: i64,
    /// Everyone signed in.
    pub people: i64,
}

fn refuse(field: &str, problem: crate::i18n::Msg) -> AppError {
    AppError::field(field, problem)
}

/// What the positions, votes or hands give, where the kind decides by them.
fn derived(kind: MeetingKind, req: &OutcomeRequest, present: &Present) -> Option<ItemOutcome> {
    let of = |agreed: bool| if agreed { ItemOutcome::Agreed } else { ItemOutcome::NotAgreed };
    match kind.rules().decision {
        // Agreed when no party present disagrees; a reserved position does not block.
        Decision::PartyPositions => Some(of(!req.positions.iter().any(|p| p.position == Position::Disagree))),
        Decision::HalfOfAllMembers => {
            let agree = req.votes.iter().filter(|v| v.position == Position::Agree).count() as i64;
            agreed_by_count(kind, agree, present.members_total, present.people).map(of)
        }
        Decision::MoreThanHalfPresent => {
            let hands = req.hands?;
            agreed_by_count(kind, i64::from(hands.in_favour), 0, present.people).map(of)
        }
        Decision::Vote | Decision::Recorded | Decision::AgreementText => None,
    }
}

/// Check the outcome `req` of an item at a meeting of `kind`: every party present (or member
/// present) has stated its position, no one else has, the counts fit the room, and the outcome
/// is what they give. Deferring an item needs none of this.
pub fn check_outcome(kind: MeetingKind, req: &OutcomeRequest, present: &Present) -> Result<(), AppError> {
    if req.outcome == ItemOutcome::Deferred {
        return Ok(());
    }
    match kind.rules().decision {
        Decision::PartyPositions => {
            for (i, p) in req.positions.iter().enumerate() {
                if !present.parties.contains(&p.party_id) || req.positions[..i].iter().any(|q| q.party_id == p.party_id)
                {
                    return Err(refuse(&format!("positions[{i}].party_id"), msg!("meeting_position_not_present")));
                }
            }
            if present.parties.iter().any(|id| !req.positions.iter().any(|p| p.party_id == *id)) {
                return Err(refuse("positions", msg!("meeting_positions_missing")));
            }
        }
        Decision::HalfOfAllMembers => {
            for (i, v) in req.votes.iter().enumerate() {
                if !present.members.contains(&v.user_id) || req.votes[..i].iter().any(|w| w.user_id == v.user_id) {
                    return Err(refuse(&format!("votes[{i}].user_id"), msg!("meeting_vote_not_present")));
                }
            }
        }
        Decision::MoreThanHalfPresent if req.hands.is_none() => {
            return Err(refuse("hands", msg!("meeting_hands_required")));
        }
        Decision::AgreementText
            if req.outcome == ItemOutcome::Agreed && req.text.as_deref().is_none_or(str::is_empty) =>
        {
            return Err(refuse("text", msg!("meeting_agreement_text_required")));
        }
        Decision::Vote => return Err(refuse("outcome", msg!("meeting_outcome_through_vote"))),
        _ => {}
    }
    if let Some(h) = req.hands {
        let total = i64::from(h.in_favour) + i64::from(h.against) + i64::from(h.abstaining);
        if h.in_favour < 0 || h.against < 0 || h.abstaining < 0 || total > present.people {
            return Err(refuse("hands", msg!("meeting_hands_too_many", present = present.people)));
        }
    }
    match derived(kind, req, present) {
        Some(d) if d != req.outcome => Err(refuse("outcome", msg!("meeting_outcome_mismatch"))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(outcome: ItemOutcome) -> OutcomeRequest {
        OutcomeRequest { outcome, positions: vec![], votes: vec![], hands: None, text: None }
    }

    fn field(r: Result<(), AppError>) -> String {
        match r {
            Err(AppError::Validation(f)) => f.keys().next().unwrap().to_string(),
            other => panic!("{other:?}"),
        }
    }

    fn pos(party_id: i64, position: Position) -> PartyPosition {
        PartyPosition { party_id, position }
    }

    #[test]
    fn a_consultation_agrees_when_no_party_present_disagrees() {
        let room = Present { parties: vec![1, 2, 3], people: 4, ..Present::default() };
        let mut r = req(ItemOutcome::Agreed);
        r.positions = vec![pos(1, Position::Agree), pos(2, Position::Reserve), pos(3, Position::Agree)];
        assert!(check_outcome(MeetingKind::Consultation, &r, &room).is_ok(), "a reserved position does not block");
        r.positions[1].position = Position::Disagree;
        assert_eq!(field(check_outcome(MeetingKind::Consultation, &r, &room)), "outcome");
        r.outcome = ItemOutcome::NotAgreed;
        assert!(check_outcome(MeetingKind::Consultation, &r, &room).is_ok());
        r.positions.pop();
        assert_eq!(field(check_outcome(MeetingKind::Consultation, &r, &room)), "positions", "every party present");
        r.positions.push(pos(9, Position::Agree));
        assert_eq!(field(check_outcome(MeetingKind::Consultation, &r, &room)), "positions[2].party_id");
        assert!(check_outcome(MeetingKind::Consultation, &req(ItemOutcome::Deferred), &room).is_ok());
    }

    #[test]
    fn a_committee_decides_by_half_of_all_members_voting_in_the_room() {
        let room = Present { members: vec![1, 2, 3, 4], members_total: 7, people: 4, ..Present::default() };
        let vote = |user_id, position| MemberVote { user_id, position };
        let mut r = req(ItemOutcome::Agreed);
        r.votes = vec![
            vote(1, Position::Agree),
            vote(2, Position::Agree),
            vote(3, Position::Agree),
            vote(4, Position::Reserve),
        ];
        assert_eq!(field(check_outcome(MeetingKind::Committee, &r, &room)), "outcome", "3 of 7 is less than half");
        r.outcome = ItemOutcome::NotAgreed;
        assert!(check_outcome(MeetingKind::Committee, &r, &room).is_ok());
        r.votes[3].position = Position::Agree;
        r.outcome = ItemOutcome::Agreed;
        assert!(check_outcome(MeetingKind::Committee, &r, &room).is_ok(), "4 of 7");
        r.votes.push(vote(5, Position::Agree));
        assert_eq!(field(check_outcome(MeetingKind::Committee, &r, &room)), "votes[4].user_id", "not in the room");
        r.votes[4] = vote(1, Position::Agree);
        assert_eq!(field(check_outcome(MeetingKind::Committee, &r, &room)), "votes[4].user_id", "votes once");
    }

    #[test]
    fn a_residents_meeting_counts_hands_against_those_present() {
        let room = Present { people: 101, ..Present::default() };
        let mut r = req(ItemOutcome::Agreed);
        assert_eq!(field(check_outcome(MeetingKind::ResidentsMeeting, &r, &room)), "hands");
        r.hands = Some(Hands { in_favour: 51, against: 40, abstaining: 10 });
        assert!(check_outcome(MeetingKind::ResidentsMeeting, &r, &room).is_ok());
        r.hands = Some(Hands { in_favour: 50, against: 40, abstaining: 11 });
        assert_eq!(field(check_outcome(MeetingKind::ResidentsMeeting, &r, &room)), "outcome", "50 of 101");
        r.hands = Some(Hands { in_favour: 60, against: 40, abstaining: 10 });
        assert_eq!(field(check_outcome(MeetingKind::ResidentsMeeting, &r, &room)), "hands", "more hands than people");
    }

    #[test]
    fn a_mediation_agrees_in_words_and_an_assembly_sitting_only_through_a_vote() {
        let room = Present { people: 3, ..Present::default() };
        let mut r = req(ItemOutcome::Agreed);
        assert_eq!(field(check_outcome(MeetingKind::Mediation, &r, &room)), "text");
        r.text = Some("楼上住户于本周内修好漏水管道，楼下墙面修复费用由双方各半承担。".into());
        assert!(check_outcome(MeetingKind::Mediation, &r, &room).is_ok());
        assert!(check_outcome(MeetingKind::Mediation, &req(ItemOutcome::NotAgreed), &room).is_ok());
        assert_eq!(field(check_outcome(MeetingKind::AssemblySitting, &r, &room)), "outcome");
        assert!(check_outcome(MeetingKind::AssemblySitting, &req(ItemOutcome::Deferred), &room).is_ok());
        assert!(check_outcome(MeetingKind::ResidentsCouncil, &req(ItemOutcome::NotAgreed), &room).is_ok());
    }
}
