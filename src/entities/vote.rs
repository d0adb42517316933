//! `votes` table.
use sea_orm::entity::prelude::*;

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
    pub status: String,
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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
