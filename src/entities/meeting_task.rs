//! `meeting_tasks` table: an action item (督办) a meeting's decision set going.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    pub item_id: i64,
    pub community_id: i64,
    pub compound_id: i64,
    pub title: String,
    /// The party responsible, and the person who answers for it.
    pub party_id: i64,
    pub assignee_id: Option<i64>,
    pub due_on: Date,
    pub status: TaskStatus,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub reported_at: Option<DateTimeUtc>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub confirmed_by: Option<i64>,
    pub reminded_on: Option<Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Being worked on.
    #[sea_orm(string_value = "open")]
    Open,
    /// The party responsible reports it done; the convening office has yet to confirm.
    #[sea_orm(string_value = "reported")]
    Reported,
    /// The convening office confirmed it done.
    #[sea_orm(string_value = "done")]
    Done,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
