//! The plain decisions about a questionnaire: the moves of its status, when it takes answers, who
//! it asks, who reads its results, and what a well-formed one is.
use chrono::{DateTime, Utc};

use super::model::{AnswerPer, Audience, QuestionnaireStatus, ResultsVisibility};
use crate::{error::AppError, msg};

/// A move in a questionnaire's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A draft goes out to its audience.
    Publish,
    /// A published questionnaire stops taking answers, early or at its time.
    Close,
}

impl Step {
    /// The status the step starts from.
    pub fn starts_from(self) -> QuestionnaireStatus {
        match self {
            Step::Publish => QuestionnaireStatus::Draft,
            Step::Close => QuestionnaireStatus::Published,
        }
    }

    /// The status the step leads to.
    pub fn leads_to(self) -> QuestionnaireStatus {
        match self {
            Step::Publish => QuestionnaireStatus::Published,
            Step::Close => QuestionnaireStatus::Closed,
        }
    }

    /// The answer when the questionnaire is not where the step starts from.
    pub fn refused(self) -> AppError {
        match self {
            Step::Publish => AppError::conflict("not_a_draft", msg!("questionnaire_already_published")),
            Step::Close => AppError::conflict("questionnaire_not_published", msg!("questionnaire_not_published")),
        }
    }
}

impl QuestionnaireStatus {
    /// The status after `step`, or the refusal when the step does not start here.
    pub fn next(self, step: Step) -> Result<QuestionnaireStatus, AppError> {
        if self == step.starts_from() { Ok(step.leads_to()) } else { Err(step.refused()) }
    }
}

/// Only a draft may be changed.
pub fn may_change(status: QuestionnaireStatus) -> Result<(), AppError> {
    if status == QuestionnaireStatus::Draft {
        Ok(())
    } else {
        Err(AppError::conflict("not_a_draft", msg!("questionnaire_draft_only")))
    }
}

/// Published and within its answering time at `now`.
pub fn is_open(
    status: QuestionnaireStatus,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    status == QuestionnaireStatus::Published && opens_at <= now && now < closes_at
}

/// Why a questionnaire takes no answer now.
pub fn not_open(status: QuestionnaireStatus) -> AppError {
    let message = match status {
        QuestionnaireStatus::Closed => msg!("questionnaire_closed"),
        _ => msg!("questionnaire_not_open"),
    };
    AppError::conflict("questionnaire_not_open", message)
}

/// Whether its audience (as opposed to the three parties, who always may) reads the results now.
pub fn audience_sees_results(status: QuestionnaireStatus, visibility: ResultsVisibility) -> bool {
    match status {
        QuestionnaireStatus::Closed => true,
        QuestionnaireStatus::Published => visibility == ResultsVisibility::Live,
        QuestionnaireStatus::Draft => false,
    }
}

/// Whether a questionnaire for `audience` (of the buildings `chosen`) asks someone holding units
/// in the buildings `my_buildings`, and with some role in the compound or none.
pub fn asks(audience: Audience, chosen: &[i64], my_buildings: &[i64], has_role: bool) -> bool {
    match audience {
        Audience::Residents => has_role,
        Audience::Owners => !my_buildings.is_empty(),
        Audience::Buildings => my_buildings.iter().any(|b| chosen.contains(b)),
    }
}

/// The settings of a new questionnaire that cannot go together, as a validation error.
pub fn check_settings(
    audience: Audience,
    per: AnswerPer,
    anonymous: bool,
    allow_edit: bool,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
) -> Result<(), AppError> {
    if closes_at <= opens_at {
        return Err(AppError::field("closes_at", msg!("questionnaire_closes_before_opening")));
    }
    if audience == Audience::Residents && per == AnswerPer::Holder {
        return Err(AppError::field("answer_per", msg!("residents_answer_per_person")));
    }
    // Editing would need a way back to one's answer: that is the very link anonymity forbids.
    if anonymous && allow_edit {
        return Err(AppError::field("allow_edit", msg!("anonymous_answers_fixed")));
    }
    Ok(())
}

/// The household an answer is for: the one asked for, when it is one of `mine`; else the only one
/// of `mine`.
pub fn answering_holder(asked_for: Option<i64>, mine: &[i64]) -> Result<i64, AppError> {
    match (asked_for, mine) {
        (Some(h), _) if mine.contains(&h) => Ok(h),
        (Some(_), _) => Err(AppError::field("holder_id", msg!("questionnaire_holder_not_yours"))),
        (None, [only]) => Ok(*only),
        (None, _) => Err(AppError::field("holder_id", msg!("questionnaire_choose_household"))),
    }
}

/// The time as owners read it: Beijing time.
pub fn beijing(t: DateTime<Utc>) -> String {
    crate::china_time::minute(t)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use QuestionnaireStatus::*;

    fn code(e: AppError) -> &'static str {
        e.code()
    }

    #[test]
    fn a_draft_is_published_and_a_published_one_closed() {
        assert_eq!(Draft.next(Step::Publish).unwrap(), Published);
        assert_eq!(Published.next(Step::Close).unwrap(), Closed);
    }

    #[test]
    fn a_questionnaire_is_published_once_and_closed_once() {
        assert_eq!(code(Published.next(Step::Publish).unwrap_err()), "not_a_draft");
        assert_eq!(code(Closed.next(Step::Publish).unwrap_err()), "not_a_draft");
        assert_eq!(code(Draft.next(Step::Close).unwrap_err()), "questionnaire_not_published");
        assert_eq!(code(Closed.next(Step::Close).unwrap_err()), "questionnaire_not_published");
    }

    #[test]
    fn only_a_draft_may_be_changed() {
        assert!(may_change(Draft).is_ok());
        assert_eq!(code(may_change(Published).unwrap_err()), "not_a_draft");
        assert_eq!(code(may_change(Closed).unwrap_err()), "not_a_draft");
    }

    #[test]
    fn answers_are_taken_only_while_published_and_between_its_times() {
        let now = Utc::now();
        let (before, after) = (now - Duration::hours(1), now + Duration::hours(1));
        assert!(is_open(Published, before, after, now));
        assert!(!is_open(Published, now + Duration::minutes(1), after, now), "not yet open");
        assert!(!is_open(Published, before, now, now), "closing time reached");
        assert!(!is_open(Draft, before, after, now));
        assert!(!is_open(Closed, before, after, now));
    }

    #[test]
    fn the_audience_sees_results_live_or_after_close_as_chosen_and_never_of_a_draft() {
        assert!(audience_sees_results(Published, ResultsVisibility::Live));
        assert!(!audience_sees_results(Published, ResultsVisibility::AfterClose));
        assert!(audience_sees_results(Closed, ResultsVisibility::AfterClose));
        assert!(!audience_sees_results(Draft, ResultsVisibility::Live));
    }

    #[test]
    fn owners_are_asked_by_their_buildings_and_residents_by_any_role() {
        assert!(asks(Audience::Owners, &[], &[3], false));
        assert!(!asks(Audience::Owners, &[], &[], true));
        assert!(asks(Audience::Buildings, &[1, 3], &[3], false));
        assert!(!asks(Audience::Buildings, &[1, 2], &[3], false));
        assert!(asks(Audience::Residents, &[], &[], true));
        assert!(!asks(Audience::Residents, &[], &[3], false));
    }

    #[test]
    fn settings_that_cannot_go_together_are_refused() {
        let now = Utc::now();
        let later = now + Duration::days(1);
        let field = |r: Result<(), AppError>| match r.unwrap_err() {
            AppError::Validation(f) => f.into_keys().next().unwrap(),
            other => panic!("not a validation error: {other:?}"),
        };
        assert!(check_settings(Audience::Owners, AnswerPer::Holder, true, false, now, later).is_ok());
        assert_eq!(field(check_settings(Audience::Owners, AnswerPer::Holder, false, false, later, now)), "closes_at");
        assert_eq!(
            field(check_settings(Audience::Residents, AnswerPer::Holder, false, false, now, later)),
            "answer_per"
        );
        assert_eq!(field(check_settings(Audience::Owners, AnswerPer::Person, true, true, now, later)), "allow_edit");
    }

    #[test]
    fn an_owner_of_one_household_answers_for_it_and_of_several_must_choose() {
        assert_eq!(answering_holder(None, &[7]).unwrap(), 7);
        assert_eq!(answering_holder(Some(8), &[7, 8]).unwrap(), 8);
        assert!(answering_holder(None, &[7, 8]).is_err());
        assert!(answering_holder(Some(9), &[7, 8]).is_err());
        assert!(answering_holder(None, &[]).is_err());
    }

    #[test]
    fn times_are_written_in_beijing_time() {
        let t = DateTime::parse_from_rfc3339("2026-03-01T16:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(beijing(t), "2026-03-02 00:30");
    }
}
