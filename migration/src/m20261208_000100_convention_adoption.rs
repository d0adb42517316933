//! Conventions adopted and in force: how each version was adopted or repealed (a binding vote of
//! a compound's owners, a residents' meeting filed with the street office, or a recorded decision
//! making it a pledge), which version is in force from when, the households that acknowledged it,
//! the votes that carry a convention's exact text and digest, and the concerns that report a
//! breach of one of its articles.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Compounds {
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
    ConventionId,
    TextDigest,
}

#[derive(DeriveIden)]
enum Concerns {
    Table,
    ConventionId,
    ArticleId,
}

#[derive(DeriveIden)]
enum Conventions {
    Table,
    Id,
    InForceVersion,
    InForceFrom,
    RepealedAt,
    ReviewOn,
    ReviewRemindedAt,
    EnforcerKind,
}

#[derive(DeriveIden)]
enum ConventionAdoptions {
    Table,
    Id,
    ConventionId,
    Version,
    Digest,
    Action,
    Route,
    CompoundId,
    VoteId,
    DecidedBy,
    Record,
    DecidedOn,
    FiledOn,
    FilingRef,
    Status,
    InForceFrom,
    Result,
    SettledAt,
    SupersededAt,
    NoticeId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ConventionAcknowledgements {
    Table,
    Id,
    ConventionId,
    Version,
    CompoundId,
    HolderId,
    UserId,
    Channel,
    EnteredBy,
    ScanFileId,
    SignedOn,
    CreatedAt,
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
        // SQLite adds one column per statement.
        for col in [big_integer_null(Votes::ConventionId), string_null(Votes::TextDigest)] {
            m.alter_table(Table::alter().table(Votes::Table).add_column(col).to_owned()).await?;
        }
        for col in [
            integer_null(Conventions::InForceVersion),
            timestamp_with_time_zone_null(Conventions::InForceFrom),
            timestamp_with_time_zone_null(Conventions::RepealedAt),
            date_null(Conventions::ReviewOn),
            timestamp_with_time_zone_null(Conventions::ReviewRemindedAt),
            string_null(Conventions::EnforcerKind),
        ] {
            m.alter_table(Table::alter().table(Conventions::Table).add_column(col).to_owned()).await?;
        }
        index(m, "ix_votes_convention", Votes::Table, &["convention_id"], false).await?;
        // A breach report is a concern that names the convention's article it is about.
        for col in [big_integer_null(Concerns::ConventionId), string_null(Concerns::ArticleId)] {
            m.alter_table(Table::alter().table(Concerns::Table).add_column(col).to_owned()).await?;
        }
        index(m, "ix_concerns_convention", Concerns::Table, &["convention_id", "article_id"], false).await?;

        m.create_table(
            Table::create()
                .table(ConventionAdoptions::Table)
                .col(big_pk_auto(ConventionAdoptions::Id))
                .col(big_integer(ConventionAdoptions::ConventionId))
                .col(integer(ConventionAdoptions::Version))
                .col(string(ConventionAdoptions::Digest))
                .col(string(ConventionAdoptions::Action))
                .col(string(ConventionAdoptions::Route))
                .col(big_integer_null(ConventionAdoptions::CompoundId))
                .col(big_integer_null(ConventionAdoptions::VoteId))
                .col(string_null(ConventionAdoptions::DecidedBy))
                .col(text_null(ConventionAdoptions::Record))
                .col(date_null(ConventionAdoptions::DecidedOn))
                .col(date_null(ConventionAdoptions::FiledOn))
                .col(string_null(ConventionAdoptions::FilingRef))
                .col(string(ConventionAdoptions::Status))
                .col(timestamp_with_time_zone(ConventionAdoptions::InForceFrom))
                .col(text_null(ConventionAdoptions::Result))
                .col(timestamp_with_time_zone_null(ConventionAdoptions::SettledAt))
                .col(timestamp_with_time_zone_null(ConventionAdoptions::SupersededAt))
                .col(big_integer_null(ConventionAdoptions::NoticeId))
                .col(big_integer(ConventionAdoptions::CreatedBy))
                .col(timestamp_with_time_zone(ConventionAdoptions::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_convention_adoptions_convention",
                    (ConventionAdoptions::Table, ConventionAdoptions::ConventionId),
                    (Conventions::Table, Conventions::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_convention_adoptions_compound",
                    (ConventionAdoptions::Table, ConventionAdoptions::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_convention_adoptions_vote",
                    (ConventionAdoptions::Table, ConventionAdoptions::VoteId),
                    (Votes::Table, Votes::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_convention_adoptions_created_by",
                    (ConventionAdoptions::Table, ConventionAdoptions::CreatedBy),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_convention_adoptions", ConventionAdoptions::Table, &["convention_id", "status"], false).await?;
        // A vote adopts at most one convention.
        index(m, "ux_convention_adoptions_vote", ConventionAdoptions::Table, &["vote_id"], true).await?;

        m.create_table(
            Table::create()
                .table(ConventionAcknowledgements::Table)
                .col(big_pk_auto(ConventionAcknowledgements::Id))
                .col(big_integer(ConventionAcknowledgements::ConventionId))
                .col(integer(ConventionAcknowledgements::Version))
                .col(big_integer(ConventionAcknowledgements::CompoundId))
                .col(big_integer(ConventionAcknowledgements::HolderId))
                .col(big_integer_null(ConventionAcknowledgements::UserId))
                .col(string(ConventionAcknowledgements::Channel))
                .col(big_integer_null(ConventionAcknowledgements::EnteredBy))
                .col(big_integer_null(ConventionAcknowledgements::ScanFileId))
                .col(date_null(ConventionAcknowledgements::SignedOn))
                .col(timestamp_with_time_zone(ConventionAcknowledgements::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_convention_acks_convention",
                    (ConventionAcknowledgements::Table, ConventionAcknowledgements::ConventionId),
                    (Conventions::Table, Conventions::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_convention_acks_compound",
                    (ConventionAcknowledgements::Table, ConventionAcknowledgements::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_convention_acks_holder",
                    (ConventionAcknowledgements::Table, ConventionAcknowledgements::HolderId),
                    (Holders::Table, Holders::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_convention_acks_user",
                    (ConventionAcknowledgements::Table, ConventionAcknowledgements::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        // One acknowledgement per household and version in force, guarded by the database.
        index(
            m,
            "ux_convention_acknowledgements",
            ConventionAcknowledgements::Table,
            &["convention_id", "version", "holder_id"],
            true,
        )
        .await?;
        index(m, "ix_convention_acknowledgements_compound", ConventionAcknowledgements::Table, &["compound_id"], false)
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["convention_acknowledgements", "convention_adoptions"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        m.drop_index(Index::drop().name("ix_concerns_convention").table(Concerns::Table).to_owned()).await?;
        for col in [Concerns::ArticleId, Concerns::ConventionId] {
            m.alter_table(Table::alter().table(Concerns::Table).drop_column(col).to_owned()).await?;
        }
        m.drop_index(Index::drop().name("ix_votes_convention").table(Votes::Table).to_owned()).await?;
        for col in [
            Conventions::EnforcerKind,
            Conventions::ReviewRemindedAt,
            Conventions::ReviewOn,
            Conventions::RepealedAt,
            Conventions::InForceFrom,
            Conventions::InForceVersion,
        ] {
            m.alter_table(Table::alter().table(Conventions::Table).drop_column(col).to_owned()).await?;
        }
        for col in [Votes::TextDigest, Votes::ConventionId] {
            m.alter_table(Table::alter().table(Votes::Table).drop_column(col).to_owned()).await?;
        }
        Ok(())
    }
}
