//! The audit trail: an append-only hash chain of who did what, written in the same
//! transaction as the change it records, and checked by `sanfang verify`.
mod chain;
pub mod sentence;

pub use chain::{Appended, Chain, Event, VerifyReport, record, verify};
use sea_orm::ConnectionTrait;
pub use sentence::{Told, sentence};

use crate::error::AppResult;

/// Something the trail can name: a vote, a concern, a user. Each area says how its rows are
/// named (`vote:12`) and where they live, so that every record of them reads alike.
pub trait Subject {
    /// The subject as stored, e.g. `vote:12`.
    fn subject(&self) -> String;
    /// The community it belongs to, when it is a community's.
    fn community_id(&self) -> Option<i64> {
        None
    }
    /// The compound it belongs to, when it is a compound's.
    fn compound_id(&self) -> Option<i64> {
        None
    }
}

/// Record on the chain that `actor_id` (none for the system) did `action` to `subject`.
pub async fn note(
    db: &impl ConnectionTrait,
    actor_id: Option<i64>,
    subject: &impl Subject,
    action: &str,
    detail: serde_json::Value,
) -> AppResult<()> {
    let event = Event {
        actor_id,
        action,
        community_id: subject.community_id(),
        compound_id: subject.compound_id(),
        subject: subject.subject(),
        detail,
    };
    record(db, event).await?;
    Ok(())
}
