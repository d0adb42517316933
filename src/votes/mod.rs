//! Binding votes of the owners' assembly, counted as Civil Code Art. 278 requires: the count
//! itself ([`tally`]), a vote's life from draft to published result ([`lifecycle`]), ballots by
//! every channel through one batching writer ([`cast`]), the offline recount ([`recount`]), and
//! what of a secret vote may be read next to a holder ([`secrecy`]).
pub mod ballot;
pub mod cast;
pub mod lifecycle;
pub mod model;
pub mod recount;
pub mod secrecy;
pub mod tally;
pub mod views;

pub use cast::{BallotWriter, verify_ballots};
