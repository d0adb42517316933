//! Sign-in and code-guessing limits kept in the database, so that every server process on one
//! database counts the same attempts; and the devices an account has signed in from.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Throttles {
    Table,
    Key,
    Failures,
    BackoffSecs,
    BlockedUntil,
    LastAt,
}

#[derive(DeriveIden)]
enum KnownDevices {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Times are whole seconds since 1970, so that SQL adds a back-off to them alike on both
        // databases.
        m.create_table(
            Table::create()
                .table(Throttles::Table)
                .col(string_len(Throttles::Key, 200).primary_key())
                .col(big_integer(Throttles::Failures))
                .col(big_integer(Throttles::BackoffSecs))
                .col(big_integer(Throttles::BlockedUntil))
                .col(big_integer(Throttles::LastAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_throttles_last_at").table(Throttles::Table).col(Throttles::LastAt).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(KnownDevices::Table)
                .col(big_pk_auto(KnownDevices::Id))
                .col(big_integer(KnownDevices::UserId))
                .col(string_len(KnownDevices::TokenHash, 64))
                .col(timestamp_with_time_zone(KnownDevices::CreatedAt))
                .col(timestamp_with_time_zone(KnownDevices::LastUsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(KnownDevices::Table, KnownDevices::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_known_devices_user_token")
                .table(KnownDevices::Table)
                .col(KnownDevices::UserId)
                .col(KnownDevices::TokenHash)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(KnownDevices::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(Throttles::Table).to_owned()).await
    }
}
