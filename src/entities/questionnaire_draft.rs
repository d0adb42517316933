//! `questionnaire_drafts` table: an answer being written, seen only by its writer.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "questionnaire_drafts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub questionnaire_id: i64,
    pub user_id: i64,
    pub answers: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
