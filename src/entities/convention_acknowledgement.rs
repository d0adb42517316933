//! `convention_acknowledgements` table: a household's 知晓承诺 — it has read the convention in
//! force and undertakes to keep it — made on the phone or on paper entered by staff.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "convention_acknowledgements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub convention_id: i64,
    /// The version in force that was acknowledged.
    pub version: i32,
    pub compound_id: i64,
    /// The household: one acknowledgement per holder.
    pub holder_id: i64,
    /// Who confirmed it on the phone; none for paper.
    pub user_id: Option<i64>,
    /// `online` or `paper`.
    pub channel: String,
    /// The staff member who entered a paper acknowledgement.
    pub entered_by: Option<i64>,
    /// The scan of the signed paper.
    pub scan_file_id: Option<i64>,
    /// The day the paper was signed.
    pub signed_on: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
