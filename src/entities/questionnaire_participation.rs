//! `questionnaire_participations` table: who took part, never what they answered.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "questionnaire_participations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub questionnaire_id: i64,
    /// `h:<holder id>` or `u:<user id>`: unique per questionnaire.
    pub respondent_key: String,
    pub holder_id: Option<i64>,
    pub user_id: i64,
    /// Counted by readers; an anonymous questionnaire's wait for their step (the taker's own
    /// page shows them at once).
    pub released: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
