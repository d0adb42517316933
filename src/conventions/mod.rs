//! Conventions (规约、公约): the compound's management covenant, the owners' assembly's rules of
//! procedure and residents' conventions, drafted in chapters and articles with stable ids, every
//! version kept, and put to a consultation (征求意见) in which every comment and amendment on an
//! article gets the drafters' public answer.
pub mod acknowledgement;
pub mod adoption;
pub mod breach;
mod demo;
pub mod docx;
pub mod ops;
pub mod rules;
pub mod templates;
pub mod text;
pub mod views;

pub use adoption::{put, register_community, register_compound, remind_reviews, settle_due};
pub use breach::{BreachTarget, breach_refs, breach_target};
pub use demo::seed_demo;
pub use ops::*;
pub use views::*;

use crate::{audit::Subject, entities::convention};

impl Subject for convention::Model {
    fn subject(&self) -> String {
        format!("convention:{}", self.id)
    }

    fn community_id(&self) -> Option<i64> {
        Some(self.community_id)
    }

    fn compound_id(&self) -> Option<i64> {
        self.compound_id
    }
}
