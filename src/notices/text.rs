//! What a notice says. A notice the server writes is its kind and parameters: its title and body
//! are the messages `notice.<kind>.title` and `notice.<kind>.body`, rendered in each reader's
//! language. A party's notice is the party's own words, shown as written.
//!
//! A parameter (a JSON object's member) is shown as:
//! - a time, named `…_at`, `…_from` or `…_until` and stored in RFC 3339: `YYYY-MM-DD HH:MM`,
//!   China time (UTC+8), in every language;
//! - a code of a family of words ([`CODED`]): that word's message, `result` = `passed` as
//!   `result.passed`;
//! - `{"zh": …, "en": …}`: the text in the reader's language (a concern category's two names);
//! - `true`: the kind's clause `notice.<kind>.<name>`, rendered from the same parameters;
//!   `false` or `null`: nothing;
//! - any other text or number: as it is (titles, names, reasons, counts).
use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use crate::{entities::notice, i18n, i18n::Lang};

/// The families of words a parameter names by its code: the parameter `result` holding
/// `passed` is shown as the message `result.passed`; `party` holding `property_company` as
/// `party.property_company`.
const CODED: &[&str] = &["result", "party", "outcome", "route"];

/// What a new notice says.
pub enum NoticeText {
    /// A notice the server writes: the parameters of its kind's messages, a JSON object.
    Params(Value),
    /// A party's own words, shown as written.
    Written { title: String, body: String },
}

/// The title and body of a notice of `kind` with `params` in `lang`; `None` when the catalogue
/// has no messages for `kind`.
pub fn render(lang: Lang, kind: &str, params: &Value) -> Option<(String, String)> {
    Some((part(lang, kind, "title", params)?, part(lang, kind, "body", params)?))
}

/// The title and body of a stored notice in `lang`: rendered from its parameters when it has
/// them, else as stored (a party's words, and notices stored before they had parameters).
pub fn shown(n: &notice::Model, lang: Lang) -> (String, String) {
    n.params
        .as_deref()
        .and_then(|p| serde_json::from_str::<Value>(p).ok())
        .and_then(|p| render(lang, &n.kind, &p))
        .unwrap_or_else(|| (n.title.clone(), n.body.clone()))
}

/// The message `notice.<kind>.<part>` in `lang`.
fn part(lang: Lang, kind: &str, part: &str, params: &Value) -> Option<String> {
    i18n::render(lang, &format!("notice.{kind}.{part}"), |name| value(lang, kind, name, params))
}

/// How parameter `name` shows in `lang`; `None` (left as written) when it is missing.
fn value(lang: Lang, kind: &str, name: &str, params: &Value) -> Option<String> {
    match params.get(name)? {
        Value::Null | Value::Bool(false) => Some(String::new()),
        Value::Bool(true) => part(lang, kind, name, params),
        Value::Number(n) => Some(n.to_string()),
        Value::String(code) if CODED.contains(&name) => {
            Some(i18n::render(lang, &format!("{name}.{code}"), |_| None).unwrap_or_else(|| code.clone()))
        }
        Value::String(s) if is_time(name) => {
            Some(DateTime::parse_from_rfc3339(s).map_or_else(|_| s.clone(), china_time))
        }
        Value::String(s) => Some(s.clone()),
        Value::Object(texts) => {
            let text = texts.get(if lang == Lang::Zh { "zh" } else { "en" }).or_else(|| texts.get("zh"));
            text.and_then(Value::as_str).map(str::to_owned)
        }
        Value::Array(_) => None,
    }
}

/// Whether parameter `name` holds a time.
fn is_time(name: &str) -> bool {
    name.ends_with("_at") || name.ends_with("_from") || name.ends_with("_until")
}

/// A time as people in the compound read it, China time, in every language.
fn china_time(t: DateTime<FixedOffset>) -> String {
    crate::china_time::minute(t.to_utc())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A notice of every kind, with the parameters the server stores for it.
    fn samples() -> Vec<(&'static str, Value)> {
        let at = "2026-12-06T08:30:00Z";
        vec![
            ("vote_notice", json!({ "title": "公约", "opens_at": at, "closes_at": at })),
            ("vote_extended", json!({ "title": "公约", "closes_at": at, "reason": "参与不足" })),
            ("vote_cancelled", json!({ "title": "公约", "reason": "重新起草" })),
            ("vote_result", json!({ "title": "公约", "result": "passed", "days": 7 })),
            ("questionnaire", json!({ "title": "养犬", "closes_at": at, "anonymous": true })),
            ("questionnaire_closed", json!({ "title": "养犬", "respondents": 6 })),
            ("agenda_opened", json!({ "title": "路灯", "compound": null, "community_wide": true })),
            ("meeting_invited", json!({ "title": "协商", "starts_at": at, "place": "会议室" })),
            ("meeting_announced", json!({ "title": "协商", "starts_at": at, "place": "会议室" })),
            ("meeting_postponed", json!({ "title": "协商", "starts_at": at, "place": "会议室", "reason": "出差" })),
            ("meeting_cancelled", json!({ "title": "协商", "reason": "已解决" })),
            ("minutes_corrections_open", json!({ "title": "协商", "open_until": at })),
            ("minutes_to_sign", json!({ "title": "协商", "version": 2 })),
            ("minutes_published", json!({ "title": "协商", "days": 7 })),
            ("convention_consultation", json!({ "title": "文明养犬公约", "consult_from": at, "consult_until": at })),
            ("convention_answered", json!({ "title": "文明养犬公约", "outcome": "partly" })),
            (
                "convention_in_force",
                json!({ "title": "管理规约", "version": 2, "in_force_from": at, "route": "vote", "days": 7 }),
            ),
            (
                "convention_repealed",
                json!({ "title": "管理规约", "version": 2, "in_force_from": at, "route": "pledge", "days": 7 }),
            ),
            ("convention_review_due", json!({ "title": "管理规约", "review_on": "2027-12-01" })),
            ("convention_acknowledge", json!({ "title": "管理规约" })),
            ("task_assigned", json!({ "title": "清运北门垃圾", "due_on": "2026-12-10" })),
            ("task_reported", json!({ "title": "清运北门垃圾", "due_on": "2026-12-10" })),
            ("task_done", json!({ "title": "清运北门垃圾", "due_on": "2026-12-10" })),
            ("task_returned", json!({ "title": "清运北门垃圾", "due_on": "2026-12-10" })),
            ("task_overdue", json!({ "title": "清运北门垃圾", "due_on": "2026-12-10" })),
            ("agenda_statutory_request", json!({ "title": "改选", "heads": 12, "area": "1234.50" })),
            (
                "concern_raised",
                json!({ "category": { "zh": "噪音", "en": "Noise" }, "compound": "太阳城", "text": "吵" }),
            ),
            ("concern_routed", json!({ "party_name": "阳光物业", "text": "吵" })),
            ("concern_replied", json!({ "text": "已处理" })),
            ("concern_resolved", json!({ "with_note": true, "note": "已修好" })),
            ("concern_reopened", json!({ "reason": "还在响" })),
            ("concern_passed_on", json!({ "party": "property_company", "text": "吵" })),
            ("concern_taken_on", json!({ "party": "community_office", "text": "吵" })),
            ("concern_escalated", json!({ "department": "城管执法队", "text": "吵" })),
            ("concern_department_responded", json!({ "department": "城管执法队", "text": "已处理" })),
            ("concern_became_agenda", json!({ "text": "吵" })),
            ("concern_discussed", json!({ "meeting": "北门垃圾问题三方协商会", "text": "吵" })),
            ("concern_task_done", json!({ "task": "每日清运", "text": "吵" })),
            ("holder_invitation", json!({ "holder": "TYC0001" })),
            ("holder_linked", json!({ "name": "张三", "holder": "TYC0001", "settling": true, "counts_from": at })),
            ("holder_unlinked", json!({ "name": "张三", "holder": "TYC0001" })),
            ("account_recovered", json!({ "name": "张三", "settling": false, "counts_from": null })),
            ("holder_proxy", json!({ "holder": "TYC0001", "proxy": "李四", "counts_from": at, "valid_until": at })),
            ("holder_proxy_revoked", json!({ "holder": "TYC0001" })),
        ]
    }

    #[test]
    fn every_kind_renders_all_its_parameters_in_both_languages() {
        for (kind, params) in samples() {
            for lang in [Lang::Zh, Lang::En] {
                let (title, body) = render(lang, kind, &params).unwrap_or_else(|| panic!("{kind} has no messages"));
                assert!(!title.contains('{') && !body.contains('{'), "{kind} in {lang:?}: {title} / {body}");
            }
        }
    }

    #[test]
    fn every_kind_in_the_catalogue_has_a_sample() {
        let kinds: Vec<&str> = samples().into_iter().map(|(k, _)| k).collect();
        for (key, _) in i18n::catalogue(Lang::En) {
            if let Some(kind) = key.strip_prefix("notice.").and_then(|k| k.strip_suffix(".title")) {
                assert!(kinds.contains(&kind), "no sample of {kind}");
            }
        }
    }

    #[test]
    fn times_show_in_china_time_and_codes_and_names_in_the_readers_language() {
        let (title, body) =
            render(Lang::En, "vote_result", &json!({ "title": "公约", "result": "passed", "days": 7 })).unwrap();
        assert_eq!(title, "Vote result on display: 公约");
        assert!(body.starts_with("Passed. "), "{body}");
        let (_, body) =
            render(Lang::Zh, "vote_result", &json!({ "title": "公约", "result": "passed", "days": 7 })).unwrap();
        assert_eq!(body, "通过。公示期 7 天，期间可提出异议。");
        let params =
            json!({ "title": "公约", "opens_at": "2026-12-06T16:30:00Z", "closes_at": "2026-12-20T08:00:00+00:00" });
        let (_, body) = render(Lang::Zh, "vote_notice", &params).unwrap();
        assert_eq!(body, "投票时间 2026-12-07 00:30 至 2026-12-20 16:00。请在手机上查看表决事项并投票。");
        let category = json!({ "category": { "zh": "噪音", "en": "Noise" }, "compound": "太阳城", "text": "吵" });
        assert_eq!(render(Lang::En, "concern_raised", &category).unwrap().0, "New concern (Noise): 太阳城");
        assert_eq!(render(Lang::Zh, "concern_raised", &category).unwrap().0, "新诉求（噪音）：太阳城");
    }

    #[test]
    fn a_clause_shows_only_when_its_flag_is_set() {
        let (_, body) = render(Lang::Zh, "concern_resolved", &json!({ "with_note": false, "note": null })).unwrap();
        assert_eq!(body, "请确认并评价满意度。");
        let (_, body) =
            render(Lang::Zh, "concern_resolved", &json!({ "with_note": true, "note": "换了灯泡" })).unwrap();
        assert_eq!(body, "换了灯泡。请确认并评价满意度。");
        let (title, _) = render(
            Lang::Zh,
            "agenda_opened",
            &json!({ "title": "路灯", "compound": "太阳城", "community_wide": false }),
        )
        .unwrap();
        assert_eq!(title, "新议题（太阳城）：路灯");
    }

    #[test]
    fn a_notice_without_parameters_is_shown_as_stored() {
        let n = notice::Model {
            id: 1,
            community_id: 1,
            compound_id: None,
            kind: "vote_result".into(),
            title: "表决结果公示：旧".into(),
            body: "通过 passed. 公示期 7 天".into(),
            link: None,
            created_by: None,
            created_at: chrono::Utc::now(),
            party_id: None,
            building_ids: None,
            params: None,
        };
        assert_eq!(shown(&n, Lang::En), ("表决结果公示：旧".to_owned(), "通过 passed. 公示期 7 天".to_owned()));
    }
}
