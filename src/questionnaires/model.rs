//! The words of a questionnaire and its rules, as plain functions: what a well-formed question is,
//! what a well-formed answer is, and how answers are counted.
use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{error::AppError, i18n::Msg, msg};

/// Questions in one questionnaire, at most.
pub const MAX_QUESTIONS: usize = 50;
/// Options of one choice question, at most.
pub const MAX_OPTIONS: usize = 20;
/// Characters of a free-text answer, at most.
pub const MAX_TEXT_ANSWER: usize = 2000;

pub use crate::entities::questionnaire::QuestionnaireStatus;

/// Who is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Every verified owner of the compound.
    Owners,
    /// Everyone with a role in the compound: owners, the property company, the committee and the
    /// community office.
    Residents,
    /// The verified owners of the chosen buildings.
    Buildings,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Owners => "owners",
            Audience::Residents => "residents",
            Audience::Buildings => "buildings",
        }
    }

    pub fn parse(s: &str) -> Audience {
        match s {
            "residents" => Audience::Residents,
            "buildings" => Audience::Buildings,
            _ => Audience::Owners,
        }
    }
}

/// One answer per holder (a household, however many accounts it has) or per person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnswerPer {
    Holder,
    Person,
}

impl AnswerPer {
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerPer::Holder => "holder",
            AnswerPer::Person => "person",
        }
    }

    pub fn parse(s: &str) -> AnswerPer {
        if s == "person" { AnswerPer::Person } else { AnswerPer::Holder }
    }
}

/// When the audience may see the results (the three parties always may).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResultsVisibility {
    /// While answers come in.
    Live,
    /// Once the questionnaire has closed.
    AfterClose,
}

impl ResultsVisibility {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultsVisibility::Live => "live",
            ResultsVisibility::AfterClose => "after_close",
        }
    }

    pub fn parse(s: &str) -> ResultsVisibility {
        if s == "live" { ResultsVisibility::Live } else { ResultsVisibility::AfterClose }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Pick one option.
    Single,
    /// Pick one or more options, up to `max_picks`.
    Multiple,
    /// A rating from 1 to 5.
    Rating,
    /// Free text.
    Text,
}

/// One question as its author wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Question {
    pub kind: QuestionKind,
    pub text: String,
    #[serde(default)]
    pub required: bool,
    /// The options of a choice question, in order; empty for the others.
    #[serde(default)]
    pub options: Vec<String>,
    /// For multiple choice: how many options one may pick at most (absent: any number).
    #[serde(default)]
    pub max_picks: Option<i32>,
}

/// The answer to one question. Which field is used depends on the question: `choices` (option
/// indexes, from 0) for choice questions, `rating` (1–5) for ratings, `text` for free text. An
/// item with none of them leaves the question unanswered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AnswerItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<i32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl AnswerItem {
    fn is_blank(&self) -> bool {
        self.choices.as_ref().is_none_or(|c| c.is_empty())
            && self.rating.is_none()
            && self.text.as_deref().is_none_or(|t| t.trim().is_empty())
    }
}

type Problems = BTreeMap<String, Msg>;

fn text_field(problems: &mut Problems, field: String, value: &str, max: usize) -> String {
    let v = value.trim();
    if v.is_empty() {
        problems.insert(field, msg!("text_required"));
    } else if v.chars().count() > max {
        problems.insert(field, msg!("text_too_long", max = max));
    }
    v.to_owned()
}

/// Check and tidy the questions of a questionnaire. Every problem is reported under the field it
/// is in, e.g. `questions[2].options[1]`.
pub fn check_questions(questions: &[Question]) -> Result<Vec<Question>, AppError> {
    let mut problems = Problems::new();
    if questions.is_empty() || questions.len() > MAX_QUESTIONS {
        return Err(AppError::field("questions", msg!("questions_count", max = MAX_QUESTIONS)));
    }
    let mut out = Vec::with_capacity(questions.len());
    for (i, q) in questions.iter().enumerate() {
        let at = |f: &str| format!("questions[{i}].{f}");
        let text = text_field(&mut problems, at("text"), &q.text, 500);
        let choice = matches!(q.kind, QuestionKind::Single | QuestionKind::Multiple);
        let mut options = Vec::new();
        if choice {
            if q.options.len() < 2 || q.options.len() > MAX_OPTIONS {
                problems.insert(at("options"), msg!("options_count", max = MAX_OPTIONS));
            }
            let mut seen = HashSet::new();
            for (j, o) in q.options.iter().enumerate() {
                let field = format!("questions[{i}].options[{j}]");
                let o = text_field(&mut problems, field.clone(), o, 100);
                if !o.is_empty() && !seen.insert(o.clone()) {
                    problems.insert(field, msg!("option_offered_twice"));
                }
                options.push(o);
            }
        } else if !q.options.is_empty() {
            problems.insert(at("options"), msg!("options_only_for_choice"));
        }
        let max_picks = match (q.kind, q.max_picks) {
            (QuestionKind::Multiple, Some(n)) if n < 1 || n as usize > q.options.len().max(1) => {
                problems.insert(at("max_picks"), msg!("max_picks_out_of_range"));
                None
            }
            (QuestionKind::Multiple, n) => n,
            (_, Some(_)) => {
                problems.insert(at("max_picks"), msg!("max_picks_only_for_multiple"));
                None
            }
            (_, None) => None,
        };
        out.push(Question { kind: q.kind, text, required: q.required, options, max_picks });
    }
    if problems.is_empty() { Ok(out) } else { Err(AppError::Validation(problems)) }
}

/// Check answers against the questions; with `complete`, every required question must be
/// answered (a submitted answer), without it blanks are fine (a draft). Problems are reported as
/// `answers[i]`. Returns the answers tidied: texts trimmed, picks sorted, blanks emptied.
pub fn check_answers(
    questions: &[Question],
    answers: &[AnswerItem],
    complete: bool,
) -> Result<Vec<AnswerItem>, AppError> {
    if answers.len() != questions.len() {
        return Err(AppError::field("answers", msg!("answers_count", count = questions.len())));
    }
    let mut problems = Problems::new();
    let mut out = Vec::with_capacity(answers.len());
    for (i, (q, a)) in questions.iter().zip(answers).enumerate() {
        let field = format!("answers[{i}]");
        if a.is_blank() {
            if complete && q.required {
                problems.insert(field, msg!("text_required"));
            }
            out.push(AnswerItem::default());
            continue;
        }
        let fits = match q.kind {
            QuestionKind::Single | QuestionKind::Multiple => a.rating.is_none() && a.text.is_none(),
            QuestionKind::Rating => a.choices.is_none() && a.text.is_none(),
            QuestionKind::Text => a.choices.is_none() && a.rating.is_none(),
        };
        if !fits {
            problems.insert(field, msg!("answer_wrong_kind"));
            out.push(AnswerItem::default());
            continue;
        }
        let item = match q.kind {
            QuestionKind::Single | QuestionKind::Multiple => {
                let mut picks = a.choices.clone().unwrap_or_default();
                picks.sort_unstable();
                let n = picks.len();
                picks.dedup();
                if picks.len() != n {
                    problems.insert(field, msg!("option_picked_twice"));
                } else if picks.iter().any(|&p| p < 0 || p as usize >= q.options.len()) {
                    problems.insert(field, msg!("option_unknown"));
                } else if q.kind == QuestionKind::Single && picks.len() != 1 {
                    problems.insert(field, msg!("pick_one_option"));
                } else if let Some(max) = q.max_picks.filter(|&m| picks.len() > m as usize) {
                    problems.insert(field, msg!("pick_at_most", max = max));
                }
                AnswerItem { choices: Some(picks), ..Default::default() }
            }
            QuestionKind::Rating => {
                let r = a.rating.unwrap_or(0);
                if !(1..=5).contains(&r) {
                    problems.insert(field, msg!("rate_one_to_five"));
                }
                AnswerItem { rating: Some(r), ..Default::default() }
            }
            QuestionKind::Text => {
                let t = a.text.as_deref().unwrap_or("").trim().to_owned();
                if t.chars().count() > MAX_TEXT_ANSWER {
                    problems.insert(field, msg!("text_too_long", max = MAX_TEXT_ANSWER));
                }
                AnswerItem { text: Some(t), ..Default::default() }
            }
        };
        out.push(item);
    }
    if problems.is_empty() { Ok(out) } else { Err(AppError::Validation(problems)) }
}

/// A count and its share, in percent with one decimal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OptionCount {
    pub option: String,
    pub count: i64,
    /// Of those who answered the question, rounded half up to one decimal.
    pub percent: f64,
}

/// Ratings given, 1 to 5.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RatingSummary {
    /// How many gave 1, 2, 3, 4 and 5.
    pub distribution: Vec<i64>,
    /// The sum of the ratings; the average is `sum / answered`.
    pub sum: i64,
    /// Rounded half up to two decimals; absent when nobody rated.
    pub average: Option<f64>,
}

/// A free-text answer, with its author where the questionnaire is named and the reader may know.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TextAnswer {
    pub text: String,
    pub author: Option<String>,
}

/// The result of one question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct QuestionResult {
    /// The question's position, from 0.
    pub index: usize,
    pub kind: QuestionKind,
    pub text: String,
    /// Respondents who answered this question.
    pub answered: i64,
    /// Per option (choice questions).
    pub options: Vec<OptionCount>,
    pub rating: Option<RatingSummary>,
    pub texts: Vec<TextAnswer>,
}

/// `part / whole` in percent, rounded half up to one decimal (0 when `whole` is 0), in integers
/// until the last step.
pub fn percent(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        return 0.0;
    }
    let tenths = (part * 2000 + whole) / (whole * 2);
    tenths as f64 / 10.0
}

/// `sum / n` rounded half up to two decimals.
fn average(sum: i64, n: i64) -> Option<f64> {
    (n > 0).then(|| ((sum * 200 + n) / (n * 2)) as f64 / 100.0)
}

/// Count the answers, question by question. `answers` pairs each answer with its author's name
/// when the reader may see it.
pub fn tally(questions: &[Question], answers: &[(Vec<AnswerItem>, Option<String>)]) -> Vec<QuestionResult> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let given: Vec<(&AnswerItem, &Option<String>)> =
                answers.iter().filter_map(|(a, who)| a.get(i).filter(|x| !x.is_blank()).map(|x| (x, who))).collect();
            let answered = given.len() as i64;
            let mut r = QuestionResult {
                index: i,
                kind: q.kind,
                text: q.text.clone(),
                answered,
                options: Vec::new(),
                rating: None,
                texts: Vec::new(),
            };
            match q.kind {
                QuestionKind::Single | QuestionKind::Multiple => {
                    let mut counts = vec![0i64; q.options.len()];
                    for (a, _) in &given {
                        for &p in a.choices.as_deref().unwrap_or(&[]) {
                            if let Some(c) = counts.get_mut(p as usize) {
                                *c += 1;
                            }
                        }
                    }
                    r.options = q
                        .options
                        .iter()
                        .zip(counts)
                        .map(|(o, count)| OptionCount { option: o.clone(), count, percent: percent(count, answered) })
                        .collect();
                }
                QuestionKind::Rating => {
                    let mut distribution = vec![0i64; 5];
                    let mut sum = 0;
                    for (a, _) in &given {
                        if let Some(v) = a.rating.filter(|v| (1..=5).contains(v)) {
                            distribution[(v - 1) as usize] += 1;
                            sum += v as i64;
                        }
                    }
                    r.rating = Some(RatingSummary { distribution, sum, average: average(sum, answered) });
                }
                QuestionKind::Text => {
                    r.texts = given
                        .iter()
                        .map(|(a, who)| TextAnswer { text: a.text.clone().unwrap_or_default(), author: (*who).clone() })
                        .collect();
                }
            }
            r
        })
        .collect()
}

/// The key that makes one answer per holder or per person.
pub fn respondent_key(per: AnswerPer, holder_id: Option<i64>, user_id: i64) -> String {
    match (per, holder_id) {
        (AnswerPer::Holder, Some(h)) => format!("h:{h}"),
        _ => format!("u:{user_id}"),
    }
}

/// Anonymous answers reach readers (results, the response rate, the count of respondents, the
/// exports, the audit trail) in steps of at least this many, never one by one: a reader who looks
/// between two submissions cannot tell which household gave which answer.
pub const RELEASE_STEP: i64 = 5;

/// How many of the `pending` anonymous answers to release now: all of them once they make a step,
/// whatever is left when the questionnaire closes, otherwise none.
pub fn answers_to_release(pending: i64, closing: bool) -> i64 {
    if pending >= RELEASE_STEP || (closing && pending > 0) { pending } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(text: &str, options: &[&str]) -> Question {
        Question {
            kind: QuestionKind::Single,
            text: text.into(),
            required: true,
            options: options.iter().map(|s| s.to_string()).collect(),
            max_picks: None,
        }
    }

    fn multiple(options: &[&str], max: Option<i32>) -> Question {
        Question { kind: QuestionKind::Multiple, max_picks: max, required: false, ..single("多选", options) }
    }

    fn rating() -> Question {
        Question { kind: QuestionKind::Rating, text: "打分".into(), required: true, options: vec![], max_picks: None }
    }

    fn text() -> Question {
        Question { kind: QuestionKind::Text, text: "意见".into(), required: false, options: vec![], max_picks: None }
    }

    fn picks(p: &[i32]) -> AnswerItem {
        AnswerItem { choices: Some(p.to_vec()), ..Default::default() }
    }

    fn rate(r: i32) -> AnswerItem {
        AnswerItem { rating: Some(r), ..Default::default() }
    }

    fn fields(e: AppError) -> BTreeMap<String, String> {
        match e {
            AppError::Validation(f) => f.into_iter().map(|(k, m)| (k, m.english())).collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn problems_name_the_question_and_the_option() {
        let mut bad = single("  ", &["是", "是"]);
        bad.max_picks = Some(1);
        let f = fields(check_questions(&[rating(), bad, multiple(&["a", "b"], Some(3))]).unwrap_err());
        assert_eq!(f["questions[1].text"], "is required");
        assert_eq!(f["questions[1].options[1]"], "is offered twice");
        assert!(f.contains_key("questions[1].max_picks"));
        assert!(f.contains_key("questions[2].max_picks"));
        assert!(!f.keys().any(|k| k.starts_with("questions[0]")));
    }

    #[test]
    fn choice_questions_need_two_options_and_others_none() {
        let f = fields(check_questions(&[single("养犬吗", &["是"])]).unwrap_err());
        assert!(f.contains_key("questions[0].options"));
        let mut r = rating();
        r.options = vec!["x".into()];
        let f = fields(check_questions(&[r]).unwrap_err());
        assert_eq!(f["questions[0].options"], "only choice questions have options");
        assert!(check_questions(&[]).is_err());
    }

    #[test]
    fn required_answers_are_enforced_only_on_submission() {
        let qs = [single("养犬吗", &["是", "否"]), rating(), text()];
        let blank = vec![AnswerItem::default(); 3];
        let f = fields(check_answers(&qs, &blank, true).unwrap_err());
        assert_eq!(f.keys().collect::<Vec<_>>(), ["answers[0]", "answers[1]"]);
        assert!(check_answers(&qs, &blank, false).is_ok());
        assert!(check_answers(&qs, &blank[..2], false).is_err(), "one item per question");
    }

    #[test]
    fn answers_must_fit_their_question() {
        let qs = [single("养犬吗", &["是", "否"]), multiple(&["a", "b", "c"], Some(2)), rating(), text()];
        let ok = [picks(&[1]), picks(&[2, 0]), rate(5), AnswerItem { text: Some(" 好 ".into()), ..Default::default() }];
        let tidy = check_answers(&qs, &ok, true).unwrap();
        assert_eq!(tidy[1].choices.as_deref(), Some(&[0, 2][..]));
        assert_eq!(tidy[3].text.as_deref(), Some("好"));
        let bad = [picks(&[0, 1]), picks(&[0, 1, 2]), rate(6), rate(3)];
        let f = fields(check_answers(&qs, &bad, true).unwrap_err());
        assert_eq!(f["answers[0]"], "pick exactly one option");
        assert_eq!(f["answers[1]"], "pick at most 2 option(s)");
        assert_eq!(f["answers[2]"], "rate from 1 to 5");
        assert_eq!(f["answers[3]"], "does not fit the kind of question");
        let f = fields(check_answers(&qs[..1], &[picks(&[2])], true).unwrap_err());
        assert_eq!(f["answers[0]"], "no such option");
    }

    #[test]
    fn percentages_round_half_up_to_one_decimal() {
        assert_eq!(percent(1, 3), 33.3);
        assert_eq!(percent(2, 3), 66.7);
        assert_eq!(percent(1, 8), 12.5);
        assert_eq!(percent(1, 16), 6.3);
        assert_eq!(percent(0, 0), 0.0);
        assert_eq!(percent(3, 3), 100.0);
    }

    #[test]
    fn the_tally_counts_options_ratings_and_texts() {
        let qs = [single("养犬吗", &["是", "否"]), multiple(&["a", "b", "c"], None), rating(), text()];
        let t = |s: &str| AnswerItem { text: Some(s.into()), ..Default::default() };
        let answers = vec![
            (vec![picks(&[0]), picks(&[0, 1]), rate(5), t("拴绳")], Some("甲".to_owned())),
            (vec![picks(&[1]), picks(&[1]), rate(4), AnswerItem::default()], None),
            (vec![picks(&[0]), AnswerItem::default(), rate(2), t("清理粪便")], None),
        ];
        let r = tally(&qs, &answers);
        assert_eq!(r[0].answered, 3);
        assert_eq!((r[0].options[0].count, r[0].options[0].percent), (2, 66.7));
        assert_eq!((r[0].options[1].count, r[0].options[1].percent), (1, 33.3));
        assert_eq!(r[1].answered, 2);
        assert_eq!(r[1].options.iter().map(|o| o.count).collect::<Vec<_>>(), [1, 2, 0]);
        assert_eq!(r[1].options[1].percent, 100.0);
        let rating = r[2].rating.as_ref().unwrap();
        assert_eq!(rating.distribution, [0, 1, 0, 1, 1]);
        assert_eq!((rating.sum, rating.average), (11, Some(3.67)));
        assert_eq!(r[3].answered, 2);
        assert_eq!(r[3].texts[0], TextAnswer { text: "拴绳".into(), author: Some("甲".into()) });
        assert_eq!(r[3].texts[1].author, None);
    }

    #[test]
    fn one_answer_per_holder_or_per_person() {
        assert_eq!(respondent_key(AnswerPer::Holder, Some(7), 3), "h:7");
        assert_eq!(respondent_key(AnswerPer::Person, Some(7), 3), "u:3");
    }

    #[test]
    fn anonymous_answers_are_released_in_steps_of_five_and_the_rest_at_close() {
        let released: Vec<i64> = (0..=6).map(|p| answers_to_release(p, false)).collect();
        assert_eq!(released, [0, 0, 0, 0, 0, 5, 6]);
        assert_eq!((0..=6).map(|p| answers_to_release(p, true)).collect::<Vec<_>>(), [0, 1, 2, 3, 4, 5, 6]);
        // One by one, the readers' count moves only at 5, 10, 15, … and at close.
        let (mut pending, mut seen, mut steps) = (0, 0, Vec::new());
        for _ in 0..13 {
            pending += 1;
            let n = answers_to_release(pending, false);
            if n > 0 {
                (pending, seen) = (0, seen + n);
                steps.push(seen);
            }
        }
        assert_eq!(steps, [5, 10]);
        assert_eq!(seen + answers_to_release(pending, true), 13);
    }
}
