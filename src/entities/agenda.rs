//! `agendas` table.
use sea_orm::entity::prelude::*;

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
    pub status: String,
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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
