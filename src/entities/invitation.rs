//! `invitations` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub holder_id: i64,
    pub code_hash: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub redeemed_by: Option<i64>,
    pub redeemed_at: Option<DateTimeUtc>,
    /// The party the issuer acted for.
    pub issuer_party: Option<String>,
    /// The second person, of another party, who confirmed the code; until then it cannot be used.
    pub confirmed_by: Option<i64>,
    pub confirmed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
