//! Integration tests: the real router over a real database (in-memory SQLite, or PostgreSQL when
//! `DATABASE_URL` points at one).
mod helpers;

mod accounts;
mod agendas;
mod audit;
mod auth;
mod bad_input;
mod bounds;
mod can;
mod concerns;
mod errors;
mod fuzz_found;
mod isolation;
mod limits;
mod markdown;
mod matrix;
mod meetings;
mod meetings_handoff;
mod meetings_live;
mod minutes;
mod names;
mod notices;
mod notices_in_step;
mod questionnaires;
mod races;
mod roster;
mod secret_ballots;
mod sessions;
mod tenancy;
mod two_person;
mod verification;
mod votes;
mod votes_casting;
mod votes_integrity;
mod votes_mine;
mod votes_result;
