//! Minutes (会议纪要) of a held meeting: drafted from its record by a template of its kind,
//! corrected by those who attended, signed by the chair and a representative of each party
//! present (every attending member at a committee meeting, both sides at a mediation) on one
//! version's exact text, published to the compound's residents and added to only by chained
//! addenda. Minutes import meetings, never the reverse.
mod demo;
pub mod draft;
pub mod ops;
pub mod rules;
pub mod views;

pub use demo::seed_demo;
pub use ops::*;
pub use views::*;
