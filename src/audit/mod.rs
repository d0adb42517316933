//! The audit trail: an append-only hash chain of who did what, written in the same
//! transaction as the change it records, and checked by `sanfang verify`.
mod chain;

pub use chain::{Appended, Chain, Event, VerifyReport, record, verify};
