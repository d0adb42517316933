//! What the concerns API sends and receives.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ConcernStatus, ConcernStep};
use crate::{accounts::PersonName, entities::concern_category, files::FileView, policy::PartyKind};

#[derive(Serialize, ToSchema, Clone)]
pub struct CategoryView {
    pub id: i64,
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    /// The party a concern of this category goes to unless the community office decides otherwise.
    pub default_party_kind: PartyKind,
    /// Hours within which a concern should be resolved; later it is flagged overdue.
    pub time_limit_hours: i32,
    pub position: i32,
}

impl From<&concern_category::Model> for CategoryView {
    fn from(c: &concern_category::Model) -> Self {
        Self {
            id: c.id,
            key: c.key.clone(),
            name_zh: c.name_zh.clone(),
            name_en: c.name_en.clone(),
            default_party_kind: PartyKind::parse(&c.default_party_kind).unwrap_or(PartyKind::CommunityOffice),
            time_limit_hours: c.time_limit_hours,
            position: c.position,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewCategory {
    /// Short stable key, e.g. `greenery`: lowercase letters, digits and `_`.
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub default_party_kind: PartyKind,
    pub time_limit_hours: i32,
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateCategory {
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    pub default_party_kind: Option<PartyKind>,
    pub time_limit_hours: Option<i32>,
    pub position: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewConcern {
    /// Required, but for a breach report, which is filed under "other" when none is given.
    pub category_id: Option<i64>,
    pub text: String,
    /// A building of the compound, when the concern is about one.
    pub building_id: Option<i64>,
    /// Where exactly, in the raiser's words ("北门外垃圾桶旁").
    pub location: Option<String>,
    /// A breach report: the convention in force that was broken, and its article's id (`a7`).
    /// The report goes straight to the party the convention names for enforcement.
    #[serde(default)]
    pub convention_id: Option<i64>,
    #[serde(default)]
    pub article_id: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct RouteRequest {
    /// The party to take it on; absent means the category's default party.
    pub party_kind: Option<PartyKind>,
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct NoteRequest {
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct ReplyRequest {
    pub text: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ReopenRequest {
    /// Why it is not settled.
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
pub struct RateRequest {
    /// Satisfaction, 1 (very unsatisfied) to 5 (very satisfied).
    pub rating: i32,
    pub comment: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct EscalateRequest {
    /// The outside department whistled in (吹哨), e.g. 城管执法队.
    pub department: String,
    /// What the department was asked to do.
    pub request: String,
}

#[derive(Deserialize, ToSchema)]
pub struct DepartmentResponse {
    /// What the department did or answered (报到).
    pub response: String,
}

#[derive(Deserialize, IntoParams)]
pub struct ConcernFilter {
    pub status: Option<ConcernStatus>,
    pub category_id: Option<i64>,
    /// The party it is assigned to.
    pub party_kind: Option<PartyKind>,
    /// Only overdue concerns.
    pub overdue: Option<bool>,
    /// Only my own concerns.
    pub mine: Option<bool>,
    /// The order of the list: `-created_at` (newest first) unless given; a leading `-` means descending.
    #[param(inline)]
    pub sort: Option<ConcernSort>,
    /// 1-based page number.
    pub page: Option<i64>,
    /// At most 50.
    pub per_page: Option<i64>,
}

/// What a concern list is ordered by; a leading `-` means descending.
#[derive(Deserialize, ToSchema, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConcernSort {
    #[serde(rename = "created_at")]
    CreatedAt,
    #[default]
    #[serde(rename = "-created_at")]
    CreatedAtDesc,
    #[serde(rename = "updated_at")]
    UpdatedAt,
    #[serde(rename = "-updated_at")]
    UpdatedAtDesc,
    #[serde(rename = "due_at")]
    DueAt,
    #[serde(rename = "-due_at")]
    DueAtDesc,
    #[serde(rename = "status")]
    Status,
    #[serde(rename = "-status")]
    StatusDesc,
}

#[derive(Serialize, ToSchema)]
pub struct ConcernSummary {
    pub id: i64,
    pub compound_id: i64,
    pub category: CategoryView,
    /// The beginning of the text.
    pub excerpt: String,
    pub status: ConcernStatus,
    pub assigned_kind: Option<PartyKind>,
    pub overdue: bool,
    pub due_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub raised_by_name: String,
    /// The name with its official badge, from the person's memberships.
    pub raised_by_person: PersonName,
    pub mine: bool,
    pub photos: i64,
    pub rating: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct ConcernPage {
    pub items: Vec<ConcernSummary>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Serialize, ToSchema)]
pub struct ConcernEventView {
    pub id: i64,
    pub step: ConcernStep,
    /// The step as a sentence in the reader's language ("The community office routed the
    /// concern to the property company"); the note is beside it, as written.
    pub text: String,
    pub actor_name: Option<String>,
    /// The name with its official badge, from the person's memberships.
    pub actor_person: Option<PersonName>,
    /// The party the actor spoke for, when they spoke for one.
    pub actor_kind: Option<PartyKind>,
    pub note: Option<String>,
    /// The party routed to, the rating given, the department whistled in.
    pub party_kind: Option<PartyKind>,
    pub rating: Option<i32>,
    pub department: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct EscalationView {
    pub id: i64,
    pub department: String,
    pub request: String,
    pub escalated_by_name: String,
    /// The name with its official badge, from the person's memberships.
    pub escalated_by_person: PersonName,
    pub escalated_at: DateTime<Utc>,
    pub response: Option<String>,
    pub responded_by_name: Option<String>,
    /// The name with its official badge, from the person's memberships.
    pub responded_by_person: Option<PersonName>,
    pub responded_at: Option<DateTime<Utc>>,
}

/// What the caller may do with a concern now.
#[derive(Serialize, ToSchema, Default)]
pub struct ConcernActions {
    pub route: bool,
    pub acknowledge: bool,
    pub reply: bool,
    pub resolve: bool,
    pub confirm: bool,
    pub reopen: bool,
    pub rate: bool,
    pub escalate: bool,
    pub add_photos: bool,
    pub open_agenda: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ConcernView {
    pub id: i64,
    pub community_id: i64,
    pub compound_id: i64,
    pub compound_name: String,
    pub building_id: Option<i64>,
    pub building_name: Option<String>,
    pub location: Option<String>,
    pub category: CategoryView,
    pub text: String,
    pub raised_by_name: String,
    /// The name with its official badge, from the person's memberships.
    pub raised_by_person: PersonName,
    pub mine: bool,
    pub status: ConcernStatus,
    pub assigned_kind: Option<PartyKind>,
    pub assigned_party_name: Option<String>,
    pub due_at: DateTime<Utc>,
    pub overdue: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub rating: Option<i32>,
    pub agenda_id: Option<i64>,
    /// For a breach report: the convention's article it says was broken.
    pub breach: Option<crate::conventions::BreachRef>,
    pub photos: Vec<FileView>,
    pub timeline: Vec<ConcernEventView>,
    pub escalations: Vec<EscalationView>,
    /// The meetings that took it up: each body's outcome, the parties' positions, and the action
    /// items set going, to done.
    pub meetings: Vec<crate::meetings::MeetingMention>,
    pub can: ConcernActions,
}
