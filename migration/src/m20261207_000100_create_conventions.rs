//! Conventions (规约、公约) drafted in chapters and articles: every version of the text, the
//! comments and amendments made on an article during a consultation with the drafters' answers,
//! and the supports an amendment gathers.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Communities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Compounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Parties {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Conventions {
    Table,
    Id,
    CommunityId,
    CompoundId,
    Kind,
    Title,
    Status,
    PartyId,
    Version,
    Body,
    Issued,
    ConsultFrom,
    ConsultUntil,
    QuestionnaireId,
    NoticeId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ConventionVersions {
    Table,
    Id,
    ConventionId,
    Version,
    Title,
    Body,
    Digest,
    AuthorId,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ConventionComments {
    Table,
    Id,
    ConventionId,
    ArticleId,
    Version,
    AuthorId,
    Kind,
    Text,
    Wording,
    Status,
    Answer,
    AnsweredBy,
    AnsweredAt,
    AppliedVersion,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ConventionSupports {
    Table,
    Id,
    CommentId,
    UserId,
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
        m.create_table(
            Table::create()
                .table(Conventions::Table)
                .col(big_pk_auto(Conventions::Id))
                .col(big_integer(Conventions::CommunityId))
                .col(big_integer_null(Conventions::CompoundId))
                .col(string(Conventions::Kind))
                .col(string(Conventions::Title))
                .col(string(Conventions::Status))
                .col(big_integer(Conventions::PartyId))
                .col(integer(Conventions::Version))
                .col(text(Conventions::Body))
                .col(integer(Conventions::Issued))
                .col(timestamp_with_time_zone_null(Conventions::ConsultFrom))
                .col(timestamp_with_time_zone_null(Conventions::ConsultUntil))
                .col(big_integer_null(Conventions::QuestionnaireId))
                .col(big_integer_null(Conventions::NoticeId))
                .col(big_integer(Conventions::CreatedBy))
                .col(timestamp_with_time_zone(Conventions::CreatedAt))
                .col(timestamp_with_time_zone(Conventions::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_conventions_community",
                    (Conventions::Table, Conventions::CommunityId),
                    (Communities::Table, Communities::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_conventions_compound",
                    (Conventions::Table, Conventions::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_conventions_party",
                    (Conventions::Table, Conventions::PartyId),
                    (Parties::Table, Parties::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_conventions_created_by",
                    (Conventions::Table, Conventions::CreatedBy),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_conventions_compound", Conventions::Table, &["compound_id", "status"], false).await?;
        index(m, "ix_conventions_community", Conventions::Table, &["community_id", "status"], false).await?;

        m.create_table(
            Table::create()
                .table(ConventionVersions::Table)
                .col(big_pk_auto(ConventionVersions::Id))
                .col(big_integer(ConventionVersions::ConventionId))
                .col(integer(ConventionVersions::Version))
                .col(string(ConventionVersions::Title))
                .col(text(ConventionVersions::Body))
                .col(string(ConventionVersions::Digest))
                .col(big_integer(ConventionVersions::AuthorId))
                .col(string(ConventionVersions::Reason))
                .col(timestamp_with_time_zone(ConventionVersions::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_convention_versions_convention",
                    (ConventionVersions::Table, ConventionVersions::ConventionId),
                    (Conventions::Table, Conventions::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_convention_versions_author",
                    (ConventionVersions::Table, ConventionVersions::AuthorId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        // Two saves over the same version at once: the second is refused, never lost.
        index(m, "ux_convention_versions", ConventionVersions::Table, &["convention_id", "version"], true).await?;

        m.create_table(
            Table::create()
                .table(ConventionComments::Table)
                .col(big_pk_auto(ConventionComments::Id))
                .col(big_integer(ConventionComments::ConventionId))
                .col(string(ConventionComments::ArticleId))
                .col(integer(ConventionComments::Version))
                .col(big_integer(ConventionComments::AuthorId))
                .col(string(ConventionComments::Kind))
                .col(text(ConventionComments::Text))
                .col(text_null(ConventionComments::Wording))
                .col(string(ConventionComments::Status))
                .col(text_null(ConventionComments::Answer))
                .col(big_integer_null(ConventionComments::AnsweredBy))
                .col(timestamp_with_time_zone_null(ConventionComments::AnsweredAt))
                .col(integer_null(ConventionComments::AppliedVersion))
                .col(timestamp_with_time_zone(ConventionComments::CreatedAt))
                .col(timestamp_with_time_zone(ConventionComments::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_convention_comments_convention",
                    (ConventionComments::Table, ConventionComments::ConventionId),
                    (Conventions::Table, Conventions::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_convention_comments_author",
                    (ConventionComments::Table, ConventionComments::AuthorId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_convention_comments_article", ConventionComments::Table, &["convention_id", "article_id"], false)
            .await?;

        m.create_table(
            Table::create()
                .table(ConventionSupports::Table)
                .col(big_pk_auto(ConventionSupports::Id))
                .col(big_integer(ConventionSupports::CommentId))
                .col(big_integer(ConventionSupports::UserId))
                .col(timestamp_with_time_zone(ConventionSupports::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_convention_supports_comment",
                    (ConventionSupports::Table, ConventionSupports::CommentId),
                    (ConventionComments::Table, ConventionComments::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_convention_supports_user",
                    (ConventionSupports::Table, ConventionSupports::UserId),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        // One support per person and amendment, guarded by the database.
        index(m, "ux_convention_supports", ConventionSupports::Table, &["comment_id", "user_id"], true).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["convention_supports", "convention_comments", "convention_versions", "conventions"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
