//! Uploaded files (vote attachments, scans of signed paper ballots and proxies), and objections
//! raised against a published result.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Compounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Votes {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Ballots {
    Table,
    ScanFileId,
}

#[derive(DeriveIden)]
enum Proxies {
    Table,
    ScanFileId,
}

#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
    CompoundId,
    Name,
    ContentType,
    Size,
    Sha256,
    Data,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum VoteAttachments {
    Table,
    Id,
    VoteId,
    FileId,
}

#[derive(DeriveIden)]
enum VoteObjections {
    Table,
    Id,
    VoteId,
    UserId,
    Text,
    CreatedAt,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Files::Table)
                .col(big_pk_auto(Files::Id))
                .col(big_integer(Files::CompoundId))
                .col(string(Files::Name))
                .col(string(Files::ContentType))
                .col(big_integer(Files::Size))
                .col(string(Files::Sha256))
                .col(blob(Files::Data))
                .col(big_integer(Files::UploadedBy))
                .col(timestamp_with_time_zone(Files::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_files_compound",
                    (Files::Table, Files::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_files_compound").table(Files::Table).col(Files::CompoundId).to_owned())
            .await?;

        m.create_table(
            Table::create()
                .table(VoteAttachments::Table)
                .col(big_pk_auto(VoteAttachments::Id))
                .col(big_integer(VoteAttachments::VoteId))
                .col(big_integer(VoteAttachments::FileId))
                .foreign_key(&mut fk(
                    "fk_attachments_vote",
                    (VoteAttachments::Table, VoteAttachments::VoteId),
                    (Votes::Table, Votes::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_attachments_file",
                    (VoteAttachments::Table, VoteAttachments::FileId),
                    (Files::Table, Files::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_attachments_vote_file")
                .table(VoteAttachments::Table)
                .col(VoteAttachments::VoteId)
                .col(VoteAttachments::FileId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_attachments_file")
                .table(VoteAttachments::Table)
                .col(VoteAttachments::FileId)
                .to_owned(),
        )
        .await?;

        m.alter_table(
            Table::alter().table(Ballots::Table).add_column(big_integer_null(Ballots::ScanFileId)).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(Proxies::Table).add_column(big_integer_null(Proxies::ScanFileId)).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(VoteObjections::Table)
                .col(big_pk_auto(VoteObjections::Id))
                .col(big_integer(VoteObjections::VoteId))
                .col(big_integer(VoteObjections::UserId))
                .col(text(VoteObjections::Text))
                .col(timestamp_with_time_zone(VoteObjections::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_objections_vote",
                    (VoteObjections::Table, VoteObjections::VoteId),
                    (Votes::Table, Votes::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_objections_vote")
                .table(VoteObjections::Table)
                .col(VoteObjections::VoteId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(VoteObjections::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Proxies::Table).drop_column(Proxies::ScanFileId).to_owned()).await?;
        m.alter_table(Table::alter().table(Ballots::Table).drop_column(Ballots::ScanFileId).to_owned()).await?;
        m.drop_table(Table::drop().table(VoteAttachments::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Files::Table).to_owned()).await?;
        Ok(())
    }
}
