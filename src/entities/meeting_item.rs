//! `meeting_items` table.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    pub position: i32,
    pub title: String,
    pub description: String,
    pub source_kind: Option<ItemSource>,
    pub source_id: Option<i64>,
    pub presenter_id: Option<i64>,
    /// The time box, in minutes.
    pub minutes: i32,
    pub status: ItemStatus,
    pub notes: String,
    pub outcome: Option<ItemOutcome>,
    /// The agreement's words (a mediation), or what the outcome says beyond agreed or not.
    pub outcome_text: Option<String>,
    /// A show of hands, where one was counted.
    pub hands_for: Option<i32>,
    pub hands_against: Option<i32>,
    pub hands_abstaining: Option<i32>,
    pub carried_from: Option<i64>,
    /// The binding vote or questionnaire drafted from this item, where it went on to be decided.
    pub handed_to_kind: Option<ItemSource>,
    pub handed_to_id: Option<i64>,
    pub opened_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
}

/// What an item is drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum ItemSource {
    #[sea_orm(string_value = "agenda")]
    Agenda,
    #[sea_orm(string_value = "concern")]
    Concern,
    #[sea_orm(string_value = "questionnaire")]
    Questionnaire,
    #[sea_orm(string_value = "vote")]
    Vote,
    #[sea_orm(string_value = "convention")]
    Convention,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    #[sea_orm(string_value = "pending")]
    Pending,
    /// The chair has opened it: the room follows it.
    #[sea_orm(string_value = "open")]
    Open,
    #[sea_orm(string_value = "done")]
    Done,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum ItemOutcome {
    #[sea_orm(string_value = "agreed")]
    Agreed,
    #[sea_orm(string_value = "not_agreed")]
    NotAgreed,
    /// Left for a later meeting of the same body.
    #[sea_orm(string_value = "deferred")]
    Deferred,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
