//! What the notices API sends and receives.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{accounts::PersonName, policy::PartyKind};

#[derive(Serialize, ToSchema)]
pub struct InboxItem {
    /// The notice's id.
    pub id: i64,
    pub kind: String,
    /// In the reader's language for a notice the server writes; a party's notice, and one
    /// stored before notices had parameters, as written.
    pub title: String,
    /// As `title`; a party's notice is Markdown.
    pub body: String,
    /// A party's notice's `body` as sanitized HTML; `null` for the notices the server writes
    /// (plain text).
    pub body_html: Option<String>,
    pub link: Option<String>,
    pub compound_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    /// The party that published it, for notices a party wrote.
    pub party_name: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewPartyNotice {
    /// The party that speaks; the author must hold a role in it here.
    pub party: PartyKind,
    pub title: String,
    /// Markdown; the app renders it without HTML.
    pub body: String,
    /// Send only to the verified owners of these buildings; absent or empty for everyone with a
    /// role in the compound.
    pub building_ids: Option<Vec<i64>>,
}

#[derive(Serialize, ToSchema)]
pub struct PublishedNotice {
    pub id: i64,
    pub title: String,
    /// Markdown, as written.
    pub body: String,
    /// `body` as sanitized HTML, ready to show.
    pub body_html: String,
    pub party_kind: Option<PartyKind>,
    pub party_name: Option<String>,
    pub building_ids: Option<Vec<i64>>,
    pub author: Option<String>,
    /// The name with its official badge, from the person's memberships.
    pub author_person: Option<PersonName>,
    pub created_at: DateTime<Utc>,
    /// People it was delivered to.
    pub recipients: i64,
    /// Of them, how many have opened it.
    pub read: i64,
}
