//! What the votes API sends and receives.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{accounts::PersonName, files::FileView, i18n::Lang};

use super::{
    lifecycle::VoteResult,
    model::{Channel, VoteForm, VoteStatus},
    recount::WeightJson,
    tally::{Choice, Matter, Threshold},
};

#[derive(Deserialize, ToSchema)]
pub struct NewVote {
    pub title: String,
    /// Markdown; the app renders it without HTML.
    pub body: String,
    pub matter: Matter,
    pub form: VoteForm,
    /// Seats to fill (elections).
    pub seats: Option<i32>,
    /// Candidate names (elections), in ballot order.
    #[serde(default)]
    pub candidates: Vec<String>,
    /// Secret ballot: choices never appear next to room numbers.
    #[serde(default)]
    pub secret: bool,
    /// Whether an owner may change a cast ballot before close (default no).
    #[serde(default)]
    pub allow_change: bool,
    /// Count only these buildings' units (e.g. a lift vote); empty or absent for the whole compound.
    pub building_ids: Option<Vec<i64>>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Files (uploaded to the compound) that owners need to decide: plans, quotes, the full text.
    #[serde(default)]
    pub attachment_ids: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct VoteSummary {
    pub id: i64,
    pub compound_id: i64,
    pub title: String,
    pub matter: Matter,
    pub threshold: Threshold,
    pub form: VoteForm,
    pub status: VoteStatus,
    pub secret: bool,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// For motions after close.
    pub passed: Option<bool>,
    /// The caller's homes in this vote, counted as the vote's page lists them (`my`): their own
    /// and those they hold a written proxy for. `null` when they have none that may vote in it.
    pub mine: Option<MyHomes>,
}

/// How many of the caller's homes may vote in a vote, and for how many a ballot is in.
#[derive(Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct MyHomes {
    pub homes: i64,
    /// Homes with a ballot stored, whoever cast it (a paper slip awaiting its second clerk too).
    pub voted: i64,
}

#[derive(Serialize, ToSchema)]
pub struct CandidateView {
    pub position: i32,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct Checkpoint {
    /// Sequence number of the chain event that recorded the result.
    pub seq: i64,
    /// That event's hash: keep it; `sanfang verify` on any later copy must pass through it.
    pub hash: String,
}

#[derive(Serialize, ToSchema)]
pub struct MyBallot {
    pub receipt: String,
    pub channel: Channel,
    /// `counted`, or `pending` for a paper ballot awaiting confirmation.
    pub status: String,
    pub cast_at: DateTime<Utc>,
    pub choice: Option<Choice>,
    pub candidates: Option<Vec<i32>>,
}

/// A holding the caller may vote for: their own, or one they hold a written proxy for.
#[derive(Serialize, ToSchema)]
pub struct MyHolding {
    pub holder_id: i64,
    pub holder_key: String,
    /// Room numbers, e.g. "1号楼 1单元101".
    pub units: Vec<String>,
    /// The weight of this holding: its total exclusive area, one head.
    pub area: String,
    /// Set when the caller votes as proxy.
    pub proxy_id: Option<i64>,
    pub ballot: Option<MyBallot>,
    /// A ballot I cast for this holding now would replace the one stored (my proxy's, or my own
    /// online ballot where the vote allows a change); false when none is stored.
    pub can_replace: bool,
}

#[derive(Serialize, ToSchema)]
pub struct VoteView {
    pub id: i64,
    pub compound_id: i64,
    pub compound_name: String,
    pub title: String,
    /// Markdown, as written.
    pub body: String,
    /// `body` as sanitized HTML, ready to show.
    pub body_html: String,
    pub matter: Matter,
    pub threshold: Threshold,
    pub form: VoteForm,
    pub seats: Option<i32>,
    pub candidates: Vec<CandidateView>,
    pub secret: bool,
    pub allow_change: bool,
    pub building_ids: Option<Vec<i64>>,
    /// Names of the buildings in scope; empty for the whole compound.
    pub buildings: Vec<String>,
    pub status: VoteStatus,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub frozen_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub publicity_until: Option<DateTime<Utc>>,
    /// The compound's notice period in days (the earliest opening after publishing).
    pub notice_days: i32,
    pub checkpoint: Option<Checkpoint>,
    pub result: Option<VoteResult>,
    pub attachments: Vec<FileView>,
    /// Objections raised during the publicity period.
    pub objections: i64,
    /// The caller may raise an objection now.
    pub can_object: bool,
    /// The caller may edit, publish, extend or cancel it.
    pub can_manage: bool,
    /// The caller may watch turnout and handle paper ballots.
    pub can_count: bool,
    pub my: Vec<MyHolding>,
    /// The convention whose text this vote decides on, and the SHA-256 of that text.
    pub convention: Option<VoteConvention>,
}

/// The convention a vote decides on: its text is the vote's body, fixed by `digest`.
#[derive(Serialize, ToSchema)]
pub struct VoteConvention {
    pub id: i64,
    pub title: String,
    /// SHA-256 of the text voted on.
    pub digest: String,
}

#[derive(Deserialize, ToSchema)]
pub struct CastRequest {
    /// Which holding to vote for, when the caller has several (their own or by proxy).
    pub holder_id: Option<i64>,
    /// For motions.
    pub choice: Option<Choice>,
    /// For elections: positions of the supported candidates.
    pub candidates: Option<Vec<i32>>,
    /// Repeat a request with the same key and get the same receipt, never a second ballot.
    pub idempotency_key: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct BallotReceipt {
    pub receipt: String,
    pub vote_id: i64,
    pub holder_key: String,
    pub units: Vec<String>,
    pub area: String,
    pub channel: Channel,
    pub status: String,
    pub cast_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema)]
pub struct PaperBallotRequest {
    pub holder_id: i64,
    /// The serial number printed on the slip.
    pub serial: String,
    pub choice: Option<Choice>,
    pub candidates: Option<Vec<i32>>,
    /// The scan of the signed slip, uploaded first to `/compounds/{id}/files`.
    pub scan_file_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct PaperBallotView {
    pub id: i64,
    pub serial: String,
    pub holder_id: i64,
    pub holder_key: String,
    pub units: Vec<String>,
    /// `null` for a secret vote once the slip is confirmed or the vote has closed (`sealed`).
    pub choice: Option<Choice>,
    pub candidates: Option<Vec<i32>>,
    /// A secret vote's slip whose choice is no longer shown next to its holder; its scan is
    /// sealed too.
    pub sealed: bool,
    pub status: String,
    pub entered_by: Option<String>,
    pub confirmed_by: Option<String>,
    pub cast_at: DateTime<Utc>,
    pub receipt: String,
    pub scan_file_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Turnout {
    pub total: WeightJson,
    pub participating: WeightJson,
    pub quorum_needed: WeightJson,
    pub quorum_met: bool,
    /// Paper ballots waiting for a second clerk.
    pub pending_paper: i64,
    /// Owners who have opened the vote on their phone (delivery of the ballot).
    pub delivered: i64,
}

/// A line of the public ballot list: room numbers and area, never names.
#[derive(Serialize, ToSchema)]
pub struct PublicBallot {
    pub receipt: String,
    pub units: Vec<String>,
    pub area: String,
    pub channel: Channel,
    pub status: String,
    /// Named votes after close only.
    pub choice: Option<Choice>,
    pub candidates: Option<Vec<i32>>,
}

#[derive(Deserialize, ToSchema)]
pub struct ExtendRequest {
    pub closes_at: DateTime<Utc>,
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
pub struct CancelRequest {
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NewProxy {
    pub holder_id: i64,
    /// The proxy's account: user name or phone number.
    pub proxy_login: String,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    /// Where the signed authorisation is kept, or what it says.
    pub note: Option<String>,
    /// The scan of the signed authorisation, uploaded first to `/compounds/{id}/files`.
    pub scan_file_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ProxyView {
    pub id: i64,
    pub compound_id: i64,
    pub holder_id: i64,
    pub holder_key: String,
    pub proxy_user_id: i64,
    pub proxy_name: String,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub note: Option<String>,
    pub scan_file_id: Option<i64>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Who confirmed it as the second person, of another party than its registrar; until then
    /// it cannot cast.
    pub confirmed_at: Option<DateTime<Utc>>,
    pub confirmed_by_name: Option<String>,
    /// From when the proxy may cast: `valid_from`, or 24 hours after confirmation when a vote
    /// was open and the holder had accounts to tell. Unset until confirmed.
    pub counts_from: Option<DateTime<Utc>>,
}

#[derive(Deserialize, ToSchema)]
pub struct CompoundRules {
    /// Days between publishing a vote and its opening (15 by the regulations).
    pub notice_days: i32,
    /// Days a result stays on public display for objections.
    pub publicity_days: i32,
}

#[derive(Serialize, ToSchema)]
pub struct VoteLogEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub action: String,
    /// What happened, in the reader's language; the record never says who did it.
    pub text: String,
    pub detail: serde_json::Value,
}

#[derive(Deserialize, ToSchema)]
pub struct NewObjection {
    pub text: String,
}

/// An objection to a published result (visible to the three parties; never published with names).
#[derive(Serialize, ToSchema)]
pub struct ObjectionView {
    pub id: i64,
    pub by: String,
    /// The name with its official badge, from the person's memberships.
    pub by_person: PersonName,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

/// A step of a vote's public record in `lang`, from `record.<action>`: what happened, never who
/// did it (an objection's owner stays unnamed). A step the catalogue cannot tell shows its action.
pub fn record_line(lang: Lang, action: &str, detail: &serde_json::Value) -> String {
    let arg = |name: &str| crate::audit::sentence::scalar(detail.get(name));
    crate::audit::sentence::fill(lang, &format!("record.{action}"), arg).unwrap_or_else(|| action.to_owned())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::i18n::catalogue;

    #[test]
    fn every_step_the_trail_tells_of_a_vote_is_in_its_public_record() {
        for (key, _) in catalogue(Lang::En).filter(|(k, _)| k.starts_with("audit.vote.")) {
            let record = key.replacen("audit.", "record.", 1);
            for lang in [Lang::En, Lang::Zh] {
                assert!(crate::i18n::template(lang, &record).is_some(), "{record} is missing in {lang:?}");
            }
        }
    }

    #[test]
    fn a_step_is_told_with_its_detail_and_without_its_actor() {
        let detail = json!({ "reason": "参与不足", "from": "2026-12-01T00:00:00Z" });
        assert_eq!(record_line(Lang::En, "vote.extended", &detail), "Voting extended: 参与不足");
        assert_eq!(record_line(Lang::Zh, "vote.extended", &detail), "投票延期：参与不足");
        assert_eq!(record_line(Lang::En, "vote.objection", &json!({ "objection": 4 })), "An objection was received");
        assert_eq!(record_line(Lang::En, "vote.unheard-of", &json!({})), "vote.unheard-of");
    }
}
