//! The meeting whose minutes record a convention's adoption: the residents' meeting (居民会议),
//! or the owners' committee, three-party consultation or residents' council that decided a pledge.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ConventionAdoptions {
    Table,
    MeetingId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let col = big_integer_null(ConventionAdoptions::MeetingId);
        m.alter_table(Table::alter().table(ConventionAdoptions::Table).add_column(col).to_owned()).await?;
        m.create_index(
            Index::create()
                .name("ix_convention_adoptions_meeting")
                .table(ConventionAdoptions::Table)
                .col(ConventionAdoptions::MeetingId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop().name("ix_convention_adoptions_meeting").table(ConventionAdoptions::Table).to_owned(),
        )
        .await?;
        let t = Table::alter().table(ConventionAdoptions::Table).drop_column(ConventionAdoptions::MeetingId).to_owned();
        m.alter_table(t).await
    }
}
