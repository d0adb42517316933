//! No one person may gain the right to act for a holder: a staff link, an invitation code and a
//! proxy each wait for a second person of another party to confirm them; a link or proxy confirmed
//! while a vote is open counts for ballots only from `counts_from`. Password recovery codes are
//! issued by one clerk of the community office and confirmed by a second.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LinkRequests {
    Table,
    Id,
    CompoundId,
    HolderId,
    UserId,
    RequestedBy,
    RequestedParty,
    RequestedAt,
    ConfirmedBy,
    ConfirmedAt,
    CancelledBy,
    CancelledAt,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    CommunityId,
    UserId,
    CodeHash,
    IssuedBy,
    IssuedAt,
    ExpiresAt,
    ConfirmedBy,
    ConfirmedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    IssuerParty,
    ConfirmedBy,
    ConfirmedAt,
}

#[derive(DeriveIden)]
enum Proxies {
    Table,
    RegistrarParty,
    ConfirmedBy,
    ConfirmedAt,
    CountsFrom,
    CreatedAt,
    ValidFrom,
}

#[derive(DeriveIden)]
enum OwnerLinks {
    Table,
    ConfirmedBy,
    CountsFrom,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Holders {
    Table,
    Id,
}

/// SQLite alters one column per statement.
async fn add(m: &SchemaManager<'_>, table: impl IntoIden, col: ColumnDef) -> Result<(), DbErr> {
    m.alter_table(Table::alter().table(table).add_column(col).to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(LinkRequests::Table)
                .col(big_pk_auto(LinkRequests::Id))
                .col(big_integer(LinkRequests::CompoundId))
                .col(big_integer(LinkRequests::HolderId))
                .col(big_integer(LinkRequests::UserId))
                .col(big_integer(LinkRequests::RequestedBy))
                .col(string_len(LinkRequests::RequestedParty, 32))
                .col(timestamp_with_time_zone(LinkRequests::RequestedAt))
                .col(big_integer_null(LinkRequests::ConfirmedBy))
                .col(timestamp_with_time_zone_null(LinkRequests::ConfirmedAt))
                .col(big_integer_null(LinkRequests::CancelledBy))
                .col(timestamp_with_time_zone_null(LinkRequests::CancelledAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(LinkRequests::Table, LinkRequests::HolderId)
                        .to(Holders::Table, Holders::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LinkRequests::Table, LinkRequests::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_link_requests_compound")
                .table(LinkRequests::Table)
                .col(LinkRequests::CompoundId)
                .col(LinkRequests::ConfirmedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RecoveryCodes::Table)
                .col(big_pk_auto(RecoveryCodes::Id))
                .col(big_integer(RecoveryCodes::CommunityId))
                .col(big_integer(RecoveryCodes::UserId))
                .col(string_len(RecoveryCodes::CodeHash, 64))
                .col(big_integer(RecoveryCodes::IssuedBy))
                .col(timestamp_with_time_zone(RecoveryCodes::IssuedAt))
                .col(timestamp_with_time_zone(RecoveryCodes::ExpiresAt))
                .col(big_integer_null(RecoveryCodes::ConfirmedBy))
                .col(timestamp_with_time_zone_null(RecoveryCodes::ConfirmedAt))
                .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RecoveryCodes::Table, RecoveryCodes::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_recovery_codes_hash")
                .table(RecoveryCodes::Table)
                .col(RecoveryCodes::CodeHash)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_recovery_codes_community")
                .table(RecoveryCodes::Table)
                .col(RecoveryCodes::CommunityId)
                .col(RecoveryCodes::ConfirmedAt)
                .to_owned(),
        )
        .await?;
        add(m, Invitations::Table, string_len_null(Invitations::IssuerParty, 32)).await?;
        add(m, Invitations::Table, big_integer_null(Invitations::ConfirmedBy)).await?;
        add(m, Invitations::Table, timestamp_with_time_zone_null(Invitations::ConfirmedAt)).await?;
        add(m, Proxies::Table, string_len_null(Proxies::RegistrarParty, 32)).await?;
        add(m, Proxies::Table, big_integer_null(Proxies::ConfirmedBy)).await?;
        add(m, Proxies::Table, timestamp_with_time_zone_null(Proxies::ConfirmedAt)).await?;
        add(m, Proxies::Table, timestamp_with_time_zone_null(Proxies::CountsFrom)).await?;
        add(m, OwnerLinks::Table, big_integer_null(OwnerLinks::ConfirmedBy)).await?;
        add(m, OwnerLinks::Table, timestamp_with_time_zone_null(OwnerLinks::CountsFrom)).await?;
        // Proxies registered before this rule keep counting as they did.
        m.exec_stmt(
            Query::update()
                .table(Proxies::Table)
                .value(Proxies::ConfirmedAt, Expr::col(Proxies::CreatedAt))
                .value(Proxies::CountsFrom, Expr::col(Proxies::ValidFrom))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (t, c) in [
            (OwnerLinks::Table.into_iden(), OwnerLinks::CountsFrom.into_iden()),
            (OwnerLinks::Table.into_iden(), OwnerLinks::ConfirmedBy.into_iden()),
            (Proxies::Table.into_iden(), Proxies::CountsFrom.into_iden()),
            (Proxies::Table.into_iden(), Proxies::ConfirmedAt.into_iden()),
            (Proxies::Table.into_iden(), Proxies::ConfirmedBy.into_iden()),
            (Proxies::Table.into_iden(), Proxies::RegistrarParty.into_iden()),
            (Invitations::Table.into_iden(), Invitations::ConfirmedAt.into_iden()),
            (Invitations::Table.into_iden(), Invitations::ConfirmedBy.into_iden()),
            (Invitations::Table.into_iden(), Invitations::IssuerParty.into_iden()),
        ] {
            m.alter_table(Table::alter().table(t).drop_column(c).to_owned()).await?;
        }
        m.drop_table(Table::drop().table(RecoveryCodes::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(LinkRequests::Table).to_owned()).await
    }
}
