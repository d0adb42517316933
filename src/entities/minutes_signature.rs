//! `minutes_signatures` table: one seat's answer on one version of the minutes.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "minutes_signatures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub minutes_id: i64,
    pub version: i32,
    pub seat: Seat,
    /// For a party's seat: the party, whose attendees may each sign for it.
    pub party_id: Option<i64>,
    /// For the chair's, a member's or a side's seat: the one person who signs.
    pub user_id: Option<i64>,
    /// Who answered.
    pub signer_id: Option<i64>,
    pub answer: SignAnswer,
    /// The dissenting opinion printed with the minutes, or the comment returning them.
    pub opinion: Option<String>,
    /// SHA-256 of the text approved.
    pub digest: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
}

/// Whose signature the minutes need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum Seat {
    /// Whoever chaired the meeting.
    #[sea_orm(string_value = "chair")]
    Chair,
    /// One representative of a party present.
    #[sea_orm(string_value = "party")]
    Party,
    /// A committee member who attended its meeting.
    #[sea_orm(string_value = "member")]
    Member,
    /// One side of a mediation.
    #[sea_orm(string_value = "side")]
    Side,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum SignAnswer {
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "approved")]
    Approved,
    /// Approved, with a dissenting opinion printed with the minutes.
    #[sea_orm(string_value = "dissent")]
    Dissent,
    /// Returned to the recorder with a comment.
    #[sea_orm(string_value = "returned")]
    Returned,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
