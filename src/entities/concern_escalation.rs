//! `concern_escalations` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "concern_escalations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub concern_id: i64,
    pub department: String,
    pub request: String,
    pub escalated_by: i64,
    pub escalated_at: DateTimeUtc,
    pub response: Option<String>,
    pub responded_by: Option<i64>,
    pub responded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
