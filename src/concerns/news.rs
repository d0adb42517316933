//! What the person who raised a concern is told when it moves, and which notices a step settles
//! for whoever takes it.
use serde_json::{Value, json};

use super::{ConcernStep, excerpt};
use crate::{notices::Deed, policy::PartyKind};

/// A step taken on a concern, as far as its raiser may hear of it.
pub struct Moved<'a> {
    pub step: ConcernStep,
    /// The raiser took it: nobody is told of their own step.
    pub by_raiser: bool,
    /// The note the step carries (a reply's text, a department's response).
    pub note: Option<&'a str>,
    /// The party the concern was routed to, or is with.
    pub party: Option<PartyKind>,
    /// What the timeline keeps of the step (a department's name).
    pub detail: &'a Value,
    /// The concern's own words, to say which concern a step without a note is about.
    pub text: &'a str,
}

/// The notice the raiser gets for a step, addressed to them alone (a concern may be private):
/// its kind and the parameters of its messages. `None` for the raiser's own steps and for steps
/// that change nothing for them.
pub fn raiser_notice(m: &Moved<'_>) -> Option<(&'static str, Value)> {
    if m.by_raiser {
        return None;
    }
    let note_or_text = || m.note.map_or_else(|| excerpt(m.text, 80), |n| excerpt(n, 120));
    let party = || m.party.map(PartyKind::as_str);
    let department = || m.detail.get("department").and_then(Value::as_str);
    Some(match m.step {
        ConcernStep::Routed => ("concern_passed_on", json!({ "party": party()?, "text": note_or_text() })),
        ConcernStep::Acknowledged => ("concern_taken_on", json!({ "party": party()?, "text": note_or_text() })),
        ConcernStep::Replied => ("concern_replied", json!({ "text": excerpt(m.note?, 120) })),
        ConcernStep::Resolved => ("concern_resolved", json!({ "with_note": m.note.is_some(), "note": m.note })),
        ConcernStep::Escalated => {
            ("concern_escalated", json!({ "department": department()?, "text": excerpt(m.text, 80) }))
        }
        ConcernStep::DepartmentResponded => {
            ("concern_department_responded", json!({ "department": department()?, "text": note_or_text() }))
        }
        ConcernStep::TurnedIntoAgenda => ("concern_became_agenda", json!({ "text": excerpt(m.text, 80) })),
        ConcernStep::Discussed => {
            let meeting = m.detail.get("meeting").and_then(Value::as_str)?;
            ("concern_discussed", json!({ "meeting": meeting, "text": excerpt(m.text, 80) }))
        }
        ConcernStep::TaskDone => {
            let task = m.detail.get("task").and_then(Value::as_str)?;
            ("concern_task_done", json!({ "task": task, "text": excerpt(m.text, 80) }))
        }
        ConcernStep::Raised
        | ConcernStep::Confirmed
        | ConcernStep::Reopened
        | ConcernStep::Rated
        | ConcernStep::PhotoAdded
        | ConcernStep::TaskSet => return None,
    })
}

/// What a notice about the concern asked of whoever takes `step`: routing answers a raised
/// concern, handling answers its routing, the raiser's word answers its resolution.
pub fn settles(step: ConcernStep) -> Option<Deed> {
    match step {
        ConcernStep::Routed => Some(Deed::RouteConcern),
        ConcernStep::Acknowledged | ConcernStep::Replied | ConcernStep::Resolved => Some(Deed::HandleConcern),
        ConcernStep::Confirmed | ConcernStep::Reopened | ConcernStep::Rated => Some(Deed::SettleConcern),
        ConcernStep::Raised
        | ConcernStep::Escalated
        | ConcernStep::DepartmentResponded
        | ConcernStep::TurnedIntoAgenda
        | ConcernStep::PhotoAdded
        | ConcernStep::Discussed
        | ConcernStep::TaskSet
        | ConcernStep::TaskDone => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{i18n::Lang, notices::text::render};

    fn moved<'a>(step: ConcernStep, note: Option<&'a str>, detail: &'a Value) -> Moved<'a> {
        Moved {
            step, by_raiser: false, note, party: Some(PartyKind::PropertyCompany), detail, text: "2单元电梯停运"
        }
    }

    #[test]
    fn the_raiser_hears_of_every_step_others_take_that_moves_the_concern() {
        let detail = json!({ "department": "城管执法队", "meeting": "北门垃圾问题三方协商会", "task": "每日清运" });
        let told: Vec<ConcernStep> = ConcernStep::ALL
            .into_iter()
            .filter(|&s| raiser_notice(&moved(s, Some("好的"), &detail)).is_some())
            .collect();
        use ConcernStep as S;
        assert_eq!(
            told,
            [
                S::Routed,
                S::Acknowledged,
                S::Replied,
                S::Resolved,
                S::Escalated,
                S::DepartmentResponded,
                S::TurnedIntoAgenda,
                S::Discussed,
                S::TaskDone
            ]
        );
    }

    #[test]
    fn nobody_is_told_of_their_own_step() {
        let detail = json!({ "department": "城管执法队" });
        for s in ConcernStep::ALL {
            let m = Moved { by_raiser: true, ..moved(s, Some("好的"), &detail) };
            assert_eq!(raiser_notice(&m), None, "{s:?}");
        }
    }

    #[test]
    fn a_routing_names_the_party_in_the_readers_language() {
        let (kind, params) = raiser_notice(&moved(ConcernStep::Routed, None, &json!({}))).unwrap();
        assert_eq!(kind, "concern_passed_on");
        assert_eq!(
            render(Lang::En, kind, &params).unwrap(),
            ("Your concern was passed to the property company".into(), "2单元电梯停运".into())
        );
        assert_eq!(render(Lang::Zh, kind, &params).unwrap().0, "您的诉求已转交物业公司");
        let (kind, params) = raiser_notice(&moved(ConcernStep::Acknowledged, Some("明早到场"), &json!({}))).unwrap();
        assert_eq!(render(Lang::En, kind, &params).unwrap().1, "明早到场");
    }

    #[test]
    fn every_notice_the_raiser_gets_renders_in_both_languages() {
        let detail = json!({ "department": "城管执法队", "meeting": "北门垃圾问题三方协商会", "task": "每日清运" });
        for s in ConcernStep::ALL {
            for note in [None, Some("好的")] {
                let Some((kind, params)) = raiser_notice(&moved(s, note, &detail)) else { continue };
                for lang in [Lang::En, Lang::Zh] {
                    let (title, body) = render(lang, kind, &params).unwrap_or_else(|| panic!("{kind} in {lang:?}"));
                    assert!(!title.contains('{') && !body.contains('{'), "{kind}: {title} / {body}");
                }
            }
        }
    }

    #[test]
    fn a_step_settles_what_was_asked_of_its_taker() {
        assert_eq!(settles(ConcernStep::Routed), Some(Deed::RouteConcern));
        assert_eq!(settles(ConcernStep::Resolved), Some(Deed::HandleConcern));
        assert_eq!(settles(ConcernStep::Reopened), Some(Deed::SettleConcern));
        assert_eq!(settles(ConcernStep::PhotoAdded), None);
    }
}
