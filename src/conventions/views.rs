//! What the conventions API takes and answers.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use super::text::{Body, DraftBody, Entry, ParseNote, Parsed};
pub use crate::entities::{
    convention::{ConventionKind, ConventionStatus},
    convention_comment::{CommentKind, CommentStatus},
};
use crate::policy::PartyKind;

/// Where a convention stands for its readers.
#[derive(Serialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ConventionPhase {
    /// Being drafted: seen by its drafters and the community office only.
    Drafting,
    /// A consultation is announced and has not begun.
    Announced,
    /// The consultation is open: comments and amendments are taken.
    Consulting,
    /// The consultation has ended; the drafters answer what is left and prepare the final text.
    Consulted,
}

/// A convention in a list.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ConventionSummary {
    pub id: i64,
    pub kind: ConventionKind,
    pub title: String,
    pub phase: ConventionPhase,
    /// None for a community-wide residents' convention.
    pub compound_id: Option<i64>,
    pub compound_name: Option<String>,
    pub party_kind: PartyKind,
    pub version: i32,
    pub consult_from: Option<DateTime<Utc>>,
    pub consult_until: Option<DateTime<Utc>>,
    /// Comments and amendments made.
    pub comments: i64,
    /// Of which not answered yet.
    pub unanswered: i64,
    pub updated_at: DateTime<Utc>,
}

/// An article as shown: its number as it stands, its text and what was said about it.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ArticleView {
    /// The stable id (`a7`): comments and amendments name it.
    pub id: String,
    /// 第七条
    pub label: String,
    pub text: String,
    pub comments: i64,
    pub amendments: i64,
    pub unanswered: i64,
}

/// A chapter as shown.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ChapterView {
    pub id: String,
    /// 第二章, or none for articles before any chapter heading.
    pub label: Option<String>,
    pub title: String,
    pub articles: Vec<ArticleView>,
}

/// A saved version, in a list.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ConventionVersionSummary {
    pub version: i32,
    pub title: String,
    /// SHA-256 of the rendered text.
    pub digest: String,
    pub author: String,
    /// drafted, edited, amendment, template, imported …
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// The consultation (征求意见).
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ConsultationView {
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub questionnaire_id: Option<i64>,
    pub questionnaire_title: Option<String>,
    /// How many were told in their inbox, and how many have read it.
    pub told: i64,
    pub read: i64,
}

/// What the caller may do with the convention.
#[derive(Serialize, ToSchema, Debug, Clone, Default)]
pub struct ConventionCan {
    /// Save a new version, open the consultation: the drafting party.
    pub edit: bool,
    /// Answer comments and amendments: the drafting party.
    pub answer: bool,
    /// Comment, propose amendments, support them: the audience, while the consultation is open.
    pub comment: bool,
}

/// A convention with its current text.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ConventionView {
    pub id: i64,
    pub community_id: i64,
    pub compound_id: Option<i64>,
    /// The compound's name, or the community's for a community-wide convention.
    pub scope_name: String,
    pub kind: ConventionKind,
    pub title: String,
    pub status: ConventionStatus,
    pub phase: ConventionPhase,
    pub party_kind: PartyKind,
    pub party_name: String,
    pub version: i32,
    pub digest: String,
    pub preamble: String,
    pub chapters: Vec<ChapterView>,
    /// The text as saved, with ids, for editing.
    pub body: Body,
    pub consultation: Option<ConsultationView>,
    pub versions: Vec<ConventionVersionSummary>,
    pub comments: i64,
    pub unanswered: i64,
    pub can: ConventionCan,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One saved version in full.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ConventionVersionView {
    pub version: ConventionVersionSummary,
    pub preamble: String,
    pub chapters: Vec<ChapterView>,
}

/// Two versions compared article by article.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ConventionComparison {
    pub from: ConventionVersionSummary,
    pub to: ConventionVersionSummary,
    pub entries: Vec<Entry>,
}

/// The versions to compare.
#[derive(Deserialize, IntoParams, Debug, Clone, Copy)]
pub struct CompareParams {
    pub from: i32,
    pub to: i32,
}

/// A comment or an amendment, with the drafters' answer.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ConventionCommentView {
    pub id: i64,
    pub article_id: String,
    /// The article's number as it stands, or as it was when it has been removed.
    pub article_label: String,
    /// Whether the article has since been removed.
    pub article_removed: bool,
    /// The version it was written (or last rebased) on.
    pub version: i32,
    pub kind: CommentKind,
    /// Who wrote it, by the name they go by.
    pub author: String,
    /// The party they are a member of, when they speak as one.
    pub author_party: Option<PartyKind>,
    pub mine: bool,
    /// The comment, or the amendment's reason.
    pub text: String,
    /// The amendment's proposed wording of the whole article.
    pub wording: Option<String>,
    /// The article's text on the version it was written on, to show the proposed change against.
    pub original: Option<String>,
    pub status: CommentStatus,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// The version an adopted amendment produced.
    pub applied_version: Option<i32>,
    /// An open amendment whose article has changed since it was written: it must be rebased on
    /// the current text before it can be adopted.
    pub stale: bool,
    pub supports: i64,
    pub supported: bool,
    /// Whether the caller may rebase it: its author or the drafters, while it is stale.
    pub can_rebase: bool,
    pub created_at: DateTime<Utc>,
}

/// A draft to start: from a template, or a text of the drafters' own (typed, or read from a
/// .docx by the import).
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct NewConvention {
    pub kind: ConventionKind,
    /// At most 100 characters.
    pub title: String,
    /// A template key (`covenant`, `rules`, `residents`): its text becomes version 1.
    pub template: Option<String>,
    /// The text, when not from a template.
    pub body: Option<DraftBody>,
}

/// The drafters' text, saved as a new version.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct EditConvention {
    /// The version the edit was made on: saving over a later one is refused (409).
    pub version: i32,
    pub title: String,
    pub body: DraftBody,
    /// What changed, for the version list; at most 200 characters.
    pub reason: Option<String>,
}

/// Open the consultation.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct OpenConsultation {
    /// When it begins: now when left out; at most 30 days ahead.
    pub from: Option<DateTime<Utc>>,
    /// When it ends: at least one day after it begins, at most 90 days.
    pub until: DateTime<Utc>,
    /// A questionnaire of the same compound asked beside it.
    pub questionnaire_id: Option<i64>,
}

/// A comment on an article, or an amendment proposing its new wording.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct NewConventionComment {
    pub article_id: String,
    /// The version it is written on.
    pub version: i32,
    pub kind: CommentKind,
    /// The comment, or the amendment's reason: at most 2 000 characters.
    pub text: String,
    /// An amendment's wording of the whole article: required for amendments, at most 2 000
    /// characters, different from the article as it stands.
    pub wording: Option<String>,
}

/// The drafters' answer to a comment or an amendment.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct AnswerComment {
    pub outcome: AnswerOutcome,
    /// Why: required, at most 2 000 characters.
    pub reason: String,
    /// The wording the article takes: for an amendment adopted in part, or a comment adopted
    /// by a change of the article. An amendment adopted in full takes its own wording.
    pub wording: Option<String>,
    /// The version the drafters answered on: when the text has moved on since, refused (409).
    pub version: i32,
}

/// 采纳, 部分采纳, 不予采纳.
#[derive(Deserialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AnswerOutcome {
    Adopted,
    Partly,
    NotAdopted,
}

/// An amendment carried onto the current text by its author or the drafters.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct RebaseAmendment {
    /// The amendment's wording, as it should now read.
    pub wording: String,
}

/// One article in the consultation report.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ReportArticle {
    pub id: String,
    /// Its number in the final draft, or in the first draft if it was removed.
    pub label: String,
    pub chapter: Option<String>,
    /// From the first draft to the final one.
    pub change: Entry,
    pub comments: Vec<ConventionCommentView>,
}

/// The consultation report (征求意见反馈): per article, what was said and answered, and how the
/// text changed from the first draft to the final one.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ConsultationReport {
    pub convention: ConventionSummary,
    pub scope_name: String,
    pub party_name: String,
    pub consultation: Option<ConsultationView>,
    pub first: ConventionVersionSummary,
    pub last: ConventionVersionSummary,
    pub articles: Vec<ReportArticle>,
    /// Counts: comments, amendments, supports, and answers by outcome.
    pub totals: ReportTotals,
}

/// The report's counts.
#[derive(Serialize, ToSchema, Debug, Clone, Default)]
pub struct ReportTotals {
    pub comments: i64,
    pub amendments: i64,
    pub supports: i64,
    pub adopted: i64,
    pub partly: i64,
    pub not_adopted: i64,
    pub unanswered: i64,
}

/// A template to start from.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct ConventionTemplate {
    pub key: String,
    pub kind: ConventionKind,
    pub title: String,
    pub summary: String,
    pub preamble: String,
    pub chapters: Vec<ChapterView>,
}

/// A convention on a meeting's agenda: its consultation's comments and answers, for the table.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct AgendaConsultation {
    pub convention_id: i64,
    pub title: String,
    pub phase: ConventionPhase,
    pub version: i32,
    pub comments: i64,
    pub amendments: i64,
    pub unanswered: i64,
    /// Each comment and amendment, by article.
    pub said: Vec<AgendaComment>,
}

/// A comment or amendment as a meeting shows it.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct AgendaComment {
    pub article_label: String,
    pub kind: CommentKind,
    pub text: String,
    pub wording: Option<String>,
    pub status: CommentStatus,
    pub answer: Option<String>,
}
