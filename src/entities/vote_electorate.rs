//! `vote_electorate` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vote_electorate")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vote_id: i64,
    pub holder_id: i64,
    pub holder_key: String,
    pub unit_id: i64,
    pub unit_label: String,
    pub area_centi: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
