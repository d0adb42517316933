//! `questionnaire_answers` table. An anonymous answer keeps only its random id, its
//! questionnaire and its content.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "questionnaire_answers")]
pub struct Model {
    /// A random UUID.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub questionnaire_id: i64,
    /// Named answers only.
    pub respondent_key: Option<String>,
    pub user_id: Option<i64>,
    pub holder_id: Option<i64>,
    /// JSON list of answer items, one per question.
    pub answers: String,
    pub submitted_at: Option<DateTimeUtc>,
    /// Counted in the results; an anonymous answer waits for its step.
    pub released: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
