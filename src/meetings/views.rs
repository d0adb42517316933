//! What the meetings API takes and answers.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Attendance, Hands, MeetingKind, Position, tasks::TaskSummary};
pub use crate::entities::{
    meeting::MeetingStatus,
    meeting_invitation::{Answer, Capacity, SignInMethod},
    meeting_item::{ItemOutcome, ItemSource, ItemStatus},
};
use crate::files::FileView;
use crate::policy::PartyKind;

/// A meeting to convene.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct NewMeeting {
    pub kind: MeetingKind,
    /// At most 200 characters.
    pub title: String,
    /// What it is about, in Markdown: at most 20 000 characters.
    #[serde(default)]
    pub description: String,
    /// The compounds taking part: exactly one, or several for a three-party consultation, a
    /// residents' council or a residents' meeting. All in the community.
    pub compound_ids: Vec<i64>,
    pub starts_at: DateTime<Utc>,
    /// Expected duration: 15 to 480 minutes.
    pub duration_minutes: i32,
    /// Where it is held; a place, an online link or both (at most 200 characters each; the link
    /// is https).
    pub place: Option<String>,
    pub online_link: Option<String>,
    /// Who chairs and who keeps the record: whoever convenes, unless others are named (they must
    /// be invited or of the convening party).
    pub chair_id: Option<i64>,
    pub recorder_id: Option<i64>,
    /// The items, in order: at most 30.
    #[serde(default)]
    pub items: Vec<NewItem>,
    /// For a residents' council: the residents asked besides the parties; for a mediation: the
    /// sides (at least two). Ignored for the other kinds, whose invitees follow from the kind.
    #[serde(default)]
    pub invitee_ids: Vec<i64>,
    /// Papers to read before the meeting: files uploaded to a compound taking part
    /// (`POST /compounds/{id}/files`), at most 20.
    #[serde(default)]
    pub attachment_ids: Vec<i64>,
}

/// An item of a meeting to convene.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct NewItem {
    /// At most 200 characters.
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// What it is drawn from, with `source_id`: an agenda, concern, questionnaire or vote of a
    /// compound taking part, or a convention under consultation there.
    pub source: Option<ItemSource>,
    pub source_id: Option<i64>,
    pub presenter_id: Option<i64>,
    /// The time box: 1 to 240 minutes.
    pub minutes: i32,
    /// The unsettled item of an earlier meeting of the same body that this one takes up (see
    /// `GET /communities/{id}/meetings/carry-over`).
    pub carried_from: Option<i64>,
}

/// Someone as the meeting shows them.
#[derive(Serialize, ToSchema, Debug, Clone, PartialEq)]
pub struct Person {
    pub id: i64,
    pub name: String,
}

/// An item of a meeting.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ItemView {
    pub id: i64,
    pub position: i32,
    pub title: String,
    pub description: String,
    pub description_html: String,
    pub source: Option<ItemSource>,
    pub source_id: Option<i64>,
    /// Where the source is in the app, e.g. `/agendas/3`.
    pub source_link: Option<String>,
    pub presenter: Option<Person>,
    pub minutes: i32,
    pub status: ItemStatus,
    pub outcome: Option<ItemOutcome>,
    /// The recorder's notes.
    pub notes: String,
    /// The agreement's words, or a note on the outcome.
    pub outcome_text: Option<String>,
    /// Each party's position (a consultation) or each member's vote (a committee meeting).
    pub positions: Vec<PositionView>,
    pub hands: Option<Hands>,
    /// The tasks this item set going.
    pub tasks: Vec<TaskSummary>,
    /// The earlier meeting's item this one takes up.
    pub carried_from: Option<i64>,
    /// The binding vote or questionnaire drafted from this item, where it goes on to be decided.
    pub handed_to: Option<ItemSource>,
    pub handed_to_id: Option<i64>,
    /// Where that is in the app, e.g. `/votes/12`.
    pub handed_to_link: Option<String>,
    /// For a convention on the agenda: its consultation's comments and answers.
    pub consultation: Option<crate::conventions::AgendaConsultation>,
}

/// A party's position or a member's vote on an item.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct PositionView {
    pub party_id: Option<i64>,
    pub party_kind: Option<PartyKind>,
    pub party_name: Option<String>,
    pub person: Option<Person>,
    pub position: Position,
}

/// An invitation and its answer.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct MeetingInvitationView {
    pub id: i64,
    pub person: Person,
    pub capacity: Capacity,
    /// The party the invitee speaks for, and its name.
    pub party_kind: Option<PartyKind>,
    pub party_name: Option<String>,
    pub answer: Answer,
    pub deputy_name: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub signed_in_at: Option<DateTime<Utc>>,
    pub sign_in_method: Option<SignInMethod>,
}

/// Answers to the invitations, counted.
#[derive(Serialize, ToSchema, Debug, Clone, Default, PartialEq)]
pub struct AnswerCounts {
    pub invited: i64,
    pub attending: i64,
    pub deputies: i64,
    pub absent: i64,
    pub pending: i64,
}

/// A meeting in a list.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct MeetingSummary {
    pub id: i64,
    pub community_id: i64,
    pub kind: MeetingKind,
    pub title: String,
    pub status: MeetingStatus,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub place: Option<String>,
    pub compound_ids: Vec<i64>,
    /// The caller's invitation answer, if they are invited.
    pub my_answer: Option<Answer>,
}

/// What the caller may do with a meeting.
#[derive(Serialize, ToSchema, Debug, Clone, Default, PartialEq)]
pub struct MeetingCan {
    /// Answer their own invitation (the meeting is still ahead).
    pub answer: bool,
    /// Send a deputy in their place (a party may; a committee member may not).
    pub send_deputy: bool,
    /// Postpone or cancel it.
    pub manage: bool,
    /// Open it and its items, record outcomes and close it (the chair, or whoever manages it).
    pub chair: bool,
    /// Take notes, show the room's sign-in code, tick names, set tasks (the recorder, or the chair).
    pub record: bool,
    /// Sign oneself in with the room's code now.
    pub sign_in: bool,
    /// Hand items on to a binding vote or a questionnaire (the chair, once the meeting has
    /// opened, where they may also draft one in a compound taking part).
    pub hand_off: bool,
    /// Change the attachments (whoever keeps the record, until the meeting is cancelled).
    pub attach: bool,
}

/// A meeting with its items and invitations.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct MeetingView {
    pub id: i64,
    pub community_id: i64,
    pub compound_ids: Vec<i64>,
    pub kind: MeetingKind,
    pub title: String,
    pub description: String,
    /// The description as the app shows it: sanitized HTML from its Markdown.
    pub description_html: String,
    pub status: MeetingStatus,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub chair: Person,
    pub recorder: Person,
    pub convened_by: Person,
    pub convening_party: PartyKind,
    pub cancel_reason: Option<String>,
    pub items: Vec<ItemView>,
    pub invitations: Vec<MeetingInvitationView>,
    pub answers: AnswerCounts,
    pub my_invitation: Option<MeetingInvitationView>,
    /// Who is in the room, per party, and the kind's quorum.
    pub attendance: Attendance,
    /// The item the room follows.
    pub current_item_id: Option<i64>,
    pub opened_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The photo of the paper sign-in sheet, where one was used.
    pub sign_in_sheet: Option<FileView>,
    /// The papers to read before the meeting, read at `/meetings/{id}/attachments/{file_id}`.
    pub attachments: Vec<FileView>,
    /// The action items of the same body's earlier meetings not yet done, to review at this one.
    pub open_tasks: Vec<TaskSummary>,
    pub can: MeetingCan,
    pub created_at: DateTime<Utc>,
}

/// An answer to an invitation.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct AnswerRequest {
    pub answer: Answer,
    /// With `deputy`: who comes in the invitee's place (at most 50 characters).
    pub deputy_name: Option<String>,
}

/// A new time for a meeting, and why.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct PostponeRequest {
    pub starts_at: DateTime<Utc>,
    /// At most 500 characters.
    pub reason: String,
}

/// Why a meeting is cancelled.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct CancelRequest {
    /// At most 500 characters.
    pub reason: String,
}
