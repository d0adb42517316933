//! Meetings (会议): the three-party consultation the community office convenes, the owners'
//! committee's own meetings, the owners' assembly's sittings, the residents' council and
//! meeting, and the secretary's mediation. Each kind carries its own rules, in [`kinds`].
mod access;
mod answering;
mod attachments;
mod attendance;
pub mod calendar;
mod carry;
mod convening;
mod demo;
mod detail;
#[cfg(test)]
pub(crate) mod fixtures;
mod handoff;
pub mod kinds;
mod live;
mod mentions;
mod outcomes;
pub mod room;
mod rules;
mod signin;
mod sources;
pub mod tasks;
mod views;

pub use access::*;
pub use answering::*;
pub use attachments::*;
pub use attendance::*;
pub use carry::*;
pub use convening::*;
pub use demo::{DEMO_COMMITTEE_OWNERS, seed_demo};
pub use detail::*;
pub use handoff::{HandoffRequest, HandoffTarget, hand_off};
pub use kinds::*;
pub use live::*;
pub use mentions::{MeetingMention, MentionPosition, mentions};
pub use outcomes::*;
pub use room::{LiveState, Room, live_state};
pub use rules::*;
pub use signin::*;
pub use sources::*;
pub use views::*;

use crate::{audit::Subject, entities::meeting};

impl Subject for meeting::Model {
    fn subject(&self) -> String {
        format!("meeting:{}", self.id)
    }

    fn community_id(&self) -> Option<i64> {
        Some(self.community_id)
    }

    fn compound_id(&self) -> Option<i64> {
        self.compound_id
    }
}
