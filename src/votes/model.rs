//! The words of a vote: its status, form, ballot channels, and how they are stored.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a vote stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VoteStatus {
    /// Being drafted; only the three parties see it.
    Draft,
    /// Notice given; opens at `opens_at`.
    Published,
    /// Voting; the eligible roster is frozen.
    Open,
    /// Counted; the result is on public display.
    Closed,
    Cancelled,
}

impl VoteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VoteStatus::Draft => "draft",
            VoteStatus::Published => "published",
            VoteStatus::Open => "open",
            VoteStatus::Closed => "closed",
            VoteStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> VoteStatus {
        match s {
            "published" => VoteStatus::Published,
            "open" => VoteStatus::Open,
            "closed" => VoteStatus::Closed,
            "cancelled" => VoteStatus::Cancelled,
            _ => VoteStatus::Draft,
        }
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

    /// How a refusal names the channel that already counted.
    pub fn describe(self) -> &'static str {
        match self {
            Channel::Online => "online by the owner",
            Channel::Paper => "on a paper ballot",
            Channel::Proxy => "by a proxy",
        }
    }
}

pub const BALLOT_COUNTED: &str = "counted";
pub const BALLOT_PENDING: &str = "pending";
