//! `proxies` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "proxies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub compound_id: i64,
    pub holder_id: i64,
    pub proxy_user_id: i64,
    pub valid_from: DateTimeUtc,
    pub valid_until: DateTimeUtc,
    pub note: Option<String>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<i64>,
    /// A scan of the signed paper (ballot slip or written authorisation).
    pub scan_file_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
