//! What of a secret vote may be read next to a holder, by whom and when.
//!
//! A secret vote's choices are counted and published as totals only. The two clerks who enter
//! and confirm a signed paper slip need to read its choice (the second checks the entry against
//! the paper), so while a slip awaits confirmation on an open vote the clerks' list shows it;
//! once it is confirmed, or the vote has closed, no route shows a choice next to its holder, and
//! the slip's scan is sealed (see `files::unseal` for the recorded two-party opening).
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use super::model::{BallotStatus, VoteStatus};
use crate::{
    entities::{ballot, vote},
    error::AppResult,
};

/// Whether a paper slip is still in the clerks' hands: entered, not yet confirmed, on a vote that
/// is still open.
pub fn slip_in_hand(v: &vote::Model, ballot_status: BallotStatus, now: DateTime<Utc>) -> bool {
    v.status == VoteStatus::Open && now < v.closes_at && ballot_status == BallotStatus::Pending
}

/// Whether the clerks' list shows a paper slip's choice next to its holder: always for a named
/// vote, for a secret one only while the slip is in the clerks' hands.
pub fn paper_choice_shown(secret: bool, in_hand: bool) -> bool {
    !secret || in_hand
}

/// Keys of a ballot event's detail that are withheld from readers of the trail for a secret
/// vote. No choice is written in a ballot event; the digest of a ballot stored before ballots
/// were salted could be matched against the three choices, so it is withheld too (`sanfang
/// verify` still checks it, from the database).
const WITHHELD: [&str; 4] = ["choice", "picks", "candidates", "digest"];

/// Whether an audit event records a ballot (its subject is then `vote:{id}`).
pub fn is_ballot_event(action: &str) -> bool {
    action.starts_with("ballot.")
}

/// Remove from a secret vote's ballot event what could tell its choice.
pub fn redact_ballot_detail(detail: &mut Value) {
    if let Some(obj) = detail.as_object_mut() {
        for k in WITHHELD {
            obj.remove(k);
        }
    }
}

/// A file that is the scan of a secret vote's signed paper slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealedScan {
    pub vote_id: i64,
    /// The slip still awaits confirmation on an open vote: the clerks may look at it.
    pub in_hand: bool,
}

/// Whether `file_id` is the scan of a secret vote's paper slip, and if so whose.
pub async fn sealed_scan(db: &impl ConnectionTrait, file_id: i64) -> AppResult<Option<SealedScan>> {
    let slips = ballot::Entity::find().filter(ballot::Column::ScanFileId.eq(file_id)).all(db).await?;
    if slips.is_empty() {
        return Ok(None);
    }
    let votes = vote::Entity::find()
        .filter(vote::Column::Id.is_in(slips.iter().map(|b| b.vote_id)))
        .filter(vote::Column::Secret.eq(true))
        .all(db)
        .await?;
    let now = Utc::now();
    let mut sealed: Option<SealedScan> = None;
    for b in &slips {
        let Some(v) = votes.iter().find(|v| v.id == b.vote_id) else { continue };
        let in_hand = slip_in_hand(v, b.status, now) && sealed.is_none_or(|s| s.in_hand);
        sealed = Some(SealedScan { vote_id: v.id, in_hand });
    }
    Ok(sealed)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use serde_json::json;

    use super::*;

    fn vote(status: VoteStatus, closes_in: Duration) -> vote::Model {
        let now = Utc::now();
        vote::Model {
            id: 1,
            compound_id: 1,
            title: "t".into(),
            body: String::new(),
            matter: "other".into(),
            form: "motion".into(),
            seats: None,
            secret: true,
            allow_change: false,
            building_ids: None,
            opens_at: now - Duration::hours(1),
            closes_at: now + closes_in,
            status,
            created_by: 1,
            created_at: now,
            published_at: None,
            frozen_at: None,
            closed_at: None,
            cancelled_at: None,
            cancel_reason: None,
            publicity_until: None,
            result: None,
            checkpoint_seq: None,
            checkpoint_hash: None,
            convention_id: None,
            text_digest: None,
        }
    }

    #[test]
    fn a_slip_is_in_the_clerks_hands_only_while_pending_on_an_open_vote() {
        let now = Utc::now();
        let open = vote(VoteStatus::Open, Duration::hours(1));
        assert!(slip_in_hand(&open, BallotStatus::Pending, now));
        assert!(!slip_in_hand(&open, BallotStatus::Counted, now));
        // Past its closing time the vote is closed, whether or not anyone has looked at it yet.
        assert!(!slip_in_hand(&vote(VoteStatus::Open, -Duration::seconds(1)), BallotStatus::Pending, now));
        for s in [VoteStatus::Closed, VoteStatus::Cancelled] {
            assert!(!slip_in_hand(&vote(s, Duration::hours(1)), BallotStatus::Pending, now));
        }
    }

    #[test]
    fn a_secret_choice_is_shown_to_the_clerks_only_while_the_slip_is_in_hand() {
        assert!(paper_choice_shown(false, false));
        assert!(paper_choice_shown(true, true));
        assert!(!paper_choice_shown(true, false));
    }

    #[test]
    fn a_ballot_event_loses_what_could_tell_its_choice() {
        let mut d = json!({ "vote": 1, "holder": 2, "channel": "paper", "status": "counted",
                            "digest": "ab", "serial": "S-1", "choice": "agree" });
        redact_ballot_detail(&mut d);
        assert_eq!(d, json!({ "vote": 1, "holder": 2, "channel": "paper", "status": "counted", "serial": "S-1" }));
        assert!(is_ballot_event("ballot.paper_confirmed") && !is_ballot_event("vote.closed"));
    }
}
