//! `minutes_versions` table: every saved text of a meeting's minutes, with its SHA-256.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "minutes_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub minutes_id: i64,
    pub version: i32,
    pub text: String,
    /// SHA-256 of the text, in hex: what a signature approves.
    pub digest: String,
    pub author_id: i64,
    /// Why it was saved: `drafted`, `edited`, `correction:<id>`.
    pub reason: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
