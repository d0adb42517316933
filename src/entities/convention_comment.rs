//! `convention_comments` table: a comment on an article, or an amendment proposing its new
//! wording, written on one version, and the drafters' answer.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "convention_comments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub convention_id: i64,
    /// The stable id of the article (`a7`), kept whatever is renumbered.
    pub article_id: String,
    /// The version it was written (or last rebased) on.
    pub version: i32,
    pub author_id: i64,
    pub kind: CommentKind,
    /// The comment, or the amendment's reason.
    pub text: String,
    /// An amendment's proposed wording of the whole article.
    pub wording: Option<String>,
    pub status: CommentStatus,
    /// The drafters' reason.
    pub answer: Option<String>,
    pub answered_by: Option<i64>,
    pub answered_at: Option<DateTimeUtc>,
    /// The version an adopted amendment produced.
    pub applied_version: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// A remark on an article, or new wording for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum CommentKind {
    #[sea_orm(string_value = "comment")]
    Comment,
    #[sea_orm(string_value = "amendment")]
    Amendment,
}

/// The drafters' answer, which every comment and amendment gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum CommentStatus {
    /// Not answered yet.
    #[sea_orm(string_value = "open")]
    Open,
    /// 采纳
    #[sea_orm(string_value = "adopted")]
    Adopted,
    /// 部分采纳
    #[sea_orm(string_value = "partly")]
    Partly,
    /// 不予采纳
    #[sea_orm(string_value = "not_adopted")]
    NotAdopted,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
