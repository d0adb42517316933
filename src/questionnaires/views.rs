//! What the questionnaires API sends and receives.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::model::{AnswerItem, AnswerPer, Audience, Question, QuestionResult, QuestionnaireStatus, ResultsVisibility};

#[derive(Deserialize, ToSchema)]
pub struct NewQuestionnaire {
    pub title: String,
    /// Markdown; the app renders it without HTML.
    #[serde(default)]
    pub description: String,
    pub questions: Vec<Question>,
    pub audience: Audience,
    /// The buildings whose owners are asked (a `buildings` audience only).
    pub building_ids: Option<Vec<i64>>,
    /// Answers are stored with no link to who gave them.
    #[serde(default)]
    pub anonymous: bool,
    pub answer_per: AnswerPer,
    /// Whether a named answer may be changed until close (never for anonymous questionnaires).
    #[serde(default)]
    pub allow_edit: bool,
    pub results_visibility: ResultsVisibility,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// The agenda this questionnaire helps settle.
    pub agenda_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionnaireSummary {
    pub id: i64,
    pub compound_id: i64,
    pub title: String,
    pub status: QuestionnaireStatus,
    /// Published and taking answers now.
    pub open: bool,
    pub anonymous: bool,
    pub audience: Audience,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Holders (or people) who have answered.
    pub respondents: i64,
    /// Whether I (or my household, per holder) have answered.
    pub answered: bool,
}

/// One of my holdings that a per-holder questionnaire asks.
#[derive(Serialize, ToSchema)]
pub struct MyHoldingAsked {
    pub holder_id: i64,
    /// The rooms, e.g. "1号楼 1单元101".
    pub label: String,
    /// Someone of this household has answered.
    pub answered: bool,
}

/// Where I stand with a questionnaire.
#[derive(Serialize, ToSchema)]
pub struct MyAnswer {
    /// I am in its audience.
    pub eligible: bool,
    /// Per-holder questionnaires: my households it asks.
    pub holdings: Vec<MyHoldingAsked>,
    /// I (or, per holder, every household of mine) have answered.
    pub answered: bool,
    /// My named answer (anonymous answers cannot be shown back: nothing links them to me).
    pub answers: Option<Vec<AnswerItem>>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// What I saved without sending.
    pub draft: Option<Vec<AnswerItem>>,
    pub draft_saved_at: Option<DateTime<Utc>>,
    pub can_submit: bool,
    pub can_edit: bool,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionnaireView {
    pub id: i64,
    pub compound_id: i64,
    pub compound_name: String,
    pub title: String,
    pub description: String,
    pub questions: Vec<Question>,
    pub audience: Audience,
    pub building_ids: Option<Vec<i64>>,
    /// Names of the chosen buildings.
    pub buildings: Vec<String>,
    pub anonymous: bool,
    pub answer_per: AnswerPer,
    pub allow_edit: bool,
    pub results_visibility: ResultsVisibility,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub status: QuestionnaireStatus,
    pub open: bool,
    pub agenda_id: Option<i64>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub respondents: i64,
    /// I may change, publish and close it.
    pub can_manage: bool,
    /// I may read its results now.
    pub results_visible: bool,
    /// I may export its results.
    pub can_export: bool,
    pub my: MyAnswer,
}

#[derive(Deserialize, ToSchema)]
pub struct SubmitAnswers {
    /// The household answered for (per-holder questionnaires, when I hold more than one).
    pub holder_id: Option<i64>,
    /// One item per question, in order.
    pub answers: Vec<AnswerItem>,
}

#[derive(Deserialize, ToSchema)]
pub struct DraftAnswers {
    pub answers: Vec<AnswerItem>,
}

#[derive(Serialize, ToSchema)]
pub struct DraftSaved {
    pub saved_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct AnswerReceipt {
    pub questionnaire_id: i64,
    pub submitted: bool,
    /// Whether the answer can still be changed (named, allowed, and before close).
    pub can_edit: bool,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionnaireResults {
    pub questionnaire_id: i64,
    pub status: QuestionnaireStatus,
    /// Holders (or people) who answered; for an anonymous questionnaire they, and the answers
    /// counted here, move in steps of 5 until close.
    pub respondents: i64,
    /// The audience's heads: households per holder, people per person (fixed at close).
    pub audience_heads: i64,
    /// Respondents over heads, in percent with one decimal.
    pub response_rate: f64,
    /// Free-text answers carry their authors (named questionnaires, for the three parties).
    pub named: bool,
    pub questions: Vec<QuestionResult>,
}
