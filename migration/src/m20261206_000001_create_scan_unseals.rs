//! Requests to open the sealed scan of a secret vote's signed paper slip: one party asks, with a
//! reason, and a person of another party approves; only then may those two open it, for a while.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ScanUnseals {
    Table,
    Id,
    FileId,
    CompoundId,
    Reason,
    RequestedBy,
    RequestedParty,
    RequestedAt,
    ApprovedBy,
    ApprovedParty,
    ApprovedAt,
    ExpiresAt,
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
                .table(ScanUnseals::Table)
                .col(big_pk_auto(ScanUnseals::Id))
                .col(big_integer(ScanUnseals::FileId))
                .col(big_integer(ScanUnseals::CompoundId))
                .col(text(ScanUnseals::Reason))
                .col(big_integer(ScanUnseals::RequestedBy))
                .col(string(ScanUnseals::RequestedParty))
                .col(timestamp_with_time_zone(ScanUnseals::RequestedAt))
                .col(big_integer_null(ScanUnseals::ApprovedBy))
                .col(string_null(ScanUnseals::ApprovedParty))
                .col(timestamp_with_time_zone_null(ScanUnseals::ApprovedAt))
                .col(timestamp_with_time_zone_null(ScanUnseals::ExpiresAt))
                .foreign_key(&mut fk(
                    "fk_unseals_file",
                    (ScanUnseals::Table, ScanUnseals::FileId),
                    (Files::Table, Files::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_unseals_requester",
                    (ScanUnseals::Table, ScanUnseals::RequestedBy),
                    (Users::Table, Users::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_unseals_approver",
                    (ScanUnseals::Table, ScanUnseals::ApprovedBy),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_unseals_file").table(ScanUnseals::Table).col(ScanUnseals::FileId).to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ScanUnseals::Table).to_owned()).await
    }
}
