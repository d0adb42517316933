//! `votes` table.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "votes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub title: String,
    pub body: String,
    pub matter: String,
    pub form: String,
    pub seats: Option<i32>,
    pub secret: bool,
    pub allow_change: bool,
    /// JSON list of building ids; `None` for the whole compound.
    pub building_ids: Option<String>,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub status: VoteStatus,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub frozen_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancel_reason: Option<String>,
    /// The result as JSON, written once at close.
    pub result: Option<String>,
    pub publicity_until: Option<DateTimeUtc>,
    pub checkpoint_seq: Option<i64>,
    pub checkpoint_hash: Option<String>,
    /// The convention whose text this vote adopts or repeals.
    pub convention_id: Option<i64>,
    /// SHA-256 of the text voted on, for a vote on a convention: its version's digest.
    pub text_digest: Option<String>,
}

/// Where a vote stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum VoteStatus {
    /// Being drafted; only the three parties see it.
    #[sea_orm(string_value = "draft")]
    Draft,
    /// Notice given; opens at `opens_at`.
    #[sea_orm(string_value = "published")]
    Published,
    /// Voting; the eligible roster is frozen.
    #[sea_orm(string_value = "open")]
    Open,
    /// Counted; the result is on public display.
    #[sea_orm(string_value = "closed")]
    Closed,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

impl VoteStatus {
    /// The word stored for this status, for queries that compare the column with text.
    pub fn as_str(self) -> &'static str {
        match self {
            VoteStatus::Draft => "draft",
            VoteStatus::Published => "published",
            VoteStatus::Open => "open",
            VoteStatus::Closed => "closed",
            VoteStatus::Cancelled => "cancelled",
        }
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
