//! What the minutes API takes and answers.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use crate::entities::{
    minutes::MinutesStatus,
    minutes_correction::CorrectionStatus,
    minutes_signature::{Seat, SignAnswer},
};
use crate::{
    meetings::{MeetingKind, Person},
    policy::PartyKind,
};

/// The recorder's text, saved as a new version.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct EditMinutes {
    /// The version the edit was made on: saving over a later one is refused (409).
    pub version: i32,
    /// Markdown, at most 100 000 characters.
    pub text: String,
}

/// Open the draft to corrections by those who attended.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct CirculateRequest {
    /// Until when corrections may be proposed: in the future, at most 30 days ahead.
    pub until: DateTime<Utc>,
}

/// A correction: the whole text as the attendee would have it read, and why.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct NewCorrection {
    /// The version it is written on.
    pub version: i32,
    pub text: String,
    /// At most 2 000 characters.
    pub reason: String,
}

/// The recorder's answer to a correction.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct CorrectionAnswerRequest {
    pub accept: bool,
    /// Why: required, at most 2 000 characters.
    pub reason: String,
}

/// Ask the seats to sign the current version.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct SignOffRequest {
    /// The sign-off deadline: in the future, at most 30 days ahead. Whoever has not answered by
    /// then is printed as "did not sign", and publication goes ahead.
    pub sign_by: DateTime<Utc>,
}

/// A seat's answer.
#[derive(Deserialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SignChoice {
    Approve,
    /// Approve, with a dissenting opinion printed with the minutes.
    Dissent,
    /// Return to the recorder with a comment.
    Return,
}

/// Sign (or return) the text whose SHA-256 is `digest`.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct SignRequest {
    /// The SHA-256 of the text read, as `digest` in the minutes: a changed text is refused (409).
    pub digest: String,
    pub answer: SignChoice,
    /// The dissenting opinion or the comment: required for those, at most 2 000 characters.
    pub opinion: Option<String>,
}

/// Publish the signed minutes.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct PublishRequest {
    /// Days on the notice board: 1 to 30 (7 when not given).
    pub publicity_days: Option<i64>,
}

/// Add to published minutes.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct NewAddendum {
    /// Markdown, at most 20 000 characters.
    pub text: String,
}

/// A correction and its answer.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct CorrectionView {
    pub id: i64,
    pub version: i32,
    pub author: Person,
    /// The lines replaced and their replacement: the correction's diff.
    pub original: String,
    pub replacement: String,
    pub reason: String,
    pub status: CorrectionStatus,
    pub answer: Option<String>,
    pub answered_by: Option<Person>,
    pub answered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Its lines are no longer in the text as it stands.
    pub stale: bool,
}

/// A seat's signature on one version.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct SignatureView {
    pub id: i64,
    pub version: i32,
    pub seat: Seat,
    pub party_kind: Option<PartyKind>,
    pub party_name: Option<String>,
    /// The person whose seat it is, or who answered for a party.
    pub person: Option<Person>,
    pub answer: SignAnswer,
    pub opinion: Option<String>,
    pub digest: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Not answered by the deadline (or by publication): printed as "did not sign".
    pub did_not_sign: bool,
    /// The caller may answer for this seat now.
    pub mine: bool,
}

/// A saved version.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct VersionSummary {
    pub version: i32,
    pub digest: String,
    pub reason: String,
    pub author: Person,
    pub created_at: DateTime<Utc>,
    /// How many seats signed this version.
    pub signed: i64,
}

/// One version in full, with the signatures on it.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct VersionView {
    pub version: i32,
    pub text: String,
    pub text_html: String,
    pub digest: String,
    pub reason: String,
    pub author: Person,
    pub created_at: DateTime<Utc>,
    pub signatures: Vec<SignatureView>,
}

/// An addendum to published minutes.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct AddendumView {
    pub id: i64,
    pub text: String,
    pub text_html: String,
    /// Chained on the digest before it.
    pub digest: String,
    pub author: Person,
    pub created_at: DateTime<Utc>,
}

/// How many of those the minutes were published to have read them.
#[derive(Serialize, ToSchema, Debug, Clone, Default)]
pub struct Reads {
    pub recipients: i64,
    pub read: i64,
}

/// What the caller may do with the minutes.
#[derive(Serialize, ToSchema, Debug, Clone, Default)]
pub struct MinutesCan {
    /// Edit the text, open corrections, answer them, ask for signatures, publish (the recorder,
    /// before publication).
    pub edit: bool,
    /// Propose a correction (an attendee, while corrections are open).
    pub correct: bool,
    /// Sign for a seat now.
    pub sign: bool,
    pub publish: bool,
    /// Add an addendum (the recorder, after publication).
    pub add_addendum: bool,
}

/// A meeting's minutes.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct MinutesView {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting_title: String,
    pub meeting_kind: MeetingKind,
    pub meeting_starts_at: DateTime<Utc>,
    pub status: MinutesStatus,
    pub version: i32,
    pub text: String,
    pub text_html: String,
    /// SHA-256 of the text, in hex: what a signature approves.
    pub digest: String,
    pub drafted_by: Person,
    pub corrections_until: Option<DateTime<Utc>>,
    pub sign_by: Option<DateTime<Utc>>,
    pub signing_version: Option<i32>,
    /// The seats asked to sign the version under sign-off (or the published one).
    pub signatures: Vec<SignatureView>,
    pub corrections: Vec<CorrectionView>,
    pub versions: Vec<VersionSummary>,
    pub addenda: Vec<AddendumView>,
    pub published_at: Option<DateTime<Utc>>,
    pub publicity_until: Option<DateTime<Utc>>,
    /// For a committee meeting: the day its decisions are due on the notice board (3 days after
    /// the meeting, 指导规则 Art. 39), and whether they came later.
    pub publish_due: Option<DateTime<Utc>>,
    pub late: bool,
    pub reads: Option<Reads>,
    pub can: MinutesCan,
    pub updated_at: DateTime<Utc>,
}

/// Published minutes in a compound's list.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct PublishedMinutes {
    pub meeting_id: i64,
    pub meeting_title: String,
    pub meeting_kind: MeetingKind,
    pub meeting_starts_at: DateTime<Utc>,
    pub published_at: DateTime<Utc>,
    pub publicity_until: Option<DateTime<Utc>>,
    pub late: bool,
    pub addenda: i64,
}
