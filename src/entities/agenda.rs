//! `agendas` table.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agendas")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub community_id: i64,
    pub compound_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub category_id: Option<i64>,
    pub opened_by: i64,
    pub party_kind: String,
    pub concern_id: Option<i64>,
    pub status: AgendaStatus,
    pub decision: Option<String>,
    pub vote_id: Option<i64>,
    pub questionnaire_id: Option<i64>,
    pub withdraw_reason: Option<String>,
    pub statutory_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum AgendaStatus {
    #[sea_orm(string_value = "open")]
    Open,
    /// Under deliberation (e.g. on a three-party meeting's agenda).
    #[sea_orm(string_value = "deliberating")]
    Deliberating,
    #[sea_orm(string_value = "decided")]
    Decided,
    #[sea_orm(string_value = "closed")]
    Closed,
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
