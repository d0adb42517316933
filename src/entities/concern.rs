//! `concerns` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "concerns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub community_id: i64,
    pub compound_id: i64,
    pub building_id: Option<i64>,
    pub location: Option<String>,
    pub category_id: i64,
    pub text: String,
    pub raised_by: i64,
    pub status: String,
    pub assigned_party_id: Option<i64>,
    pub assigned_kind: Option<String>,
    pub due_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub routed_at: Option<DateTimeUtc>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub rating: Option<i32>,
    pub rated_at: Option<DateTimeUtc>,
    pub agenda_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
