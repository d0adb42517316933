//! Binding votes of the owners' assembly, counted as Civil Code Art. 278 requires.
pub mod recount;
pub mod tally;
