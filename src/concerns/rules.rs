//! The pure rules of concerns: which step may follow which, when one falls due, who speaks for
//! which party.
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use crate::entities::concern::ConcernStatus;
use crate::{
    auth::Actor,
    entities::compound,
    i18n::Msg,
    msg,
    policy::{PartyKind, Role, party_kinds_of},
};

impl ConcernStatus {
    /// Not yet settled: what counts as open (and may fall overdue).
    pub const OPEN: [ConcernStatus; 4] =
        [ConcernStatus::Submitted, ConcernStatus::Routed, ConcernStatus::Acknowledged, ConcernStatus::Reopened];

    /// The status as stored.
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

    /// Not yet settled.
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
    /// A meeting took the concern up: what it reached goes on the timeline.
    Discussed,
    /// A meeting set an action item on it, for a party, by a date.
    TaskSet,
    /// The community office confirmed that action item done.
    TaskDone,
}

impl ConcernStep {
    /// Every step, in the order of a concern's life.
    pub const ALL: [ConcernStep; 15] = [
        ConcernStep::Raised,
        ConcernStep::Routed,
        ConcernStep::Acknowledged,
        ConcernStep::Replied,
        ConcernStep::Resolved,
        ConcernStep::Confirmed,
        ConcernStep::Reopened,
        ConcernStep::Rated,
        ConcernStep::Escalated,
        ConcernStep::DepartmentResponded,
        ConcernStep::TurnedIntoAgenda,
        ConcernStep::PhotoAdded,
        ConcernStep::Discussed,
        ConcernStep::TaskSet,
        ConcernStep::TaskDone,
    ];

    /// The step as stored on the timeline.
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
            ConcernStep::Discussed => "discussed",
            ConcernStep::TaskSet => "task_set",
            ConcernStep::TaskDone => "task_done",
        }
    }

    /// The step stored as `s`, if it is one.
    pub fn parse(s: &str) -> Option<ConcernStep> {
        ConcernStep::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Taken by the person who raised the concern rather than by someone speaking for a party.
    pub fn by_raiser(self) -> bool {
        matches!(self, ConcernStep::Confirmed | ConcernStep::Reopened | ConcernStep::Rated | ConcernStep::PhotoAdded)
    }
}

/// Why a step is refused in the concern's present state: (code, message).
pub type Refusal = (&'static str, Msg);

/// The status a concern moves to when `step` is taken in `status`, or why it cannot be.
/// Steps that leave the status alone (a reply, an escalation) answer the same status.
pub fn next_status(status: ConcernStatus, step: ConcernStep) -> Result<ConcernStatus, Refusal> {
    use ConcernStatus as S;
    match step {
        ConcernStep::Routed => match status {
            S::Submitted | S::Routed | S::Acknowledged | S::Reopened => Ok(S::Routed),
            _ => Err(("concern_resolved", msg!("concern_resolved_not_routable"))),
        },
        ConcernStep::Acknowledged => match status {
            S::Routed | S::Reopened => Ok(S::Acknowledged),
            S::Submitted => Err(("concern_not_routed", msg!("concern_not_routed"))),
            _ => Err(("concern_not_waiting", msg!("concern_not_waiting"))),
        },
        ConcernStep::Resolved => match status {
            S::Routed | S::Acknowledged | S::Reopened => Ok(S::Resolved),
            S::Submitted => Err(("concern_not_routed", msg!("concern_not_routed"))),
            _ => Err(("concern_resolved", msg!("concern_already_resolved"))),
        },
        ConcernStep::Confirmed | ConcernStep::Reopened => match status {
            S::Resolved => Ok(if step == ConcernStep::Confirmed { S::Confirmed } else { S::Reopened }),
            _ => Err(("concern_not_resolved", msg!("concern_not_resolved"))),
        },
        ConcernStep::Rated => match status {
            S::Resolved | S::Confirmed => Ok(status),
            _ => Err(("concern_not_resolved", msg!("concern_rated_once_resolved"))),
        },
        ConcernStep::Replied | ConcernStep::Escalated | ConcernStep::PhotoAdded | ConcernStep::TurnedIntoAgenda => {
            if status == S::Confirmed {
                Err(("concern_settled", msg!("concern_settled")))
            } else {
                Ok(status)
            }
        }
        // A meeting never settles a concern: the party handling it resolves it and whoever raised
        // it confirms. What the meeting reached is on the record whatever the status.
        ConcernStep::DepartmentResponded | ConcernStep::Discussed | ConcernStep::TaskSet | ConcernStep::TaskDone => {
            Ok(status)
        }
        ConcernStep::Raised => Err(("concern_exists", msg!("concern_exists"))),
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
pub fn check_rating(rating: i32) -> Result<i32, Msg> {
    if (1..=5).contains(&rating) { Ok(rating) } else { Err(msg!("concern_rating_out_of_range")) }
}

/// The first `n` characters of `text`, with an ellipsis when there was more.
pub fn excerpt(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        out.push('…');
    }
    out
}

/// The parties an actor speaks for in a compound: the community office for its staff, the
/// property company or owners' committee for theirs.
pub fn party_kinds(actor: &Actor, c: &compound::Model) -> Vec<PartyKind> {
    party_kinds_of(actor.roles_in_compound(c))
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
    fn an_open_concern_may_be_routed_again_to_another_party() {
        for s in [S::Submitted, S::Routed, S::Acknowledged, S::Reopened] {
            assert_eq!(next_status(s, Step::Routed), Ok(S::Routed), "from {s:?}");
        }
    }

    #[test]
    fn replies_escalations_photos_and_agendas_leave_the_status_alone_until_it_is_confirmed() {
        for step in [Step::Replied, Step::Escalated, Step::PhotoAdded, Step::TurnedIntoAgenda] {
            for s in [S::Submitted, S::Routed, S::Acknowledged, S::Resolved, S::Reopened] {
                assert_eq!(next_status(s, step), Ok(s), "{step:?} from {s:?}");
            }
            assert_eq!(next_status(S::Confirmed, step).unwrap_err().0, "concern_settled");
        }
    }

    #[test]
    fn a_department_may_answer_at_any_time() {
        for s in [S::Submitted, S::Routed, S::Acknowledged, S::Resolved, S::Confirmed, S::Reopened] {
            assert_eq!(next_status(s, Step::DepartmentResponded), Ok(s));
        }
    }

    #[test]
    fn steps_out_of_order_are_refused_with_a_reason() {
        assert_eq!(next_status(S::Submitted, Step::Acknowledged).unwrap_err().0, "concern_not_routed");
        assert_eq!(next_status(S::Resolved, Step::Acknowledged).unwrap_err().0, "concern_not_waiting");
        assert_eq!(next_status(S::Submitted, Step::Resolved).unwrap_err().0, "concern_not_routed");
        assert_eq!(next_status(S::Resolved, Step::Resolved).unwrap_err().0, "concern_resolved");
        assert_eq!(next_status(S::Acknowledged, Step::Confirmed).unwrap_err().0, "concern_not_resolved");
        assert_eq!(next_status(S::Routed, Step::Rated).unwrap_err().0, "concern_not_resolved");
        assert_eq!(next_status(S::Resolved, Step::Routed).unwrap_err().0, "concern_resolved");
        assert_eq!(next_status(S::Confirmed, Step::Replied).unwrap_err().0, "concern_settled");
        assert_eq!(next_status(S::Confirmed, Step::Reopened).unwrap_err().0, "concern_not_resolved");
        assert_eq!(next_status(S::Submitted, Step::Raised).unwrap_err().0, "concern_exists");
    }

    #[test]
    fn only_the_raiser_confirms_reopens_rates_and_adds_photos() {
        let by_raiser: Vec<Step> = Step::ALL.into_iter().filter(|s| s.by_raiser()).collect();
        assert_eq!(by_raiser, [Step::Confirmed, Step::Reopened, Step::Rated, Step::PhotoAdded]);
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
    fn steps_round_trip_through_their_names() {
        for s in Step::ALL {
            assert_eq!(Step::parse(s.as_str()), Some(s));
        }
        assert_eq!(Step::parse("department_responded"), Some(Step::DepartmentResponded));
        assert_eq!(Step::parse("nonsense"), None);
    }

    #[test]
    fn statuses_are_stored_under_their_names() {
        use sea_orm::ActiveEnum;
        for s in [S::Submitted, S::Routed, S::Acknowledged, S::Resolved, S::Confirmed, S::Reopened] {
            assert_eq!(s.to_value(), s.as_str());
            assert_eq!(S::try_from_value(&s.as_str().to_owned()).ok(), Some(s));
        }
    }

    #[test]
    fn excerpts_end_with_an_ellipsis_only_when_cut() {
        assert_eq!(excerpt("北门外垃圾", 3), "北门外…");
        assert_eq!(excerpt("北门", 3), "北门");
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
