//! `meeting_invitations` table: who is asked, their answer, and their sign-in.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    pub user_id: i64,
    /// The party the invitee speaks for, if any.
    pub party_id: Option<i64>,
    pub capacity: Capacity,
    pub answer: Answer,
    pub deputy_user_id: Option<i64>,
    pub deputy_name: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
    pub signed_in_at: Option<DateTimeUtc>,
    pub sign_in_method: Option<SignInMethod>,
    pub signed_in_by: Option<i64>,
}

/// In what capacity someone is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    /// Speaks for one of the three parties.
    #[sea_orm(string_value = "party")]
    Party,
    /// A member of the owners' committee at its own meeting.
    #[sea_orm(string_value = "member")]
    Member,
    /// An owner of the compound.
    #[sea_orm(string_value = "owner")]
    Owner,
    /// A resident, or a household's representative.
    #[sea_orm(string_value = "resident")]
    Resident,
    /// One of the two sides of a mediation.
    #[sea_orm(string_value = "side")]
    Side,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "attending")]
    Attending,
    #[sea_orm(string_value = "absent")]
    Absent,
    /// Sends someone in their place (a party's deputy; never a ballot proxy).
    #[sea_orm(string_value = "deputy")]
    Deputy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum SignInMethod {
    /// Scanned the code shown in the room.
    #[sea_orm(string_value = "qr")]
    Qr,
    /// Ticked by staff.
    #[sea_orm(string_value = "staff")]
    Staff,
    /// From the photo of the paper sign-in sheet.
    #[sea_orm(string_value = "sheet")]
    Sheet,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
