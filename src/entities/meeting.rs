//! `meetings` table.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub community_id: i64,
    pub compound_id: Option<i64>,
    pub kind: MeetingKind,
    pub title: String,
    pub description: String,
    pub status: MeetingStatus,
    pub starts_at: DateTimeUtc,
    pub duration_minutes: i32,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub chair_id: i64,
    pub recorder_id: i64,
    pub convened_by: i64,
    pub convening_party: String,
    pub cancel_reason: Option<String>,
    pub previous_meeting_id: Option<i64>,
    pub current_item_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub opened_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    /// The photo of the paper sign-in sheet, where one was used.
    pub sign_in_sheet_file_id: Option<i64>,
}

/// A kind of meeting; its rules are in `meetings::kinds`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// 三方协同协商会议: the community office, the property company and the owners' committee.
    #[sea_orm(string_value = "consultation")]
    Consultation,
    /// 业委会会议: the owners' committee deciding as a body.
    #[sea_orm(string_value = "committee")]
    Committee,
    /// 业主大会现场会议: an on-site sitting of the owners' assembly.
    #[sea_orm(string_value = "assembly_sitting")]
    AssemblySitting,
    /// 居民议事会: chosen residents and the parties.
    #[sea_orm(string_value = "residents_council")]
    ResidentsCouncil,
    /// 居民会议: the residents, or their households' representatives.
    #[sea_orm(string_value = "residents_meeting")]
    ResidentsMeeting,
    /// 调解: the secretary between two named sides.
    #[sea_orm(string_value = "mediation")]
    Mediation,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum MeetingStatus {
    /// Announced; invitations out (a postponed meeting stays scheduled at its new time).
    #[sea_orm(string_value = "scheduled")]
    Scheduled,
    /// The chair has opened it.
    #[sea_orm(string_value = "in_progress")]
    InProgress,
    #[sea_orm(string_value = "held")]
    Held,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
