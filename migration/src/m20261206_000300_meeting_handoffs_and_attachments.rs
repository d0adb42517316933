//! Where a meeting's item went on to be decided (a binding vote or a questionnaire drafted from
//! it), and the papers attached to a meeting for those invited to read before it.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MeetingItems {
    Table,
    HandedToKind,
    HandedToId,
}

#[derive(DeriveIden)]
enum MeetingAttachments {
    Table,
    Id,
    MeetingId,
    FileId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let items = || Table::alter().table(MeetingItems::Table).to_owned();
        m.alter_table(items().add_column(string_null(MeetingItems::HandedToKind)).to_owned()).await?;
        m.alter_table(items().add_column(big_integer_null(MeetingItems::HandedToId)).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(MeetingAttachments::Table)
                .col(big_pk_auto(MeetingAttachments::Id))
                .col(big_integer(MeetingAttachments::MeetingId))
                .col(big_integer(MeetingAttachments::FileId))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_meeting_attachments_meeting")
                        .from(MeetingAttachments::Table, MeetingAttachments::MeetingId)
                        .to(Meetings::Table, Meetings::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_meeting_attachments_file")
                        .from(MeetingAttachments::Table, MeetingAttachments::FileId)
                        .to(Files::Table, Files::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_meeting_attachments_meeting_file")
                .table(MeetingAttachments::Table)
                .col(MeetingAttachments::MeetingId)
                .col(MeetingAttachments::FileId)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(MeetingAttachments::Table).to_owned()).await?;
        let items = || Table::alter().table(MeetingItems::Table).to_owned();
        m.alter_table(items().drop_column(MeetingItems::HandedToId).to_owned()).await?;
        m.alter_table(items().drop_column(MeetingItems::HandedToKind).to_owned()).await
    }
}
