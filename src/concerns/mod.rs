//! Residents' concerns (诉求): raised from a phone, routed by the community office to the party
//! whose duty it is (分类解决), acknowledged, answered and resolved by that party, then confirmed
//! or reopened and rated by the person who raised it. The secretary may escalate one to an outside
//! department (街乡吹哨、部门报到). Every step lands on the concern's timeline and the audit chain.
pub mod categories;
pub mod dashboard;
mod ops;
mod views;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use categories::{categories_of, seed_categories};
pub use ops::*;
pub use views::*;

use crate::{
    auth::Actor,
    entities::{compound, concern_category, membership},
    error::AppResult,
    policy::{PartyKind, Role, RoleScope},
};

/// Photos a concern may carry.
pub const MAX_PHOTOS: usize = 6;

/// Where a concern stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConcernStatus {
    /// Raised, waiting for the community office to route it.
    Submitted,
    /// Routed to a party, not yet acknowledged.
    Routed,
    /// The party has taken it on.
    Acknowledged,
    /// The party says it is settled; the raiser confirms or reopens.
    Resolved,
    /// The raiser agrees it is settled.
    Confirmed,
    /// The raiser says it is not settled after all.
    Reopened,
}

impl ConcernStatus {
    pub const ALL: [ConcernStatus; 6] = [
        ConcernStatus::Submitted,
        ConcernStatus::Routed,
        ConcernStatus::Acknowledged,
        ConcernStatus::Resolved,
        ConcernStatus::Confirmed,
        ConcernStatus::Reopened,
    ];

    /// Not yet settled: what counts as open (and may fall overdue).
    pub const OPEN: [ConcernStatus; 4] =
        [ConcernStatus::Submitted, ConcernStatus::Routed, ConcernStatus::Acknowledged, ConcernStatus::Reopened];

    pub fn as_str(self) -> &'static str {
        match self {
            ConcernStatus::Submitted => "submitted",
            ConcernStatus::Routed => "routed",
            ConcernStatus::Acknowledged => "acknowledged",
            ConcernStatus::Resolved => "resolved",
            ConcernStatus::Confirmed => "confirmed",
            ConcernStatus::Reopened => "reopened",
        }
    }

    pub fn parse(s: &str) -> ConcernStatus {
        ConcernStatus::ALL.into_iter().find(|x| x.as_str() == s).unwrap_or(ConcernStatus::Submitted)
    }

    pub fn is_open(self) -> bool {
        ConcernStatus::OPEN.contains(&self)
    }
}

/// A step on a concern's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConcernStep {
    Raised,
    Routed,
    Acknowledged,
    Replied,
    Resolved,
    Confirmed,
    Reopened,
    Rated,
    Escalated,
    DepartmentResponded,
    TurnedIntoAgenda,
    PhotoAdded,
}

impl ConcernStep {
    pub fn as_str(self) -> &'static str {
        match self {
            ConcernStep::Raised => "raised",
            ConcernStep::Routed => "routed",
            ConcernStep::Acknowledged => "acknowledged",
            ConcernStep::Replied => "replied",
            ConcernStep::Resolved => "resolved",
            ConcernStep::Confirmed => "confirmed",
            ConcernStep::Reopened => "reopened",
            ConcernStep::Rated => "rated",
            ConcernStep::Escalated => "escalated",
            ConcernStep::DepartmentResponded => "department_responded",
            ConcernStep::TurnedIntoAgenda => "turned_into_agenda",
            ConcernStep::PhotoAdded => "photo_added",
        }
    }

    pub fn parse(s: &str) -> Option<ConcernStep> {
        use ConcernStep::*;
        [
            Raised,
            Routed,
            Acknowledged,
            Replied,
            Resolved,
            Confirmed,
            Reopened,
            Rated,
            Escalated,
            DepartmentResponded,
            TurnedIntoAgenda,
            PhotoAdded,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// Why a step is refused in the concern's present state: (code, message).
pub type Refusal = (&'static str, &'static str);

/// The status a concern moves to when `step` is taken in `status`, or why it cannot be.
/// Steps that leave the status alone (a reply, an escalation) answer the same status.
pub fn next_status(status: ConcernStatus, step: ConcernStep) -> Result<ConcernStatus, Refusal> {
    use ConcernStatus as S;
    const SETTLED: Refusal = ("concern_settled", "this concern has been confirmed as settled");
    match step {
        ConcernStep::Routed => match status {
            S::Submitted | S::Routed | S::Acknowledged | S::Reopened => Ok(S::Routed),
            _ => Err(("concern_resolved", "a resolved concern cannot be routed again")),
        },
        ConcernStep::Acknowledged => match status {
            S::Routed | S::Reopened => Ok(S::Acknowledged),
            S::Submitted => Err(("concern_not_routed", "this concern has not been routed yet")),
            _ => Err(("concern_not_waiting", "this concern is not waiting to be acknowledged")),
        },
        ConcernStep::Resolved => match status {
            S::Routed | S::Acknowledged | S::Reopened => Ok(S::Resolved),
            S::Submitted => Err(("concern_not_routed", "this concern has not been routed yet")),
            _ => Err(("concern_resolved", "this concern is already resolved")),
        },
        ConcernStep::Confirmed | ConcernStep::Reopened => match status {
            S::Resolved => Ok(if step == ConcernStep::Confirmed { S::Confirmed } else { S::Reopened }),
            _ => Err(("concern_not_resolved", "only a resolved concern can be confirmed or reopened")),
        },
        ConcernStep::Rated => match status {
            S::Resolved | S::Confirmed => Ok(status),
            _ => Err(("concern_not_resolved", "a concern is rated once it is resolved")),
        },
        ConcernStep::Replied | ConcernStep::Escalated | ConcernStep::PhotoAdded | ConcernStep::TurnedIntoAgenda => {
            if status == S::Confirmed {
                Err(SETTLED)
            } else {
                Ok(status)
            }
        }
        ConcernStep::DepartmentResponded => Ok(status),
        ConcernStep::Raised => Err(("concern_exists", "this concern has already been raised")),
    }
}

/// Past its category's time limit and still not settled.
pub fn is_overdue(status: ConcernStatus, due_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    status.is_open() && now > due_at
}

/// When a concern raised at `at` falls due.
pub fn due_at(at: DateTime<Utc>, time_limit_hours: i32) -> DateTime<Utc> {
    at + Duration::hours(time_limit_hours.max(1) as i64)
}

/// A satisfaction rating: 1 to 5.
pub fn check_rating(rating: i32) -> Result<i32, &'static str> {
    if (1..=5).contains(&rating) { Ok(rating) } else { Err("must be a whole number from 1 to 5") }
}

/// The parties an actor speaks for in a compound: the community office for its staff, the
/// property company or owners' committee for theirs.
pub fn party_kinds(actor: &Actor, c: &compound::Model) -> Vec<PartyKind> {
    let mut kinds: Vec<PartyKind> = actor
        .roles_in_compound(c)
        .into_iter()
        .filter_map(|r| match r.scope() {
            RoleScope::Community => Some(PartyKind::CommunityOffice),
            RoleScope::Party(k) => Some(k),
            _ => None,
        })
        .collect();
    kinds.sort_by_key(|k| k.as_str());
    kinds.dedup();
    kinds
}

/// The party an actor speaks for first (the community office before the others), if any.
pub fn main_party(kinds: &[PartyKind]) -> Option<PartyKind> {
    [PartyKind::CommunityOffice, PartyKind::OwnersCommittee, PartyKind::PropertyCompany]
        .into_iter()
        .find(|k| kinds.contains(k))
}

/// The roles that make up a party.
pub fn party_roles(kind: PartyKind) -> [Role; 2] {
    match kind {
        PartyKind::CommunityOffice => [Role::Secretary, Role::CommunityStaff],
        PartyKind::PropertyCompany => [Role::PropertyManager, Role::PropertyStaff],
        PartyKind::OwnersCommittee => [Role::CommitteeChair, Role::CommitteeMember],
    }
}

/// The accounts of a party of `c`: its compound's members, or for the community office, the
/// community-wide staff.
pub async fn party_members(db: &impl ConnectionTrait, c: &compound::Model, kind: PartyKind) -> AppResult<Vec<i64>> {
    let roles = party_roles(kind).map(|r| r.as_str());
    let mut find = membership::Entity::find().filter(membership::Column::Role.is_in(roles));
    find = match kind {
        PartyKind::CommunityOffice => find
            .filter(membership::Column::CommunityId.eq(c.community_id))
            .filter(membership::Column::CompoundId.is_null()),
        _ => find.filter(membership::Column::CompoundId.eq(c.id)),
    };
    Ok(find.all(db).await?.into_iter().map(|m| m.user_id).collect())
}

/// The categories every community starts with: (key, 中文, English, party on duty, hours to settle).
pub const DEFAULT_CATEGORIES: [(&str, &str, &str, PartyKind, i32); 8] = [
    ("hygiene", "环境卫生", "Hygiene", PartyKind::PropertyCompany, 72),
    ("facilities", "公共设施", "Public facilities", PartyKind::PropertyCompany, 168),
    ("repairs", "维修", "Repairs", PartyKind::PropertyCompany, 72),
    ("safety", "安全隐患", "Safety", PartyKind::PropertyCompany, 24),
    ("pets", "养犬宠物", "Pets", PartyKind::OwnersCommittee, 168),
    ("parking", "停车", "Parking", PartyKind::PropertyCompany, 168),
    ("noise", "噪音扰民", "Noise", PartyKind::CommunityOffice, 72),
    ("other", "其他", "Other", PartyKind::CommunityOffice, 168),
];

/// Insert rows for categories (used by seeding).
pub fn category_rows(community_id: i64) -> Vec<concern_category::ActiveModel> {
    DEFAULT_CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, (key, zh, en, party, hours))| concern_category::ActiveModel {
            community_id: Set(community_id),
            key: Set((*key).into()),
            name_zh: Set((*zh).into()),
            name_en: Set((*en).into()),
            default_party_kind: Set(party.as_str().into()),
            time_limit_hours: Set(*hours),
            position: Set(i as i32 + 1),
            ..Default::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConcernStatus as S;
    use ConcernStep as Step;

    #[test]
    fn a_concern_goes_from_raised_to_confirmed() {
        let mut s = S::Submitted;
        for (step, want) in [
            (Step::Routed, S::Routed),
            (Step::Acknowledged, S::Acknowledged),
            (Step::Replied, S::Acknowledged),
            (Step::Resolved, S::Resolved),
            (Step::Rated, S::Resolved),
            (Step::Confirmed, S::Confirmed),
        ] {
            s = next_status(s, step).unwrap();
            assert_eq!(s, want, "after {step:?}");
        }
    }

    #[test]
    fn a_reopened_concern_is_taken_on_again() {
        let s = next_status(S::Resolved, Step::Reopened).unwrap();
        assert_eq!(s, S::Reopened);
        assert_eq!(next_status(s, Step::Acknowledged), Ok(S::Acknowledged));
        assert_eq!(next_status(s, Step::Resolved), Ok(S::Resolved));
    }

    #[test]
    fn steps_out_of_order_are_refused_with_a_reason() {
        assert_eq!(next_status(S::Submitted, Step::Acknowledged).unwrap_err().0, "concern_not_routed");
        assert_eq!(next_status(S::Submitted, Step::Resolved).unwrap_err().0, "concern_not_routed");
        assert_eq!(next_status(S::Acknowledged, Step::Confirmed).unwrap_err().0, "concern_not_resolved");
        assert_eq!(next_status(S::Routed, Step::Rated).unwrap_err().0, "concern_not_resolved");
        assert_eq!(next_status(S::Resolved, Step::Routed).unwrap_err().0, "concern_resolved");
        assert_eq!(next_status(S::Confirmed, Step::Replied).unwrap_err().0, "concern_settled");
        assert_eq!(next_status(S::Confirmed, Step::Reopened).unwrap_err().0, "concern_not_resolved");
    }

    #[test]
    fn overdue_means_past_the_limit_and_still_open() {
        let t = Utc::now();
        let due = due_at(t, 72);
        assert_eq!(due - t, Duration::hours(72));
        assert!(!is_overdue(S::Routed, due, due));
        assert!(is_overdue(S::Routed, due, due + Duration::seconds(1)));
        assert!(is_overdue(S::Reopened, due, due + Duration::days(3)));
        assert!(!is_overdue(S::Resolved, due, due + Duration::days(3)));
        assert!(!is_overdue(S::Confirmed, due, due + Duration::days(3)));
    }

    #[test]
    fn ratings_run_from_one_to_five() {
        assert!(check_rating(0).is_err());
        assert!(check_rating(6).is_err());
        assert_eq!(check_rating(1), Ok(1));
        assert_eq!(check_rating(5), Ok(5));
    }

    #[test]
    fn statuses_and_steps_round_trip_through_their_names() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), s);
        }
        assert_eq!(ConcernStep::parse("department_responded"), Some(Step::DepartmentResponded));
        assert_eq!(ConcernStep::parse("nonsense"), None);
    }

    #[test]
    fn the_community_office_speaks_first() {
        assert_eq!(
            main_party(&[PartyKind::PropertyCompany, PartyKind::CommunityOffice]),
            Some(PartyKind::CommunityOffice)
        );
        assert_eq!(main_party(&[]), None);
    }
}
