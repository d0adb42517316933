//! Agendas (议题): matters put up for deliberation by a party or turned from a concern, which
//! owners co-sign (附议) and discuss until a decision settles them.
//!
//! Owners holding at least 20 % of the compound's exclusive area **and** being at least 20 % of
//! its headcount may require the owners' committee to call a temporary owners' assembly
//! (《业主大会和业主委员会指导规则》 Art. 21). Co-signs are counted exactly as votes are: area in
//! 0.01 m², one head per holder (the developer's unsold units one head), compared by
//! cross-multiplying integers.
mod access;
pub mod comments;
mod cosigning;
mod detail;
mod listing;
mod moves;
mod opening;
mod rules;
mod views;

pub use access::*;
pub use cosigning::*;
pub use detail::*;
pub use listing::*;
pub use moves::*;
pub use opening::*;
pub use rules::*;
pub use views::*;

use crate::{audit::Subject, entities::agenda};

impl Subject for agenda::Model {
    fn subject(&self) -> String {
        format!("agenda:{}", self.id)
    }

    fn community_id(&self) -> Option<i64> {
        Some(self.community_id)
    }

    fn compound_id(&self) -> Option<i64> {
        self.compound_id
    }
}
