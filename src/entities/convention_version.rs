//! `convention_versions` table: every saved version of a convention's text, with its SHA-256.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "convention_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub convention_id: i64,
    pub version: i32,
    pub title: String,
    /// The text, as JSON (`conventions::text::Body`).
    pub body: String,
    /// The SHA-256 of the rendered text.
    pub digest: String,
    pub author_id: i64,
    /// Why it was saved: drafted, edited, an amendment adopted, …
    pub reason: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
