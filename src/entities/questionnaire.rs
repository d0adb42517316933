//! `questionnaires` table.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a questionnaire stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum QuestionnaireStatus {
    /// Being built; only those who manage questionnaires see it.
    #[sea_orm(string_value = "draft")]
    Draft,
    /// Out to its audience; answers are taken between `opens_at` and `closes_at`.
    #[sea_orm(string_value = "published")]
    Published,
    /// No more answers.
    #[sea_orm(string_value = "closed")]
    Closed,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "questionnaires")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub title: String,
    pub description: String,
    /// The questions as JSON, fixed once published.
    pub questions: String,
    pub audience: String,
    /// JSON list of building ids, for a buildings audience.
    pub building_ids: Option<String>,
    pub anonymous: bool,
    pub answer_per: String,
    pub allow_edit: bool,
    pub results_visibility: String,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub status: QuestionnaireStatus,
    /// The agenda this questionnaire settles (no foreign key: agendas are another module's).
    pub agenda_id: Option<i64>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    /// The audience's heads, fixed at close.
    pub audience_heads: Option<i64>,
    /// Anonymous answers taken but not yet released to readers (fewer than a step, while open).
    pub pending_answers: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
