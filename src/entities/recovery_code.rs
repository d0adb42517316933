//! `recovery_codes` table: a one-time password recovery code, issued by one clerk of the
//! community office and usable once a second has confirmed it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recovery_codes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The community whose office issued it.
    pub community_id: i64,
    pub user_id: i64,
    pub code_hash: String,
    pub issued_by: i64,
    pub issued_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub confirmed_by: Option<i64>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub used_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
