//! `compounds` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "compounds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub community_id: i64,
    pub name: String,
    pub address: Option<String>,
    pub created_at: DateTimeUtc,
    /// Days between a vote's notice and its opening.
    pub notice_days: i32,
    /// Days a vote's result stays on public display for objections.
    pub publicity_days: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
