//! `minutes` table: the minutes of one held meeting, as they stand.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "minutes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub meeting_id: i64,
    pub status: MinutesStatus,
    /// The version the text is at; every version is kept in `minutes_versions`.
    pub version: i32,
    pub text: String,
    pub drafted_by: i64,
    /// Until when those who attended may propose corrections.
    pub corrections_until: Option<DateTimeUtc>,
    /// Whoever has not answered by then is printed as "did not sign".
    pub sign_by: Option<DateTimeUtc>,
    /// The version the seats are asked to sign.
    pub signing_version: Option<i32>,
    pub published_at: Option<DateTimeUtc>,
    /// The end of the publicity period on the notice board.
    pub publicity_until: Option<DateTimeUtc>,
    /// The notice it was published with, whose read receipts are the read count.
    pub notice_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Where the minutes stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum MinutesStatus {
    /// The recorder is writing them.
    #[sea_orm(string_value = "drafting")]
    Drafting,
    /// Those who attended may propose corrections until `corrections_until`.
    #[sea_orm(string_value = "correcting")]
    Correcting,
    /// The seats are asked to sign `signing_version`.
    #[sea_orm(string_value = "signing")]
    Signing,
    /// Published: only an addendum may follow.
    #[sea_orm(string_value = "published")]
    Published,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
