//! Questionnaires (问卷): the questionnaire, who took part, the answers (kept apart from who gave
//! them when the questionnaire is anonymous), owners' unsent drafts; and notices published by a
//! party to everyone in scope.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Compounds {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Notices {
    Table,
    PartyId,
    BuildingIds,
}

#[derive(DeriveIden)]
enum Questionnaires {
    Table,
    Id,
    CompoundId,
    Title,
    Description,
    Questions,
    Audience,
    BuildingIds,
    Anonymous,
    AnswerPer,
    AllowEdit,
    ResultsVisibility,
    OpensAt,
    ClosesAt,
    Status,
    AgendaId,
    CreatedBy,
    CreatedAt,
    PublishedAt,
    ClosedAt,
    AudienceHeads,
}

#[derive(DeriveIden)]
enum QuestionnaireParticipations {
    Table,
    Id,
    QuestionnaireId,
    RespondentKey,
    HolderId,
    UserId,
}

#[derive(DeriveIden)]
enum QuestionnaireAnswers {
    Table,
    Id,
    QuestionnaireId,
    RespondentKey,
    UserId,
    HolderId,
    Answers,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum QuestionnaireDrafts {
    Table,
    Id,
    QuestionnaireId,
    UserId,
    Answers,
    UpdatedAt,
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
                .table(Questionnaires::Table)
                .col(big_pk_auto(Questionnaires::Id))
                .col(big_integer(Questionnaires::CompoundId))
                .col(string(Questionnaires::Title))
                .col(text(Questionnaires::Description))
                .col(text(Questionnaires::Questions))
                .col(string(Questionnaires::Audience))
                .col(text_null(Questionnaires::BuildingIds))
                .col(boolean(Questionnaires::Anonymous))
                .col(string(Questionnaires::AnswerPer))
                .col(boolean(Questionnaires::AllowEdit))
                .col(string(Questionnaires::ResultsVisibility))
                .col(timestamp_with_time_zone(Questionnaires::OpensAt))
                .col(timestamp_with_time_zone(Questionnaires::ClosesAt))
                .col(string(Questionnaires::Status))
                // The agenda it settles; the agendas table lives in another migration, so no key.
                .col(big_integer_null(Questionnaires::AgendaId))
                .col(big_integer(Questionnaires::CreatedBy))
                .col(timestamp_with_time_zone(Questionnaires::CreatedAt))
                .col(timestamp_with_time_zone_null(Questionnaires::PublishedAt))
                .col(timestamp_with_time_zone_null(Questionnaires::ClosedAt))
                .col(big_integer_null(Questionnaires::AudienceHeads))
                .foreign_key(&mut fk(
                    "fk_questionnaires_compound",
                    (Questionnaires::Table, Questionnaires::CompoundId),
                    (Compounds::Table, Compounds::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_questionnaires_creator",
                    (Questionnaires::Table, Questionnaires::CreatedBy),
                    (Users::Table, Users::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_questionnaires_compound", Questionnaires::Table, &["compound_id"], false).await?;
        index(m, "ix_questionnaires_status_closes", Questionnaires::Table, &["status", "closes_at"], false).await?;
        index(m, "ix_questionnaires_agenda", Questionnaires::Table, &["agenda_id"], false).await?;

        // Who took part: one row per holder or per person, whatever the answers say.
        m.create_table(
            Table::create()
                .table(QuestionnaireParticipations::Table)
                .col(big_pk_auto(QuestionnaireParticipations::Id))
                .col(big_integer(QuestionnaireParticipations::QuestionnaireId))
                .col(string(QuestionnaireParticipations::RespondentKey))
                .col(big_integer_null(QuestionnaireParticipations::HolderId))
                .col(big_integer(QuestionnaireParticipations::UserId))
                .foreign_key(&mut fk(
                    "fk_participations_questionnaire",
                    (QuestionnaireParticipations::Table, QuestionnaireParticipations::QuestionnaireId),
                    (Questionnaires::Table, Questionnaires::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_participations_respondent",
            QuestionnaireParticipations::Table,
            &["questionnaire_id", "respondent_key"],
            true,
        )
        .await?;
        index(m, "ix_participations_user", QuestionnaireParticipations::Table, &["user_id"], false).await?;

        // The answers. An anonymous answer has a random id and nothing else but its content.
        m.create_table(
            Table::create()
                .table(QuestionnaireAnswers::Table)
                .col(string(QuestionnaireAnswers::Id).primary_key())
                .col(big_integer(QuestionnaireAnswers::QuestionnaireId))
                .col(string_null(QuestionnaireAnswers::RespondentKey))
                .col(big_integer_null(QuestionnaireAnswers::UserId))
                .col(big_integer_null(QuestionnaireAnswers::HolderId))
                .col(text(QuestionnaireAnswers::Answers))
                .col(timestamp_with_time_zone_null(QuestionnaireAnswers::SubmittedAt))
                .foreign_key(&mut fk(
                    "fk_answers_questionnaire",
                    (QuestionnaireAnswers::Table, QuestionnaireAnswers::QuestionnaireId),
                    (Questionnaires::Table, Questionnaires::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ix_answers_questionnaire", QuestionnaireAnswers::Table, &["questionnaire_id"], false).await?;
        index(m, "ux_answers_respondent", QuestionnaireAnswers::Table, &["questionnaire_id", "respondent_key"], true)
            .await?;

        m.create_table(
            Table::create()
                .table(QuestionnaireDrafts::Table)
                .col(big_pk_auto(QuestionnaireDrafts::Id))
                .col(big_integer(QuestionnaireDrafts::QuestionnaireId))
                .col(big_integer(QuestionnaireDrafts::UserId))
                .col(text(QuestionnaireDrafts::Answers))
                .col(timestamp_with_time_zone(QuestionnaireDrafts::UpdatedAt))
                .foreign_key(&mut fk(
                    "fk_drafts_questionnaire",
                    (QuestionnaireDrafts::Table, QuestionnaireDrafts::QuestionnaireId),
                    (Questionnaires::Table, Questionnaires::Id),
                ))
                .to_owned(),
        )
        .await?;
        index(m, "ux_drafts_user", QuestionnaireDrafts::Table, &["questionnaire_id", "user_id"], true).await?;

        // Notices a party publishes: which party, and the buildings they went to (none: everyone).
        m.alter_table(Table::alter().table(Notices::Table).add_column(big_integer_null(Notices::PartyId)).to_owned())
            .await?;
        m.alter_table(Table::alter().table(Notices::Table).add_column(text_null(Notices::BuildingIds)).to_owned())
            .await?;
        index(m, "ix_notices_compound_kind", Notices::Table, &["compound_id", "kind"], false).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_notices_compound_kind").table(Notices::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Notices::Table).drop_column(Notices::BuildingIds).to_owned()).await?;
        m.alter_table(Table::alter().table(Notices::Table).drop_column(Notices::PartyId).to_owned()).await?;
        for t in [
            QuestionnaireDrafts::Table.into_iden(),
            QuestionnaireAnswers::Table.into_iden(),
            QuestionnaireParticipations::Table.into_iden(),
            Questionnaires::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
