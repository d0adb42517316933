//! `convention_adoptions` table: how a version of a convention was put for adoption (or repeal)
//! and what became of it — a binding vote of one compound's owners, a residents' meeting filed
//! with the street office, or a recorded decision that makes it a pledge.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "convention_adoptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub convention_id: i64,
    /// The final version, and its SHA-256: the exact text decided on.
    pub version: i32,
    pub digest: String,
    pub action: AdoptionAction,
    pub route: AdoptionRoute,
    /// Where it binds: the vote's compound; none for the convention's whole scope.
    pub compound_id: Option<i64>,
    pub vote_id: Option<i64>,
    /// For a decision: who decided (`owners_committee`, `three_party`, `residents_council`).
    pub decided_by: Option<String>,
    /// For a decision or a residents' meeting: the record that adopted it.
    pub record: Option<String>,
    pub decided_on: Option<Date>,
    /// For a residents' meeting: when it was filed with the street office, and the filing's reference.
    pub filed_on: Option<Date>,
    pub filing_ref: Option<String>,
    /// The meeting held on the platform whose minutes record the decision, where there is one.
    pub meeting_id: Option<i64>,
    pub status: AdoptionStatus,
    /// When the version comes into force (or the repeal takes effect) once adopted.
    pub in_force_from: DateTimeUtc,
    /// The vote's result, as JSON, once settled.
    pub result: Option<String>,
    pub settled_at: Option<DateTimeUtc>,
    /// When a later adopted version (or a repeal) took its place.
    pub superseded_at: Option<DateTimeUtc>,
    /// The notice that published it in force (or repealed), whose receipts count the readers.
    pub notice_id: Option<i64>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
}

/// Adopt a version, or repeal the convention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum AdoptionAction {
    #[sea_orm(string_value = "adopt")]
    Adopt,
    #[sea_orm(string_value = "repeal")]
    Repeal,
}

/// The route the law gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum AdoptionRoute {
    /// A binding vote of one compound's owners (Civil Code Art. 278).
    #[sea_orm(string_value = "vote")]
    Vote,
    /// A residents' meeting (居民会议), filed with the street office (城市居民委员会组织法 Art. 15).
    #[sea_orm(string_value = "residents_meeting")]
    ResidentsMeeting,
    /// A recorded decision of the owners' committee, a three-party consultation or a residents'
    /// council: a residents' pledge (倡议), not an assembly decision.
    #[sea_orm(string_value = "pledge")]
    Pledge,
}

/// What became of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum AdoptionStatus {
    /// The vote is drafted, announced or open.
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "adopted")]
    Adopted,
    /// The vote did not pass (or missed its quorum).
    #[sea_orm(string_value = "failed")]
    Failed,
    /// The vote was cancelled.
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
