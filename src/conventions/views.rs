//! What the conventions API takes and answers.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use super::text::{Body, DraftBody, Entry, ParseNote, Parsed};
pub use crate::entities::{
    convention::{ConventionKind, ConventionStatus},
    convention_adoption::{AdoptionAction, AdoptionRoute, AdoptionStatus},
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
    /// Its final version is before the owners.
    Adopting,
    /// A version is in force.
    InForce,
    Repealed,
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
    /// Put the final version for adoption, or the convention for repeal: the drafters, the
    /// compound's owners' committee or the community office, when the rules allow it now.
    pub put: bool,
    /// Acknowledge it for a household the caller holds that has not yet: while in force.
    pub acknowledge: bool,
    /// Record paper acknowledgements, see coverage and remind: the three parties, while in force.
    pub record_acknowledgements: bool,
    /// The compounds where the caller may report a breach of an article: where it is in force and
    /// they have a role.
    pub report_breach_in: Vec<i64>,
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
    /// The party that enforces it, to which breach reports of its articles go.
    pub enforcer: PartyKind,
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
    /// The routes by which this kind may be adopted or repealed.
    pub routes: Vec<AdoptionRoute>,
    /// The version in force and since when; none before it is first adopted.
    pub in_force: Option<InForceView>,
    pub repealed_at: Option<DateTime<Utc>>,
    pub review_on: Option<NaiveDate>,
    /// Every adoption and repeal put, newest first, with what became of it.
    pub adoptions: Vec<AdoptionView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The version in force.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct InForceView {
    pub version: i32,
    /// SHA-256 of the text in force.
    pub digest: String,
    pub from: DateTime<Utc>,
    /// How it was adopted: a vote (binding on the owners), a residents' meeting, or a pledge.
    pub route: AdoptionRoute,
    /// The compounds where it is in force (a residents' convention voted on per compound);
    /// empty where it is in force in its whole scope.
    pub compounds: Vec<String>,
}

/// A vote's outcome as the adoption keeps it.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq, Eq)]
pub struct AdoptionResult {
    pub passed: bool,
    pub quorum_met: bool,
}

/// An adoption or repeal put, and what became of it.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct AdoptionView {
    pub id: i64,
    pub action: AdoptionAction,
    pub route: AdoptionRoute,
    /// The version decided on and its SHA-256.
    pub version: i32,
    pub digest: String,
    pub compound_id: Option<i64>,
    pub compound_name: Option<String>,
    pub vote_id: Option<i64>,
    pub vote_title: Option<String>,
    /// `owners_committee`, `three_party` or `residents_council` for a pledge.
    pub decided_by: Option<String>,
    pub decided_on: Option<NaiveDate>,
    /// The record that adopted it: the decision's minutes, the residents' meeting's resolution.
    pub record: Option<String>,
    /// A residents' meeting's filing with the street office.
    pub filed_on: Option<NaiveDate>,
    pub filing_ref: Option<String>,
    /// The meeting whose minutes record the decision, where it was held on the platform.
    pub meeting_id: Option<i64>,
    pub meeting_title: Option<String>,
    pub status: AdoptionStatus,
    pub in_force_from: DateTime<Utc>,
    pub result: Option<AdoptionResult>,
    pub settled_at: Option<DateTime<Utc>>,
    pub superseded_at: Option<DateTime<Utc>>,
    /// Of its publication in force (or repeal): how many were told in their inbox, how many read it.
    pub told: i64,
    pub read: i64,
    pub created_at: DateTime<Utc>,
}

/// Put the final version for adoption, or the convention for repeal, by a route the law gives.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct PutConvention {
    pub action: AdoptionAction,
    pub route: AdoptionRoute,
    /// The version the caller read, which becomes the final text: refused when it has changed since.
    pub version: i32,
    /// When it comes into force (or the repeal takes effect) once adopted; default: when it is
    /// adopted (the vote's close, or now for a decision).
    pub in_force_from: Option<DateTime<Utc>>,
    /// A day to review it, when the drafters are reminded.
    pub review_on: Option<NaiveDate>,
    /// For a vote: when it opens and closes (the compound's notice period applies on publishing).
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    /// For a vote on a community-wide convention: the compounds whose owners vote, one vote each;
    /// default every compound of the community.
    #[serde(default)]
    pub compound_ids: Vec<i64>,
    /// For a pledge: `owners_committee`, `three_party` or `residents_council`.
    pub decided_by: Option<String>,
    /// For a pledge or a residents' meeting: the day of the decision and its record.
    pub decided_on: Option<NaiveDate>,
    pub record: Option<String>,
    /// For a residents' meeting: its filing with the street office.
    pub filed_on: Option<NaiveDate>,
    pub filing_ref: Option<String>,
    /// For a residents' meeting or a pledge: the meeting held on the platform that decided it — a
    /// residents' meeting, or the meeting of the body that decided the pledge (owners' committee,
    /// three-party consultation, residents' council), held, of the convention's compound or
    /// community. Its minutes are then the record and its day the day decided, unless given.
    pub meeting_id: Option<i64>,
}

/// A convention in a register: in force or repealed, with how each version was adopted.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct RegisterEntry {
    pub convention: ConventionSummary,
    pub in_force: Option<InForceView>,
    pub repealed_at: Option<DateTime<Utc>>,
    pub review_on: Option<NaiveDate>,
    /// Adoptions that were decided (adopted, failed), newest first; superseded ones carry the date.
    pub history: Vec<AdoptionView>,
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
    /// The party that enforces it, to which breach reports go: the property company when left out.
    pub enforcer: Option<PartyKind>,
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
    /// The party that enforces it: unchanged when left out.
    pub enforcer: Option<PartyKind>,
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

/// A household's 知晓承诺, from the phone.
#[derive(Deserialize, ToSchema, Debug, Clone, Default)]
pub struct Acknowledge {
    /// Which of the caller's households, when they hold several; default the first that has not.
    pub holder_id: Option<i64>,
}

/// A 知晓承诺 signed on paper, entered by staff.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct PaperAcknowledgement {
    pub holder_id: i64,
    /// The day the household signed.
    pub signed_on: NaiveDate,
    /// The scan of the signed paper, uploaded to the compound.
    pub scan_file_id: Option<i64>,
}

/// A household and whether it has acknowledged the version in force.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct HouseholdAck {
    pub holder_id: i64,
    pub compound_name: String,
    /// Its homes, e.g. "1号楼 101".
    pub homes: Vec<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// `online` or `paper`.
    pub channel: Option<String>,
}

/// Households acknowledged in one building.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct BuildingCoverage {
    pub compound_name: String,
    pub building: String,
    pub households: i64,
    pub acknowledged: i64,
}

/// How far the version in force is acknowledged, for the parties.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct Coverage {
    pub households: i64,
    pub acknowledged: i64,
    pub online: i64,
    pub paper: i64,
    pub buildings: Vec<BuildingCoverage>,
    /// The households that have not acknowledged yet, for entering paper ones.
    pub pending: Vec<HouseholdAck>,
}

/// The acknowledgements of the version in force: the caller's households, and for the parties
/// the coverage by building.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct AcknowledgementsView {
    /// The version in force; none when nothing is.
    pub version: Option<i32>,
    pub mine: Vec<HouseholdAck>,
    pub coverage: Option<Coverage>,
}

/// How many were reminded.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct Reminded {
    pub households: i64,
    pub recipients: i64,
}

/// The article of a convention in force that a breach report points to.
#[derive(Serialize, ToSchema, Debug, Clone, PartialEq, Eq)]
pub struct BreachRef {
    pub convention_id: i64,
    pub title: String,
    /// The article's stable id (`a7`) and its number in the version in force (第七条).
    pub article_id: String,
    pub article_label: String,
}
