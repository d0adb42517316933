//! A random salt per ballot, mixed into the digest the audit chain keeps, so that the digest of a
//! secret ballot cannot be matched against the three possible choices.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Ballots {
    Table,
    Salt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Ballots::Table).add_column(string(Ballots::Salt).default("")).to_owned())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Ballots::Table).drop_column(Ballots::Salt).to_owned()).await
    }
}
