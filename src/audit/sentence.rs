//! Each event of the trail told as a sentence in the reader's language, from the template
//! `audit.<action>`: "李书记 routed concern #7 to the property company".
//!
//! A template's parameters are filled from the event: `{actor}` is the actor's name (or the
//! system), `{id}` the number of its subject (`vote:12` gives 12), `{party}` and `{role}` the
//! words for the party or role its detail names, and any other parameter the detail's value of
//! that name: a code the catalogue has a word for under the parameter's name (`route.vote`,
//! `channel.paper`) is told by that word, anything else shown as it was written. An event whose template is missing, or whose detail lacks
//! a value the template needs, is told by the generic `audit.other` sentence, which names the
//! action.
use serde_json::Value;

use crate::{
    i18n::Lang,
    i18n::{params, render, template},
};

/// An event as its reader may see it. Its detail is what the reader may read: a secret vote's
/// ballot events are told from their redacted detail.
pub struct Told<'a> {
    pub action: &'a str,
    /// What it happened to, e.g. `vote:12`.
    pub subject: &'a str,
    pub detail: &'a Value,
}

/// The event as a sentence in `lang`; `actor` is the name of whoever acted, none for the system.
pub fn sentence(lang: Lang, event: &Told<'_>, actor: Option<&str>) -> String {
    let actor = actor.map_or_else(|| word(lang, "audit.system"), str::to_owned);
    let arg = |name: &str| match name {
        "actor" => Some(actor.clone()),
        "id" => event.subject.split_once(':').map(|(_, id)| id.to_owned()),
        "party" => kind_word(lang, "party", event.detail.get("party").or_else(|| event.detail.get("party_kind"))),
        "role" => kind_word(lang, "role", event.detail.get("role")),
        other => kind_word(lang, other, event.detail.get(other)).or_else(|| scalar(event.detail.get(other))),
    };
    fill(lang, &format!("audit.{}", event.action), arg).unwrap_or_else(|| {
        let other = |name: &str| match name {
            "action" => Some(event.action.to_owned()),
            "subject" => Some(event.subject.to_owned()),
            _ => Some(actor.clone()),
        };
        fill(lang, "audit.other", other).unwrap_or_default()
    })
}

/// `key`'s template in `lang` with every parameter filled by `arg`; none when the template is
/// missing or `arg` has no value for one of its parameters.
pub fn fill(lang: Lang, key: &str, arg: impl Fn(&str) -> Option<String>) -> Option<String> {
    if params(template(lang, key)?).into_iter().any(|name| arg(name).is_none()) {
        return None;
    }
    render(lang, key, arg)
}

/// A word of the catalogue (a template without parameters); its key when there is none.
pub fn word(lang: Lang, key: &str) -> String {
    template(lang, key).unwrap_or(key).to_owned()
}

/// The word for the code `value` of the family `family` (`party.property_company`); none for a
/// code the catalogue does not know, so that a raw code is never shown.
pub fn kind_word(lang: Lang, family: &str, value: Option<&Value>) -> Option<String> {
    template(lang, &format!("{family}.{}", value?.as_str()?)).map(str::to_owned)
}

/// A text or a number of an event's detail, as written.
pub fn scalar(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::{collections::BTreeSet, path::Path};

    use serde_json::json;

    use super::*;

    fn told<'a>(action: &'a str, subject: &'a str, detail: &'a Value) -> Told<'a> {
        Told { action, subject, detail }
    }

    #[test]
    fn a_routing_is_told_with_the_party_in_either_language() {
        let detail = json!({ "party_kind": "property_company", "from": "submitted", "to": "routed" });
        let e = told("concern.routed", "concern:7", &detail);
        assert_eq!(sentence(Lang::En, &e, Some("李书记")), "李书记 routed concern #7 to the property company");
        assert_eq!(sentence(Lang::Zh, &e, Some("李书记")), "李书记将诉求 #7 转交物业公司");
    }

    #[test]
    fn user_content_is_shown_as_written_and_roles_in_words() {
        let detail = json!({ "title": "关于更换电梯的表决", "matter": "other" });
        let e = told("vote.drafted", "vote:12", &detail);
        assert_eq!(sentence(Lang::En, &e, Some("陈委员")), "陈委员 drafted vote #12 “关于更换电梯的表决”");
        let detail = json!({ "role": "property_staff", "membership": 3 });
        let e = told("role.granted", "user:5", &detail);
        assert_eq!(sentence(Lang::En, &e, Some("admin")), "admin gave account #5 the role “Property staff”");
        assert_eq!(sentence(Lang::Zh, &e, Some("admin")), "admin授予账号 #5“物业工作人员”角色");
    }

    #[test]
    fn codes_are_told_in_words_and_user_text_as_written() {
        let detail = json!({ "action": "repeal", "route": "pledge", "version": 2, "digest": "ab12" });
        let e = told("convention.put", "convention:3", &detail);
        let zh = sentence(Lang::Zh, &e, Some("陈委员"));
        let en = sentence(Lang::En, &e, Some("陈委员"));
        assert!(zh.contains("倡议") && zh.contains("废止") && !zh.contains("pledge") && !zh.contains("repeal"), "{zh}");
        assert!(en.contains("pledge") && en.contains("repeal") && !en.contains("(repeal)"), "{en}");
        // A reason written by its author stays as written; a coded one is told in words.
        for (reason, word) in [("edited", "修改"), ("补充第五条", "补充第五条")] {
            let detail = json!({ "version": 2, "digest": "ab", "reason": reason });
            let s = sentence(Lang::Zh, &told("convention.saved", "convention:3", &detail), Some("陈"));
            assert!(s.contains(word), "{s}");
        }
        let detail = json!({ "version": 1, "holder_id": 9, "channel": "paper" });
        let s = sentence(Lang::Zh, &told("convention.acknowledged", "convention:3", &detail), Some("张"));
        assert!(s.contains("纸质") && !s.contains("paper"), "{s}");
    }

    #[test]
    fn the_system_acts_when_no_one_did() {
        let detail = json!({ "username": "root" });
        let e = told("account.admin_created", "user:1", &detail);
        assert_eq!(sentence(Lang::En, &e, None), "The system created the administrator account root");
        assert_eq!(sentence(Lang::Zh, &e, None), "系统创建了管理员账号“root”");
    }

    #[test]
    fn an_unknown_action_or_a_missing_value_is_told_generically() {
        let detail = json!({});
        let e = told("vote.something_new", "vote:3", &detail);
        assert_eq!(sentence(Lang::En, &e, Some("王")), "王: vote.something_new (vote:3)");
        // A routing whose party is missing, or is a code the catalogue does not know.
        let e = told("concern.routed", "concern:7", &detail);
        assert_eq!(sentence(Lang::Zh, &e, Some("王")), "王：concern.routed（concern:7）");
        let detail = json!({ "party_kind": "city_hall" });
        let e = told("concern.routed", "concern:7", &detail);
        assert!(!sentence(Lang::En, &e, Some("王")).contains("city_hall"));
    }

    #[test]
    fn a_secret_ballot_is_told_from_its_redacted_detail() {
        // What the trail withholds of a secret vote's ballot (see `votes::secrecy`) is gone before
        // the sentence is made, and no ballot sentence names a choice even when it is there.
        for detail in [
            json!({ "vote": 4, "holder": 9, "channel": "paper", "status": "pending", "serial": "S-1" }),
            json!({ "vote": 4, "holder": 9, "channel": "paper", "status": "pending", "serial": "S-1",
                    "choice": "agree", "digest": "ab" }),
        ] {
            for action in ["ballot.cast", "ballot.paper_entered", "ballot.paper_confirmed", "ballot.replaced"] {
                for lang in [Lang::En, Lang::Zh] {
                    let s = sentence(lang, &told(action, "vote:4", &detail), Some("张"));
                    assert!(s.contains("#4") && !s.contains("agree") && !s.contains("ab"), "{s}");
                }
            }
        }
    }

    /// Every string literal of the form `area.verb` in the source files under `dir`, but this
    /// one.
    fn dotted_literals(dir: &Path, found: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dotted_literals(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("audit/sentence.rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                // Every stretch between two quotes: each literal is one (the code between two
                // literals is too, but never has the form).
                for literal in text.split('"').skip(1) {
                    let mut parts = literal.split('.');
                    let dotted = (parts.next(), parts.next(), parts.next());
                    let word = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
                    if let (Some(area), Some(verb), None) = dotted
                        && word(area)
                        && word(verb)
                    {
                        found.insert(literal.to_owned());
                    }
                }
            }
        }
    }

    /// Literals of that form that are no action: file names.
    const NOT_ACTIONS: [&str; 2] = ["index.html", "sanfang.db"];

    #[test]
    fn every_action_written_in_the_source_has_a_sentence() {
        let mut found = BTreeSet::new();
        dotted_literals(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut found);
        let keys: BTreeSet<&str> = crate::i18n::catalogue(Lang::En).map(|(k, _)| k).collect();
        let actions: Vec<&String> =
            found.iter().filter(|l| !keys.contains(l.as_str()) && !NOT_ACTIONS.contains(&l.as_str())).collect();
        assert!(actions.len() > 50, "the source was not read: {actions:?}");
        for action in actions {
            for lang in [Lang::En, Lang::Zh] {
                assert!(template(lang, &format!("audit.{action}")).is_some(), "{action} has no sentence in {lang:?}");
            }
        }
    }
}
