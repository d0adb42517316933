//! `unit_changes` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub unit_id: i64,
    pub at: DateTimeUtc,
    pub by_user_id: Option<i64>,
    pub source: String,
    pub area_before: Option<i64>,
    pub area_after: Option<i64>,
    pub holder_before: Option<i64>,
    pub holder_after: Option<i64>,
    pub area_source: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
