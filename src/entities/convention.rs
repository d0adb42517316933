//! `conventions` table: a convention as it stands — its kind, its drafters, its current text and
//! its consultation.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conventions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub community_id: i64,
    /// The compound it is for; none for a community-wide residents' convention.
    pub compound_id: Option<i64>,
    pub kind: ConventionKind,
    pub title: String,
    pub status: ConventionStatus,
    /// The party that drafts it and answers the consultation.
    pub party_id: i64,
    /// The version the text is at; every version is kept in `convention_versions`.
    pub version: i32,
    /// The current text, as JSON (`conventions::text::Body`).
    pub body: String,
    /// The highest chapter or article id number ever issued: ids are never reused.
    pub issued: i32,
    pub consult_from: Option<DateTimeUtc>,
    pub consult_until: Option<DateTimeUtc>,
    /// A questionnaire asked beside the consultation.
    pub questionnaire_id: Option<i64>,
    /// The notice that announced the consultation.
    pub notice_id: Option<i64>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The version in force (or last in force, once repealed); none before it was first adopted.
    pub in_force_version: Option<i32>,
    pub in_force_from: Option<DateTimeUtc>,
    pub repealed_at: Option<DateTimeUtc>,
    /// When the drafters should review it; they are reminded on that day.
    pub review_on: Option<Date>,
    pub review_reminded_at: Option<DateTimeUtc>,
    /// The kind of party that receives breach reports in each compound; none for the property company.
    pub enforcer_kind: Option<String>,
}

/// What kind of convention, which decides who drafts it and how it will bind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum ConventionKind {
    /// The compound's management covenant (管理规约, Civil Code Art. 278 ¶1 item 2).
    #[sea_orm(string_value = "covenant")]
    Covenant,
    /// The owners' assembly's rules of procedure (业主大会议事规则, item 1).
    #[sea_orm(string_value = "rules")]
    Rules,
    /// A residents' convention (居民公约) for one compound or the whole community.
    #[sea_orm(string_value = "residents")]
    Residents,
}

/// Where the convention is in its drafting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum ConventionStatus {
    /// Seen by its drafters (and the community office) only.
    #[sea_orm(string_value = "drafting")]
    Drafting,
    /// Consultation opened: public to its audience; comments taken during the period.
    #[sea_orm(string_value = "consulting")]
    Consulting,
    /// Its final version is before the owners (a vote in each compound) and not yet decided.
    #[sea_orm(string_value = "adopting")]
    Adopting,
    /// A version is in force; an amendment, when one is drafted, goes back through the cycle.
    #[sea_orm(string_value = "in_force")]
    InForce,
    /// Repealed: its last text stays readable with its dates.
    #[sea_orm(string_value = "repealed")]
    Repealed,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
