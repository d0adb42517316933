//! Database schema for Sanfang. Migrations run on SQLite and PostgreSQL alike.
pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_foundation;
mod m20261122_000002_create_votes;
mod m20261122_000003_create_files;
mod m20261122_000004_add_ballot_salt;
mod m20261203_000001_create_deliberation;
mod m20261203_000002_create_questionnaires;
mod m20261206_000001_create_scan_unseals;
mod m20261206_000002_release_anonymous_answers_in_steps;
mod m20261206_000010_create_throttles;
mod m20261206_000011_two_person_links;
mod m20261206_000020_reader_language;
mod m20261206_000030_index_notice_links;
mod m20261206_000100_create_meetings;
mod m20261206_000200_meeting_record_and_tasks;
mod m20261206_000300_meeting_handoffs_and_attachments;
mod m20261206_000400_create_minutes;
mod m20261207_000100_create_conventions;
mod m20261208_000100_convention_adoption;
mod m20261209_000100_adoption_meeting;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_foundation::Migration),
            Box::new(m20261122_000002_create_votes::Migration),
            Box::new(m20261122_000003_create_files::Migration),
            Box::new(m20261122_000004_add_ballot_salt::Migration),
            Box::new(m20261203_000001_create_deliberation::Migration),
            Box::new(m20261203_000002_create_questionnaires::Migration),
            Box::new(m20261206_000001_create_scan_unseals::Migration),
            Box::new(m20261206_000002_release_anonymous_answers_in_steps::Migration),
            Box::new(m20261206_000010_create_throttles::Migration),
            Box::new(m20261206_000011_two_person_links::Migration),
            Box::new(m20261206_000020_reader_language::Migration),
            Box::new(m20261206_000030_index_notice_links::Migration),
            Box::new(m20261206_000100_create_meetings::Migration),
            Box::new(m20261206_000200_meeting_record_and_tasks::Migration),
            Box::new(m20261206_000300_meeting_handoffs_and_attachments::Migration),
            Box::new(m20261206_000400_create_minutes::Migration),
            Box::new(m20261207_000100_create_conventions::Migration),
            Box::new(m20261208_000100_convention_adoption::Migration),
            Box::new(m20261209_000100_adoption_meeting::Migration),
        ]
    }
}
