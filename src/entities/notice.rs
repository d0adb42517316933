//! `notices` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub community_id: i64,
    pub compound_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    /// The party that published it, for notices a party writes.
    pub party_id: Option<i64>,
    /// JSON list of the buildings whose owners it went to; `None` for everyone in scope.
    pub building_ids: Option<String>,
    /// For a notice the server writes: the JSON parameters its kind's message is rendered
    /// from in each reader's language. `None` for a party's own words and older notices, whose
    /// stored title and body are shown as they are.
    pub params: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
