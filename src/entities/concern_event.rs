//! `concern_events` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "concern_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub concern_id: i64,
    pub kind: String,
    pub actor_id: Option<i64>,
    pub actor_kind: Option<String>,
    pub note: Option<String>,
    pub detail: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
