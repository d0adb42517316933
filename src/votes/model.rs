//! The words of a vote: its status, form, ballot channels, how they are stored, and how the
//! audit trail names a vote.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{audit::Subject, entities::vote, i18n::Msg, msg};

pub use crate::entities::{ballot::BallotStatus, vote::VoteStatus};

impl Subject for vote::Model {
    fn subject(&self) -> String {
        format!("vote:{}", self.id)
    }

    fn compound_id(&self) -> Option<i64> {
        Some(self.compound_id)
    }
}

/// A motion (agree / oppose / abstain) or an election of committee seats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoteForm {
    Motion,
    Election,
}

impl VoteForm {
    pub fn as_str(self) -> &'static str {
        match self {
            VoteForm::Motion => "motion",
            VoteForm::Election => "election",
        }
    }

    pub fn parse(s: &str) -> VoteForm {
        if s == "election" { VoteForm::Election } else { VoteForm::Motion }
    }
}

/// How a ballot reached the count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Cast by the owner on their phone.
    Online,
    /// A signed paper slip entered by staff and confirmed by a second person.
    Paper,
    /// Cast by the holder of a written proxy.
    Proxy,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Paper => "paper",
            Channel::Proxy => "proxy",
        }
    }

    pub fn parse(s: &str) -> Channel {
        match s {
            "paper" => Channel::Paper,
            "proxy" => Channel::Proxy,
            _ => Channel::Online,
        }
    }

    /// The refusal of another ballot for a holder whose ballot this channel already counted.
    pub fn already_counted(self) -> Msg {
        match self {
            Channel::Online => msg!("ballot_counted_online"),
            Channel::Paper => msg!("ballot_counted_paper"),
            Channel::Proxy => msg!("ballot_counted_proxy"),
        }
    }
}
