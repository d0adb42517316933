//! Minutes (会议纪要) of a held meeting: the text and every version of it, the corrections those
//! who attended propose, the sign-off of each seat (the chair, a party present, a member, a side)
//! on one version's exact text, and the addenda chained on after publication.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Minutes {
    Table,
    Id,
    MeetingId,
    Status,
    Version,
    Text,
    DraftedBy,
    CorrectionsUntil,
    SignBy,
    SigningVersion,
    PublishedAt,
    PublicityUntil,
    NoticeId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MinutesVersions {
    Table,
    Id,
    MinutesId,
    Version,
    Text,
    Digest,
    AuthorId,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MinutesCorrections {
    Table,
    Id,
    MinutesId,
    Version,
    AuthorId,
    Original,
    Replacement,
    Reason,
    Status,
    Answer,
    AnsweredBy,
    AnsweredAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MinutesSignatures {
    Table,
    Id,
    MinutesId,
    Version,
    Seat,
    PartyId,
    UserId,
    SignerId,
    Answer,
    Opinion,
    Digest,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum MinutesAddenda {
    Table,
    Id,
    MinutesId,
    Text,
    Digest,
    AuthorId,
    CreatedAt,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Restrict).to_owned()
}

fn minutes_fk(name: &str, table: impl IntoIden) -> ForeignKeyCreateStatement {
    fk(name, (table, Alias::new("minutes_id")), (Minutes::Table, Minutes::Id))
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
        m.create_table(
            Table::create()
                .table(Minutes::Table)
                .col(big_pk_auto(Minutes::Id))
                .col(big_integer(Minutes::MeetingId))
                .col(string(Minutes::Status))
                .col(integer(Minutes::Version))
                .col(text(Minutes::Text))
                .col(big_integer(Minutes::DraftedBy))
                .col(timestamp_with_time_zone_null(Minutes::CorrectionsUntil))
                .col(timestamp_with_time_zone_null(Minutes::SignBy))
                .col(integer_null(Minutes::SigningVersion))
                .col(timestamp_with_time_zone_null(Minutes::PublishedAt))
                .col(timestamp_with_time_zone_null(Minutes::PublicityUntil))
                .col(big_integer_null(Minutes::NoticeId))
                .col(timestamp_with_time_zone(Minutes::CreatedAt))
                .col(timestamp_with_time_zone(Minutes::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_minutes_meeting",
                    (Minutes::Table, Minutes::MeetingId),
                    (Meetings::Table, Meetings::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_minutes_drafted_by",
                    (Minutes::Table, Minutes::DraftedBy),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        // One record per meeting: drafting twice at once is refused by the database.
        index(m, "ux_minutes_meeting", Minutes::Table, &["meeting_id"], true).await?;
        index(m, "ix_minutes_status_published", Minutes::Table, &["status", "published_at"], false).await?;

        m.create_table(
            Table::create()
                .table(MinutesVersions::Table)
                .col(big_pk_auto(MinutesVersions::Id))
                .col(big_integer(MinutesVersions::MinutesId))
                .col(integer(MinutesVersions::Version))
                .col(text(MinutesVersions::Text))
                .col(string(MinutesVersions::Digest))
                .col(big_integer(MinutesVersions::AuthorId))
                .col(string(MinutesVersions::Reason))
                .col(timestamp_with_time_zone(MinutesVersions::CreatedAt))
                .foreign_key(&mut minutes_fk("fk_minutes_versions_minutes", MinutesVersions::Table))
                .foreign_key(&mut fk(
                    "fk_minutes_versions_author",
                    (MinutesVersions::Table, MinutesVersions::AuthorId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        // Two saves of the same version at once: the second is refused, never lost.
        index(m, "ux_minutes_versions", MinutesVersions::Table, &["minutes_id", "version"], true).await?;

        m.create_table(
            Table::create()
                .table(MinutesCorrections::Table)
                .col(big_pk_auto(MinutesCorrections::Id))
                .col(big_integer(MinutesCorrections::MinutesId))
                .col(integer(MinutesCorrections::Version))
                .col(big_integer(MinutesCorrections::AuthorId))
                .col(text(MinutesCorrections::Original))
                .col(text(MinutesCorrections::Replacement))
                .col(text(MinutesCorrections::Reason))
                .col(string(MinutesCorrections::Status))
                .col(text_null(MinutesCorrections::Answer))
                .col(big_integer_null(MinutesCorrections::AnsweredBy))
                .col(timestamp_with_time_zone_null(MinutesCorrections::AnsweredAt))
                .col(timestamp_with_time_zone(MinutesCorrections::CreatedAt))
                .foreign_key(&mut minutes_fk("fk_minutes_corrections_minutes", MinutesCorrections::Table))
                .foreign_key(&mut fk(
                    "fk_minutes_corrections_author",
                    (MinutesCorrections::Table, MinutesCorrections::AuthorId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_minutes_corrections_minutes", MinutesCorrections::Table, &["minutes_id", "status"], false).await?;

        m.create_table(
            Table::create()
                .table(MinutesSignatures::Table)
                .col(big_pk_auto(MinutesSignatures::Id))
                .col(big_integer(MinutesSignatures::MinutesId))
                .col(integer(MinutesSignatures::Version))
                .col(string(MinutesSignatures::Seat))
                .col(big_integer_null(MinutesSignatures::PartyId))
                .col(big_integer_null(MinutesSignatures::UserId))
                .col(big_integer_null(MinutesSignatures::SignerId))
                .col(string(MinutesSignatures::Answer))
                .col(text_null(MinutesSignatures::Opinion))
                .col(string_null(MinutesSignatures::Digest))
                .col(timestamp_with_time_zone_null(MinutesSignatures::AnsweredAt))
                .foreign_key(&mut minutes_fk("fk_minutes_signatures_minutes", MinutesSignatures::Table))
                .to_owned(),
        )
        .await?;
        index(m, "ix_minutes_signatures_version", MinutesSignatures::Table, &["minutes_id", "version"], false).await?;

        m.create_table(
            Table::create()
                .table(MinutesAddenda::Table)
                .col(big_pk_auto(MinutesAddenda::Id))
                .col(big_integer(MinutesAddenda::MinutesId))
                .col(text(MinutesAddenda::Text))
                .col(string(MinutesAddenda::Digest))
                .col(big_integer(MinutesAddenda::AuthorId))
                .col(timestamp_with_time_zone(MinutesAddenda::CreatedAt))
                .foreign_key(&mut minutes_fk("fk_minutes_addenda_minutes", MinutesAddenda::Table))
                .foreign_key(&mut fk(
                    "fk_minutes_addenda_author",
                    (MinutesAddenda::Table, MinutesAddenda::AuthorId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_minutes_addenda_minutes", MinutesAddenda::Table, &["minutes_id"], false).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["minutes_addenda", "minutes_signatures", "minutes_corrections", "minutes_versions", "minutes"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
