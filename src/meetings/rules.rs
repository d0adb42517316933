//! The pure rules of scheduling: notice, place, answers and changes of plan.
use chrono::{DateTime, Duration, Utc};

use super::{Answer, Capacity, MeetingKind, MeetingStatus};
use crate::{error::AppError, msg};

/// The earliest a meeting of `kind` announced at `now` may start.
pub fn earliest_start(kind: MeetingKind, now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::days(kind.rules().notice_days)
}

/// Whether a meeting of `kind` announced at `now` may start at `starts_at`: in the future, and
/// after the kind's notice (a committee meeting is announced 7 days ahead, 指导规则 Art. 39). A
/// minute's grace covers the time it took to fill in the form.
pub fn check_start(kind: MeetingKind, now: DateTime<Utc>, starts_at: DateTime<Utc>) -> Result<(), AppError> {
    let earliest = earliest_start(kind, now);
    if starts_at >= earliest - Duration::minutes(1) {
        return Ok(());
    }
    let problem = match kind.rules().notice_days {
        0 => msg!("meeting_starts_past"),
        // Told in Beijing time, to the minute, as the people convening read a clock.
        days => {
            let at = crate::china_time::minute(earliest);
            msg!("meeting_notice_too_short", days = days, at = at)
        }
    };
    Err(AppError::field("starts_at", problem))
}

/// Whether an invitation may still be answered: the meeting is scheduled and has not started.
pub fn answerable(status: MeetingStatus, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    status == MeetingStatus::Scheduled && now < starts_at
}

/// Whether someone invited in `capacity` to a meeting of `kind` may give `answer`: a party may
/// send a deputy where the kind allows it; a committee member attends in person (指导规则
/// Art. 38), and so do the sides of a mediation, owners and residents.
pub fn may_answer(kind: MeetingKind, capacity: Capacity, answer: Answer) -> bool {
    match answer {
        Answer::Pending => false,
        Answer::Attending | Answer::Absent => true,
        Answer::Deputy => kind.rules().deputies && capacity == Capacity::Party,
    }
}

/// Whether a meeting may still be postponed or cancelled: only before it is opened.
pub fn changeable(status: MeetingStatus) -> bool {
    status == MeetingStatus::Scheduled
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(minutes)
    }

    fn field_key(e: AppError) -> &'static str {
        match e {
            AppError::Validation(fields) => fields["starts_at"].key,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_committee_meeting_is_announced_seven_days_ahead_the_others_need_only_be_ahead() {
        let week = Duration::days(7).num_minutes();
        assert!(check_start(MeetingKind::Committee, at(0), at(week)).is_ok());
        assert!(check_start(MeetingKind::Committee, at(0), at(week - 1)).is_ok(), "a minute's grace");
        let e = check_start(MeetingKind::Committee, at(0), at(week - 60)).unwrap_err();
        assert_eq!(field_key(e), "meeting_notice_too_short");
        assert!(check_start(MeetingKind::Consultation, at(0), at(30)).is_ok());
        let e = check_start(MeetingKind::Mediation, at(10), at(0)).unwrap_err();
        assert_eq!(field_key(e), "meeting_starts_past");
    }

    #[test]
    fn a_party_may_send_a_deputy_a_committee_member_may_not() {
        assert!(may_answer(MeetingKind::Consultation, Capacity::Party, Answer::Deputy));
        assert!(!may_answer(MeetingKind::Committee, Capacity::Member, Answer::Deputy));
        assert!(!may_answer(MeetingKind::Committee, Capacity::Party, Answer::Deputy), "the kind forbids it");
        assert!(!may_answer(MeetingKind::Mediation, Capacity::Side, Answer::Deputy));
        assert!(!may_answer(MeetingKind::AssemblySitting, Capacity::Owner, Answer::Deputy), "a deputy is no proxy");
        assert!(may_answer(MeetingKind::Committee, Capacity::Member, Answer::Absent));
        assert!(!may_answer(MeetingKind::Consultation, Capacity::Party, Answer::Pending));
    }

    #[test]
    fn invitations_are_answered_and_plans_changed_only_before_the_meeting() {
        assert!(answerable(MeetingStatus::Scheduled, at(10), at(0)));
        assert!(!answerable(MeetingStatus::Scheduled, at(10), at(10)));
        assert!(!answerable(MeetingStatus::Cancelled, at(10), at(0)));
        assert!(changeable(MeetingStatus::Scheduled));
        for s in [MeetingStatus::InProgress, MeetingStatus::Held, MeetingStatus::Cancelled] {
            assert!(!changeable(s), "{s:?}");
        }
    }
}
