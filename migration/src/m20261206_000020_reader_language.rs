//! Server text in the reader's language: each account keeps the language it reads, and a notice
//! the server writes keeps the parameters it is rendered from (its kind names the message).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Language,
}

#[derive(DeriveIden)]
enum Notices {
    Table,
    Params,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Users::Table).add_column(string_null(Users::Language)).to_owned()).await?;
        m.alter_table(Table::alter().table(Notices::Table).add_column(text_null(Notices::Params)).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Notices::Table).drop_column(Notices::Params).to_owned()).await?;
        m.alter_table(Table::alter().table(Users::Table).drop_column(Users::Language).to_owned()).await
    }
}
