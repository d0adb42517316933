//! What the agendas API sends and receives.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{AgendaMove, AgendaStatus};
use crate::{accounts::PersonName, concerns::CategoryView, policy::PartyKind};

#[derive(Deserialize, ToSchema)]
pub struct NewAgenda {
    pub title: String,
    /// Markdown; the app renders it without HTML.
    pub description: String,
    /// One of the community's concern categories.
    pub category_id: Option<i64>,
}

#[derive(Deserialize, ToSchema, Default)]
pub struct AgendaFromConcern {
    /// Defaults to the concern's category and the beginning of its text.
    pub title: Option<String>,
    /// Defaults to the concern's text.
    pub description: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct DecideRequest {
    /// What was decided.
    pub decision: String,
    /// The binding vote that settled it, in the same compound.
    pub vote_id: Option<i64>,
    /// The questionnaire that informed it.
    pub questionnaire_id: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
pub struct WithdrawRequest {
    pub reason: String,
}

#[derive(Deserialize, IntoParams)]
pub struct AgendaFilter {
    pub status: Option<AgendaStatus>,
    pub category_id: Option<i64>,
    /// The party of whoever opened it.
    pub party_kind: Option<PartyKind>,
    /// Words that must all appear in the title or description:
    /// at most 5 words and 100 characters (400 `search_too_long` beyond).
    pub q: Option<String>,
    /// The order of the list: `-created_at` (newest first) unless given; a leading `-` means descending.
    #[param(inline)]
    pub sort: Option<AgendaSort>,
    /// 1-based page number.
    pub page: Option<i64>,
    /// At most 50.
    pub per_page: Option<i64>,
}

/// What an agenda list is ordered by; a leading `-` means descending.
#[derive(Deserialize, ToSchema, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AgendaSort {
    #[serde(rename = "created_at")]
    CreatedAt,
    #[default]
    #[serde(rename = "-created_at")]
    CreatedAtDesc,
    #[serde(rename = "title")]
    Title,
    #[serde(rename = "-title")]
    TitleDesc,
    #[serde(rename = "status")]
    Status,
    #[serde(rename = "-status")]
    StatusDesc,
}

/// Co-signing toward the statutory 20 %.
#[derive(Serialize, ToSchema, Debug, PartialEq)]
pub struct CosignProgress {
    /// Holders who co-signed (heads).
    pub holders: i64,
    /// Their exclusive area, m² with two decimals, and in 0.01 m².
    pub area: String,
    pub area_centi: i64,
    pub total_holders: i64,
    pub total_area: String,
    pub total_area_centi: i64,
    /// The least that reaches 20 % (a fifth, rounded up).
    pub needed_holders: i64,
    pub needed_area: String,
    pub needed_area_centi: i64,
    /// 20 % of the area and of the heads reached.
    pub reached: bool,
    /// I (one of my holdings) co-signed.
    pub mine: bool,
}

#[derive(Serialize, ToSchema)]
pub struct AgendaSummary {
    pub id: i64,
    pub compound_id: Option<i64>,
    pub title: String,
    pub category: Option<CategoryView>,
    pub party_kind: PartyKind,
    pub status: AgendaStatus,
    /// Co-signers reached 20 %: a statutory request for a temporary owners' assembly.
    pub statutory_at: Option<DateTime<Utc>>,
    pub cosigners: i64,
    pub comments: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct AgendaPage {
    pub items: Vec<AgendaSummary>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// What the caller may do with an agenda now.
#[derive(Serialize, ToSchema, Default)]
pub struct AgendaActions {
    pub cosign: bool,
    pub comment: bool,
    pub moderate: bool,
    /// Status moves open to the caller.
    pub moves: Vec<AgendaMove>,
}

#[derive(Serialize, ToSchema)]
pub struct AgendaView {
    pub id: i64,
    pub community_id: i64,
    /// `null`: the whole community.
    pub compound_id: Option<i64>,
    pub compound_name: Option<String>,
    pub title: String,
    pub description: String,
    /// `description` (Markdown) as sanitized HTML, ready to show.
    pub description_html: String,
    pub category: Option<CategoryView>,
    pub opened_by_name: String,
    /// The name with its official badge, from the person's memberships.
    pub opened_by_person: PersonName,
    pub party_kind: PartyKind,
    pub concern_id: Option<i64>,
    pub status: AgendaStatus,
    pub decision: Option<String>,
    /// `decision` (Markdown) as sanitized HTML.
    pub decision_html: Option<String>,
    pub vote_id: Option<i64>,
    pub questionnaire_id: Option<i64>,
    pub withdraw_reason: Option<String>,
    pub statutory_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// For agendas of one compound.
    pub cosign: Option<CosignProgress>,
    /// The meetings that took it up: each body's outcome, the parties' positions and the tasks set.
    pub meetings: Vec<crate::meetings::MeetingMention>,
    pub can: AgendaActions,
}

#[derive(Deserialize, ToSchema)]
pub struct NewComment {
    pub body: String,
    /// Answer this top-level comment (one level of replies).
    pub parent_id: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
pub struct HideRequest {
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct HiddenNote {
    pub by_name: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct CommentView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub author_name: String,
    /// The party the author spoke for: their comment is official.
    pub official_kind: Option<PartyKind>,
    /// Whether the author spoke for a party: the SPA badges their name as official.
    pub official: bool,
    /// `null` when hidden (moderators still see it).
    pub body: Option<String>,
    pub created_at: DateTime<Utc>,
    pub hidden: Option<HiddenNote>,
    pub mine: bool,
    /// Replies, oldest first (top-level comments only).
    #[schema(no_recursion)]
    pub replies: Vec<CommentView>,
}
