//! `meeting_positions` table: a party's position on an item of a consultation, or a member's
//! vote on an item of a committee meeting.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_positions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub item_id: i64,
    pub party_id: Option<i64>,
    pub user_id: Option<i64>,
    pub position: Position,
}

/// Where a party or a member stands on an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum Position {
    #[sea_orm(string_value = "agree")]
    Agree,
    #[sea_orm(string_value = "disagree")]
    Disagree,
    /// A party reserves its position; a member abstains.
    #[sea_orm(string_value = "reserve")]
    Reserve,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
