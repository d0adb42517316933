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
    /// The party the registrar acted for.
    pub registrar_party: Option<String>,
    /// The second person, of another party, who confirmed the proxy.
    pub confirmed_by: Option<i64>,
    pub confirmed_at: Option<DateTimeUtc>,
    /// From when the proxy may cast: unset until confirmed; `valid_from`, or 24 hours after
    /// confirmation when a vote was open and the holder had accounts to tell.
    pub counts_from: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
