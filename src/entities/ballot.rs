//! `ballots` table.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ballots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub vote_id: i64,
    pub holder_id: i64,
    pub channel: String,
    pub choice: Option<String>,
    /// JSON list of candidate positions, for elections.
    pub picks: Option<String>,
    pub status: BallotStatus,
    pub cast_by: Option<i64>,
    pub entered_by: Option<i64>,
    pub confirmed_by: Option<i64>,
    pub proxy_id: Option<i64>,
    pub paper_serial: Option<String>,
    pub idempotency_key: Option<String>,
    pub cast_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    pub receipt: String,
    pub audit_seq: i64,
    /// A scan of the signed paper (ballot slip or written authorisation).
    pub scan_file_id: Option<i64>,
    /// Random, per ballot; part of the digest, never shown.
    pub salt: String,
}

/// Whether a ballot counts yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize, ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum BallotStatus {
    /// A paper ballot awaiting a second clerk's confirmation.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// In the count.
    #[sea_orm(string_value = "counted")]
    Counted,
}

impl BallotStatus {
    /// The word stored for this status, as the API and the ballot's digest spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            BallotStatus::Pending => "pending",
            BallotStatus::Counted => "counted",
        }
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
