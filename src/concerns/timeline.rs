//! A concern's timeline told as sentences in the reader's language, from the template
//! `timeline.<step>`: "The community office routed the concern to the property company".
//!
//! `{who}` is the party the step was taken for ("The community office"), or the name of the
//! person who took it for themselves; `{party}` is the party the concern was routed to, and any
//! other parameter the value of that name in the step's detail (a department, a rating), shown
//! as written. Notes stay beside the sentence, as their writers wrote them.
use serde_json::Value;

use super::ConcernStep;
use crate::{
    audit::sentence::{fill, kind_word, scalar, word},
    i18n::Lang,
    policy::PartyKind,
};

/// Who took a step, as the timeline names them: the party they spoke for, else their name.
pub struct Taker<'a> {
    pub kind: Option<PartyKind>,
    pub name: Option<&'a str>,
}

/// The step as a sentence in `lang`, with the detail kept on the timeline.
pub fn step_sentence(lang: Lang, step: ConcernStep, taker: &Taker<'_>, detail: &Value) -> String {
    let who = taker_words(lang, taker);
    let arg = |name: &str| match name {
        "who" => Some(who.clone()),
        "party" => kind_word(lang, "party", detail.get("party_kind")),
        "outcome" => kind_word(lang, "meeting_outcome", detail.get("outcome")),
        other => scalar(detail.get(other)),
    };
    fill(lang, &format!("timeline.{}", step.as_str()), arg)
        .or_else(|| fill(lang, "timeline.other", |_| Some(who.clone())))
        .unwrap_or(who)
}

/// "The community office", or the person's name, or the system.
fn taker_words(lang: Lang, taker: &Taker<'_>) -> String {
    let party = taker.kind.map(|k| Value::String(k.as_str().to_owned()));
    match kind_word(lang, "party", party.as_ref()) {
        Some(party) => fill(lang, "timeline.by_party", |_| Some(party.clone())).unwrap_or(party),
        None => taker.name.map_or_else(|| word(lang, "audit.system"), str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_routing_is_told_by_the_party_that_routed_it() {
        let office = Taker { kind: Some(PartyKind::CommunityOffice), name: Some("李书记") };
        let detail = json!({ "party_kind": "property_company" });
        assert_eq!(
            step_sentence(Lang::En, ConcernStep::Routed, &office, &detail),
            "The community office routed the concern to the property company"
        );
        assert_eq!(step_sentence(Lang::Zh, ConcernStep::Routed, &office, &detail), "社区居委会将诉求转交物业公司");
    }

    #[test]
    fn a_raiser_is_named_and_the_detail_shown_as_written() {
        let raiser = Taker { kind: None, name: Some("王大妈") };
        assert_eq!(step_sentence(Lang::En, ConcernStep::Raised, &raiser, &json!({})), "王大妈 raised the concern");
        let rated = step_sentence(Lang::Zh, ConcernStep::Rated, &raiser, &json!({ "rating": 4 }));
        assert_eq!(rated, "王大妈评价办理结果 4 分（满分 5 分）");
        let office = Taker { kind: Some(PartyKind::CommunityOffice), name: None };
        let called = step_sentence(Lang::En, ConcernStep::Escalated, &office, &json!({ "department": "城管执法队" }));
        assert_eq!(called, "The community office called in 城管执法队");
    }

    #[test]
    fn a_step_missing_its_detail_is_still_told() {
        let office = Taker { kind: Some(PartyKind::CommunityOffice), name: None };
        let told = step_sentence(Lang::En, ConcernStep::Routed, &office, &json!({ "party_kind": "city_hall" }));
        assert_eq!(told, "The community office took a step on the concern");
    }

    #[test]
    fn every_step_has_a_sentence_on_the_timeline_and_the_trail() {
        for step in ConcernStep::ALL {
            for lang in [Lang::En, Lang::Zh] {
                for key in [format!("timeline.{}", step.as_str()), format!("audit.concern.{}", step.as_str())] {
                    assert!(crate::i18n::template(lang, &key).is_some(), "{key} is missing in {lang:?}");
                }
            }
        }
    }
}
