//! `concerns` table.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "concerns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub community_id: i64,
    pub compound_id: i64,
    pub building_id: Option<i64>,
    pub location: Option<String>,
    pub category_id: i64,
    pub text: String,
    pub raised_by: i64,
    pub status: ConcernStatus,
    pub assigned_party_id: Option<i64>,
    pub assigned_kind: Option<String>,
    pub due_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub routed_at: Option<DateTimeUtc>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub rating: Option<i32>,
    pub rated_at: Option<DateTimeUtc>,
    pub agenda_id: Option<i64>,
    /// A breach report: the convention in force and the article (its stable id) it says was broken.
    pub convention_id: Option<i64>,
    pub article_id: Option<String>,
}

/// Where a concern stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum ConcernStatus {
    /// Raised, waiting for the community office to route it.
    #[sea_orm(string_value = "submitted")]
    Submitted,
    /// Routed to a party, not yet acknowledged.
    #[sea_orm(string_value = "routed")]
    Routed,
    /// The party has taken it on.
    #[sea_orm(string_value = "acknowledged")]
    Acknowledged,
    /// The party says it is settled; the raiser confirms or reopens.
    #[sea_orm(string_value = "resolved")]
    Resolved,
    /// The raiser agrees it is settled.
    #[sea_orm(string_value = "confirmed")]
    Confirmed,
    /// The raiser says it is not settled after all.
    #[sea_orm(string_value = "reopened")]
    Reopened,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
