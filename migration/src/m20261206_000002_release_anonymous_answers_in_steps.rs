//! Anonymous answers reach readers in steps: an answer and its participation row wait, marked not
//! released, until enough others have come in (or the questionnaire closes); the questionnaire
//! counts how many wait. Rows already stored are released.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Questionnaires {
    Table,
    PendingAnswers,
}

#[derive(DeriveIden)]
enum QuestionnaireParticipations {
    Table,
    Released,
}

#[derive(DeriveIden)]
enum QuestionnaireAnswers {
    Table,
    Released,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Questionnaires::Table)
                .add_column(big_integer(Questionnaires::PendingAnswers).default(0))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(QuestionnaireParticipations::Table)
                .add_column(boolean(QuestionnaireParticipations::Released).default(true))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(QuestionnaireAnswers::Table)
                .add_column(boolean(QuestionnaireAnswers::Released).default(true))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(QuestionnaireAnswers::Table).drop_column(QuestionnaireAnswers::Released).to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(QuestionnaireParticipations::Table)
                .drop_column(QuestionnaireParticipations::Released)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(Questionnaires::Table).drop_column(Questionnaires::PendingAnswers).to_owned(),
        )
        .await?;
        Ok(())
    }
}
