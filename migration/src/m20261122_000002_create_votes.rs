//! Binding votes: the vote, its candidates, the roster frozen when it opens, ballots (online,
//! paper with two-person entry, proxy), written proxies, deliveries, and the notice inbox.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Compounds {
    Table,
    Id,
    NoticeDays,
    PublicityDays,
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

#[derive(DeriveIden)]
enum Votes {
    Table,
    Id,
    CompoundId,
    Title,
    Body,
    Matter,
    Form,
    Seats,
    Secret,
    AllowChange,
    BuildingIds,
    OpensAt,
    ClosesAt,
    Status,
    CreatedBy,
    CreatedAt,
    PublishedAt,
    FrozenAt,
    ClosedAt,
    CancelledAt,
    CancelReason,
    Result,
    PublicityUntil,
    CheckpointSeq,
    CheckpointHash,
}

#[derive(DeriveIden)]
enum VoteCandidates {
    Table,
    Id,
    VoteId,
    Position,
    Name,
}

#[derive(DeriveIden)]
enum VoteElectorate {
    Table,
    Id,
    VoteId,
    HolderId,
    HolderKey,
    UnitId,
    UnitLabel,
    AreaCenti,
}

#[derive(DeriveIden)]
enum Ballots {
    Table,
    Id,
    VoteId,
    HolderId,
    Channel,
    Choice,
    Picks,
    Status,
    CastBy,
    EnteredBy,
    ConfirmedBy,
    ProxyId,
    PaperSerial,
    IdempotencyKey,
    CastAt,
    ConfirmedAt,
    Receipt,
    AuditSeq,
}

#[derive(DeriveIden)]
enum Proxies {
    Table,
    Id,
    CompoundId,
    HolderId,
    ProxyUserId,
    ValidFrom,
    ValidUntil,
    Note,
    CreatedBy,
    CreatedAt,
    RevokedAt,
    RevokedBy,
}

#[derive(DeriveIden)]
enum VoteDeliveries {
    Table,
    Id,
    VoteId,
    UserId,
    OpenedAt,
}

#[derive(DeriveIden)]
enum Notices {
    Table,
    Id,
    CommunityId,
    CompoundId,
    Kind,
    Title,
    Body,
    Link,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum NoticeRecipients {
    Table,
    Id,
    NoticeId,
    UserId,
    ReadAt,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).to_owned()
}

async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    m.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The notice period before a vote opens, and the publicity period of its result, per compound
        // (物业管理条例 Art. 12: 15 days' notice).
        m.alter_table(
            Table::alter().table(Compounds::Table).add_column(integer(Compounds::NoticeDays).default(15)).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(Compounds::Table).add_column(integer(Compounds::PublicityDays).default(7)).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Votes::Table)
                .col(big_pk_auto(Votes::Id))
                .col(big_integer(Votes::CompoundId))
                .col(string(Votes::Title))
                .col(text(Votes::Body))
                .col(string(Votes::Matter))
                .col(string(Votes::Form))
                .col(integer_null(Votes::Seats))
                .col(boolean(Votes::Secret))
                .col(boolean(Votes::AllowChange))
                .col(text_null(Votes::BuildingIds))
                .col(timestamp_with_time_zone(Votes::OpensAt))
                .col(timestamp_with_time_zone(Votes::ClosesAt))
                .col(string(Votes::Status))
                .col(big_integer(Votes::CreatedBy))
                .col(timestamp_with_time_zone(Votes::CreatedAt))
                .col(timestamp_with_time_zone_null(Votes::PublishedAt))
                .col(timestamp_with_time_zone_null(Votes::FrozenAt))
                .col(timestamp_with_time_zone_null(Votes::ClosedAt))
                .col(timestamp_with_time_zone_null(Votes::CancelledAt))
                .col(text_null(Votes::CancelReason))
                .col(text_null(Votes::Result))
                .col(timestamp_with_time_zone_null(Votes::PublicityUntil))
                .col(big_integer_null(Votes::CheckpointSeq))
                .col(string_null(Votes::CheckpointHash))
                .foreign_key(&mut fk(
                    "fk_votes_compound",
                    (Votes::Table, Votes::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .foreign_key(&mut fk("fk_votes_creator", (Votes::Table, Votes::CreatedBy), (Users::Table, Users::Id)))
                .to_owned(),
        )
        .await?;
        index(m, "ix_votes_compound", Votes::Table, &["compound_id"], false).await?;
        index(m, "ix_votes_status", Votes::Table, &["status"], false).await?;

        m.create_table(
            Table::create()
                .table(VoteCandidates::Table)
                .col(big_pk_auto(VoteCandidates::Id))
                .col(big_integer(VoteCandidates::VoteId))
                .col(integer(VoteCandidates::Position))
                .col(string(VoteCandidates::Name))
                .foreign_key(&mut fk(
                    "fk_candidates_vote",
                    (VoteCandidates::Table, VoteCandidates::VoteId),
                    (Votes::Table, Votes::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ux_candidates_vote_position", VoteCandidates::Table, &["vote_id", "position"], true).await?;

        m.create_table(
            Table::create()
                .table(VoteElectorate::Table)
                .col(big_pk_auto(VoteElectorate::Id))
                .col(big_integer(VoteElectorate::VoteId))
                .col(big_integer(VoteElectorate::HolderId))
                .col(string(VoteElectorate::HolderKey))
                .col(big_integer(VoteElectorate::UnitId))
                .col(string(VoteElectorate::UnitLabel))
                .col(big_integer(VoteElectorate::AreaCenti))
                .foreign_key(&mut fk(
                    "fk_electorate_vote",
                    (VoteElectorate::Table, VoteElectorate::VoteId),
                    (Votes::Table, Votes::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ux_electorate_vote_unit", VoteElectorate::Table, &["vote_id", "unit_id"], true).await?;
        index(m, "ix_electorate_vote_holder", VoteElectorate::Table, &["vote_id", "holder_id"], false).await?;

        m.create_table(
            Table::create()
                .table(Proxies::Table)
                .col(big_pk_auto(Proxies::Id))
                .col(big_integer(Proxies::CompoundId))
                .col(big_integer(Proxies::HolderId))
                .col(big_integer(Proxies::ProxyUserId))
                .col(timestamp_with_time_zone(Proxies::ValidFrom))
                .col(timestamp_with_time_zone(Proxies::ValidUntil))
                .col(text_null(Proxies::Note))
                .col(big_integer(Proxies::CreatedBy))
                .col(timestamp_with_time_zone(Proxies::CreatedAt))
                .col(timestamp_with_time_zone_null(Proxies::RevokedAt))
                .col(big_integer_null(Proxies::RevokedBy))
                .foreign_key(&mut fk(
                    "fk_proxies_holder",
                    (Proxies::Table, Proxies::HolderId),
                    (Holders::Table, Holders::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_proxies_user",
                    (Proxies::Table, Proxies::ProxyUserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_proxies_holder", Proxies::Table, &["holder_id"], false).await?;
        index(m, "ix_proxies_user", Proxies::Table, &["proxy_user_id"], false).await?;

        m.create_table(
            Table::create()
                .table(Ballots::Table)
                .col(big_pk_auto(Ballots::Id))
                .col(big_integer(Ballots::VoteId))
                .col(big_integer(Ballots::HolderId))
                .col(string(Ballots::Channel))
                .col(string_null(Ballots::Choice))
                .col(text_null(Ballots::Picks))
                .col(string(Ballots::Status))
                .col(big_integer_null(Ballots::CastBy))
                .col(big_integer_null(Ballots::EnteredBy))
                .col(big_integer_null(Ballots::ConfirmedBy))
                .col(big_integer_null(Ballots::ProxyId))
                .col(string_null(Ballots::PaperSerial))
                .col(string_null(Ballots::IdempotencyKey))
                .col(timestamp_with_time_zone(Ballots::CastAt))
                .col(timestamp_with_time_zone_null(Ballots::ConfirmedAt))
                .col(string(Ballots::Receipt))
                .col(big_integer(Ballots::AuditSeq))
                .foreign_key(&mut fk("fk_ballots_vote", (Ballots::Table, Ballots::VoteId), (Votes::Table, Votes::Id)))
                .foreign_key(&mut fk(
                    "fk_ballots_holder",
                    (Ballots::Table, Ballots::HolderId),
                    (Holders::Table, Holders::Id),
                ))
                .to_owned(),
        )
        .await?;
        // One ballot per holder per vote, whatever the channel: the database guards it.
        index(m, "ux_ballots_vote_holder", Ballots::Table, &["vote_id", "holder_id"], true).await?;
        index(m, "ux_ballots_vote_serial", Ballots::Table, &["vote_id", "paper_serial"], true).await?;
        index(m, "ux_ballots_receipt", Ballots::Table, &["receipt"], true).await?;

        m.create_table(
            Table::create()
                .table(VoteDeliveries::Table)
                .col(big_pk_auto(VoteDeliveries::Id))
                .col(big_integer(VoteDeliveries::VoteId))
                .col(big_integer(VoteDeliveries::UserId))
                .col(timestamp_with_time_zone(VoteDeliveries::OpenedAt))
                .foreign_key(&mut fk(
                    "fk_deliveries_vote",
                    (VoteDeliveries::Table, VoteDeliveries::VoteId),
                    (Votes::Table, Votes::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ux_deliveries_vote_user", VoteDeliveries::Table, &["vote_id", "user_id"], true).await?;

        m.create_table(
            Table::create()
                .table(Notices::Table)
                .col(big_pk_auto(Notices::Id))
                .col(big_integer(Notices::CommunityId))
                .col(big_integer_null(Notices::CompoundId))
                .col(string(Notices::Kind))
                .col(string(Notices::Title))
                .col(text(Notices::Body))
                .col(string_null(Notices::Link))
                .col(big_integer_null(Notices::CreatedBy))
                .col(timestamp_with_time_zone(Notices::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(NoticeRecipients::Table)
                .col(big_pk_auto(NoticeRecipients::Id))
                .col(big_integer(NoticeRecipients::NoticeId))
                .col(big_integer(NoticeRecipients::UserId))
                .col(timestamp_with_time_zone_null(NoticeRecipients::ReadAt))
                .foreign_key(&mut fk(
                    "fk_recipients_notice",
                    (NoticeRecipients::Table, NoticeRecipients::NoticeId),
                    (Notices::Table, Notices::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ux_recipients_notice_user", NoticeRecipients::Table, &["notice_id", "user_id"], true).await?;
        index(m, "ix_recipients_user", NoticeRecipients::Table, &["user_id"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            NoticeRecipients::Table.into_iden(),
            Notices::Table.into_iden(),
            VoteDeliveries::Table.into_iden(),
            Ballots::Table.into_iden(),
            Proxies::Table.into_iden(),
            VoteElectorate::Table.into_iden(),
            VoteCandidates::Table.into_iden(),
            Votes::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        m.alter_table(Table::alter().table(Compounds::Table).drop_column(Compounds::PublicityDays).to_owned()).await?;
        m.alter_table(Table::alter().table(Compounds::Table).drop_column(Compounds::NoticeDays).to_owned()).await?;
        Ok(())
    }
}
