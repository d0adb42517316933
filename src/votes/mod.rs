//! Binding votes of the owners' assembly, counted as Civil Code Art. 278 requires: the count
//! itself ([`tally`]), the rules of a vote's life ([`rules`]), its life from draft to published
//! result ([`lifecycle`], [`ops`]), ballots by every channel ([`balloting`]) through one batching
//! writer ([`cast`]), written proxies ([`proxies`]), the offline recount ([`recount`], [`export`]),
//! and what of a secret vote may be read next to a holder ([`secrecy`]).
pub mod access;
pub mod ballot;
pub mod balloting;
pub mod cast;
pub mod export;
pub mod lifecycle;
pub mod model;
pub mod ops;
pub mod proxies;
pub mod reading;
pub mod recount;
pub mod rules;
pub mod secrecy;
pub mod tally;
pub mod views;

pub use cast::{BallotWriter, verify_ballots};
