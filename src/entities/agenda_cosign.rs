//! `agenda_cosigns` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agenda_cosigns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agenda_id: i64,
    pub holder_id: i64,
    pub user_id: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
