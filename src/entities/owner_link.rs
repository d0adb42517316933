//! `owner_links` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "owner_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub holder_id: i64,
    pub method: String,
    pub verified_by: Option<i64>,
    pub created_at: DateTimeUtc,
    /// The second person who confirmed the link (a staff link or an invitation code).
    pub confirmed_by: Option<i64>,
    /// From when the link may cast ballots: unset means at once.
    pub counts_from: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
