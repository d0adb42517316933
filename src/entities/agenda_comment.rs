//! `agenda_comments` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agenda_comments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agenda_id: i64,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub body: String,
    pub official_kind: Option<String>,
    pub created_at: DateTimeUtc,
    pub hidden_at: Option<DateTimeUtc>,
    pub hidden_by: Option<i64>,
    pub hidden_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
