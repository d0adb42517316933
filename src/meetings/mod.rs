//! Meetings (会议): the three-party consultation the community office convenes, the owners'
//! committee's own meetings, the owners' assembly's sittings, the residents' council and
//! meeting, and the secretary's mediation. Each kind carries its own rules, in [`kinds`].
pub mod kinds;

pub use kinds::*;
