//! Residents' concerns (诉求): raised from a phone, routed by the community office to the party
//! whose duty it is (分类解决), acknowledged, answered and resolved by that party, then confirmed
//! or reopened and rated by the person who raised it. The secretary may escalate one to an outside
//! department (街乡吹哨、部门报到). Every step lands on the concern's timeline and the audit chain.
mod access;
pub mod categories;
pub mod dashboard;
mod detail;
mod listing;
mod news;
mod raising;
mod rules;
mod steps;
mod timeline;
mod views;

pub use access::*;
pub use categories::{categories_of, seed_categories};
pub use detail::*;
pub use listing::*;
pub use news::{Moved, raiser_notice, settles};
pub use raising::*;
pub use rules::*;
pub use steps::*;
pub use timeline::{Taker, step_sentence};
pub use views::*;

use crate::{
    audit::Subject,
    entities::{concern, concern_category},
};

/// Photos a concern may carry.
pub const MAX_PHOTOS: usize = 6;

impl Subject for concern::Model {
    fn subject(&self) -> String {
        format!("concern:{}", self.id)
    }

    fn community_id(&self) -> Option<i64> {
        Some(self.community_id)
    }

    fn compound_id(&self) -> Option<i64> {
        Some(self.compound_id)
    }
}

impl Subject for concern_category::Model {
    fn subject(&self) -> String {
        format!("concern_category:{}", self.id)
    }

    fn community_id(&self) -> Option<i64> {
        Some(self.community_id)
    }
}
