//! `scan_unseals` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "scan_unseals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub file_id: i64,
    pub compound_id: i64,
    pub reason: String,
    pub requested_by: i64,
    /// The party the requester asked for (`community_office` or `owners_committee`).
    pub requested_party: String,
    pub requested_at: DateTimeUtc,
    pub approved_by: Option<i64>,
    pub approved_party: Option<String>,
    pub approved_at: Option<DateTimeUtc>,
    /// Until when the requester and the approver may open the scan.
    pub expires_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
