//! `link_requests` table: a staff link waiting for a second person of another party.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "link_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub holder_id: i64,
    /// The account to be linked.
    pub user_id: i64,
    pub requested_by: i64,
    /// The party the requester acted for (`community_office`, `owners_committee`).
    pub requested_party: String,
    pub requested_at: DateTimeUtc,
    pub confirmed_by: Option<i64>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub cancelled_by: Option<i64>,
    pub cancelled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
